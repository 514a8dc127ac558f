from collections import Counter
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmRoutingCommon


@tagged("post_install", "-at_install")
class TestRoutingDistribution(PrmRoutingCommon):
    def _distribution(self, offers):
        return Counter(offer.partner_id.name for offer in offers)

    def test_weighted_by_tier_routing_weight(self):
        leads = self._leads(70)
        offers = self.Rule._prm_route_leads(leads)
        self.assertEqual(len(offers), 70)
        # Weights 1, 2 and 4: exactly 10, 20 and 40 leads.
        self.assertEqual(
            self._distribution(offers),
            {"Rho One": 10, "Rho Two": 20, "Rho Three": 40},
        )
        self.assertEqual(set(offers.mapped("state")), {"offered"})
        self.assertEqual(offers.rule_id, self.rule)

    def test_weighted_balance_carries_over_batches(self):
        self.Rule._prm_route_leads(self._leads(4))
        offers = self.Rule._prm_route_leads(self._leads(3))
        total = self._distribution(self.Offer.search([("rule_id", "=", self.rule.id)]))
        self.assertEqual(total, {"Rho One": 1, "Rho Two": 2, "Rho Three": 4})
        self.assertEqual(len(offers), 3)

    def test_partners_get_one_email_per_batch(self):
        offers = self.Rule._prm_route_leads(self._leads(7))
        self.assertFalse(any(offers.mapped("partner_notified")))
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        self.Offer._cron_prm_notify_offers()
        # (demo offers waiting for an answer may be notified too)
        mails = (Mail.search([]) - before).filtered(lambda m: "Rho" in m.subject)
        self.assertEqual(len(mails), 3, "one email per partner")
        mail_p3 = mails.filtered(lambda m: "Rho Three" in m.subject)
        self.assertIn("4 new lead(s)", mail_p3.subject)
        self.assertEqual(mail_p3.email_to, self.p3.email_formatted)
        self.assertTrue(all(offers.mapped("partner_notified")))
        self.Offer._cron_prm_notify_offers()
        self.assertEqual(
            (Mail.search([]) - before).filtered(lambda m: "Rho" in m.subject),
            mails,
            "nothing sent twice",
        )

    def test_round_robin_order(self):
        self.rule.distribution = "round_robin"
        leads = self._leads(6)
        self.Rule._prm_route_leads(leads)
        order = [self._open_offer(lead).partner_id for lead in leads]
        self.assertEqual(order, [self.p1, self.p2, self.p3] * 2)
        # The next batch goes on where the last one stopped.
        more = self._leads(2)
        self.Rule._prm_route_leads(more)
        self.assertEqual(
            [self._open_offer(lead).partner_id for lead in more], [self.p1, self.p2]
        )

    def test_best_conversion_rate(self):
        self.rule.write({"distribution": "conversion", "lookback_months": 6})
        history = self._leads(7, name="History")
        now = fields.Datetime.now()

        def accepted(partner, leads, when):
            self.Offer.create(
                [
                    {
                        "lead_id": lead.id,
                        "partner_id": partner.id,
                        "rule_id": self.rule.id,
                        "state": "accepted",
                        "offered_at": when,
                    }
                    for lead in leads
                ]
            )
            leads.prm_partner_id = partner

        # p2 won 2 of 2 (100%), p3 won 1 of 4 (25%), p1 has no history.
        accepted(self.p2, history[:2], now - timedelta(days=30))
        accepted(self.p3, history[2:6], now - timedelta(days=30))
        history[:3].action_set_won()
        # A win older than the history period does not count.
        old = self._leads(1, name="Old")
        accepted(self.p1, old, now - timedelta(days=400))
        old.action_set_won()
        rates = self.Rule._prm_conversion_rates(
            [self.p1.id, self.p2.id, self.p3.id], now - timedelta(days=180)
        )
        self.assertEqual(rates, {self.p2.id: 1.0, self.p3.id: 0.25})
        self.p2.prm_routing_capacity = 5
        offers = self.Rule._prm_route_leads(self._leads(6))
        # p2 until its capacity (2 open accepted leads are won, so 5 free), then
        # the next best rate.
        self.assertEqual(self._distribution(offers), {"Rho Two": 5, "Rho Three": 1})

    def test_capacity_counts_open_routed_leads(self):
        self.p3.prm_routing_capacity = 3
        self.tier_silver.routing_capacity = 2
        busy = self._leads(1, name="Already with p3")
        self.Offer.create(
            {"lead_id": busy.id, "partner_id": self.p3.id, "state": "accepted"}
        )
        busy.prm_partner_id = self.p3
        offers = self.Rule._prm_route_leads(self._leads(10))
        self.assertEqual(
            self._distribution(offers), {"Rho Three": 2, "Rho Two": 2, "Rho One": 6}
        )

    def test_no_free_partner_leaves_the_lead_unrouted(self):
        self.tier_registered.routing_capacity = 1
        self.tier_silver.routing_capacity = 1
        self.tier_gold.routing_capacity = 1
        offers = self.Rule._prm_route_leads(self._leads(5))
        self.assertEqual(len(offers), 3)


