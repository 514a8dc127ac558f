from datetime import datetime

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestOnboardingPipeline(PrmOnboardingCommon):
    def test_entering_onboarding_builds_the_checklist(self):
        other_company = self.env["res.company"].create({"name": "PRM Other Co"})
        self.env["prm.checklist.template"].create(
            {
                "name": "Other company's checklist",
                "company_id": other_company.id,
                "line_ids": [Command.create({"name": "Not ours"})],
            }
        )
        partner = self._create_program_partner("Gamma", state="applicant")
        self.assertFalse(partner.prm_checklist_item_ids)

        partner._prm_set_state("onboarding")

        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_application)
        items = partner.prm_checklist_item_ids
        self.assertEqual(
            items.mapped("name"),
            [
                "Signed agreement",
                "Tax certificate",
                "Sanctions screening",
                "Training attended",
            ],
            "the reseller template only: not the referral one, not another company's",
        )
        self.assertEqual(items.mapped("kind"), ["document"] * 2 + ["criterion"] * 2)
        self.assertEqual(items.mapped("required"), [True, True, True, False])
        self.assertEqual(set(items.mapped("state")), {"open"})
        self.assertEqual(items.template_line_id, self.template.line_ids)
        self.assertEqual(partner.prm_checklist_required_count, 3)
        self.assertEqual(partner.prm_checklist_approved_count, 0)

    def test_partner_created_in_onboarding_gets_its_checklist(self):
        partner = self._create_program_partner(
            "Delta", state="onboarding", prm_partner_type_id=self.type_referral.id
        )
        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_application)
        self.assertEqual(
            partner.prm_checklist_item_ids.mapped("name"), ["Referral agreement"]
        )
        self.assertTrue(partner.prm_onboarding_date)

    def test_items_are_instantiated_once_per_template_line(self):
        partner = self._onboard("Epsilon")
        self.assertEqual(len(partner.prm_checklist_item_ids), 4)
        partner._prm_start_onboarding()
        partner.action_prm_update_checklist()
        # Back to applicant and onboarding again: the checklist is kept as is.
        partner._prm_set_state("applicant")
        partner._prm_set_state("onboarding")
        self.assertEqual(len(partner.prm_checklist_item_ids), 4)

        new_line = self.env["prm.checklist.template.line"].create(
            {"template_id": self.template.id, "name": "Insurance certificate"}
        )
        partner.action_prm_update_checklist()
        self.assertEqual(len(partner.prm_checklist_item_ids), 5)
        self.assertEqual(
            self._items(partner, "Insurance certificate").template_line_id, new_line
        )

    def test_database_refuses_a_duplicate_template_item(self):
        partner = self._onboard("Zeta")
        line = self.template.line_ids[0]
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            self.env["prm.checklist.item"].create(
                {"partner_id": partner.id, "template_line_id": line.id, "name": "Again"}
            )
            self.env.flush_all()

    def test_cannot_activate_with_required_items_not_approved(self):
        partner = self._onboard("Eta")
        with self.assertRaises(UserError) as caught:
            partner._prm_set_state("active")
        message = str(caught.exception)
        for name in ("Signed agreement", "Tax certificate", "Sanctions screening"):
            self.assertIn(name, message)
        self.assertNotIn("Training attended", message, "optional items do not block")
        self.assertIn("Eta", message)
        self.assertEqual(partner.prm_state, "onboarding")

        # Everything required approved, the optional item still open: allowed.
        required = partner.prm_checklist_item_ids.filtered("required")
        for item in required.filtered(lambda i: i.kind == "document"):
            item.attachment_ids = [Command.link(self._attachment(partner).id)]
        self._items(partner, "Sanctions screening").confirmed = True
        required[:2].action_approve()
        with self.assertRaisesRegex(UserError, "Sanctions screening"):
            partner._prm_set_state("active")
        required[2].action_approve()
        partner._prm_set_state("active")
        self.assertEqual(partner.prm_state, "active")
        self.assertEqual(self._items(partner, "Training attended").state, "open")

    def test_gated_stage_refuses_partners_with_items_to_approve(self):
        stage_ready = self.env.ref("prm_partner.onboarding_stage_ready")
        stage_ready.entry_all_required = True
        signed = self.template.line_ids.filtered(
            lambda line: line.name == "Signed agreement"
        )
        self.stage_contracting.entry_line_ids = signed
        partner = self._onboard("Lambda")
        as_manager = partner.with_user(self.user_channel_manager)
        with self.assertRaises(UserError) as caught:
            as_manager.write({"prm_onboarding_stage_id": stage_ready.id})
        message = str(caught.exception)
        self.assertIn("Ready to activate", message)
        self.assertIn("Lambda", message)
        for name in ("Signed agreement", "Tax certificate", "Sanctions screening"):
            self.assertIn(name, message)
        self.assertNotIn("Training attended", message, "optional items do not gate")
        with self.assertRaisesRegex(UserError, "Contracting") as caught:
            as_manager.write({"prm_onboarding_stage_id": self.stage_contracting.id})
        self.assertNotIn("Tax certificate", str(caught.exception))
        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_application)
        # A stage without conditions takes anyone.
        as_manager.write({"prm_onboarding_stage_id": self.stage_compliance.id})

        self._complete_checklist(partner)
        as_manager.write({"prm_onboarding_stage_id": stage_ready.id})
        self.assertEqual(partner.prm_onboarding_stage_id, stage_ready)

    def test_a_submitted_item_still_blocks_activation(self):
        partner = self._onboard("Theta", prm_partner_type_id=self.type_referral.id)
        item = partner.prm_checklist_item_ids
        item.attachment_ids = [Command.link(self._attachment(partner).id)]
        item.with_user(self.user_channel_manager).action_submit()
        with self.assertRaisesRegex(UserError, "Referral agreement"):
            partner._prm_set_state("active")

    def test_stage_history_and_onboarding_time(self):
        with freeze_time("2025-03-01 09:00:00"):
            partner = self._onboard("Iota")
            slow = self._onboard("Kappa")
        with freeze_time("2025-03-04 09:00:00"):
            partner.prm_onboarding_stage_id = self.stage_contracting
            slow.prm_onboarding_stage_id = self.stage_contracting
        with freeze_time("2025-03-11 21:00:00"):
            partner.prm_onboarding_stage_id = self.stage_compliance
        with freeze_time("2025-03-13 22:00:00"):
            self.assertEqual(partner.prm_onboarding_stage_days, 2)
            self.assertEqual(slow.prm_onboarding_stage_days, 9)
        with freeze_time("2025-03-16 09:00:00"):
            self._complete_checklist(partner)
            partner._prm_set_state("active")
        with freeze_time("2025-03-31 09:00:00"):
            self._complete_checklist(slow)
            slow._prm_set_state("active")

        logs = partner.prm_stage_log_ids.sorted("date_in")
        self.assertEqual(
            logs.stage_id,
            self.stage_application | self.stage_contracting | self.stage_compliance,
        )
        self.assertEqual(
            logs.mapped("date_in"),
            [
                datetime(2025, 3, 1, 9),
                datetime(2025, 3, 4, 9),
                datetime(2025, 3, 11, 21),
            ],
        )
        self.assertEqual(logs.mapped("days"), [3.0, 7.5, 4.5])
        self.assertFalse(
            partner.prm_stage_log_ids.filtered(lambda log: not log.date_out),
            "activation closes the stay in the last stage",
        )
        self.assertEqual(partner.prm_onboarding_done_date, datetime(2025, 3, 16, 9))
        self.assertEqual(partner.prm_onboarding_days, 15.0)
        self.assertEqual(slow.prm_onboarding_days, 30.0)

        # The figures of the reports.
        Log = self.env["prm.onboarding.stage.log"]
        days_in_stage = dict(
            Log._read_group(
                [
                    ("partner_id", "in", (partner | slow).ids),
                    ("date_out", "!=", False),
                ],
                ["stage_id"],
                ["days:avg"],
            )
        )
        self.assertEqual(days_in_stage[self.stage_application], 3.0)
        self.assertEqual(days_in_stage[self.stage_contracting], (7.5 + 27.0) / 2)
        [[average]] = self.env["res.partner"]._read_group(
            [("id", "in", (partner | slow).ids)], [], ["prm_onboarding_days:avg"]
        )
        self.assertEqual(average, 22.5)

    def test_leaving_onboarding_closes_the_stay_and_restart_starts_over(self):
        with freeze_time("2025-05-01 08:00:00"):
            partner = self._onboard("Lambda")
            partner.prm_onboarding_stage_id = self.stage_compliance
        with freeze_time("2025-05-03 08:00:00"):
            partner._prm_set_state("applicant")
        self.assertFalse(
            partner.prm_stage_log_ids.filtered(lambda log: not log.date_out)
        )
        with freeze_time("2025-06-01 08:00:00"):
            partner._prm_set_state("onboarding")
        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_application)
        self.assertEqual(partner.prm_onboarding_date, datetime(2025, 6, 1, 8))
        current = partner.prm_stage_log_ids.filtered(lambda log: not log.date_out)
        self.assertEqual(current.stage_id, self.stage_application)
        self.assertEqual(current.date_in, datetime(2025, 6, 1, 8))
        self.assertEqual(len(partner.prm_stage_log_ids), 3)

    def test_pipeline_shows_every_stage(self):
        groups = (
            self.env["res.partner"]
            .with_context(read_group_expand=True)
            .formatted_read_group(
                [("id", "=", self.partner_a.id), ("prm_state", "=", "onboarding")],
                ["prm_onboarding_stage_id"],
                ["__count"],
            )
        )
        stages = self.env["prm.onboarding.stage"].search([])
        self.assertEqual(
            [group["prm_onboarding_stage_id"][0] for group in groups], stages.ids
        )


