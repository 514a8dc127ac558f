from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestPartnerStatus(PrmCommon):
    def _flush_tracking(self):
        """Write pending tracking messages, as a commit would."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_status_change_is_tracked_with_reason(self):
        # Created with tracking on: BaseCommon's tracking_disable discards the
        # tracking of records it creates for the whole transaction.
        partner = (
            self.env["res.partner"]
            .with_context(tracking_disable=False, mail_notrack=False)
            .create(
                {
                    "name": "Tracked Partner",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                }
            )
        )
        self._flush_tracking()
        wizard = (
            self.env["prm.partner.state.wizard"]
            .with_user(self.user_prm_admin)
            .create(
                {
                    "partner_ids": [(6, 0, partner.ids)],
                    "new_state": "suspended",
                    "reason": "Unpaid invoices for 90 days",
                }
            )
        )
        wizard.with_context(tracking_disable=False, mail_notrack=False).action_apply()
        self._flush_tracking()
        self.assertEqual(partner.prm_state, "suspended")
        message = partner.message_ids[:1]
        self.assertIn("Unpaid invoices for 90 days", message.body)
        self.assertEqual(message.author_id, self.user_prm_admin.partner_id)
        tracking = message.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "prm_state"
        )
        self.assertEqual(tracking.old_value_char, "Active")
        self.assertEqual(tracking.new_value_char, "Suspended")

    def test_suspension_needs_a_reason(self):
        wizard = self.env["prm.partner.state.wizard"].create(
            {"partner_ids": [(6, 0, self.partner_a.ids)], "new_state": "terminated"}
        )
        with self.assertRaisesRegex(UserError, "Say why"):
            wizard.action_apply()
        self.assertEqual(self.partner_a.prm_state, "active")

    def test_forbidden_transition(self):
        prospect = self._create_program_partner("Gamma", state="prospect")
        with self.assertRaisesRegex(UserError, "cannot go from Prospect to Suspended"):
            prospect._prm_set_state("suspended")
        self.assertEqual(prospect.prm_state, "prospect")

    def test_activation_sets_start_date(self):
        partner = self._create_program_partner("Delta", state="onboarding")
        self.assertFalse(partner.prm_start_date)
        partner._prm_set_state("active")
        self.assertEqual(partner.prm_start_date, self.today)

    def test_activation_requalifies_and_plans_the_review(self):
        """Activated partners get their tier and next review at once, not at
        the nightly requalification."""
        self.env.company.prm_review_months = 6
        partner = self._create_program_partner("Epsilon", state="onboarding")
        partner.prm_tier_id = False
        self.env["res.partner"].create(
            {
                "name": "Erin Epsilon",
                "parent_id": partner.id,
                "prm_role_ids": [
                    Command.link(self.env.ref("prm_partner.role_sales").id)
                ],
            }
        )
        idle = self._create_program_partner("Zeta", state="onboarding")
        planned = self.today + relativedelta(months=2)
        idle.write({"prm_tier_id": False, "prm_review_date": planned})
        (partner | idle).with_user(self.user_channel_manager)._prm_set_state("active")
        self.assertEqual(partner.prm_tier_id, self.tier_silver, "one representative")
        self.assertEqual(idle.prm_tier_id, self.tier_registered, "the entry tier")
        history = partner.prm_tier_history_ids.filtered(lambda h: h.mode == "automatic")
        self.assertEqual(history.new_tier_id, self.tier_silver)
        self.assertEqual(partner.prm_review_date, self.today + relativedelta(months=6))
        self.assertEqual(idle.prm_review_date, planned, "a planned review is kept")

    def test_non_partner_cannot_be_activated(self):
        customer = self.env["res.partner"].create(
            {"name": "Plain customer", "prm_state": "onboarding"}
        )
        with self.assertRaisesRegex(
            UserError, "Only channel partners can be activated"
        ):
            customer._prm_set_state("active")
