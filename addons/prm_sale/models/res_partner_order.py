import math
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare, float_round

# Above this a quantity is a typo (or 1e15), not an order.
MAX_ORDER_QTY = 1_000_000


class ResPartner(models.Model):
    """The portal quick order of a partner's buyers: what they may order, at
    which prices, and the quotation it becomes. Everything is decided here, on
    the server: the page only sends references and quantities."""

    _inherit = "res.partner"

    # --- Portal ---

    @api.model
    def _prm_portal_page_roles(self):
        return {**super()._prm_portal_page_roles(), "order": ("sales",)}

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        cards.append(
            {
                "key": "order",
                "sequence": 30,
                "title": self.env._("Quick order"),
                "url": "/my/order",
                "icon": "fa-shopping-cart",
                "count": False,
                "lines": [
                    self.env._("Order at your program prices in a minute."),
                ],
            }
        )
        return cards

    # --- Business: what the partner may order ---

    def _prm_order_product_domain(self):
        """Products this partner may order on the portal.

        The one hook for gating: a module restricting orders further (e.g.
        certifications with ``prm_training``) returns ``super() & its domain``.
        By default every product for sale of the partner's company, minus the
        products of active launches the partner was not selected for.
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        company = partner.company_id or self.env.company
        domain = Domain(
            [
                ("sale_ok", "=", True),
                ("company_id", "in", [False, company.id]),
            ]
        )
        # Subqueries, not reads: the catalogue costs the same queries whatever
        # the launches. "any!": every launch counts, whoever reads; only
        # product ids leave.
        active = self.env["prm.launch"]._prm_active_domain(company=company)
        selected = active & Domain("partner_ids", "in", partner.ids)
        not_selected = active & Domain("partner_ids", "not in", partner.ids)
        return domain & (
            ~self._prm_order_launched_domain(not_selected)
            | self._prm_order_launched_domain(selected)
        )

    @api.model
    def _prm_order_launched_domain(self, launch_domain):
        """Products (``product.product``) launched by the launches of
        ``launch_domain``: the variants it names and every variant of its
        products."""
        return Domain("prm_variant_launch_ids", "any!", launch_domain) | Domain(
            "product_tmpl_id", "any!", Domain("prm_launch_ids", "any!", launch_domain)
        )

    def _prm_order_pricelist(self):
        """The pricelist of the partner's tier or agreement (see
        ``product.pricelist._get_partner_pricelist_multi``)."""
        self.ensure_one()
        return self.sudo().property_product_pricelist

    def _prm_order_prices(self, products, quantity=1.0):
        """{product id: unit price} at the partner's prices, in one batch."""
        self.ensure_one()
        pricelist = self._prm_order_pricelist()
        if not pricelist:
            return {product.id: product.lst_price for product in products}
        return pricelist._get_products_price(products, quantity=quantity)

    def _prm_order_delivery_addresses(self):
        """The commercial partner and its delivery addresses."""
        self.ensure_one()
        partner_sudo = self.commercial_partner_id.sudo()
        return partner_sudo | partner_sudo.search(
            [("parent_id", "=", partner_sudo.id), ("type", "=", "delivery")]
        )

    # --- Business: reading the lines the buyer sent ---

    def _prm_order_parse_rows(self, rows):
        """Check ``rows`` (``(label, reference, quantity text)``) and find their
        products among the orderable ones.

        :return: ``(lines, errors)``: lines are ``{"product": product.product
            (sudo), "quantity": float}`` with duplicates summed; errors are one
            readable sentence per bad row. Nothing is created.
        """
        self.ensure_one()
        errors, parsed = [], []
        for label, reference, text in rows:
            reference = (reference or "").strip()
            quantity, error = self._prm_order_parse_quantity(text)
            if not reference:
                error = self.env._("no product reference")
            if error:
                errors.append(
                    self.env._("Row %(row)s: %(error)s.", row=label, error=error)
                )
                continue
            parsed.append((label, reference, quantity))
        products = self._prm_order_find_products({ref for _l, ref, _q in parsed})
        totals = {}
        for label, reference, quantity in parsed:
            product = products.get(reference.casefold())
            if not product:
                errors.append(
                    self.env._(
                        "Row %(row)s: unknown reference %(reference)s, or a "
                        "product you cannot order.",
                        row=label,
                        reference=reference,
                    )
                )
                continue
            totals.setdefault(product, [0.0, label])[0] += quantity
        lines = []
        for product, (quantity, label) in totals.items():
            error = self._prm_order_check_quantity(product, quantity)
            if error:
                errors.append(
                    self.env._("Row %(row)s: %(error)s.", row=label, error=error)
                )
                continue
            lines.append({"product": product, "quantity": quantity})
        return lines, errors

    @api.model
    def _prm_order_parse_quantity(self, text):
        """``(quantity, None)`` or ``(None, error)`` for a typed quantity."""
        text = (text or "").strip().replace(",", ".")
        try:
            quantity = float(text)
        except ValueError:
            return None, self.env._(
                "the quantity %(quantity)s is not a number", quantity=text or '""'
            )
        if not math.isfinite(quantity):
            return None, self.env._(
                "the quantity %(quantity)s is not a number", quantity=text
            )
        if quantity <= 0:
            return None, self.env._("the quantity must be greater than zero")
        if quantity > MAX_ORDER_QTY:
            return None, self.env._(
                "the quantity %(quantity)s is larger than %(max)s",
                quantity=text,
                max=MAX_ORDER_QTY,
            )
        return quantity, None

    def _prm_order_check_quantity(self, product, quantity):
        """The reason ``quantity`` of ``product`` cannot be ordered, or None."""
        uom = product.uom_id
        rounded = float_round(quantity, precision_rounding=uom.rounding)
        if float_compare(rounded, quantity, precision_digits=6):
            return self.env._(
                "%(product)s is sold by %(uom)s: %(quantity)s cannot be ordered",
                product=product.display_name,
                uom=uom.name,
                quantity=quantity,
            )
        minimum = product.prm_order_min_qty
        if (
            minimum
            and float_compare(quantity, minimum, precision_rounding=uom.rounding) < 0
        ):
            return self.env._(
                "%(product)s is ordered by %(minimum)s %(uom)s at least",
                product=product.display_name,
                minimum=minimum,
                uom=uom.name,
            )
        return None

    def _prm_order_find_products(self, references):
        """{casefolded reference: product} by exact internal reference, barcode
        or name, among the products this partner may order (one search)."""
        if not references:
            return {}
        folded = {ref.casefold() for ref in references}
        # sudo: portal users read the catalogue through this method only, and
        # the domain keeps to what the partner may order.
        products_sudo = (
            self.env["product.product"]
            .sudo()
            .search(
                self._prm_order_product_domain()
                & (
                    Domain("default_code", "in", list(references))
                    | Domain("barcode", "in", list(references))
                    | Domain("name", "in", list(references))
                )
            )
        )
        found = {}
        # Codes first, then barcodes, then names: a code wins over a name.
        for key in ("name", "barcode", "default_code"):
            for product in products_sudo:
                value = product[key]
                if value and value.casefold() in folded:
                    found[value.casefold()] = product
        return found

    # --- Business: the order ---

    def _prm_order_agreement_confirms(self):
        """Whether an active agreement of the partner confirms its portal orders."""
        self.ensure_one()
        # sudo: portal users cannot read agreements; only a boolean leaves.
        return any(
            agreement.state == "active" and agreement.confirm_portal_orders
            for agreement in self.commercial_partner_id.sudo().prm_agreement_ids
        )

    def _prm_order_lead_days(self, product):
        """Days between ordering ``product`` and its earliest delivery; none
        without Inventory (prm_stock reads the product's customer lead time)."""
        return 0

    def _prepare_prm_quick_order_vals(self, lines, shipping, requested_date, reference):
        self.ensure_one()
        today = fields.Date.context_today(self)
        order_lines = []
        for line in lines:
            product = line["product"]
            lead = timedelta(days=self._prm_order_lead_days(product))
            committed = max(requested_date or today, today + lead)
            order_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": line["quantity"],
                        "prm_committed_date": committed,
                    }
                )
            )
        commercial = self.commercial_partner_id
        # The salesperson is the partner's, never the portal user ordering.
        salesperson = commercial.user_id or commercial.prm_manager_id
        return {
            "partner_id": self.id,
            "user_id": salesperson.id,
            "partner_shipping_id": shipping.id,
            "partner_invoice_id": self.commercial_partner_id.address_get(["invoice"])[
                "invoice"
            ],
            "client_order_ref": reference or False,
            "prm_requested_date": requested_date or False,
            "prm_portal_order": True,
            "order_line": order_lines,
        }

    def _prm_create_quick_order(
        self, lines, shipping, requested_date=None, reference=None
    ):
        """Create the quotation (confirmed when the partner's agreement says so)
        of ``lines`` from ``_prm_order_parse_rows``. Prices come from the
        order's pricelist, computed here: nothing the client sent sets them.

        :return: the ``sale.order`` (sudo: the portal user may read it, not
            create it)
        """
        self.ensure_one()
        if not lines:
            raise UserError(self.env._("Add at least one product to order."))
        if not self._prm_portal_allows("order"):
            raise UserError(self.env._("You are not allowed to place orders."))
        if shipping not in self._prm_order_delivery_addresses():
            raise UserError(self.env._("Choose one of your delivery addresses."))
        today = fields.Date.context_today(self)
        if requested_date and requested_date < today:
            raise UserError(self.env._("The requested delivery date is in the past."))
        allowed = (
            self.env["product.product"]
            .sudo()
            .search_count(
                self._prm_order_product_domain()
                & Domain("id", "in", [line["product"].id for line in lines])
            )
        )
        if allowed != len(lines):
            raise UserError(self.env._("Some of these products cannot be ordered."))
        vals = self._prepare_prm_quick_order_vals(
            lines, shipping, requested_date, reference
        )
        # sudo: portal users may not create orders; the values are built here.
        order_sudo = self.env["sale.order"].sudo().create(vals)
        # The buyer follows its order: Odoo's /my/orders lists followed orders.
        order_sudo.message_subscribe(partner_ids=self.ids)
        if self._prm_order_agreement_confirms():
            order_sudo.action_confirm()
        return order_sudo
