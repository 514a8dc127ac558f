from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmCommon


@tagged("post_install", "-at_install")
class TestAgreementTerms(PrmCommon):
    """Payment and delivery terms are contractual terms of an agreement: they
    are renewed with it and frozen for channel managers once it is active."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        cls.incoterm = cls.env.ref("account.incoterm_FCA")
        cls.agreement_type = cls.env.ref("prm_partner.agreement_type_reseller")

    def _agreement(self, **vals):
        return self.env["prm.agreement"].create(
            {
                "partner_id": self.partner_a.id,
                "type_id": self.agreement_type.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
                "payment_term_id": self.payment_term.id,
                "incoterm_id": self.incoterm.id,
                **vals,
            }
        )

    def test_renewal_keeps_the_terms(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement(auto_renew=True, renewal_months=12)
            agreement.action_activate()
        with freeze_time("2026-01-01"):
            self.env["prm.agreement"]._cron_prm_agreement_expiry()
        renewal = agreement.renewal_id
        self.assertEqual(renewal.state, "active")
        self.assertEqual(renewal.payment_term_id, self.payment_term)
        self.assertEqual(renewal.incoterm_id, self.incoterm)

    def test_terms_frozen_once_active(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement()
            agreement.action_activate()
        other_term = self.env.ref("account.account_payment_term_45days")
        with self.assertRaisesRegex(UserError, "Only draft agreements can be changed"):
            agreement.with_user(self.user_channel_manager).write(
                {"payment_term_id": other_term.id}
            )
        self.assertEqual(agreement.payment_term_id, self.payment_term)
        agreement.with_user(self.user_prm_admin).write(
            {"payment_term_id": other_term.id}
        )
        self.assertEqual(agreement.payment_term_id, other_term)
