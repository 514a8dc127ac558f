"""A partner's whole life across every module, over HTTP where a user clicks:

a company applies on the public form (twice: the duplicate is merged) and is
assigned to its channel manager, who accepts it; its representative completes
the onboarding checklist and accepts the agreement on the portal, and passes the
certification exam through the survey pages; requalification lifts the partner
to the tier the certificate earns; the partner registers a deal through the
JSON-2 API with its portal user's API key; the channel manager approves it, the
deal is won, ordered, invoiced and paid, and the commission accrues; the
accountants close the quarter and post the vendor bill; the representative
downloads the statement on the portal; a credit note in the next quarter claws
part of the commission back.

Each step runs as the user who does it (public visitor, channel manager,
program administrator, portal representative, salesman, accountants), never as
superuser; the clock is frozen per step so the periods are fixed.
"""

import re
import unittest

from freezegun import freeze_time

import odoo
from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import get_db_name

from odoo.addons.prm_incentive.tests.common import PrmIncentiveCommon
from odoo.addons.prm_partner.tests.json2 import Json2Mixin

# Every module the lifecycle crosses: scripts/test.sh also runs tests/ on partial
# installs, where this test has nothing to test.
REQUIRED_MODULES = (
    "prm_partner",
    "prm_crm",
    "prm_sale",
    "prm_sale_crm",
    "prm_incentive",
    "prm_portal",
    "prm_training",
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kg"
    "AAAABJRU5ErkJggg=="
)
VAT = "ESB12345674"


