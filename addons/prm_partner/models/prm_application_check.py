from odoo import fields, models


class PrmApplicationCheck(models.Model):
    """Result of one criterion on one application, kept for the reviewer."""

    _name = "prm.application.check"
    _description = "Partner Application Check Result"
    _order = "application_id, sequence, id"

    application_id = fields.Many2one(
        "prm.application", required=True, index=True, ondelete="cascade"
    )
    criterion_id = fields.Many2one(
        "prm.application.criterion", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    name = fields.Char(related="criterion_id.name")
    kind = fields.Selection(related="criterion_id.kind")
    mandatory = fields.Boolean()
    weight = fields.Integer()
    passed = fields.Boolean(index=True)
    detail = fields.Char()
