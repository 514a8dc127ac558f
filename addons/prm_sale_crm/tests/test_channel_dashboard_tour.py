from odoo import Command
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestChannelDashboardTour(PrmTourCase):
    """The channel dashboard in the browser: figures, threshold, list action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        company = admin.company_id
        Partner = cls.env["res.partner"]

        def partner(name):
            return Partner.sudo().create(
                {
                    "name": name,
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": "active",
                    "prm_manager_id": admin.id,
                }
            )

        traffic, top = partner("Tour Traffic Partner"), partner("Tour Top Partner")
        leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Tour routed lead {i}",
                    "user_id": False,
                    "company_id": company.id,
                }
                for i in range(3)
            ]
        )
        cls.env["prm.lead.offer"].create(
            [{"lead_id": lead.id, "partner_id": traffic.id} for lead in leads]
        )
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": top.id,
                "company_id": company.id,
                "invoice_date": cls.env.cr.now().date(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Tour resale",
                            "price_unit": 10**9,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()

    def test_channel_dashboard(self):
        self.start_tour("/odoo", "prm_channel_dashboard", login="admin")
