from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .launch_common import PrmLaunchRankingCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLaunchRanking(PrmLaunchRankingCommon):
    """Ranking on the figures of ``PrmLaunchRankingCommon`` (sales only)."""

    # --- Figures ---

    def test_previous_period_same_length(self):
        wizard = self._wizard()
        self.assertEqual(wizard.previous_date_from, D("2024-07-04"))
        self.assertEqual(wizard.previous_date_to, D("2024-12-31"))

    def test_figures(self):
        wizard = self._ranked()
        self.assertEqual(
            wizard.line_ids.partner_id & self.partners,
            self.partner_a | self.partner_b | self.partner_c | self.partner_d,
            "Active program partners only: E is suspended",
        )
        a = self._line(wizard, self.partner_a)
        self.assertAlmostEqual(a.quantity, 28)
        self.assertAlmostEqual(a.revenue, 5100)
        self.assertAlmostEqual(a.previous_revenue, 1000)
        self.assertAlmostEqual(a.growth, 410)
        self.assertFalse(a.is_new)
        self.assertEqual(a.growth_display, "+410.0%")
        self.assertEqual(a.tier_id, self.tier_registered)

        b = self._line(wizard, self.partner_b)
        self.assertAlmostEqual(b.quantity, 4)
        self.assertAlmostEqual(b.revenue, 1000)
        self.assertAlmostEqual(b.previous_revenue, 0)
        self.assertTrue(b.is_new)
        self.assertEqual(b.growth_display, "New")

        c = self._line(wizard, self.partner_c)
        self.assertAlmostEqual(c.quantity, 5)
        self.assertAlmostEqual(c.revenue, 500)
        self.assertAlmostEqual(c.previous_revenue, 2000)
        self.assertAlmostEqual(c.growth, -75)
        self.assertEqual(c.growth_display, "-75.0%")

        d = self._line(wizard, self.partner_d)
        self.assertEqual((d.quantity, d.revenue, d.win_rate), (0, 0, 0))
        self.assertFalse(d.is_new, "No sales at all is not a new seller")
        self.assertFalse(d.growth_display)

    def test_child_category_only(self):
        """Ranking on the motion subcategory ignores thermo and kit sales."""
        wizard = self._ranked(categ_ids=[Command.set(self.categ_motion.ids)])
        a = self._line(wizard, self.partner_a)
        self.assertAlmostEqual(a.quantity, 5 + 12)
        self.assertAlmostEqual(a.revenue, 1000 + 2400)
        self.assertAlmostEqual(a.previous_revenue, 0)
        self.assertTrue(a.is_new)

    def test_score_and_rank(self):
        wizard = self._ranked()
        expected = {
            # (40 * revenue + 20 * quantity + 20 * growth + 20 * win rate) / 100;
            # nobody has a win rate without CRM.
            self.partner_a: (40 * 100 + 20 * 100 + 20 * 100) / 100,
            self.partner_b: (40 * 1000 / 5100 * 100 + 20 * 4 / 28 * 100 + 20 * 100)
            / 100,
            self.partner_c: (40 * 500 / 5100 * 100 + 20 * 5 / 28 * 100 + 20 * 12.5)
            / 100,
            self.partner_d: 0.0,
        }
        for partner, score in expected.items():
            # Scores are kept with one decimal.
            self.assertAlmostEqual(
                self._line(wizard, partner).score, score, places=1, msg=partner.name
            )
        lines = wizard.line_ids.sorted("rank")
        self.assertEqual(
            lines[:3].partner_id.ids,
            [self.partner_a.id, self.partner_b.id, self.partner_c.id],
        )
        self.assertEqual(lines.mapped("rank"), list(range(1, len(lines) + 1)))
        self.assertGreater(self._line(wizard, self.partner_d).rank, 3)

    def test_weights_change_the_ranking(self):
        """Growth only: B (new) before A (+410 %, capped), C (-75 %), D."""
        wizard = self._ranked(
            weight_revenue=0, weight_quantity=0, weight_growth=1, weight_win_rate=0
        )
        lines = self._ours(wizard).sorted("rank")
        self.assertEqual(lines.mapped("score"), [100.0, 100.0, 12.5, 0.0])
        # Equal scores: higher revenue first.
        self.assertEqual(
            lines.partner_id.ids,
            [
                self.partner_a.id,
                self.partner_b.id,
                self.partner_c.id,
                self.partner_d.id,
            ],
        )
        self.assertEqual(lines[:3].mapped("rank"), [1, 2, 3])

    @freeze_time("2025-06-30")
    def test_months_period(self):
        wizard = self.env["prm.launch.wizard"].create(
            {"categ_ids": [Command.set(self.categ_sensors.ids)], "months": 6}
        )
        # Six months back, the day after: 2024-12-31 + 6 months = 2025-06-30.
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (D("2024-12-31"), D("2025-06-30"))
        )
        self.assertEqual(
            (wizard.previous_date_from, wizard.previous_date_to),
            (D("2024-07-02"), D("2024-12-30")),
        )
        wizard.action_rank()
        self.assertAlmostEqual(self._line(wizard, self.partner_a).revenue, 5100)

    # --- Filters ---

    def test_filter_tier(self):
        wizard = self._ranked(tier_ids=[Command.set(self.tier_gold.ids)])
        self.assertEqual(wizard.line_ids.partner_id, self.partner_c)
        self.assertEqual(wizard.line_ids.rank, 1)
        self.assertAlmostEqual(wizard.line_ids.score, 40 + 20 + 20 * 0.125, places=1)

    def test_filter_partner_type(self):
        wizard = self._ranked(partner_type_ids=[Command.set(self.type_referral.ids)])
        self.assertEqual(self._ours(wizard).partner_id, self.partner_d)
        self.assertEqual(
            wizard.line_ids.partner_id.prm_partner_type_id, self.type_referral
        )

    def test_filter_territory(self):
        """Countries of the territory, or of its states."""
        countries = self.env.ref("base.be") | self.env.ref("base.us")
        wizard = self._ranked(country_ids=[Command.set(countries.ids)])
        self.assertEqual(self._ours(wizard).partner_id, self.partner_a | self.partner_b)

    def test_certification_hook_receives_candidates(self):
        Wizard = self.env.registry["prm.launch.wizard"]
        seen = []
        original = Wizard._prm_launch_certified_partners

        def certified(wizard, partners):
            seen.append(partners)
            return original(wizard, partners) - self.partner_b

        self.patch(Wizard, "_prm_launch_certified_partners", certified)
        wizard = self._ranked()
        self.assertIn(self.partner_b, seen[0])
        self.assertNotIn(self.partner_b, wizard.line_ids.partner_id)

    # --- Selection and launch creation ---

    def test_top_n_and_no_launch_until_asked(self):
        Launch = self.env["prm.launch"]
        before = Launch.search_count([])
        wizard = self._ranked(top_n=2)
        wizard.action_select_top()
        self.assertEqual(
            wizard.line_ids.filtered("selected").partner_id,
            self.partner_a | self.partner_b,
        )
        self.assertEqual(wizard.selected_count, 2)
        # Pick by hand on top of it.
        self._line(wizard, self.partner_d).selected = True
        wizard.action_rank()  # ranking again keeps the hand selection
        self.assertEqual(wizard.selected_count, 3)
        self.assertEqual(Launch.search_count([]), before, "No launch before asked")

        wizard.write(
            {
                "launch_name": "Hub X1",
                "product_tmpl_ids": [Command.set(self.product_hub.product_tmpl_id.ids)],
                "launch_date_start": "2025-07-01",
            }
        )
        action = wizard.action_create_launch()
        launch = Launch.browse(action["res_id"])
        self.assertEqual(Launch.search_count([]), before + 1)
        self.assertEqual(
            launch.partner_ids, self.partner_a | self.partner_b | self.partner_d
        )
        self.assertEqual(launch.product_tmpl_ids, self.product_hub.product_tmpl_id)
        self.assertEqual(launch.categ_ids, self.categ_sensors)
        self.assertEqual(launch.state, "draft")
        self.assertEqual(launch.date_start, D("2025-07-01"))
        self.assertIn("Alpha Resellers", launch.message_ids[0].body)

    def test_apply_to_launch(self):
        """From a launch: its partners come preselected; partners outside the
        ranking stay in the launch."""
        launch = self._create_launch(self.partner_b | self.partner_c, state="draft")
        action = launch.action_select_partners()
        wizard = (
            self.env["prm.launch.wizard"]
            .with_context(**action["context"])
            .create(
                {
                    "period_type": "dates",
                    "date_from": "2025-01-01",
                    "date_to": "2025-06-30",
                    "tier_ids": [Command.set(self.tier_registered.ids)],
                    "top_n": 1,
                }
            )
        )
        self.assertEqual(wizard.categ_ids, self.categ_sensors)
        wizard.action_rank()
        self.assertEqual(self._ours(wizard).partner_id, self.partner_a | self.partner_b)
        self.assertEqual(
            wizard.line_ids.filtered("selected").partner_id, self.partner_b
        )
        wizard.action_select_top()
        wizard.action_apply_to_launch()
        self.assertEqual(launch.partner_ids, self.partner_a | self.partner_c)

    # --- Bad input ---

    def test_top_n_not_positive(self):
        wizard = self._ranked(top_n=2)
        wizard.action_select_top()
        for bad in (0, -3):
            with self.assertRaisesMessage(ValidationError, "Top N must be a positive"):
                wizard.top_n = bad
        with self.assertRaisesMessage(ValidationError, "Top N must be a positive"):
            self._wizard(top_n=0)
        self.assertEqual(wizard.selected_count, 2)

    def test_bad_criteria(self):
        with self.assertRaisesMessage(ValidationError, "cannot start .* after it ends"):
            self._wizard(date_from="2025-07-01", date_to="2025-06-30")
        with self.assertRaisesMessage(ValidationError, "at least one month"):
            self._wizard(period_type="months", months=0)
        with self.assertRaisesMessage(ValidationError, "cannot be negative"):
            self._wizard(weight_growth=-1)
        with self.assertRaisesMessage(ValidationError, "must be positive"):
            self._wizard(
                weight_revenue=0, weight_quantity=0, weight_growth=0, weight_win_rate=0
            )
        wizard = self._wizard(categ_ids=[Command.clear()])
        with self.assertRaisesMessage(UserError, "Choose the product categories"):
            wizard.action_rank()
        self.assertFalse(wizard.line_ids)

    def test_create_launch_needs_name_products_partners(self):
        Launch = self.env["prm.launch"]
        before = Launch.search_count([])
        wizard = self._ranked()
        with self.assertRaisesMessage(UserError, "Select at least one partner"):
            wizard.action_create_launch()
        wizard.action_select_top()
        with self.assertRaisesMessage(UserError, "Name the launch"):
            wizard.action_create_launch()
        wizard.launch_name = "Hub X1"
        with self.assertRaisesMessage(UserError, "Choose the products"):
            wizard.action_create_launch()
        self.assertEqual(Launch.search_count([]), before)
