from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from .prm_tier_rule import CERTIFICATION_PREFIX


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_certificate_ids = fields.One2many(
        "prm.certificate", "partner_id", string="Certificates"
    )

    # --- Tier metrics (see prm.tier.rule) ---

    @api.model
    def _prm_live_certificate_domain(self, date_to):
        """Certificates valid on ``date_to``: issued by then, not expired, not
        revoked. Decided on dates, so the measure does not wait for the daily
        job."""
        return (
            Domain("state", "!=", "revoked")
            & Domain("issue_date", "<=", date_to)
            & Domain("expiry_date", ">=", date_to)
        )

    def _prm_metric_certified_people(self, date_from, date_to):
        """People of the partner holding at least one valid certificate."""
        groups = self.env["prm.certificate"]._read_group(
            Domain("commercial_partner_id", "in", self.ids)
            & self._prm_live_certificate_domain(date_to),
            ["commercial_partner_id"],
            ["partner_id:count_distinct"],
        )
        return {partner.id: count for partner, count in groups}

    def _prm_metric_certifications(self, certification_ids, date_to):
        """{certification id: {partner id: valid certificates}} in one query."""
        groups = self.env["prm.certificate"]._read_group(
            Domain("commercial_partner_id", "in", self.ids)
            & Domain("certification_id", "in", list(certification_ids))
            & self._prm_live_certificate_domain(date_to),
            ["certification_id", "commercial_partner_id"],
            ["__count"],
        )
        result = defaultdict(dict)
        for certification, partner, count in groups:
            result[certification.id][partner.id] = count
        return result

    def _prm_compute_metrics(self, specs, date_to=None, company=None):
        """Measure ``certification_<id>`` metrics (one per certification, see
        ``prm.tier.rule._prm_metric_code``) together, the others as usual."""
        specs = set(specs)
        mine = {spec for spec in specs if str(spec[0]).startswith(CERTIFICATION_PREFIX)}
        result = super()._prm_compute_metrics(specs - mine, date_to, company)
        if mine:
            date_to = date_to or fields.Date.context_today(self)
            ids = {int(spec[0][len(CERTIFICATION_PREFIX) :]) for spec in mine}
            values = self._prm_metric_certifications(ids, date_to) if self else {}
            for spec in mine:
                cid = int(spec[0][len(CERTIFICATION_PREFIX) :])
                result[spec] = dict(values.get(cid, {}))
        return result

    # --- Certification-gated selling ---

    def _prm_training_required_certifications(self, products):
        """{product: certifications unlocking its category} for the products
        whose category (or a parent category) requires a certification."""
        Certification = self.env["prm.certification"].sudo()
        categories = products.categ_id
        if not categories:
            return {}
        certifications = Certification.search(
            [("categ_ids", "parent_of", categories.ids)]
        )
        if not certifications:
            return {}
        result = {}
        for product in products:
            needed = certifications.filtered(
                lambda c, p=product: any(
                    p.categ_id.parent_path.startswith(categ.parent_path)
                    for categ in c.categ_ids
                )
            )
            if needed:
                result[product] = needed
        return result

    def _prm_training_missing(self, products, date=None):
        """{product: certifications} that block this program partner (a
        commercial partner) from selling ``products``: none of its people holds
        a valid certificate of any certification unlocking the category."""
        self.ensure_one()
        required = self._prm_training_required_certifications(products)
        if not required:
            return {}
        date = date or fields.Date.context_today(self)
        held = set(
            self.env["prm.certificate"]
            .sudo()
            .search(
                Domain("commercial_partner_id", "=", self.commercial_partner_id.id)
                & self._prm_live_certificate_domain(date)
            )
            .certification_id.ids
        )
        return {
            product: certifications
            for product, certifications in required.items()
            if not held & set(certifications.ids)
        }

    def _prm_training_check_products(self, products, date=None):
        """Raise a UserError naming each product whose category requires a
        certification none of this partner's people holds. The one check every
        selling flow calls (sale orders, portal orders)."""
        errors = []
        for partner in self.commercial_partner_id.filtered("prm_is_partner"):
            for product, certifications in partner._prm_training_missing(
                products, date
            ).items():
                errors.append(
                    self.env._(
                        "%(partner)s cannot sell %(product)s: one of its people must "
                        "hold a valid certificate of %(certifications)s.",
                        partner=partner.display_name,
                        product=product.display_name,
                        certifications=self.env._(" or ").join(
                            certifications.mapped("name")
                        ),
                    )
                )
        if errors:
            raise UserError("\n".join(errors))

    def _prm_training_certified_among(self, certifications, date=None):
        """The partners of this recordset (commercial partners) one of whose
        people holds a valid certificate of any of ``certifications``; every
        partner when ``certifications`` is empty. One grouped query."""
        if not certifications:
            return self
        date = date or fields.Date.context_today(self)
        groups = (
            self.env["prm.certificate"]
            .sudo()
            ._read_group(
                Domain("commercial_partner_id", "in", self.ids)
                & Domain("certification_id", "in", certifications.ids)
                & self._prm_live_certificate_domain(date),
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        holders = {partner.id for partner, _count in groups}
        return self.filtered(lambda p: p.id in holders)

    # --- Auto-enrolment of new representatives ---

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("prm_role_ids")._prm_training_auto_enrol()
        return partners

    def write(self, vals):
        before = (
            {partner.id: set(partner.prm_role_ids.ids) for partner in self}
            if "prm_role_ids" in vals
            else {}
        )
        result = super().write(vals)
        if before:
            changed = self.filtered(
                lambda p: set(p.prm_role_ids.ids) - before.get(p.id, set())
            )
            changed._prm_training_auto_enrol()
        return result

    def _prm_training_auto_enrol(self):
        """Enrol representatives in the courses of their roles that their
        partner's type and tier may follow (one search, one add per course)."""
        representatives = self.filtered(
            lambda p: p.parent_id and p.commercial_partner_id.prm_is_partner
        )
        if not representatives:
            return
        # sudo: enrolment follows the program roles whoever sets them.
        channels = (
            self.env["slide.channel"]
            .sudo()
            .search([("prm_auto_role_ids", "in", representatives.prm_role_ids.ids)])
        )
        for channel in channels:
            members = representatives.filtered(
                lambda p, c=channel: (
                    p.prm_role_ids & c.prm_auto_role_ids and c._prm_allows_partner(p)
                )
            )
            if members:
                channel._action_add_members(members)
