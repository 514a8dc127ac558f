from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _prm_portal_page_roles(self):
        return {
            **super()._prm_portal_page_roles(),
            "installations": ("sales", "technical"),
        }

    def _prm_order_lead_days(self, product):
        return product.sale_delay or 0

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        groups = self.env["prm.installation"]._read_group(
            [("partner_id", "=", self.commercial_partner_id.id)],
            ["state"],
            ["__count"],
        )
        counts = dict(groups)
        labels = dict(
            self.env["prm.installation"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        cards.append(
            {
                "key": "installations",
                "sequence": 40,
                "title": self.env._("Installations"),
                "url": "/my/installations",
                "icon": "fa-wrench",
                "count": sum(counts.values()),
                "lines": [
                    f"{labels[state]}: {count}"
                    for state, count in groups
                    if state in ("new", "planned")
                ],
            }
        )
        return cards
