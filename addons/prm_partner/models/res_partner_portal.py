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
        return set(self.sudo().prm_role_ids.filtered("active").mapped("code"))

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
        return []

    def _prm_portal_cards(self):
        """The cards this contact may see, in order."""
        self.ensure_one()
        cards = [
            card
            for card in self._prm_portal_home_cards()
            if self._prm_portal_allows(card["key"])
        ]
        return sorted(cards, key=lambda card: card.get("sequence", 50))
