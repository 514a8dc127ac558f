from odoo import fields, models
from odoo.exceptions import ValidationError


class PrmActivationRangeWizard(models.TransientModel):
    """Assign a serial range of a batch to a partner, or void one (stolen or
    lost cards) in one action."""

    _name = "prm.activation.range.wizard"
    _description = "Assign or Void Activation Codes"

    batch_id = fields.Many2one("prm.activation.batch", required=True, readonly=True)
    operation = fields.Selection(
        [("assign", "Assign to a partner"), ("void", "Void")],
        required=True,
        default="assign",
    )
    partner_id = fields.Many2one("res.partner", domain=[("prm_is_partner", "=", True)])
    serial_from = fields.Integer(required=True, default=1)
    serial_to = fields.Integer(required=True, default=1)
    include_activated = fields.Boolean(
        string="Void activated codes too",
        help="Their activations stop counting and what they earned the partner "
        "is clawed back.",
    )

    def action_confirm(self):
        self.ensure_one()
        batch = self.batch_id
        batch._check_manager()
        if self.operation == "assign":
            if not self.partner_id:
                raise ValidationError(self.env._("Choose the partner the codes go to."))
            batch._prm_assign_serials(self.partner_id, self.serial_from, self.serial_to)
        else:
            batch._prm_void_serials(
                self.serial_from,
                self.serial_to,
                include_activated=self.include_activated,
            )
        return {"type": "ir.actions.act_window_close"}
