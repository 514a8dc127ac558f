"""Fixture of the channel analytics tests: two months of channel activity of
partners A and B (plus C, D, E for the traffic without sales selection), built
through the real flows at frozen times so that every figure can be computed by
hand (see the expected values in ``test_channel_analytics``)."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command

from odoo.addons.prm_sale.tests.common import PrmSaleCommon

JAN = date(2025, 1, 1)
FEB = date(2025, 2, 1)
TODAY = "2025-02-20 12:00:00"


class PrmAnalyticsCommon(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.Report = cls.env["prm.channel.report"]
        cls.Lead = cls.env["crm.lead"]
        cls.Offer = cls.env["prm.lead.offer"]
        cls.reason = cls.env.ref("prm_crm.offer_decline_reason_capacity")
        cls.partner_b.sudo().write(
            {
                "prm_tier_id": cls.tier_silver.id,
                "prm_partner_type_id": cls.type_referral.id,
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.partner_a.country_id = cls.env.ref("base.es")
        cls.partner_c = cls._create_program_partner("Gamma Traffic")
        cls.partner_d = cls._create_program_partner("Delta Resale")
        cls.partner_e = cls._create_program_partner("Epsilon Quiet")
        cls.customer_z = cls.env["res.partner"].create({"name": "Direct Customer Z"})
        cls._build_activity()

    # --- Builders ---

    @classmethod
    def _lead(cls, name, revenue=0.0, partner=None, **vals):
        return cls.Lead.create(
            {
                "name": name,
                "type": "opportunity",
                "partner_name": f"{name} Customer Ltd",
                "expected_revenue": revenue,
                "user_id": False,
                "company_id": cls.company.id,
                "prm_partner_id": partner.id if partner else False,
                **vals,
            }
        )

    @classmethod
    def _offer(cls, partner, at, outcome=None, after=None, revenue=0.0):
        """Offer a new lead to ``partner`` at ``at``; ``after`` later the partner
        accepts or declines it, or it expires."""
        offered_at = datetime.fromisoformat(at)
        lead = cls._lead(f"Routed {partner.name} {at}", revenue)
        with freeze_time(offered_at):
            offer = cls.Offer.create(
                {
                    "lead_id": lead.id,
                    "partner_id": partner.id,
                    "deadline": offered_at + timedelta(hours=48),
                }
            )
        if outcome:
            with freeze_time(offered_at + (after or timedelta(hours=49))):
                if outcome == "accepted":
                    offer.action_prm_accept()
                elif outcome == "declined":
                    offer.action_prm_decline(cls.reason.id)
                else:
                    offer._prm_expire()
        return offer

    @classmethod
    def _register(cls, partner, at, revenue=0.0):
        lead = cls._lead(f"Registered {partner.name} {at}", revenue, partner)
        with freeze_time(at):
            # sudo: as the portal registration does, once its checks passed.
            lead.sudo()._prm_submit_registration()
        return lead

    @classmethod
    def _win(cls, lead, at):
        with freeze_time(at):
            lead.action_set_won()

    @classmethod
    def _build_activity(cls):
        a, b, c, d, e = (
            cls.partner_a,
            cls.partner_b,
            cls.partner_c,
            cls.partner_d,
            cls.partner_e,
        )
        hours = lambda n: timedelta(hours=n)  # noqa: E731

        # Routed leads.
        cls.o1 = cls._offer(a, "2025-01-10 08:00", "accepted", hours(6), 10000)
        cls.o2 = cls._offer(a, "2025-01-12 09:00", "accepted", hours(24))
        cls.o3 = cls._offer(a, "2025-01-15 10:00", "declined", hours(2))
        # Offered in January, expired in February: a January SLA miss.
        cls.o4 = cls._offer(a, "2025-01-31 22:00", "expired")
        cls.o5 = cls._offer(a, "2025-02-03 10:00", "accepted", hours(3), 4000)
        cls.o6 = cls._offer(a, "2025-02-05 10:00")
        cls.o7 = cls._offer(b, "2025-01-20 10:00", "expired")
        cls.o8 = cls._offer(b, "2025-01-21 10:00", "declined", hours(1))
        cls.o9 = cls._offer(b, "2025-02-01 10:00", "accepted", hours(12))
        cls._offer(c, "2025-02-02 10:00", "declined", hours(1))
        cls._offer(c, "2025-02-03 10:00", "expired")
        for day in (4, 5, 6):
            cls._offer(d, f"2025-02-0{day} 10:00", "declined", hours(1))
        cls._offer(e, "2025-02-07 10:00", "declined", hours(1))
        cls._offer(e, "2025-02-08 10:00", "declined", hours(1))

        # Deal registrations.
        cls.r1 = cls._register(a, "2025-01-05 09:00", 20000)
        cls.r2 = cls._register(a, "2025-01-08 09:00")
        cls.r3 = cls._register(a, "2025-02-04 09:00")
        cls.r4 = cls._register(b, "2025-02-06 09:00")
        cls.r5 = cls._register(b, "2025-02-07 09:00")
        cls.r6 = cls._register(c, "2025-02-09 09:00")
        with freeze_time("2025-01-09 09:00"):
            cls.r1.action_prm_approve_registration()
            cls.r2.action_prm_reject_registration("Direct account")
        with freeze_time("2025-02-05 09:00"):
            cls.r3.action_prm_approve_registration()
        with freeze_time("2025-02-08 09:00"):
            cls.r5.action_prm_approve_registration()
        with freeze_time("2025-02-10 09:00"):
            cls.r6.action_prm_reject_registration("Duplicate")
        with freeze_time("2025-02-15 09:00"):
            # Expired: the customer is released (no channel partner any more),
            # the registration still counts for A.
            cls.r3._prm_expire_registrations()

        # Opportunities won.
        cls._win(cls.o1.lead_id, "2025-01-25 10:00")
        cls._win(cls.o5.lead_id, "2025-02-10 10:00")
        cls._win(cls.r1, "2025-02-12 10:00")
        cls.b_deal = cls._lead("Referral of B", 6000, b)
        cls._win(cls.b_deal, "2025-01-18 10:00")
        # Not counted: won without channel partner, lost with one.
        cls._win(cls._lead("Direct win", 99000), "2025-01-18 10:00")
        with freeze_time("2025-01-19 10:00"):
            cls._lead("Lost deal", 5000, a).action_set_lost()

        # Invoices (untaxed, credit notes deducted).
        post = cls._post_invoice
        post(cls.customer_x, 1000, "2025-01-15", channel_partner=a)
        post(a, 500, "2025-01-20")
        post(cls.customer_y, 2000, "2025-02-05", channel_partner=a)
        post(cls.customer_x, 300, "2025-02-10", channel_partner=a, refund=True)
        post(b, 800, "2025-01-22")
        post(b, 200, "2025-02-11", refund=True)
        # B buys through A: A's sell-through and B's resale.
        post(b, 400, "2025-02-08", channel_partner=a)
        post(d, 100, "2025-02-12")
        post(cls.customer_z, 5000, "2025-02-14")
        # Not counted: a draft invoice through A, an invoice of December.
        cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer_y.id,
                "prm_partner_id": a.id,
                "invoice_date": "2025-02-16",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_prm.id,
                            "price_unit": 7777,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        post(cls.customer_x, 9000, "2024-12-31", channel_partner=a)

    # --- Reading ---

    def _row(self, partner, month, company=None):
        rows = self.Report.search(
            [
                ("partner_id", "=", partner.id),
                ("date", "=", month),
                ("company_id", "=", (company or self.company).id),
            ]
        )
        self.assertEqual(len(rows), 1, f"one row for {partner.name} in {month}")
        return rows

    def _assert_values(self, record_or_dict, expected, msg=""):
        for name, value in expected.items():
            self.assertAlmostEqual(
                record_or_dict[name] or 0.0, value, places=2, msg=f"{msg} {name}"
            )
