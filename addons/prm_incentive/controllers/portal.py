from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class PrmIncentivePortal(CustomerPortal):
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
        try:
            settlement_sudo = self._document_check_access(
                "prm.settlement", settlement_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._show_report(
            model=settlement_sudo,
            report_type="html" if report_type == "html" else "pdf",
            report_ref="prm_incentive.action_report_prm_settlement",
            download=download,
        )
