import csv
import io

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.portal import portal_contact

ORDER_PAGE_SIZE = 100
CSV_MAX_BYTES = 1024 * 1024
HEADER_WORDS = {"reference", "ref", "code", "product", "quantity", "qty"}


class PrmSalePortal(CustomerPortal):
    """``/my/order``: the partner's quick order. Prices and products are always
    worked out on the server from references and quantities."""

    # --- Helpers ---

    def _prm_order_partner(self):
        """The buyer's contact, when its program roles allow ordering."""
        return portal_contact("order")

    def _prm_order_rows(self, post):
        """``(label, reference, quantity text)`` from the catalogue's quantity
        fields, the pasted lines and the uploaded CSV file."""
        rows = []
        partner = request.env.user.partner_id
        quantities = {
            int(key[4:]): value
            for key, value in post.items()
            if key.startswith("qty_") and key[4:].isdigit() and str(value).strip()
        }
        if quantities:
            products_sudo = (
                request.env["product.product"]
                .sudo()
                .search(
                    partner._prm_order_product_domain()
                    & Domain("id", "in", list(quantities))
                )
            )
            known = {product.id: product for product in products_sudo}
            for product_id, value in quantities.items():
                product = known.get(product_id)
                reference = (
                    (product.default_code or product.name)
                    if product
                    else str(product_id)
                )
                rows.append((reference, reference, value))
        for number, text in enumerate((post.get("lines") or "").splitlines(), 1):
            if text.strip():
                reference, quantity = self._prm_order_split(text)
                rows.append(
                    (request.env._("line %(n)s", n=number), reference, quantity)
                )
        upload = post.get("csv_file")
        if upload and getattr(upload, "filename", None):
            rows += self._prm_order_csv_rows(upload)
        return rows

    @staticmethod
    def _prm_order_split(text):
        for separator in (";", "\t"):
            if separator in text:
                reference, _sep, quantity = text.partition(separator)
                return reference.strip(), quantity.strip()
        if text.count(",") == 1:
            reference, _sep, quantity = text.partition(",")
            return reference.strip(), quantity.strip()
        return text.strip(), ""

    def _prm_order_csv_rows(self, upload):
        data = upload.read(CSV_MAX_BYTES + 1)
        if len(data) > CSV_MAX_BYTES:
            raise UserError(request.env._("The CSV file is larger than 1 MB."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(
                request.env._("The file is not a CSV text file (UTF-8).")
            ) from error
        if "\x00" in text:
            raise UserError(request.env._("The file is not a CSV text file (UTF-8)."))
        delimiter = ";" if text.count(";") >= text.count(",") else ","
        rows = []
        for number, cells in enumerate(
            csv.reader(io.StringIO(text), delimiter=delimiter), 1
        ):
            if not any(cell.strip() for cell in cells):
                continue
            if number == 1 and cells[0].strip().casefold() in HEADER_WORDS:
                continue
            reference = cells[0] if cells else ""
            quantity = cells[1] if len(cells) > 1 else ""
            rows.append((request.env._("CSV row %(n)s", n=number), reference, quantity))
        return rows

    def _prm_order_form_values(self, post):
        """Delivery address, requested date and reference the buyer chose,
        checked against what it may choose."""
        partner = request.env.user.partner_id
        addresses = partner._prm_order_delivery_addresses()
        shipping = addresses[:1]
        shipping_id = str(post.get("shipping_id") or "")
        if shipping_id.isdigit():
            shipping = addresses.filtered(lambda a: a.id == int(shipping_id))
            if not shipping:
                raise UserError(request.env._("Choose one of your delivery addresses."))
        requested = False
        if post.get("requested_date"):
            try:
                requested = fields.Date.to_date(post["requested_date"])
            except ValueError as error:
                raise UserError(
                    request.env._("The requested delivery date is not a date.")
                ) from error
        return shipping, requested, (post.get("reference") or "").strip()[:64]

    def _prm_order_catalogue(self, partner, search, page):
        Product_sudo = request.env["product.product"].sudo()
        domain = partner._prm_order_product_domain()
        if search:
            domain &= Domain("name", "ilike", search) | Domain(
                "default_code", "ilike", search
            )
        page = max(int(page), 1) if str(page).isdigit() else 1
        offset = (page - 1) * ORDER_PAGE_SIZE
        # One row more than a page tells whether a next page exists: the pager
        # offers the pages up to the next one, without counting the catalogue.
        products_sudo = Product_sudo.search_fetch(
            domain,
            ["default_code", "name", "uom_id", "prm_order_min_qty", "product_tmpl_id"],
            order="default_code, name, id",
            limit=ORDER_PAGE_SIZE + 1,
            offset=offset,
        )
        pager = portal_pager(
            url="/my/order",
            url_args={"search": search},
            total=offset + len(products_sudo),
            page=page,
            step=ORDER_PAGE_SIZE,
        )
        products_sudo = products_sudo[:ORDER_PAGE_SIZE]
        return products_sudo, partner._prm_order_prices(products_sudo), pager

    def _prm_order_recent(self, partner):
        """The partner's last orders, to order again. sudo: the portal rule on
        orders grants exactly the commercial partner's orders, and evaluating
        it (two child_of) costs five queries on every view; only names, dates
        and ids leave, and re-ordering checks the access to the order."""
        return (
            request.env["sale.order"]
            .sudo()
            .search_fetch(
                [
                    (
                        "partner_id.commercial_partner_id",
                        "=",
                        partner.commercial_partner_id.id,
                    ),
                    ("company_id", "in", request.env.companies.ids),
                ],
                ["name", "date_order"],
                order="date_order desc, id desc",
                limit=5,
            )
        )

    def _prm_order_render(self, post=None, errors=None, page=1):
        post = post or {}
        partner = self._prm_order_partner()
        search = (post.get("search") or "").strip()
        products_sudo, prices, pager = self._prm_order_catalogue(partner, search, page)
        pricelist = partner._prm_order_pricelist()
        recent_sudo = self._prm_order_recent(partner)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_order",
                "products": products_sudo,
                "prices": prices,
                "currency": pricelist.currency_id or request.env.company.currency_id,
                "pager": pager,
                "search": search,
                "addresses": partner._prm_order_delivery_addresses(),
                "recent_orders": recent_sudo,
                "errors": errors or [],
                "post": post,
                "today": fields.Date.context_today(partner),
            }
        )
        return request.render("prm_sale.portal_quick_order", values)

    # --- Routes ---

    @http.route(
        ["/my/order", "/my/order/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_quick_order(self, page=1, search=None, reorder=None, **kw):
        post = {"search": search or ""}
        if reorder and str(reorder).isdigit():
            try:
                order_sudo = self._document_check_access("sale.order", int(reorder))
            except (AccessError, MissingError):
                return request.not_found()
            post["lines"] = "\n".join(
                f"{line.product_id.default_code or line.product_id.name};"
                f"{line.product_uom_qty:g}"
                for line in order_sudo.order_line
                if line.product_id and not line.display_type
            )
        return self._prm_order_render(post, page=page)

    @http.route(
        "/my/order/review", type="http", auth="user", website=True, methods=["POST"]
    )
    def prm_quick_order_review(self, **post):
        partner = self._prm_order_partner()
        try:
            rows = self._prm_order_rows(post)
            shipping, requested, reference = self._prm_order_form_values(post)
        except UserError as error:
            return self._prm_order_render(post, [str(error)])
        lines, errors = partner._prm_order_parse_rows(rows)
        if not errors and not lines:
            errors = [request.env._("Add at least one product to order.")]
        if errors:
            # The buyer gets its rows back to fix them: nothing is lost.
            post["lines"] = "\n".join(f"{ref};{qty}" for _label, ref, qty in rows)
            return self._prm_order_render(post, errors)
        return self._prm_order_review_render(
            partner, lines, shipping, requested, reference
        )

    def _prm_order_review_render(self, partner, lines, shipping, requested, reference):
        pricelist = partner._prm_order_pricelist()
        currency = pricelist.currency_id or request.env.company.currency_id
        review = []
        for line in lines:
            product = line["product"]
            price = partner._prm_order_prices(product, line["quantity"])[product.id]
            review.append(
                {
                    **line,
                    "price": price,
                    "subtotal": currency.round(price * line["quantity"]),
                    "reference": product.default_code or product.name,
                }
            )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_order",
                "lines": review,
                "total": currency.round(sum(line["subtotal"] for line in review)),
                "currency": currency,
                "shipping": shipping,
                "requested_date": requested,
                "reference": reference,
                "confirms": partner._prm_order_agreement_confirms(),
            }
        )
        return request.render("prm_sale.portal_quick_order_review", values)

    @http.route(
        "/my/order/place", type="http", auth="user", website=True, methods=["POST"]
    )
    def prm_quick_order_place(self, **post):
        partner = self._prm_order_partner()
        post.pop("csv_file", None)
        try:
            rows = self._prm_order_rows(post)
            shipping, requested, reference = self._prm_order_form_values(post)
            lines, errors = partner._prm_order_parse_rows(rows)
            if errors:
                return self._prm_order_render(post, errors)
            order_sudo = partner._prm_create_quick_order(
                lines, shipping, requested, reference
            )
        except UserError as error:
            return self._prm_order_render(post, [str(error)])
        return request.redirect(order_sudo.get_portal_url())
