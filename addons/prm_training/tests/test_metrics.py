from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.prm_partner.models.prm_tier_requalification import PARTNER_FIELDS

from .common import PrmTrainingCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestTrainingMetrics(PrmTrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_downgrade_grace_days = 30
        cls.contact_a2 = cls.env["res.partner"].create(
            {"name": "Arno Alpha", "parent_id": cls.partner_a.id}
        )
        cls.other_certification = cls.env["prm.certification"].create(
            {
                "name": "T-Other",
                "code": "T-OTH",
                "survey_id": cls._create_exam("T-Other exam", 50.0).id,
            }
        )

    def _code(self, certification):
        rule = self.env["prm.tier.rule"].new(
            {"metric": "certification", "certification_id": certification.id}
        )
        return rule._prm_metric_code()

    @freeze_time(T0)
    def test_metrics_count_valid_certificates_in_grouped_queries(self):
        self._take_exam(self.contact_a)
        self._take_exam(self.contact_a2)
        self._take_exam(self.contact_a, self.other_certification.survey_id)
        self._take_exam(self.contact_b)
        self._take_exam(self.contact_b, right=0)
        partners = self.partner_a | self.partner_b
        code = self._code(self.certification)
        other = self._code(self.other_certification)
        with self.assertQueryCount(2):
            metrics = partners._prm_compute_metrics(
                [("certified_people", 12), (code, 12), (other, 12)]
            )
        self.assertEqual(
            metrics[("certified_people", 12)],
            {self.partner_a.id: 2, self.partner_b.id: 1},
        )
        self.assertEqual(
            metrics[(code, 12)], {self.partner_a.id: 2, self.partner_b.id: 1}
        )
        self.assertEqual(metrics[(other, 12)], {self.partner_a.id: 1})
        # Revoked and expired certificates stop counting.
        self._certificate(self.contact_a2).sudo().state = "revoked"
        with freeze_time(T0 + relativedelta(months=12, days=1)):
            later = partners._prm_compute_metrics([(code, 12)])
        self.assertEqual(later[(code, 12)], {})
        now = partners._prm_compute_metrics([(code, 12)])
        self.assertEqual(now[(code, 12)], {self.partner_a.id: 1, self.partner_b.id: 1})

    @freeze_time(T0)
    def test_what_if_simulation_measures_the_certification(self):
        self.tier_silver.rule_ids = [
            Command.clear(),
            Command.create(
                {
                    **self._rule("certification", 1),
                    "certification_id": self.certification.id,
                }
            ),
        ]
        self._take_exam(self.contact_a)
        simulation = (
            self.env["prm.tier.simulation"].with_user(self.user_prm_admin).create({})
        )
        line = simulation.rule_ids.filtered(lambda r: r.metric == "certification")
        self.assertEqual(line.certification_id, self.certification)
        simulation.action_simulate()
        result = simulation.result_ids.filtered(
            lambda r: r.partner_id == self.partner_a
        )
        self.assertEqual(result.direction, "up")
        self.assertIn("T-Safe storage", result.metric_summary)

    def test_certification_rule_needs_its_certification(self):
        with self.assertRaises(ValidationError):
            self.env["prm.tier.rule"].create(
                {"tier_id": self.tier_gold.id, **self._rule("certification", 1)}
            )

    def test_tier_lost_after_expiry_and_grace(self):
        """Silver asks for one certified person: the partner keeps it while the
        certificate holds, enters the grace period when it expires and is
        downgraded when the grace ends."""
        self.tier_silver.rule_ids = [
            Command.clear(),
            Command.create(
                {
                    **self._rule("certification", 1),
                    "certification_id": self.certification.id,
                }
            ),
        ]
        Engine = self.env["prm.tier.requalification"]

        def requalify():
            partners = self.env["res.partner"].search_fetch(
                [("id", "=", self.partner_a.id)], PARTNER_FIELDS
            )
            return Engine._prm_requalify(partners)

        with freeze_time(T0):
            self._take_exam(self.contact_a)
            self.assertEqual(requalify()["upgrade"], 1)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        expiry = self._certificate(self.contact_a).expiry_date
        with freeze_time(expiry):
            requalify()
            self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
            self.assertFalse(self.partner_a.prm_downgrade_tier_id)
        with freeze_time(expiry + relativedelta(days=1)):
            self.assertEqual(requalify()["grace"], 1)
        with freeze_time(expiry + relativedelta(days=32)):
            self.assertEqual(requalify()["downgrade"], 1)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_registered)
        history = self.env["prm.tier.history"].search(
            [("partner_id", "=", self.partner_a.id)], limit=1
        )
        self.assertIn("T-Safe storage", history.metric_summary)
