from odoo import api, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    @api.model
    def _get_partner_pricelist_multi(self, partner_ids):
        """The program pricelist (tier...) of a partner's commercial partner
        applies to it and its contacts, unless a pricelist was set by hand."""
        if not partner_ids or not self.env["res.groups"]._is_feature_enabled(
            "product.group_product_pricelist"
        ):
            return super()._get_partner_pricelist_multi(partner_ids)
        # sudo: the price a customer gets must not depend on the program
        # rights of the user quoting it; only pricelist ids come out of it.
        partners_sudo = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .browse(partner_ids)
        )
        program = partners_sudo.commercial_partner_id._prm_program_pricelist()
        company = self.env.company
        programmed = {}
        for partner_sudo in partners_sudo:
            pricelist = program.get(partner_sudo.commercial_partner_id.id)
            if (
                not pricelist
                or not pricelist.active
                or (pricelist.company_id and pricelist.company_id != company)
                or partner_sudo.specific_property_product_pricelist._get_partner_pricelist_multi_filter_hook()
            ):
                continue
            programmed[partner_sudo.id] = self.browse(pricelist.id)
        # Odoo's own lookup only for the partners the program does not price:
        # its fallback search would be thrown away for the others.
        remaining = [pid for pid in partner_ids if pid not in programmed]
        result = super()._get_partner_pricelist_multi(remaining) if remaining else {}
        result.update(programmed)
        return result

    def _get_applicable_rules(self, products, date, **kwargs):
        """Odoo's rules, fetched by the search itself: Odoo searches, then
        reads the rules in a second query, on every priced page (the portal
        quick order measures it)."""
        if not self:
            return self.env["product.pricelist.item"]
        self.ensure_one()
        return self.env["product.pricelist.item"].search_fetch(
            self._get_applicable_rules_domain(products=products, date=date, **kwargs),
            None,
        )