@tagged("post_install", "-at_install")
class TestRoutingFilters(PrmRoutingCommon):
    def test_rule_filters_and_sequence(self):
        software = self.env["product.category"].create({"name": "T-Software"})
        erp = self.env["product.category"].create(
            {"name": "ERP", "parent_id": software.id}
        )
        tag_vip = self.env["crm.tag"].create({"name": "T-VIP"})
        paris_rule = self.Rule.create(
            {
                "name": "Paris software for gold partners",
                "sequence": 1,
                "country_ids": [Command.set(self.france.ids)],
                "zip_prefixes": "75, 92",
                "categ_ids": [Command.set(software.ids)],
                "min_tier_id": self.tier_gold.id,
                "partner_type_ids": [Command.set(self.type_routing.ids)],
            }
        )
        vip_rule = self.Rule.create(
            {
                "name": "VIP",
                "sequence": 2,
                "tag_ids": [Command.set(tag_vip.ids)],
                "partner_type_ids": [Command.set(self.type_routing.ids)],
                "min_tier_id": self.tier_silver.id,
                "distribution": "round_robin",
            }
        )
        paris_erp = self._leads(
            1, zip="75 001", prm_interest_categ_ids=[Command.set(erp.ids)]
        )
        paris_other = self._leads(1, zip="75001")
        lyon_vip = self._leads(1, zip="69001", tag_ids=[Command.set(tag_vip.ids)])
        spain = self._leads(1, country_id=self.spain.id)
        self.Rule._prm_route_leads(paris_erp | paris_other | lyon_vip | spain)
        self.assertEqual(self._open_offer(paris_erp).rule_id, paris_rule)
        self.assertEqual(self._open_offer(paris_erp).partner_id, self.p3)
        self.assertEqual(self._open_offer(paris_other).rule_id, self.rule)
        self.assertEqual(self._open_offer(lyon_vip).rule_id, vip_rule)
        self.assertIn(self._open_offer(lyon_vip).partner_id, self.p2 | self.p3)
        # No rule covers Spain (and no partner's territory does).
        self.assertFalse(self._open_offer(spain))

    def test_falls_through_to_next_rule_when_partners_are_full(self):
        self.Rule.create(
            {
                "name": "Gold first",
                "sequence": 1,
                "min_tier_id": self.tier_gold.id,
                "partner_type_ids": [Command.set(self.type_routing.ids)],
            }
        )
        self.p3.prm_routing_capacity = 1
        leads = self._leads(2)
        self.Rule._prm_route_leads(leads)
        self.assertEqual(self._open_offer(leads[0]).partner_id, self.p3)
        self.assertEqual(self._open_offer(leads[1]).rule_id, self.rule)
        self.assertNotEqual(self._open_offer(leads[1]).partner_id, self.p3)

    def test_partner_territory(self):
        paris = self.env.ref("base.state_fr_75", raise_if_not_found=False)
        if not paris:
            paris = self.env["res.country.state"].create(
                {"name": "T-Paris", "code": "T75", "country_id": self.france.id}
            )
        lyon = self.env["res.country.state"].create(
            {"name": "T-Rhone", "code": "T69", "country_id": self.france.id}
        )
        # p3 only covers Paris; p1 and p2 go elsewhere (Spain).
        self.p3.prm_country_state_ids = [Command.set(paris.ids)]
        (self.p1 | self.p2).prm_country_ids = [Command.set(self.spain.ids)]
        in_lyon = self._leads(1, state_id=lyon.id)
        in_paris = self._leads(1, state_id=paris.id)
        self.Rule._prm_route_leads(in_lyon | in_paris)
        self.assertFalse(self._open_offer(in_lyon))
        self.assertEqual(self._open_offer(in_paris).partner_id, self.p3)
        # Without the territory check anybody takes it.
        self.rule.match_territory = False
        self.Rule._prm_route_leads(in_lyon)
        self.assertTrue(self._open_offer(in_lyon))

    def test_certification_hook_is_called_per_rule(self):
        calls = []
        original = type(self.Rule)._prm_routing_certified_partners

        def certified(model, rule, partners):
            calls.append((rule, partners))
            return original(model, rule, partners) - self.p3

        with patch.object(
            type(self.Rule), "_prm_routing_certified_partners", certified
        ):
            offers = self.Rule._prm_route_leads(self._leads(9))
        # Once per rule (only the fixture's applies to this company), not per lead.
        self.assertEqual([rule for rule, _partners in calls], [self.rule])
        self.assertEqual(calls[0][1], self.p1 | self.p2 | self.p3)
        self.assertNotIn(self.p3, offers.partner_id)
        self.assertEqual(len(offers), 9)

    def test_unroutable_leads_are_skipped(self):
        worked = self._leads(1, user_id=self.user_salesman.id)
        taken = self._leads(1, prm_partner_id=self.p1.id)
        registered = self._register(self.user_portal_a)
        won = self._leads(1)
        won.action_set_won()
        fresh = self._leads(1)
        old = self._leads(1, name="Old lead")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (datetime.now() - timedelta(days=31), old.id),
        )
        self.Lead._cron_prm_route_leads()
        self.assertFalse(self._offers(old), "the job routes new leads only")
        self.assertTrue(self._open_offer(fresh))
        for lead in (worked, taken, registered, won):
            self.assertFalse(self._offers(lead), lead.name)
        # A lead with an open offer is not offered twice.
        self.assertEqual(len(self.Rule._prm_route_leads(fresh)), 0)
        # The button skips what cannot be routed; a lead with a salesperson
        # is routed when a manager asks for it.
        action = (
            (worked | taken | registered)
            .with_user(self.user_prm_admin)
            .action_prm_route()
        )
        self.assertIn("1 of 3", action["params"]["title"])
        self.assertIn("already works the lead", action["params"]["message"])
        self.assertIn("deal registration", action["params"]["message"])
        self.assertTrue(self._open_offer(worked))


