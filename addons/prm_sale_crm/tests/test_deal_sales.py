from odoo import Command
from odoo.tests import tagged

from odoo.addons.prm_crm.tests.common import PrmDealCommon


@tagged("post_install", "-at_install")
class TestDealOwnershipFromSales(PrmDealCommon):
    def test_customer_with_orders_through_another_partner(self):
        customer = self.env["res.partner"].create(
            {"name": "Omega Retail", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Olaf Omega", "parent_id": customer.id}
        )
        product = self.env["product.product"].create(
            {"name": "PRM Widget", "list_price": 100.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": contact.id,
                "prm_partner_id": self.partner_b.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        lead = self._register(self.user_portal_a, partner_name="Omega Retail")
        # A quotation claims nothing yet.
        self.assertEqual(lead.prm_registration_state, "submitted")
        order.action_confirm()
        lead.action_prm_check_conflicts()
        self.assertEqual(lead.prm_registration_state, "conflict")
        self.assertEqual(lead.prm_conflict_ids.kind, "customer")
        self.assertEqual(lead.prm_conflict_ids.conflict_partner_id, customer)
        self.assertEqual(lead.prm_conflict_ids.owner_partner_id, self.partner_b)

    def test_orders_from_a_won_registration_are_sold_through_the_partner(self):
        lead, customer = self._won_registration()
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "opportunity_id": lead.id}
        )
        self.assertEqual(order.prm_partner_id, self.partner_a)
        # The quotation button of the opportunity says the same.
        context = lead._prepare_opportunity_quotation_context()
        self.assertEqual(context["default_prm_partner_id"], self.partner_a.id)
        # A channel partner chosen by hand on an order without opportunity stays.
        other = self.env["sale.order"].create(
            {"partner_id": customer.id, "prm_partner_id": self.partner_b.id}
        )
        self.assertEqual(other.prm_partner_id, self.partner_b)
