"""Issue 10, points 16 and 17: numbers are finite and bounded, texts have a
length limit and no NUL character; refused with a clear message, nothing
stored."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestInputLimits(PrmCommon):
    def test_16_tier_thresholds_are_finite_and_bounded(self):
        rule = self.tier_silver.rule_ids
        Rule = self.env["prm.tier.rule"].with_user(self.user_prm_admin)
        for value in (
            "nan",
            "NaN",
            float("nan"),
            "inf",
            float("-inf"),
            "1e400",
            1e15,
            -1,
        ):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "must be a number from 0"):
                    rule.with_user(self.user_prm_admin).write({"threshold": value})
                with self.assertRaisesRegex(ValidationError, "must be a number from 0"):
                    Rule.create(
                        {
                            "tier_id": self.tier_gold.id,
                            "metric": "representatives",
                            "threshold": value,
                        }
                    )
        self.assertEqual(rule.threshold, 1)
        self.assertEqual(len(self.tier_gold.rule_ids), 1)
        # Requalification still runs for everybody.
        summary = self.env["prm.tier.requalification"]._prm_requalify(
            self.partner_a | self.partner_b
        )
        self.assertEqual(sum(summary.values()), 2)

    def test_17_application_texts_and_figures(self):
        Application = self.env["prm.application"].with_user(self.user_prm_admin)
        base = {"name": "Limits Ltd", "email": "info@limits.test"}
        cases = [
            ({"name": "N" * 1_000_000}, "too long"),
            ({"description": "D" * 20_000_000}, "too long"),
            ({"name": "Limits\x00 Ltd"}, "NUL character"),
            ({"contact_name": "Ann\x00"}, "NUL character"),
            ({"declared_revenue": 1e20}, "must be a number from 0"),
            ({"declared_revenue": float("nan")}, "must be a number from 0"),
            ({"headcount": 10**9}, "must be a number from 0"),
        ]
        for vals, message in cases:
            with self.subTest(field=next(iter(vals)), message=message):
                with self.assertRaisesRegex(ValidationError, message):
                    Application.create({**base, **vals})
                with self.assertRaisesRegex(ValidationError, message):
                    Application._prm_portal_submit(
                        {**base, "contact_name": "Ann", **vals}
                    )
        self.assertFalse(
            self.env["prm.application"].search([("email", "=", "info@limits.test")])
        )
        app = Application.create(base)
        with self.assertRaisesRegex(ValidationError, "NUL character"):
            app.write({"description": "cut\x00here"})
        self.assertFalse(app.description)
        app.write({"description": "D" * 10_000})
        self.assertEqual(len(app.description), 10_000)
