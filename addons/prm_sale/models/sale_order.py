from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """The channel partner of an order, and the launches that restrict who may
    sell what."""

    _inherit = "sale.order"

    prm_partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        tracking=True,
        index=True,
        domain=[("prm_is_partner", "=", True)],
        help="Channel partner that brought or resold this sale; invoices inherit it.",
    )
    prm_requested_date = fields.Date(
        string="Requested delivery date",
        copy=False,
        help="Delivery date the partner asked for when ordering on the portal.",
    )
    prm_portal_order = fields.Boolean(
        string="Partner quick order",
        copy=False,
        readonly=True,
        help="Placed by the partner on the portal quick order page.",
    )

    # --- Invoicing ---

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        # The customer itself is never its own channel partner (see account.move).
        if (
            self.prm_partner_id
            and self.prm_partner_id != self.partner_id.commercial_partner_id
        ):
            vals["prm_partner_id"] = self.prm_partner_id.id
        return vals

    # --- Exclusive launches: only the selected partners sell launched products ---

    def action_confirm(self):
        # Before super(): a refused order must not be half-confirmed, and a
        # batch stops as a whole.
        self._prm_check_launch_restrictions()
        return super().action_confirm()

    def _prm_launch_channel(self):
        """The partner selling this order: the customer itself when it is a
        program partner (resale), else the order's channel partner; empty for
        a direct sale."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if customer.prm_is_partner:
            return customer
        return self.prm_partner_id

    def _prm_check_launch_restrictions(self, date=None):
        """Refuse orders selling products of an active launch through a
        channel that was not selected for it (or directly, unless allowed)."""
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        products = orders.order_line.product_id
        if not products:
            return
        date = date or fields.Date.context_today(self)
        # Salespeople cannot read launches; the check must see them all.
        launch_sudo = self.env["prm.launch"].sudo()
        launches_by_product = launch_sudo._prm_launches_by_product(
            products, date=date, company=orders.company_id
        )
        if not launches_by_product:
            return
        errors = [
            error
            for order in orders
            if (error := order._prm_launch_error(launches_by_product))
        ]
        if errors:
            raise UserError("\n\n".join(errors))

    def _prm_launch_error(self, launches_by_product):
        """The reason this order may not be confirmed, or ``None``."""
        self.ensure_one()
        channel = self._prm_launch_channel()
        blocked = defaultdict(lambda: self.env["product.product"])
        for product in self.order_line.product_id:
            launches = launches_by_product.get(product.id)
            if not launches:
                continue
            launches = launches.filtered(
                lambda launch: launch.company_id == self.company_id
            )
            if not launches:
                continue
            if channel:
                allowed = channel in launches.partner_ids
            else:
                allowed = any(launches.mapped("allow_direct_sales"))
            if not allowed:
                blocked[launches] |= product
        if not blocked:
            return None
        messages = []
        for launches, products in blocked.items():
            values = {
                "order": self.name,
                "products": ", ".join(products.mapped("display_name")),
                "launch": ", ".join(launches.mapped("name")),
            }
            if channel:
                messages.append(
                    self.env._(
                        "%(order)s cannot be confirmed: %(products)s can only be "
                        "sold through the partners selected for the launch "
                        "%(launch)s, and %(partner)s is not one of them.",
                        partner=channel.display_name,
                        **values,
                    )
                )
            else:
                messages.append(
                    self.env._(
                        "%(order)s cannot be confirmed: %(products)s can only be "
                        "sold through the partners selected for the launch "
                        "%(launch)s, and this order has no channel partner. Set "
                        "the channel partner, or allow direct sales on the launch.",
                        **values,
                    )
                )
        return "\n".join(messages)
