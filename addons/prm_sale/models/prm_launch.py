from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

LAUNCH_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("closed", "Closed"),
]


class PrmLaunch(models.Model):
    """An exclusive product launch: while active, its products are sold only
    through the partners selected for it (and directly, if allowed)."""

    _name = "prm.launch"
    _description = "Product Launch"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.guarded.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    state = fields.Selection(
        LAUNCH_STATES,
        string="Status",
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_start = fields.Date(
        string="Start",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End",
        tracking=True,
        help="Leave empty for a launch without a planned end: it restricts its "
        "products until it is closed.",
    )
    product_tmpl_ids = fields.Many2many(
        "product.template",
        "prm_launch_product_template_rel",
        "launch_id",
        "product_tmpl_id",
        string="Products",
        check_company=True,
        help="Products launched with all their variants.",
    )
    product_ids = fields.Many2many(
        "product.product",
        "prm_launch_product_product_rel",
        "launch_id",
        "product_id",
        string="Product variants",
        check_company=True,
        help="Single variants launched without the rest of their product.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        "prm_launch_product_category_rel",
        "launch_id",
        "categ_id",
        string="Similar product categories",
        help="Categories (with their subcategories) whose sales ranked the "
        "partners when selecting them.",
    )
    # Competitors must not learn who else was selected: only program users
    # read the selection (the portal rule still filters on it).
    partner_ids = fields.Many2many(
        "res.partner",
        "prm_launch_partner_rel",
        "launch_id",
        "partner_id",
        string="Selected partners",
        domain=[("prm_is_partner", "=", True)],
        check_company=True,
        groups="prm_partner.group_prm_user",
    )
    allow_direct_sales = fields.Boolean(
        default=False,
        tracking=True,
        help="Allow selling the launched products to end customers without a "
        "channel partner. When unchecked, such orders cannot be confirmed while "
        "the launch is active.",
    )
    note = fields.Html(string="Notes", groups="prm_partner.group_prm_user")
    partner_count = fields.Integer(
        compute="_compute_partner_count", groups="prm_partner.group_prm_user"
    )
    product_variant_count = fields.Integer(compute="_compute_product_variant_count")

    # --- Constraints ---

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for launch in self:
            if launch.date_end and launch.date_end < launch.date_start:
                raise ValidationError(
                    self.env._(
                        "The launch %(launch)s cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        launch=launch.name,
                        end=launch.date_end,
                        start=launch.date_start,
                    )
                )

    # ``name`` is required, hence always written on create: listing it runs the
    # check for launches created without any product field at all.
    @api.constrains("name", "product_ids", "product_tmpl_ids")
    def _check_products(self):
        for launch in self:
            if not launch.product_ids and not launch.product_tmpl_ids:
                raise ValidationError(
                    self.env._(
                        "The launch %(launch)s has no product: add the products "
                        "or variants it launches.",
                        launch=launch.name,
                    )
                )

    @api.constrains("partner_ids")
    def _check_partners(self):
        for launch in self:
            strangers = launch.partner_ids.filtered(lambda p: not p.prm_is_partner)
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Only channel partners can be selected for the launch "
                        "%(launch)s: %(names)s.",
                        launch=launch.name,
                        names=", ".join(strangers.mapped("display_name")),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        active = self.filtered(lambda launch: launch.state == "active")
        if active:
            raise UserError(
                self.env._(
                    "Close the launch %(launch)s before deleting it.",
                    launch=", ".join(active.mapped("name")),
                )
            )

    # --- Compute ---

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for launch in self:
            launch.partner_count = len(launch.partner_ids)

    @api.depends("product_ids", "product_tmpl_ids")
    def _compute_product_variant_count(self):
        for launch in self:
            launch.product_variant_count = len(launch._prm_variants())

    def _prm_variants(self):
        """Every variant launched by these launches."""
        return self.product_ids | self.product_tmpl_ids.product_variant_ids

    # --- Actions ---

    def action_activate(self):
        for launch in self:
            if launch.state != "draft":
                raise UserError(
                    self.env._(
                        "Only draft launches can be started; %(launch)s is not a "
                        "draft.",
                        launch=launch.name,
                    )
                )
            if not launch.partner_ids and not launch.allow_direct_sales:
                raise UserError(
                    self.env._(
                        "Nobody could sell the products of %(launch)s: select its "
                        "partners (Select partners) or allow direct sales first.",
                        launch=launch.name,
                    )
                )
        self._prm_write_state("active")
        return True

    def action_close(self):
        if self.filtered(lambda launch: launch.state != "active"):
            raise UserError(self.env._("Only active launches can be closed."))
        self._prm_write_state("closed")
        return True

    def action_reset_draft(self):
        self._prm_write_state("draft")
        return True

    def _prm_guarded_fields(self):
        # The label apart from the tuple: Odoo's term extractor would also
        # take the tuple's strings for terms in one call.
        action = self.env._("Start, Close or Reset to draft")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(action, ("draft",)),
        }

    def _prm_write_state(self, state):
        """The status moves through its buttons only: the caller must be
        allowed to edit the launches."""
        self.check_access("write")
        self.sudo().write({"state": state})

    def action_select_partners(self):
        """Open the ranking wizard to choose (or revise) the launch's partners."""
        self.ensure_one()
        categories = self.categ_ids or self._prm_variants().categ_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Select partners for %(launch)s", launch=self.name),
            "res_model": "prm.launch.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_launch_id": self.id,
                "default_company_id": self.company_id.id,
                "default_categ_ids": categories.ids,
            },
        }

    def action_view_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Partners of %(launch)s", launch=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.partner_ids.ids)],
            "context": {"create": False},
        }

    def action_view_products(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Products of %(launch)s", launch=self.name),
            "res_model": "product.product",
            "view_mode": "list,form",
            "domain": [("id", "in", self._prm_variants().ids)],
            "context": {"create": False},
        }

    # --- Business (API for the order check and the portal/shop modules) ---

    @api.model
    def _prm_active_domain(self, date=None, company=None):
        """Launches restricting their products on ``date`` (default: today)."""
        date = date or fields.Date.context_today(self)
        domain = Domain(
            [
                ("state", "=", "active"),
                ("date_start", "<=", date),
            ]
        ) & (Domain("date_end", "=", False) | Domain("date_end", ">=", date))
        if company:
            domain &= Domain("company_id", "in", company.ids)
        return domain

    @api.model
    def _prm_restricted_products(self, date=None, company=None):
        """Variants (``product.product``) that active launches restrict on
        ``date``, for the launches of ``company`` (any readable one if None)."""
        return self.search(self._prm_active_domain(date, company))._prm_variants()

    @api.model
    def _prm_launches_by_product(self, products, date=None, company=None):
        """Active launches of each product, in one search.

        :param products: ``product.product`` or ``product.template`` records;
            a template is restricted as soon as one of its variants is.
        :return: ``{product id: prm.launch records}``, only for restricted
            products.
        """
        if not products:
            return {}
        if products._name == "product.template":
            templates, variants = products, products.product_variant_ids
        else:
            templates, variants = products.product_tmpl_id, products
        launches = self.search(
            self._prm_active_domain(date, company)
            & (
                Domain("product_tmpl_ids", "in", templates.ids)
                | Domain("product_ids", "in", variants.ids)
            )
        )
        result = defaultdict(self.browse)
        for launch in launches:
            if products._name == "product.template":
                hits = products & (
                    launch.product_tmpl_ids | launch.product_ids.product_tmpl_id
                )
            else:
                hits = products.filtered(
                    lambda p, launch=launch: (
                        p in launch.product_ids
                        or p.product_tmpl_id in launch.product_tmpl_ids
                    )
                )
            for product in hits:
                result[product.id] |= launch
        return dict(result)

    @api.model
    def _prm_allowed_partners(self, products, date=None, company=None):
        """Channel partners allowed to sell each restricted product on ``date``.

        A product in several active launches may be sold by the partners of any
        of them. Products missing from the result are not restricted.

        :param products: ``product.product`` or ``product.template`` records
        :return: ``{product id: res.partner records}``
        """
        return {
            product_id: launches.partner_ids
            for product_id, launches in self._prm_launches_by_product(
                products, date, company
            ).items()
        }
