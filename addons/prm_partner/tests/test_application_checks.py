from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationChecks(PrmApplicationCommon):
    """Automatic checks against configurable criteria: score and proposal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.crit_country = cls._criterion(
            "country",
            weight=30,
            mandatory=True,
            country_ids=[Command.set((cls.es | cls.pt).ids)],
        )
        cls.crit_revenue = cls._criterion("revenue", weight=25, min_revenue=250000)
        cls.crit_headcount = cls._criterion("headcount", weight=15, min_headcount=5)
        cls.crit_type = cls._criterion(
            "partner_type",
            weight=10,
            partner_type_ids=[Command.set(cls.type_reseller.ids)],
        )
        cls.crit_website = cls._criterion("website", weight=10)
        cls.crit_vat = cls._criterion("vat", weight=10)

    def _results(self, app):
        return {c.criterion_id: c.passed for c in app.check_ids}

    def test_every_criterion_met(self):
        app = self._intake(
            self._row(
                "Perfect Fit SL",
                vat="ESB12345674",
                website="perfect.example.com",
                declared_revenue=250000,
                headcount=5,
                partner_type="reseller",
                served_countries="ES,PT",
            )
        )
        self.assertEqual(len(app.check_ids), 6)
        self.assertTrue(all(app.check_ids.mapped("passed")))
        self.assertEqual(app.score, 100)
        self.assertEqual(app.proposal, "pass")
        self.assertEqual(app.website, "https://perfect.example.com")
        revenue = app.check_ids.filtered(lambda c: c.criterion_id == self.crit_revenue)
        self.assertIn("250,000.00", revenue.detail)

    def test_partial_score_and_thresholds(self):
        # Country 30 + revenue 25 + headcount 15 = 70 of 100.
        row = self._row(
            "Half Fit", declared_revenue=300000, headcount=8, partner_type="referral"
        )
        app = self._intake(row)
        results = self._results(app)
        self.assertTrue(results[self.crit_country])
        self.assertFalse(results[self.crit_type])
        self.assertFalse(results[self.crit_website])
        self.assertFalse(results[self.crit_vat])
        self.assertEqual(app.score, 70)
        self.assertEqual(app.proposal, "pass", "Default pass score is 70")
        self.env.company.prm_application_pass_score = 80
        app.action_run_checks()
        self.assertEqual(app.proposal, "review")
        self.env.company.prm_application_reject_score = 75
        app.action_run_checks()
        self.assertEqual(app.proposal, "reject")
        self.assertEqual(len(app.check_ids), 6, "Re-running replaces the results")

    def test_mandatory_criterion_rejects_whatever_the_score(self):
        app = self._intake(
            self._row(
                "Nordic Cloud AB",
                country="SE",
                vat="",
                website="nordic.example.com",
                declared_revenue=900000,
                headcount=40,
                partner_type="reseller",
            )
        )
        self.assertEqual(app.score, 60)
        self.assertEqual(app.proposal, "reject")
        country = app.check_ids.filtered(lambda c: c.criterion_id == self.crit_country)
        self.assertFalse(country.passed)
        self.assertTrue(country.mandatory)
        self.assertIn("Serves none of", country.detail)

    def test_probable_duplicate_is_never_proposed_for_acceptance(self):
        self._company_partner("Someone", email="info@dupe.example.com")
        app = self._intake(
            self._row(
                "Dupe Fit",
                email="me@dupe.example.com",
                vat="ESB12345674",
                website="dupe.example.com",
                declared_revenue=400000,
                headcount=10,
                partner_type="reseller",
            )
        )
        self.assertEqual(app.score, 100)
        self.assertEqual(app.duplicate_status, "probable")
        self.assertEqual(app.proposal, "review")

    def test_editing_an_open_application_reruns_checks(self):
        app = self._intake(self._row("Grows Later", headcount=2))
        self.assertFalse(self._results(app)[self.crit_headcount])
        app.with_user(self.user_prm_admin).headcount = 12
        self.assertTrue(self._results(app)[self.crit_headcount])

    def test_no_criteria_no_proposal(self):
        self.env["prm.application.criterion"].search([]).action_archive()
        app = self._intake(self._row("Anyone"))
        self.assertFalse(app.check_ids)
        self.assertFalse(app.proposal)

    def test_other_company_criteria_are_ignored(self):
        other = self.env["res.company"].create({"name": "Other PRM Co"})
        self.env["prm.application.criterion"].create(
            {"name": "Other", "kind": "website", "company_id": other.id}
        )
        app = self._intake(self._row("Local Only"))
        self.assertEqual(len(app.check_ids), 6)

    def test_criterion_configuration_errors(self):
        with self.assertRaisesRegex(ValidationError, "list the countries"):
            self._criterion("country")
        with self.assertRaisesRegex(ValidationError, "list the accepted partner types"):
            self._criterion("partner_type")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._criterion("website", weight=-1)

    def test_a_context_flag_does_not_skip_the_recheck(self):
        """``prm_no_recheck`` is for the pipeline's own writes: a channel manager
        sending it still gets the checks run again."""
        app = self._intake(self._row("Late Site SL"))
        self.assertFalse(self._results(app)[self.crit_website])
        app.with_user(app.user_id or self.user_channel_manager).with_context(
            prm_no_recheck=True
        ).write({"website": "late.example.com"})
        self.assertTrue(self._results(app)[self.crit_website])
