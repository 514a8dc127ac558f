from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestPartner360Tour(PrmTourCase):
    """The smart buttons CRM and Sales put on the partner form open the
    records sold through the partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        partner = (
            cls.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "Tour 360 Partner",
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_partner_type_id": cls.env.ref(
                        "prm_partner.partner_type_reseller"
                    ).id,
                    "prm_state": "active",
                    "prm_manager_id": admin.id,
                }
            )
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour 360 Customer", "is_company": True}
        )
        cls.env["crm.lead"].create(
            {
                "name": "Tour 360 deal",
                "type": "opportunity",
                "partner_id": customer.id,
                "prm_partner_id": partner.id,
            }
        )
        cls.env["sale.order"].create(
            {"partner_id": customer.id, "prm_partner_id": partner.id}
        )

    def test_partner_360_buttons(self):
        self.start_tour("/odoo", "prm_partner_360", login="admin")
