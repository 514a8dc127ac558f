import re
import shutil
import subprocess

from freezegun import freeze_time

import odoo
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrmIncentiveCommon


def pdf_text(pdf):
    """The text of ``pdf`` as poppler's pdftotext reads it, in layout order."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    # Amounts keep a no-break space between symbol and figure.
    return result.stdout.decode().replace("\N{NO-BREAK SPACE}", " ")


@tagged("post_install", "-at_install")
class TestStatementPdf(PrmIncentiveCommon, HttpCase):
    """The statement rendered by the real wkhtmltopdf, read back with pdftotext:
    what a partner receives. Served over HTTP (an HttpCase) because wkhtmltopdf
    loads the report's stylesheets from the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for tool in ("wkhtmltopdf", "pdftotext"):
            if not shutil.which(tool):
                # make test installs both (scripts/lib.sh ensure_pdf_tools).
                raise AssertionError(f"{tool} is missing: run make test")
        cls.program = cls._create_program(name="Reseller commission")
        cls.invoice_1 = cls._sell(12500, date="2025-04-10")
        cls.invoice_2 = cls._sell(1234.56, date="2025-05-20")
        with freeze_time("2025-07-15"):
            cls.settlement = cls.env["prm.settlement"]._close_period(
                cls.program, cls.program.date_start.replace(month=6, day=30)
            )
            cls.settlement.action_approve()
            cls.settlement.action_post()
        cls.contact_b.email = "boris@beta.test"
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        # The Incentives pages are their finance contacts'.
        finance = cls.env.ref("prm_partner.role_finance")
        (cls.contact_a | cls.contact_b).sudo().prm_role_ids = [Command.set(finance.ids)]

    def _render_pdf(self, settlement):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "prm_incentive.action_report_prm_settlement", settlement.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    def _row(self, text, marker):
        """The text line of the statement holding ``marker``."""
        rows = [row for row in text.splitlines() if marker in row]
        self.assertEqual(len(rows), 1, f"one row names {marker}:\n{text}")
        return rows[0]

    def test_statement_pdf_text(self):
        text = self._render_pdf(self.settlement)
        self.assertIn("Alpha Resellers", text)
        self.assertIn(self.settlement.name, text)
        self.assertIn("04/01/2025 - 06/30/2025", text)
        for invoice, base, amount in (
            (self.invoice_1, "$ 12,500.00", "$ 625.00"),
            (self.invoice_2, "$ 1,234.56", "$ 61.73"),
        ):
            row = self._row(text, invoice.name)
            self.assertRegex(row, rf"{re.escape(base)}\s+5 ?%\s+{re.escape(amount)}")
        self.assertRegex(self._row(text, "Total"), r"Total\s+\$ 686\.73")

    def _authenticate_rendering(self, login):
        """Log in as ``login`` on the test server. Under tests Odoo answers
        HTML for PDFs unless the rendering is forced: the session's context (which
        no request can change) forces it, so the route renders as in
        production."""
        self.authenticate(login, login)
        self.session.context["force_report_rendering"] = True
        odoo.http.root.session_store.save(self.session)

    def test_portal_route_serves_the_pdf_to_its_owner_only(self):
        self._authenticate_rendering(self.user_portal_a.login)
        url = f"/my/incentives/statement/{self.settlement.id}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn(self.settlement.name, pdf_text(response.content))
        self._authenticate_rendering(self.user_portal_b.login)
        with mute_logger("odoo.http"):
            response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(response.content.startswith(b"%PDF"))
