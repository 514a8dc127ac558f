import base64

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from odoo.addons.prm_partner.tools.partner_api import (
    api_contact,
    api_date,
    api_int,
    api_page,
    partner_api,
)

SETTLEMENT_FIELDS = [
    "name",
    "program_id",
    "date_from",
    "date_to",
    "date",
    "state",
    "amount_earned",
    "amount_clawback",
    "amount_carried_in",
    "amount_total",
    "amount_to_pay",
    "amount_carried_forward",
    "currency_id",
    "payout_description",
]


class PrmSettlement(models.Model):
    """The partner integration API: a channel partner read its settlements and their statements
    (``docs/api.md``)."""

    _inherit = "prm.settlement"

    def _prm_api_domain(self, contact):
        # What the portal shows: posted and paid settlements of the company.
        return Domain("partner_id", "=", contact.commercial_partner_id.id) & Domain(
            "state", "in", ("posted", "paid")
        )

    @api.model
    @partner_api
    def prm_api_read_settlements(
        self, date_from=None, date_to=None, limit=80, offset=0
    ):
        """The caller's company's posted and paid settlements, newest first.

        :return: list of dicts (``id`` and ``SETTLEMENT_FIELDS``)
        """
        contact = api_contact(self.env, "incentives")
        limit, offset = api_page(self.env, limit, offset)
        domain = self._prm_api_domain(contact)
        if start := api_date(self.env, date_from, "date_from"):
            domain &= Domain("date_to", ">=", start)
        if end := api_date(self.env, date_to, "date_to"):
            domain &= Domain("date_from", "<=", end)
        # sudo: the caller's own company's settlements (domain above).
        return self.sudo().search_read(
            domain,
            SETTLEMENT_FIELDS,
            order="date_to desc, id desc",
            limit=limit,
            offset=offset,
        )

    @api.model
    @partner_api
    def prm_api_statement(self, settlement_id):
        """The PDF statement of one of the caller's settlements.

        :return: ``{"name", "filename", "mimetype", "content"}``, the content
            base64-encoded
        """
        contact = api_contact(self.env, "incentives")
        settlement_id = api_int(self.env, settlement_id, "settlement_id")
        # sudo: only the caller's own posted or paid settlement passes.
        settlement_sudo = self.sudo().search(
            self._prm_api_domain(contact) & Domain("id", "=", settlement_id)
        )
        if not settlement_sudo:
            raise AccessError(
                self.env._("This settlement is not one of your company's.")
            )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "prm_incentive.action_report_prm_settlement", settlement_sudo.ids
            )
        )
        return {
            "name": settlement_sudo.name,
            "filename": f"{settlement_sudo.name.replace('/', '-')}.{report_type}",
            # Test runs render HTML unless they ask for the PDF.
            "mimetype": "application/pdf" if report_type == "pdf" else "text/html",
            "content": base64.b64encode(pdf).decode(),
        }
