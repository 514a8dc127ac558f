"""Fixture of the sales side: the program of ``PrmCommon`` on an isolated
company with a chart of accounts, its silver and gold tiers qualified on
revenue, and helpers that post real customer invoices."""

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.prm_partner.tests.common import PrmCommon


class PrmSaleCommon(PrmCommon, AccountTestInvoicingCommon):
    """Program fixtures on a fresh company with a chart of accounts."""

    @classmethod
    def get_default_groups(cls):
        # The fixture user (accountman) sets up tiers, leads and orders.
        return (
            super().get_default_groups()
            | cls.quick_ref("prm_partner.group_prm_manager")
            | cls.quick_ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_groups(cls.user_channel_manager, "sales_team.group_sale_salesman")
        cls._add_groups(cls.user_prm_admin, "sales_team.group_sale_manager")
        cls.tier_silver.rule_ids = [
            Command.clear(),
            Command.create(cls._rule("invoiced_revenue", 10000)),
        ]
        cls.tier_gold.rule_ids = [
            Command.clear(),
            Command.create(cls._rule("invoiced_revenue", 50000)),
            Command.create(cls._rule("active_customers", 2)),
        ]
        cls.product_prm = cls._create_product(
            name="PRM Widget", lst_price=1000.0, taxes_id=[Command.clear()]
        )
        cls.customer_x = cls.env["res.partner"].create({"name": "End Customer X"})
        cls.customer_y = cls.env["res.partner"].create({"name": "End Customer Y"})

    @classmethod
    def _post_invoice(
        cls, customer, amount, date=None, channel_partner=None, refund=False
    ):
        """Post a customer invoice (or credit note) of ``amount`` untaxed."""
        move = cls.env["account.move"].create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": customer.id,
                "invoice_date": date or cls.today,
                "prm_partner_id": channel_partner.id if channel_partner else False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_prm.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move
