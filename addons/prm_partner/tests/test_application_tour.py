from odoo.tests import tagged

from .common import PrmTourCase


@tagged("post_install", "-at_install")
class TestApplicationTour(PrmTourCase):
    """The review flow in the browser: pipeline, duplicates tab, reject
    wizard, reopen."""

    def test_review_tour(self):
        admin = self.env.ref("base.user_admin")
        company = admin.company_id
        self.env["res.partner"].create(
            {
                "name": "Tour Existing Partner",
                "is_company": True,
                "email": "info@tour-applicant.example.com",
            }
        )
        app = (
            self.env["prm.application"]
            .with_company(company)
            ._prm_intake(
                {
                    "name": "Tour Applicant SL",
                    "contact_name": "Tina Tour",
                    "email": "tina@tour-applicant.example.com",
                    "country": "ES",
                    "user_id": admin.id,
                },
                source="web",
            )
        )
        self.assertEqual(app.duplicate_status, "probable")
        self.start_tour(
            "/odoo/action-prm_partner.action_prm_application",
            "prm_application_review_tour",
            login="admin",
        )
        self.assertEqual(app.state, "review")
        self.assertFalse(app.reject_reason_id)
        self.assertTrue(
            app.message_ids.filtered(
                lambda m: "Rejection email queued" in (m.body or "")
            )
        )

    def test_accept_link_tour(self):
        admin = self.env.ref("base.user_admin")
        known = self.env["res.partner"].create(
            {
                "name": "Tour Known Partner",
                "is_company": True,
                "email": "info@tour-linked.example.com",
            }
        )
        app = (
            self.env["prm.application"]
            .with_company(admin.company_id)
            ._prm_intake(
                {
                    "name": "Tour Linked Applicant SL",
                    "contact_name": "Lina Link",
                    "email": "lina@tour-linked.example.com",
                    "country": "ES",
                    "user_id": admin.id,
                },
                source="web",
            )
        )
        self.assertEqual(app.duplicate_status, "probable")
        self.start_tour(
            "/odoo/action-prm_partner.action_prm_application",
            "prm_application_accept_link_tour",
            login="admin",
        )
        self.assertEqual(app.state, "accepted")
        self.assertEqual(app.partner_id, known)
        self.assertEqual(known.prm_state, "onboarding")
