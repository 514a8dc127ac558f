import logging

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
        with self._statements() as kinds:
            apps = self._intake(rows)
            self.env.flush_all()
        return apps, self.env.cr.sql_log_count - before, kinds

    def test_query_count_does_not_grow_per_application(self):
        self._measure(10, "Warmup", 0)  # caches (groups, config, templates)
        small, small_queries, small_kinds = self._measure(10, "Small", 100000)
        big, big_queries, big_kinds = self._measure(1000, "Big", 200000)
        growth = (big_queries - small_queries) / ((1000 - 10) / 100)
        _logger.info(
            "Application intake: %s queries for 10 (%s), %s for 1000 (%s)",
            small_queries,
            dict(small_kinds),
            big_queries,
            dict(big_kinds),
        )
        self.assertEqual(
            big_kinds["SELECT"],
            small_kinds["SELECT"],
            "Lookups (partners, applications, criteria, territories) are the same "
            "for 10 and 1,000 applications",
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
