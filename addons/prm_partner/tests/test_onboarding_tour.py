from odoo import Command
from odoo.tests import tagged

from .common import PrmTourCase


@tagged("post_install", "-at_install")
class TestOnboardingTour(PrmTourCase):
    """An administrator approves a checklist item from the onboarding pipeline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        partner = cls.env["res.partner"].create(
            {
                "name": "Tour Onboarding Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": cls.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "prm_state": "onboarding",
                "prm_manager_id": admin.id,
            }
        )
        attachment = cls.env["ir.attachment"].create(
            {
                "name": "tax-certificate.pdf",
                "raw": b"%PDF-1.4 tour",
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )
        cls.item = cls.env["prm.checklist.item"].create(
            {
                "partner_id": partner.id,
                "name": "Tour tax certificate",
                "kind": "document",
                "attachment_ids": [Command.link(attachment.id)],
            }
        )
        cls.item.action_submit()

    def test_approve_checklist_item_from_pipeline(self):
        self.start_tour("/odoo", "prm_onboarding_approve_item", login="admin")
        self.assertEqual(self.item.state, "approved")
        self.assertEqual(self.item.reviewer_id, self.env.ref("base.user_admin"))


@tagged("post_install", "-at_install")
class TestOnboardingGateTour(PrmTourCase):
    """A gated stage refuses a drag in the pipeline until the items it needs
    are approved."""

    def test_drag_to_gated_stage(self):
        self.stage_ready = self.env.ref("prm_partner.onboarding_stage_ready")
        self.stage_ready.entry_all_required = True
        partner = self.env["res.partner"].create(
            {
                "name": "Tour Gate Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": self.env.ref(
                    "prm_partner.partner_type_referral"
                ).id,
                "prm_state": "onboarding",
                "prm_manager_id": self.env.ref("base.user_admin").id,
            }
        )
        # Only our item gates the move: the demo template's items are optional.
        partner.prm_checklist_item_ids.write({"required": False})
        attachment = self.env["ir.attachment"].create(
            {
                "name": "certificate.pdf",
                "raw": b"%PDF-1.4 tour",
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )
        item = self.env["prm.checklist.item"].create(
            {
                "partner_id": partner.id,
                "name": "Tour gate certificate",
                "kind": "document",
                "attachment_ids": [Command.link(attachment.id)],
            }
        )
        item.action_submit()
        self.start_tour(
            "/odoo/action-prm_partner.action_prm_onboarding_pipeline",
            "prm_onboarding_stage_gate",
            login="admin",
        )
        self.assertEqual(item.state, "approved")
        self.assertEqual(partner.prm_onboarding_stage_id, self.stage_ready)
