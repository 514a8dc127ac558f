from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import PrmDealCommon


@tagged("post_install", "-at_install")
class TestDealConflicts(PrmDealCommon):
    def test_portal_registration_is_submitted(self):
        lead = self._register(
            self.user_portal_a,
            name="Zeta ERP roll-out",
            email_from="buyer@zeta-industries.example.com",
            prm_customer_vat="B12345674",
            expected_revenue="25000",
        )
        self.assertEqual(lead.prm_registration_state, "submitted")
        self.assertEqual(lead.prm_partner_id, self.partner_a)
        self.assertEqual(lead.prm_registration_contact_id, self.contact_a)
        self.assertEqual(lead.user_id, self.user_channel_manager)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.expected_revenue, 25000.0)
        self.assertTrue(lead.prm_registration_date)
        self.assertEqual(lead.prm_vat_key, "ESB12345674")
        self.assertEqual(lead.prm_name_key, "zeta industries")
        self.assertFalse(lead.prm_conflict_ids)
        # The registering contact follows the deal to hear about the decision.
        self.assertIn(self.contact_a, lead.message_partner_ids)

    def test_conflict_with_earlier_registration(self):
        first = self._register(self.user_portal_b, partner_name="Zeta Industries")
        second = self._register(
            self.user_portal_a, partner_name="ZETA INDUSTRIES, S.L."
        )
        self.assertEqual(second.prm_registration_state, "conflict")
        conflict = second.prm_conflict_ids
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.kind, "registration")
        self.assertEqual(conflict.conflict_lead_id, first)
        self.assertEqual(conflict.owner_partner_id, self.partner_b)
        self.assertEqual(conflict.reason_codes, "name")
        self.assertEqual(conflict.reasons, "Same company name")
        # First come, first served: the earlier registration is not in conflict.
        self.assertEqual(first.prm_registration_state, "submitted")
        first.action_prm_check_conflicts()
        self.assertEqual(first.prm_registration_state, "submitted")

    def test_conflict_with_direct_sales_lead(self):
        direct = self._direct_lead(
            partner_name="Other name", email_from="cto@zeta-industries.example.com"
        )
        lead = self._register(
            self.user_portal_a, email_from="buyer@zeta-industries.example.com"
        )
        self.assertEqual(lead.prm_registration_state, "conflict")
        conflict = lead.prm_conflict_ids
        self.assertEqual(conflict.kind, "direct_lead")
        self.assertEqual(conflict.conflict_lead_id, direct)
        self.assertEqual(conflict.owner_user_id, self.user_salesman)
        self.assertEqual(conflict.reason_codes, "email_domain")

    def test_closed_direct_lead_and_free_mail_do_not_conflict(self):
        won = self._direct_lead(partner_name="Zeta Industries")
        won.action_set_won()
        self._direct_lead(partner_name="Someone else", email_from="ana@gmail.com")
        lead = self._register(self.user_portal_a, email_from="zeta.buyer@gmail.com")
        self.assertEqual(lead.prm_registration_state, "submitted")
        self.assertFalse(lead.prm_conflict_ids)

    def test_conflict_with_customer_owned_by_another_partner(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Zeta Holding",
                "is_company": True,
                "vat": "ESB12345674",
                "country_id": self.spain.id,
                "prm_owner_partner_id": self.partner_b.id,
            }
        )
        lead = self._register(
            self.user_portal_a, partner_name="Zeta Group", prm_customer_vat="B12345674"
        )
        self.assertEqual(lead.prm_registration_state, "conflict")
        conflict = lead.prm_conflict_ids
        self.assertEqual(conflict.kind, "customer")
        self.assertEqual(conflict.conflict_partner_id, customer)
        self.assertEqual(conflict.owner_partner_id, self.partner_b)
        self.assertEqual(conflict.reason_codes, "vat")
        # The owner itself registers its own customer freely.
        own = self._register(
            self.user_portal_b, partner_name="Zeta Group", prm_customer_vat="B12345674"
        )
        self.assertFalse(
            own.prm_conflict_ids.filtered(lambda c: c.kind == "customer"),
        )

    def test_conflict_detection_is_batched(self):
        leads = self.Lead.create(
            [
                {
                    "name": f"Deal {i}",
                    "partner_name": f"Customer {i}",
                    "email_from": f"x@customer{i}.example.com",
                    "prm_partner_id": self.partner_a.id,
                }
                for i in range(30)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        leads[:3]._prm_submit_registration()
        self.env.flush_all()
        small = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        leads[3:]._prm_submit_registration()
        self.env.flush_all()
        large = self.env.cr.sql_log_count - before
        self.assertLessEqual(large, small + 2, "conflict detection runs per lead")


@tagged("post_install", "-at_install")
class TestDealDecisions(PrmDealCommon):
    def test_conflict_cannot_be_approved_without_resolution(self):
        self._register(self.user_portal_b)
        lead = self._register(self.user_portal_a)
        self.assertEqual(lead.prm_registration_state, "conflict")
        with self.assertRaisesRegex(UserError, "resolve the conflict first"):
            self._approve(lead)
        with self.assertRaisesRegex(UserError, "resolve the conflict first"):
            self._approve(lead, force=True, reason="  ")
        self.assertEqual(lead.prm_registration_state, "conflict")
        self.assertFalse(lead.prm_approver_id)
        # Approving anyway, saying why, through the wizard.
        wizard = (
            self.env["prm.registration.decision.wizard"]
            .with_user(self.user_channel_manager)
            .create(
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "decision": "approve",
                    "reason": "Partner A brought the customer to our event",
                }
            )
        )
        self.assertTrue(wizard.has_conflict)
        self.assertTrue(wizard.reason_required)
        wizard.action_apply()
        self.assertEqual(lead.prm_registration_state, "approved")
        self.assertEqual(lead.prm_approver_id, self.user_channel_manager)
        self.assertEqual(
            lead.prm_decision_reason, "Partner A brought the customer to our event"
        )

    def test_conflict_clears_when_the_other_registration_is_rejected(self):
        other = self._register(self.user_portal_b)
        lead = self._register(self.user_portal_a)
        self.assertEqual(lead.prm_registration_state, "conflict")
        other.with_user(self.user_other_manager).action_prm_reject_registration(
            "Duplicate of an existing deal"
        )
        self.assertEqual(other.prm_registration_state, "rejected")
        self.assertFalse(other.active, "a rejected registration is closed as lost")
        self._approve(lead)
        self.assertEqual(lead.prm_registration_state, "approved")
        self.assertFalse(lead.prm_conflict_ids)

    def test_approval_sets_protection_and_notifies_partner(self):
        lead = self._register(self.user_portal_a)
        with freeze_time("2025-03-01 10:00:00"):
            self._approve(lead, reason="Welcome deal")
        self.assertEqual(lead.prm_registration_state, "approved")
        # 30 days at the Registered tier (fixture).
        self.assertEqual(lead.prm_protection_end, date(2025, 3, 31))
        message = lead.message_ids.filtered(lambda m: "approved" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertIn(self.contact_a, message.partner_ids)
        self.assertIn("Welcome deal", message.body)

    def test_default_protection_without_tier(self):
        self.partner_a.sudo().prm_tier_id = False
        self.env["ir.config_parameter"].set_param("prm_crm.registration_days", "45")
        lead = self._register(self.user_portal_a)
        with freeze_time("2025-03-01"):
            self._approve(lead)
        self.assertEqual(lead.prm_protection_end, date(2025, 4, 15))

    def test_only_the_partners_channel_manager_or_an_admin_decides(self):
        lead = self._register(self.user_portal_a)
        with self.assertRaisesRegex(AccessError, "not the channel manager of Alpha"):
            self._approve(lead, user=self.user_other_manager)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_other_manager).action_prm_reject_registration("No")
        with self.assertRaisesRegex(AccessError, "Only channel managers"):
            self._approve(lead, user=self.user_salesman)
        self.assertEqual(lead.prm_registration_state, "submitted")
        self._approve(lead, user=self.user_prm_admin)
        self.assertEqual(lead.prm_registration_state, "approved")
        self.assertEqual(lead.prm_approver_id, self.user_prm_admin)

    def test_rejection_needs_a_reason_and_notifies(self):
        lead = self._register(self.user_portal_a)
        with self.assertRaisesRegex(UserError, "Say why"):
            lead.with_user(self.user_channel_manager).action_prm_reject_registration("")
        self.assertEqual(lead.prm_registration_state, "submitted")
        self.assertTrue(lead.active)
        wizard = (
            self.env["prm.registration.decision.wizard"]
            .with_user(self.user_channel_manager)
            .create(
                {
                    "lead_ids": [Command.set(lead.ids)],
                    "decision": "reject",
                    "reason": "Customer already buys direct",
                }
            )
        )
        wizard.action_apply()
        self.assertEqual(lead.prm_registration_state, "rejected")
        self.assertEqual(lead.won_status, "lost")
        message = lead.message_ids.filtered(lambda m: "rejected" in (m.subject or ""))
        self.assertIn("Customer already buys direct", message.body)
        self.assertIn(self.contact_a, message.partner_ids)
        with self.assertRaisesRegex(UserError, "Only submitted registrations"):
            self._approve(lead)

    def test_backend_registration_on_behalf_of_partner(self):
        lead = self.Lead.with_user(self.user_channel_manager).create(
            {
                "name": "Phone-in deal",
                "partner_name": "Kappa Foods",
                "prm_partner_id": self.partner_a.id,
            }
        )
        lead.action_prm_submit_registration()
        self.assertEqual(lead.prm_registration_state, "submitted")
        with self.assertRaisesRegex(UserError, "already registered"):
            lead.action_prm_submit_registration()
        no_partner = self.Lead.create({"name": "No partner", "partner_name": "X"})
        with self.assertRaisesRegex(UserError, "Set the channel partner"):
            no_partner.action_prm_submit_registration()
        self.assertFalse(no_partner.prm_registration_state)


@tagged("post_install", "-at_install")
class TestDealLifecycle(PrmDealCommon):
    def test_protection_expires_and_releases_the_customer(self):
        with freeze_time("2025-01-10"):
            lead = self._register(self.user_portal_a)
            self._approve(lead)
        self.assertEqual(lead.prm_protection_end, date(2025, 2, 9))
        with freeze_time("2025-02-09"):
            self.Lead._cron_prm_expire_registrations()
        self.assertEqual(lead.prm_registration_state, "approved")
        with freeze_time("2025-02-10"):
            self.Lead._cron_prm_expire_registrations()
        self.assertEqual(lead.prm_registration_state, "expired")
        # Released: no channel partner any more, a note says who held it.
        self.assertFalse(lead.prm_partner_id)
        self.assertIn("Alpha Resellers", lead.message_ids[0].body)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("subject", "ilike", "Deal protection ended"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.contact_a, mail.recipient_ids)
        # The customer is free: B's registration meets the released lead as a
        # direct sales lead, not as A's registration.
        later = self._register(self.user_portal_b)
        self.assertEqual(later.prm_conflict_ids.mapped("kind"), ["direct_lead"])

    def test_won_registration_makes_the_partner_the_source(self):
        lead, customer = self._won_registration()
        self.assertEqual(lead.prm_registration_state, "won")
        self.assertEqual(lead.prm_partner_id, self.partner_a)
        self.assertEqual(customer.prm_owner_partner_id, self.partner_a)
        # Now A's customer: B's registration of it is a conflict.
        other = self._register(self.user_portal_b)
        self.assertEqual(other.prm_registration_state, "conflict")
        self.assertEqual(
            other.prm_conflict_ids.filtered(
                lambda c: c.kind == "customer"
            ).owner_partner_id,
            self.partner_a,
        )

    def test_lost_registration_releases_the_customer(self):
        lead = self._register(self.user_portal_a)
        self._approve(lead)
        lead.action_set_lost()
        self.assertEqual(lead.prm_registration_state, "lost")
        self.assertEqual(lead.prm_partner_id, self.partner_a, "history is kept")
        other = self._register(self.user_portal_b)
        self.assertEqual(other.prm_registration_state, "submitted")
        lead.action_unarchive()
        lead.probability = 20
        self.assertEqual(lead.prm_registration_state, "approved")

    def test_submitted_registration_is_not_marked_won(self):
        lead = self._register(self.user_portal_a)
        lead.action_set_won()
        self.assertEqual(lead.prm_registration_state, "submitted")


@tagged("post_install", "-at_install")
class TestDealEditRestrictions(PrmDealCommon):
    def test_portal_edits_before_and_after_approval(self):
        lead = self._register(self.user_portal_a, partner_name="Iota Labs")
        portal_lead = lead.with_user(self.user_portal_a)
        portal_lead._prm_portal_update_registration(
            {"partner_name": "Zeta Industries", "expected_revenue": 900}
        )
        self.assertEqual(lead.partner_name, "Zeta Industries")
        self.assertEqual(lead.expected_revenue, 900.0)
        self._approve(lead)
        portal_lead._prm_portal_update_registration(
            {"description": "<p>Kick-off in May</p>", "date_deadline": "2025-06-30"}
        )
        self.assertIn("Kick-off in May", lead.description)
        self.assertEqual(lead.date_deadline, date(2025, 6, 30))
        with self.assertRaisesRegex(UserError, "cannot be set"):
            portal_lead._prm_portal_update_registration(
                {"expected_revenue": 1, "description": "<p>Changed</p>"}
            )
        self.assertEqual(lead.expected_revenue, 900.0)
        self.assertIn("Kick-off in May", lead.description)

    def test_identity_change_checks_conflicts_again(self):
        self._register(self.user_portal_b, partner_name="Zeta Industries")
        lead = self._register(self.user_portal_a, partner_name="Iota Labs")
        self.assertEqual(lead.prm_registration_state, "submitted")
        lead.with_user(self.user_portal_a)._prm_portal_update_registration(
            {"partner_name": "Zeta Industries SL"}
        )
        self.assertEqual(lead.prm_registration_state, "conflict")

    def test_partner_internal_user_is_held_to_the_whitelist(self):
        # A partner's employee with a backend account (share=False).
        staff = self.env["res.partner"].create(
            {"name": "Alan Alpha", "parent_id": self.partner_a.id}
        )
        user = new_test_user(
            self.env,
            login="alpha_staff",
            groups="sales_team.group_sale_salesman_all_leads",
            partner_id=staff.id,
        )
        self.assertFalse(user.share)
        lead = self._register(self.user_portal_a)
        lead.with_user(user).write({"expected_revenue": 10.0})
        self._approve(lead)
        lead.with_user(user).write({"date_deadline": "2025-09-01"})
        with self.assertRaisesRegex(AccessError, "you can only change"):
            lead.with_user(user).write({"expected_revenue": 99.0, "name": "Mine"})
        self.assertEqual(lead.expected_revenue, 10.0)
        # Vendor staff is not restricted.
        lead.with_user(self.user_channel_manager).write({"expected_revenue": 99.0})
        self.assertEqual(lead.expected_revenue, 99.0)

    def test_portal_cannot_update_another_partners_registration(self):
        lead = self._register(self.user_portal_b)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_portal_a)._prm_portal_update_registration(
                {"description": "<p>Hijack</p>"}
            )
        self.assertFalse(lead.description)


