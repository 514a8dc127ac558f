from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestIncentiveValidation(PrmIncentiveCommon):
    """Bad input gets a clear error and leaves nothing half-written."""

    def _program_count(self):
        return (
            self.env["prm.incentive.program"]
            .with_context(active_test=False)
            .search_count([])
        )

    def _assert_refused(self, message, rules=None, **vals):
        count = self._program_count()
        with self.assertRaisesMsg(ValidationError, message):
            self._create_program(rules, **vals)
        self.assertEqual(self._program_count(), count, "Half-written program.")

    def test_negative_rate(self):
        self._assert_refused("between 0 and 100", [{"rate": -5.0}])

    def test_rate_above_hundred(self):
        self._assert_refused("between 0 and 100", [{"rate": 150.0}])

    def test_negative_amount_per_unit(self):
        self._assert_refused(
            "cannot be negative",
            [{"base": "quantity", "rate_type": "fixed", "fixed_amount": -1.0}],
        )

    def test_negative_cap(self):
        self._assert_refused("cannot be negative", [{"cap_amount": -10.0}])

    def test_fixed_amount_needs_quantity(self):
        self._assert_refused(
            "needs the quantity base", [{"rate_type": "fixed", "fixed_amount": 5.0}]
        )

    def test_percentage_needs_money(self):
        self._assert_refused(
            "needs a revenue, margin or sell-out amount", [{"base": "quantity"}]
        )

    def test_validity_dates_in_wrong_order(self):
        self._assert_refused(
            "ends .* before it starts", date_start="2025-06-01", date_end="2025-05-31"
        )

    def test_no_attribution(self):
        self._assert_refused(
            "pays on no attribution",
            [{"pay_resale": False, "pay_deal": False, "pay_referral": False}],
        )

    def test_accelerator_below_one(self):
        self._assert_refused(
            "at least 1",
            [{"accelerator_target": 1000.0, "accelerator_multiplier": 0.5}],
        )

    def test_brackets_missing(self):
        self._assert_refused("has none", [{"rate_type": "bracket"}])

    def test_brackets_overlapping(self):
        self._assert_refused(
            "overlaps",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "amount_from": 0,
                                "amount_to": 1000,
                                "rate": 1,
                            }
                        ),
                        Command.create({"sequence": 2, "amount_from": 500, "rate": 2}),
                    ],
                }
            ],
        )

    def test_brackets_open_ended_in_the_middle(self):
        self._assert_refused(
            "overlaps",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create({"sequence": 1, "amount_from": 0, "rate": 1}),
                        Command.create({"sequence": 2, "amount_from": 500, "rate": 2}),
                    ],
                }
            ],
        )

    def test_brackets_unordered(self):
        self._assert_refused(
            "unordered",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create({"sequence": 1, "amount_from": 1000, "rate": 2}),
                        Command.create(
                            {
                                "sequence": 2,
                                "amount_from": 0,
                                "amount_to": 1000,
                                "rate": 1,
                            }
                        ),
                    ],
                }
            ],
        )

    def test_brackets_with_gap(self):
        self._assert_refused(
            "gap between",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "amount_from": 0,
                                "amount_to": 1000,
                                "rate": 1,
                            }
                        ),
                        Command.create({"sequence": 2, "amount_from": 2000, "rate": 2}),
                    ],
                }
            ],
        )

    def test_bracket_negative_values(self):
        self._assert_refused(
            "cannot be negative",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [Command.create({"amount_from": -100, "rate": 1})],
                }
            ],
        )
        self._assert_refused(
            "cannot be negative",
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [Command.create({"amount_from": 0, "rate": -1})],
                }
            ],
        )

    def test_bracket_edited_into_overlap(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "amount_from": 0,
                                "amount_to": 1000,
                                "rate": 1,
                            }
                        ),
                        Command.create({"sequence": 2, "amount_from": 1000, "rate": 2}),
                    ],
                }
            ]
        )
        second = program.rule_ids.bracket_ids[1]
        with self.assertRaisesMsg(ValidationError, "overlaps"):
            second.amount_from = 800
        self.assertEqual(second.amount_from, 1000)

    def test_negative_tier_multiplier(self):
        self._assert_refused(
            "cannot be negative",
            [
                {
                    "tier_multiplier_ids": [
                        Command.create({"tier_id": self.tier_gold.id, "multiplier": -1})
                    ]
                }
            ],
        )

    def test_journal_of_the_wrong_type(self):
        self._assert_refused(
            "must be of type purchase", journal_id=self.journal_sale.id
        )

    def test_currency_locked_by_accruals(self):
        program = self._create_program()
        self._sell(1000)
        eur = self.setup_other_currency("EUR")
        with self.assertRaisesMsg(ValidationError, "can no longer change"):
            program.currency_id = eur
        with self.assertRaisesMsg(ValidationError, "can no longer change"):
            program.period = "monthly"
        self.assertEqual(program.period, "quarterly")
        self.assertEqual(
            self._accruals(program).currency_id, self.env.company.currency_id
        )

    def test_rule_base_locked_by_accruals(self):
        program = self._create_program()
        self._sell(1000)
        rule = program.rule_ids
        with self.assertRaisesMsg(ValidationError, "can no longer change"):
            rule.write({"base": "margin"})
        self.assertEqual(rule.base, "revenue")
