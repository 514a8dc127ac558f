import base64

from odoo.tests import tagged

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationDedup(PrmApplicationCommon):
    """Duplicate detection on intake: one rule per identity key, certain vs
    probable, merges, links and duplicates inside one batch."""

    def _candidate(self, application, record):
        field = "partner_id" if record._name == "res.partner" else "candidate_id"
        return application.duplicate_ids.filtered(lambda d: d[field] == record)

    # --- Single keys: probable ---

    def test_vat_match_is_certain_and_links_partner(self):
        partner = self._company_partner(
            "Cantabria Soluciones S.L.", vat="ESB12345674", country_id=self.es.id
        )
        app = self._intake(
            self._row("Totally Other Name", vat="B-12345674", email="x@other.example")
        )
        self.assertEqual(app.partner_id, partner, "Same VAT: linked to the partner")
        self.assertEqual(app.duplicate_status, "certain")
        line = self._candidate(app, partner)
        self.assertEqual(line.certainty, "certain")
        self.assertEqual(line.reason_codes, "vat")
        self.assertIn("same VAT number", app.duplicate_note)
        self.assertIn("linked", app.duplicate_note)
        self.assertEqual(app.state, "new", "Linking is no decision")

    def test_email_domain_alone_is_probable(self):
        partner = self._company_partner("Mosel Systemhaus GmbH")
        self.env["res.partner"].create(
            {"name": "Jürgen", "parent_id": partner.id, "email": "j@mosel.example.com"}
        )
        app = self._intake(
            self._row("Mosel Digital AG", email="new@mosel.example.com", country="DE")
        )
        self.assertFalse(app.partner_id, "A probable duplicate is never linked")
        self.assertEqual(app.duplicate_status, "probable")
        line = self._candidate(app, partner)
        self.assertEqual(line.certainty, "probable", "Contacts count for their company")
        self.assertEqual(line.reasons, "same email domain")
        self.assertIn(
            "Probable duplicate of partner Mosel Systemhaus GmbH", app.duplicate_note
        )

    def test_name_with_legal_suffixes_is_probable(self):
        acme = self._company_partner("ACME, Inc.")
        volga = self._company_partner("ООО «Волга»")
        iberia = self._company_partner("Cantabria Soluciones S.L.")
        apps = self._intake(
            [
                self._row("Acme LLC", email="a@acme-one.example"),
                self._row("Волга ООО", email="b@volga-two.example"),
                self._row("CANTABRIA SOLUCIONES SL", email="c@cantabria-three.example"),
            ]
        )
        for app, partner in zip(apps, (acme, volga, iberia), strict=True):
            line = self._candidate(app, partner)
            self.assertEqual(line.reason_codes, "name", app.name)
            self.assertEqual(line.certainty, "probable", app.name)
            self.assertEqual(app.duplicate_status, "probable", app.name)

    def test_phone_in_e164_is_probable(self):
        partner = self._company_partner("Madrid Telecom", phone="+34 911 23 45 67")
        app = self._intake(
            self._row("Some Reseller", phone="911 234 567", country="ES")
        )
        self.assertEqual(app.prm_phone_key, "+34911234567")
        line = self._candidate(app, partner)
        self.assertEqual(line.reason_codes, "phone")
        self.assertEqual(line.certainty, "probable")

    def test_free_mail_domains_never_match(self):
        self.env["res.partner"].create({"name": "Solo", "email": "solo@gmail.com"})
        self._intake(self._row("Gmail One", email="one@gmail.com"))
        app = self._intake(self._row("Gmail Two", email="two@gmail.com"))
        self.assertEqual(app.duplicate_status, "none")
        self.assertFalse(app.duplicate_ids)
        # The list is a setting: a company domain added to it is ignored too.
        self.env["ir.config_parameter"].set_param(
            "prm_partner.free_mail_domains", "corp.example"
        )
        self._company_partner("Corp", email="x@corp.example")
        app = self._intake(self._row("Corp Two", email="y@corp.example"))
        self.assertFalse(app.duplicate_ids)

    # --- Two keys: certain ---

    def test_name_and_email_domain_is_certain(self):
        partner = self._company_partner(
            "Patagonia Tecnología S.A.", email="info@patagonia-tec.example.com"
        )
        app = self._intake(
            self._row(
                "PATAGONIA TECNOLOGIA",
                email="ceo@patagonia-tec.example.com",
                country="AR",
            )
        )
        self.assertEqual(app.partner_id, partner)
        self.assertEqual(app.duplicate_status, "certain")
        self.assertEqual(
            self._candidate(app, partner).reason_codes, "email_domain,name"
        )

    def test_different_vat_numbers_make_it_probable(self):
        """Same name and domain but another VAT number: a subsidiary, not the
        same legal entity."""
        partner = self._company_partner(
            "Cantabria Soluciones S.L.",
            email="info@cantabria.example.com",
            vat="ESB12345674",
            country_id=self.es.id,
        )
        app = self._intake(
            self._row(
                "Cantabria Soluciones",
                email="x@cantabria.example.com",
                vat="ESA58818501",
            )
        )
        self.assertFalse(app.partner_id)
        self.assertEqual(self._candidate(app, partner).certainty, "probable")
        self.assertEqual(app.duplicate_status, "probable")

    # --- Open applications ---

    def test_certain_match_merges_into_open_application(self):
        kept = self._intake(
            self._row(
                "Lisboa Tech Lda",
                vat="PT501964843",
                country="PT",
                served_countries="PT",
                description="First contact",
            ),
            source="web",
        )
        kept_user = kept.user_id
        dup = self._intake(
            self._row(
                "LISBOA TECH",
                vat="501964843",
                country="PT",
                phone="+351 21 555 0199",
                served_countries=["PT", "ES"],
                description="Met at the trade show",
            )
        )
        self.assertEqual(dup.state, "merged")
        self.assertEqual(dup.merged_into_id, kept)
        self.assertEqual(
            dup.duplicate_ids.reason_codes, "vat,name", "Only the keys they share"
        )
        self.assertEqual(kept.state, "new")
        self.assertEqual(kept.merged_count, 1)
        self.assertEqual(kept.phone, "+351 21 555 0199", "Missing values are filled")
        self.assertEqual(kept.country_ids, self.pt | self.es, "Territories are merged")
        self.assertEqual(kept.user_id, kept_user)
        note = kept.message_ids.filtered(lambda m: "Met at the trade show" in m.body)
        self.assertTrue(
            note, "The merged application's message is posted on the kept one"
        )
        self.assertFalse(dup.activity_ids, "Merged applications are not assigned")
        self.assertTrue(dup.exists(), "Nothing is deleted")
        # Attachments added before a merge are copied over.
        self.env["ir.attachment"].create(
            {
                "name": "deck.pdf",
                "datas": base64.b64encode(b"%PDF deck"),
                "res_model": "prm.application",
                "res_id": dup.id,
            }
        )
        dup._prm_copy_attachments_to_targets()
        copied = self.env["ir.attachment"].search(
            [("res_model", "=", "prm.application"), ("res_id", "=", kept.id)]
        )
        self.assertIn("deck.pdf", copied.mapped("name"))

    def test_certain_match_with_decided_application_is_not_merged(self):
        old = self._intake(self._row("Old Co", vat="ESB12345674"))
        old._prm_reject(self.reason_territory, send_email=False)
        new = self._intake(self._row("Old Co", vat="ESB12345674"))
        self.assertEqual(new.state, "new", "Only open applications absorb duplicates")
        self.assertFalse(new.merged_into_id)

    def test_probable_match_with_open_application_is_flagged(self):
        first = self._intake(self._row("Alpha Sistemas", phone="+34 600 11 22 33"))
        second = self._intake(self._row("Beta Sistemas", phone="600 112 233"))
        self.assertEqual(second.state, "new")
        self.assertEqual(second.duplicate_status, "probable")
        line = self._candidate(second, first)
        self.assertEqual((line.certainty, line.reason_codes), ("probable", "phone"))
        self.assertIn(
            f"application Alpha Sistemas (#{first.id})", second.duplicate_note
        )

    # --- Inside one batch ---

    def test_duplicates_within_a_batch(self):
        apps = self._intake(
            [
                self._row("Gamma Redes SL", vat="ESB12345674", email="a@gamma.example"),
                self._row("Delta", email="b@delta.example"),
                self._row("GAMMA REDES", vat="B12345674", email="c@gamma.example"),
                self._row("Gamma Networks", vat="ESB12345674"),
                self._row("Delta Two", email="x@delta.example"),
            ]
        )
        gamma, delta, gamma2, gamma3, delta2 = apps
        self.assertEqual(gamma.state, "new")
        self.assertEqual((gamma2.state, gamma2.merged_into_id), ("merged", gamma))
        self.assertEqual(
            (gamma3.state, gamma3.merged_into_id),
            ("merged", gamma),
            "Every copy goes to the oldest application",
        )
        self.assertEqual(gamma.merged_count, 2)
        # Same email domain only: both rows see each other as probable.
        self.assertEqual(self._candidate(delta, delta2).certainty, "probable")
        self.assertEqual(self._candidate(delta2, delta).certainty, "probable")
        self.assertEqual(delta.duplicate_status, "probable")

    def test_recheck_links_but_does_not_merge(self):
        app = self._intake(self._row("Epsilon", vat="ESB12345674"))
        twin = self._intake(self._row("Zeta", vat="ESA58818501"))
        # Edited afterwards to the same VAT number: re-checking flags, no merge.
        twin.with_context(prm_no_recheck=True).vat = "ESB12345674"
        partner = self._company_partner("Epsilon SL", vat="ESB12345674")
        (app | twin).action_check_duplicates()
        self.assertEqual(app.partner_id, partner)
        self.assertEqual(twin.state, "new")
        self.assertEqual(self._candidate(twin, app).certainty, "certain")
        self.assertEqual(twin.duplicate_status, "probable", "Left to the reviewer")