@tagged("post_install", "-at_install")
class TestOnboardingQueries(PrmOnboardingCommon):
    """Onboarding, the activation gate and the stage history work in batches:
    the number of queries does not grow with the number of partners."""

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _applicants(self, count, prefix):
        return self.env["res.partner"].concat(
            *(
                self._create_program_partner(f"{prefix} {n}", state="applicant")
                for n in range(count)
            )
        )

    def test_batched_onboarding(self):
        warmup = self._applicants(1, "Warm-up")
        small, large = self._applicants(2, "Small"), self._applicants(12, "Large")
        counts = {}
        for label, partners in (("warmup", warmup), ("small", small), ("large", large)):
            counts[label] = (
                self._queries(partners._prm_instantiate_checklist),
                self._queries(partners._prm_sync_stage_log),
                self._queries(
                    lambda p=partners: p.write(
                        {"prm_onboarding_stage_id": self.stage_contracting.id}
                    )
                ),
            )
        self.assertEqual(len(large.prm_checklist_item_ids), 12 * 4)
        self.assertEqual(counts["small"], counts["large"], counts)

    def test_batched_activation_gate(self):
        small, large = self._applicants(2, "Small"), self._applicants(12, "Large")
        (small | large)._prm_instantiate_checklist()

        def gate(partners):
            with self.assertRaisesRegex(UserError, "not approved yet"):
                partners._prm_check_can_activate()

        self.assertEqual(
            self._queries(lambda: gate(small)), self._queries(lambda: gate(large))
        )
