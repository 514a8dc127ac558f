"""Fixtures of the onboarding, representative and agreement tests."""

from odoo import Command

from .common import PrmCommon


class PrmOnboardingCommon(PrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_application = cls.env.ref("prm_partner.onboarding_stage_application")
        cls.stage_contracting = cls.env.ref("prm_partner.onboarding_stage_contracting")
        cls.stage_compliance = cls.env.ref("prm_partner.onboarding_stage_compliance")
        # The checklist of resellers in the test company.
        cls.template = cls.env["prm.checklist.template"].create(
            {
                "name": "T-Reseller checklist",
                "partner_type_ids": [Command.set(cls.type_reseller.ids)],
                "line_ids": [
                    Command.create(
                        {"name": "Signed agreement", "kind": "document", "sequence": 1}
                    ),
                    Command.create(
                        {"name": "Tax certificate", "kind": "document", "sequence": 2}
                    ),
                    Command.create(
                        {
                            "name": "Sanctions screening",
                            "kind": "criterion",
                            "sequence": 3,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Training attended",
                            "kind": "criterion",
                            "required": False,
                            "sequence": 4,
                        }
                    ),
                ],
            }
        )
        cls.template_referral = cls.env["prm.checklist.template"].create(
            {
                "name": "T-Referral checklist",
                "partner_type_ids": [Command.set(cls.type_referral.ids)],
                "line_ids": [
                    Command.create({"name": "Referral agreement", "kind": "document"})
                ],
            }
        )
        cls.agreement_type = cls.env.ref("prm_partner.agreement_type_reseller")
        cls.agreement_type_nda = cls.env.ref("prm_partner.agreement_type_nda")

    @classmethod
    def _attachment(cls, partner, name="document.pdf"):
        return cls.env["ir.attachment"].create(
            {
                "name": name,
                "raw": b"%PDF-1.4 test",
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )

    @classmethod
    def _onboard(cls, name, **vals):
        """A reseller applicant put into onboarding."""
        partner = cls._create_program_partner(name, state="applicant", **vals)
        partner._prm_start_onboarding()
        return partner

    @classmethod
    def _items(cls, partner, name=None):
        items = partner.prm_checklist_item_ids
        return items.filtered(lambda i: i.name == name) if name else items

    @classmethod
    def _complete_checklist(cls, partner):
        """Give every item its evidence and approve it (as administrator)."""
        for item in partner.prm_checklist_item_ids:
            if item.kind == "document":
                item.attachment_ids = [Command.link(cls._attachment(partner).id)]
            else:
                item.confirmed = True
        partner.prm_checklist_item_ids.action_approve()
