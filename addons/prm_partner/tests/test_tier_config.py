from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestTierConfig(PrmCommon):
    def test_negative_threshold(self):
        with self.assertRaisesRegex(ValidationError, "must be a number from 0"):
            self.env["prm.tier.rule"].create(
                {**self._rule("representatives", -5), "tier_id": self.tier_silver.id}
            )

    def test_non_numeric_threshold(self):
        rule = self.tier_silver.rule_ids
        with self.assertRaisesRegex(
            ValidationError, "must be a number from 0 .*, not “lots”"
        ):
            rule.write({"threshold": "lots"})
        self.assertEqual(rule.threshold, 1)

    def test_unknown_metric(self):
        with self.assertRaisesRegex(ValidationError, "Unknown tier metric “karma”"):
            self.env["prm.tier.rule"].create(
                {**self._rule("karma", 5), "tier_id": self.tier_silver.id}
            )

    def test_bad_tier_is_not_half_written(self):
        """A bad rule in a new tier leaves neither the tier nor its good rules."""
        Tier = self.env["prm.tier"]
        before = Tier.search_count([])
        with self.assertRaises(ValidationError):
            Tier.create(
                {
                    "name": "Broken",
                    "sequence": 5000,
                    "rule_ids": [
                        Command.create(self._rule("representatives", 100)),
                        Command.create(self._rule("representatives", -1, months=6)),
                    ],
                }
            )
        self.assertEqual(Tier.search_count([]), before)

    def test_same_rank_overlaps(self):
        with self.assertRaisesRegex(ValidationError, "have the same rank"):
            self.env["prm.tier"].create({"name": "Twin", "sequence": 1020})

    def test_higher_tier_cannot_ask_less(self):
        with self.assertRaisesRegex(ValidationError, "the tier definitions overlap"):
            self.env["prm.tier"].create(
                {
                    "name": "Diamond",
                    "sequence": 1040,
                    "rule_ids": [Command.create(self._rule("representatives", 2))],
                }
            )
        # Raising a lower tier above a higher one is caught too.
        with self.assertRaisesRegex(ValidationError, "the tier definitions overlap"):
            self.tier_silver.rule_ids.threshold = 4

    def test_lookback_bounds_in_database(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE prm_tier_rule SET lookback_months = 0 WHERE id = %s",
                [self.tier_silver.rule_ids.id],
            )
