from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PrmRoutingCommon


class PrmCrmPortalCommon(PrmRoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sales = cls.env.ref("prm_partner.role_sales")
        for contact in (cls.contact_a, cls.contact_b, cls.contact_p1):
            contact.prm_role_ids = [Command.set(sales.ids)]
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search(
            [("is_won", "=", False)], order="sequence desc", limit=1
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Portal scanner", "sale_ok": True}
        )
        cls.internal_product = cls.env["product.product"].create(
            {"name": "Internal spare part", "sale_ok": False}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Elsewhere Inc."})

    def _post(self, url, data=None, with_token=True):
        data = dict(data or {})
        if with_token:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, allow_redirects=False, method="POST")

    def _statements_of(self, url):
        """SQL statements one GET of ``url`` sends (warm caches)."""
        self.url_open(url)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before


@tagged("post_install", "-at_install")
class TestDealPortal(PrmCrmPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reg_a = cls._register(cls.user_portal_a, partner_name="Alpha Customer")
        cls.reg_b = cls._register(cls.user_portal_b, partner_name="Beta Customer")

    def _registrations_a(self):
        return self.Lead.with_context(active_test=False).search(
            [("prm_registration_partner_id", "=", self.partner_a.id)]
        )

    def test_owner_lists_filters_and_opens(self):
        self._approve(self.reg_a)
        self.authenticate("prm_portal_a", "prm_portal_a")
        page = self.url_open("/my/deals")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Alpha Customer", page.text)
        self.assertNotIn("Beta Customer", page.text)
        for query, shown in (
            ("filterby=approved", True),
            ("filterby=open", False),
            ("search=Alpha&search_in=customer", True),
            ("search=Nobody", False),
            ("sortby=revenue", True),
            ("sortby=nonsense&filterby=nonsense", True),
        ):
            with self.subTest(query=query):
                page = self.url_open(f"/my/deals?{query}")
                self.assertEqual(page.status_code, 200)
                self.assertEqual("Alpha Customer" in page.text, shown)
        detail = self.url_open(f"/my/deals/{self.reg_a.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("o_portal_chatter", detail.text)
        self.assertIn("o_prm_protection_end", detail.text)

    @mute_logger("odoo.http")
    def test_other_partner_and_roles_get_404(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        self.assertEqual(self.url_open(f"/my/deals/{self.reg_b.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/deals/999999999").status_code, 404)
        self.contact_a.prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_finance").ids)
        ]
        for url in ("/my/deals", "/my/deals/new", f"/my/deals/{self.reg_a.id}"):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def _post_message(self, lead, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "crm.lead",
                "thread_id": lead.id,
                "post_data": {"body": body, "message_type": "comment"},
            },
        )

    @mute_logger("odoo.http")
    def test_chatter_with_the_channel_manager(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        self._post_message(self.reg_a, "Customer asked for a demo")
        message = self.reg_a.message_ids.filtered(
            lambda m: "Customer asked for a demo" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.contact_a)
        # Another partner's deal: no posting.
        with self.assertRaises(JsonRpcException):
            self._post_message(self.reg_b, "Intruder")
        self.assertFalse(
            self.reg_b.message_ids.filtered(lambda m: "Intruder" in (m.body or ""))
        )

    def test_public_is_sent_to_login(self):
        for url in ("/my/deals", "/my/deals/new", f"/my/deals/{self.reg_a.id}"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        before = self._registrations_a()
        data = {"partner_name": "No Token Ltd", "country_id": self.spain.id}
        self.assertEqual(
            self._post("/my/deals/new", data, with_token=False).status_code, 400
        )
        bad = {**data, "csrf_token": "0" * 40 + "o9999999999"}
        self.assertEqual(
            self._post("/my/deals/new", bad, with_token=False).status_code, 400
        )
        self.assertEqual(self._registrations_a(), before)

    def test_register_writes_whitelisted_fields_only(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            "/my/deals/new",
            {
                "partner_name": "Gamma Foods S.A.",
                "prm_customer_vat": "",
                "contact_name": "Gloria Gamma",
                "email_from": "gloria@gamma.test",
                "country_id": self.spain.id,
                "expected_revenue": "12500.50",
                "date_deadline": "2031-03-31",
                "product_ids": [self.product.id],
                # Mass assignment: none of these may land on the lead.
                "prm_partner_id": self.partner_b.id,
                "stage_id": self.won_stage.id,
                "probability": "100",
                "company_id": self.other_company.id,
                "prm_registration_state": "approved",
                "prm_protection_end": "2099-01-01",
                "user_id": self.user_salesman.id,
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        lead = self._registrations_a() - self.reg_a
        self.assertEqual(len(lead), 1)
        self.assertIn(f"/my/deals/{lead.id}", response.headers["Location"])
        self.assertRecordValues(
            lead,
            [
                {
                    "partner_name": "Gamma Foods S.A.",
                    "contact_name": "Gloria Gamma",
                    "expected_revenue": 12500.50,
                    "date_deadline": fields.Date.to_date("2031-03-31"),
                    "prm_partner_id": self.partner_a.id,
                    "prm_registration_contact_id": self.contact_a.id,
                    "company_id": self.env.company.id,
                    "user_id": self.user_channel_manager.id,
                    "prm_protection_end": False,
                }
            ],
        )
        self.assertIn(lead.prm_registration_state, ("submitted", "conflict"))
        self.assertNotEqual(lead.stage_id, self.won_stage)
        self.assertLess(lead.probability, 100)
        self.assertEqual(lead.prm_product_ids, self.product)

    def test_register_refuses_bad_numbers_and_products(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        before = self._registrations_a()
        base = {"partner_name": "Delta Works", "country_id": self.spain.id}
        for case, extra in {
            "revenue 1e15": {"expected_revenue": "1e15"},
            "negative revenue": {"expected_revenue": "-1"},
            "NaN revenue": {"expected_revenue": "NaN"},
            "infinite revenue": {"expected_revenue": "inf"},
            "not a date": {"date_deadline": "someday"},
            "product not for sale": {"product_ids": [self.internal_product.id]},
            "unknown product": {"product_ids": ["999999999"]},
            "no customer": {"partner_name": ""},
        }.items():
            with self.subTest(case=case):
                response = self._post("/my/deals/new", {**base, **extra})
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_prm_deal_error", response.text)
        self.assertEqual(self._registrations_a(), before)

    def test_list_queries_do_not_grow(self):
        self.authenticate("prm_portal_a", "prm_portal_a")

        def registrations(count, start):
            # sudo: the fixture places registrations the way the
            # registration action would (its guarded fields).
            self.Lead.sudo().create(
                [
                    {
                        "name": f"Bulk deal {start + i}",
                        "type": "opportunity",
                        "partner_name": f"Bulk Customer {start + i}",
                        "prm_partner_id": self.partner_a.id,
                        "prm_registration_state": "submitted",
                        "prm_registration_date": fields.Datetime.now(),
                        "prm_registration_contact_id": self.contact_a.id,
                        "expected_revenue": 1000 + i,
                        "country_id": self.spain.id,
                        "prm_product_ids": [Command.set(self.product.ids)],
                    }
                    for i in range(count)
                ]
            )

        registrations(4, 0)  # with reg_a: 5
        five = self._statements_of("/my/deals")
        registrations(75, 4)  # 80
        eighty = self._statements_of("/my/deals")
        self.assertEqual(five, eighty)
        self.assertLessEqual(eighty, 25)


@tagged("post_install", "-at_install")
class TestLeadPortal(PrmCrmPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead_1, cls.lead_late = cls._leads(2)
        cls.offer_1 = cls.Offer.create(
            {
                "lead_id": cls.lead_1.id,
                "partner_id": cls.p1.id,
                "deadline": fields.Datetime.now() + timedelta(days=1),
            }
        )
        cls.offer_late = cls.Offer.create(
            {
                "lead_id": cls.lead_late.id,
                "partner_id": cls.p1.id,
                "deadline": fields.Datetime.now() - timedelta(hours=1),
            }
        )

    def _accept(self):
        return self._post(f"/my/leads/offer/{self.offer_1.id}/accept")

    def test_accept_update_and_win(self):
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        page = self.url_open("/my/leads")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.lead_1.name, page.text)
        response = self._accept()
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/leads/{self.lead_1.id}", response.headers["Location"])
        self.assertEqual(self.offer_1.state, "accepted")
        self.assertEqual(self.lead_1.prm_partner_id, self.p1)
        self.assertEqual(self.url_open(f"/my/leads/{self.lead_1.id}").status_code, 200)
        response = self._post(
            f"/my/leads/{self.lead_1.id}/update",
            {
                "stage_id": self.open_stage.id,
                "expected_revenue": "7000",
                "activity_summary": "Demo at the customer's",
                "activity_date": "2031-01-15",
                # Mass assignment: ignored.
                "probability": "100",
                "prm_partner_id": self.p2.id,
                "company_id": self.other_company.id,
                "user_id": self.user_salesman.id,
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertRecordValues(
            self.lead_1,
            [
                {
                    "stage_id": self.open_stage.id,
                    "expected_revenue": 7000.0,
                    "prm_partner_id": self.p1.id,
                    "user_id": False,
                    "won_status": "pending",
                }
            ],
        )
        self.assertNotEqual(self.lead_1.company_id, self.other_company)
        self.assertLess(self.lead_1.probability, 100)
        planned = self.lead_1.activity_ids.filtered(
            lambda a: a.summary == "Demo at the customer's"
        )
        self.assertEqual(planned.date_deadline, fields.Date.to_date("2031-01-15"))
        self.assertEqual(planned.user_id, self.p1.prm_manager_id)
        response = self._post(f"/my/leads/{self.lead_1.id}/won")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.lead_1.won_status, "won")
        self.assertTrue(self.lead_1.stage_id.is_won)

    def test_update_refuses_bad_values(self):
        self.offer_1.with_user(self.user_portal_p1).action_prm_accept()
        stage = self.lead_1.stage_id
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        for case, data in {
            "won stage": {"stage_id": self.won_stage.id},
            "unknown stage": {"stage_id": "999999999"},
            "revenue 1e15": {"expected_revenue": "1e15"},
            "negative revenue": {"expected_revenue": "-1"},
            "NaN revenue": {"expected_revenue": "nan"},
            "activity without date": {"activity_summary": "Call"},
        }.items():
            with self.subTest(case=case):
                response = self._post(f"/my/leads/{self.lead_1.id}/update", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_prm_lead_error", response.text)
        self.assertEqual(self.lead_1.stage_id, stage)
        self.assertEqual(self.lead_1.won_status, "pending")
        self.assertFalse(
            self.lead_1.activity_ids.filtered(lambda a: a.summary == "Call")
        )

    def test_decline_with_reason_and_lost(self):
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        response = self._post(f"/my/leads/offer/{self.offer_1.id}/decline", {})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.offer_1.state, "offered")
        response = self._post(
            f"/my/leads/offer/{self.offer_1.id}/decline",
            {"reason_id": self.reason_other.id, "note": "Not our market"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.offer_1.state, "declined")
        self.assertEqual(self.offer_1.decline_reason_id, self.reason_other)
        self.assertEqual(self.offer_1.decline_note, "Not our market")

    def test_late_offer_is_refused(self):
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        response = self._post(f"/my/leads/offer/{self.offer_late.id}/accept")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.offer_late.state, "offered")
        self.assertFalse(self.lead_late.prm_partner_id)

    def test_lost(self):
        self.offer_1.with_user(self.user_portal_p1).action_prm_accept()
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        reason = self.env["crm.lost.reason"].create({"name": "Too expensive"})
        response = self._post(
            f"/my/leads/{self.lead_1.id}/lost", {"lost_reason_id": reason.id}
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.lead_1.won_status, "lost")
        self.assertEqual(self.lead_1.lost_reason_id, reason)

    @mute_logger("odoo.http")
    def test_other_partner_gets_404(self):
        self.offer_1.with_user(self.user_portal_p1).action_prm_accept()
        self.authenticate("prm_portal_a", "prm_portal_a")
        for url in (
            f"/my/leads/offer/{self.offer_late.id}/accept",
            f"/my/leads/offer/{self.offer_late.id}/decline",
            f"/my/leads/{self.lead_1.id}/update",
            f"/my/leads/{self.lead_1.id}/won",
            f"/my/leads/{self.lead_1.id}/lost",
        ):
            with self.subTest(url=url):
                self.assertEqual(
                    self._post(url, {"reason_id": self.reason_other.id}).status_code,
                    404,
                )
        self.assertEqual(self.url_open(f"/my/leads/{self.lead_1.id}").status_code, 404)
        self.assertEqual(self.offer_late.state, "offered")
        self.assertEqual(self.lead_1.won_status, "pending")

    def test_public_is_sent_to_login(self):
        for url in ("/my/leads", f"/my/leads/{self.lead_1.id}"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (302, 303))
                self.assertIn("/web/login", response.headers["Location"])

    @mute_logger("odoo.http")
    def test_csrf_required(self):
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        url = f"/my/leads/offer/{self.offer_1.id}/accept"
        self.assertEqual(self._post(url, with_token=False).status_code, 400)
        bad = {"csrf_token": "0" * 40 + "o9999999999"}
        self.assertEqual(self._post(url, bad, with_token=False).status_code, 400)
        self.assertEqual(self.offer_1.state, "offered")

    def test_list_queries_do_not_grow(self):
        self.authenticate("prm_portal_p1", "prm_portal_p1")

        def offers(count):
            leads = self._leads(count)
            self.Offer.create(
                [
                    {
                        "lead_id": lead.id,
                        "partner_id": self.p1.id,
                        "deadline": fields.Datetime.now() + timedelta(days=1),
                    }
                    for lead in leads
                ]
            )

        offers(3)  # with offer_1 and offer_late: 5
        five = self._statements_of("/my/leads")
        offers(75)
        eighty = self._statements_of("/my/leads")
        self.assertEqual(five, eighty)
        self.assertLessEqual(eighty, 25)

    def test_home_cards_and_counters(self):
        cards = {card["key"]: card for card in self.contact_p1._prm_portal_cards()}
        self.assertEqual(cards["leads"]["count"], 1)  # the late one is not counted
        self.assertIn("deals", cards)
        self.authenticate("prm_portal_p1", "prm_portal_p1")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["prm_lead_count", "prm_deal_count"]}
        )
        self.assertEqual(counters["prm_lead_count"], 2)
        self.assertEqual(counters["prm_deal_count"], 0)
