from collections import defaultdict

from markupsafe import Markup, escape

from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    prm_committed_date = fields.Date(
        string="Committed date",
        copy=False,
        help="Date you promise the customer for this line. The customer is "
        "told (email and portal message) each time it changes.",
    )

    def write(self, vals):
        if "prm_committed_date" not in vals:
            return super().write(vals)
        before = {line.id: line.prm_committed_date for line in self}
        result = super().write(vals)
        changed = self.filtered(
            lambda line: (
                line.prm_committed_date != before[line.id]
                and line.prm_committed_date
                and not line.display_type
            )
        )
        changed._prm_notify_committed_dates(before)
        return result

    def _prm_notify_committed_dates(self, before):
        """Tell each order's customer once about the lines whose promised date
        moved: one message per order and write, none when nothing changed."""
        by_order = defaultdict(self.browse)
        for line in self:
            by_order[line.order_id] |= line
        for order, lines in by_order.items():
            if order.state == "cancel":
                continue
            items = Markup("").join(
                Markup("<li>%s: %s → %s</li>")
                % (
                    escape(line.product_id.display_name or line.name),
                    fields.Date.to_string(before[line.id]) or "—",
                    fields.Date.to_string(line.prm_committed_date),
                )
                for line in lines
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("The delivery date we committed to has changed:"),
                items,
            )
            # sudo: salespeople may change dates on orders they cannot post on
            # as the customer's follower; the message only reaches the customer.
            order.sudo().message_post(
                body=body,
                subject=self.env._("%(order)s: new delivery date", order=order.name),
                partner_ids=order.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
