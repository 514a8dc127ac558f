from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from odoo.addons.prm_partner.tools.partner_api import (
    api_contact,
    api_int,
    api_page,
    partner_api,
)

OFFER_LIST_FIELDS = [
    "state",
    "offered_at",
    "deadline",
    "lead_name",
    "lead_city",
    "lead_zip",
    "lead_state_id",
    "lead_country_id",
    "lead_expected_revenue",
    "lead_interest",
    "company_currency",
    "lead_id",
]
OFFER_STATES = ("offered", "accepted", "declined", "expired")


class PrmLeadOffer(models.Model):
    """The partner integration API on routed leads: list the offers and
    answer them (``docs/api.md``)."""

    _inherit = "prm.lead.offer"

    @api.model
    @partner_api
    def prm_api_list_offers(self, state="offered", limit=80, offset=0):
        """The leads offered to the caller's company.

        :param state: ``offered`` (to answer), ``accepted``, ``declined``,
            ``expired`` or ``all``
        :return: list of dicts (``id`` and ``OFFER_LIST_FIELDS``); the lead
            itself opens once accepted
        """
        contact = api_contact(self.env, "leads")
        limit, offset = api_page(self.env, limit, offset)
        if state not in (*OFFER_STATES, "all"):
            raise UserError(
                self.env._(
                    "state must be one of: %(states)s.",
                    states=", ".join((*OFFER_STATES, "all")),
                )
            )
        domain = Domain("partner_id", "=", contact.commercial_partner_id.id)
        if state != "all":
            domain &= Domain("state", "=", state)
        # sudo: the caller's own company's offers only (domain above).
        offers = self.sudo().search_read(
            domain, OFFER_LIST_FIELDS, limit=limit, offset=offset
        )
        for offer in offers:
            # The lead itself is the partner's once it accepted it.
            accepted = offer["state"] == "accepted" and offer["lead_id"]
            offer["lead_id"] = accepted[0] if accepted else False
        return offers

    @api.model
    @partner_api
    def prm_api_decline_reasons(self):
        """The reasons a partner may give when declining: list of dicts
        (``id``, ``name``, ``note_required``)."""
        api_contact(self.env, "leads")
        # sudo: the vendor's reason list, names only.
        return (
            self.env["prm.offer.decline.reason"]
            .sudo()
            .search_read([], ["name", "note_required"])
        )

    @api.model
    @partner_api
    def prm_api_answer_offer(self, offer_id, accept, reason_id=None, note=None):
        """Accept or decline an offer of the caller's company.

        :param offer_id: id of the offer (from ``prm_api_list_offers``)
        :param accept: ``true`` takes the lead, ``false`` declines it
        :param reason_id: decline reason (required to decline)
        :param note: explanation (required by some reasons)
        :return: ``{"state": ..., "lead_id": ...}``
        """
        contact = api_contact(self.env, "leads")
        offer_id = api_int(self.env, offer_id, "offer_id")
        if not isinstance(accept, bool):
            raise UserError(self.env._("accept must be true or false."))
        # sudo: only to tell whether it is the caller's; the same answer for an
        # unknown offer and another partner's one.
        offer_sudo = self.sudo().browse(offer_id).exists()
        if (
            not offer_sudo
            or offer_sudo.partner_id.commercial_partner_id
            != contact.commercial_partner_id
        ):
            raise AccessError(
                self.env._("This lead offer was not made to your company.")
            )
        offer = self.browse(offer_sudo.id)
        if accept:
            offer.action_prm_accept()
        else:
            offer.action_prm_decline(reason_id, note)
        offer_sudo.invalidate_recordset(["state"])
        return {
            "state": offer_sudo.state,
            "lead_id": offer_sudo.lead_id.id if accept else False,
        }
