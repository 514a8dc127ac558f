from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase


@tagged("post_install", "-at_install")
class TestOfferDeclineTour(PrmTourCase):
    """A channel manager declines a routed lead for its partner through the
    decline wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = cls.env.ref("base.user_admin")
        partner = cls.env["res.partner"].create(
            {
                "name": "Tour Offer Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_manager_id": admin.id,
            }
        )
        lead = cls.env["crm.lead"].create({"name": "Tour routed lead"})
        cls.offer = cls.env["prm.lead.offer"].create(
            {
                "lead_id": lead.id,
                "partner_id": partner.id,
                "deadline": fields.Datetime.now() + timedelta(days=2),
            }
        )

    def test_decline_for_the_partner(self):
        self.start_tour("/odoo", "prm_offer_decline", login="admin")
        self.assertEqual(self.offer.state, "declined")
        self.assertEqual(
            self.offer.decline_reason_id,
            self.env.ref("prm_crm.offer_decline_reason_territory"),
        )
        self.assertEqual(self.offer.responded_by_id, self.env.ref("base.user_admin"))
