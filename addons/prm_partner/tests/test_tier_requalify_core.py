from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command
from odoo.tests import tagged

from odoo.addons.prm_partner.models.prm_tier_requalification import PARTNER_FIELDS

from .common import PrmCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestTierRequalifyCore(PrmCommon):
    """Requalification with prm_partner alone: tiers qualified on the number of
    representatives, changes written through the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_downgrade_grace_days = 30
        cls.role_sales = cls.env.ref("prm_partner.role_sales")
        group = cls.env.ref("product.group_product_pricelist")
        cls.env["res.users"].browse(SUPERUSER_ID).sudo().group_ids += group
        cls.pricelist_silver = cls.env["product.pricelist"].create(
            {"name": "T-Silver partners"}
        )
        cls.tier_silver.pricelist_id = cls.pricelist_silver

    def _representative(self, partner, name):
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": partner.id,
                "prm_role_ids": [Command.link(self.role_sales.id)],
            }
        )

    def _requalify(self):
        """Requalify the fixture's partners (the daily job would also take the
        demo partners of other companies): the summary of what changed."""
        partners = self.env["res.partner"].search_fetch(
            [("id", "in", (self.partner_a | self.partner_b).ids)], PARTNER_FIELDS
        )
        return self.env["prm.tier.requalification"]._prm_requalify(partners)

    @freeze_time(T0)
    def test_representatives_metric(self):
        self._representative(self.partner_a, "Rita Rep")
        self._representative(self.partner_a, "Rob Rep")
        # A contact without a program role is no representative.
        metrics = (self.partner_a | self.partner_b)._prm_compute_metrics(
            [("representatives", 12)]
        )
        self.assertEqual(
            metrics[("representatives", 12)], {self.partner_a.id: 2}, "B has none"
        )

    @freeze_time(T0)
    def test_upgrade_is_written_through_write(self):
        """The tier change goes through ``res.partner.write``: the tier
        pricelist follows it at once, the history and the chatter say why."""
        self._representative(self.partner_a, "Rita Rep")
        self.assertNotEqual(
            self.partner_a.property_product_pricelist, self.pricelist_silver
        )

        summary = self._requalify()

        self.assertEqual(summary["upgrade"], 1)
        self.assertEqual(summary["unchanged"], 1)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        self.assertEqual(
            self.partner_a.property_product_pricelist,
            self.pricelist_silver,
            "the pricelist sync saw the tier change",
        )
        self.assertEqual(
            self.contact_a.property_product_pricelist, self.pricelist_silver
        )
        history = self.env["prm.tier.history"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(
            (history.mode, history.old_tier_id, history.new_tier_id),
            ("automatic", self.tier_registered, self.tier_silver),
        )
        self.assertEqual(history.metric_values, {"representatives/12": 1})
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)]
        )
        self.assertIn("upgraded", notes[0].body)
        self.assertFalse(self._requalify()["upgrade"], "the second run changes nothing")

    @freeze_time(T0)
    def test_grace_period_warns_the_manager(self):
        self.partner_a.with_user(self.user_prm_admin)._prm_change_tier(
            self.tier_silver, "Promoted for the test"
        )
        summary = self._requalify()
        self.assertEqual(summary["grace"], 1)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        self.assertEqual(self.partner_a.prm_downgrade_tier_id, self.tier_registered)
        self.assertEqual(self.partner_a.prm_downgrade_date, date(2025, 4, 2))
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)]
        )
        self.assertEqual(activity.user_id, self.user_channel_manager)
        # A representative found in time cancels the downgrade.
        self._representative(self.partner_a, "Rita Rep")
        self.assertEqual(self._requalify()["cancel"], 1)
        self.assertFalse(self.partner_a.prm_downgrade_tier_id)
