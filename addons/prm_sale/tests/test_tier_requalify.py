from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PrmSaleCommon

T0 = date(2025, 3, 3)


@tagged("post_install", "-at_install")
class TestTierRequalify(PrmSaleCommon):
    """Requalification on real posted invoices of the fixture company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_downgrade_grace_days = 30
        cls.Partner = cls.env["res.partner"]
        cls.History = cls.env["prm.tier.history"]
        cls.warning_type = cls.env.ref("mail.mail_activity_data_warning")

    # --- Helpers ---

    def _requalify(self, partners, user=None):
        return partners.with_user(user or self.user_prm_admin).action_prm_requalify()

    def _history(self, partner):
        return self.History.search([("partner_id", "in", partner.ids)])

    def _activities(self, partner):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def _notes(self, partner):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def _snapshot(self, partners):
        """Everything requalification may write, to compare runs."""
        self.env.invalidate_all()
        return {
            partner.id: (
                partner.prm_tier_id,
                partner.prm_downgrade_tier_id,
                partner.prm_downgrade_date,
                partner.write_date,
                len(self._history(partner)),
                len(self._notes(partner)),
                len(self._activities(partner)),
            )
            for partner in partners
        }

    # --- Upgrades ---

    @freeze_time(T0)
    def test_upgrade_applies_at_once_with_history(self):
        self._post_invoice(self.partner_a, 7000, date=T0 - timedelta(days=40))
        self._post_invoice(
            self.customer_x,
            5000,
            date=T0 - timedelta(days=10),
            channel_partner=self.partner_a,
        )
        # Outside the 12-month look-back: does not count.
        self._post_invoice(self.partner_b, 90000, date=T0 - timedelta(days=400))

        action = self._requalify(self.partner_a | self.partner_b)

        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        self.assertEqual(self.partner_b.prm_tier_id, self.tier_registered)
        self.assertFalse(self.partner_a.prm_downgrade_date)
        self.assertIn("1 upgraded", action["params"]["message"])
        self.assertIn("1 unchanged", action["params"]["message"])

        history = self._history(self.partner_a)
        self.assertEqual(len(history), 1)
        self.assertRecordValues(
            history,
            [
                {
                    "old_tier_id": self.tier_registered.id,
                    "new_tier_id": self.tier_silver.id,
                    "company_id": self.env.company.id,
                    "mode": "automatic",
                    "direction": "up",
                    "user_id": self.user_prm_admin.id,
                }
            ],
        )
        self.assertEqual(
            history.metric_values,
            {"invoiced_revenue/12": 12000.0, "active_customers/12": 1},
        )
        self.assertIn("Meets every rule of T-Silver", history.reason)
        self.assertIn("12,000", history.reason)
        self.assertIn("Invoiced revenue (12 months): 12,000", history.metric_summary)
        self.assertFalse(self._history(self.partner_b))

        note = self._notes(self.partner_a)[:1]
        self.assertIn("Tier upgraded from T-Registered to T-Silver", note.body)
        self.assertEqual(note.author_id, self.user_prm_admin.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertTrue(note.is_internal)
        # The ORM sees the new values (cache invalidated after the SQL update).
        self.assertIn(self.partner_a, self.tier_silver.partner_ids)

    @freeze_time(T0)
    def test_upgrade_skips_tiers(self):
        """Straight from the entry level to the highest tier it qualifies for."""
        self._post_invoice(
            self.customer_x,
            30000,
            date=T0 - timedelta(days=5),
            channel_partner=self.partner_a,
        )
        self._post_invoice(
            self.customer_y,
            25000,
            date=T0 - timedelta(days=5),
            channel_partner=self.partner_a,
        )
        self._requalify(self.partner_a)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_gold)
        self.assertEqual(self._history(self.partner_a).new_tier_id, self.tier_gold)

    # --- Downgrades and the grace period ---

    def test_grace_period_then_requalify_cancels(self):
        partner = self._create_program_partner("Gamma Gold", tier=self.tier_gold)
        with freeze_time(T0):
            self._post_invoice(partner, 20000, date=T0 - timedelta(days=20))
            action = self._requalify(partner)
            self.assertIn(
                "1 entered a downgrade grace period", action["params"]["message"]
            )
        self.assertEqual(partner.prm_tier_id, self.tier_gold, "no downgrade yet")
        self.assertEqual(partner.prm_downgrade_tier_id, self.tier_silver)
        self.assertEqual(partner.prm_downgrade_date, T0 + timedelta(days=30))
        self.assertFalse(self._history(partner), "no tier change, no history row")
        activity = self._activities(partner)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.warning_type)
        self.assertEqual(activity.user_id, self.user_channel_manager)
        self.assertIn("T-Silver", activity.note)
        self.assertIn("No longer meets T-Gold", self._notes(partner)[:1].body)

        # Still in grace: nothing changes.
        with freeze_time(T0 + timedelta(days=29)):
            before = self._snapshot(partner)
            self._requalify(partner)
            self.assertEqual(self._snapshot(partner), before)

        # Requalifies during the grace: the pending downgrade is cancelled.
        with freeze_time(T0 + timedelta(days=29)):
            for customer in (self.customer_x, self.customer_y):
                self._post_invoice(
                    customer,
                    20000,
                    date=T0 + timedelta(days=28),
                    channel_partner=partner,
                )
            action = self._requalify(partner)
        self.assertIn("1 pending downgrades cancelled", action["params"]["message"])
        self.assertEqual(partner.prm_tier_id, self.tier_gold)
        self.assertFalse(partner.prm_downgrade_tier_id)
        self.assertFalse(partner.prm_downgrade_date)
        self.assertIn(
            "the pending downgrade to T-Silver is cancelled",
            self._notes(partner)[:1].body,
        )
        self.assertFalse(self._history(partner))

    def test_downgrade_when_grace_ends(self):
        partner = self._create_program_partner("Delta Gold", tier=self.tier_gold)
        with freeze_time(T0):
            self._post_invoice(partner, 60000, date=T0 - timedelta(days=300))
            self._post_invoice(
                self.customer_x,
                1000,
                date=T0 - timedelta(days=300),
                channel_partner=partner,
            )
            self._post_invoice(
                self.customer_y,
                1000,
                date=T0 - timedelta(days=300),
                channel_partner=partner,
            )
            self._post_invoice(partner, 15000, date=T0 - timedelta(days=10))
            self._requalify(partner)
        self.assertFalse(partner.prm_downgrade_date, "still Gold")

        # 70 days later the big invoice left the look-back: grace starts.
        with freeze_time(T0 + timedelta(days=70)):
            self._requalify(partner)
        self.assertEqual(partner.prm_downgrade_tier_id, self.tier_silver)
        self.assertEqual(partner.prm_downgrade_date, T0 + timedelta(days=100))

        # Its revenue keeps falling: the pending downgrade now goes lower.
        with freeze_time(T0 + timedelta(days=80)):
            self._post_invoice(
                partner, 10000, date=T0 + timedelta(days=79), refund=True
            )
            self._requalify(partner)
        self.assertEqual(partner.prm_tier_id, self.tier_gold)
        self.assertEqual(partner.prm_downgrade_tier_id, self.tier_registered)
        self.assertEqual(
            partner.prm_downgrade_date, T0 + timedelta(days=100), "same end"
        )

        with freeze_time(T0 + timedelta(days=100)):
            self._requalify(partner)
        self.assertEqual(partner.prm_tier_id, self.tier_registered)
        self.assertFalse(partner.prm_downgrade_tier_id)
        self.assertFalse(partner.prm_downgrade_date)
        history = self._history(partner)
        self.assertRecordValues(
            history,
            [
                {
                    "old_tier_id": self.tier_gold.id,
                    "new_tier_id": self.tier_registered.id,
                    "direction": "down",
                    "mode": "automatic",
                }
            ],
        )
        self.assertIn("No longer meets T-Gold", history.reason)
        self.assertIn("grace period ended", history.reason)
        self.assertEqual(history.metric_values["invoiced_revenue/12"], 5000.0)

    @freeze_time(T0)
    def test_no_grace_downgrades_at_once(self):
        self.env.company.prm_downgrade_grace_days = 0
        partner = self._create_program_partner("Epsilon", tier=self.tier_silver)
        self._requalify(partner)
        self.assertEqual(partner.prm_tier_id, self.tier_registered)
        self.assertFalse(self._activities(partner))

    # --- Locks ---

    def test_lock_wins_until_its_end_date(self):
        falling = self._create_program_partner(
            "Locked Gold",
            tier=self.tier_gold,
            prm_tier_lock_until=T0 + timedelta(days=10),
            prm_tier_lock_reason="Strategic account",
        )
        rising = self._create_program_partner(
            "Locked Registered",
            prm_tier_lock_until=T0 + timedelta(days=10),
            prm_tier_lock_reason="Probation",
        )
        pending = self._create_program_partner(
            "Pending then locked",
            tier=self.tier_silver,
            prm_downgrade_tier_id=self.tier_registered.id,
            prm_downgrade_date=T0 + timedelta(days=3),
            prm_tier_lock_until=T0 + timedelta(days=10),
            prm_tier_lock_reason="Renegotiation",
        )
        partners = falling | rising | pending
        with freeze_time(T0):
            self._post_invoice(rising, 15000, date=T0 - timedelta(days=3))
            self._requalify(partners)
        self.assertEqual(falling.prm_tier_id, self.tier_gold)
        self.assertFalse(falling.prm_downgrade_date, "a lock starts no grace period")
        self.assertEqual(rising.prm_tier_id, self.tier_registered)
        self.assertEqual(pending.prm_tier_id, self.tier_silver)
        self.assertFalse(
            pending.prm_downgrade_date, "the lock lifts the pending downgrade"
        )
        self.assertIn("Tier locked", self._notes(pending)[:1].body)
        self.assertFalse(self._history(falling | rising | pending))

        # Last day of the lock: still locked.
        with freeze_time(T0 + timedelta(days=10)):
            self._requalify(partners)
        self.assertEqual(rising.prm_tier_id, self.tier_registered)

        # The lock has ended: rules apply (upgrade at once, downgrade after grace).
        with freeze_time(T0 + timedelta(days=11)):
            self._requalify(partners)
        self.assertEqual(rising.prm_tier_id, self.tier_silver)
        self.assertEqual(falling.prm_tier_id, self.tier_gold)
        self.assertEqual(falling.prm_downgrade_tier_id, self.tier_registered)
        self.assertEqual(falling.prm_downgrade_date, T0 + timedelta(days=41))

    # --- Idempotence, scope ---

    @freeze_time(T0)
    def test_second_run_changes_nothing(self):
        gold = self._create_program_partner("Zeta Gold", tier=self.tier_gold)
        self._post_invoice(self.partner_a, 11000, date=T0 - timedelta(days=1))
        partners = self.partner_a | self.partner_b | gold
        self._requalify(partners)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        self.assertTrue(gold.prm_downgrade_date)
        first = self._snapshot(partners)

        action = self._requalify(partners)
        self.assertEqual(self._snapshot(partners), first)
        self.assertEqual(action["params"]["message"], "3 unchanged")

    @freeze_time(T0)
    def test_only_active_program_partners(self):
        """Bad input: partners requalification does not apply to are skipped,
        nothing is written on them."""
        suspended = self._create_program_partner("Suspended", state="suspended")
        self._post_invoice(suspended, 20000, date=T0)
        self._post_invoice(self.customer_x, 20000, date=T0)
        action = self._requalify(suspended | self.customer_x)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("2 skipped", action["params"]["message"])
        self.assertEqual(suspended.prm_tier_id, self.tier_registered)
        self.assertFalse(self._history(suspended | self.customer_x))

    @freeze_time(T0)
    def test_other_companies_use_their_own_tiers_and_invoices(self):
        company_2 = self.setup_other_company(name="PRM Other Company")["company"]
        Tier = self.env["prm.tier"].with_company(company_2)
        entry_2 = Tier.create(
            {"name": "C2-Entry", "sequence": 2010, "company_id": company_2.id}
        )
        silver_2 = Tier.create(
            {
                "name": "C2-Silver",
                "sequence": 2020,
                "company_id": company_2.id,
                "rule_ids": [Command.create(self._rule("invoiced_revenue", 5000))],
            }
        )
        partner_2 = self.Partner.sudo().create(
            {
                "name": "Other company partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_tier_id": entry_2.id,
                "company_id": company_2.id,
            }
        )
        shared = self._create_program_partner("Shared partner", company_id=False)
        # 6,000 billed by company 2 to its partner; 12,000 by our company to
        # the shared partner and 8,000 by company 2 to it.
        self._post_invoice(shared, 12000, date=T0)
        self.env["account.move"].with_company(company_2).create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": T0,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "C2",
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for customer, amount in ((partner_2, 6000), (shared, 8000))
            ]
        ).action_post()

        # Requalifying our partners leaves company 2's alone.
        self._requalify(self.partner_a | shared)
        self.assertEqual(partner_2.prm_tier_id, entry_2)
        self.assertEqual(shared.prm_tier_id, self.tier_silver)
        self.assertEqual(
            self._history(shared).metric_values["invoiced_revenue/12"],
            12000.0,
            "only the running company's invoices count for a shared partner",
        )

        # The daily job evaluates each company with its own tiers and invoices.
        self.Partner.with_user(SUPERUSER_ID)._cron_prm_requalify()
        self.assertEqual(partner_2.prm_tier_id, silver_2)
        history_2 = self._history(partner_2)
        self.assertEqual(history_2.company_id, company_2)
        self.assertEqual(history_2.metric_values, {"invoiced_revenue/12": 6000.0})
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_registered)

    # --- Cron ---

    def _run_cron(self, time_left):
        """The job as ir.cron runs it, with its progress commits recorded
        (tests cannot commit)."""
        calls = []

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return time_left(len(calls))

        Cron = self.registry["ir.cron"]
        with patch.object(Cron, "_commit_progress", commit_progress):
            self.Partner.with_user(SUPERUSER_ID).with_context(
                ir_cron_progress_id=1, cron_id=1
            )._cron_prm_requalify()
        return calls

    def _cron_population(self):
        up = self._create_program_partner("Cron up")
        down = self._create_program_partner(
            "Cron down",
            tier=self.tier_silver,
            prm_downgrade_tier_id=self.tier_registered.id,
            prm_downgrade_date=T0 - timedelta(days=1),
        )
        grace = self._create_program_partner("Cron grace", tier=self.tier_gold)
        self._post_invoice(up, 10000, date=T0)
        return up, down, grace

    @freeze_time(T0)
    def test_cron_commits_each_change_group(self):
        up, down, grace = self._cron_population()
        total = self.Partner.with_user(SUPERUSER_ID).search_count(
            self.Partner._prm_requalify_domain()
        )

        calls = self._run_cron(lambda n: 3600.0)

        (unchanged, changed), *slices = calls
        self.assertEqual(unchanged + changed, total, "every partner is accounted for")
        self.assertGreaterEqual(len(slices), 3, "one commit per change group")
        self.assertTrue(all(remaining is None and done for done, remaining in slices))
        self.assertEqual(sum(done for done, _remaining in slices), changed)
        self.assertEqual(up.prm_tier_id, self.tier_silver)
        self.assertEqual(down.prm_tier_id, self.tier_registered)
        self.assertEqual(grace.prm_downgrade_tier_id, self.tier_registered)
        self.assertEqual(self._history(up).user_id.id, SUPERUSER_ID)

    @freeze_time(T0)
    def test_cron_out_of_time_resumes(self):
        """When the cron's time is up after a group, it stops; the next call
        finishes the rest, and the one after changes nothing."""
        up, down, grace = self._cron_population()
        Message = self.env["mail.message"]
        notes = Message.search_count([("model", "=", "res.partner")])
        calls = self._run_cron(lambda n: 0.0 if n >= 2 else 3600.0)
        self.assertEqual(len(calls), 2, "stopped after the first change group")
        (_unchanged, changed), (persisted, _remaining) = calls
        self.assertLess(persisted, changed)
        # Each persisted partner got its note; the others wait for the next run.
        self.assertEqual(
            Message.search_count([("model", "=", "res.partner")]) - notes, persisted
        )

        calls = self._run_cron(lambda n: 3600.0)
        self.assertEqual(calls[0][1], changed - persisted, "the rest, and only it")
        self.assertEqual(up.prm_tier_id, self.tier_silver)
        self.assertEqual(down.prm_tier_id, self.tier_registered)
        self.assertEqual(grace.prm_downgrade_tier_id, self.tier_registered)

        calls = self._run_cron(lambda n: 3600.0)
        self.assertEqual(calls, [(calls[0][0], 0)], "nothing left to persist")

    @freeze_time(T0)
    def test_manager_requalifies_while_the_cron_commits(self):
        """The job evaluates every partner at its start, then commits group by
        group; a manager who requalifies the same partners in between (his
        transaction committed first) makes the job leave them alone: one
        history row, one note, one warning activity per change."""
        up, down, grace = self._cron_population()
        partners = up | down | grace

        def manager_in_between(call):
            if call == 1:  # the job's first commit: evaluation done, nothing written
                self._requalify(partners)
            return 3600.0

        calls = self._run_cron(manager_in_between)

        (_unchanged, changed), *slices = calls
        self.assertEqual(sum(done for done, _remaining in slices), changed)
        self.assertEqual(up.prm_tier_id, self.tier_silver)
        self.assertEqual(down.prm_tier_id, self.tier_registered)
        self.assertEqual(grace.prm_downgrade_tier_id, self.tier_registered)
        for partner in up | down:
            history = self._history(partner)
            self.assertEqual(len(history), 1, partner.name)
            self.assertEqual(history.user_id, self.user_prm_admin, "the manager's run")
        self.assertEqual(len(self._notes(grace)), 1)
        self.assertEqual(
            len(
                self._activities(grace).filtered(
                    lambda a: a.activity_type_id == self.warning_type
                )
            ),
            1,
        )

    # --- Access ---

    @freeze_time(T0)
    def test_channel_manager_requalifies_but_cannot_set_tiers(self):
        self._post_invoice(self.partner_a, 12000, date=T0)
        self._post_invoice(self.partner_b, 12000, date=T0)
        # Channel managers requalify the partners they manage only.
        with self.assertRaises(AccessError):
            self._requalify(self.partner_b, user=self.user_channel_manager)
        self.assertEqual(self.partner_b.prm_tier_id, self.tier_registered)
        self._requalify(self.partner_a, user=self.user_channel_manager)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)
        self.assertEqual(
            self._history(self.partner_a).user_id, self.user_channel_manager
        )

        partner = self.partner_a.with_user(self.user_channel_manager)
        with self.assertRaises(AccessError):
            partner.write({"prm_tier_id": self.tier_gold.id})
        with self.assertRaises(AccessError):
            partner._prm_change_tier(self.tier_gold, "Strategic")
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_silver)

        self.partner_a.with_user(self.user_prm_admin)._prm_change_tier(
            self.tier_gold, "Strategic account"
        )
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_gold)
        latest = self._history(self.partner_a)[0]
        self.assertEqual((latest.mode, latest.reason), ("manual", "Strategic account"))

    def test_portal_and_public_cannot_requalify(self):
        public = self.env.ref("base.public_user")
        for user in (self.user_portal_a, public):
            with self.assertRaises(AccessError):
                self.partner_a.with_user(user).action_prm_requalify()
        self.assertFalse(self._history(self.partner_a))
