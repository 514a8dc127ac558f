"""The partner integration API (issue 18, point 2) over the real ``/json/2``
endpoint with the API key of a partner's portal user.

``test_01`` walks every public method the suite adds (found in the registry:
any ``prm.*`` model's, and the ones the ``prm_*`` modules add to other models)
plus ``search_read`` of every ``prm.*`` model, one HTTP call each, and expects
a refusal (HTTP 403) for every method that is not a partner API method. The other tests
use the API methods and check that they reach the caller's company's data
only.
"""

import base64
import inspect
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.fields import Domain
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon
from odoo.addons.prm_partner.tools.partner_api import (
    SUITE_PREFIX,
    is_partner_api,
    is_suite_method,
)

# The partner API, as documented in docs/api.md. A new method joins it on
# purpose: decorated with ``partner_api`` and added here and to the docs.
PARTNER_API = {
    ("crm.lead", "prm_api_register_deal"),
    ("crm.lead", "prm_api_list_deals"),
    ("crm.lead", "prm_api_submit_referral"),
    ("prm.lead.offer", "prm_api_list_offers"),
    ("prm.lead.offer", "prm_api_decline_reasons"),
    ("prm.lead.offer", "prm_api_answer_offer"),
    ("prm.incentive.line", "prm_api_read_accruals"),
    ("prm.settlement", "prm_api_read_settlements"),
    ("prm.settlement", "prm_api_statement"),
    ("prm.sellout.batch", "prm_api_report_sellout"),
}


def suite_methods(env):
    """``{(model, method): is @api.model}`` of the public methods the suite
    adds, on every model of the registry (not private, not ``_``-prefixed)."""
    found = {}
    for name in sorted(env.registry):
        model_class = env.registry[name]
        if not any(c.__module__.startswith(SUITE_PREFIX) for c in model_class.mro()):
            continue
        for attr in dir(model_class):
            if attr.startswith("_"):
                continue
            function = getattr(model_class, attr, None)
            if not inspect.isfunction(function):
                continue
            definers = [c for c in model_class.mro() if attr in vars(c)]
            if any(getattr(vars(c)[attr], "_api_private", False) for c in definers):
                continue
            if is_suite_method(model_class, attr):
                found[name, attr] = hasattr(function, "_api_model")
    return found


