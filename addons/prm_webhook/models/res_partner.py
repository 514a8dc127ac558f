from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _prm_portal_page_roles(self):
        # Only the partner's admins connect its systems.
        return {**super()._prm_portal_page_roles(), "webhooks": ("admin",)}

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        # sudo: the count of the contact's own company's subscriptions.
        count = (
            self.env["prm.webhook.subscription"]
            .sudo()
            .search_count([("partner_id", "=", self.commercial_partner_id.id)])
        )
        cards.append(
            {
                "key": "webhooks",
                "sequence": 95,
                "title": self.env._("Webhooks"),
                "url": "/my/webhooks",
                "icon": "fa-plug",
                "count": count,
                "lines": [
                    self.env._(
                        "%(count)s endpoints of your systems receive the program's events",
                        count=count,
                    )
                ],
            }
        )
        return cards