@tagged("post_install", "-at_install")
class TestRoutingAnswers(PrmRoutingCommon):
    def setUp(self):
        super().setUp()
        self.rule.distribution = "round_robin"
        self.lead = self._leads(1, name="Bistro chain")
        self.Rule._prm_route_leads(self.lead)
        self.offer = self._open_offer(self.lead)
        self.assertEqual(self.offer.partner_id, self.p1)

    def test_accept_assigns_the_lead(self):
        self.offer.with_user(self.user_portal_p1).action_prm_accept()
        self.assertEqual(self.offer.state, "accepted")
        self.assertEqual(self.offer.responded_by_id, self.user_portal_p1)
        self.assertEqual(self.lead.prm_partner_id, self.p1)
        activity = self.lead.activity_ids
        self.assertEqual(activity.user_id, self.user_channel_manager)
        self.assertIn("Rho One", activity.summary)
        self.assertIn(self.contact_p1, self.lead.message_partner_ids)
        # The portal user now reads the lead it works.
        self.assertEqual(self.lead.with_user(self.user_portal_p1).name, "Bistro chain")
        with self.assertRaisesRegex(UserError, "already answered"):
            self.offer.with_user(self.user_portal_p1).action_prm_accept()
        # Taken leads are not routed again.
        self.assertFalse(self.Rule._prm_route_leads(self.lead))

    def test_decline_reroutes_and_never_offers_again(self):
        with self.assertRaisesRegex(UserError, "Choose why"):
            self.offer.with_user(self.user_portal_p1).action_prm_decline(False)
        with self.assertRaisesRegex(UserError, "Choose why"):
            self.offer.with_user(self.user_portal_p1).action_prm_decline("junk")
        with self.assertRaisesRegex(UserError, "Explain why"):
            self.offer.with_user(self.user_portal_p1).action_prm_decline(
                self.reason_other.id, "  "
            )
        self.assertEqual(self.offer.state, "offered")
        self.offer.with_user(self.user_portal_p1).action_prm_decline(
            self.reason_capacity.id, "Busy until June"
        )
        self.assertEqual(self.offer.state, "declined")
        self.assertEqual(self.offer.decline_reason_id, self.reason_capacity)
        self.assertEqual(self.offer.decline_note, "Busy until June")
        second = self._open_offer(self.lead)
        self.assertEqual(second.partner_id, self.p2)
        # Channel manager declines for p2 through the wizard.
        wizard = (
            self.env["prm.offer.decline.wizard"]
            .with_user(self.user_channel_manager)
            .create(
                {
                    "offer_ids": [Command.set(second.ids)],
                    "reason_id": self.reason_other.id,
                    "note": "Partner called: not interested",
                }
            )
        )
        wizard.action_apply()
        third = self._open_offer(self.lead)
        self.assertEqual(third.partner_id, self.p3)
        third.action_prm_decline(self.reason_capacity.id)
        # Every partner declined: nobody left, and nobody gets it twice.
        self.assertFalse(self._open_offer(self.lead))
        self.assertFalse(self.Rule._prm_route_leads(self.lead))
        self.assertEqual(len(self._offers(self.lead)), 3)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Offer.create({"lead_id": self.lead.id, "partner_id": self.p1.id})
            self.env.flush_all()

    def test_sla_miss_reroutes(self):
        start = datetime(2025, 5, 5, 9, 0)
        lead = self._leads(1, name="SLA lead")
        with freeze_time(start):
            self.Rule._prm_route_leads(lead)
        first = self._open_offer(lead)
        self.assertEqual(first.deadline, start + timedelta(hours=24))
        with freeze_time(start + timedelta(hours=23)):
            self.Offer._cron_prm_expire_offers()
        self.assertEqual(first.state, "offered")
        with freeze_time(start + timedelta(hours=24, minutes=1)):
            with self.assertRaisesRegex(UserError, "expired on"):
                first.with_user(self.user_channel_manager).action_prm_accept()
            self.Offer._cron_prm_expire_offers()
        self.assertEqual(first.state, "expired")
        second = self._open_offer(lead)
        self.assertTrue(second)
        self.assertNotEqual(second.partner_id, first.partner_id)
        self.assertEqual(second.deadline, start + timedelta(hours=48, minutes=1))
        with freeze_time(start + timedelta(hours=49)):
            self.Offer._cron_prm_expire_offers()
        third = self._open_offer(lead)
        with freeze_time(start + timedelta(hours=74)):
            self.Offer._cron_prm_expire_offers()
        # All three let it lapse: none gets it again.
        self.assertFalse(self._open_offer(lead))
        self.assertEqual(
            set(self._offers(lead).partner_id.ids),
            {first.partner_id.id, second.partner_id.id, third.partner_id.id},
        )
        self.assertEqual(set(self._offers(lead).mapped("state")), {"expired"})


