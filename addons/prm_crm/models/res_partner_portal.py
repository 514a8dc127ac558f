from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _prm_portal_page_roles(self):
        return {
            **super()._prm_portal_page_roles(),
            "deals": ("sales",),
            "leads": ("sales",),
        }

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        partner = self.commercial_partner_id
        # sudo: counts of the contact's own company rows, shown to it only.
        Lead = self.env["crm.lead"].sudo()
        deals = dict(
            Lead._read_group(
                [
                    ("prm_partner_id", "=", partner.id),
                    ("prm_registration_state", "!=", False),
                ],
                ["prm_registration_state"],
                ["__count"],
            )
        )
        open_deals = sum(deals.get(s, 0) for s in ("submitted", "conflict", "approved"))
        cards.append(
            {
                "key": "deals",
                "sequence": 30,
                "title": self.env._("Deal registrations"),
                "url": "/my/deals",
                "icon": "fa-handshake-o",
                "count": open_deals,
                "lines": [
                    self.env._(
                        "%(count)s waiting for a decision",
                        count=deals.get("submitted", 0) + deals.get("conflict", 0),
                    ),
                    self.env._("%(count)s protected", count=deals.get("approved", 0)),
                ],
            }
        )
        offers = dict(
            self.env["prm.lead.offer"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", ("offered", "accepted")),
                    "|",
                    ("deadline", "=", False),
                    ("deadline", ">=", fields.Datetime.now()),
                ],
                ["state"],
                ["__count"],
            )
        )
        cards.append(
            {
                "key": "leads",
                "sequence": 40,
                "title": self.env._("Routed leads"),
                "url": "/my/leads",
                "icon": "fa-bullseye",
                "count": offers.get("offered", 0),
                "lines": [
                    self.env._(
                        "%(count)s to answer before their deadline",
                        count=offers.get("offered", 0),
                    )
                ],
            }
        )
        return cards
