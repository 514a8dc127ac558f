from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import Command, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common_onboarding import PrmOnboardingCommon


@tagged("post_install", "-at_install")
class TestAgreement(PrmOnboardingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Agreement = cls.env["prm.agreement"]
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "T-Reseller prices"}
        )
        cls.country_de = cls.env.ref("base.de")

    def _agreement(self, partner=None, agreement_type=None, **vals):
        return self.Agreement.create(
            {
                "partner_id": (partner or self.partner_a).id,
                "type_id": (agreement_type or self.agreement_type).id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
                **vals,
            }
        )

    def _count(self):
        return self.Agreement.search_count([])

    # --- Bad input ---

    def test_reference_from_sequence(self):
        agreement = self._agreement()
        self.assertTrue(agreement.name.startswith("AGR/2025/"), agreement.name)
        self.assertNotEqual(
            self._agreement(partner=self.partner_b).name, agreement.name
        )

    def test_dates_in_the_wrong_order(self):
        count = self._count()
        with self.assertRaisesRegex(ValidationError, "the end .* is before the start"):
            self._agreement(date_start=date(2025, 6, 1), date_end=date(2025, 5, 1))
        self.assertEqual(self._count(), count)
        agreement = self._agreement()
        # assertRaises (unlike assertRaisesRegex) rolls back to a savepoint, as
        # the failed request would: what is stored is read again.
        with self.assertRaises(ValidationError) as caught:
            agreement.date_start = date(2026, 1, 1)
        self.assertIn("is before the start", str(caught.exception))
        self.assertEqual(agreement.date_start, date(2025, 1, 1))

    def test_auto_renew_needs_an_end_and_a_term(self):
        with self.assertRaisesRegex(ValidationError, "needs an end date"):
            self._agreement(auto_renew=True, date_end=False)
        with self.assertRaisesRegex(ValidationError, "needs an end date"):
            self._agreement(auto_renew=True, renewal_months=0)

    def test_territory_states_within_countries(self):
        with self.assertRaisesRegex(ValidationError, "states outside its countries"):
            self._agreement(
                country_ids=[Command.set(self.country_de.ids)],
                country_state_ids=[Command.set(self.env.ref("base.state_us_5").ids)],
            )

    # --- One active agreement per type ---

    @freeze_time("2025-03-01")
    def test_second_active_agreement_of_a_type_is_refused(self):
        first = self._agreement()
        first.action_activate()
        second = self._agreement(date_start=date(2025, 2, 1))
        with self.assertRaisesRegex(
            ValidationError,
            f"Alpha Resellers already has an active Reseller agreement \\({first.name}\\)",
        ):
            second.action_activate()
        self.assertEqual(second.state, "draft")

        count = self._count()
        with self.assertRaisesRegex(ValidationError, "already has an active"):
            self._agreement(state="active")
        self.assertEqual(self._count(), count)
        with self.assertRaisesRegex(ValidationError, "one active Reseller agreement"):
            self.Agreement.create(
                [
                    {
                        "partner_id": self.partner_b.id,
                        "type_id": self.agreement_type.id,
                        "date_start": date(2025, 1, 1),
                        "state": "active",
                    }
                ]
                * 2
            )
        self.assertEqual(self._count(), count)

        # Another type, or another partner: fine.
        self._agreement(agreement_type=self.agreement_type_nda).action_activate()
        self._agreement(partner=self.partner_b).action_activate()
        # Once the first one ends, the second one can be activated.
        first.action_terminate()
        second.action_activate()
        self.assertEqual(second.state, "active")

    @freeze_time("2025-03-01")
    def test_moving_an_active_agreement_onto_a_taken_slot_is_refused(self):
        self._agreement().action_activate()
        nda = self._agreement(agreement_type=self.agreement_type_nda)
        nda.action_activate()
        with self.assertRaisesRegex(ValidationError, "already has an active"):
            nda.type_id = self.agreement_type
        self.assertEqual(nda.type_id, self.agreement_type_nda)

    @freeze_time("2025-03-01")
    def test_database_enforces_one_active_agreement_per_type(self):
        self.assertTrue(
            self.env.execute_query(
                SQL(
                    "SELECT 1 FROM pg_indexes WHERE indexname = %s "
                    "AND indexdef ILIKE %s",
                    "prm_agreement_one_active_per_type",
                    "%UNIQUE%WHERE%active%",
                )
            )
        )
        self._agreement().action_activate()
        second = self._agreement()
        # The ORM without our Python check: BaseModel.write skips the override.
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            models.BaseModel.write(second, {"state": "active"})
            self.env.flush_all()
        # Plain SQL, as an import script or another module could do it.
        self.env.invalidate_all()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE prm_agreement SET state = 'active' WHERE id = %s", second.id
                )
            )
        self.env.invalidate_all()
        self.assertEqual(second.state, "draft")

    # --- Rights ---

    @mute_logger("odoo.models")
    def test_channel_manager_prepares_drafts_administrator_activates(self):
        Agreement = self.Agreement.with_user(self.user_channel_manager)
        draft = Agreement.create(
            {
                "partner_id": self.partner_a.id,
                "type_id": self.agreement_type.id,
                "date_start": date(2025, 1, 1),
                "pricelist_id": self.pricelist.id,
            }
        )
        with self.assertRaises(AccessError):
            draft.action_activate()
        with self.assertRaises(AccessError):
            draft.write({"state": "active"})
        with self.assertRaises(AccessError):
            Agreement.create(
                {
                    "partner_id": self.partner_b.id,
                    "type_id": self.agreement_type.id,
                    "date_start": date(2025, 1, 1),
                }
            )
        draft.with_user(self.user_prm_admin).action_activate()
        self.assertEqual(draft.state, "active")
        with self.assertRaisesRegex(UserError, "Only draft agreements can be changed"):
            draft.pricelist_id = False
        self.assertEqual(draft.pricelist_id, self.pricelist)
        with self.assertRaises(AccessError):
            draft.write({"state": "draft"})
        with self.assertRaises(AccessError):
            draft.action_terminate()
        self.assertEqual(draft.state, "active")
        with self.assertRaises(AccessError):
            draft.unlink()
        with self.assertRaisesRegex(UserError, "Terminate active agreements"):
            draft.with_user(self.user_prm_admin).unlink()

    # --- Reminder, expiry, renewal ---

    def _activity_count(self, agreement):
        return self.env["mail.activity"].search_count(
            [("res_model", "=", "prm.agreement"), ("res_id", "=", agreement.id)]
        )

    def test_reminder_before_the_end_once(self):
        self.env.company.prm_agreement_reminder_days = 30
        with freeze_time("2025-01-01"):
            agreement = self._agreement()
            agreement.action_activate()
        with freeze_time("2025-11-30"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(self._activity_count(agreement), 0)
        with freeze_time("2025-12-01"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(self._activity_count(agreement), 1)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "prm.agreement"), ("res_id", "=", agreement.id)]
        )
        self.assertEqual(activity.user_id, self.user_channel_manager)
        self.assertIn("ends on", activity.summary)
        with freeze_time("2025-12-02"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(self._activity_count(agreement), 1)
        self.assertEqual(agreement.state, "active")

    def test_reminder_delay_follows_the_setting(self):
        self.env.company.prm_agreement_reminder_days = 60
        with freeze_time("2025-01-01"):
            agreement = self._agreement()
            agreement.action_activate()
        with freeze_time("2025-10-31"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(self._activity_count(agreement), 0, "61 days before")
        with freeze_time("2025-11-01"):
            self.Agreement._cron_prm_agreement_expiry()
        with freeze_time("2025-11-02"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(self._activity_count(agreement), 1)

    def test_expiry_without_renewal(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement()
            agreement.action_activate()
        with freeze_time("2025-12-31"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(agreement.state, "active")
        with freeze_time("2026-01-01"):
            self.Agreement._cron_prm_agreement_expiry()
        self.assertEqual(agreement.state, "expired")
        self.assertFalse(agreement.renewal_id)

    def test_auto_renewal(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement(
                auto_renew=True,
                renewal_months=12,
                pricelist_id=self.pricelist.id,
                country_ids=[Command.set(self.country_de.ids)],
            )
            agreement.action_activate()
        with freeze_time("2025-12-01"):
            self.Agreement._cron_prm_agreement_expiry()
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "prm.agreement"), ("res_id", "=", agreement.id)]
        )
        self.assertIn("renews automatically", activity.summary)

        with freeze_time("2026-01-01"):
            self.Agreement._cron_prm_agreement_expiry()
            self.Agreement._cron_prm_agreement_expiry()
        renewal = agreement.renewal_id
        self.assertEqual(agreement.state, "expired")
        self.assertEqual(renewal.state, "active")
        self.assertEqual(renewal.renewed_from_id, agreement)
        self.assertEqual(renewal.date_start, date(2026, 1, 1))
        self.assertEqual(renewal.date_end, date(2026, 12, 31))
        self.assertTrue(renewal.auto_renew)
        self.assertNotEqual(renewal.name, agreement.name)
        self.assertEqual(renewal.pricelist_id, self.pricelist)
        self.assertEqual(renewal.country_ids, self.country_de)
        self.assertEqual(
            self.Agreement.search_count([("partner_id", "=", self.partner_a.id)]),
            2,
            "the second run renews nothing more",
        )

    def test_auto_renewal_catches_up_missed_periods(self):
        with freeze_time("2024-01-01"):
            agreement = self._agreement(
                date_start=date(2024, 1, 1),
                date_end=date(2024, 6, 30),
                auto_renew=True,
                renewal_months=6,
            )
            agreement.action_activate()
        with freeze_time("2025-03-15"):
            self.Agreement._cron_prm_agreement_expiry()
        chain = self.Agreement.search(
            [("partner_id", "=", self.partner_a.id)], order="date_start"
        )
        self.assertEqual(
            [(a.date_start, a.date_end, a.state) for a in chain],
            [
                (date(2024, 1, 1), date(2024, 6, 30), "expired"),
                (date(2024, 7, 1), date(2024, 12, 31), "expired"),
                (date(2025, 1, 1), date(2025, 6, 30), "active"),
            ],
        )

    def test_manual_renewal(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement(renewal_months=24)
            agreement.action_activate()
        with freeze_time("2025-12-01"):
            action = agreement.with_user(self.user_channel_manager).action_renew()
        renewal = self.Agreement.browse(action["res_id"])
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.renewed_from_id, agreement)
        self.assertEqual(agreement.renewal_id, renewal)
        self.assertEqual(
            (renewal.date_start, renewal.date_end),
            (date(2026, 1, 1), date(2027, 12, 31)),
        )
        with self.assertRaisesRegex(UserError, "Already renewed"):
            agreement.action_renew()
        with freeze_time("2025-12-20"):
            renewal.action_activate()
        self.assertEqual(renewal.state, "active")
        self.assertEqual(agreement.state, "expired", "the renewal replaces it")

    def test_renewing_a_long_expired_agreement_starts_today(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement()
            agreement.action_activate()
        with freeze_time("2026-04-10"):
            self.Agreement._cron_prm_agreement_expiry()
            renewal = self.Agreement.browse(agreement.action_renew()["res_id"])
        self.assertEqual(renewal.date_start, date(2026, 4, 10))

    def test_open_ended_agreement_cannot_be_renewed(self):
        with freeze_time("2025-01-01"):
            agreement = self._agreement(date_end=False)
            agreement.action_activate()
        with self.assertRaisesRegex(UserError, "Open-ended"):
            agreement.action_renew()

    # --- Pricelist ---

    @freeze_time("2025-03-01")
    def test_active_agreement_pricelist(self):
        nda_pricelist = self.env["product.pricelist"].create({"name": "T-NDA prices"})
        self._agreement(pricelist_id=self.pricelist.id)
        partners = self.partner_a | self.partner_b
        self.assertEqual(
            partners._prm_agreement_pricelist(), {}, "drafts grant nothing"
        )
        nda = self._agreement(
            agreement_type=self.agreement_type_nda, pricelist_id=nda_pricelist.id
        )
        nda.action_activate()
        self.assertEqual(
            partners._prm_agreement_pricelist(), {self.partner_a.id: nda_pricelist}
        )
        reseller = self.Agreement.search(
            [("partner_id", "=", self.partner_a.id), ("state", "=", "draft")]
        )
        reseller.action_activate()
        self.assertEqual(
            partners._prm_agreement_pricelist(),
            {self.partner_a.id: self.pricelist},
            "the type with the lowest sequence wins",
        )
