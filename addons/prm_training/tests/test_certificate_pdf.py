import shutil

import odoo
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.prm_incentive.tests.test_statement_pdf import pdf_text

from .common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestCertificatePdf(PrmTrainingCommon, HttpCase):
    """The certificate rendered by the real wkhtmltopdf, read back with
    pdftotext (an HttpCase: wkhtmltopdf loads the stylesheets from the
    server)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for tool in ("wkhtmltopdf", "pdftotext"):
            if not shutil.which(tool):
                raise AssertionError(f"{tool} is missing: run make test")
        cls.contact_b.prm_role_ids = [Command.set(cls.role_sales.ids)]
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_training_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )

    def setUp(self):
        super().setUp()
        self._take_exam(self.contact_a)
        self.cert_a = self._certificate(self.contact_a)
        self.assertTrue(self.cert_a.number)

    def _assert_certificate_text(self, text):
        self.assertIn(self.contact_a.name, text)
        self.assertIn("T-Safe storage", text)
        self.assertIn(self.cert_a.number, text)

    def test_certificate_pdf_text(self):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "prm_training.action_report_prm_certificate", self.cert_a.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self._assert_certificate_text(pdf_text(pdf))

    def _authenticate_rendering(self, login):
        """Under tests Odoo answers HTML for PDFs unless the rendering is
        forced: the session's context forces it, as in production."""
        self.authenticate(login, login)
        self.session.context["force_report_rendering"] = True
        odoo.http.root.session_store.save(self.session)

    def test_portal_owner_downloads_other_partner_gets_404(self):
        url = f"/my/training/certificate/{self.cert_a.id}?download=1"
        self._authenticate_rendering(self.user_portal_a.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self._assert_certificate_text(pdf_text(response.content))
        self._authenticate_rendering(self.user_portal_b.login)
        with mute_logger("odoo.http"):
            response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(response.content.startswith(b"%PDF"))
