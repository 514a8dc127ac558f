from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

ORDER_STATES = [
    ("to_approve", "To approve"),
    ("confirmed", "Ordered"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# A partner orders at most this many copies at once.
MAX_QUANTITY = 100000


class PrmCampaignPrintOrder(models.Model):
    """A partner's order of a kit's printed material: within its quota it
    becomes at once a confirmed zero-priced sale order shipped to the
    partner; beyond it waits for the channel manager's approval."""

    _name = "prm.campaign.print.order"
    _description = "Printed Material Order"
    _inherit = ["prm.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(readonly=True, default="/", copy=False)
    activation_id = fields.Many2one(
        "prm.campaign.activation", required=True, ondelete="restrict", index=True
    )
    partner_id = fields.Many2one(
        related="activation_id.partner_id", store=True, index=True
    )
    kit_id = fields.Many2one(related="activation_id.kit_id", store=True)
    company_id = fields.Many2one(
        related="activation_id.company_id", store=True, index=True
    )
    item_id = fields.Many2one(
        "prm.campaign.print.item",
        string="Printed material",
        required=True,
        ondelete="restrict",
        domain="[('kit_id', '=', kit_id)]",
    )
    quantity = fields.Integer(required=True, default=1)
    date = fields.Date(
        default=fields.Date.context_today, required=True, readonly=True, index=True
    )
    ordered_by_id = fields.Many2one("res.users", string="Ordered by", readonly=True)
    state = fields.Selection(
        ORDER_STATES, default="to_approve", required=True, readonly=True, tracking=True
    )
    over_quota = fields.Boolean(
        readonly=True, help="The order exceeded the partner's quota when placed."
    )
    approved_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    approved_date = fields.Datetime(string="Decided on", readonly=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Sale order", readonly=True, ondelete="set null"
    )
    shipped_date = fields.Datetime(string="Shipped on", readonly=True)
    delivery_state = fields.Selection(
        [
            ("waiting", "Not ordered yet"),
            ("to_ship", "To ship"),
            ("partial", "Partly shipped"),
            ("shipped", "Shipped"),
            ("none", "Not shipped"),
        ],
        string="Delivery",
        compute="_compute_delivery_state",
    )

    delivery_tracked = fields.Boolean(
        compute="_compute_delivery_state",
        help="Inventory tracks the delivery of the sale order.",
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "Order at least one copy."
    )

    # --- Compute ---

    @api.depends("state", "sale_order_id", "shipped_date")
    def _compute_delivery_state(self):
        """From the sale order's delivery when Inventory tracks it
        (``delivery_status`` of sale_stock), else from *Mark as shipped*."""
        tracked = "delivery_status" in self.env["sale.order"]._fields
        for order in self:
            order.delivery_tracked = tracked
            if order.state in ("rejected", "cancelled"):
                order.delivery_state = "none"
            elif order.state == "to_approve" or not order.sale_order_id:
                order.delivery_state = "waiting"
            elif order.shipped_date:
                order.delivery_state = "shipped"
            elif tracked:
                status = order.sale_order_id.sudo().delivery_status
                order.delivery_state = {
                    "full": "shipped",
                    "partial": "partial",
                    "started": "partial",
                }.get(status, "to_ship")
            else:
                order.delivery_state = "to_ship"

    # --- CRUD ---

    def _prm_guarded_fields(self):
        decide = self.env._("Approve or Reject")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(decide, ("to_approve",)),
            "over_quota": Guard(self.env._("Order")),
            "ordered_by_id": Guard(self.env._("Order")),
            "approved_by_id": Guard(decide),
            "approved_date": Guard(decide),
            "sale_order_id": Guard(decide),
            "shipped_date": Guard(self.env._("Mark as shipped")),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        for vals in vals_list:
            quantity = vals.get("quantity", 1)
            if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
                raise ValidationError(
                    self.env._("Order from 1 to %(max)s copies.", max=MAX_QUANTITY)
                )
        orders = super().create(vals_list)
        for order in orders:
            if order.item_id.kit_id != order.activation_id.kit_id:
                raise ValidationError(
                    self.env._(
                        "%(item)s is not printed material of %(kit)s.",
                        item=order.item_id.name,
                        kit=order.activation_id.kit_id.name,
                    )
                )
        orders.sudo()._prm_place()
        return orders

    def write(self, vals):
        if {"activation_id", "item_id", "quantity"} & vals.keys() and not self.env.su:
            raise UserError(
                self.env._("A placed order does not change: cancel it and order again.")
            )
        return super().write(vals)

    # --- Business ---

    def _prm_place(self):
        """Number the new orders, decide whether they fit the quota and
        confirm those that do (superuser: called by create)."""
        for order in self:
            # Two orders of one partner at once would both fit: the partner's
            # activation row serialises them.
            try:
                order.activation_id.lock_for_update()
            except LockError as error:
                raise UserError(
                    self.env._(
                        "Another order of %(partner)s is being placed: try again "
                        "in a moment.",
                        partner=order.partner_id.name,
                    )
                ) from error
            item = order.item_id
            # The new order is counted in what the partner used already.
            used = item._prm_used(order.partner_id, order.date)[item.id]
            fits = bool(item.quota) and used <= item.quota
            order.write(
                {
                    "name": self.env["ir.sequence"].next_by_code(
                        "prm.campaign.print.order"
                    )
                    or "/",
                    "ordered_by_id": self.env.uid,
                    "over_quota": not fits,
                }
            )
            if fits:
                order._prm_confirm()
            else:
                order._prm_ask_approval()

    def _prm_ask_approval(self):
        for order in self:
            manager = order.partner_id.prm_manager_id
            if manager:
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._(
                        "Approve %(quantity)s × %(item)s for %(partner)s (over quota)",
                        quantity=order.quantity,
                        item=order.item_id.name,
                        partner=order.partner_id.name,
                    ),
                )

    def _prepare_sale_order_vals(self):
        self.ensure_one()
        partner = self.partner_id
        return {
            "partner_id": partner.id,
            "partner_invoice_id": partner.id,
            "partner_shipping_id": partner.address_get(["delivery"])["delivery"],
            "company_id": self.company_id.id,
            "prm_partner_id": partner.id,
            "user_id": partner.prm_manager_id.id,
            "origin": self.name,
            "client_order_ref": self.name,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.item_id.product_id.id,
                        "name": self.item_id.name,
                        "product_uom_qty": self.quantity,
                        "price_unit": 0.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }

    def _prm_confirm(self):
        """Create and confirm the zero-priced sale order (superuser)."""
        for order in self:
            sale_order = (
                self.env["sale.order"]
                .sudo()
                .with_company(order.company_id)
                .create(order._prepare_sale_order_vals())
            )
            sale_order.action_confirm()
            order.write({"state": "confirmed", "sale_order_id": sale_order.id})
            order._message_log(
                body=Markup("<p>%s</p>")
                % self.env._("Sale order %(name)s confirmed.", name=sale_order.name)
            )

    def _prm_check_manager(self):
        """The partner's channel manager or a program administrator decides."""
        self.check_access("write")
        user = self.env.user
        if user.has_group("prm_partner.group_prm_manager"):
            return
        if any(order.partner_id.prm_manager_id != user for order in self):
            raise AccessError(
                self.env._(
                    "Only the partner's channel manager or a program administrator "
                    "decides on its printed-material orders."
                )
            )

    def _prm_check_state(self, states):
        wrong = self.filtered(lambda order: order.state not in states)
        if wrong:
            raise UserError(
                self.env._(
                    "%(order)s is %(state)s: this action does not apply to it.",
                    order=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        wrong[0].state
                    ],
                )
            )

    # --- Actions ---

    def action_approve(self):
        self._prm_check_manager()
        self._prm_check_state(("to_approve",))
        orders = self.sudo()
        orders.write(
            {"approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()}
        )
        orders._prm_confirm()
        orders.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_reject(self):
        self._prm_check_manager()
        self._prm_check_state(("to_approve",))
        orders = self.sudo()
        orders.write(
            {
                "state": "rejected",
                "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        orders.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        """Cancel an order not shipped yet (and its sale order)."""
        self._prm_check_manager()
        self._prm_check_state(("to_approve", "confirmed"))
        if any(order.delivery_state in ("partial", "shipped") for order in self):
            raise UserError(self.env._("A shipped order cannot be cancelled."))
        orders = self.sudo()
        orders.sale_order_id._action_cancel()
        orders.write({"state": "cancelled"})
        return True

    def action_mark_shipped(self):
        """Without Inventory, the channel manager says when it left."""
        self._prm_check_manager()
        self._prm_check_state(("confirmed",))
        if any(order.delivery_state == "shipped" for order in self):
            raise UserError(self.env._("The order was shipped already."))
        self.sudo()._prm_set_shipped()
        return True

    def _prm_set_shipped(self):
        self.write({"shipped_date": fields.Datetime.now()})
