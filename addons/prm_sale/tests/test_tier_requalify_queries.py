import math
from collections import Counter
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrmSaleCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestTierRequalifyQueries(PrmSaleCommon):
    """Requalification reads with a constant number of queries whatever the
    number of partners; it writes through the ORM, which sends 100 rows per
    INSERT or UPDATE statement."""

    def _population(self, size, tag):
        """``size`` partners spread over the set-based change groups (upgrade,
        downgrade when the grace ends, pending downgrade cancelled, unchanged),
        plus two whose grace period starts (activities use the ORM) and one
        upgraded on a real invoice."""
        kinds = [
            {"prm_tier_id": False},  # entry level: upgrade
            {  # grace over: downgrade
                "prm_tier_id": self.tier_silver.id,
                "prm_downgrade_tier_id": self.tier_registered.id,
                "prm_downgrade_date": T0 - timedelta(days=1),
            },
            {  # meets its tier again: cancel the pending downgrade
                "prm_tier_id": self.tier_registered.id,
                "prm_downgrade_tier_id": self.tier_registered.id,
                "prm_downgrade_date": T0 + timedelta(days=5),
            },
            {"prm_tier_id": self.tier_registered.id},  # unchanged
        ]
        vals_list = [
            {
                "name": f"{tag} {index}",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_manager_id": self.user_channel_manager.id,
                "company_id": self.env.company.id,
                **kinds[index % len(kinds)],
            }
            for index in range(size - 3)
        ]
        vals_list += [
            {
                "name": f"{tag} grace {index}",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_tier_id": self.tier_silver.id,
                "prm_manager_id": self.user_channel_manager.id,
                "company_id": self.env.company.id,
            }
            for index in range(2)
        ]
        partners = self.env["res.partner"].sudo().create(vals_list)
        earner = self._create_program_partner(f"{tag} earner")
        self._post_invoice(earner, 10000, date=T0)
        return partners | earner

    def _count_requalify_queries(self, partners):
        partners = partners.with_user(self.user_prm_admin)
        self.env.flush_all()
        self.env.invalidate_all()
        with self._statements() as counts:
            partners.action_prm_requalify()
            self.env.flush_all()
        return Counter(counts)

    @freeze_time(T0)
    def test_queries_do_not_grow_with_partners(self):
        # Warm the ORM caches (groups, xmlids, languages) on a small run.
        self._count_requalify_queries(self._population(8, "Warm-up"))
        small = self._population(100, "Small")
        large = self._population(2000, "Large")

        small_count = self._count_requalify_queries(small)
        large_count = self._count_requalify_queries(large)

        self.assertEqual(
            small_count["SELECT"],
            large_count["SELECT"],
            "requalifying 2,000 partners reads as much as 100",
        )
        # Writes: 1,000 partners change (2 groups of 500, see _population), the
        # ORM writes 100 rows a statement: each group costs one UPDATE of the
        # partners, one INSERT of history rows and one of notes per 100 rows.
        # Upgrades and downgrades write partners, history rows and notes,
        # cancelled downgrades partners and notes: 8 tables x (5 - 1) batches.
        extra_batches = 8 * (math.ceil(500 / 100) - 1)
        self.assertLessEqual(
            self._writes(large_count) - self._writes(small_count),
            extra_batches,
            f"writes grow by the ORM's batches only ({small_count}, {large_count})",
        )
        # Still correct at scale.
        self.env.invalidate_all()
        by_name = {p.name: p for p in large}
        self.assertEqual(by_name["Large 0"].prm_tier_id, self.tier_registered)
        self.assertEqual(by_name["Large 1"].prm_tier_id, self.tier_registered)
        self.assertFalse(by_name["Large 1"].prm_downgrade_date)
        self.assertFalse(by_name["Large 2"].prm_downgrade_date)
        self.assertEqual(
            by_name["Large grace 0"].prm_downgrade_tier_id, self.tier_registered
        )
        self.assertEqual(by_name["Large earner"].prm_tier_id, self.tier_silver)
        history = self.env["prm.tier.history"].search_count(
            [("partner_id", "in", large.ids)]
        )
        # Upgrades (index 0 mod 4), downgrades (1 mod 4) and the earner.
        self.assertEqual(history, 500 + 499 + 1)

    @freeze_time(T0)
    def test_second_run_writes_nothing(self):
        """What ``tests/benchmarks/bench_requalify.py`` proves at 10,000
        partners, kept by CI at a small scale: requalifying again the same day
        changes nothing, writes nothing and reads as much for 400 partners as
        for 40."""
        self._count_requalify_queries(self._population(8, "Warm-up"))
        small = self._population(40, "Small")
        large = self._population(400, "Large")
        self._count_requalify_queries(small)
        self._count_requalify_queries(large)
        small_again = self._count_requalify_queries(small)
        large_again = self._count_requalify_queries(large)
        self.assertEqual(self._writes(small_again), 0, dict(small_again))
        self.assertEqual(self._writes(large_again), 0, dict(large_again))
        self.assertEqual(small_again["SELECT"], large_again["SELECT"])
