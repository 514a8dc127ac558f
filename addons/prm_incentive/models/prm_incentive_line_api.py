from odoo import api, models
from odoo.fields import Domain

from odoo.addons.prm_partner.tools.partner_api import (
    api_contact,
    api_date,
    api_page,
    partner_api,
)

ACCRUAL_FIELDS = [
    "date",
    "name",
    "kind",
    "program_id",
    "attribution",
    "base",
    "rate_display",
    "multiplier",
    "amount",
    "currency_id",
    "is_clawback",
    "settlement_id",
    "settlement_state",
]


class PrmIncentiveLine(models.Model):
    """The partner integration API: a channel partner read its accruals
    (``docs/api.md``)."""

    _inherit = "prm.incentive.line"

    @api.model
    @partner_api
    def prm_api_read_accruals(self, date_from=None, date_to=None, limit=200, offset=0):
        """The caller's company's accruals (commissions, fees, rebates, their
        claw-backs), newest first, optionally of a date range.

        :return: list of dicts (``id`` and ``ACCRUAL_FIELDS``)
        """
        contact = api_contact(self.env, "incentives")
        limit, offset = api_page(self.env, limit, offset)
        domain = Domain("partner_id", "=", contact.commercial_partner_id.id)
        if start := api_date(self.env, date_from, "date_from"):
            domain &= Domain("date", ">=", start)
        if end := api_date(self.env, date_to, "date_to"):
            domain &= Domain("date", "<=", end)
        # sudo: the caller's own company's accruals (domain above); the fields
        # are whitelisted (no invoice or customer of the vendor's books).
        return self.sudo().search_read(
            domain,
            ACCRUAL_FIELDS,
            order="date desc, id desc",
            limit=limit,
            offset=offset,
        )
