import base64
import contextlib
import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PrmSelloutCommon

# (row, expected product, expected error substrings or None when good)
ROWS = [
    ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
    ["2025-02-04", "4006381333931", "1", "500", "EUR", "fr", "Bistro SARL"],
    ["2025-02-05", "NOPE-1", "1", "10", "", "DE", ""],
    ["2025-02-30", "SVC-INST", "1", "100", "", "France", ""],
    ["2025-02-06", "SVC-INST", "-2", "100", "", "DE", ""],
    ["2025-02-07", "SVC-INST", "1", "100", "EUX", "DE", ""],
    ["2025-02-08", "SVC-INST", "1", "100", "XAF", "DE", ""],
    ["2025-02-09", "SVC-INST", "1", "100", "", "Atlantis", ""],
    ["2025-03-09", "SVC-INST", "two", "1,5", "", "", ""],
    ["2025-02-10", "", "1", "100", "", "", ""],
]
EXPECTED_ERRORS = {
    4: ["unknown product “NOPE-1”"],
    5: ["bad date “2025-02-30” (expected like 2025-01-31)"],
    6: ["negative quantity -2"],
    7: ["unknown currency “EUX”"],
    8: ["currency XAF is not active"],
    9: ["unknown country “Atlantis”"],
    10: [
        "date 2025-03-09 is outside the report period (2025-02-01 to 2025-02-28)",
        "quantity “two” is not a number",
        "amount “1,5” is not a number",
    ],
    11: ["missing product code"],
}


def typed(rows):
    """The rows as a spreadsheet types them: real dates and numbers where the
    text reads as one (the bad ones stay text)."""
    result = []
    for row in rows:
        row = list(row)
        with contextlib.suppress(ValueError):
            row[0] = datetime.date.fromisoformat(row[0])
        for index in (2, 3):
            with contextlib.suppress(ValueError):
                number = float(row[index])
                row[index] = int(number) if number.is_integer() else number
        result.append(row)
    return result


