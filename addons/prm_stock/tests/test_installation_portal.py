from datetime import date

from odoo import fields, http
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmStockCommon


@tagged("post_install", "-at_install")
class TestInstallationPortal(PrmStockCommon, PrmTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls._sell(cls.contact_a, 2)
        cls._ship(cls.order_a, cls.kit_lots[:2], tracking="TRK-A")
        cls.order_b = cls._sell(cls.contact_b, 1)
        cls._ship(cls.order_b, cls.kit_lots[2])

    def _form(self, lot, **vals):
        return {
            "csrf_token": http.Request.csrf_token(self),
            "lot_id": str(lot.id),
            "customer_name": "Eve End",
            "customer_street": "1 Main St",
            "customer_city": "Springfield",
            "customer_phone": "+1 555 0100",
            "preferred_date": "2035-01-15",
            **vals,
        }

    def _installations(self):
        return self.env["prm.installation"].search([])

    def test_order_page_shows_deliveries_and_serials(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open(self.order_a.get_portal_url())
        self.assertEqual(response.status_code, 200)
        for text in (
            "o_prm_deliveries",
            "TRK-A",
            "T-KIT-1",
            "T-KIT-2-STB",
            "T-KIT-2-CARD",
        ):
            self.assertIn(text, response.text)
        self.assertNotIn("T-KIT-3", response.text)

    def test_another_partners_order_and_serials_stay_hidden(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        with mute_logger("odoo.http"):
            response = self.url_open(self.order_b.access_url, allow_redirects=False)
        self.assertIn(response.status_code, (303, 403, 404))
        self.assertNotIn("T-KIT-3", response.text)
        self.assertNotIn(
            f"/my/orders/{self.order_b.id}", response.headers.get("Location", "")
        )

    def test_request_for_another_partners_serial_is_refused(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/installations/new")
        self.assertIn("T-KIT-1", page.text)
        self.assertNotIn("T-KIT-3", page.text)
        response = self.url_open(
            "/my/installations/new", data=self._form(self.kit_lots[2], state="done")
        )
        self.assertIn("o_prm_installation_error", response.text)
        self.assertIn("Choose a serial number you received", response.text)
        self.assertFalse(self._installations())
        response = self.url_open(
            "/my/installations/new",
            data=self._form(self.kit_lots[0], state="done", user_id="2"),
        )
        installation = self._installations()
        self.assertEqual(len(installation), 1)
        self.assertEqual(installation.state, "new", "the state is never posted")
        self.assertFalse(installation.user_id)
        self.assertEqual(installation.partner_id, self.partner_a)
        self.assertIn(f"/my/installations/{installation.id}", response.url)
        response = self.url_open(
            "/my/installations/new", data=self._form(self.kit_lots[0])
        )
        self.assertIn("o_prm_installation_error", response.text, "one open job")
        self.assertEqual(len(self._installations()), 1)

    def test_another_partners_request_is_404(self):
        self.authenticate("prm_portal_b", "prm_portal_b")
        self.url_open("/my/installations/new", data=self._form(self.kit_lots[2]))
        theirs = self._installations()
        self.assertEqual(len(theirs), 1)
        self.authenticate("prm_portal_a", "prm_portal_a")
        with mute_logger("odoo.http"):
            for url in (
                f"/my/installations/{theirs.id}",
                f"/my/installations/{theirs.id + 100000}",
            ):
                self.assertEqual(self.url_open(url).status_code, 404)
            response = self.url_open(
                f"/my/installations/{theirs.id}/rate",
                data={"csrf_token": http.Request.csrf_token(self), "rate": "1"},
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(theirs.rating_ids.filtered("consumed"))
        self.contact_a.prm_role_ids = False
        with mute_logger("odoo.http"):
            self.assertEqual(self.url_open("/my/installations").status_code, 404)

    def _list_queries(self):
        self.url_open("/my/installations")
        before = self.env.cr.sql_log_count
        response = self.url_open("/my/installations")
        self.assertEqual(response.status_code, 200)
        return self.env.cr.sql_log_count - before

    def _done_requests(self, count):
        # sudo: closed jobs (any number on one serial) placed as the actions would.
        self.env["prm.installation"].sudo().create(
            [
                {
                    "partner_id": self.partner_a.id,
                    "lot_id": self.kit_lots[0].id,
                    "customer_name": f"Customer {i}",
                    "customer_street": "1 Main St",
                    "customer_city": "Springfield",
                    "customer_phone": "+1 555 0100",
                    "preferred_date": self.today,
                    "state": "done",
                    "user_id": self.user_channel_manager.id,
                    "planned_date": fields.Datetime.now(),
                }
                for i in range(count)
            ]
        )

    def test_query_count_does_not_grow_with_requests(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        self._done_requests(5)
        small = self._list_queries()
        self._done_requests(75)
        large = self._list_queries()
        self.assertEqual(small, large)
        # 18 measured (19 before the portal role codes were cached).
        self.assertLessEqual(large, 25)

    def test_tour_request_then_rate(self):
        self.start_tour(
            "/my/installations", "prm_installation_request_tour", login="prm_portal_a"
        )
        installation = self._installations()
        self.assertEqual(len(installation), 1)
        self.assertEqual(installation.lot_id, self.kit_lots[0])
        self.assertEqual(installation.customer_name, "Tina Tour")
        self.assertEqual(installation.state, "new")
        # The vendor's team (a program user, not an admin) plans and completes
        # the job in the request's form.
        self.start_tour(
            f"/odoo/prm.installation/{installation.id}",
            "prm_installation_plan_tour",
            login=self.user_channel_manager.login,
        )
        self.assertEqual(installation.state, "done")
        self.assertEqual(installation.user_id, self.user_channel_manager)
        self.assertEqual(installation.planned_date.date(), date(2035, 1, 15))
        self.assertTrue(installation.date_done)
        notices = installation.message_ids.filtered(
            lambda m: self.contact_a in m.partner_ids
        )
        self.assertEqual(len(notices), 2, "told once planned, once done")
        self.start_tour(
            installation.access_url, "prm_installation_rate_tour", login="prm_portal_a"
        )
        rating = installation._prm_rating_of(self.contact_a)
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Neat work")
        self.assertEqual(installation.rating_last_value, 5)
