"""Issue 10, bad input: oversized and zip-bomb files refused before they are
parsed (14), formulas neutralised in the files the suite writes (15), numbers
finite and bounded (16), NUL bytes and over-long cells refused (17). Each
attack is made by the role that would make it, and nothing is left behind."""

import csv
import io
import time
import zipfile

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.prm_partner.tools.spreadsheet import safe_cell

from .common import PrmSelloutCommon

GOOD_ROW = ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"]
SHEET = "xl/worksheets/sheet1.xml"


@tagged("post_install", "-at_install")
class TestSelloutFileLimits(PrmSelloutCommon):
    """Point 14: a 0.5 MB XLSX unpacking to 136 MB, or a 50 MB CSV, took the
    server down; now refused before parsing, with the limit in the message."""

    def _counts(self):
        self.env.flush_all()
        return (
            self.env["prm.sellout.batch"].sudo().search_count([]),
            self.env["prm.sellout.line"].sudo().search_count([]),
        )

    def _bomb(self, unpacked_mb):
        """A real XLSX whose sheet is ``unpacked_mb`` MB of repetitive rows,
        compressed to a small file (written by chunks, never held whole)."""
        source = zipfile.ZipFile(io.BytesIO(self._xlsx([GOOD_ROW])))
        buffer = io.BytesIO()
        row = (
            b'<row><c t="inlineStr"><is><t>2025-02-03</t></is></c>'
            b'<c t="inlineStr"><is><t>SRV-100</t></is></c><c><v>2</v></c>'
            b"<c><v>2000</v></c></row>"
        )
        chunk = row * 10000
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
            for item in source.infolist():
                if item.filename != SHEET:
                    bomb.writestr(item, source.read(item))
                    continue
                with bomb.open(SHEET, "w", force_zip64=True) as sheet:
                    sheet.write(
                        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.'
                        b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    )
                    for _i in range(unpacked_mb * 1024 * 1024 // len(chunk) + 1):
                        sheet.write(chunk)
                    sheet.write(b"</sheetData></worksheet>")
        return buffer.getvalue()

    def test_zip_bomb_refused_before_parsing(self):
        content = self._bomb(60)
        self.assertLess(len(content), 1024 * 1024, "The bomb itself is small.")
        counts = self._counts()
        start = time.perf_counter()
        with self.assertRaisesMsg(UserError, r"unpacks to 6\d MB.*limited to 50 MB"):
            self._upload(content, "bomb.xlsx", user=self.user_accountant)
        self.assertLess(time.perf_counter() - start, 5, "Refused without reading.")
        self.assertEqual(self._counts(), counts)

    def test_file_size_and_rows_limits(self):
        Param = self.env["ir.config_parameter"].sudo()
        Param.set_param("prm_incentive.sellout_max_file_mb", "1")
        Param.set_param("prm_incentive.sellout_max_rows", "3")
        counts = self._counts()
        big = self._csv([[*GOOD_ROW[:6], "x" * 900]] * 1300)
        self.assertGreater(len(big), 1024 * 1024)
        with self.assertRaisesMsg(UserError, r"weighs 1\.\d MB.*limited to 1 MB"):
            self._upload(big, user=self.user_accountant)
        for content, name in (
            (self._csv([GOOD_ROW] * 4), "long.csv"),
            (self._xlsx([GOOD_ROW] * 4), "long.xlsx"),
        ):
            with (
                self.subTest(name=name),
                self.assertRaisesMsg(UserError, "more than 3 rows"),
            ):
                self._upload(content, name, user=self.user_accountant)
        self.assertEqual(self._counts(), counts)
        # At the limit, the file imports.
        batch = self._upload(self._csv([GOOD_ROW] * 3), user=self.user_accountant)
        self.assertEqual(batch.line_count, 3)

    def test_limits_in_the_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            (
                settings.prm_sellout_max_file_mb,
                settings.prm_sellout_max_unpacked_mb,
                settings.prm_sellout_max_rows,
            ),
            (20, 50, 200000),
        )


@tagged("post_install", "-at_install")
class TestErrorReportFormulas(PrmSelloutCommon):
    """Point 15: the error report wrote the partner's formulas as they came."""

    FORMULAS = [
        '=HYPERLINK("http://evil.test","Click")',
        "=cmd|' /C calc'!A0",
        "+SUM(A1:A9)",
        "@A1",
        "-2+3",
    ]

    def test_error_report_neutralises_formulas(self):
        rows = [
            ["2025-02-03", formula, "1", formula, "", "DE", formula]
            for formula in self.FORMULAS
        ]
        batch = self._upload(self._csv(rows), user=self.user_accountant)
        self.assertEqual(batch.error_count, len(self.FORMULAS))
        action = batch.with_user(self.user_accountant).action_download_error_report()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        cells = [
            cell
            for row in csv.reader(io.StringIO(attachment.raw.decode("utf-8-sig")))
            for cell in row
        ]
        for formula in self.FORMULAS:
            self.assertIn("'" + formula, cells)
        dangerous = [
            cell
            for cell in cells
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and safe_cell(cell) != cell
        ]
        self.assertFalse(dangerous)

    def test_safe_cell(self):
        for value, expected in (
            ("=1+1", "'=1+1"),
            ("+1+1", "'+1+1"),
            ("-A1", "'-A1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\r=1", "'\r=1"),
            ("-12.5", "-12.5"),
            ("Acme = best", "Acme = best"),
            (42, 42),
        ):
            self.assertEqual(safe_cell(value), expected)


