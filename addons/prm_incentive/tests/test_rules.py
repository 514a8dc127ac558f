from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import PrmIncentiveCommon

BRACKETS = [
    Command.create({"sequence": 1, "amount_from": 0, "amount_to": 50000, "rate": 2.0}),
    Command.create(
        {"sequence": 2, "amount_from": 50000, "amount_to": 100000, "rate": 3.0}
    ),
    Command.create({"sequence": 3, "amount_from": 100000, "rate": 4.0}),
]


@tagged("post_install", "-at_install")
class TestIncentiveRules(PrmIncentiveCommon):
    """Each rate type and modifier against figures computed by hand."""

    def test_percentage_on_revenue(self):
        program = self._create_program()
        self._sell(1234.56)
        line = self._accruals(program)
        self.assertEqual(len(line), 1)
        # 1,234.56 x 5% = 61.728, kept at full precision (settlements round)
        self.assertEqual(line.amount, 61.728)
        self.assertEqual(line.base, 1234.56)
        self.assertEqual(line.partner_id, self.partner_a)
        self.assertEqual(line.attribution, "resale")
        self.assertEqual(line.rate_display, "5 %")

    def test_fixed_amount_per_unit(self):
        program = self._create_program(
            [
                {
                    "base": "quantity",
                    "rate_type": "fixed",
                    "fixed_amount": 20.0,
                    "product_ids": [Command.set(self.product_server.ids)],
                }
            ],
            kind="spiff",
        )
        self._invoice(
            self.partner_a,
            [(self.product_server, 3, 1000.0), (self.product_service, 5, 100.0)],
        )
        line = self._accruals(program)
        # SPIFF on the server only: 3 units x 20.00
        self.assertEqual(line.product_id, self.product_server)
        self.assertEqual(line.base, 3.0)
        self.assertEqual(line.amount, 60.0)

    def test_margin_base_needs_a_cost(self):
        program = self._create_program([{"base": "margin", "rate": 10.0}])
        self._invoice(
            self.partner_a,
            [(self.product_server, 2, 1000.0), (self.product_service, 1, 100.0)],
        )
        line = self._accruals(program)
        # (2 x 1,000 - 2 x 600) x 10% = 80; the service has no cost: no accrual.
        self.assertEqual(line.product_id, self.product_server)
        self.assertEqual(line.base, 800.0)
        self.assertEqual(line.amount, 80.0)

    def test_child_categories(self):
        program = self._create_program(
            [{"categ_ids": [Command.set(self.categ_hardware.ids)]}]
        )
        self._invoice(
            self.partner_a,
            [(self.product_server, 1, 1000.0), (self.product_service, 1, 100.0)],
        )
        lines = self._accruals(program)
        # The server is in Hardware / Servers, a child of the filtered category.
        self.assertEqual(lines.product_id, self.product_server)
        self.assertEqual(lines.amount, 50.0)

    def test_customer_country_filter(self):
        belgium = self.env.ref("base.be")
        program = self._create_program(
            [{"country_ids": [Command.set(belgium.ids)], "pay_resale": False}]
        )
        self.customer_x.country_id = belgium
        self.customer_y.country_id = self.env.ref("base.fr")
        self._sell(1000, customer=self.customer_x, channel_partner=self.partner_b)
        self._sell(1000, customer=self.customer_y, channel_partner=self.partner_b)
        lines = self._accruals(program)
        self.assertEqual(lines.customer_id, self.customer_x)

    def test_launch_filter(self):
        launch = self.env["prm.launch"].create(
            {
                "name": "Server launch",
                "date_start": "2025-02-01",
                "date_end": "2025-03-31",
                "product_ids": [Command.set(self.product_server.ids)],
            }
        )
        program = self._create_program(
            [
                {
                    "base": "quantity",
                    "rate_type": "fixed",
                    "fixed_amount": 30.0,
                    "launch_id": launch.id,
                }
            ],
            kind="spiff",
        )
        lines = [(self.product_server, 2, 1000.0), (self.product_service, 1, 100.0)]
        self._invoice(self.partner_a, lines, date="2025-01-31")  # before the launch
        self._invoice(self.partner_a, lines, date="2025-02-10")
        self._invoice(self.partner_a, lines, date="2025-04-01")  # after it
        accrual = self._accruals(program)
        self.assertEqual(accrual.product_id, self.product_server)
        self.assertEqual(accrual.date.isoformat(), "2025-02-10")
        self.assertEqual(accrual.amount, 60.0)

    def test_tier_multiplier(self):
        program = self._create_program(
            [
                {
                    "tier_multiplier_ids": [
                        Command.create(
                            {"tier_id": self.tier_gold.id, "multiplier": 1.5}
                        )
                    ]
                }
            ]
        )
        gold = self._create_program_partner("Gold Reseller", tier=self.tier_gold)
        self._sell(1000, customer=gold)
        self._sell(1000, customer=self.partner_a)
        self.assertEqual(self._amount(program, gold), 75.0)
        # No row for the registered tier: x1.
        self.assertEqual(self._amount(program, self.partner_a), 50.0)
        self.assertEqual(self._accruals(program, partner_id=gold.id).multiplier, 1.5)

    def test_validity_dates(self):
        program = self._create_program(date_start="2025-02-01", date_end="2025-02-28")
        self._sell(1000, date="2025-01-31")
        self._sell(1000, date="2025-02-28")
        self._sell(1000, date="2025-03-01")
        self.assertEqual(self._accruals(program).date.isoformat(), "2025-02-28")

    @freeze_time("2025-04-15")
    def test_brackets_retroactive(self):
        program = self._create_program(
            [{"rate_type": "bracket", "bracket_ids": BRACKETS}]
        )
        self._sell(60000, date="2025-01-15")
        self._sell(60000, date="2025-03-15")
        # Invoice lines carry the base only; the amount is decided on the total.
        self.assertEqual(self._amount(program), 0.0)
        self._close(program, "2025-03-31")
        result = self._accruals(program, kind="period")
        # 120,000 reaches the 4% bracket: 4% of the whole base.
        self.assertEqual(result.amount, 4800.0)
        self.assertEqual(result.period_base, 120000.0)
        self.assertEqual(result.date.isoformat(), "2025-03-31")

    @freeze_time("2025-04-15")
    def test_brackets_with_tier_multiplier(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": BRACKETS,
                    "tier_multiplier_ids": [
                        Command.create(
                            {"tier_id": self.tier_gold.id, "multiplier": 1.5}
                        )
                    ],
                }
            ]
        )
        gold = self._create_program_partner("Gold Reseller", tier=self.tier_gold)
        self._sell(60000, customer=gold)
        self._sell(60000, customer=self.partner_a)
        self._close(program, "2025-03-31")
        # 60,000 at 3%: 1,800; x1.5 for gold.
        self.assertEqual(self._amount(program, gold), 2700.0)
        self.assertEqual(self._amount(program, self.partner_a), 1800.0)

    @freeze_time("2025-04-15")
    def test_brackets_progressive(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_mode": "progressive",
                    "bracket_ids": BRACKETS,
                }
            ]
        )
        self._sell(60000, date="2025-01-15")
        self._sell(60000, date="2025-03-15")
        self._close(program, "2025-03-31")
        # 50,000 x 2% + 50,000 x 3% + 20,000 x 4% = 1,000 + 1,500 + 800
        self.assertEqual(self._amount(program, kind="period"), 3300.0)

    @freeze_time("2025-04-15")
    def test_brackets_below_first_threshold(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create({"amount_from": 10000, "rate": 2.0}),
                    ],
                }
            ]
        )
        self._sell(9000)
        settlement = self._close(program, "2025-03-31")
        self.assertEqual(self._amount(program), 0.0)
        self.assertEqual(settlement.amount_total, 0.0)
        self.assertEqual(settlement.line_count, 1, "The base line is still settled.")

    @freeze_time("2025-04-15")
    def test_quarterly_volume_rebate(self):
        program = self._create_program(
            [{"rate": 2.0, "pay_deal": False}], kind="rebate"
        )
        self._sell(30000, date="2025-01-20")
        self._sell(20000, date="2025-02-20")
        self._sell(7777, date="2025-04-02")  # next quarter
        self.assertEqual(self._amount(program), 0.0)
        settlement = self._close(program, "2025-02-01")
        self.assertEqual(settlement.amount_total, 1000.0)
        self.assertEqual(settlement.date_from.isoformat(), "2025-01-01")
        self.assertEqual(settlement.date_to.isoformat(), "2025-03-31")
        self.assertEqual(
            len(settlement.line_ids.filtered(lambda line: line.kind == "line")), 2
        )

    @freeze_time("2025-04-15")
    def test_target_bonus(self):
        program = self._create_program(
            [
                {
                    "rate_type": "bracket",
                    "bracket_ids": [
                        Command.create(
                            {
                                "amount_from": 100000,
                                "amount_to": 200000,
                                "fixed_amount": 5000,
                            }
                        ),
                        Command.create({"amount_from": 200000, "fixed_amount": 8000}),
                    ],
                }
            ],
            kind="bonus",
        )
        reseller_2 = self._create_program_partner("Second Reseller")
        self._sell(120000, customer=self.partner_a)
        self._sell(90000, customer=reseller_2)
        self._close(program, "2025-03-31")
        self.assertEqual(self._amount(program, self.partner_a), 5000.0)
        self.assertEqual(self._amount(program, reseller_2), 0.0)

    @freeze_time("2025-04-15")
    def test_cap_per_period(self):
        program = self._create_program([{"cap_amount": 80.0}])
        self._sell(1000, date="2025-01-10")
        self._sell(1000, date="2025-02-10")
        self.assertEqual(self._amount(program), 100.0, "Lines earn in full.")
        settlement = self._close(program, "2025-03-31")
        capped = self._accruals(program, kind="period")
        self.assertEqual(capped.amount, -20.0)
        self.assertEqual(settlement.amount_total, 80.0)

    @freeze_time("2025-04-15")
    def test_accelerator(self):
        program = self._create_program(
            [{"accelerator_target": 1500.0, "accelerator_multiplier": 2.0}]
        )
        self._sell(1000, date="2025-01-10")
        self._sell(1000, date="2025-02-10")
        settlement = self._close(program, "2025-03-31")
        # 100 earned on 2,000; the 500 above target earn 25, doubled: +25.
        self.assertEqual(self._accruals(program, kind="period").amount, 25.0)
        self.assertEqual(settlement.amount_total, 125.0)

    @freeze_time("2025-04-15")
    def test_accelerator_not_reached(self):
        program = self._create_program(
            [{"accelerator_target": 5000.0, "accelerator_multiplier": 2.0}]
        )
        self._sell(1000)
        settlement = self._close(program, "2025-03-31")
        self.assertFalse(self._accruals(program, kind="period"))
        self.assertEqual(settlement.amount_total, 50.0)
