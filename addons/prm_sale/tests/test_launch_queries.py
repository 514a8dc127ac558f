from odoo import Command, fields
from odoo.tests import tagged

from .launch_common import PrmLaunchCommon

# Ranking from a cold cache, whatever the number of partners (19 measured):
# 1 partner search, 2 sales aggregates (period and previous period), 1 win-rate
# aggregate, 1 insert of all the lines, and reads of the wizard, its criteria,
# the partners, categories, units and currency into the cache.
MAX_RANK_QUERIES = 20
# With prm_training (its sales bridge installs itself), the certification hook
# adds 2: the certifications of the launched categories, the certified
# partners among the candidates.
CERTIFICATION_HOOK_QUERIES = 2
# Checking orders before confirmation, from a cold cache: 1 launch search, then
# reads of the orders, lines, products, customers and launches.
MAX_CHECK_QUERIES = 15


@tagged("post_install", "-at_install")
class TestLaunchQueries(PrmLaunchCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["prm.tier"]
        cls.tier_few = Tier.create({"name": "T-Few", "sequence": 1101})
        cls.tier_many = Tier.create({"name": "T-Many", "sequence": 1102})
        partners = (
            cls.env["res.partner"]
            .sudo()
            .create(
                [
                    {
                        "name": f"Bench partner {i:02d}",
                        "is_company": True,
                        "prm_is_partner": True,
                        "prm_partner_type_id": cls.type_reseller.id,
                        "prm_state": "active",
                        "prm_tier_id": (cls.tier_few if i < 5 else cls.tier_many).id,
                        "company_id": cls.env.company.id,
                    }
                    for i in range(55)
                ]
            )
        )
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner if i % 2 else cls.customer_x).id,
                    "prm_partner_id": False if i % 2 else partner.id,
                    "invoice_date": date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.product_thermo.id,
                                "quantity": i + 1,
                                "price_unit": 100,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for i, partner in enumerate(partners)
                for date in ("2025-03-01", "2024-10-01")
            ]
        )
        moves.action_post()
        cls.bench_partners = partners

    def _rank_queries(self, tier):
        wizard = self.env["prm.launch.wizard"].create(
            {
                "categ_ids": [Command.set(self.categ_sensors.ids)],
                "period_type": "dates",
                "date_from": "2025-01-01",
                "date_to": "2025-06-30",
                "tier_ids": [Command.set(tier.ids)],
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        wizard.action_rank()
        self.env.flush_all()
        count = self.cr.sql_log_count - start
        return wizard, count

    def test_ranking_queries(self):
        """Ranking 50 partners takes exactly the queries ranking 5 takes."""
        self._rank_queries(self.tier_many)  # warm the registry caches up
        few, few_count = self._rank_queries(self.tier_few)
        many, many_count = self._rank_queries(self.tier_many)
        self.assertEqual(len(few.line_ids), 5)
        self.assertEqual(len(many.line_ids), 50)
        self.assertEqual(few_count, many_count)
        hook = CERTIFICATION_HOOK_QUERIES if "prm.certification" in self.env else 0
        self.assertLessEqual(many_count, MAX_RANK_QUERIES + hook)
        # The figures are there: partner i sold i + 1 units in both periods.
        top = many.line_ids.sorted("rank")[0]
        self.assertEqual(top.partner_id.name, "Bench partner 54")
        self.assertAlmostEqual(top.quantity, 55)
        self.assertAlmostEqual(top.revenue, 5500)
        self.assertAlmostEqual(top.growth, 0)

    def _check_queries(self, orders):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        orders._prm_check_launch_restrictions(date=fields.Date.to_date("2025-06-15"))
        return self.cr.sql_log_count - start

    def test_order_check_queries(self):
        """Checking 20 orders takes the queries checking 2 takes."""
        self._create_launch(self.bench_partners)
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": self.product_hub.id}),
                        Command.create({"product_id": self.product_thermo.id}),
                    ],
                }
                for partner in self.bench_partners[:20]
            ]
        )
        self._check_queries(orders)  # warm-up
        few = self._check_queries(orders[:2])
        many = self._check_queries(orders)
        self.assertEqual(few, many)
        self.assertLessEqual(many, MAX_CHECK_QUERIES)
