from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTierChangeTour(HttpCase):
    """A program administrator changes a partner's tier through *Change tier*:
    the tier, its lock and a history row with the reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["prm.tier"]
        cls.tier_silver = Tier.create({"name": "Tour Silver", "sequence": 3101})
        cls.tier_gold = Tier.create({"name": "Tour Gold", "sequence": 3102})
        cls.partner = cls.env["res.partner"].create(
            {
                "name": "Tour Tier Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_partner_type_id": cls.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "prm_state": "active",
                "prm_tier_id": cls.tier_silver.id,
                "prm_manager_id": cls.env.ref("base.user_admin").id,
            }
        )

    def test_change_tier_from_the_partner_form(self):
        self.start_tour(
            f"/odoo/contacts/{self.partner.id}", "prm_tier_change_tour", login="admin"
        )
        self.assertEqual(self.partner.prm_tier_id, self.tier_gold)
        self.assertEqual(str(self.partner.prm_tier_lock_until), "2099-12-31")
        history = self.env["prm.tier.history"].search(
            [("partner_id", "=", self.partner.id)]
        )
        self.assertEqual(
            (history.mode, history.reason, history.new_tier_id),
            ("manual", "Strategic account", self.tier_gold),
        )