@tagged("post_install", "-at_install")
class TestPartnerLifecycle(Json2Mixin, PrmIncentiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        registry = odoo.modules.registry.Registry(get_db_name())
        missing = [m for m in REQUIRED_MODULES if m not in registry._init_modules]
        if missing:
            raise unittest.SkipTest(
                f"the lifecycle needs every module; missing: {', '.join(missing)}"
            )
        super().setUpClass()
        company = cls.env.company
        cls.spain = cls.env.ref("base.es")
        # The public form files applications in its website's company.
        cls.website = cls.env["website"].sudo().search([], limit=1)
        cls.website.company_id = company
        cls.env["ir.config_parameter"].sudo().set_param("portal.allow_api_keys", True)
        cls.env["prm.territory.assignment"].create(
            {
                "user_id": cls.user_channel_manager.id,
                "country_ids": [Command.set(cls.spain.ids)],
            }
        )
        cls.env["prm.checklist.template"].create(
            {
                "name": "Reseller onboarding",
                "partner_type_ids": [Command.set(cls.type_reseller.ids)],
                "line_ids": [
                    Command.create(
                        {
                            "name": "Certificate of incorporation",
                            "kind": "document",
                            "required": True,
                        }
                    )
                ],
            }
        )
        cls.agreement_type_nda = cls.env.ref("prm_partner.agreement_type_nda")
        cls.agreement_type_nda.portal_acceptance = True
        cls.user_salesman = new_test_user(
            cls.env,
            login="lifecycle_salesman",
            name="Sam Salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls._setup_certification()
        cls.program = cls._create_program(
            name="Deal commission",
            basis="paid",
            rules=[{"rate": 10.0, "pay_resale": False, "pay_deal": True}],
        )
        cls.end_customer = cls.env["res.partner"].create(
            {
                "name": "Hotel Sol S.A.",
                "is_company": True,
                "country_id": cls.spain.id,
                "email": "compras@hotelsol.example.com",
            }
        )

    @classmethod
    def _setup_certification(cls):
        """A certification exam (two single-choice questions, one page) whose
        certificate earns the silver tier."""
        # sudo: surveys and certifications are the training officer's, who is
        # no actor of this story.
        cls.exam = (
            cls.env["survey.survey"]
            .sudo()
            .create(
                {
                    "title": "Reseller certification exam",
                    "user_id": False,
                    "access_mode": "public",
                    "users_login_required": True,
                    "scoring_type": "scoring_with_answers",
                    "scoring_success_min": 50.0,
                    "certification": True,
                    "questions_layout": "one_page",
                    "question_and_page_ids": [
                        Command.create(
                            {
                                "title": f"Question {index}",
                                "question_type": "simple_choice",
                                "constr_mandatory": True,
                                "suggested_answer_ids": [
                                    Command.create(
                                        {
                                            "value": "Right",
                                            "is_correct": True,
                                            "answer_score": 1,
                                        }
                                    ),
                                    Command.create({"value": "Wrong"}),
                                ],
                            }
                        )
                        for index in (1, 2)
                    ],
                }
            )
        )
        cls.certification = (
            cls.env["prm.certification"]
            .sudo()
            .create(
                {
                    "name": "Certified reseller",
                    "code": "LC-RES",
                    "survey_id": cls.exam.id,
                    "validity_months": 12,
                }
            )
            .with_env(cls.env)
        )
        cls.tier_silver.rule_ids = [
            Command.clear(),
            Command.create(
                {
                    **cls._rule("certification", 1),
                    "certification_id": cls.certification.id,
                }
            ),
        ]

    # --- Helpers ---

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _apply(self):
        """The public form, posted by an anonymous visitor with the page's
        CSRF token."""
        self.authenticate(None, None)
        data = {
            "csrf_token": self._csrf("/partner-program/apply"),
            "name": "Costa Integradores S.L.",
            "vat": VAT,
            "contact_name": "Lucía Costa",
            "email": "lucia@costa-integradores.example.com",
            "country_id": str(self.spain.id),
            "partner_type_id": str(self.type_reseller.id),
            "declared_revenue": "250000",
            "headcount": "12",
        }
        response = self.url_open(
            "/partner-program/apply", data=data, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        return response

    def _post_form(self, url, data=None, files=None):
        data = {"csrf_token": http.Request.csrf_token(self), **(data or {})}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _take_exam(self, login):
        """The representative opens the exam and answers it on the survey's
        own routes (start page, begin, one-page submit)."""
        self.authenticate(login, login)
        start = self.url_open(f"/survey/start/{self.exam.access_token}")
        self.assertEqual(start.status_code, 200)
        # sudo: the test reads the attempt the start page made (the
        # representative has no access to attempts outside the survey pages).
        attempt = (
            self.env["survey.user_input"]
            .sudo()
            .search([("survey_id", "=", self.exam.id)])
        )
        self.assertEqual(len(attempt), 1)
        base = f"{self.exam.access_token}/{attempt.access_token}"
        page = self.url_open(f"/survey/{base}")
        self.assertEqual(page.status_code, 200)
        self.make_jsonrpc_request(f"/survey/begin/{base}", {"lang_code": "en_US"})
        answers = {
            str(question.id): str(
                question.suggested_answer_ids.filtered("is_correct").id
            )
            for question in self.exam.question_ids
        }
        result = self.make_jsonrpc_request(f"/survey/submit/{base}", answers)
        self.assertNotIn("error", result or {}, result)
        return attempt

    def _register_payment(self, move, user, date):
        return (
            self.env["account.payment.register"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"payment_date": date})
            ._create_payments()
        )

    # --- The story ---

    def test_partner_lifecycle(self):
        cm = self.user_channel_manager
        admin = self.user_prm_admin
        Application = self.env["prm.application"].with_context(active_test=False)

        # 1. A company applies on the public form; a second, identical submit
        #    is merged into the first; the application goes to the channel
        #    manager of Spain.
        with freeze_time("2025-01-13 09:00:00"):
            self._apply()
            self._apply()
        applications = Application.search([("vat", "=", VAT)], order="id")
        self.assertEqual(len(applications), 2)
        application, duplicate = applications
        self.assertEqual(application.source, "web")
        self.assertEqual(application.company_id, self.env.company)
        self.assertEqual(application.user_id, cm)
        self.assertEqual(duplicate.state, "merged")
        self.assertEqual(duplicate.merged_into_id, application)

        # 2. The channel manager accepts it: a partner in onboarding with its
        #    checklist, and the applicant as its contact.
        with freeze_time("2025-01-14 10:00:00"):
            application.with_user(cm).action_start_review()
            application.with_user(cm).action_accept()
        self.assertEqual(application.state, "accepted")
        partner = application.partner_id
        self.assertEqual(partner.prm_state, "onboarding")
        self.assertEqual(partner.prm_manager_id, cm)
        self.assertEqual(partner.vat, VAT)
        contact = application.contact_id
        self.assertEqual(contact.parent_id, partner)
        item = partner.prm_checklist_item_ids
        self.assertEqual(item.mapped("name"), ["Certificate of incorporation"])
        # Its representative gets a portal account and the admin role; the
        # channel manager files the NDA to accept online.
        rep = new_test_user(
            self.env,
            login="lucia_costa",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        contact.with_user(cm).prm_role_ids = [
            Command.set(self.env.ref("prm_partner.role_admin").ids)
        ]
        nda = (
            self.env["prm.agreement"]
            .with_user(cm)
            .create(
                {
                    "partner_id": partner.id,
                    "type_id": self.agreement_type_nda.id,
                    "attachment_ids": [Command.create({"name": "nda.pdf", "raw": PDF})],
                }
            )
        )

        # 3. Onboarding on the portal: upload the document, accept the NDA;
        #    the administrator approves the item and activates the partner.
        with freeze_time("2025-01-20 11:00:00"):
            self.authenticate(rep.login, rep.login)
            page = self.url_open("/my/onboarding")
            self.assertEqual(page.status_code, 200)
            self.assertIn("Certificate of incorporation", page.text)
            response = self._post_form(
                f"/my/onboarding/item/{item.id}/upload",
                files={"attachment": ("incorporation.pdf", PDF, "application/pdf")},
            )
            self.assertEqual(response.status_code, 303, response.text[:300])
            result = self.make_jsonrpc_request(
                f"/my/onboarding/agreement/{nda.id}/accept",
                {"name": "Lucía Costa", "signature": PNG_1PX},
            )
            self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(item.state, "submitted")
        self.assertEqual(item.submitted_by_id, rep)
        self.assertEqual(item.attachment_ids.mimetype, "application/pdf")
        self.assertEqual(nda.signed_by_partner_id, contact)
        with freeze_time("2025-01-21 09:00:00"):
            item.with_user(admin).action_approve()
            self.env["prm.partner.state.wizard"].with_user(admin).create(
                {"partner_ids": [Command.set(partner.ids)], "new_state": "active"}
            ).action_apply()
        self.assertEqual(item.state, "approved")
        self.assertEqual(partner.prm_state, "active")
        self.assertEqual(partner.prm_tier_id, self.tier_registered)

        # 4. The representative passes the certification exam on the survey
        #    pages: a certificate; requalification lifts the partner to silver.
        with freeze_time("2025-01-27 15:00:00"):
            attempt = self._take_exam(rep.login)
        self.assertEqual(attempt.state, "done")
        self.assertTrue(attempt.scoring_success)
        certificate = self.env["prm.certificate"].search(
            [("partner_id", "=", contact.id)]
        )
        self.assertEqual(certificate.certification_id, self.certification)
        self.assertEqual(str(certificate.expiry_date), "2026-01-27")
        with freeze_time("2025-01-28 08:00:00"):
            partner.with_user(cm).action_prm_requalify()
        self.assertEqual(partner.prm_tier_id, self.tier_silver)
        self.assertEqual(
            partner.prm_tier_history_ids.sorted("id")[-1:].new_tier_id, self.tier_silver
        )

        # 5. The partner's system registers a deal over JSON-2 with the
        #    representative's API key; the channel manager approves it.
        # The key is checked against the database's clock: made unfrozen.
        api_key = self._api_key(rep)
        with freeze_time("2025-02-03 09:00:00"):
            response = self.url_open(
                "/json/2/crm.lead/prm_api_register_deal",
                headers={
                    "Authorization": f"bearer {api_key}",
                    "X-Odoo-Database": self.env.cr.dbname,
                },
                json={
                    "values": {
                        "partner_name": "Hotel Sol S.A.",
                        "email_from": "compras@hotelsol.example.com",
                        "country_id": self.spain.id,
                        "expected_revenue": 20000,
                        "description": "Room terminals for 20 rooms",
                    }
                },
            )
            self.assertEqual(response.status_code, 200, response.text[:500])
            lead = self.env["crm.lead"].browse(response.json())
            self.assertEqual(lead.prm_partner_id, partner)
            self.assertEqual(lead.prm_registration_state, "submitted")
            self.assertEqual(lead.prm_registration_contact_id, contact)
            lead.with_user(cm).action_prm_approve_registration()
        self.assertEqual(lead.prm_registration_state, "approved")
        self.assertTrue(lead.prm_protection_end)

        # 6. The salesman wins it and sells 20 servers; the accountant posts
        #    the invoice and registers the customer's payment: the commission
        #    (paid basis) accrues.
        with freeze_time("2025-02-10 10:00:00"):
            lead_sales = lead.with_user(self.user_salesman)
            lead_sales.partner_id = self.end_customer
            lead_sales.action_set_won()
            self.assertEqual(lead.prm_registration_state, "won")
            order = (
                self.env["sale.order"]
                .with_user(self.user_salesman)
                .create(
                    {
                        "partner_id": self.end_customer.id,
                        "opportunity_id": lead.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": self.product_server.id,
                                    "product_uom_qty": 20,
                                }
                            )
                        ],
                    }
                )
            )
            self.assertEqual(order.prm_partner_id, partner)
            order.action_confirm()
            invoice = order.with_user(self.user_salesman)._create_invoices()
            invoice = invoice.with_user(self.user_accountant)
            invoice.action_post()
        self.assertEqual(invoice.prm_partner_id, partner)
        self.assertEqual(invoice.amount_untaxed, 20000.0)
        accruals = self._accruals(self.program, partner_id=partner.id)
        self.assertFalse(accruals, "paid basis: nothing before the payment")
        self._register_payment(invoice, self.user_accountant, "2025-02-20")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        accrual = self._accruals(self.program, partner_id=partner.id)
        self.assertEqual(accrual.amount, 2000.0)
        self.assertEqual(accrual.move_id, invoice)

        # 7. After the quarter an accountant closes and approves it, the other
        #    posts it: one vendor bill for the commission.
        with freeze_time("2025-04-02 09:00:00"):
            settlement = (
                self.env["prm.settlement"]
                .with_user(self.user_accountant)
                ._close_period(self.program, odoo.fields.Date.to_date("2025-03-31"))
                .filtered(lambda s: s.partner_id == partner)
            )
            self.assertEqual(settlement.amount_total, 2000.0)
            settlement.action_approve()
            settlement.with_user(self.user_accountant_2).action_post()
        self.assertEqual(settlement.state, "posted")
        bill = settlement.move_ids
        self.assertEqual(
            (bill.move_type, bill.state, bill.partner_id, bill.amount_total),
            ("in_invoice", "posted", partner, 2000.0),
        )
        self.assertEqual(accrual.settlement_id, settlement)

        # 8. The representative downloads the statement on the portal.
        self.authenticate(rep.login, rep.login)
        # Under tests Odoo answers HTML for PDFs unless the session's context
        # forces the rendering (no request can set it).
        self.session.context["force_report_rendering"] = True
        odoo.http.root.session_store.save(self.session)
        self.assertEqual(self.url_open("/my/incentives").status_code, 200)
        statement = self.url_open(f"/my/incentives/statement/{settlement.id}")
        self.assertEqual(statement.status_code, 200)
        self.assertEqual(statement.headers["Content-Type"], "application/pdf")
        self.assertTrue(statement.content.startswith(b"%PDF"))

        # 9. In May 5 servers come back: the accountant credits and refunds
        #    them; closing the second quarter claws 500 back, carried forward
        #    (no negative bill).
        with freeze_time("2025-05-12 10:00:00"):
            refund = invoice.with_user(self.user_accountant)._reverse_moves(
                [{"invoice_date": "2025-05-12", "date": "2025-05-12"}]
            )
            refund.invoice_line_ids.quantity = 5
            refund.action_post()
        self.assertEqual(refund.prm_partner_id, partner)
        self.assertEqual(refund.amount_untaxed, 5000.0)
        self._register_payment(refund, self.user_accountant, "2025-05-15")
        self.assertEqual(self._amount(self.program, partner), 1500.0)
        with freeze_time("2025-07-02 09:00:00"):
            q2 = (
                self.env["prm.settlement"]
                .with_user(self.user_accountant)
                ._close_period(self.program, odoo.fields.Date.to_date("2025-06-30"))
                .filtered(lambda s: s.partner_id == partner)
            )
            q2.action_approve()
            q2.with_user(self.user_accountant_2).action_post()
        self.assertEqual(q2.amount_clawback, -500.0)
        self.assertEqual(q2.amount_to_pay, 0.0)
        self.assertEqual(q2.amount_carried_forward, -500.0)
        self.assertFalse(q2.move_ids, "no negative vendor bill")
        self.assertEqual(q2.state, "posted")
        self.assertEqual(str(q2.carry_line_ids.date), "2025-07-01")
        # The first quarter's bill stands: paid once, never re-opened.
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(bill.amount_total, 2000.0)
