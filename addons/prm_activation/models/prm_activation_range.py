from odoo import api, fields, models
from odoo.exceptions import UserError


class PrmActivationRange(models.Model):
    """Codes ``serial_from``-``serial_to`` of a batch handed to one partner,
    by hand or by a sales order of the card product."""

    _name = "prm.activation.range"
    _description = "Activation Code Range"
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name")
    batch_id = fields.Many2one(
        "prm.activation.batch", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(related="batch_id.product_id")
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="restrict"
    )
    serial_from = fields.Integer(required=True)
    serial_to = fields.Integer(required=True)
    quantity = fields.Integer(compute="_compute_quantity", store=True)
    date = fields.Date(
        string="Assigned on", required=True, default=fields.Date.context_today
    )
    sale_order_id = fields.Many2one(
        "sale.order", index="btree_not_null", ondelete="set null", readonly=True
    )
    activated_count = fields.Integer(compute="_compute_counts")
    voided_count = fields.Integer(compute="_compute_counts")
    remaining_count = fields.Integer(compute="_compute_counts")

    _serials_ordered = models.Constraint(
        "CHECK(serial_from >= 1 AND serial_to >= serial_from)",
        "A range starts at serial 1 or later and ends after it starts.",
    )

    @api.depends("batch_id.name", "serial_from", "serial_to")
    def _compute_name(self):
        for arange in self:
            arange.name = (
                f"{arange.batch_id.name} {arange.serial_from}-{arange.serial_to}"
            )

    @api.depends("serial_from", "serial_to")
    def _compute_quantity(self):
        for arange in self:
            arange.quantity = arange.serial_to - arange.serial_from + 1

    def _compute_counts(self):
        counts = {
            (arange.id, state): count
            for arange, state, count in self.env["prm.activation.code"]
            .sudo()
            ._read_group(
                [("range_id", "in", self.ids)], ["range_id", "state"], ["__count"]
            )
        }
        for arange in self:
            arange.activated_count = counts.get((arange.id, "activated"), 0)
            arange.voided_count = counts.get((arange.id, "voided"), 0) + counts.get(
                (arange.id, "expired"), 0
            )
            arange.remaining_count = counts.get((arange.id, "assigned"), 0)

    def write(self, vals):
        if set(vals) - {"date"}:
            raise UserError(
                self.env._(
                    "A range is assigned or voided with the batch's buttons; it is "
                    "never edited."
                )
            )
        return super().write(vals)

    def action_void(self):
        """Void the codes of this range that are not activated (lost cards)."""
        for arange in self:
            arange.batch_id._check_manager()
            arange.batch_id._prm_void_serials(arange.serial_from, arange.serial_to)
        return True
