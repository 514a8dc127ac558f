from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import tagged

from .common import PrmTourCase
from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestPartner360(PrmOnboardingCommon):
    """The Partner 360 payload: tier progress, onboarding, documents; one
    batched read whatever the number of partners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_sales = cls.env.ref("prm_partner.role_sales")

    def _representative(self, partner, name):
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": partner.id,
                "prm_role_ids": [Command.link(self.role_sales.id)],
            }
        )

    def _section(self, partner, key):
        data = partner.with_user(self.user_channel_manager).prm_360_data
        return next(s for s in data["sections"] if s["key"] == key)

    def test_tier_progress_towards_the_next_tier(self):
        self.partner_a.prm_tier_id = self.tier_silver
        self._representative(self.partner_a, "Rep One")
        self._representative(self.partner_a, "Rep Two")
        tier = self._section(self.partner_a, "tier")
        self.assertIn("T-Gold", tier["bars_title"])
        (bar,) = tier["bars"]
        self.assertEqual((bar["value"], bar["percent"], bar["met"]), ("2", 67, False))
        self.assertIn("3", bar["threshold"])
        self.assertEqual(bar["action"]["method"], "action_prm_open_contacts")
        figure = tier["figures"][0]
        self.assertEqual(figure["display"], "T-Silver")
        action = getattr(self.partner_a, figure["action"]["method"])()
        self.assertEqual(action["res_model"], "prm.tier.history")

        # Registered partners aim at Silver: one representative is enough.
        tier_b = self._section(self.partner_b, "tier")
        self.assertIn("T-Silver", tier_b["bars_title"])
        self.assertEqual(tier_b["bars"][0]["percent"], 0)

    def test_onboarding_and_expiring_documents(self):
        partner = self._onboard("Nu Resellers")
        onboarding = self._section(partner, "onboarding")
        self.assertEqual(onboarding["bars"][0]["threshold"], "3")
        self.assertEqual(onboarding["bars"][0]["percent"], 0)

        agreement = self.env["prm.agreement"].create(
            {
                "partner_id": self.partner_a.id,
                "type_id": self.agreement_type.id,
                "date_start": self.today - relativedelta(months=11),
                "date_end": self.today + relativedelta(days=10),
            }
        )
        agreement.action_activate()
        figures = {
            f["key"]: f for f in self._section(self.partner_a, "documents")["figures"]
        }
        self.assertEqual(figures["agreements"]["display"], "1")
        self.assertEqual(figures["agreements_expiring"]["display"], "1")
        self.assertTrue(figures["agreements_expiring"]["warning"])
        action = self.partner_a.action_prm_open_expiring_agreements()
        self.assertEqual(self.env["prm.agreement"].search(action["domain"]), agreement)

    def test_one_batched_read_for_any_number_of_partners(self):
        partners = self.partner_a | self.partner_b
        for n in range(6):
            partners |= self._create_program_partner(f"Batch {n}", state="onboarding")
            self._representative(partners[-1], f"Rep {n}")
        counts = {}
        # One active and one onboarding partner against eight of both kinds.
        small = self.partner_a | partners[2]
        for label, records in (("one", small), ("many", partners)):
            # Warm the caches of metadata (ir.model, actions), as a form does.
            records.invalidate_recordset()
            records._prm_partner_360_data()
            records.invalidate_recordset()
            self.env.invalidate_all()
            with self._statements() as statements:
                data = records._prm_partner_360_data()
            counts[label] = statements["SELECT"]
            self.assertEqual(len(data), len(records))
        self.assertEqual(counts["one"], counts["many"], counts)


@tagged("post_install", "-at_install")
class TestPartner360Tour(PrmTourCase):
    """A channel manager opens a partner, reads its progress bars and clicks a
    figure to land on the records behind it."""

    def test_partner_360_tour(self):
        company = self.env.ref("base.main_company")
        # Our own rungs, above the demo's ladder.
        Tier = self.env["prm.tier"]
        base = Tier.create({"name": "Tour Base", "sequence": 5000})
        Tier.create(
            {
                "name": "Tour Top",
                "sequence": 5010,
                "rule_ids": [
                    Command.create(
                        {
                            "metric": "representatives",
                            "operator": ">=",
                            "threshold": 2,
                            "lookback_months": 12,
                        }
                    )
                ],
            }
        )
        partner = self.env["res.partner"].create(
            {
                "name": "Tour 360 Tab Partner",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
                "prm_partner_type_id": self.env.ref(
                    "prm_partner.partner_type_reseller"
                ).id,
                "company_id": company.id,
                "prm_tier_id": base.id,
                "child_ids": [
                    Command.create(
                        {
                            "name": "Tour Rep",
                            "prm_role_ids": [
                                Command.link(self.env.ref("prm_partner.role_sales").id)
                            ],
                        }
                    )
                ],
            }
        )
        self.env["prm.agreement"].create(
            {
                "partner_id": partner.id,
                "type_id": self.env.ref("prm_partner.agreement_type_nda").id,
                "date_start": "2025-01-01",
            }
        ).action_activate()
        self.start_tour(
            f"/odoo/action-prm_partner.action_prm_partner/{partner.id}",
            "prm_partner_360_tour",
            login="admin",
        )
