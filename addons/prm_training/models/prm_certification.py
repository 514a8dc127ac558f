from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PrmCertification(models.Model):
    """A certification path: the courses to follow, the exam that proves it and
    how long the certificate it earns stays valid."""

    _name = "prm.certification"
    _description = "Partner Certification"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Short code printed on certificates, e.g. CHEM-STOR."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Html(translate=True)

    # --- Who it is for (empty: everyone) ---
    partner_type_ids = fields.Many2many(
        "prm.partner.type", string="Partner types", help="Empty: every type."
    )
    tier_ids = fields.Many2many("prm.tier", string="Tiers", help="Empty: every tier.")
    role_ids = fields.Many2many(
        "prm.role",
        string="Roles",
        help="Representatives with these program roles are expected to hold it; "
        "empty: every representative.",
    )

    # --- What to do ---
    channel_ids = fields.Many2many(
        "slide.channel",
        "prm_certification_slide_channel_rel",
        string="Courses",
        help="eLearning courses to complete before the exam.",
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Certification exam",
        required=True,
        domain=[("certification", "=", True)],
        help="A survey with certification on; passing it issues the certificate.",
    )
    renewal_survey_id = fields.Many2one(
        "survey.survey",
        string="Renewal exam",
        domain=[("certification", "=", True)],
        help="Shorter exam renewing a certificate that is still valid or expiring; "
        "empty: the certification exam renews too.",
    )
    validity_months = fields.Integer(
        string="Validity (months)",
        default=24,
        required=True,
        help="A certificate expires this many months after it is issued or renewed.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        "prm_certification_product_category_rel",
        "certification_id",
        "categ_id",
        string="Unlocked product categories",
        help="Partners sell products of these categories (and their "
        "subcategories) only when one of their people holds this certification.",
    )
    certificate_ids = fields.One2many(
        "prm.certificate", "certification_id", string="Certificates"
    )
    certificate_count = fields.Integer(compute="_compute_certificate_count")

    _code_uniq = models.Constraint(
        "UNIQUE(code, company_id)", "Another certification already uses this code."
    )
    _validity_positive = models.Constraint(
        "CHECK(validity_months BETWEEN 1 AND 240)",
        "The validity of a certification is from 1 to 240 months.",
    )

    # --- Compute ---

    def _compute_certificate_count(self):
        counts = dict(
            self.env["prm.certificate"]._read_group(
                [("certification_id", "in", self.ids), ("state", "!=", "revoked")],
                ["certification_id"],
                ["__count"],
            )
        )
        for certification in self:
            certification.certificate_count = counts.get(certification, 0)

    # --- Constraints ---

    @api.constrains("survey_id", "renewal_survey_id")
    def _check_surveys(self):
        for certification in self:
            surveys = certification.survey_id | certification.renewal_survey_id
            if any(not survey.certification for survey in surveys):
                raise ValidationError(
                    self.env._(
                        "The exams of certification %(name)s must be surveys with "
                        "certification on.",
                        name=certification.display_name,
                    )
                )
            if certification.survey_id == certification.renewal_survey_id:
                raise ValidationError(
                    self.env._(
                        "The renewal exam of certification %(name)s must differ "
                        "from its certification exam (leave it empty to renew "
                        "with the same exam).",
                        name=certification.display_name,
                    )
                )

    # --- Actions ---

    def action_view_certificates(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_training.action_prm_certificate"
        )
        action["domain"] = [("certification_id", "=", self.id)]
        action["context"] = {"default_certification_id": self.id}
        return action

    # --- Business ---

    def _prm_applies_to(self, partner):
        """Whether this certification is meant for the program partner
        ``partner`` (its type and tier)."""
        self.ensure_one()
        return (
            not self.partner_type_ids
            or partner.prm_partner_type_id in self.partner_type_ids
        ) and (not self.tier_ids or partner.prm_tier_id in self.tier_ids)

    @api.model
    def _prm_for_surveys(self, surveys):
        """{survey: (certifications it certifies, certifications it renews)}."""
        certifications = self.sudo().search(
            [
                "|",
                ("survey_id", "in", surveys.ids),
                ("renewal_survey_id", "in", surveys.ids),
            ]
        )
        result = {}
        for survey in surveys:
            result[survey] = (
                certifications.filtered(lambda c, s=survey: c.survey_id == s),
                certifications.filtered(lambda c, s=survey: c.renewal_survey_id == s),
            )
        return result
