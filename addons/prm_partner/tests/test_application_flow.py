from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_application import PrmApplicationCommon

RAW_EMAIL = """Return-Path: <{sender}>
To: {to}
From: {name} <{sender}>
Subject: {subject}
Message-ID: <{msgid}@mail.example.com>
Date: Tue, 03 Jun 2025 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Hello,

we resell networking gear in Madrid and would like to join your program.

Best regards,
--\x20
{name}
{company}
{extra}
"""


@tagged("post_install", "-at_install")
class TestApplicationFlow(PrmApplicationCommon):
    """Accept, reject, reopen, and the email alias."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._territory(cls.user_channel_manager, countries=cls.es)

    # --- Accept ---

    @freeze_time("2025-03-03 10:00:00")
    def test_accept_creates_partner_and_starts_onboarding(self):
        app = self._intake(
            self._row(
                "Sierra Integradores S.L.",
                vat="ESA58818501",
                phone="+34 911 00 00 00",
                partner_type="integrator",
                served_countries="ES,PT",
                served_states=[self.madrid.name],
                country_state=self.madrid.code,
            )
        )
        app.with_user(self.user_channel_manager).action_accept()
        partner = app.partner_id
        self.assertEqual(app.state, "accepted")
        self.assertEqual(str(app.date_decided), "2025-03-03 10:00:00")
        self.assertTrue(partner.is_company)
        self.assertEqual(partner.name, "Sierra Integradores S.L.")
        self.assertEqual(partner.vat, "ESA58818501")
        self.assertEqual(partner.country_id, self.es)
        self.assertEqual(partner.state_id, self.madrid)
        self.assertEqual(partner.prm_country_ids, self.es | self.pt)
        self.assertEqual(partner.prm_country_state_ids, self.madrid)
        self.assertEqual(
            partner.prm_partner_type_id,
            self.env.ref("prm_partner.partner_type_integrator"),
        )
        self.assertEqual(partner.prm_manager_id, self.user_channel_manager)
        self.assertTrue(partner.prm_is_partner)
        self.assertEqual(partner.prm_state, "onboarding")
        self.assertTrue(
            partner.prm_onboarding_stage_id, "The onboarding hook placed it in a stage"
        )
        self.assertEqual(app.contact_id.parent_id, partner)
        self.assertEqual(app.contact_id.email, app.email)
        self.assertFalse(app.activity_ids, "The review activity is done")
        # Activation (which sets the start date; onboarding decides when)
        # gives the "days to active partner" figure.
        partner.prm_start_date = "2025-04-02"
        self.assertEqual(str(app.date_partner_active), "2025-04-02")
        self.assertEqual(app.days_to_active, 30)
        self.assertEqual(app.days_to_decision, 0)

    def test_accept_links_existing_partner(self):
        prospect = self._company_partner(
            "Baltic Resellers OÜ", vat="ESB12345674", country_id=self.es.id
        )
        partners_before = self.env["res.partner"].search_count(
            [("is_company", "=", True)]
        )
        app = self._intake(
            self._row("Baltic Resellers", vat="ESB12345674", partner_type="reseller")
        )
        self.assertEqual(app.partner_id, prospect)
        app.action_accept()
        self.assertEqual(
            self.env["res.partner"].search_count([("is_company", "=", True)]),
            partners_before,
            "No new company",
        )
        self.assertEqual(prospect.prm_state, "onboarding")
        self.assertTrue(prospect.prm_is_partner)
        self.assertEqual(prospect.prm_partner_type_id, self.type_reseller)
        self.assertEqual(prospect.prm_manager_id, self.user_channel_manager)
        self.assertEqual(app.contact_id.parent_id, prospect)

    def test_accept_refuses_active_partners_and_closed_applications(self):
        # Name of the company and email domain of its contact: certain.
        app = self._intake(self._row("Beta Distribution", email="x@beta.test"))
        self.assertEqual(app.partner_id, self.partner_b)
        with self.assertRaisesRegex(UserError, "already channel partners"):
            app.action_accept()
        self.assertEqual(app.state, "new")
        app._prm_reject(self.reason_territory, send_email=False)
        with self.assertRaisesRegex(
            UserError, "is in status “Rejected”; this action is only possible"
        ):
            app.action_accept()

    # --- Reject ---

    def test_reject_needs_a_reason(self):
        app = self._intake(self._row("No Reason"))
        with self.assertRaisesRegex(UserError, "reason"):
            app._prm_reject(self.env["prm.application.reject.reason"])
        self.assertEqual(app.state, "new")
        wizard_form = Form(
            self.env["prm.application.reject.wizard"].with_context(
                default_application_ids=app.ids
            )
        )
        with self.assertRaises(AssertionError):
            wizard_form.save()  # reason is required

    def test_reject_sends_template_email_and_keeps_application(self):
        app = self._intake(self._row("Rejected Co", email="boss@rejected.example.com"))
        wizard = (
            self.env["prm.application.reject.wizard"]
            .with_context(default_application_ids=app.ids)
            .create({"reason_id": self.reason_territory.id, "note": "Nordics only"})
        )
        wizard.action_reject()
        self.assertEqual(app.state, "rejected")
        self.assertEqual(app.reject_reason_id, self.reason_territory)
        self.assertEqual(app.reject_note, "Nordics only")
        self.assertTrue(app.date_decided)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "prm.application"),
                ("res_id", "=", app.id),
                ("email_to", "=", "boss@rejected.example.com"),
            ]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.email_to, "boss@rejected.example.com")
        self.assertEqual(mail.state, "outgoing", "Queued, sent by the mail cron")
        self.assertIn("Your partner application", mail.subject)
        self.assertIn("Contact of Rejected Co", mail.body_html)
        self.assertIn("not recruiting partners in your region", mail.body_html)
        self.assertIn(
            app,
            self.Application.search([("state", "=", "rejected")]),
            "Still searchable",
        )
        # And it can be reopened.
        app.action_reopen()
        self.assertEqual(app.state, "review")
        self.assertFalse(app.reject_reason_id)

    def test_reject_email_keeps_one_full_stop_after_legal_names(self):
        self.env.company.name = "PRM Vendor Inc."
        app = self._intake(
            self._row("Tango Sistemas S.R.L.", email="ana@tango.example.com")
        )
        app._prm_reject(self.reason_territory)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "prm.application"),
                ("res_id", "=", app.id),
                ("email_to", "=", "ana@tango.example.com"),
            ]
        )
        self.assertIn("Tango Sistemas S.R.L.", mail.body_html)
        self.assertNotIn("S.R.L..", mail.body_html)
        self.assertNotIn("Inc..", mail.body_html)

    def test_reject_email_in_applicant_language(self):
        self.env["res.lang"]._activate_lang("es_ES")
        template = self.env.ref("prm_partner.mail_template_prm_application_rejected")
        template.with_context(lang="es_ES").subject = "Su solicitud de socio"
        self.reason_territory.with_context(
            lang="es_ES"
        ).applicant_message = "No buscamos socios en su región."
        spanish, english = self._intake(
            [
                self._row("Hispano SL", lang="es_ES"),
                self._row("English Ltd", email="x@english.example.com", lang="en_US"),
            ]
        )
        (spanish | english)._prm_reject(self.reason_territory)
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "prm.application"),
                ("res_id", "in", (spanish | english).ids),
            ]
        )
        by_app = {m.res_id: m for m in mails}
        self.assertEqual(by_app[spanish.id].subject, "Su solicitud de socio")
        self.assertIn("No buscamos socios", by_app[spanish.id].body_html)
        self.assertIn("Your partner application", by_app[english.id].subject)

    def test_reopen_a_merged_application(self):
        kept = self._intake(self._row("Merge Co", vat="ESB12345674"))
        dup = self._intake(self._row("Merge Co", vat="ESB12345674"))
        self.assertEqual(dup.state, "merged")
        dup.action_reopen()
        self.assertEqual(dup.state, "review")
        self.assertFalse(dup.merged_into_id)
        self.assertEqual(kept.merged_count, 0)

    # --- Email alias ---

    def _raw(self, **values):
        defaults = {
            "sender": "ana@cantabria-sol.example.com",
            "name": "Ana García",
            "to": "partners@prm-test.example.com",
            "subject": "Partnership request",
            "company": "Cantabria Soluciones S.L.",
            "msgid": "first",
            "extra": "Tel: +34 911 23 45 67\nwww.cantabria-sol.example.com",
        }
        return RAW_EMAIL.format(**{**defaults, **values})

    def test_alias_record(self):
        alias = self.env.ref("prm_partner.mail_alias_prm_application")
        self.assertEqual(alias.alias_name, "partners")
        self.assertEqual(alias.alias_model_id.model, "prm.application")
        self.assertEqual(alias.alias_contact, "everyone")

    def test_email_through_the_alias_creates_an_application(self):
        alias_domain = self.env["mail.alias.domain"].create(
            {"name": "prm-test.example.com"}
        )
        self.env.ref(
            "prm_partner.mail_alias_prm_application"
        ).alias_domain_id = alias_domain
        self.env.company.alias_domain_id = alias_domain
        thread_id = self.env["mail.thread"].message_process(False, self._raw())
        app = self.Application.browse(thread_id)
        self.assertEqual(app.source, "email")
        self.assertEqual(
            app.name, "Cantabria Soluciones S.L.", "Company from the signature"
        )
        self.assertEqual(app.contact_name, "Ana García")
        self.assertEqual(app.email, "ana@cantabria-sol.example.com")
        self.assertEqual(app.prm_phone_key, "+34911234567")
        self.assertEqual(app.website, "https://www.cantabria-sol.example.com")
        self.assertIn("networking gear", app.description)
        self.assertEqual(app.user_id, self.user_prm_admin, "No country: fallback")
        self.assertTrue(
            app.message_ids.filtered(lambda m: "networking gear" in (m.body or "")),
            "The email itself is in the chatter",
        )

    def test_email_company_from_domain_and_duplicate_merge(self):
        first = self.env["mail.thread"].message_process(
            "prm.application",
            self._raw(
                company="Kind regards from the team", sender="ana@mosel-systemhaus.de"
            ),
        )
        first = self.Application.browse(first)
        self.assertEqual(
            first.name, "Mosel Systemhaus", "Company from the sender domain"
        )
        # A colleague writes again: same domain and company name, certain.
        second_id = self.env["mail.thread"].message_process(
            "prm.application",
            self._raw(
                company="Kind regards",
                sender="max@mosel-systemhaus.de",
                name="Max Muster",
                msgid="second",
                subject="Second try",
            ),
        )
        self.assertEqual(second_id, first.id, "The email lands on the kept application")
        merged = self.Application.search([("merged_into_id", "=", first.id)])
        self.assertEqual(merged.contact_name, "Max Muster")
        self.assertTrue(first.message_ids.filtered(lambda m: m.subject == "Second try"))

    def test_email_from_free_mail_without_signature(self):
        raw = self._raw(
            sender="someone@gmail.com", name="Sam Smith", company="", extra=""
        )
        thread_id = self.env["mail.thread"].message_process("prm.application", raw)
        app = self.Application.browse(thread_id)
        self.assertEqual(app.name, "Sam Smith", "No company found: the sender's name")
        self.assertFalse(app.website)
        self.assertEqual(app.duplicate_status, "none")

    # --- Manual entry ---

    def test_manual_creation_runs_the_pipeline(self):
        app = self.Application.with_user(self.user_channel_manager).create(
            {
                "name": "Walk-in Co",
                "country_id": self.es.id,
                "email": "x@walkin.example.com",
                "country_ids": [Command.set(self.es.ids)],
            }
        )
        self.assertEqual(app.source, "manual")
        self.assertEqual(app.user_id, self.user_channel_manager)
        self.assertTrue(app.activity_ids)