@tagged("post_install", "-at_install")
class TestPartnerApi(PrmIncentiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("portal.allow_api_keys", True)
        company = cls.env.company
        role_admin = cls.env.ref("prm_partner.role_admin")
        cls.contact_a.prm_role_ids = [Command.set(role_admin.ids)]
        cls.user_portal_a.write(
            {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        )
        # A sales representative of the same partner: no Incentives page.
        cls.contact_sales = cls.env["res.partner"].create(
            {
                "name": "Sam Sales",
                "parent_id": cls.partner_a.id,
                "email": "sam@alpha.test",
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_sales").ids)
                ],
            }
        )
        cls.user_portal_sales = new_test_user(
            cls.env,
            login="prm_api_sales",
            groups="base.group_portal",
            partner_id=cls.contact_sales.id,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.key_a = cls._key(cls.user_portal_a)
        cls.key_sales = cls._key(cls.user_portal_sales)
        Lead, Offer = cls.env["crm.lead"], cls.env["prm.lead.offer"]
        deadline = fields.Datetime.now() + timedelta(days=2)
        cls.offer_a = Offer.create(
            {
                "lead_id": Lead.create({"name": "API lead for A"}).id,
                "partner_id": cls.partner_a.id,
                "deadline": deadline,
            }
        )
        cls.offer_a2 = Offer.create(
            {
                "lead_id": Lead.create({"name": "API lead A declines"}).id,
                "partner_id": cls.partner_a.id,
                "deadline": deadline,
            }
        )
        cls.offer_b = Offer.create(
            {
                "lead_id": Lead.create({"name": "API lead for B"}).id,
                "partner_id": cls.partner_b.id,
                "deadline": deadline,
            }
        )
        cls.registration_b = Lead.create(
            {
                "name": "B's registration",
                "type": "opportunity",
                "partner_name": "Customer of B",
                "prm_partner_id": cls.partner_b.id,
            }
        )
        # sudo: the fixture submits it as the portal would (guarded fields).
        cls.registration_b.sudo()._prm_submit_registration()
        # Accruals and posted settlements of both partners (Q1 2025).
        cls.program = cls._create_program()
        cls._sell(1000.0, customer=cls.customer_x, channel_partner=cls.partner_a)
        cls._sell(2000.0, customer=cls.customer_y, channel_partner=cls.partner_b)
        settlements = cls.env["prm.settlement"]._close_period(
            cls.program, fields.Date.to_date("2025-03-31")
        )
        settlements.action_approve()
        settlements.action_post()
        cls.settlement_a = settlements.filtered(lambda s: s.partner_id == cls.partner_a)
        cls.settlement_b = settlements.filtered(lambda s: s.partner_id == cls.partner_b)
        cls.product_prm.default_code = "PRM-W"

    @classmethod
    def _key(cls, user):
        # sudo: a key of any duration; it stays the user's key (with_user).
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", "PRM API test", fields.Datetime.now() + timedelta(days=1))
        )

    def _call(self, model, method, key=None, **body):
        return self.url_open(
            f"/json/2/{model}/{method}",
            json=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {key or self.key_a}",
                "X-Odoo-Database": self.env.cr.dbname,
            },
        )

    def _ok(self, model, method, key=None, **body):
        response = self._call(model, method, key=key, **body)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.json()

    def _refused(self, model, method, status=(403,), key=None, **body):
        """The call is refused with one of ``status``; its error message."""
        response = self._call(model, method, key=key, **body)
        self.assertIn(response.status_code, status, response.text[:500])
        return response.json()["message"]

    def _sample_ids(self):
        """One record per model for the walk: the caller's company's when the
        model names partners, else any (the refusal must not depend on it)."""
        samples = {"res.partner": self.partner_a.id}
        for name in self.env.registry:
            if name in samples or not name.startswith("prm."):
                continue
            model = self.env[name].sudo().with_context(active_test=False)
            if model._abstract or model._transient:
                continue
            domain = []
            for fname in ("partner_id", "prm_partner_id"):
                field = model._fields.get(fname)
                if field and field.store and field.comodel_name == "res.partner":
                    domain = [(fname, "=", self.partner_a.id)]
                    break
            record = model.search(domain, limit=1) or model.search([], limit=1)
            samples[name] = record.id
        return samples

    # --- The walk ---

    @mute_logger("odoo.http", "odoo.addons.prm_partner.models.ir_http")
    def test_01_portal_user_calls_nothing_but_the_partner_api(self):
        methods = suite_methods(self.env)
        api = {
            call
            for call in methods
            if is_partner_api(self.env.registry[call[0]], call[1])
        }
        self.assertEqual(
            api, PARTNER_API, "the partner API is exactly the documented list"
        )
        calls = {
            call: is_model for call, is_model in methods.items() if call not in api
        }
        for name in self.env.registry:
            if name.startswith("prm.") and not self.env[name]._abstract:
                calls.setdefault((name, "search_read"), False)
        self.assertGreater(len(calls), 100, "the walk found the suite's methods")
        samples = self._sample_ids()
        opened = []
        for (model, method), is_model in sorted(calls.items()):
            body = {} if is_model else {"ids": [samples.get(model) or 1]}
            response = self._call(model, method, **body)
            if response.status_code != 403:
                opened.append(f"{model}.{method}: {response.status_code}")
        self.assertFalse(opened, "methods a portal user could call over /json/2")

    @mute_logger("odoo.http", "odoo.addons.prm_partner.models.ir_http")
    def test_02_other_rpc_channels_refused_too(self):
        """XML-RPC with the key as password, and the session's call_kw."""
        # XML-RPC runs its own cursor, out of the test's transaction: only the
        # refusal (before the endpoint runs) is checked there.
        db, uid = self.env.cr.dbname, self.user_portal_a.id
        response = self.url_open(
            "/xmlrpc/2/object",
            data=xmlrpc.client.dumps(
                (
                    db,
                    uid,
                    self.key_a,
                    "prm.lead.offer",
                    "action_prm_accept",
                    [self.offer_a.ids],
                    {},
                ),
                "execute_kw",
            ),
            headers={"Content-Type": "text/xml"},
        )
        self.assertIn(response.status_code, (400, 403))
        self.assertIn("not part of the partner API", response.text)
        response = self.url_open(
            "/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [
                        db,
                        uid,
                        self.key_a,
                        "prm.lead.offer",
                        "action_prm_accept",
                        [self.offer_a.ids],
                        {},
                    ],
                },
            },
        )
        self.assertIn(
            "not part of the partner API", response.json()["error"]["data"]["message"]
        )
        self.authenticate(self.user_portal_a.login, self.user_portal_a.login)
        with self.assertRaises(JsonRpcException) as refused:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/prm.lead.offer/action_prm_accept",
                {
                    "model": "prm.lead.offer",
                    "method": "action_prm_accept",
                    "args": [self.offer_a.ids],
                    "kwargs": {},
                },
            )
        self.assertEqual(refused.exception.args[0], "odoo.exceptions.AccessError")
        self.assertEqual(self.offer_a.state, "offered")

    # --- Deals and referrals ---

    def test_10_register_deal(self):
        lead_id = self._ok(
            "crm.lead",
            "prm_api_register_deal",
            values={
                "partner_name": "Omega Logistics",
                "email_from": "buyer@omega.test",
                "country_id": "ES",
                "expected_revenue": 12000,
                "product_ids": [self.product_prm.id],
            },
        )
        lead = self.env["crm.lead"].browse(lead_id)
        self.assertEqual(lead.prm_partner_id, self.partner_a)
        self.assertIn(lead.prm_registration_state, ("submitted", "conflict"))
        self.assertEqual(lead.country_id, self.env.ref("base.es"))
        self.assertEqual(lead.prm_product_ids, self.product_prm)
        self.assertEqual(lead.prm_registration_contact_id, self.contact_a)
        deals = self._ok("crm.lead", "prm_api_list_deals")
        self.assertEqual([deal["id"] for deal in deals], [lead_id])

    @mute_logger("odoo.http")
    def test_11_register_deal_bad_input_creates_nothing(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        before = Lead.search_count([])
        message = self._refused(
            "crm.lead",
            "prm_api_register_deal",
            status=(422,),
            values={"partner_name": "X", "prm_registration_state": "approved"},
        )
        self.assertIn("prm_registration_state", message)
        self._refused(
            "crm.lead",
            "prm_api_register_deal",
            status=(422,),
            values={"email_from": "not-an-email"},
        )
        self._refused(
            "crm.lead", "prm_api_register_deal", status=(422,), values="x"
        )
        self.assertEqual(Lead.search_count([]), before)

    @mute_logger("odoo.http")
    def test_12_referral_needs_the_customer_consent(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        values = {"partner_name": "Delta Bakery", "phone": "+34 600 000 000"}
        before = Lead.search_count([])
        message = self._refused(
            "crm.lead",
            "prm_api_submit_referral",
            status=(422,),
            values=values,
        )
        self.assertIn("consent", message)
        self._refused(
            "crm.lead",
            "prm_api_submit_referral",
            status=(422,),
            values=values,
            customer_consent="yes",
        )
        self.assertEqual(Lead.search_count([]), before)
        lead_id = self._ok(
            "crm.lead", "prm_api_submit_referral", values=values, customer_consent=True
        )
        lead = Lead.browse(lead_id)
        self.assertEqual(lead.prm_referrer_id, self.partner_a)
        self.assertTrue(lead.prm_referral_consent_date)
        self.assertFalse(lead.prm_partner_id)
        self.assertEqual(lead.type, "lead")
        self.assertFalse(
            Lead.search(
                Lead._prm_routing_candidate_domain() & Domain("id", "=", lead_id)
            ),
            "a referred customer is not offered to other partners",
        )

    # --- Routed leads ---

    @mute_logger("odoo.http")
    def test_20_offers_of_the_company_only(self):
        offers = self._ok("prm.lead.offer", "prm_api_list_offers")
        self.assertEqual(
            {offer["id"] for offer in offers}, {self.offer_a.id, self.offer_a2.id}
        )
        self.assertFalse(offers[0]["lead_id"], "the lead opens once accepted")
        message = self._refused(
            "prm.lead.offer",
            "prm_api_answer_offer",
            offer_id=self.offer_b.id,
            accept=True,
        )
        self.assertIn("not made to your company", message)
        self.assertEqual(self.offer_b.state, "offered")
        result = self._ok(
            "prm.lead.offer",
            "prm_api_answer_offer",
            offer_id=self.offer_a.id,
            accept=True,
        )
        self.assertEqual(
            result, {"state": "accepted", "lead_id": self.offer_a.lead_id.id}
        )
        self.assertEqual(self.offer_a.lead_id.prm_partner_id, self.partner_a)
        # Declining needs a reason.
        self._refused(
            "prm.lead.offer",
            "prm_api_answer_offer",
            status=(422,),
            offer_id=self.offer_a2.id,
            accept=False,
        )
        reasons = self._ok("prm.lead.offer", "prm_api_decline_reasons")
        reason = next(r for r in reasons if not r["note_required"])
        result = self._ok(
            "prm.lead.offer",
            "prm_api_answer_offer",
            offer_id=self.offer_a2.id,
            accept=False,
            reason_id=reason["id"],
            note="Too far away",
        )
        self.assertEqual(result["state"], "declined")
        self.assertEqual(self.offer_a2.decline_note, "Too far away")

    # --- Incentives ---

    @mute_logger("odoo.http")
    def test_30_accruals_settlements_statement(self):
        accruals = self._ok("prm.incentive.line", "prm_api_read_accruals")
        lines = self.env["prm.incentive.line"].browse([row["id"] for row in accruals])
        self.assertTrue(lines)
        self.assertEqual(lines.partner_id, self.partner_a)
        settlements = self._ok("prm.settlement", "prm_api_read_settlements")
        self.assertEqual([row["id"] for row in settlements], self.settlement_a.ids)
        self.assertEqual(settlements[0]["amount_total"], self.settlement_a.amount_total)
        statement = self._ok(
            "prm.settlement",
            "prm_api_statement",
            settlement_id=self.settlement_a.id,
            context={"force_report_rendering": True},
        )
        self.assertEqual(statement["mimetype"], "application/pdf")
        self.assertTrue(base64.b64decode(statement["content"]).startswith(b"%PDF"))
        self._refused(
            "prm.settlement", "prm_api_statement", settlement_id=self.settlement_b.id
        )
        # A sales representative has no Incentives page, hence no API either.
        self._refused("prm.settlement", "prm_api_read_settlements", key=self.key_sales)
        self._refused("prm.incentive.line", "prm_api_read_accruals", key=self.key_sales)

    @mute_logger("odoo.http")
    def test_31_report_sellout_rows(self):
        result = self._ok(
            "prm.sellout.batch",
            "prm_api_report_sellout",
            month="2025-02",
            rows=[
                {
                    "date": "2025-02-03",
                    "product": "PRM-W",
                    "quantity": 2,
                    "amount": 2000,
                },
                {"date": "2025-02-04", "product": "NOPE", "quantity": 1, "amount": 10},
            ],
        )
        batch = self.env["prm.sellout.batch"].browse(result["id"])
        self.assertEqual(batch.partner_id, self.partner_a)
        self.assertEqual(batch.state, "draft")
        self.assertEqual((result["line_count"], result["error_count"]), (2, 1))
        self.assertEqual(result["errors"][0]["row"], 3)
        self.assertEqual(
            batch.line_ids.filtered(lambda row: not row.has_error).product_id,
            self.product_prm,
        )
        # A CSV file works the same way.
        content = base64.b64encode(
            b"date,product,quantity,amount\n2025-02-05,PRM-W,1,1000\n"
        )
        result = self._ok(
            "prm.sellout.batch",
            "prm_api_report_sellout",
            month="2025-02",
            file_name="february.csv",
            file_content=content.decode(),
            batch_id=batch.id,
        )
        self.assertEqual((result["id"], result["line_count"]), (batch.id, 1))
        other = self.env["prm.sellout.batch"].create(
            {
                "partner_id": self.partner_b.id,
                "date_from": "2025-02-01",
                "date_to": "2025-02-28",
            }
        )
        self._refused(
            "prm.sellout.batch",
            "prm_api_report_sellout",
            month="2025-02",
            rows=[{"product": "PRM-W", "quantity": 1}],
            batch_id=other.id,
        )
        for bad in (
            {"month": "2025-13", "rows": [{"product": "PRM-W", "quantity": 1}]},
            {"month": "2025-02", "rows": [{"product": "PRM-W", "price": 1}]},
            {"month": "2025-02"},
            {"month": "2025-02", "file_name": "x.svg", "file_content": "PHN2Zz4="},
        ):
            with self.subTest(bad=bad):
                self._refused(
                    "prm.sellout.batch",
                    "prm_api_report_sellout",
                    status=(422,),
                    **bad,
                )
