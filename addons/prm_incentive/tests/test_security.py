from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrmIncentiveCommon


class PrmIncentiveSecurityCommon(PrmIncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_b.email = "boris@beta.test"
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.program = cls._create_program()
        cls._sell(1000, customer=cls.partner_a, date="2025-04-10")
        cls._sell(2000, customer=cls.partner_b, date="2025-04-10")
        cls._sell(3000, customer=cls.partner_a, date="2025-08-10")  # stays open
        with freeze_time("2025-07-15"):
            cls.settlements = cls.env["prm.settlement"]._close_period(
                cls.program, cls.program.date_start.replace(month=6, day=30)
            )
            cls.settlements.action_approve()
            cls.settlements.action_post()
        cls.settlement_a = cls.settlements.filtered(
            lambda s: s.partner_id == cls.partner_a
        )
        cls.settlement_b = cls.settlements - cls.settlement_a


@tagged("post_install", "-at_install")
class TestIncentiveSecurity(PrmIncentiveSecurityCommon):
    def test_accountant_settles_approves_posts(self):
        self._sell(500, customer=self.partner_a, date="2025-09-10")
        Settlement = self.env["prm.settlement"].with_user(self.user_accountant)
        with freeze_time("2025-10-05"):
            wizard = (
                self.env["prm.settlement.wizard"]
                .with_user(self.user_accountant)
                .create({"program_ids": self.program.ids, "date": "2025-09-30"})
            )
            action = wizard.action_close()
        settlement = Settlement.search(action["domain"])
        settlement.action_approve()
        settlement.with_user(self.user_accountant_2).action_post()
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.move_ids.amount_total, 175.0)

    def test_channel_manager_reads_but_cannot_settle(self):
        user = self.user_channel_manager
        self.assertEqual(self.program.with_user(user).name, "Test program")
        self.assertTrue(self.env["prm.incentive.line"].with_user(user).search_count([]))
        self.assertEqual(
            self.env["prm.settlement"].with_user(user).search([]), self.settlements
        )
        draft = self.settlement_a.copy(
            {"date_from": "2025-01-01", "date_to": "2025-03-31"}
        )
        with self.assertRaises(AccessError):
            draft.with_user(user).action_approve()
        with self.assertRaises(AccessError):
            self.settlement_a.with_user(user).action_cancel()
        with self.assertRaises(AccessError):
            self.program.with_user(user).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.env["prm.settlement.wizard"].with_user(user).create(
                {"program_ids": self.program.ids, "date": "2025-09-30"}
            )
        with self.assertRaises(AccessError):
            self.env["prm.incentive.line"].with_user(user).create(
                {
                    "program_id": self.program.id,
                    "partner_id": self.partner_a.id,
                    "amount": 1,
                }
            )
        self.assertEqual(self.settlement_a.state, "posted")

    def test_channel_manager_prints_statements(self):
        """The statement names customer invoices the channel manager cannot read
        one by one: it renders once the settlement itself is readable."""
        report = self.env["ir.actions.report"].with_user(self.user_other_manager)
        html = report._render_qweb_html(
            "prm_incentive.action_report_prm_settlement", self.settlement_a.ids
        )[0].decode()
        self.assertIn(self.settlement_a.name, html)
        html = report._render_qweb_html(
            "prm_incentive.action_report_prm_partner_statement", self.partner_a.ids
        )[0].decode()
        self.assertIn(self.settlement_a.name, html)
        portal_report = self.env["ir.actions.report"].with_user(self.user_portal_a)
        with self.assertRaises(AccessError):
            portal_report._render_qweb_html(
                "prm_incentive.action_report_prm_settlement", self.settlement_b.ids
            )

    def test_program_administrator_configures_but_cannot_post(self):
        user = self.user_prm_admin
        self.program.with_user(user).write({"name": "Renamed"})
        draft = self.settlement_a.copy(
            {"date_from": "2025-01-01", "date_to": "2025-03-31"}
        )
        draft.action_approve()
        with self.assertRaises(AccessError):
            draft.with_user(user).action_post()
        self.assertEqual(draft.state, "approved")

    def test_portal_reads_only_own_settlements(self):
        Settlement = self.env["prm.settlement"].with_user(self.user_portal_a)
        self.assertEqual(Settlement.search([]), self.settlement_a)
        self.assertEqual(
            self.settlement_a.with_user(self.user_portal_a).amount_total, 50.0
        )
        with self.assertRaises(AccessError):
            self.settlement_b.with_user(self.user_portal_a).read(["amount_total"])
        Line = self.env["prm.incentive.line"].with_user(self.user_portal_a)
        self.assertEqual(Line.search([]).partner_id, self.partner_a)
        with self.assertRaises(AccessError):
            self.settlement_a.line_ids.with_user(self.user_portal_b).read(["amount"])
        with self.assertRaises(AccessError):
            self.settlement_a.with_user(self.user_portal_a).write({"note": "hacked"})

    def test_portal_does_not_see_drafts(self):
        draft = self.settlement_a.copy(
            {"date_from": "2025-01-01", "date_to": "2025-03-31"}
        )
        self.assertNotIn(
            draft, self.env["prm.settlement"].with_user(self.user_portal_a).search([])
        )

    def test_other_company(self):
        other = self.setup_other_company()["company"]
        user = new_test_user(
            self.env,
            login="prm_accountant_other",
            groups="account.group_account_user",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(self.env["prm.settlement"].with_user(user).search([]))
        self.assertFalse(self.env["prm.incentive.program"].with_user(user).search([]))
        with self.assertRaises(AccessError):
            self.settlement_a.with_user(user).read(["amount_total"])


@tagged("post_install", "-at_install")
class TestIncentivePortalStatement(PrmIncentiveSecurityCommon, HttpCase):
    def test_statement_download(self):
        self.contact_a.sudo().prm_role_ids = self.env.ref("prm_partner.role_finance")
        self.authenticate("prm_portal_a", "prm_portal_a")
        url = f"/my/incentives/statement/{self.settlement_a.id}?report_type=html"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.settlement_a.name, response.text)
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/incentives/statement/{self.settlement_b.id}?report_type=html"
            )
        self.assertNotIn(self.settlement_b.name, response.text)
