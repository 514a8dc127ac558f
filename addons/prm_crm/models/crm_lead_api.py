from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.partner_api import (
    api_contact,
    api_page,
    api_values,
    partner_api,
)

from ..controllers.portal import REGISTRATION_FORM_FIELDS

# The portal registration form's fields (same keys, same checks), plus the
# products as a list of ids under the form's name or the field's.
API_REGISTRATION_KEYS = {*REGISTRATION_FORM_FIELDS, "product_ids", "prm_product_ids"}
# What a partner tells about a customer it refers; the consent is separate.
API_REFERRAL_KEYS = {
    "partner_name",
    "prm_customer_vat",
    "contact_name",
    "email_from",
    "phone",
    "country_id",
    "description",
    "expected_revenue",
}
DEAL_LIST_FIELDS = [
    "name",
    "partner_name",
    "prm_customer_vat",
    "expected_revenue",
    "date_deadline",
    "prm_registration_state",
    "prm_registration_date",
    "prm_protection_end",
    "prm_decision_reason",
]


class CrmLead(models.Model):
    """The partner integration API on leads: register deals and refer
    customers from the partner's own systems (``docs/api.md``)."""

    _inherit = "crm.lead"

    prm_referrer_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="Channel partner who referred this customer through the partner API.",
    )
    prm_referral_consent_date = fields.Datetime(
        string="Customer consent given on",
        readonly=True,
        copy=False,
        help="When the referring partner declared that the customer agreed to be "
        "contacted.",
    )

    def _prm_guarded_fields(self):
        refer = self.env._("Submit referral")
        return {
            **super()._prm_guarded_fields(),
            "prm_referrer_id": Guard(refer),
            "prm_referral_consent_date": Guard(refer),
        }

    @api.model
    def _prm_routing_candidate_domain(self):
        # A referred customer is the vendor's to work, never offered around.
        return super()._prm_routing_candidate_domain() & Domain(
            "prm_referrer_id", "=", False
        )

    # --- Partner API ---

    @api.model
    @partner_api
    def prm_api_register_deal(self, values):
        """Register a deal for the caller's company, like the portal form.

        :param values: dict of the portal form's fields (``partner_name``
            required; ``prm_customer_vat``, ``contact_name``, ``email_from``,
            ``phone``, ``country_id`` (id, ISO code or name),
            ``expected_revenue``, ``date_deadline``, ``description``,
            ``product_ids``)
        :return: id of the registration
        """
        api_contact(self.env, "deals")
        vals = api_values(self.env, values, API_REGISTRATION_KEYS)
        if "product_ids" in vals:
            vals["prm_product_ids"] = vals.pop("product_ids")
        if "prm_product_ids" in vals and not isinstance(vals["prm_product_ids"], list):
            raise UserError(self.env._("Send product_ids as a list of product ids."))
        return self._prm_portal_register_deal(vals).id

    @api.model
    @partner_api
    def prm_api_list_deals(self, states=None, limit=80, offset=0):
        """The caller's company's deal registrations, newest first.

        :param states: registration states to keep (all when empty)
        :return: list of dicts (``id`` and ``DEAL_LIST_FIELDS``)
        """
        contact = api_contact(self.env, "deals")
        limit, offset = api_page(self.env, limit, offset)
        domain = Domain(
            "prm_partner_id", "=", contact.commercial_partner_id.id
        ) & Domain("prm_registration_state", "!=", False)
        if states:
            known = dict(self._fields["prm_registration_state"].selection)
            if not isinstance(states, list) or set(states) - known.keys():
                raise UserError(
                    self.env._(
                        "states must be a list of: %(states)s.",
                        states=", ".join(known),
                    )
                )
            domain &= Domain("prm_registration_state", "in", states)
        # sudo: the caller's own company's registrations only (domain above).
        return (
            self.sudo()
            .with_context(active_test=False)
            .search_read(
                domain,
                DEAL_LIST_FIELDS,
                order="prm_registration_date desc, id desc",
                limit=limit,
                offset=offset,
            )
        )

    @api.model
    @partner_api
    def prm_api_submit_referral(self, values, customer_consent=False):
        """Refer a customer to the vendor: a lead the vendor's team works,
        crediting the caller's company as referrer.

        :param values: dict (``partner_name`` required; ``prm_customer_vat``,
            ``contact_name``, ``email_from``, ``phone``, ``country_id``,
            ``description``, ``expected_revenue``)
        :param customer_consent: must be ``true``: the customer agreed to be
            contacted by the vendor (recorded with the date)
        :return: id of the lead
        """
        api_contact(self.env, "deals")
        partner = self._prm_portal_partner()
        if customer_consent is not True:
            raise UserError(
                self.env._(
                    "A customer is referred only with its consent: send "
                    "customer_consent true once the customer agreed to be "
                    "contacted."
                )
            )
        vals = api_values(self.env, values, API_REFERRAL_KEYS)
        clean = self._prm_validate_registration_vals(vals, API_REFERRAL_KEYS)
        # sudo: portal users cannot create leads; everything was checked above.
        lead_sudo = self.sudo().create(self._prepare_prm_referral_vals(partner, clean))
        lead_sudo._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Referred by %(contact)s (%(partner)s) through the partner API; "
                "the customer's consent to be contacted was declared.",
                contact=self.env.user.partner_id.name,
                partner=partner.name,
            )
        )
        return lead_sudo.id

    def _prepare_prm_referral_vals(self, partner, clean):
        return {
            **clean,
            "type": "lead",
            "prm_referrer_id": partner.id,
            "prm_referral_consent_date": fields.Datetime.now(),
            "company_id": (partner.company_id or self.env.company).id,
        }