@tagged("post_install", "-at_install")
class TestRoutingPerformance(PrmRoutingCommon):
    def _route_counting_queries(self, leads):
        self.env.flush_all()
        self.env.invalidate_all()
        with self._statements() as counts:
            offers = self.Rule._prm_route_leads(leads)
            self.env.flush_all()
        return Counter(counts), offers

    def test_query_count_does_not_grow_with_leads(self):
        self.Rule.create(
            {
                "name": "Round-robin second",
                "sequence": 20,
                "partner_type_ids": [Command.set(self.type_routing.ids)],
                "distribution": "round_robin",
            }
        )
        self.Rule.create(
            {
                "name": "Conversion third",
                "sequence": 30,
                "partner_type_ids": [Command.set(self.type_routing.ids)],
                "distribution": "conversion",
            }
        )
        for i in range(10):
            self._routing_partner(f"Extra {i}", self.tier_silver)
        tag = self.env["crm.tag"].create({"name": "T-Perf"})
        leads = self._leads(1010, tag_ids=[Command.set(tag.ids)])
        # Warm the registry-level caches (ir.default, ...) once.
        self.Rule._prm_route_leads(self._leads(1))
        q10, offers10 = self._route_counting_queries(leads[:10])
        q1000, offers1000 = self._route_counting_queries(leads[10:])
        self.assertEqual(len(offers10), 10)
        self.assertEqual(len(offers1000), 1000)
        self.assertEqual(
            q1000["SELECT"],
            q10["SELECT"],
            f"routing 1000 leads read {q1000}, 10 leads {q10}",
        )
        # The offers are created with the ORM, 100 rows per INSERT.
        self.assertEqual(self._writes(q1000) - self._writes(q10), 10 - 1)
        self.assertLess(sum(q10.values()), 40)


