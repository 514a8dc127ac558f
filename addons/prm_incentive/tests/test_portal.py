import csv
import datetime
import io
import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrmSelloutCommon
from .test_security import PrmIncentiveSecurityCommon

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)


class PrmIncentivePortalCommon(PrmIncentiveSecurityCommon, PrmSelloutCommon):
    """Two program partners whose portal users hold the *Finance* role, each
    with a posted settlement (``PrmIncentiveSecurityCommon``), and the sell-out
    products of ``PrmSelloutCommon``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        finance = cls.env.ref("prm_partner.role_finance")
        (cls.contact_a | cls.contact_b).sudo().prm_role_ids = [Command.set(finance.ids)]
        cls.contact_sales = cls.env["res.partner"].create(
            {
                "name": "Sam Sales",
                "parent_id": cls.partner_a.id,
                "email": "sam@alpha.test",
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_sales").ids)
                ],
            }
        )
        cls.user_portal_sales = new_test_user(
            cls.env,
            login="prm_portal_sales",
            groups="base.group_portal",
            partner_id=cls.contact_sales.id,
        )
        cls.batch_b = cls._upload_as_admin(cls.partner_b)

    @classmethod
    def _upload_as_admin(cls, partner):
        content = cls._csv([["2025-02-03", "SRV-100", "2", "2000", "", "DE", ""]])
        return (
            cls.env["prm.sellout.batch"]
            .sudo()
            ._prm_portal_upload(
                partner,
                datetime.date(2025, 2, 1),
                datetime.date(2025, 2, 28),
                "b.csv",
                content,
            )
        )

    def _post(self, url, data=None, files=None, with_token=True):
        data = dict(data or {})
        if with_token is True:
            data["csrf_token"] = self._csrf_token()
        elif with_token:
            data["csrf_token"] = with_token
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _csrf_token(self):
        """The token of the upload form, as the browser posts it."""
        page = self.url_open("/my/incentives/sellout").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def _upload_file(self, content, file_name="sellout.csv", month="2025-02", **data):
        return self._post(
            "/my/incentives/sellout/upload",
            data={"month": month, **data},
            files={"file": (file_name, content, "text/csv")},
        )

    def _batches(self, partner=None):
        return self.env["prm.sellout.batch"].search(
            [("partner_id", "=", (partner or self.partner_a).id)]
        )


@tagged("post_install", "-at_install")
class TestIncentivePortalPages(PrmIncentivePortalCommon, HttpCase):
    PAGES = (
        "/my/incentives",
        "/my/incentives/settlements",
        "/my/incentives/points",
        "/my/incentives/sellout",
    )

    def test_owner_sees_its_pages(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        for url in self.PAGES:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
        response = self.url_open("/my/incentives/settlements")
        self.assertIn(self.settlement_a.name, response.text)
        self.assertNotIn(self.settlement_b.name, response.text)
        response = self.url_open(f"/my/incentives/settlements/{self.settlement_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.settlement_a.name, response.text)
        self.assertIn("Rule 1", response.text)
        self.assertIn(f"/my/incentives/statement/{self.settlement_a.id}", response.text)

    def test_another_partners_records_answer_404(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        with mute_logger("odoo.http"):
            for url in (
                f"/my/incentives/settlements/{self.settlement_b.id}",
                f"/my/incentives/statement/{self.settlement_b.id}?report_type=html",
                f"/my/incentives/sellout/{self.batch_b.id}",
                f"/my/incentives/sellout/{self.batch_b.id}/errors",
                "/my/incentives/settlements/999999999",
            ):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404, url)
                self.assertNotIn(self.settlement_b.name, response.text)

    def test_public_visitor_is_sent_to_login(self):
        for url in (
            *self.PAGES,
            f"/my/incentives/settlements/{self.settlement_a.id}",
            f"/my/incentives/statement/{self.settlement_a.id}",
            f"/my/incentives/sellout/{self.batch_b.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"], url)

    def test_role_without_finance_gets_404(self):
        self.authenticate("prm_portal_sales", "prm_portal_sales")
        with mute_logger("odoo.http"):
            for url in (
                *self.PAGES,
                f"/my/incentives/settlements/{self.settlement_a.id}",
            ):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 404, url)
        self.assertFalse(self.contact_sales._prm_portal_allows("incentives"))
        self.assertTrue(self.contact_a._prm_portal_allows("incentives"))

    def test_home_counter_and_program_card(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["prm_incentive_count"]}
        )
        self.assertEqual(response["prm_incentive_count"], 1)
        cards = self.contact_a.with_user(self.user_portal_a)._prm_portal_cards()
        card = next(card for card in cards if card["key"] == "incentives")
        self.assertEqual(card["url"], "/my/incentives")
        self.assertEqual(card["count"], 1, "one posted settlement, not paid yet")
        self.assertFalse(
            [
                card
                for card in self.contact_sales._prm_portal_cards()
                if card["key"] == "incentives"
            ]
        )

    def test_settlement_list_queries_do_not_grow(self):
        """The list page reads the same for 5 and for 80 settlements."""
        Settlement = self.env["prm.settlement"].sudo()
        months = [
            datetime.date(2010 + index // 12, index % 12 + 1, 1) for index in range(80)
        ]

        def settle(days):
            # sudo: posted settlements as a period close leaves them.
            Settlement.create(
                [
                    {
                        "program_id": self.program.id,
                        "partner_id": self.partner_a.id,
                        "date_from": day,
                        "date_to": day + datetime.timedelta(days=27),
                        "date": day + datetime.timedelta(days=27),
                        "state": "posted",
                    }
                    for day in days
                ]
            )

        def measure():
            self.url_open("/my/incentives/settlements")  # warm the caches
            self.env.invalidate_all()
            with self._statements() as statements:
                response = self.url_open("/my/incentives/settlements")
            self.assertEqual(response.status_code, 200)
            return statements["SELECT"], response

        self.authenticate("prm_portal_a", "prm_portal_a")
        settle(months[:4])
        count_5, _response = measure()
        settle(months[4:79])
        count_80, response = measure()
        counts = [count_5, count_80]
        self.assertEqual(counts[0], counts[1], f"queries for 5 and 80: {counts}")
        self.assertLessEqual(counts[0], 25)
        self.assertEqual(response.text.count("o_prm_statement_download"), 20)

    def test_sellout_and_points_lists_queries_do_not_grow(self):
        """The sell-out and points pages read the same for 5 and 80 rows."""
        months = [
            datetime.date(2010 + index // 12, index % 12 + 1, 1) for index in range(80)
        ]

        def add(days):
            # sudo: reports and points as the vendor's accountants record them.
            self.env["prm.sellout.batch"].sudo().create(
                [
                    {
                        "partner_id": self.partner_a.id,
                        "date_from": day,
                        "date_to": day + datetime.timedelta(days=27),
                        "file_name": f"{day}.csv",
                    }
                    for day in days
                ]
            )
            self.env["prm.points.move"].sudo().create(
                [
                    {
                        "name": f"Points of {day}",
                        "partner_id": self.partner_a.id,
                        "date": day,
                        "kind": "adjusted",
                        "points": 10,
                    }
                    for day in days
                ]
            )

        def measure(url):
            self.url_open(url)  # warm the caches
            self.env.invalidate_all()
            with self._statements() as statements:
                response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            return statements["SELECT"]

        self.authenticate("prm_portal_a", "prm_portal_a")
        add(months[:5])
        urls = ("/my/incentives/sellout", "/my/incentives/points")
        counts_5 = [measure(url) for url in urls]
        add(months[5:80])
        counts_80 = [measure(url) for url in urls]
        self.assertEqual(counts_5, counts_80)
        self.assertLessEqual(max(counts_80), 25, counts_80)


@tagged("post_install", "-at_install")
class TestIncentivePortalUpload(PrmIncentivePortalCommon, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("prm_portal_a", "prm_portal_a")

    def test_file_with_one_bad_row_shows_the_error(self):
        content = self._csv(
            [
                ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
                ["2025-02-05", "NOPE-1", "1", "10", "", "DE", "Bistro"],
            ]
        )
        response = self._upload_file(content)
        self.assertEqual(response.status_code, 303)
        batch = self._batches()
        self.assertEqual(len(batch), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/sellout/{batch.id}"))
        self.assertEqual(
            (batch.state, batch.line_count, batch.error_count), ("draft", 2, 1)
        )
        page = self.url_open(f"/my/incentives/sellout/{batch.id}")
        self.assertIn("unknown product “NOPE-1”", page.text)
        errors = self.url_open(f"/my/incentives/sellout/{batch.id}/errors")
        self.assertEqual(errors.status_code, 200)
        self.assertIn("text/csv", errors.headers["Content-Type"])
        self.assertIn("attachment", errors.headers["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(errors.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2, "a header and the one row in error")
        self.assertIn("NOPE-1", rows[1])
        # The corrected file replaces the rows of the same draft report.
        fixed = self._csv([["2025-02-05", "SVC-INST", "1", "10", "", "DE", "Bistro"]])
        response = self._upload_file(fixed, batch_id=batch.id)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._batches(), batch)
        self.assertEqual((batch.line_count, batch.error_count), (1, 0))

    def test_posted_fields_cannot_choose_partner_state_or_company(self):
        content = self._csv([["2025-02-03", "SRV-100", "2", "2000", "", "DE", ""]])
        other_company = self._create_company(name="Elsewhere")
        response = self._upload_file(
            content,
            partner_id=self.partner_b.id,
            state="validated",
            company_id=other_company.id,
            currency_id=self.env.ref("base.EUR").id,
        )
        self.assertEqual(response.status_code, 303)
        batch = self._batches()
        self.assertEqual(batch.partner_id, self.partner_a)
        self.assertEqual(batch.state, "draft")
        self.assertEqual(batch.company_id, self.partner_a.company_id)
        self.assertEqual(self._batches(self.partner_b), self.batch_b)

    def test_another_partners_report_cannot_be_replaced(self):
        content = self._csv([["2025-02-03", "SRV-100", "2", "2000", "", "DE", ""]])
        with mute_logger("odoo.http"):
            response = self._upload_file(content, batch_id=self.batch_b.id)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.batch_b.file_name, "b.csv")
        self.assertFalse(self._batches())

    def test_missing_or_bad_csrf_token_is_refused(self):
        content = self._csv([["2025-02-03", "SRV-100", "2", "2000", "", "DE", ""]])
        files = {"file": ("sellout.csv", content, "text/csv")}
        with mute_logger("odoo.http"):
            for token in (False, "0123456789abcdef0123456789abcdef01234567o9999999999"):
                response = self._post(
                    "/my/incentives/sellout/upload",
                    data={"month": "2025-02"},
                    files=files,
                    with_token=token,
                )
                self.assertEqual(response.status_code, 400, token)
        self.assertFalse(self._batches())

    def test_oversized_file_is_refused(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_incentive.sellout_max_file_mb", "1"
        )
        row = ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "x" * 900]
        content = self._csv([row] * 1200)
        self.assertGreater(len(content), 1024 * 1024)
        response = self._upload_file(content)
        self.assertEqual(response.status_code, 413)
        self.assertIn("limited to 1 MB", response.text)
        self.assertFalse(self._batches())

    def test_wrong_types_are_refused(self):
        pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"
        for content, file_name in (
            (pdf, "sellout.csv"),
            (pdf, "sellout.pdf"),
            (
                self._csv([["2025-02-03", "SRV-100", "2", "", "", "", ""]]),
                "sellout.exe",
            ),
            (b"a,b\n1,2\n", "sellout.xlsx"),
            (self._xlsx([["2025-02-03", "SRV-100", 2]]), "sellout.csv"),
        ):
            response = self._upload_file(content, file_name=file_name)
            self.assertEqual(response.status_code, 415, file_name)
            self.assertIn("Upload the sell-out as a CSV or XLSX file", response.text)
        self.assertFalse(self._batches())

    def test_svg_with_a_script_is_refused(self):
        for file_name in ("sellout.svg", "sellout.csv", "sellout.txt"):
            for content in (SVG_WITH_SCRIPT, b"<svg onload=alert(1)>"):
                response = self._upload_file(content, file_name=file_name)
                self.assertEqual(response.status_code, 415, file_name)
                self.assertNotIn(b"<script>alert", response.content)
        self.assertFalse(self._batches())

    def test_xlsx_is_imported(self):
        content = self._xlsx(
            [[datetime.date(2025, 2, 3), "SRV-100", 2, 2000, "", "DE", ""]]
        )
        response = self._upload_file(content, file_name="sellout.xlsx")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self._batches().line_count, 1)

    def test_bad_month_and_unreadable_file_keep_nothing(self):
        content = self._csv([["2025-02-03", "SRV-100", "2", "2000", "", "DE", ""]])
        next_year = f"{datetime.date.today().year + 1}-01"
        for month in ("", "2025-13", "garbage", next_year):
            response = self._upload_file(content, month=month)
            self.assertEqual(response.status_code, 400, month)
        response = self._upload_file(b"Date,SKU,Qty\n", file_name="empty.csv")
        self.assertEqual(response.status_code, 400)
        self.assertIn("no rows", response.text)
        self.assertFalse(self._batches())


@tagged("post_install", "-at_install")
class TestIncentivePortalEarned(PrmIncentivePortalCommon):
    def test_earned_this_period_by_program_and_rule(self):
        partner = self.contact_a.with_user(self.user_portal_a)
        # 3,000 sold in August: the open accrual of the third quarter.
        earned = partner._prm_portal_earned(day=datetime.date(2025, 8, 20))
        self.assertEqual(len(earned), 1)
        row = earned[0]
        self.assertEqual(row["program"], self.program)
        self.assertEqual(row["rule"], "Rule 1")
        self.assertAlmostEqual(row["amount"], 150.0)
        self.assertEqual(
            (row["date_from"], row["date_to"]),
            (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        )
        totals = partner._prm_portal_earned_totals(earned)
        self.assertEqual([total.replace("\xa0", " ") for total in totals], ["$ 150.00"])
        # Partner B earns nothing this quarter; A's accruals are not B's.
        partner_b = self.contact_b.with_user(self.user_portal_b)
        self.assertFalse(partner_b._prm_portal_earned(day=datetime.date(2025, 8, 20)))
