from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import PrmSaleCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
@freeze_time(T0)
class TestTierSimulation(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Shared program partners (no company) would join our company's
        # evaluation: keep the simulation to the fixture's partners.
        cls.env["res.partner"].sudo().search(
            [
                ("prm_is_partner", "=", True),
                ("company_id", "!=", cls.env.company.id),
            ]
        ).active = False
        # partner_a: 6,000 (Registered); partner_b: 12,000 (Registered, would
        # be Silver today); Gold Co: 60,000 with two customers (Gold).
        cls.partner_gold = cls._create_program_partner("Gold Co", tier=cls.tier_gold)
        cls._post_invoice(cls.partner_a, 6000, date=T0 - timedelta(days=30))
        cls._post_invoice(cls.partner_b, 12000, date=T0 - timedelta(days=30))
        for customer in (cls.customer_x, cls.customer_y):
            cls._post_invoice(
                customer,
                30000,
                date=T0 - timedelta(days=30),
                channel_partner=cls.partner_gold,
            )
        cls.partners = cls.partner_a | cls.partner_b | cls.partner_gold

    def _wizard(self, user=None):
        return (
            self.env["prm.tier.simulation"]
            .with_user(user or self.user_prm_admin)
            .create({})
        )

    def _state(self):
        """What the simulation must not touch."""
        self.env.invalidate_all()
        return (
            [
                (
                    p.prm_tier_id,
                    p.prm_downgrade_tier_id,
                    p.prm_downgrade_date,
                    p.write_date,
                )
                for p in self.partners
            ],
            self.env["prm.tier.history"].search_count([]),
            self.env["mail.message"].search_count([("model", "=", "res.partner")]),
            self.env["mail.activity"].search_count([]),
        )

    def _line(self, wizard, tier, metric):
        return wizard.rule_ids.filtered(
            lambda r: r.tier_id == tier and r.metric == metric
        )

    def test_prefilled_with_current_rules(self):
        wizard = self._wizard()
        ours = wizard.rule_ids.filtered(
            lambda r: (
                r.tier_id in (self.tier_registered | self.tier_silver | self.tier_gold)
            )
        )
        self.assertEqual(
            sorted(
                (r.tier_id.name, r.metric, r.operator, r.threshold, r.lookback_months)
                for r in ours
            ),
            [
                ("T-Gold", "active_customers", ">=", 2.0, 12),
                ("T-Gold", "invoiced_revenue", ">=", 50000.0, 12),
                ("T-Silver", "invoiced_revenue", ">=", 10000.0, 12),
            ],
        )

    def test_current_rules_preview_the_next_requalification(self):
        before = self._state()
        wizard = self._wizard()
        wizard.action_simulate()
        self.assertEqual(self._state(), before, "a simulation writes nothing")
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (
                wizard.partner_count,
                wizard.up_count,
                wizard.same_count,
                wizard.down_count,
            ),
            (3, 1, 2, 0),
        )
        result = wizard.result_ids.filtered(lambda r: r.partner_id == self.partner_b)
        self.assertRecordValues(
            result,
            [
                {
                    "current_tier_id": self.tier_registered.id,
                    "simulated_tier_id": self.tier_silver.id,
                    "direction": "up",
                }
            ],
        )
        self.assertEqual(result.metric_values["invoiced_revenue/12"], 12000.0)
        self.assertIn("Invoiced revenue (12 months): 12,000", result.metric_summary)

        # The requalification then does what the simulation said.
        self.partners.with_user(self.user_prm_admin).action_prm_requalify()
        self.assertEqual(self.partner_b.prm_tier_id, self.tier_silver)

    def test_draft_thresholds(self):
        wizard = self._wizard()
        # Silver from 5,000: partner_a moves up. Gold from 65,000: Gold Co
        # falls below and moves down.
        self._line(wizard, self.tier_silver, "invoiced_revenue").threshold = 5000
        self._line(wizard, self.tier_gold, "invoiced_revenue").threshold = 65000
        before = self._state()
        wizard.action_simulate()
        self.assertEqual(self._state(), before)
        self.assertEqual(
            (wizard.up_count, wizard.same_count, wizard.down_count), (2, 0, 1)
        )
        directions = {
            r.partner_id: (r.simulated_tier_id, r.direction) for r in wizard.result_ids
        }
        self.assertEqual(directions[self.partner_a], (self.tier_silver, "up"))
        self.assertEqual(directions[self.partner_b], (self.tier_silver, "up"))
        self.assertEqual(directions[self.partner_gold], (self.tier_silver, "down"))
        self.assertEqual(
            self.tier_silver.rule_ids.threshold, 10000, "the real rules are unchanged"
        )

        # Add a rule, simulate again: the results are replaced.
        wizard.rule_ids = [
            Command.create(
                {
                    "tier_id": self.tier_silver.id,
                    "metric": "active_customers",
                    "operator": ">=",
                    "threshold": 1,
                    "lookback_months": 12,
                }
            )
        ]
        wizard.action_simulate()
        self.assertEqual(len(wizard.result_ids), 3)
        self.assertEqual(
            (wizard.up_count, wizard.same_count, wizard.down_count), (0, 2, 1)
        )

        action = wizard.with_context(prm_direction="down").action_open_partners()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["domain"], [("id", "in", self.partner_gold.ids)])

        wizard.action_reset()
        self.assertEqual(wizard.state, "draft")
        self.assertFalse(wizard.result_ids)
        self.assertEqual(
            self._line(wizard, self.tier_silver, "invoiced_revenue").threshold, 10000
        )

    def test_locked_partners_stay(self):
        self.partner_b.with_user(self.user_prm_admin)._prm_change_tier(
            self.partner_b.prm_tier_id,
            "Pilot partner",
            lock_until=T0 + timedelta(days=5),
            lock_reason="Pilot",
        )
        wizard = self._wizard()
        wizard.action_simulate()
        result = wizard.result_ids.filtered(lambda r: r.partner_id == self.partner_b)
        self.assertTrue(result.locked)
        self.assertEqual(result.direction, "same")
        self.assertEqual(result.simulated_tier_id, self.tier_registered)

    def test_bad_threshold_is_refused(self):
        wizard = self._wizard()
        line = self._line(wizard, self.tier_silver, "invoiced_revenue")
        with self.assertRaisesRegex(ValidationError, "must be a number from 0"):
            line.threshold = -1
        with self.assertRaisesRegex(ValidationError, "between 1 and 120 months"):
            line.lookback_months = 0
        self.assertEqual((line.threshold, line.lookback_months), (10000, 12))
        with self.assertRaisesRegex(ValidationError, "Unknown tier metric"):
            wizard.rule_ids = [
                Command.create({"tier_id": self.tier_silver.id, "metric": "karma"})
            ]

    def test_access(self):
        wizard = self._wizard(self.user_channel_manager)
        wizard.action_simulate()
        self.assertEqual(wizard.partner_count, 3)
        for user in (self.user_portal_a, self.env.ref("base.public_user")):
            with self.assertRaises(AccessError):
                self.env["prm.tier.simulation"].with_user(user).create({})
