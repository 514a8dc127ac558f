from odoo import api, fields, models


class PrmAgreementType(models.Model):
    """Kind of agreement signed with partners (reseller, distribution, NDA...).

    A partner has at most one active agreement of each type.
    """

    _name = "prm.agreement.type"
    _description = "Partner Agreement Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short technical code, stable across translations (used in imports "
        "and integrations)."
    )
    sequence = fields.Integer(
        default=10,
        help="When several active agreements carry a pricelist, the first type wins.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    renewal_months = fields.Integer(
        string="Default renewal term (months)",
        default=12,
        help="Renewal term proposed on new agreements of this type.",
    )
    portal_acceptance = fields.Boolean(
        string="Accepted online",
        help="The partner accepts agreements of this type on its portal with "
        "a signature (name, date and signature are kept on the agreement).",
    )
    agreement_count = fields.Integer(compute="_compute_agreement_count")

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another agreement type already uses this code."
    )
    _renewal_months_positive = models.Constraint(
        "CHECK(renewal_months >= 0)", "The renewal term cannot be negative."
    )

    @api.depends_context("company")
    def _compute_agreement_count(self):
        counts = dict(
            self.env["prm.agreement"]._read_group(
                [("type_id", "in", self.ids), ("state", "=", "active")],
                ["type_id"],
                ["__count"],
            )
        )
        for agreement_type in self:
            agreement_type.agreement_count = counts.get(agreement_type, 0)
