from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

INSTALLATION_STATES = [
    ("new", "New"),
    ("planned", "Planned"),
    ("done", "Done"),
    ("failed", "Failed"),
]
SLOTS = [
    ("morning", "Morning"),
    ("afternoon", "Afternoon"),
    ("evening", "Evening"),
]


class PrmInstallation(models.Model):
    """An installation of a delivered kit at a partner's end customer: filed
    by the partner on the portal, planned and closed by the vendor's team,
    then rated by the partner."""

    _name = "prm.installation"
    _description = "Installation Request"
    _inherit = [
        "portal.mixin",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "prm.guarded.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain=[("prm_is_partner", "=", True)],
        help="The channel partner whose kit is installed.",
    )
    requested_by_id = fields.Many2one(
        "res.partner",
        string="Requested by",
        help="The partner's contact who filed the request; rates the job.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial number",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    product_id = fields.Many2one(
        related="lot_id.product_id", store=True, string="Product", index=True
    )
    customer_name = fields.Char(string="End customer", required=True)
    customer_street = fields.Char(string="Street", required=True)
    customer_zip = fields.Char(string="ZIP")
    customer_city = fields.Char(string="City", required=True)
    customer_phone = fields.Char(string="Phone", required=True)
    preferred_date = fields.Date(string="Preferred date", required=True)
    preferred_slot = fields.Selection(SLOTS, string="Preferred slot")
    note = fields.Text(string="Notes for the technician")
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        tracking=True,
        domain=[("share", "=", False)],
    )
    planned_date = fields.Datetime(string="Planned for", tracking=True)
    state = fields.Selection(
        INSTALLATION_STATES,
        string="Status",
        default="new",
        required=True,
        index=True,
        copy=False,
        tracking=True,
    )
    failure_reason = fields.Text(
        string="Failure reason",
        tracking=True,
        help="Why the installation failed; required to mark it failed.",
    )
    date_done = fields.Datetime(string="Closed on", readonly=True, copy=False)

    # A kit serial is installed once at a time: a new request waits until the
    # open one is done or failed. Enforced by the database (concurrent portals).
    _one_open_per_serial = models.UniqueIndex(
        "(lot_id) WHERE state IN ('new', 'planned')",
        "This serial number already has an open installation request.",
    )

    # --- Constraints ---

    @api.constrains("lot_id", "partner_id")
    def _check_lot_delivered(self):
        for installation in self:
            delivered = self.env["stock.lot"]._prm_delivered_lots(
                installation.partner_id
            )
            if installation.lot_id not in delivered:
                raise ValidationError(
                    self.env._(
                        "The serial number %(serial)s was not delivered to "
                        "%(partner)s: an installation can only be requested for "
                        "equipment you received.",
                        serial=installation.lot_id.name,
                        partner=installation.partner_id.display_name,
                    )
                )

    def _prm_check_serials_free(self, lot_ids):
        """Refuse opening a request on a serial that already has an open one,
        with a readable message (before the unique index, which still holds
        against two requests at the same moment, answers with a bare error)."""
        busy = self.sudo().search(
            [
                ("lot_id", "in", list(lot_ids)),
                ("state", "in", ("new", "planned")),
                ("id", "not in", self.ids),
            ],
            limit=1,
        )
        if busy:
            raise ValidationError(
                self.env._(
                    "The serial number %(serial)s already has an open installation "
                    "request (%(name)s).",
                    serial=busy.lot_id.name,
                    name=busy.name,
                )
            )

    # --- ORM ---

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        # Pending status changes reach the database before the unique index
        # judges the new rows.
        self.flush_model(["state"])
        lot_ids = [
            vals["lot_id"]
            for vals in vals_list
            if vals.get("lot_id") and vals.get("state", "new") in ("new", "planned")
        ]
        if len(set(lot_ids)) < len(lot_ids):
            raise ValidationError(
                self.env._("Each serial number can be requested only once at a time.")
            )
        self.browse()._prm_check_serials_free(set(lot_ids))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("prm.installation")
                    or "/"
                )
        return super().create(vals_list)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for installation in self:
            installation.access_url = f"/my/installations/{installation.id}"
        return result

    def _rating_get_partner(self):
        return self.requested_by_id or self.partner_id

    def _prm_guarded_fields(self):
        action = self.env._("Plan, Done, Failed or Reset")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(action, ("new",)),
            "date_done": Guard(action),
        }

    # --- Actions ---

    def action_plan(self):
        for installation in self:
            if installation.state not in ("new", "planned"):
                raise UserError(
                    self.env._(
                        "%(name)s is closed; reset it to plan it again.",
                        name=installation.name,
                    )
                )
            if not installation.user_id or not installation.planned_date:
                raise UserError(
                    self.env._(
                        "Choose the technician and the date of %(name)s before "
                        "planning it.",
                        name=installation.name,
                    )
                )
        self._prm_write_state({"state": "planned"})
        return True

    def action_done(self):
        self._prm_check_state("planned")
        self._prm_write_state({"state": "done", "date_done": fields.Datetime.now()})
        return True

    def action_fail(self):
        self._prm_check_state("planned")
        for installation in self:
            if not (installation.failure_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Write why %(name)s failed (Failure reason) before marking "
                        "it failed.",
                        name=installation.name,
                    )
                )
        self._prm_write_state({"state": "failed", "date_done": fields.Datetime.now()})
        return True

    def action_reset(self):
        self._prm_check_state("failed")
        self._prm_check_serials_free(set(self.lot_id.ids))
        self._prm_write_state({"state": "new", "date_done": False})
        return True

    # --- Business ---

    def _prm_check_state(self, state):
        wrong = self.filtered(lambda i: i.state != state)
        if wrong:
            raise UserError(
                self.env._(
                    "This action needs installation requests in the status "
                    "%(state)s: %(names)s.",
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        state
                    ],
                    names=", ".join(wrong.mapped("name")),
                )
            )

    def _prm_write_state(self, vals):
        """The status moves through its buttons only: the caller must be
        allowed to edit these requests."""
        self.check_access("write")
        self.sudo().write(vals)
        self._prm_notify_partner()

    def _prm_notify_partner(self):
        for installation in self:
            state = dict(self._fields["state"]._description_selection(self.env))[
                installation.state
            ]
            installation.sudo().message_post(
                body=self.env._(
                    "Installation %(name)s: %(state)s.",
                    name=installation.name,
                    state=state,
                ),
                partner_ids=installation._rating_get_partner().ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    @api.model
    def _prm_requestable_lots(self, partner):
        """Serials ``partner``'s company received and that have no open
        installation request: what its portal users may choose."""
        delivered = self.env["stock.lot"]._prm_delivered_lots(partner)
        busy = (
            self.sudo()
            .search(
                [("lot_id", "in", delivered.ids), ("state", "in", ("new", "planned"))]
            )
            .lot_id
        )
        return (delivered - busy).sorted("name")

    def _prm_rating_of(self, partner):
        """The rating ``partner`` gave this request, if any (sudo)."""
        self.ensure_one()
        return self.sudo().rating_ids.filtered(
            lambda r: r.consumed and r.partner_id == partner
        )[:1]

    # --- Demo ---

    @api.model
    def _prm_load_demo(self):
        """Northwind's kits: serials with their components in stock, a
        delivered order, an order waiting for delivery, and installation
        requests in every status (demo data only)."""
        env = self.env
        Product = env["product.product"]
        if Product.search_count([("default_code", "=", "PRM-TVKIT")]):
            return self
        serial = {"type": "consu", "is_storable": True, "tracking": "serial"}
        stb, card = Product.create(
            [
                {
                    "name": "Set-top box 4K",
                    "default_code": "PRM-STB4K",
                    "list_price": 120.0,
                    "sale_ok": False,
                    **serial,
                },
                {
                    "name": "Smart card",
                    "default_code": "PRM-CARD",
                    "list_price": 15.0,
                    "sale_ok": False,
                    **serial,
                },
            ]
        )
        kit = Product.create(
            {
                "name": "TV equipment kit",
                "default_code": "PRM-TVKIT",
                "list_price": 249.0,
                "prm_order_min_qty": 2,
                "prm_kit_line_ids": [
                    fields.Command.create({"product_id": stb.id, "quantity": 1}),
                    fields.Command.create({"product_id": card.id, "quantity": 1}),
                ],
                **serial,
            }
        )
        buyer = env.ref("base.partner_demo_portal")
        company = env.ref("base.main_company")
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        Lot = env["stock.lot"]
        kit_lots = Lot
        for number in range(1, 7):
            kit_lot = Lot.create(
                {
                    "name": f"TVKIT-{number:04}",
                    "product_id": kit.id,
                    "company_id": company.id,
                }
            )
            Lot.create(
                [
                    {
                        "name": f"STB-{number:04}",
                        "product_id": stb.id,
                        "company_id": company.id,
                        "prm_kit_lot_id": kit_lot.id,
                    },
                    {
                        "name": f"CARD-{number:04}",
                        "product_id": card.id,
                        "company_id": company.id,
                        "prm_kit_lot_id": kit_lot.id,
                    },
                ]
            )
            env["stock.quant"]._update_available_quantity(
                kit, warehouse.lot_stock_id, 1, lot_id=kit_lot
            )
            kit_lots |= kit_lot
        Order = env["sale.order"].with_company(company)
        delivered = Order.create(
            {
                "partner_id": buyer.id,
                "client_order_ref": "NW-2041",
                "prm_portal_order": True,
                "order_line": [
                    fields.Command.create(
                        {
                            "product_id": kit.id,
                            "product_uom_qty": 4,
                            "prm_committed_date": fields.Date.context_today(self),
                        }
                    )
                ],
            }
        )
        delivered.action_confirm()
        picking = delivered.picking_ids[:1]
        picking.action_assign()
        picking.prm_tracking_ref = "1Z999AA10123456784"
        picking.move_ids.picked = True
        picking._action_done()
        waiting = Order.create(
            {
                "partner_id": buyer.id,
                "client_order_ref": "NW-2042",
                "order_line": [
                    fields.Command.create({"product_id": kit.id, "product_uom_qty": 2})
                ],
            }
        )
        waiting.action_confirm()
        # External ids let the uninstall hook find the demo orders again.
        env["ir.model.data"].create(
            [
                {
                    "module": "prm_stock",
                    "name": name,
                    "model": "sale.order",
                    "res_id": order.id,
                    "noupdate": True,
                }
                for name, order in (
                    ("demo_order_northwind_delivered", delivered),
                    ("demo_order_northwind_waiting", waiting),
                )
            ]
        )
        lots = picking.move_line_ids.lot_id.sorted("name")
        northwind = buyer.commercial_partner_id
        technician = env.ref("base.user_demo")
        today = fields.Date.context_today(self)
        base = {
            "partner_id": northwind.id,
            "requested_by_id": buyer.id,
            "company_id": company.id,
            "customer_street": "12 Harbour Road",
            "customer_city": "Portland",
            "customer_zip": "97201",
            "preferred_date": today,
            "preferred_slot": "morning",
        }
        names = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"]
        requests = self.create(
            [
                {
                    **base,
                    "lot_id": lot.id,
                    "customer_name": name,
                    "customer_phone": f"+1 503 555 01{index:02}",
                }
                for index, (lot, name) in enumerate(zip(lots, names, strict=False))
            ]
        )
        _new, planned, done, failed = requests
        planning = {"user_id": technician.id, "planned_date": fields.Datetime.now()}
        (planned | done | failed).write(planning)
        (planned | done | failed).action_plan()
        done.action_done()
        failed.failure_reason = "The customer's satellite dish is not installed yet."
        failed.action_fail()
        token = done._rating_get_access_token(partner=buyer)
        done.rating_apply(5, token=token, feedback="Quick and tidy, thank you!")
        return requests
