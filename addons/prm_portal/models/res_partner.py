from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import format_date

# Checklist items the partner still has to act on.
OPEN_ITEM_STATES = ("open", "rejected")


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_directory_published = fields.Boolean(
        string="Listed in the partner directory",
        copy=False,
        tracking=True,
        help="Active partners listed here appear in the public “Find a partner” "
        "directory of the website, with their own page.",
    )
    prm_directory_description = fields.Text(
        string="Directory description",
        translate=True,
        help="What the partner does, shown on its public directory page.",
    )

    # --- Directory ---

    @api.model
    def _prm_directory_domain(self):
        """Partners the public directory lists: active program partners that
        were published from the backend."""
        return Domain(
            [
                ("prm_is_partner", "=", True),
                ("prm_state", "=", "active"),
                ("prm_directory_published", "=", True),
                ("is_company", "=", True),
            ]
        )

    # --- Portal: program home ---

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        partner = self.commercial_partner_id
        Document = self.env["prm.portal.document"]
        cards.append(
            {
                "key": "documents",
                "sequence": 80,
                "title": self.env._("Documents"),
                "url": "/my/documents",
                "icon": "fa-file-text-o",
                "count": Document.sudo().search_count(
                    Document._prm_portal_domain(partner)
                ),
                "lines": [self.env._("Price lists, brochures and guides")],
            }
        )
        cards.append(
            {
                "key": "team",
                "sequence": 90,
                "title": self.env._("Team"),
                "url": "/my/team",
                "icon": "fa-users",
                "count": len(partner._prm_portal_team_contacts()),
                "lines": [self.env._("Invite colleagues and set their roles")],
            }
        )
        return cards

    def _prm_portal_program_values(self):
        """What the program home shows to this contact (a portal user's
        partner whose company is a program partner). Reads as superuser the
        single commercial partner the caller belongs to."""
        self.ensure_one()
        partner_sudo = self.commercial_partner_id.sudo()
        data = {partner_sudo.id: {"sections": []}}
        partner_sudo._prm_360_tier(data)
        tier_section = data[partner_sudo.id]["sections"][0]
        cards = self._prm_portal_cards()
        urls = {card["key"]: card.get("url") for card in cards}
        manager_sudo = partner_sudo.prm_manager_id.partner_id
        return {
            "partner": partner_sudo,
            "tier": partner_sudo.prm_tier_id,
            "tier_bars": tier_section["bars"],
            "tier_subtitle": tier_section["bars_title"],
            "downgrade": partner_sudo._prm_portal_downgrade_text(),
            "expiring": partner_sudo._prm_portal_expiring(),
            "actions": partner_sudo._prm_portal_action_items(urls),
            "manager": manager_sudo,
            "cards": cards,
        }

    def _prm_portal_downgrade_text(self):
        self.ensure_one()
        if not self.prm_downgrade_tier_id:
            return False
        return self.env._(
            "Pending downgrade to %(tier)s on %(date)s, unless your figures "
            "qualify again before.",
            tier=self.prm_downgrade_tier_id.name,
            date=format_date(self.env, self.prm_downgrade_date),
        )

    def _prm_portal_expiring(self):
        """Active agreements and approved authority documents ending within the
        company's reminder delay: ``[{"kind", "name", "date"}]``, soonest first."""
        self.ensure_one()
        limit = self._prm_360_expiry_limit()
        today = fields.Date.context_today(self)
        rows = [
            {
                "kind": self.env._("Agreement"),
                "name": agreement.display_name,
                "date": agreement.date_end,
                "expired": agreement.date_end < today,
            }
            for agreement in self.env["prm.agreement"].search_fetch(
                self._prm_360_expiring_agreement_domain(limit),
                ["name", "date_end", "type_id"],
            )
        ]
        rows += [
            {
                "kind": self.env._("Authority document"),
                "name": authority.name,
                "date": authority.date_to,
                "expired": authority.date_to < today,
            }
            for authority in self.env["prm.authority"].search_fetch(
                self._prm_360_expiring_authority_domain(limit),
                ["name", "date_to"],
            )
        ]
        return sorted(rows, key=lambda row: row["date"])

    def _prm_portal_action_items(self, urls):
        """What the partner has to do: checklist items to provide (others are
        the cards' business). ``[{"name", "state", "url"}]``."""
        self.ensure_one()
        items = self.env["prm.checklist.item"].search_fetch(
            [
                ("partner_id", "=", self.id),
                ("state", "in", OPEN_ITEM_STATES),
            ],
            ["name", "state", "rejection_reason"],
            order="sequence, id",
        )
        states = dict(items._fields["state"]._description_selection(self.env))
        return [
            {
                "name": item.name,
                "state": states.get(item.state),
                "note": item.rejection_reason if item.state == "rejected" else False,
                "url": urls.get("onboarding"),
            }
            for item in items
        ]
