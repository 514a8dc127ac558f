from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationIntake(PrmApplicationCommon):
    """Input normalisation and bad input: a clear message naming the field,
    and nothing written."""

    def _assert_rejected(self, vals_list, *fragments):
        count = self.Application.search_count([])
        with self.assertRaises(ValidationError) as ctx:
            self._intake(vals_list)
        for fragment in fragments:
            self.assertIn(fragment, str(ctx.exception))
        self.assertEqual(self.Application.search_count([]), count, "Nothing written")
        return str(ctx.exception)

    def test_invalid_vat(self):
        self._assert_rejected(
            self._row("Bad VAT", vat="ESB12345670"),
            "Tax ID",
            "ESB12345670",
            "not a valid VAT",
        )
        # Countries stdnum cannot check are accepted as given.
        app = self._intake(self._row("US Co", vat="12-3456789", country="US"))
        self.assertEqual(app.vat, "12-3456789")

    def test_malformed_email(self):
        self._assert_rejected(
            self._row("Bad Mail", email="ana@iberia"),
            "Email",
            "“ana@iberia”",
            "not a valid email",
        )

    def test_unknown_country(self):
        self._assert_rejected(
            self._row("Nowhere", country="Atlantis"), "Country", "“Atlantis”"
        )
        self._assert_rejected(
            self._row("Nowhere", served_countries="ES,Narnia"),
            "Served countries",
            "“Narnia”",
        )

    def test_unknown_state(self):
        self._assert_rejected(
            self._row("Nowhere", country="ES", country_state="Gondor"),
            "Region",
            "“Gondor”",
            "for this country",
        )
        self._assert_rejected(
            self._row("Nowhere", served_countries="ES", served_states="M,Mordor"),
            "Served states",
            "“Mordor”",
        )

    def test_negative_revenue_and_headcount(self):
        self._assert_rejected(
            self._row("Minus", declared_revenue=-1),
            "Declared yearly revenue",
            "negative",
        )
        self._assert_rejected(
            self._row("Minus", headcount="-5"), "Headcount", "negative"
        )
        self._assert_rejected(
            self._row("NaN", headcount="many"), "Headcount", "not a number"
        )

    def test_company_name_required(self):
        self._assert_rejected({"email": "x@y.example.com"}, "company name is required")

    def test_batch_errors_name_rows_and_write_nothing(self):
        message = self._assert_rejected(
            [
                self._row("Good One"),
                self._row("Bad Two", email="bad"),
                self._row("Good Three"),
                self._row("Bad Four", country="XX", headcount=-2),
            ]
        )
        self.assertIn("Row 2 (Bad Two): Email", message)
        self.assertIn("Row 4 (Bad Four): Country", message)
        self.assertIn("Row 4 (Bad Four): Headcount", message)
        self.assertNotIn("Good One", message)

    def test_constraints_protect_backend_edits(self):
        app = self._intake(self._row("Edited Later"))
        with self.assertRaisesRegex(ValidationError, "not a valid email"):
            app.email = "broken@"
        with self.assertRaisesRegex(ValidationError, "not valid"):
            app.write({"vat": "ESB12345670", "country_id": self.es.id})

    def test_lookups_by_code_name_and_id(self):
        app = self._intake(
            self._row(
                "Lookups",
                country="sPaIn",
                country_state="Madrid",
                partner_type="System integrator",
                served_countries=["pt", self.de.id, "Spain"],
                served_states="M",
                declared_revenue="250000.50",
                headcount="12",
                utm_campaign="Spring fair",
                utm_medium="Email",
            )
        )
        self.assertEqual(app.country_id, self.es)
        self.assertEqual(app.state_id, self.madrid)
        self.assertEqual(
            app.partner_type_id, self.env.ref("prm_partner.partner_type_integrator")
        )
        self.assertEqual(app.country_ids, self.pt | self.de | self.es)
        self.assertEqual(app.country_state_ids, self.madrid)
        self.assertEqual(app.declared_revenue, 250000.5)
        self.assertEqual(app.headcount, 12)
        self.assertEqual(app.campaign_id.name, "Spring fair")
        self.assertEqual(app.medium_id.name, "Email")
        self.assertEqual(app.source, "import")
        # Plain model values pass through unchanged.
        app2 = self._intake(
            {
                "name": "Plain",
                "country_id": self.pt.id,
                "country_ids": [Command.set(self.pt.ids)],
                "source": "manual",
            }
        )
        self.assertEqual(
            (app2.country_id, app2.country_ids, app2.source),
            (self.pt, self.pt, "manual"),
        )

    def test_decided_history_is_imported_as_is(self):
        partner = self._company_partner("Historic SL", vat="ESB12345674")
        app = self._intake(
            self._row(
                "Historic SL",
                vat="ESB12345674",
                state="accepted",
                partner_id=partner.id,
                date_received="2023-01-10 09:00:00",
                date_decided="2023-01-20 09:00:00",
            )
        )
        self.assertEqual(app.state, "accepted")
        self.assertFalse(app.user_id, "No assignment for a decided application")
        self.assertFalse(app.activity_ids)
        self.assertEqual(app.days_to_decision, 10)
