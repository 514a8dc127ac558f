from odoo import api, fields, models


class ResPartner(models.Model):
    """Agreements signed with a partner, and the pricelist they grant."""

    _inherit = "res.partner"

    prm_agreement_ids = fields.One2many(
        "prm.agreement", "partner_id", string="Agreements"
    )
    prm_agreement_count = fields.Integer(compute="_compute_prm_agreement_count")

    @api.depends("prm_agreement_ids")
    def _compute_prm_agreement_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["prm.agreement"]._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.prm_agreement_count = counts.get(partner, 0)

    @api.depends(
        "commercial_partner_id.prm_agreement_ids.state",
        "commercial_partner_id.prm_agreement_ids.pricelist_id",
    )
    def _compute_product_pricelist(self):
        return super()._compute_product_pricelist()

    def _prm_program_pricelist(self):
        """An active agreement's pricelist is negotiated for that partner: it
        wins over the generic pricelist of the partner's tier."""
        result = super()._prm_program_pricelist()
        result.update(self._prm_agreement_pricelist())
        return result

    def _prm_agreement_pricelist(self):
        """Pricelists granted by the partners' active agreements.

        :return: ``{partner_id: product.pricelist}`` for the partners of
            ``self`` with an active agreement carrying a pricelist; when several
            do, the agreement type with the lowest sequence wins.
        """
        if not self:
            return {}
        # sudo: prices are computed for salespeople and portal users who may
        # not read agreements; only the pricelist leaves this method.
        agreements_sudo = (
            self.env["prm.agreement"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "active"),
                    ("pricelist_id", "!=", False),
                ]
            )
            .sorted(lambda a: (a.type_id.sequence, a.type_id.id, -a.id))
        )
        result = {}
        for agreement_sudo in agreements_sudo:
            result.setdefault(
                agreement_sudo.partner_id.id,
                agreement_sudo.pricelist_id.with_env(self.env),
            )
        return result

    def action_prm_open_agreements(self):
        self.ensure_one()
        return self._prm_action(
            "prm_partner.action_prm_agreement",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )
