from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from ..tools.normalize import is_valid_vat

CRITERION_KINDS = [
    ("country", "Serves a country of the list"),
    ("revenue", "Minimum declared revenue"),
    ("headcount", "Minimum headcount"),
    ("partner_type", "Requested partner type"),
    ("website", "Website given"),
    ("vat", "Valid VAT number"),
]


class PrmApplicationCriterion(models.Model):
    """One automatic check run on every incoming partner application.

    The score of an application is the weight of the criteria it meets over the
    weight of all criteria; failing a mandatory criterion proposes rejection.
    """

    _name = "prm.application.criterion"
    _description = "Partner Application Criterion"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to check the applications of every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Currency of the minimum revenue: the company's.",
    )
    kind = fields.Selection(CRITERION_KINDS, required=True, default="country")
    country_ids = fields.Many2many(
        "res.country",
        "prm_application_criterion_country_rel",
        "criterion_id",
        "country_id",
        string="Countries",
        help="Met when the applicant serves (or is based in) one of these countries.",
    )
    min_revenue = fields.Monetary(string="Minimum revenue")
    min_headcount = fields.Integer(string="Minimum headcount")
    partner_type_ids = fields.Many2many(
        "prm.partner.type",
        "prm_application_criterion_partner_type_rel",
        "criterion_id",
        "partner_type_id",
        string="Partner types",
        help="Met when the applicant asks for one of these partner types.",
    )
    weight = fields.Integer(default=10, help="Share of this criterion in the score.")
    mandatory = fields.Boolean(
        help="An application failing a mandatory criterion is proposed for rejection "
        "whatever its score."
    )

    _weight_positive = models.Constraint(
        "CHECK(weight >= 0)", "The weight of a criterion cannot be negative."
    )
    _min_values_positive = models.Constraint(
        "CHECK(min_revenue >= 0 AND min_headcount >= 0)",
        "Minimum revenue and headcount cannot be negative.",
    )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for criterion in self:
            criterion.currency_id = (
                criterion.company_id or self.env.company
            ).currency_id

    @api.constrains("kind", "country_ids", "partner_type_ids")
    def _check_kind_values(self):
        for criterion in self:
            if criterion.kind == "country" and not criterion.country_ids:
                raise ValidationError(
                    self.env._(
                        "Criterion %(name)s: list the countries an applicant must serve.",
                        name=criterion.name,
                    )
                )
            if criterion.kind == "partner_type" and not criterion.partner_type_ids:
                raise ValidationError(
                    self.env._(
                        "Criterion %(name)s: list the accepted partner types.",
                        name=criterion.name,
                    )
                )

    # --- Business ---

    def _prm_evaluate(self, application):
        """``(passed, detail)`` of this criterion for one application; pure
        Python on prefetched values, so a batch costs no query per record."""
        self.ensure_one()
        method = getattr(self, f"_prm_evaluate_{self.kind}")
        return method(application)

    def _prm_evaluate_country(self, application):
        served = application.country_ids or application.country_id
        hits = served & self.country_ids
        if hits:
            return True, self.env._(
                "Serves %(countries)s", countries=", ".join(hits.mapped("name"))
            )
        return False, self.env._(
            "Serves none of %(countries)s",
            countries=", ".join(self.country_ids.mapped("name")),
        )

    def _prm_evaluate_revenue(self, application):
        currency = application.currency_id
        passed = (
            float_compare(
                application.declared_revenue,
                self.min_revenue,
                precision_rounding=currency.rounding,
            )
            >= 0
        )
        return passed, self.env._(
            "Declared %(declared)s, minimum %(minimum)s",
            declared=currency.format(application.declared_revenue),
            minimum=currency.format(self.min_revenue),
        )

    def _prm_evaluate_headcount(self, application):
        return application.headcount >= self.min_headcount, self.env._(
            "%(count)s employees, minimum %(minimum)s",
            count=application.headcount,
            minimum=self.min_headcount,
        )

    def _prm_evaluate_partner_type(self, application):
        requested = application.partner_type_id
        if requested and requested in self.partner_type_ids:
            return True, requested.name
        return False, self.env._(
            "%(requested)s is not one of %(types)s",
            requested=requested.name or self.env._("No partner type"),
            types=", ".join(self.partner_type_ids.mapped("name")),
        )

    def _prm_evaluate_website(self, application):
        if application.website:
            return True, application.website
        return False, self.env._("No website given")

    def _prm_evaluate_vat(self, application):
        if not application.vat:
            return False, self.env._("No VAT number given")
        valid = is_valid_vat(application.vat, application.country_id.code)
        if valid is False:
            return False, self.env._("%(vat)s is not valid", vat=application.vat)
        if valid is None:
            # No validator for that country: a given number is the best we have.
            return True, self.env._(
                "%(vat)s (format not checked for this country)", vat=application.vat
            )
        return True, application.vat
