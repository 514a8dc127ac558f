import base64
import csv
import io

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import codes as codetools
from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestCodes(PrmActivationCommon):
    def test_check_character_catches_typing_errors(self):
        code = codetools.random_codes(1, 12)[0]
        self.assertTrue(codetools.is_well_formed(code, 12))
        for position in range(len(code)):
            for char in codetools.ALPHABET:
                if char == code[position]:
                    continue
                typo = code[:position] + char + code[position + 1 :]
                self.assertFalse(codetools.has_valid_check(typo), typo)
        swapped = [
            code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            for i in range(len(code) - 1)
            if code[i] != code[i + 1]
        ]
        caught = sum(not codetools.has_valid_check(s) for s in swapped[:-1])
        self.assertEqual(caught, len(swapped[:-1]), "Swapped neighbours are caught.")
        for ambiguous in "0O1IL":
            self.assertNotIn(ambiguous, codetools.ALPHABET)
        self.assertTrue(
            codetools.has_valid_check(
                codetools.normalize(codetools.display(code).lower())
            )
        )

    def test_generate_100000_unique_codes(self):
        batch, codes = self._batch(quantity=100_000)
        self.assertEqual(batch.state, "generated")
        self.assertEqual(len(codes), 100_000)
        self.assertEqual(len(set(codes)), 100_000)
        self.assertTrue(all(codetools.is_well_formed(code, 12) for code in codes))
        self.assertEqual(batch.issued_count, 100_000)
        hashes = batch.code_ids.sudo().mapped("code_hash")
        self.assertEqual(len(set(hashes)), 100_000, "Unique in the database.")
        secret = batch._prm_secret()
        self.assertEqual(
            batch.code_ids.sudo().filtered(lambda c: c.serial == 777).code_hash,
            codetools.keyed_hash(secret, codes[776]),
            "Only the keyed hash is stored, by serial.",
        )
        self.assertNotIn(codes[0], hashes)
        # The printer's file holds every code, grouped by four.
        content = base64.b64decode(batch.sudo().export_attachment_id.datas)
        rows = list(csv.reader(io.StringIO(content.decode())))
        self.assertEqual(len(rows), 100_001)
        self.assertEqual(rows[1], ["1", codetools.display(codes[0])])

    def test_codes_unique_across_batches(self):
        batch, codes = self._batch(quantity=5)
        other = self.env["prm.activation.batch"].create(
            {"product_id": self.product_card.id, "quantity": 3, "value": 1.0}
        )
        # A clash with an existing hash is skipped and that serial drawn again.
        secret = batch._prm_secret()
        inserted = other._insert_codes(
            {1: codetools.keyed_hash(secret, codes[0]), 2: "x" * 64}
        )
        self.assertEqual(inserted, [2])

    def test_batch_format_and_state_checks(self):
        Batch = self.env["prm.activation.batch"]
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Batch.create({"product_id": self.product_card.id, "quantity": 0})
            Batch.flush_model()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Batch.create(
                {"product_id": self.product_card.id, "quantity": 5, "code_length": 4}
            )
            Batch.flush_model()
        batch, _codes = self._batch(quantity=5)
        with self.assertRaisesRegex(AccessError, "set by its action"):
            batch.write({"state": "closed"})
        with self.assertRaisesRegex(UserError, "no longer change"):
            batch.quantity = 10
        with self.assertRaisesRegex(UserError, "only possible"):
            batch.action_generate()
        with self.assertRaisesRegex(AccessError, "set by its action"):
            self.env["prm.activation.code"].create({"batch_id": batch.id})
        with self.assertRaisesRegex(AccessError, "Generate, assign"):
            batch.code_ids[:1].write({"state": "activated"})
        with self.assertRaises(ValidationError):
            batch._prm_assign_serials(self.partner_a, 4, 9)
        self.assertEqual(batch.issued_count, 5, "Nothing half-written.")

    def test_xlsx_export(self):
        import openpyxl

        batch, codes = self._batch(quantity=10, export_format="xlsx")
        content = base64.b64decode(batch.sudo().export_attachment_id.datas)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(rows), 11)
        self.assertEqual(rows[10], (10, codetools.display(codes[9])))

    def test_assign_and_void_ranges(self):
        batch, codes = self._batch(quantity=20)
        arange = batch._prm_assign_serials(self.partner_a, 1, 10)
        self.assertEqual(arange.quantity, 10)
        self.assertEqual(batch.assigned_count, 10)
        with self.assertRaisesRegex(UserError, "already assigned"):
            batch._prm_assign_serials(self.partner_b, 8, 12)
        batch._prm_assign_serials(self.partner_b, 11, 20)
        self.assertEqual(self._statuses(self._activate(codes[:2])), ["activated"] * 2)
        # A stolen range: voided in one action, activated codes kept.
        voided = batch._prm_void_serials(1, 10)
        self.assertEqual(len(voided), 8)
        self.env.invalidate_all()
        self.assertEqual(batch.activated_count, 2)
        self.assertEqual(
            self._statuses(self._activate([codes[5]])),
            ["invalid"],
            "A voided code is refused.",
        )
        self.assertEqual(arange.activated_count, 2)
        self.assertEqual(arange.voided_count, 8)

    def test_expiry(self):
        batch, codes = self._batch(quantity=4, date_expiry="2020-01-01")
        batch.sudo().date_expiry = False
        batch._prm_assign_serials(self.partner_a, 1, 4)
        batch.date_expiry = "2020-01-01"
        self.assertEqual(self._statuses(self._activate([codes[0]])), ["invalid"])
        self.env["prm.activation.batch"]._cron_expire()
        self.assertEqual(batch.expired_count, 4)

    def test_sale_order_assigns_codes(self):
        batch, _codes = self._batch(quantity=30)
        batch._prm_assign_serials(self.partner_b, 1, 5)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [
                    (0, 0, {"product_id": self.product_card.id, "product_uom_qty": 12})
                ],
            }
        )
        order.action_confirm()
        arange = self.env["prm.activation.range"].search(
            [("sale_order_id", "=", order.id)]
        )
        self.assertRecordValues(
            arange,
            [{"partner_id": self.partner_a.id, "serial_from": 6, "serial_to": 17}],
        )
        too_many = self.env["sale.order"].create(
            {
                "partner_id": self.partner_a.id,
                "order_line": [
                    (0, 0, {"product_id": self.product_card.id, "product_uom_qty": 50})
                ],
            }
        )
        with self.assertRaisesMsg(UserError, "left to assign"):
            too_many.action_confirm()
        self.assertEqual(
            batch.issued_count, 13, "Nothing assigned by the refused order."
        )
