from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationAcceptOutcome(PrmApplicationCommon):
    """Accepting a probable duplicate says so, and can link the existing
    partner instead of creating a second one."""

    def setUp(self):
        super().setUp()
        self.mosel = self._company_partner("Mosel Systemhaus GmbH")
        self.env["res.partner"].create(
            {
                "name": "Jürgen",
                "parent_id": self.mosel.id,
                "email": "j@mosel.example.com",
            }
        )
        self.app = self._intake(
            self._row("Mosel Digital AG", email="new@mosel.example.com", country="DE")
        )
        self.assertEqual(self.app.duplicate_status, "probable")

    def _wizard(self, app=None, **context):
        action = (
            (app or self.app)
            .with_context(**context)
            .with_user(self.user_prm_admin)
            .action_accept()
        )
        self.assertEqual(action["res_model"], "prm.application.accept.wizard")
        return Form(
            self.env[action["res_model"]]
            .with_user(self.user_prm_admin)
            .with_context(**action["context"])
        )

    def test_accept_says_probable_duplicate_and_links(self):
        companies = self.env["res.partner"].search_count([("is_company", "=", True)])
        form = self._wizard()
        self.assertEqual(self.app.state, "new", "nothing accepted yet")
        self.assertEqual(form.duplicate_status, "probable")
        self.assertIn("Mosel Systemhaus GmbH", form.duplicate_note)
        self.assertEqual(form.partner_id, self.mosel, "the candidate is proposed")
        form.outcome = "link"
        form.save().action_accept()
        self.assertEqual(self.app.state, "accepted")
        self.assertEqual(self.app.partner_id, self.mosel)
        self.assertEqual(self.mosel.prm_state, "onboarding")
        self.assertEqual(
            self.env["res.partner"].search_count([("is_company", "=", True)]),
            companies,
            "no second company",
        )
        self.assertIn(
            "Linked to the existing partner",
            self.app.message_ids[:3].mapped("body")[-1]
            + "".join(self.app.message_ids.mapped("body")),
        )

    def test_accept_as_new_partner(self):
        form = self._wizard()
        form.outcome = "create"
        form.save().action_accept()
        self.assertEqual(self.app.state, "accepted")
        self.assertNotEqual(self.app.partner_id, self.mosel)
        self.assertEqual(self.app.partner_id.name, "Mosel Digital AG")

    def test_link_to_existing_partner_without_duplicate(self):
        other = self._company_partner("Rhein Partner AG")
        app = self._intake(self._row("Totally New Name", email="x@fresh.example"))
        self.assertEqual(app.duplicate_status, "none")
        action = app.with_context(prm_accept_outcome="link").action_open_accept_wizard()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.outcome, "link")
        with self.assertRaisesRegex(UserError, "Choose the existing partner"):
            self.env["prm.application.accept.wizard"].create(
                {"application_id": app.id, "outcome": "link", "partner_id": False}
            ).action_accept()
        form.partner_id = other
        form.save().action_accept()
        self.assertEqual(app.partner_id, other)
        self.assertEqual(app.state, "accepted")

    def test_batch_accept_refuses_probable_duplicates(self):
        plain = self._intake(self._row("Plain Company", email="p@plain.example"))
        with self.assertRaisesRegex(UserError, "probable duplicates.*Mosel Digital AG"):
            (self.app | plain).action_accept()
        self.assertEqual((self.app | plain).mapped("state"), ["new", "new"])
        with self.assertRaisesRegex(UserError, "no company"):
            self.app._prm_accept_as(
                self.env["res.partner"].create({"name": "Lone Person"})
            )
        self.assertEqual(self.app.state, "new")
