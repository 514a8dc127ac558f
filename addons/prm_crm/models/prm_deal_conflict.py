from collections import defaultdict
from datetime import datetime

from odoo import api, fields, models

from .crm_lead import OPEN_REGISTRATION_STATES

CONFLICT_KINDS = [
    ("registration", "Registered by another deal"),
    ("direct_lead", "Direct sales lead"),
    ("customer", "Customer of another partner"),
]
# Reason codes of prm.match.mixin, in the order they are listed.
REASON_ORDER = ("vat", "email_domain", "name", "phone")


class PrmDealConflict(models.Model):
    """Why a deal registration cannot be approved as it is: another open
    registration, a direct sales lead or another partner's customer matches its
    end customer on one or more identity keys."""

    _name = "prm.deal.conflict"
    _description = "Deal Registration Conflict"
    _order = "lead_id, kind, id"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Deal registration",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="lead_id.company_id",
        store=True,
        precompute=True,
        index=True,
        string="Company",
    )
    kind = fields.Selection(CONFLICT_KINDS, required=True)
    conflict_lead_id = fields.Many2one(
        "crm.lead", string="Conflicting lead", index=True, ondelete="cascade"
    )
    conflict_partner_id = fields.Many2one(
        "res.partner", string="Existing customer", index=True, ondelete="cascade"
    )
    owner_partner_id = fields.Many2one(
        "res.partner",
        string="Other channel partner",
        help="Channel partner holding the conflicting registration or owning the "
        "customer.",
    )
    owner_user_id = fields.Many2one(
        "res.users", string="Salesperson", help="Salesperson of the direct lead."
    )
    record_name = fields.Char(
        string="Record",
        help="Name of the conflicting record when it was found (readable even "
        "without access to it).",
    )
    reason_codes = fields.Char(required=True)
    reasons = fields.Char(compute="_compute_reasons")

    # --- Compute ---

    @api.depends("reason_codes")
    def _compute_reasons(self):
        labels = self._reason_labels()
        for line in self:
            codes = (line.reason_codes or "").split(",")
            line.reasons = ", ".join(labels.get(code, code) for code in codes if code)

    def _reason_labels(self):
        return {
            "vat": self.env._("Same VAT"),
            "email_domain": self.env._("Same email domain"),
            "name": self.env._("Same company name"),
            "phone": self.env._("Same phone"),
        }

    # --- Business ---

    @api.model
    def _prm_find_conflicts(self, leads):
        """Conflicts of a batch of registrations, in grouped queries.

        Kinds: an open registration submitted before (first come, first served),
        an open lead of the direct sales team (no channel partner), a customer
        owned by another channel partner (``res.partner.prm_owner_partner_id``,
        else any confirmed order or posted invoice through another partner).

        :return: ``{lead_id: [prm.deal.conflict values]}``
        """
        leads = leads.sudo()
        keys_list = [
            {field: lead[field] for field in self._key_fields()} for lead in leads
        ]
        result = defaultdict(list)
        self._prm_find_registration_conflicts(leads, keys_list, result)
        self._prm_find_direct_lead_conflicts(leads, keys_list, result)
        self._prm_find_customer_conflicts(leads, keys_list, result)
        return result

    @api.model
    def _key_fields(self):
        return ("prm_vat_key", "prm_email_domain", "prm_name_key", "prm_phone_key")

    @api.model
    def _codes(self, reasons):
        return ",".join(code for code in REASON_ORDER if code in reasons)

    @api.model
    def _prm_find_registration_conflicts(self, leads, keys_list, result):
        Lead = self.env["crm.lead"].sudo()
        matches = Lead._prm_find_matches(
            keys_list, [("prm_registration_state", "in", OPEN_REGISTRATION_STATES)]
        )
        others = Lead.browse({i for match in matches for i in match})
        others.fetch(["name", "prm_partner_id", "prm_registration_date"])

        def rank(lead):
            return (lead.prm_registration_date or datetime.min, lead.id)

        for lead, match in zip(leads, matches, strict=True):
            for other in others.browse(match):
                # The earlier registration wins: only later ones are in conflict.
                if other == lead or rank(other) > rank(lead):
                    continue
                result[lead.id].append(
                    {
                        "lead_id": lead.id,
                        "kind": "registration",
                        "conflict_lead_id": other.id,
                        "owner_partner_id": other.prm_partner_id.id,
                        "record_name": other.name,
                        "reason_codes": self._codes(match[other.id]),
                    }
                )

    @api.model
    def _prm_find_direct_lead_conflicts(self, leads, keys_list, result):
        Lead = self.env["crm.lead"].sudo()
        matches = Lead._prm_find_matches(
            keys_list,
            [
                ("prm_partner_id", "=", False),
                ("won_status", "=", "pending"),
                ("id", "not in", leads.ids),
            ],
        )
        others = Lead.browse({i for match in matches for i in match})
        others.fetch(["name", "user_id"])
        for lead, match in zip(leads, matches, strict=True):
            for other in others.browse(match):
                result[lead.id].append(
                    {
                        "lead_id": lead.id,
                        "kind": "direct_lead",
                        "conflict_lead_id": other.id,
                        "owner_user_id": other.user_id.id,
                        "record_name": other.name,
                        "reason_codes": self._codes(match[other.id]),
                    }
                )

    @api.model
    def _prm_find_customer_conflicts(self, leads, keys_list, result):
        Partner = self.env["res.partner"].sudo()
        matches = Partner._prm_find_matches(
            keys_list, [("commercial_partner_id.prm_is_partner", "=", False)]
        )
        matched = Partner.browse({i for match in matches for i in match})
        matched.fetch(["commercial_partner_id"])
        customers = matched.commercial_partner_id
        owners = self._prm_customer_owners(customers)
        for lead, match in zip(leads, matches, strict=True):
            # Reasons per customer: contacts of one company add up.
            reasons_by_customer = defaultdict(set)
            for partner in matched.browse(match):
                reasons_by_customer[partner.commercial_partner_id] |= match[partner.id]
            for customer, reasons in reasons_by_customer.items():
                other_owners = owners.get(customer.id, set()) - {lead.prm_partner_id.id}
                for owner_id in sorted(other_owners):
                    result[lead.id].append(
                        {
                            "lead_id": lead.id,
                            "kind": "customer",
                            "conflict_partner_id": customer.id,
                            "owner_partner_id": owner_id,
                            "record_name": customer.display_name,
                            "reason_codes": self._codes(reasons),
                        }
                    )

    @api.model
    def _prm_customer_owners(self, customers):
        """``{customer_id: {channel partner ids}}``: the owner set on the
        customer wins; without one, the channel partners it bought through
        (see ``_prm_customer_channels``)."""
        owners = {}
        if not customers:
            return owners
        customers.fetch(["prm_owner_partner_id"])
        for customer in customers:
            if customer.prm_owner_partner_id:
                owners[customer.id] = {customer.prm_owner_partner_id.id}
        unowned = customers.filtered(lambda c: not c.prm_owner_partner_id)
        if not unowned:
            return owners
        through = self._prm_customer_channels(unowned)
        for customer_id, channels in through.items():
            owners[customer_id] = channels
        return owners

    @api.model
    def _prm_customer_channels(self, customers):
        """``{customer_id: {channel partner ids}}`` the customers bought
        through, for those without an owning partner. Hook: Sales adds the
        channel partners of confirmed orders and posted invoices."""
        return {}

    # --- Actions ---

    def action_open_record(self):
        self.ensure_one()
        record = self.conflict_lead_id or self.conflict_partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }
