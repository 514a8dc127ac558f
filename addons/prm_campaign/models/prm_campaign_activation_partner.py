from odoo import api, fields, models

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

# A change of these regenerates the partner's co-branded files.
COBRAND_FIELDS = frozenset({"image_1920", "name", "phone", "website", "email"})


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_campaign_source_id = fields.Many2one(
        "utm.source",
        string="Campaign UTM source",
        copy=False,
        readonly=True,
        ondelete="set null",
        help="The UTM source of the partner's campaign links: leads arriving "
        "with it are attributed and routed to the partner.",
    )

    def _prm_guarded_fields(self):
        return {
            **super()._prm_guarded_fields(),
            "prm_campaign_source_id": Guard(self.env._("Activate a campaign kit")),
        }

    def write(self, vals):
        res = super().write(vals)
        if COBRAND_FIELDS & vals.keys():
            self._prm_campaign_regenerate()
        return res

    def _prm_campaign_regenerate(self):
        """The partners' logo or details changed: their co-branded files are
        made again (superuser: the writer changed the partner, the files
        follow)."""
        partners = self.filtered("prm_is_partner")
        if not partners:
            return
        activations = (
            self.env["prm.campaign.activation"]
            .sudo()
            .search([("partner_id", "in", partners.ids)])
        )
        activations._prm_generate_files()

    def _prm_campaign_ensure_source(self):
        """Give each partner its UTM source (named after it) once."""
        missing = self.filtered(lambda partner: not partner.prm_campaign_source_id)
        if not missing:
            return
        sources = (
            self.env["utm.source"]
            .sudo()
            .create([{"name": partner.name} for partner in missing])
        )
        for partner, source in zip(missing, sources, strict=True):
            partner.sudo().prm_campaign_source_id = source

    # --- Portal ---

    @api.model
    def _prm_portal_page_roles(self):
        return {**super()._prm_portal_page_roles(), "campaigns": ("sales", "marketing")}

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        partner = self.commercial_partner_id
        Kit = self.env["prm.campaign.kit"].sudo()
        # sudo: counts of kits offered to the contact's own company.
        available = Kit.search_count(Kit._prm_available_domain(partner))
        activations = (
            self.env["prm.campaign.activation"]
            .sudo()
            .search([("partner_id", "=", partner.id)])
        )
        stats = activations._prm_results()
        leads = int(sum(figures.get("leads", 0) for figures in stats.values()))
        cards.append(
            {
                "key": "campaigns",
                "sequence": 60,
                "title": self.env._("Campaigns"),
                "url": "/my/campaigns",
                "icon": "fa-bullhorn",
                "count": available,
                "lines": [
                    self.env._("%(count)s kits available", count=available),
                    self.env._(
                        "%(count)s activated, %(leads)s leads brought",
                        count=len(activations),
                        leads=leads,
                    ),
                ],
            }
        )
        return cards