@tagged("post_install", "-at_install")
class TestRoutingBadInput(PrmRoutingCommon):
    def _assert_refused(self, message, func, *args):
        """The error is clear and the transaction (savepoint) keeps nothing."""
        with self.assertRaises(ValidationError) as caught:
            func(*args)
        self.assertRegex(str(caught.exception), message)
        self.env.invalidate_all(flush=False)

    def test_sla_must_be_positive(self):
        for hours in (0, -4):
            with self.subTest(hours=hours):
                self._assert_refused(
                    "routing rule Bad .* must be a positive number of hours",
                    self.Rule.create,
                    {"name": f"Bad {hours}", "sla_hours": hours},
                )
        self._assert_refused(
            "positive number of hours", self.rule.write, {"sla_hours": 0}
        )
        self.assertEqual(self.rule.sla_hours, 24)
        self.assertFalse(self.Rule.search([("name", "like", "Bad ")]))

    def test_zip_prefixes_and_history_are_checked(self):
        self._assert_refused(
            "Zip prefixes",
            self.Rule.create,
            {"name": "Bad zip", "zip_prefixes": "75; 92"},
        )
        self._assert_refused(
            "at least one month",
            self.Rule.create,
            {"name": "Bad months", "lookback_months": 0},
        )
        self.assertFalse(self.Rule.search([("name", "like", "Bad ")]))

    def test_negative_capacity(self):
        self._assert_refused(
            "cannot be negative", self.p1.write, {"prm_routing_capacity": -2}
        )
        self.assertEqual(self.p1.prm_routing_capacity, 0)

    def test_foreign_offer_cannot_be_answered(self):
        self.Rule._prm_route_leads(self._leads(3))
        foreign = self.Offer.search(
            [("partner_id", "in", (self.p2 | self.p3).ids), ("state", "=", "offered")],
            limit=1,
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_portal_p1).action_prm_accept()
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_portal_p1).action_prm_decline(
                self.reason_capacity.id
            )
        self.assertEqual(foreign.state, "offered")