@tagged("post_install", "-at_install")
class TestSelloutImport(PrmSelloutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.XAF").active = False

    def _check_report(self, batch):
        """Every row is stored with its raw values; good rows are read, bad rows
        carry a readable error; the report stays in draft."""
        self.assertEqual(batch.state, "draft")
        self.assertEqual(batch.line_count, len(ROWS))
        self.assertEqual(batch.error_count, len(EXPECTED_ERRORS))
        lines = batch.line_ids.sorted("row_number")
        self.assertEqual(lines.mapped("row_number"), list(range(2, len(ROWS) + 2)))
        self.assertEqual(lines.mapped("raw_product"), [row[1] or False for row in ROWS])
        for line in lines:
            expected = EXPECTED_ERRORS.get(line.row_number)
            if expected is None:
                self.assertFalse(line.error_message, f"row {line.row_number}")
                continue
            self.assertTrue(line.has_error)
            for text in expected:
                self.assertIn(text, line.error_message, f"row {line.row_number}")
        good_1, good_2 = lines[:2]
        usd = self.env.company.currency_id
        self.assertRecordValues(
            good_1 | good_2,
            [
                {
                    "product_id": self.product_server.id,
                    "date": datetime.date(2025, 2, 3),
                    "quantity": 2.0,
                    "amount": 2000.0,
                    "currency_id": usd.id,
                    "amount_company": 2000.0,
                    "country_id": self.country_de.id,
                    "customer_name": "Acme GmbH",
                },
                {
                    # Matched by barcode; 500 EUR at 0.8 EUR per USD.
                    "product_id": self.product_server.id,
                    "date": datetime.date(2025, 2, 4),
                    "quantity": 1.0,
                    "amount": 500.0,
                    "currency_id": self.currency_eur.id,
                    "amount_company": 625.0,
                    "country_id": self.country_fr.id,
                    "customer_name": "Bistro SARL",
                },
            ],
        )
        bad_date = lines.filtered(lambda line: line.row_number == 5)
        self.assertFalse(bad_date.date)
        self.assertEqual(bad_date.raw_date, "2025-02-30")
        self.assertEqual(bad_date.country_id, self.country_fr, "Country by name.")
        self.assertIn("Row 4: unknown product", batch.error_summary)
        with self.assertRaisesMsg(UserError, "8 rows with errors"):
            batch.action_validate()
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.incentive_line_ids)

    def test_csv_good_and_bad_rows(self):
        batch = self._upload(self._csv(ROWS))
        self._check_report(batch)
        self.assertEqual(batch.file_name, "sellout.csv")
        self.assertTrue(batch.file)

    def test_xlsx_good_and_bad_rows(self):
        batch = self._upload(self._xlsx(typed(ROWS)), file_name="sellout.xlsx")
        self._check_report(batch)

    def test_each_bad_input_alone(self):
        """One bad value per file: the row is kept with one readable error."""
        cases = {
            "unknown product": (
                ["2025-02-03", "ZZZ", "1", "10", "", "", ""],
                "unknown product “ZZZ”",
            ),
            "bad date": (
                ["03/02/2025", "SRV-100", "1", "10", "", "", ""],
                "bad date “03/02/2025”",
            ),
            "negative quantity": (
                ["2025-02-03", "SRV-100", "-1", "10", "", "", ""],
                "negative quantity -1",
            ),
            "wrong currency": (
                ["2025-02-03", "SRV-100", "1", "10", "US$", "", ""],
                "unknown currency “US$”",
            ),
            "unknown country": (
                ["2025-02-03", "SRV-100", "1", "10", "", "XX", ""],
                "unknown country “XX”",
            ),
        }
        for label, (row, message) in cases.items():
            with self.subTest(label):
                batch = self._upload(self._csv([row]))
                self.assertEqual(batch.line_count, 1)
                self.assertEqual(batch.error_count, 1)
                self.assertIn(message, batch.line_ids.error_message)
                self.assertEqual(batch.line_ids.raw_product, row[1])
                self.assertEqual(batch.line_ids.raw_quantity, row[2])

    def test_missing_required_column(self):
        """A mapped column the file lacks: every row says so, nothing lost."""
        header = ["Date", "SKU", "Amount"]
        rows = [["2025-02-03", "SRV-100", "10"], ["2025-02-04", "SVC-INST", "20"]]
        batch = self._upload(self._csv(rows, header))
        self.assertEqual((batch.line_count, batch.error_count), (2, 2))
        for line in batch.line_ids:
            self.assertIn("column “Qty” (Quantity) is missing", line.error_message)
        self.assertEqual(batch.line_ids.mapped("raw_product"), ["SRV-100", "SVC-INST"])
        self.assertEqual(batch.line_ids.mapped("amount"), [10.0, 20.0])

    def test_file_level_errors_write_nothing(self):
        Batch = self.env["prm.sellout.batch"]
        before = Batch.search_count([])
        bad_files = {
            "empty": (b"", "empty.csv", "empty"),
            "extension": (b"a,b\n1,2\n", "report.pdf", "CSV or XLSX"),
            "no rows": (b"Date,SKU,Qty\n", "header.csv", "no rows"),
            "broken xlsx": (b"PK\x03\x04 not a zip", "broken.xlsx", "not a valid XLSX"),
            "encoding": (
                "Qty;SKU\n1;Caf\u00e9\n".encode("utf-16"),
                "utf16.csv",
                "encoded",
            ),
        }
        for label, (content, name, message) in bad_files.items():
            with self.subTest(label), self.assertRaisesMsg(UserError, message):
                self._upload(content, file_name=name)
        self.assertEqual(Batch.search_count([]), before)
        self.assertFalse(self.env["prm.sellout.mapping"].search([]))

    def test_formats_of_the_mapping(self):
        """European formats: semicolons, day first, decimal comma, dot thousands."""
        header = ["Datum", "Artikel", "Menge", "Betrag"]
        rows = [["03.02.2025", "SRV-100", "1.500", "12.345,67"]]
        batch = self._upload(
            self._csv(rows, header, sep=";"),
            column_date="Datum",
            column_product="Artikel",
            column_quantity="Menge",
            column_amount="Betrag",
            column_currency=False,
            column_country=False,
            column_customer=False,
            date_format="%d.%m.%Y",
            decimal_separator=",",
            thousands_separator=".",
        )
        self.assertFalse(batch.error_count, batch.error_summary)
        self.assertRecordValues(
            batch.line_ids,
            [
                {
                    "date": datetime.date(2025, 2, 3),
                    "quantity": 1500.0,
                    "amount": 12345.67,
                    "currency_id": self.env.company.currency_id.id,
                    "raw_amount": "12.345,67",
                }
            ],
        )

    def test_file_without_dates(self):
        """No date column: rows are dated on the last day of the period."""
        rows = [["SRV-100", "3"]]
        batch = self._upload(
            self._csv(rows, ["SKU", "Qty"]),
            column_date=False,
            column_amount=False,
            column_currency=False,
            column_country=False,
            column_customer=False,
        )
        self.assertFalse(batch.error_count, batch.error_summary)
        self.assertEqual(batch.line_ids.date, datetime.date(2025, 2, 28))

    def test_mapping_remembered_per_partner(self):
        header = ["Article", "Units", "Day"]
        content = self._csv([["SRV-100", "4", "03/02/2025"]], header, sep=";")
        batch = self._upload(
            content,
            column_product="Article",
            column_quantity="Units",
            column_date="Day",
            column_amount=False,
            column_currency=False,
            column_country=False,
            column_customer=False,
            date_format="%d/%m/%Y",
            csv_delimiter=";",
        )
        self.assertFalse(batch.error_count, batch.error_summary)
        mapping = self.env["prm.sellout.mapping"].search(
            [("partner_id", "=", self.distributor.id)]
        )
        self.assertEqual(len(mapping), 1)
        self.assertEqual(batch.mapping_id, mapping)
        self.assertRecordValues(
            mapping,
            [
                {
                    "column_product": "Article",
                    "column_quantity": "Units",
                    "date_format": "%d/%m/%Y",
                    "csv_delimiter": ";",
                }
            ],
        )
        # Next file of the same partner: the wizard proposes its mapping.
        Wizard = self.env["prm.sellout.upload.wizard"]
        wizard = Wizard.new({"partner_id": self.distributor.id})
        wizard._onchange_partner_id()
        wizard.update({"file": base64.b64encode(content), "file_name": "march.csv"})
        wizard._onchange_file()
        wizard.month = "2025-03-15"
        wizard._onchange_month()
        self.assertEqual(wizard.column_product, "Article")
        self.assertEqual(wizard.date_format, "%d/%m/%Y")
        self.assertEqual(wizard.date_from, datetime.date(2025, 3, 1))
        self.assertEqual(wizard.date_to, datetime.date(2025, 3, 31))
        self.assertIn("Article", wizard.preview_html)
        self.assertIn("→ Product", wizard.preview_html)
        # Another partner without mapping: columns guessed from the file.
        other = self._create_program_partner("Epsilon Wholesale")
        wizard = Wizard.new({"partner_id": other.id})
        wizard._onchange_partner_id()
        self.assertEqual(wizard.column_product, "product", "Nothing to guess from yet.")
        wizard.update(
            {"file": base64.b64encode(self._csv(ROWS[:1])), "file_name": "first.csv"}
        )
        wizard._onchange_file()
        self.assertEqual(wizard.column_product, "SKU")
        self.assertEqual(wizard.column_quantity, "Qty")
        self.assertEqual(wizard.column_currency, "Currency")
        # A second upload updates the partner's mapping, never duplicates it.
        self._upload(self._csv(ROWS[:1]))
        mapping.invalidate_recordset()
        self.assertEqual(mapping.column_product, "SKU")
        self.assertEqual(
            self.env["prm.sellout.mapping"].search_count(
                [("partner_id", "=", self.distributor.id)]
            ),
            1,
        )

    def test_fix_rows_then_validate(self):
        batch = self._upload(self._csv(ROWS[:6]))
        self.assertEqual(batch.error_count, 4)
        lines = batch.line_ids.sorted("row_number")
        unknown, bad_date, negative, currency = lines[2:6]
        unknown.product_id = self.product_service
        bad_date.date = "2025-02-20"
        self.assertFalse(unknown.error_message)
        self.assertFalse(bad_date.error_message)
        self.assertEqual(bad_date.raw_date, "2025-02-30", "The file's value is kept.")
        negative.quantity = 2
        self.assertFalse(negative.error_message)
        # Fixing one value of a row keeps the errors of the others.
        currency.customer_name = "Renamed"
        self.assertIn("unknown currency", currency.error_message)
        currency.currency_id = self.currency_eur
        self.assertFalse(currency.error_message)
        self.assertEqual(currency.amount_company, 125.0)
        self.assertEqual(batch.error_count, 0)
        batch.action_validate()
        self.assertEqual(batch.state, "validated")
        with self.assertRaisesMsg(UserError, "can no longer change"):
            unknown.quantity = 5
        batch.action_cancel()
        batch.action_draft()
        with self.assertRaisesMsg(UserError, "as uploaded"):
            unknown.raw_product = "SRV-100"

    def test_check_rows_again_after_creating_the_product(self):
        batch = self._upload(self._csv(ROWS[:3]))
        self.assertEqual(batch.error_count, 1)
        product = self._create_product(name="New product", default_code="NOPE-1")
        batch.action_check_rows()
        line = batch.line_ids.filtered(lambda line: line.raw_product == "NOPE-1")
        self.assertEqual(line.product_id, product)
        self.assertFalse(line.error_message)
        self.assertEqual(batch.error_count, 0)

    def test_upload_again_replaces_rows(self):
        batch = self._upload(self._csv(ROWS))
        self.assertEqual(batch.error_count, 8)
        again = self._upload(self._csv(ROWS[:2]), batch=batch, date_to="2025-03-31")
        self.assertEqual(again, batch)
        self.assertEqual((batch.line_count, batch.error_count), (2, 0))
        self.assertEqual(batch.date_to, datetime.date(2025, 3, 31))
        self.assertEqual(
            self.env["prm.sellout.line"].search_count([("batch_id", "=", batch.id)]), 2
        )
        batch.action_validate()
        with self.assertRaisesMsg(UserError, "is in status “Validated”"):
            self._upload(self._csv(ROWS[:2]), batch=batch)

    def test_import_after_the_form_read_the_file_as_its_size(self):
        """The form saves the wizard and reads it back with ``bin_size`` (the
        file as "1.2 Kb") before *Import* runs: the preview and the import read
        the file itself."""
        content = self._csv(ROWS[:2])
        wizard = (
            self.env["prm.sellout.upload.wizard"]
            .with_context(bin_size=True)
            .create(
                {
                    "partner_id": self.distributor.id,
                    "date_from": "2025-02-01",
                    "date_to": "2025-02-28",
                    "file": base64.b64encode(content),
                    "file_name": "sellout.csv",
                    "column_product": "SKU",
                    "column_quantity": "Qty",
                    "column_date": "Date",
                    "column_amount": "Amount",
                }
            )
        )
        self.assertNotEqual(wizard.file, base64.b64encode(content), "read as a size")
        self.assertIn("SRV-100", wizard.preview_html)
        batch = self.env["prm.sellout.batch"].browse(wizard.action_import()["res_id"])
        self.assertEqual((batch.line_count, batch.error_count), (2, 0))
        self.assertEqual(base64.b64decode(batch.file), content)

    def test_period_and_currency_locked_once_read(self):
        batch = self._upload(self._csv(ROWS[:2]))
        with self.assertRaisesMsg(UserError, "upload the file again"):
            batch.date_to = "2025-03-31"
        with self.assertRaisesMsg(UserError, "ends before it starts"):
            self._upload(self._csv(ROWS[:2]), date_from="2025-03-01")

    def test_error_report_download(self):
        batch = self._upload(self._csv(ROWS))
        action = batch.action_download_error_report()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        text = attachment.raw.decode("utf-8-sig")
        self.assertEqual(len(text.strip().splitlines()), 1 + 8)
        self.assertIn("NOPE-1", text)
        self.assertIn("unknown country “Atlantis”", text)
        good = self._upload(self._csv(ROWS[:2]))
        with self.assertRaisesMsg(UserError, "no rows with errors"):
            good.action_download_error_report()

    def test_import_query_count_does_not_grow(self):
        """The import runs the same queries for 200 and 2,000 rows (rows are
        matched through dicts and written by one COPY)."""
        importer = self.env["prm.sellout.importer"]
        mapping = self.env["prm.sellout.mapping"].create(
            {
                "partner_id": self.distributor.id,
                "column_product": "SKU",
                "column_quantity": "Qty",
                "column_date": "Date",
                "column_amount": "Amount",
                "column_currency": "Currency",
                "column_country": "Country",
                "column_customer": "Customer",
            }
        )
        counts = []
        # The first import warms the registry caches up (not measured).
        for size in (20, 200, 2000):
            rows = [
                [
                    f"2025-02-{1 + index % 28:02d}",
                    ("SRV-100", "SVC-INST", "PRM-W", "BAD")[index % 4],
                    str(index % 7 + 1),
                    f"{index}.50",
                    ("", "EUR")[index % 2],
                    ("DE", "FR", "Atlantis")[index % 3],
                    f"Customer {index}",
                ]
                for index in range(size)
            ]
            content = self._csv(rows)
            batch = self.env["prm.sellout.batch"].create(
                {
                    "partner_id": self.distributor.id,
                    "date_from": "2025-02-01",
                    "date_to": "2025-02-28",
                }
            )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            importer._import_file(batch, content, "big.csv", mapping)
            batch.flush_recordset()
            if size > 20:
                counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(batch.line_count, size)
            # Every 4th row has an unknown product, every 3rd an unknown country.
            self.assertEqual(
                batch.error_count,
                len([i for i in range(size) if i % 4 == 3 or i % 3 == 2]),
            )
        self.assertEqual(counts[0], counts[1], "Queries do not depend on the rows.")
        self.assertLessEqual(counts[1], 25)