@tagged("post_install", "-at_install")
class TestDealBadInput(PrmDealCommon):
    def _count(self):
        return self.Lead.with_context(active_test=False).search_count(
            [("prm_partner_id", "=", self.partner_a.id)]
        )

    def test_bad_registration_input_writes_nothing(self):
        before = self._count()
        cases = [
            ({"partner_name": "  "}, "company name is required"),
            ({"partner_name": False, "email_from": "a@b.example.com"}, "company name"),
            ({"email_from": "not-an-email"}, "not a valid email address"),
            ({"email_from": "ana@zeta"}, "not a valid email address"),
            ({"country_id": 999999}, "Unknown country"),
            ({"country_id": "XX"}, "Unknown country"),
            (
                {"state_id": self.env.ref("base.state_us_5").id},
                "Unknown state",
            ),
            ({"prm_customer_vat": "ESB12345670"}, "not a valid VAT number for Spain"),
            ({"expected_revenue": -5}, "must be a number from 0"),
            ({"expected_revenue": "nan"}, "must be a number from 0"),
            ({"expected_revenue": 1e20}, "must be a number from 0"),
            ({"description": "a" * 100001}, "is too long"),
            ({"partner_name": "Zeta\x00 Industries"}, "NUL character"),
            ({"date_deadline": "31/31/2025"}, "not a valid expected closing date"),
            ({"user_id": self.user_prm_admin.id}, "cannot be set on a deal"),
            ({"prm_registration_state": "approved"}, "cannot be set on a deal"),
        ]
        for vals, message in cases:
            # Invalid values are ValidationErrors, fields the partner may not set
            # a forbidden action (UserError).
            error = UserError if "cannot be set" in message else ValidationError
            with self.subTest(vals=vals), self.assertRaisesRegex(error, message):
                self._register(self.user_portal_a, **vals)
        self.assertEqual(self._count(), before)

    def test_countries_and_states_as_people_write_them(self):
        """The registration form takes a country and a state by id, code or
        name, as application imports do (one lookup for both)."""
        usa = self.env.ref("base.us")
        california = self.env.ref("base.state_us_5")
        for country, state in (
            (usa.id, california.id),
            ("US", "CA"),
            ("us", "California"),
            ("United States", str(california.id)),
        ):
            with self.subTest(country=country, state=state):
                lead = self._register(
                    self.user_portal_a,
                    partner_name=f"Zeta {country} {state}",
                    country_id=country,
                    state_id=state,
                )
                self.assertEqual((lead.country_id, lead.state_id), (usa, california))
        with self.assertRaisesRegex(ValidationError, "Unknown state “Bavaria” in"):
            self._register(self.user_portal_a, country_id="US", state_id="Bavaria")

    def test_only_active_partners_register(self):
        self.partner_a.sudo().prm_state = "suspended"
        with self.assertRaisesRegex(AccessError, "Only active channel partners"):
            self._register(self.user_portal_a)
        self.assertEqual(self._count(), 0)

    def test_negative_capacity_and_protection_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.partner_a.prm_routing_capacity = -1
        self.env.invalidate_all(flush=False)
        self.assertEqual(self.partner_a.prm_routing_capacity, 0)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.tier_silver.routing_capacity = -3
        with self.assertRaisesRegex(ValidationError, "positive number of days"):
            self.tier_silver.registration_days = 0
        self.env.invalidate_all(flush=False)
        self.assertEqual(self.tier_silver.registration_days, 60)
