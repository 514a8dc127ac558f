from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrmSelloutCommon

# February 2025: 2 servers (2,000 USD, Germany), 1 server by barcode (500 EUR =
# 625 USD at 0.8 EUR per USD, France), 3 installations (300 USD, Germany).
FEBRUARY = [
    ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
    ["2025-02-04", "4006381333931", "1", "500", "EUR", "FR", "Bistro SARL"],
    ["2025-02-11", "SVC-INST", "3", "300", "", "DE", "Acme GmbH"],
]


@tagged("post_install", "-at_install")
class TestSelloutAccrual(PrmSelloutCommon):
    def _report(self, rows=None, validate=True, **kwargs):
        batch = self._upload(self._csv(rows or FEBRUARY), **kwargs)
        self.assertFalse(batch.error_count, batch.error_summary)
        if validate:
            batch.action_validate()
        return batch

    def test_sellout_rules_against_hand_computed_figures(self):
        program = self._sellout_program(
            [
                {"name": "5% of sell-out"},
                {
                    "name": "10 per server sold",
                    "base": "sellout_quantity",
                    "rate_type": "fixed",
                    "fixed_amount": 10.0,
                    "product_ids": [Command.set(self.product_server.ids)],
                },
                {
                    "name": "2% in Germany",
                    "rate": 2.0,
                    "country_ids": [Command.set(self.country_de.ids)],
                },
                {
                    "name": "10% on hardware",
                    "rate": 10.0,
                    "categ_ids": [Command.set(self.categ_hardware.ids)],
                },
            ]
        )
        batch = self._report()
        accruals = self._accruals(program).sorted(lambda line: line.rule_id.sequence)
        by_rule = {line.rule_id.name: line for line in accruals}
        self.assertEqual(len(accruals), 4, "One accrual per rule and report.")
        # 2,000 + 625 + 300 = 2,925 -> 146.25
        self.assertEqual(by_rule["5% of sell-out"].base, 2925.0)
        self.assertEqual(by_rule["5% of sell-out"].amount, 146.25)
        # 3 servers at 10.00
        self.assertEqual(by_rule["10 per server sold"].base, 3.0)
        self.assertEqual(by_rule["10 per server sold"].amount, 30.0)
        # Germany: 2,000 + 300 = 2,300 at 2% -> 46.00
        self.assertEqual(by_rule["2% in Germany"].amount, 46.0)
        # Hardware (servers, a sub-category): 2,625 at 10% -> 262.50
        self.assertEqual(by_rule["10% on hardware"].amount, 262.5)
        # Dated on the last row each rule earned on.
        self.assertEqual(by_rule["5% of sell-out"].date, date(2025, 2, 11))
        self.assertEqual(by_rule["10 per server sold"].date, date(2025, 2, 4))
        for line in accruals:
            self.assertRecordValues(
                line,
                [
                    {
                        "kind": "sellout",
                        "sellout_batch_id": batch.id,
                        "partner_id": self.distributor.id,
                        "attribution": "resale",
                        "period_start": date(2025, 1, 1),
                        "move_id": False,
                    }
                ],
            )
        self.assertEqual(batch.incentive_line_count, 4)
        # Validating is idempotent: recomputing changes nothing.
        engine = self.env["prm.incentive.engine"].sudo()
        self.assertFalse(engine._build_sellout_plan(batch))

    def test_program_currency_conversion(self):
        program = self._sellout_program(currency_id=self.currency_eur.id)
        self._report()
        # 2,000 USD = 1,600 EUR; 500 EUR; 300 USD = 240 EUR: 2,340 EUR at 5%.
        line = self._accruals(program)
        self.assertEqual((line.base, line.amount), (2340.0, 117.0))

    def test_monthly_program_one_accrual_per_period(self):
        program = self._sellout_program(period="monthly")
        rows = [
            ["2025-01-20", "SRV-100", "1", "1000", "", "DE", ""],
            ["2025-02-03", "SRV-100", "1", "3000", "", "DE", ""],
        ]
        self._report(rows, date_from="2025-01-01")
        self.assertRecordValues(
            self._accruals(program).sorted("date"),
            [
                {
                    "date": date(2025, 1, 20),
                    "period_start": date(2025, 1, 1),
                    "amount": 50.0,
                },
                {
                    "date": date(2025, 2, 3),
                    "period_start": date(2025, 2, 1),
                    "amount": 150.0,
                },
            ],
        )

    def test_tier_multiplier_and_eligibility(self):
        program = self._sellout_program(
            [
                {
                    "tier_multiplier_ids": [
                        Command.create(
                            {"tier_id": self.tier_registered.id, "multiplier": 2.0}
                        )
                    ]
                }
            ]
        )
        self._report()
        self.assertEqual(self._amount(program), 292.5)
        onboarding = self._create_program_partner("Zeta Onboarding", state="onboarding")
        self._report(partner=onboarding)
        self.assertFalse(self._accruals(program, partner_id=onboarding.id))

    def test_invoices_and_sellout_bases_stay_apart(self):
        program = self._create_program(
            [{"name": "Revenue"}, {"name": "Sell-out", "base": "sellout_amount"}]
        )
        self._sell(1000, customer=self.distributor)
        line = self._accruals(program)
        self.assertEqual(
            (line.rule_id.name, line.kind, line.amount), ("Revenue", "line", 50.0)
        )
        self._report()
        sellout = self._accruals(program, kind="sellout")
        self.assertEqual((sellout.rule_id.name, sellout.amount), ("Sell-out", 146.25))

    def test_draft_and_cancelled_reports_do_not_earn(self):
        program = self._sellout_program()
        batch = self._report(validate=False)
        self.assertFalse(self._accruals(program))
        batch.action_validate()
        self.assertEqual(self._amount(program), 146.25)
        batch.action_cancel()
        self.assertFalse(self._accruals(program), "Open accruals are withdrawn.")
        batch.action_draft()
        batch.action_validate()
        self.assertEqual(self._amount(program), 146.25)

    def test_cancel_after_settlement_claws_back(self):
        program = self._sellout_program(payout_grouping="invoice")
        batch = self._report()
        with freeze_time("2025-04-15"):
            settlement = self._settle_and_post(program, "2025-03-31")
        self.assertEqual(settlement.amount_total, 146.25)
        bill = settlement.move_ids
        self.assertEqual(len(bill.invoice_line_ids), 1)
        self.assertIn(batch.name, bill.invoice_line_ids.name)
        self.assertEqual(bill.amount_total, 146.25)

        batch.action_cancel()
        original = self._accruals(program, settlement_id=settlement.id)
        clawback = self._accruals(program, settlement_id=False)
        self.assertRecordValues(
            clawback,
            [
                {
                    "kind": "sellout",
                    "amount": -146.25,
                    "base": -2925.0,
                    "origin_line_id": original.id,
                    "is_clawback": True,
                    "revision": 1,
                    "sellout_batch_id": batch.id,
                }
            ],
        )
        self.assertEqual(original.amount, 146.25, "Settled accruals never change.")
        # April's sell-out pays what is left after the clawback.
        self._report(
            [["2025-04-08", "SRV-100", "4", "4000", "", "DE", ""]],
            date_from="2025-04-01",
            date_to="2025-04-30",
        )
        with freeze_time("2025-07-10"):
            next_settlement = self._settle_and_post(program, "2025-06-30")
        self.assertEqual(next_settlement.amount_total, 53.75)
        self.assertEqual(next_settlement.move_ids.amount_total, 53.75)
        self.assertEqual(len(next_settlement.move_ids.invoice_line_ids), 2)

    def test_period_close_catches_up_with_reports(self):
        """A report validated before the program existed earns at period
        close; the preview shows it first."""
        self._report()
        program = self._sellout_program()
        self.assertFalse(self._accruals(program))
        with freeze_time("2025-04-15"):
            rows = self.env["prm.settlement"]._preview_close(program, date(2025, 3, 31))
            self.assertEqual(rows[0]["pending"], 146.25)
            settlement = self._close(program, "2025-03-31")
        self.assertEqual(settlement.amount_total, 146.25)

    def test_rebate_and_brackets_on_sellout(self):
        rebate = self._sellout_program(kind="rebate", rules=[{"rate": 3.0}])
        brackets = self._sellout_program(
            rules=[
                {
                    "base": "sellout_quantity",
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "amount_from": 0,
                                "amount_to": 5,
                                "rate": 1.0,
                            }
                        ),
                        Command.create({"sequence": 2, "amount_from": 5, "rate": 2.0}),
                    ],
                }
            ]
        )
        self._report()
        with freeze_time("2025-04-15"):
            settlements = self._close(rebate | brackets, "2025-03-31")
        # 3% of 2,925 at period close; 6 units reach the 2.00 bracket: 12.00.
        self.assertEqual(
            settlements.filtered(lambda s: s.program_id == rebate).amount_total, 87.75
        )
        self.assertEqual(
            settlements.filtered(lambda s: s.program_id == brackets).amount_total, 12.0
        )

    def test_rule_base_and_rate_checks(self):
        with self.assertRaisesMsg(ValidationError, "fixed amount per unit needs"):
            self._sellout_program([{"rate_type": "fixed", "fixed_amount": 1.0}])
        with self.assertRaisesMsg(ValidationError, "percentage needs"):
            self._sellout_program([{"base": "sellout_quantity"}])

    def test_sellout_revenue_metric(self):
        self._report()
        # Not counted: a draft report, a cancelled one, rows outside the period.
        self._report(validate=False)
        self._report().action_cancel()
        self._report(
            [["2025-04-08", "SRV-100", "1", "9999", "", "DE", ""]],
            date_from="2025-04-01",
            date_to="2025-04-30",
        )
        metrics = self.distributor._prm_compute_metrics(
            [("sellout_revenue", 3)], date_to=date(2025, 3, 31)
        )
        self.assertEqual(metrics[("sellout_revenue", 3)], {self.distributor.id: 2925.0})
        metrics = self.partner_a._prm_compute_metrics(
            [("sellout_revenue", 3)], date_to=date(2025, 3, 31)
        )
        self.assertEqual(metrics[("sellout_revenue", 3)], {})

    @freeze_time("2025-03-10")
    def test_tier_rule_on_sellout_requalifies(self):
        tier = self.env["prm.tier"].create(
            {
                "name": "T-Distributor",
                "sequence": 1025,
                "rule_ids": [Command.create(self._rule("sellout_revenue", 2500))],
            }
        )
        admin = self.user_prm_admin
        self.distributor.with_user(admin).action_prm_requalify()
        self.assertEqual(self.distributor.prm_tier_id, self.tier_registered)
        self._report()
        self.distributor.with_user(admin).action_prm_requalify()
        self.assertEqual(self.distributor.prm_tier_id, tier)
        history = self.env["prm.tier.history"].search(
            [("partner_id", "=", self.distributor.id)]
        )
        self.assertEqual(history.metric_values.get("sellout_revenue/12"), 2925.0)
