"""One partner's life across the suite, each step as the user who does it:

a company applies on the web form, its channel manager accepts it, onboarding
is completed and the partner activated, its portal user registers a deal, the
channel manager approves it, the deal is won and invoiced, the partner moves up
a tier, and the accountant closes the quarter and pays its commission once.
"""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon


@tagged("post_install", "-at_install")
class TestChannelScenario(PrmIncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spain = cls.env.ref("base.es")
        cls.env["prm.territory.assignment"].create(
            {
                "user_id": cls.user_channel_manager.id,
                "country_ids": [Command.set(cls.spain.ids)],
            }
        )
        cls.env["prm.checklist.template"].create(
            {
                "name": "Reseller onboarding",
                "partner_type_ids": [Command.set(cls.type_reseller.ids)],
                "line_ids": [
                    Command.create(
                        {"name": "NDA signed", "kind": "criterion", "required": True}
                    )
                ],
            }
        )
        cls.program = cls._create_program(
            name="Deal commission",
            rules=[{"rate": 10.0, "pay_resale": False, "pay_deal": True}],
        )
        cls.user_public = new_test_user(
            cls.env, login="scenario_public", groups="base.group_public"
        )
        cls.end_customer = cls.env["res.partner"].create(
            {
                "name": "Hotel Sol S.A.",
                "is_company": True,
                "country_id": cls.spain.id,
                "email": "compras@hotelsol.example.com",
            }
        )

    @freeze_time("2025-02-03 09:00:00")
    def test_from_application_to_commission_paid_once(self):
        # 1. A visitor applies through the public form.
        application = (
            self.env["prm.application"]
            .with_user(self.user_public)
            ._prm_portal_submit(
                {
                    "name": "Costa Integradores S.L.",
                    "country_id": self.spain.id,
                    "contact_name": "Lucía Costa",
                    "email": "lucia@costa-integradores.example.com",
                    "partner_type_id": self.type_reseller.id,
                }
            )
        )
        self.assertEqual(application.user_id, self.user_channel_manager)
        self.assertEqual(application.source, "web")

        # 2. Its channel manager accepts it: a partner in onboarding.
        application.with_user(self.user_channel_manager).action_accept()
        partner = application.partner_id
        self.assertEqual(partner.prm_state, "onboarding")
        self.assertEqual(partner.prm_manager_id, self.user_channel_manager)
        item = partner.prm_checklist_item_ids
        self.assertEqual(item.mapped("name"), ["NDA signed"])

        # 3. It cannot be activated before the checklist is approved.
        with self.assertRaisesRegex(UserError, "NDA signed"):
            partner.with_user(self.user_prm_admin)._prm_set_state("active")
        item.with_user(self.user_channel_manager).write({"confirmed": True})
        item.with_user(self.user_channel_manager).action_submit()
        item.with_user(self.user_prm_admin).action_approve()
        partner.with_user(self.user_prm_admin)._prm_set_state("active")
        self.assertEqual(partner.prm_state, "active")
        self.assertTrue(partner.prm_review_date, "activation plans the first review")

        # 4. Its portal user registers a deal; the channel manager approves it.
        contact = partner.child_ids[:1]
        self.assertEqual(contact.email, "lucia@costa-integradores.example.com")
        portal_user = new_test_user(
            self.env,
            login="costa_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        lead = (
            self.env["crm.lead"]
            .with_user(portal_user)
            ._prm_portal_register_deal(
                {
                    "name": "Hotel Sol — room terminals",
                    "partner_name": "Hotel Sol S.A.",
                    "email_from": "compras@hotelsol.example.com",
                    "country_id": self.spain.id,
                    "expected_revenue": 20000,
                }
            )
        )
        self.assertEqual(lead.prm_registration_state, "submitted")
        # The portal user may not change it any more once decided.
        lead_portal, lead = lead, lead.with_env(self.env)
        lead.with_user(self.user_channel_manager).action_prm_approve_registration()
        self.assertEqual(lead.prm_registration_state, "approved")

        with self.assertRaises(AccessError):
            lead_portal.expected_revenue = 90000
        # 5. Won, quoted, confirmed and invoiced: the partner is the deal's source.
        lead.partner_id = self.end_customer
        lead.action_set_won()
        self.assertEqual(lead.prm_registration_state, "won")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.end_customer.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_server.id, "product_uom_qty": 20}
                    )
                ],
            }
        )
        self.assertEqual(order.prm_partner_id, partner)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = "2025-02-03"
        invoice.action_post()
        self.assertEqual(invoice.prm_partner_id, partner)
        self.assertEqual(invoice.amount_untaxed, 20000.0)

        # 6. The commission accrues; requalification moves the partner up.
        accrual = self.env["prm.incentive.line"].search(
            [("partner_id", "=", partner.id), ("program_id", "=", self.program.id)]
        )
        self.assertEqual(accrual.amount, 2000.0)
        # Activation gave it the entry tier; its sales now earn the next one.
        self.assertEqual(partner.prm_tier_id, self.tier_registered)
        partner.with_user(self.user_channel_manager).action_prm_requalify()
        self.assertEqual(partner.prm_tier_id, self.tier_silver)

        # 7. After the quarter the accountant closes it and posts once.
        with freeze_time("2025-04-02"):
            Settlement = self.env["prm.settlement"].with_user(self.user_accountant)
            settlement = Settlement._close_period(self.program, invoice.invoice_date)
            settlement = settlement.filtered(lambda s: s.partner_id == partner)
            self.assertEqual(settlement.amount_total, 2000.0)
            settlement.action_approve()
            settlement.action_post()
            bill = settlement.move_ids
            self.assertEqual(bill.move_type, "in_invoice")
            self.assertEqual(bill.state, "posted")
            self.assertEqual(bill.partner_id, partner)
            self.assertEqual(bill.amount_total, 2000.0)
            # Closing again pays nothing more.
            again = Settlement._close_period(self.program, invoice.invoice_date)
            self.assertFalse(again.filtered(lambda s: s.partner_id == partner))
