"""Root fixture of the PRM suite; every prm_* module's fixture builds on it.

``PrmCommon`` gives program users and configuration on the test company: a tier
ladder qualified on the number of representatives (the one metric of
``prm_partner`` alone), two program partners with a contact each, and a portal
user of the first. ``prm_sale`` requalifies the same ladder on revenue
(``PrmSaleCommon``), ``prm_crm`` adds deals and routing (``PrmDealCommon``).
"""

from collections import Counter
from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import BaseCommon


class PrmCommon(BaseCommon):
    @classmethod
    def setup_independent_company(cls, **kwargs):
        # Our own company keeps demo tiers and partners out of every test.
        company = super().setup_independent_company(**kwargs)
        return company or cls._create_company(name="PRM Test Company", **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.group_prm_user = cls.env.ref("prm_partner.group_prm_user")
        cls.group_prm_manager = cls.env.ref("prm_partner.group_prm_manager")
        company = cls.env.company
        cls.user_channel_manager = new_test_user(
            cls.env,
            login="prm_channel_manager",
            name="Charlie Channel",
            groups="prm_partner.group_prm_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.user_other_manager = new_test_user(
            cls.env,
            login="prm_other_manager",
            name="Olga Other",
            groups="prm_partner.group_prm_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.user_prm_admin = new_test_user(
            cls.env,
            login="prm_admin",
            name="Ada Admin",
            groups="prm_partner.group_prm_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.type_reseller = cls.env.ref("prm_partner.partner_type_reseller")
        cls.type_referral = cls.env.ref("prm_partner.partner_type_referral")

        Tier = cls.env["prm.tier"]
        cls.tier_registered = Tier.create({"name": "T-Registered", "sequence": 1010})
        cls.tier_silver = Tier.create(
            {
                "name": "T-Silver",
                "sequence": 1020,
                "rule_ids": [Command.create(cls._rule("representatives", 1))],
            }
        )
        cls.tier_gold = Tier.create(
            {
                "name": "T-Gold",
                "sequence": 1030,
                "rule_ids": [Command.create(cls._rule("representatives", 3))],
            }
        )
        cls.partner_a = cls._create_program_partner("Alpha Resellers")
        cls.partner_b = cls._create_program_partner(
            "Beta Distribution", manager=cls.user_other_manager
        )
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Anna Alpha",
                "parent_id": cls.partner_a.id,
                "email": "anna@alpha.test",
            }
        )
        cls.contact_b = cls.env["res.partner"].create(
            {
                "name": "Boris Beta",
                "parent_id": cls.partner_b.id,
                "email": "boris@beta.test",
            }
        )
        cls.user_portal_a = new_test_user(
            cls.env,
            login="prm_portal_a",
            groups="base.group_portal",
            partner_id=cls.contact_a.id,
        )

    @classmethod
    def _rule(cls, metric, threshold, months=12, operator=">="):
        return {
            "metric": metric,
            "operator": operator,
            "threshold": threshold,
            "lookback_months": months,
        }

    @classmethod
    def _create_program_partner(
        cls, name, state="active", tier=None, manager=None, **vals
    ):
        # sudo: a fixture places the partner where the program would have
        # (status, tier, manager), which no user may write directly.
        partner_sudo = (
            cls.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_partner_type_id": cls.type_reseller.id,
                    "prm_state": state,
                    "prm_tier_id": (tier or cls.tier_registered).id,
                    "prm_manager_id": (manager or cls.user_channel_manager).id,
                    "company_id": cls.env.company.id,
                    **vals,
                }
            )
        )
        return partner_sudo.with_env(cls.env)

    @classmethod
    def _add_groups(cls, user, *xmlids):
        """Give ``user`` the groups of the apps a module adds (sales, CRM...)."""
        user.write({"group_ids": [Command.link(cls.env.ref(x).id) for x in xmlids]})

    @contextmanager
    def _statements(self):
        """Count the SQL statements sent meanwhile, by kind (SELECT, INSERT...):
        query-count tests compare reads, which must not grow with the data, and
        writes, which the ORM sends 100 rows at a time."""
        counts = Counter()
        cr = self.env.cr
        execute = cr.execute

        def counting(query, params=None, log_exceptions=True):
            code = getattr(query, "code", query)
            counts[code.lstrip().split(None, 1)[0].upper()] += 1
            return execute(query, params, log_exceptions)

        cr.execute = counting
        try:
            yield counts
        finally:
            del cr.execute

    @staticmethod
    def _writes(counts):
        return sum(counts[kind] for kind in ("INSERT", "UPDATE", "DELETE"))


class PrmTourCase(HttpCase):
    """Base of the suite's browser tours: a tour fails on any console warning,
    not only on the errors Odoo's runner already fails on (a field widget that
    does not support its field type only warns, for instance)."""

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        with self.assertNoLogs(self._logger.getChild("browser"), level="WARNING"):
            return super().start_tour(url_path, tour_name, step_delay, **kwargs)
