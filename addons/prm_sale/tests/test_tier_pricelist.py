from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import new_test_user, tagged

from .common import PrmSaleCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestTierPricelist(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = cls.env.ref("product.group_product_pricelist")
        cls.env["res.users"].browse(SUPERUSER_ID).sudo().group_ids += group
        Pricelist = cls.env["product.pricelist"]
        cls.pricelist_silver = Pricelist.create({"name": "Silver partners -5%"})
        cls.pricelist_hand = Pricelist.create({"name": "Negotiated"})
        cls.tier_silver.pricelist_id = cls.pricelist_silver
        cls.partner_silver = cls._create_program_partner(
            "Silver Co", tier=cls.tier_silver
        )
        cls.contact_silver = cls.env["res.partner"].create(
            {"name": "Sam Silver", "parent_id": cls.partner_silver.id}
        )

    def test_tier_pricelist_applies_to_partner_and_contacts(self):
        self.assertEqual(
            self.partner_silver.property_product_pricelist, self.pricelist_silver
        )
        self.assertEqual(
            self.contact_silver.property_product_pricelist, self.pricelist_silver
        )
        self.assertNotEqual(
            self.partner_a.property_product_pricelist, self.pricelist_silver
        )
        order = (
            self.env["sale.order"]
            .with_user(self.user_prm_admin)
            .create({"partner_id": self.contact_silver.id})
        )
        self.assertEqual(order.pricelist_id, self.pricelist_silver)

    def test_pricelist_set_by_hand_wins(self):
        self.partner_silver.property_product_pricelist = self.pricelist_hand
        self.assertEqual(
            self.partner_silver.property_product_pricelist, self.pricelist_hand
        )
        self.assertEqual(
            self.contact_silver.property_product_pricelist, self.pricelist_hand
        )
        # Even a hand-set pricelist that is the country default sticks.
        default = self.env["product.pricelist"]._get_country_pricelist_multi([])[False]
        self.assertTrue(default)
        self.partner_silver.property_product_pricelist = default
        self.env.invalidate_all()
        self.assertEqual(self.partner_silver.property_product_pricelist, default)
        # Choosing the tier pricelist again hands control back to the tier.
        self.partner_silver.property_product_pricelist = self.pricelist_silver
        self.env.invalidate_all()
        self.assertFalse(self.partner_silver.specific_property_product_pricelist)
        self.assertEqual(
            self.partner_silver.property_product_pricelist, self.pricelist_silver
        )

    def test_only_active_partners_get_it(self):
        self.partner_silver._prm_set_state("suspended")
        self.assertNotEqual(
            self.contact_silver.property_product_pricelist, self.pricelist_silver
        )

    @freeze_time(T0)
    def test_follows_the_tier_on_requalification(self):
        contact = self.contact_a
        self.assertNotEqual(contact.property_product_pricelist, self.pricelist_silver)
        self.assertNotEqual(
            self.partner_a.property_product_pricelist, self.pricelist_silver
        )
        self._post_invoice(self.partner_a, 15000, date=T0)
        self.partner_a.with_user(self.user_prm_admin).action_prm_requalify()
        # No invalidation here: the cached pricelists follow the tier change.
        self.assertEqual(
            self.partner_a.property_product_pricelist, self.pricelist_silver
        )
        self.assertEqual(contact.property_product_pricelist, self.pricelist_silver)

    def test_salesman_without_program_rights(self):
        salesman = new_test_user(
            self.env,
            login="prm_plain_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.env.company.id,
        )
        partner = self.contact_silver.with_user(salesman)
        self.assertEqual(partner.property_product_pricelist, self.pricelist_silver)

    def test_active_agreement_pricelist_wins_over_the_tier(self):
        negotiated = self.env["product.pricelist"].create({"name": "Contract prices"})
        agreement_type = self.env["prm.agreement.type"].create(
            {"name": "Reseller contract"}
        )
        agreement = self.env["prm.agreement"].create(
            {
                "partner_id": self.partner_silver.id,
                "type_id": agreement_type.id,
                "date_start": self.today,
                "pricelist_id": negotiated.id,
            }
        )
        # A draft agreement grants nothing yet.
        self.assertEqual(
            self.contact_silver.property_product_pricelist, self.pricelist_silver
        )
        agreement.action_activate()
        self.assertEqual(self.partner_silver.property_product_pricelist, negotiated)
        self.assertEqual(self.contact_silver.property_product_pricelist, negotiated)
        agreement.action_terminate()
        self.assertEqual(
            self.contact_silver.property_product_pricelist, self.pricelist_silver
        )