@tagged("post_install", "-at_install")
class TestNumbersBounded(PrmSelloutCommon):
    """Point 16 (incentives): 1e20 sell-out amounts accrued 2e18; NaN and inf
    rates passed every check."""

    def test_sellout_amounts_out_of_bounds(self):
        program = self._sellout_program()
        rows = [
            ["2025-02-03", "SRV-100", "2", "1e20", "", "DE", "Huge"],
            ["2025-02-04", "SRV-100", "1e16", "100", "", "DE", "Many"],
            ["2025-02-05", "SRV-100", "1", "inf", "", "DE", "Inf"],
            ["2025-02-06", "SRV-100", "1", "nan", "", "DE", "NaN"],
        ]
        batch = self._upload(self._csv(rows), user=self.user_accountant)
        errors = batch.line_ids.sorted("row_number").mapped("error_message")
        self.assertIn("amount 1e20 is too large (it must stay below 1e+15)", errors[0])
        self.assertIn("quantity 1e16 is too large", errors[1])
        self.assertIn("amount “inf” is not a number", errors[2])
        self.assertIn("amount “nan” is not a number", errors[3])
        with self.assertRaisesMsg(UserError, "rows with errors"):
            batch.with_user(self.user_accountant).action_validate()
        self.assertFalse(self._accruals(program))
        # A fix by hand is bounded the same way.
        line = batch.line_ids.sorted("row_number")[:1].with_user(self.user_accountant)
        for value in (1e20, float("inf"), float("nan")):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                line.write({"amount": value})
        self.assertEqual(line.amount, 1e20)
        line.write({"amount": 2000})
        self.assertFalse(line.has_error)

    def test_rule_numbers_out_of_bounds(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [Command.create({"amount_from": 0, "rate": 1.0})],
                    "tier_multiplier_ids": [
                        Command.create(
                            {"tier_id": self.tier_gold.id, "multiplier": 1.5}
                        )
                    ],
                }
            ]
        )
        rule = program.rule_ids.with_user(self.user_prm_admin)
        bracket = rule.bracket_ids
        multiplier = rule.tier_multiplier_ids
        cases = [
            (rule, "cap_amount", 1e20),
            (rule, "cap_amount", float("nan")),
            (rule, "accelerator_target", float("inf")),
            (rule, "accelerator_multiplier", float("nan")),
            (rule, "accelerator_multiplier", 1e6),
            (bracket, "amount_from", float("nan")),
            (bracket, "amount_to", 1e400),
            (bracket, "rate", 1e15),
            (bracket, "fixed_amount", float("inf")),
            (multiplier, "multiplier", float("nan")),
            (multiplier, "multiplier", 1e4),
        ]
        for record, fname, value in cases:
            with (
                self.subTest(model=record._name, field=fname, value=value),
                self.assertRaises(ValidationError),
            ):
                record.write({fname: value})
        self.env.invalidate_all()
        self.assertEqual(
            (rule.cap_amount, bracket.amount_from, bracket.rate, multiplier.multiplier),
            (0.0, 0.0, 1.0, 1.5),
        )
        points_program = self._create_program(kind="points")
        for months in (5000, 10**12):
            with self.subTest(months=months), self.assertRaises(ValidationError):
                points_program.with_user(self.user_prm_admin).write(
                    {"points_validity_months": months}
                )
        self.assertEqual(points_program.points_validity_months, 12)
        points = points_program.rule_ids
        with self.assertRaisesMsg(ValidationError, "finite"):
            points.with_user(self.user_prm_admin).write({"points_rate": float("inf")})
        with self.assertRaisesMsg(ValidationError, "below 1e\\+15"):
            rule.write({"fixed_amount": 1e15})


@tagged("post_install", "-at_install")
class TestSelloutText(PrmSelloutCommon):
    """Point 17 (incentives): a NUL byte silently cut a cell; over-long cells
    went through."""

    def test_nul_and_long_cells_refused(self):
        counts = (
            self.env["prm.sellout.batch"].search_count([]),
            self.env["prm.sellout.line"].search_count([]),
        )
        nul = self._csv([GOOD_ROW, [*GOOD_ROW[:6], "Acme\x00GmbH"]])
        with self.assertRaisesMsg(UserError, "Line 3 of the file holds a NUL"):
            self._upload(nul, user=self.user_accountant)
        long_row = [*GOOD_ROW[:6], "A" * 5000]
        for content, name in (
            (self._csv([GOOD_ROW, long_row]), "long.csv"),
            (self._xlsx([GOOD_ROW, long_row]), "long.xlsx"),
        ):
            with (
                self.subTest(name=name),
                self.assertRaisesMsg(
                    UserError, "Row 3, column “Customer” holds 5,000 characters"
                ),
            ):
                self._upload(content, name, user=self.user_accountant)
        self.assertEqual(
            (
                self.env["prm.sellout.batch"].search_count([]),
                self.env["prm.sellout.line"].search_count([]),
            ),
            counts,
        )
        batch = self._upload(self._csv([GOOD_ROW]), user=self.user_accountant)
        with self.assertRaisesMsg(ValidationError, "NUL character"):
            batch.line_ids.with_user(self.user_accountant).write(
                {"customer_name": "Acme\x00"}
            )
        self.assertEqual(batch.line_ids.customer_name, "Acme GmbH")
