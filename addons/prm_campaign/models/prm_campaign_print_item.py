from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

QUOTA_PERIODS = [
    ("kit", "Kit period"),
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
]


class PrmCampaignPrintItem(models.Model):
    """Printed material of a kit (flyers, posters) partners order for free,
    up to a quota per partner and period; more needs their channel manager's
    approval."""

    _name = "prm.campaign.print.item"
    _description = "Campaign Printed Material"
    _order = "kit_id, sequence, id"

    kit_id = fields.Many2one(
        "prm.campaign.kit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="kit_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        ondelete="restrict",
        domain=[("type", "=", "consu")],
        help="The goods shipped (delivered from stock when Inventory is installed).",
    )
    asset_id = fields.Many2one(
        "prm.campaign.asset",
        string="Printed file",
        domain="[('kit_id', '=', kit_id)]",
        help="The co-branded file printed for the partner.",
    )
    quota = fields.Integer(
        string="Quota per partner",
        default=100,
        help="Quantity a partner orders per period without approval; 0: every "
        "order needs approval.",
    )
    quota_period = fields.Selection(
        QUOTA_PERIODS, string="Quota period", default="kit", required=True
    )

    _quota_positive = models.Constraint(
        "CHECK(quota >= 0)", "A quota cannot be negative."
    )

    @api.constrains("product_id")
    def _check_product(self):
        for item in self:
            if item.product_id.type != "consu":
                raise ValidationError(
                    self.env._(
                        "%(item)s: printed material is goods (a product of type "
                        "Goods).",
                        item=item.name,
                    )
                )

    def _prm_period(self, day):
        """(first day, last day) of the quota period holding ``day``."""
        self.ensure_one()
        if self.quota_period == "month":
            start = day.replace(day=1)
            return start, start + relativedelta(months=1, days=-1)
        if self.quota_period == "quarter":
            start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
            return start, start + relativedelta(months=3, days=-1)
        if self.quota_period == "year":
            return day.replace(month=1, day=1), day.replace(month=12, day=31)
        return self.kit_id.date_start, self.kit_id.date_end or fields.Date.max

    def _prm_used(self, partner, day=None):
        """{item id: quantity} ``partner`` ordered (approved or waiting) in the
        period holding ``day``, in one grouped query."""
        day = day or fields.Date.context_today(self)
        counts = dict.fromkeys(self.ids, 0)
        if not self:
            return counts
        periods = {item.id: item._prm_period(day) for item in self}
        first = min(period[0] for period in periods.values())
        last = max(period[1] for period in periods.values())
        groups = (
            self.env["prm.campaign.print.order"]
            .sudo()
            ._read_group(
                [
                    ("item_id", "in", self.ids),
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "in", ("to_approve", "confirmed")),
                    ("date", ">=", first),
                    ("date", "<=", last),
                ],
                ["item_id", "date:day"],
                ["quantity:sum"],
            )
        )
        for item, day_ordered, quantity in groups:
            start, end = periods[item.id]
            if start <= day_ordered <= end:
                counts[item.id] += quantity
        return counts

    def _prm_remaining(self, partner, day=None):
        """{item id: quantity left in the quota} (None: every order needs
        approval)."""
        used = self._prm_used(partner, day)
        return {
            item.id: max(item.quota - used[item.id], 0) if item.quota else None
            for item in self
        }
