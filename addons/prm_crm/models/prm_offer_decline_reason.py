from odoo import fields, models


class PrmOfferDeclineReason(models.Model):
    """Why a partner turns down a routed lead (reported to channel managers)."""

    _name = "prm.offer.decline.reason"
    _description = "Offer Decline Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    note_required = fields.Boolean(
        string="Explanation required",
        help="Partners must explain their decline in a note (e.g. 'Other').",
    )
