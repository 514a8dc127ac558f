"""Fixtures of the activation tests: a card product, batches generated in the
test company (their plain codes kept by the fixture, as the printer has them),
ranges assigned to the partners of ``PrmCommon``."""

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon

from ..models.prm_activation_attempt import LIMITS


class PrmActivationCommon(PrmIncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_card = cls._create_product(
            name="Fibre card",
            type="service",
            lst_price=30.0,
            taxes_id=[Command.clear()],
        )
        cls.user_api = new_test_user(
            cls.env,
            login="prm_activation_api",
            name="Provider systems",
            groups="base.group_user,prm_activation.group_prm_activation_api",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )
        cls._set_param("prm_activation.answer_seconds", "0")
        for key, value in LIMITS.items():
            cls._set_param(key, str(value))

    @classmethod
    def _set_param(cls, key, value):
        cls.env["ir.config_parameter"].sudo().set_param(key, value)

    def _set_limit(self, key, value):
        """Change a limit for this test: the parameters' cache outlives the
        test's rollback, so the default is written back first."""
        self._set_param(key, value)
        self.addCleanup(self._set_param, key, str(LIMITS.get(key, "0")))

    @classmethod
    def _batch(cls, quantity=50, value=30.0, **vals):
        """A generated batch and its plain codes, in serial order."""
        batch = cls.env["prm.activation.batch"].create(
            {
                "product_id": cls.product_card.id,
                "quantity": quantity,
                "value": value,
                "company_id": cls.env.company.id,
                **vals,
            }
        )
        codes = batch._prm_generate_codes()
        return batch, codes

    @classmethod
    def _activate(cls, codes, email="sub@example.com", now=None, channel="api"):
        """Activate ``codes`` (one subscriber each unless ``email``)."""
        return (
            cls.env["prm.activation"]
            .sudo()
            ._prm_activate_many(
                [{"code": code, "subscriber_email": email} for code in codes],
                channel=channel,
                user=cls.env.user,
                now=now,
            )
        )

    def _statuses(self, answers):
        return [answer["status"] for answer in answers]
