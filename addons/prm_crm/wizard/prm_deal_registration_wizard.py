from odoo import api, fields, models


class PrmDealRegistrationWizard(models.TransientModel):
    """Register a deal on a channel partner's behalf from the backend (the
    partner phoned or emailed it in): the same checks and conflict detection as
    a registration the partner submits itself."""

    _name = "prm.deal.registration.wizard"
    _description = "Register a Deal for a Partner"

    partner_id = fields.Many2one(
        "res.partner",
        string="Channel partner",
        required=True,
        domain=[
            ("prm_is_partner", "=", True),
            ("prm_state", "=", "active"),
            ("is_company", "=", True),
        ],
        help="The active channel partner the deal is registered for.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Registered by",
        domain="[('parent_id', '=', partner_id), ('type', '=', 'contact')]",
        help="The partner's contact who asked for the registration; told of the "
        "decision. Empty: the partner itself.",
    )
    partner_name = fields.Char(
        string="End customer company",
        required=True,
        help="The end customer the partner sells to; conflicts are looked for "
        "on this name, its VAT, email and phone.",
    )
    prm_customer_vat = fields.Char(string="Customer VAT")
    country_id = fields.Many2one("res.country", string="Customer country")
    contact_name = fields.Char(string="Customer contact")
    email_from = fields.Char(string="Customer email")
    phone = fields.Char(string="Customer phone")
    name = fields.Char(string="Deal", help="Empty: the end customer's name.")
    expected_revenue = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    date_deadline = fields.Date(string="Expected closing")
    description = fields.Text(string="Notes")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.parent_id != self.partner_id:
            self.contact_id = False

    def _prepare_registration_vals(self):
        """The partner-side fields of the registration, as the partner would
        send them (checked by ``crm.lead._prm_validate_registration_vals``)."""
        self.ensure_one()
        vals = {
            "partner_name": self.partner_name,
            "prm_customer_vat": self.prm_customer_vat,
            "country_id": self.country_id.id,
            "contact_name": self.contact_name,
            "email_from": self.email_from,
            "phone": self.phone,
            "name": self.name,
            "expected_revenue": self.expected_revenue,
            "date_deadline": self.date_deadline,
            "description": self.description,
        }
        return {key: value for key, value in vals.items() if value}

    def action_register(self):
        self.ensure_one()
        lead = self.env["crm.lead"]._prm_register_deal_for(
            self.partner_id, self._prepare_registration_vals(), contact=self.contact_id
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_crm.action_prm_deal_registration"
        )
        action.update(
            {
                "res_id": lead.id,
                "view_mode": "form",
                "views": [(self.env.ref("crm.crm_lead_view_form").id, "form")],
                "target": "current",
            }
        )
        return action
