import datetime

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request
from odoo.tools import date_utils

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.portal import portal_contact, portal_count

# Rows in error listed on a sell-out report's page (the error file has them all).
ERROR_ROWS_SHOWN = 200
# Lines of the overview's short lists (settlements, reports, points).
OVERVIEW_ROWS = 5


class PrmIncentivePortal(CustomerPortal):
    """The partner's Incentives pages: what it earns this period, its
    settlements and their statements, its points, and its sell-out reports
    (uploaded here). Finance role only (``_prm_portal_allows("incentives")``);
    every read goes through the user's record rules, and only a record that
    passed them is read as superuser."""

    _prm_items_per_page = 20

    # --- Helpers ---

    def _prm_incentive_partner(self):
        """The user's contact when it may open the Incentives pages, else 404."""
        return portal_contact("incentives")

    def _prm_record_sudo(self, model, record_id, access_token=None):
        """The record if the user may read it (or holds its token), sudo'd;
        another partner's record answers 404."""
        try:
            return self._document_check_access(
                model, record_id, access_token=access_token
            )
        except (AccessError, MissingError):
            raise NotFound() from None

    def _prm_values(self, page_name, **values):
        return {
            **self._prepare_portal_layout_values(),
            "page_name": page_name,
            "prm_partner": request.env.user.partner_id.commercial_partner_id,
            **values,
        }

    def _prm_partner_domain(self, partner):
        # Incentive records always name the commercial partner (the record
        # rules still apply on top); "=" spares a child_of expansion per search.
        return [("partner_id", "=", partner.commercial_partner_id.id)]

    # --- /my home ---

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_incentive_count" in counters:
            partner = request.env.user.partner_id
            values["prm_incentive_count"] = portal_count(
                "prm.settlement", "incentives", self._prm_partner_domain(partner)
            )
        return values

    # --- Overview ---

    @http.route("/my/incentives", type="http", auth="user", website=True)
    def prm_incentives(self, **kw):
        partner = self._prm_incentive_partner()
        domain = self._prm_partner_domain(partner)
        earned = partner._prm_portal_earned()
        values = self._prm_values(
            "prm_incentives",
            earned=earned,
            earned_totals=partner._prm_portal_earned_totals(earned),
            open_settlements=partner._prm_portal_open_settlements(),
            settlements=request.env["prm.settlement"].search(
                domain, limit=OVERVIEW_ROWS
            ),
            batches=request.env["prm.sellout.batch"].search(
                domain, limit=OVERVIEW_ROWS
            ),
            points_balance=partner._prm_points_balances().get(
                partner.commercial_partner_id.id, 0.0
            ),
            points_moves=request.env["prm.points.move"].search(
                domain, limit=OVERVIEW_ROWS
            ),
        )
        return request.render("prm_incentive.portal_my_incentives", values)

    # --- Settlements ---

    def _prm_settlement_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "date_to desc, id desc",
            },
            "name": {
                "label": request.env._("Reference"),
                "order": "name desc, id desc",
            },
            "amount": {
                "label": request.env._("Amount"),
                "order": "amount_total desc, id desc",
            },
        }

    def _prm_settlement_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "posted": {
                "label": request.env._("To be paid"),
                "domain": [("state", "=", "posted")],
            },
            "paid": {
                "label": request.env._("Paid"),
                "domain": [("state", "=", "paid")],
            },
        }

    @http.route(
        ["/my/incentives/settlements", "/my/incentives/settlements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_settlements(self, page=1, sortby=None, filterby=None, **kw):
        partner = self._prm_incentive_partner()
        sortings = self._prm_settlement_sortings()
        filters = self._prm_settlement_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._prm_partner_domain(partner) + filters[filterby]["domain"]
        Settlement = request.env["prm.settlement"]
        pager = portal_pager(
            url="/my/incentives/settlements",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Settlement.search_count(domain),
            page=page,
            step=self._prm_items_per_page,
        )
        # The rows' fields come with the search: no second read of the page.
        settlements = Settlement.search_fetch(
            domain,
            self._prm_settlement_list_fields(),
            order=sortings[sortby]["order"],
            limit=self._prm_items_per_page,
            offset=pager["offset"],
        )
        values = self._prm_values(
            "prm_settlements",
            settlements=settlements,
            pager=pager,
            default_url="/my/incentives/settlements",
            searchbar_sortings=sortings,
            sortby=sortby,
            searchbar_filters=filters,
            filterby=filterby,
        )
        return request.render("prm_incentive.portal_my_settlements", values)

    def _prm_settlement_list_fields(self):
        return [
            "name",
            "program_id",
            "date_from",
            "date_to",
            "state",
            "amount_total",
            "currency_id",
        ]

    @http.route(
        "/my/incentives/settlements/<int:settlement_id>",
        type="http",
        auth="user",
        website=True,
    )
    def prm_settlement(self, settlement_id, **kw):
        self._prm_incentive_partner()
        settlement_sudo = self._prm_record_sudo("prm.settlement", settlement_id)
        values = self._prm_values(
            "prm_settlement",
            settlement=settlement_sudo,
            rows=self._prm_settlement_rows(settlement_sudo),
        )
        return request.render("prm_incentive.portal_my_settlement", values)

    def _prm_settlement_rows(self, settlement_sudo):
        """The settlement's accruals summed by rule (one grouped read)."""
        Line = request.env["prm.incentive.line"].sudo()
        kinds = dict(Line._fields["kind"]._description_selection(request.env))
        return [
            {
                "label": rule.name or kinds[kind],
                "count": count,
                "amount": amount,
            }
            for rule, kind, count, amount in Line._read_group(
                [("settlement_id", "=", settlement_sudo.id)],
                ["rule_id", "kind"],
                ["__count", "amount:sum"],
            )
        ]

    @http.route(
        "/my/incentives/statement/<int:settlement_id>",
        type="http",
        auth="public",
    )
    def prm_incentive_statement(
        self, settlement_id, access_token=None, report_type="pdf", download=False
    ):
        """PDF statement of a settlement: the record rules (or the access token)
        decide, and only the settlement that passed is read as superuser (its
        lines name customer invoices the partner cannot read itself)."""
        if not access_token:
            if request.env.user._is_public():
                return request.redirect(
                    f"/web/login?redirect=/my/incentives/statement/{settlement_id}"
                )
            self._prm_incentive_partner()
        settlement_sudo = self._prm_record_sudo(
            "prm.settlement", settlement_id, access_token=access_token
        )
        return self._show_report(
            model=settlement_sudo,
            report_type="html" if report_type == "html" else "pdf",
            report_ref="prm_incentive.action_report_prm_settlement",
            download=download,
        )

    # --- Points ---

    @http.route(
        ["/my/incentives/points", "/my/incentives/points/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_points(self, page=1, **kw):
        partner = self._prm_incentive_partner()
        domain = self._prm_partner_domain(partner)
        Move = request.env["prm.points.move"]
        pager = portal_pager(
            url="/my/incentives/points",
            total=Move.search_count(domain),
            page=page,
            step=self._prm_items_per_page,
        )
        values = self._prm_values(
            "prm_points",
            points_balance=partner._prm_points_balances().get(
                partner.commercial_partner_id.id, 0.0
            ),
            points_moves=Move.search(
                domain, limit=self._prm_items_per_page, offset=pager["offset"]
            ),
            pager=pager,
        )
        return request.render("prm_incentive.portal_my_points", values)

    # --- Sell-out ---

    @http.route(
        ["/my/incentives/sellout", "/my/incentives/sellout/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_sellout(self, page=1, **kw):
        self._prm_incentive_partner()
        return self._prm_render_sellout(page)

    def _prm_render_sellout(self, page=1, error=None, status=200):
        partner = request.env.user.partner_id
        domain = self._prm_partner_domain(partner)
        Batch = request.env["prm.sellout.batch"]
        pager = portal_pager(
            url="/my/incentives/sellout",
            total=Batch.search_count(domain),
            page=page,
            step=self._prm_items_per_page,
        )
        values = self._prm_values(
            "prm_sellout",
            batches=Batch.search(
                domain, limit=self._prm_items_per_page, offset=pager["offset"]
            ),
            pager=pager,
            error=error,
            upload_limits=self._prm_upload_limits(),
            default_month=fields.Date.context_today(Batch).strftime("%Y-%m"),
        )
        return request.render("prm_incentive.portal_my_sellout", values, status=status)

    @http.route(
        "/my/incentives/sellout/upload",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def prm_sellout_upload(self, month=None, batch_id=None, **kw):
        """Upload a sell-out file: a new draft report of the user's company (or
        a corrected file for one of its draft reports). Only the period and
        the file are taken from the form; the partner is always the user's."""
        partner = self._prm_incentive_partner()
        batch_sudo = None
        if batch_id:
            try:
                batch_id = int(batch_id)
            except ValueError:
                raise NotFound() from None
            batch_sudo = self._prm_record_sudo("prm.sellout.batch", batch_id)
        upload = request.httprequest.files.get("file")
        Batch_sudo = request.env["prm.sellout.batch"].sudo()
        limit = request.env["prm.sellout.importer"]._get_limits()["file"]
        # One byte more than allowed tells an oversized file without reading it all.
        content = upload.read(limit + 1) if upload else b""
        file_name = upload.filename if upload else ""
        period = self._prm_parse_month(month)
        if not period:
            return self._prm_render_sellout(
                error=request.env._(
                    "Choose the month the file reports, up to this one."
                ),
                status=400,
            )
        try:
            Batch_sudo._prm_portal_check_file(content, file_name)
        except UserError as error:
            return self._prm_render_sellout(
                error=error.args[0], status=413 if len(content) > limit else 415
            )
        try:
            with request.env.cr.savepoint():
                batch = Batch_sudo._prm_portal_upload(
                    partner.commercial_partner_id,
                    *period,
                    file_name,
                    content,
                    batch=batch_sudo,
                )
        except UserError as error:
            return self._prm_render_sellout(error=error.args[0], status=400)
        return request.redirect(f"/my/incentives/sellout/{batch.id}")

    def _prm_upload_limits(self):
        limits = request.env["prm.sellout.importer"]._get_limits()
        return request.env._(
            "At most %(size)s MB and %(rows)s rows per file.",
            size=limits["file"] // (1024 * 1024),
            rows=f"{limits['rows']:,}",
        )

    def _prm_parse_month(self, month):
        """``(first day, last day)`` of a month written ``YYYY-MM``, not after
        the current one; None otherwise."""
        try:
            day = datetime.datetime.strptime(month or "", "%Y-%m").date()
        except ValueError:
            return None
        today = fields.Date.context_today(request.env["prm.sellout.batch"])
        if day > today or day.year < today.year - 10:
            return None
        return date_utils.get_month(day)

    @http.route(
        "/my/incentives/sellout/<int:batch_id>",
        type="http",
        auth="user",
        website=True,
    )
    def prm_sellout_batch(self, batch_id, **kw):
        self._prm_incentive_partner()
        batch_sudo = self._prm_record_sudo("prm.sellout.batch", batch_id)
        error_rows = request.env["prm.sellout.line"].search(
            [("batch_id", "=", batch_sudo.id), ("has_error", "=", True)],
            order="row_number, id",
            limit=ERROR_ROWS_SHOWN,
        )
        values = self._prm_values(
            "prm_sellout_batch",
            batch=batch_sudo,
            error_rows=error_rows,
            default_month=batch_sudo.date_from.strftime("%Y-%m"),
            upload_limits=self._prm_upload_limits(),
        )
        return request.render("prm_incentive.portal_my_sellout_batch", values)

    @http.route(
        "/my/incentives/sellout/<int:batch_id>/errors",
        type="http",
        auth="user",
        website=True,
    )
    def prm_sellout_errors(self, batch_id, **kw):
        """The rows in error as a CSV file to correct and upload again."""
        self._prm_incentive_partner()
        batch_sudo = self._prm_record_sudo("prm.sellout.batch", batch_id)
        if not batch_sudo.error_count:
            raise NotFound()
        content = batch_sudo._prm_error_report_csv()
        file_name = request.env._("%(report)s errors.csv", report=batch_sudo.name)
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(file_name)),
            ],
        )
