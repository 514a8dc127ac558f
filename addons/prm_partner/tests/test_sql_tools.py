from datetime import date

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.sql import pg_array


@tagged("post_install", "-at_install")
class TestPgArray(TransactionCase):
    def _round_trip(self, values, pg_type):
        query = SQL("SELECT unnest(%s::%s[])", pg_array(values), SQL(pg_type))
        return [row[0] for row in self.env.execute_query(query)]

    def test_text_survives_every_special_character(self):
        values = ['a"b', "back\\slash", "comma, {brace}", "NULL", " padded ", "", None]
        self.assertEqual(self._round_trip(values, "varchar"), values)

    def test_numbers_booleans_dates(self):
        self.assertEqual(self._round_trip([1, None, -7], "int"), [1, None, -7])
        self.assertEqual(self._round_trip([True, False, None], "bool"), [True, False, None])
        self.assertEqual(
            [float(v) for v in self._round_trip([0.1, 2.675, 1e-07], "numeric")],
            [0.1, 2.675, 1e-07],
        )
        self.assertEqual(
            self._round_trip([date(2026, 2, 28), None], "date"), [date(2026, 2, 28), None]
        )

    def test_empty(self):
        self.assertEqual(self._round_trip([], "int"), [])
