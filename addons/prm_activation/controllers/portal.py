from datetime import timedelta

from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.prm_partner.tools.portal import portal_count

PAGE_SIZE = 20
DAYS = 30


class PrmActivationPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_activation_count" in counters:
            values["prm_activation_count"] = portal_count(
                "prm.activation.range", "activations"
            )
        return values

    @http.route(
        ["/my/activations", "/my/activations/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def prm_portal_activations(self, page=1, **kwargs):
        """The partner's code ranges, codes sold / activated / remaining,
        activations per day and what they earned; never a plain code."""
        user = request.env.user
        if not user.partner_id._prm_portal_allows("activations"):
            return request.not_found()
        partner = user.partner_id.commercial_partner_id
        Range = request.env["prm.activation.range"]
        count = Range.search_count([])
        pager = portal_pager(
            url="/my/activations", total=count, page=page, step=PAGE_SIZE
        )
        ranges = Range.search([], limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "prm_activations",
                "pager": pager,
                "ranges": ranges,
                "range_counts": self._prm_range_counts(ranges),
                "summary": partner._prm_activation_summary(),
                "per_day": self._prm_activations_per_day(),
                "earnings": self._prm_activation_earnings(partner),
            }
        )
        return request.render("prm_activation.portal_my_activations", values)

    def _prm_range_counts(self, ranges):
        """{range id: {state: count}} in one grouped query (superuser on the
        ranges the record rules just let through)."""
        counts = {}
        for arange, state, count in (
            request.env["prm.activation.code"]
            .sudo()
            ._read_group(
                [("range_id", "in", ranges.ids)], ["range_id", "state"], ["__count"]
            )
        ):
            counts.setdefault(arange.id, {})[state] = count
        return counts

    def _prm_activations_per_day(self):
        since = fields.Datetime.now() - timedelta(days=DAYS)
        groups = request.env["prm.activation"]._read_group(
            [("state", "=", "done"), ("date", ">=", since)], ["date:day"], ["__count"]
        )
        return sorted(
            ((day, count) for day, count in groups),
            key=lambda row: row[0],
            reverse=True,
        )

    def _prm_activation_earnings(self, partner):
        """What the partner earned from activations, per currency (superuser:
        totals of its own accruals only)."""
        groups = (
            request.env["prm.incentive.line"]
            .sudo()
            ._read_group(
                [("partner_id", "=", partner.id), ("kind", "=", "activation")],
                ["currency_id"],
                ["amount:sum"],
            )
        )
        return [(currency, amount) for currency, amount in groups]
