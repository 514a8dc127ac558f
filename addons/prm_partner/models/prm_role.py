from odoo import fields, models


class PrmRole(models.Model):
    """What a contact does for its partner company in the program
    (Admin, Sales, Technical, Finance, Marketing...)."""

    _name = "prm.role"
    _description = "Partner Representative Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short technical code, stable across translations (used in imports, "
        "integrations and portal rights)."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another representative role already uses this code."
    )
