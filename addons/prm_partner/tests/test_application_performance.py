import logging
import os
import time
import unittest

from odoo.tests import tagged

from .common_application import (
    PrmApplicationCommon,
    bulk_application_rows,
    bulk_partner_vals,
)

_logger = logging.getLogger(__name__)

# The ORM inserts and updates 100 rows per statement (INSERT_BATCH_SIZE,
# UPDATE_BATCH_SIZE): an intake writes applications, check results, duplicate
# candidates, activities, followers and a few grouped updates, so each further
# 100 applications may cost this many statements, and nothing more.
STATEMENTS_PER_100_APPLICATIONS = 15


@tagged("post_install", "-at_install")
class TestApplicationPerformance(PrmApplicationCommon):
    """Deduplication, checks and assignment of a batch run a fixed number of
    lookups whatever its size; only the ORM's 100-row write statements grow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"].create(bulk_partner_vals(20, cls.env.company.id))
        for code, user in (
            ("ES", cls.user_channel_manager),
            ("PT", cls.user_other_manager),
        ):
            cls._territory(
                user, countries=cls.env.ref(f"base.{code.lower()}"), capacity=5000
            )
        cls._territory(cls.user_other_manager, countries=cls.de)
        cls._criterion("website")
        cls._criterion("headcount", min_headcount=5)
        cls._criterion("vat")

    def _measure(self, count, prefix, offset):
        rows = bulk_application_rows(count, prefix=prefix, offset=offset)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        started = time.perf_counter()
        apps = self._intake(rows)
        self.env.flush_all()
        elapsed = time.perf_counter() - started
        return apps, self.env.cr.sql_log_count - before, elapsed

    def test_query_count_does_not_grow_per_application(self):
        self._measure(10, "Warmup", 0)  # caches (groups, config, templates)
        small, small_queries, _time = self._measure(10, "Small", 100000)
        big, big_queries, _time = self._measure(1000, "Big", 200000)
        growth = (big_queries - small_queries) / ((1000 - 10) / 100)
        _logger.info(
            "Application intake: %s queries for 10, %s for 1000 (%.1f per 100)",
            small_queries,
            big_queries,
            growth,
        )
        self.assertLessEqual(growth, STATEMENTS_PER_100_APPLICATIONS)
        self.assertLess(big_queries, 1000 / 4, "Far from a query per application")
        # And the batch was really deduplicated, checked and assigned.
        self.assertEqual(len(big.filtered(lambda a: a.state == "merged")), 100)
        self.assertEqual(
            len(big.filtered(lambda a: a.duplicate_status == "probable")), 200
        )
        kept = big.filtered(lambda a: a.state == "new")
        self.assertEqual(len(kept), 900)
        self.assertTrue(all(kept.mapped("user_id")))
        self.assertEqual(len(kept.check_ids), 3 * 900)
        self.assertEqual(len(kept.activity_ids), 900)
        self.assertEqual(len(small.filtered(lambda a: a.state == "merged")), 1)

    @unittest.skipUnless(os.environ.get("PRM_BENCH"), "PRM_BENCH=1 to time 10,000")
    def test_bench_ten_thousand(self):
        self._measure(10, "Warmup", 0)
        apps, queries, elapsed = self._measure(10000, "Huge", 300000)
        _logger.warning(
            "Application intake of 10,000: %s queries, %.1f s", queries, elapsed
        )
        self.assertLess(queries, 10000 * STATEMENTS_PER_100_APPLICATIONS / 100 + 200)
        self.assertEqual(len(apps.filtered(lambda a: a.state == "merged")), 1000)
