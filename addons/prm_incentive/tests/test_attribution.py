from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestIncentiveAttribution(PrmIncentiveCommon):
    """Who earns on an invoice line: resale > deal > referral, unless a rule
    pays every attribution."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_x.prm_referrer_id = cls.partner_referrer

    def _earners(self, program):
        return {
            (line.partner_id, line.attribution): line.amount
            for line in self._accruals(program)
        }

    def test_resale_wins_over_deal(self):
        program = self._create_program(
            [{"pay_resale": True, "pay_deal": True, "pay_referral": True}]
        )
        # The customer is itself a channel partner (it resells); a deal partner
        # is also set on the invoice.
        self._sell(1000, customer=self.partner_a, channel_partner=self.partner_b)
        self.assertEqual(self._earners(program), {(self.partner_a, "resale"): 50.0})

    def test_deal_wins_over_referral(self):
        program = self._create_program(
            [{"pay_resale": True, "pay_deal": True, "pay_referral": True}]
        )
        self._sell(1000, customer=self.customer_x, channel_partner=self.partner_b)
        self.assertEqual(self._earners(program), {(self.partner_b, "deal"): 50.0})

    def test_referral_alone(self):
        program = self._create_program(
            [
                {
                    "pay_resale": False,
                    "pay_deal": False,
                    "pay_referral": True,
                    "rate": 3.0,
                }
            ],
            kind="referral",
        )
        self._sell(1000, customer=self.customer_x)
        self.assertEqual(
            self._earners(program), {(self.partner_referrer, "referral"): 30.0}
        )

    def test_rule_paying_every_attribution(self):
        program = self._create_program(
            [
                {
                    "pay_resale": True,
                    "pay_deal": True,
                    "pay_referral": True,
                    "attribution_mode": "all",
                }
            ]
        )
        self._sell(1000, customer=self.customer_x, channel_partner=self.partner_b)
        self.assertEqual(
            self._earners(program),
            {
                (self.partner_b, "deal"): 50.0,
                (self.partner_referrer, "referral"): 50.0,
            },
        )

    def test_rule_choosing_its_attribution(self):
        """A deal-only rule pays the deal partner even when the customer resells."""
        program = self._create_program([{"pay_resale": False, "pay_deal": True}])
        self._sell(1000, customer=self.partner_a, channel_partner=self.partner_b)
        self.assertEqual(self._earners(program), {(self.partner_b, "deal"): 50.0})

    def test_ineligible_partner_passes_to_next_attribution(self):
        program = self._create_program(
            [{"pay_resale": True, "pay_deal": True}],
            partner_type_ids=[Command.set(self.type_reseller.ids)],
        )
        self.partner_b.sudo().prm_state = "suspended"
        self._sell(1000, customer=self.customer_x, channel_partner=self.partner_b)
        self.assertFalse(self._accruals(program), "A suspended partner earns nothing.")
        self.partner_b.sudo().prm_state = "active"
        self.partner_b.prm_partner_type_id = self.type_referral
        self._sell(1000, customer=self.customer_x, channel_partner=self.partner_b)
        self.assertFalse(self._accruals(program), "Partner type not eligible.")

    def test_tier_eligibility(self):
        program = self._create_program(tier_ids=[Command.set(self.tier_gold.ids)])
        gold = self._create_program_partner("Gold Reseller", tier=self.tier_gold)
        self._sell(1000, customer=gold)
        self._sell(1000, customer=self.partner_a)
        self.assertEqual(self._accruals(program).partner_id, gold)

    def test_sale_order_channel_partner(self):
        """Order-based attribution: the channel partner of the sales order earns
        on the invoice lines it produced."""
        program = self._create_program([{"pay_resale": False, "pay_deal": True}])
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_y.id,
                "prm_partner_id": self.partner_b.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_prm.id,
                            "product_uom_qty": 2,
                            "price_unit": 500.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.prm_partner_id, self.partner_b)
        # Even when the invoice-level channel partner is cleared, the order
        # still attributes its lines.
        invoice.prm_partner_id = False
        invoice.invoice_date = "2025-02-10"
        invoice.action_post()
        self.assertEqual(self._earners(program), {(self.partner_b, "deal"): 50.0})

    def test_channel_partner_changed_after_posting(self):
        program = self._create_program([{"pay_resale": False, "pay_deal": True}])
        invoice = self._sell(
            1000, customer=self.customer_x, channel_partner=self.partner_b
        )
        other = self._create_program_partner("Other Integrator")
        invoice.button_draft()
        invoice.prm_partner_id = other
        invoice.action_post()
        self.assertEqual(self._earners(program), {(other, "deal"): 50.0})

    def test_partner_cannot_be_its_own_referrer(self):
        with self.assertRaisesMsg(ValidationError, "own referrer"):
            self.partner_referrer.prm_referrer_id = self.partner_referrer
