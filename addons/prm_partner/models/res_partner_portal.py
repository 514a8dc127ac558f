from odoo import api, models

# Which program roles open which portal page. *Admin* opens every page; a
# contact without any program role sees only the program home. Modules add
# their pages with `_prm_portal_page_roles` (one place, so the Team page can
# show what each role sees).
PORTAL_PAGE_ROLES = {
    "program": (),
    "onboarding": ("admin",),
    "team": ("admin",),
    "documents": ("sales", "technical", "marketing", "finance"),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # Portal: roles and the program home's cards
    # ------------------------------------------------------------

    @api.model
    def _prm_portal_page_roles(self):
        """{page key: role codes that open it}; *admin* opens every page and
        an empty tuple means every representative of the partner."""
        return dict(PORTAL_PAGE_ROLES)

    def _prm_portal_role_codes(self):
        """Role codes of this contact (sudo: a portal user may read its own
        contact's roles, which the record rules on prm.role already allow)."""
        self.ensure_one()
        codes = self.env["prm.role"]._prm_active_codes()
        # Inactive roles are not in ``codes``: no need to read the roles.
        role_ids = self.sudo().with_context(active_test=False).prm_role_ids.ids
        return {codes[id_] for id_ in role_ids if id_ in codes}

    def _prm_portal_allows(self, page):
        """Whether this contact (a portal user's partner) may open `page`.
        Always decided on the server: controllers call it before reading
        anything and answer 404 when it says no."""
        self.ensure_one()
        if not self.commercial_partner_id.prm_is_partner:
            return False
        roles = self._prm_portal_role_codes()
        if "admin" in roles:
            return True
        allowed = self._prm_portal_page_roles().get(page)
        if allowed is None:
            return False
        return not allowed or bool(roles & set(allowed))

    def _prm_portal_home_cards(self):
        """Cards of the program home for this contact. Each module appends its
        own: dicts with `key` (page key, checked with `_prm_portal_allows`),
        `sequence`, `title`, `url`, `icon` (a Font Awesome class), `count`
        (a number or False) and `lines` (a few short texts). Computed with
        grouped reads, never a query per record."""
        self.ensure_one()
        return [self._prm_portal_onboarding_card()]

    def _prm_portal_onboarding_card(self):
        """Checklist documents to provide and agreements to accept online."""
        partner = self.commercial_partner_id
        # sudo: counts of the contact's own company rows, shown to it only.
        to_upload = (
            self.env["prm.checklist.item"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("kind", "=", "document"),
                    ("state", "in", ("open", "rejected")),
                ]
            )
        )
        to_accept = (
            self.env["prm.agreement"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("type_id.portal_acceptance", "=", True),
                    ("signed_on", "=", False),
                    ("state", "in", ("draft", "active")),
                ]
            )
        )
        lines = []
        if to_upload:
            lines.append(self.env._("%(count)s documents to upload", count=to_upload))
        if to_accept:
            lines.append(self.env._("%(count)s agreements to accept", count=to_accept))
        return {
            "key": "onboarding",
            "sequence": 20,
            "title": self.env._("Onboarding"),
            "url": "/my/onboarding",
            "icon": "fa-check-square-o",
            "count": to_upload + to_accept,
            "lines": lines,
        }

    def _prm_portal_cards(self):
        """The cards this contact may see, in order."""
        self.ensure_one()
        cards = [
            card
            for card in self._prm_portal_home_cards()
            if self._prm_portal_allows(card["key"])
        ]
        return sorted(cards, key=lambda card: card.get("sequence", 50))
