from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column


class CrmLead(models.Model):
    _inherit = "crm.lead"

    prm_registration_partner_id = fields.Many2one(
        "res.partner",
        string="Registering partner",
        compute="_compute_prm_registration_partner_id",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Channel partner that registered the deal. Unlike the channel partner, "
        "it stays when the registration expires and the customer is released: "
        "channel analytics count the registration for it.",
    )

    # Channel analytics (prm.channel.report) filter each source on the month of
    # its date; these expression indexes match the report's month columns.
    _prm_registration_month_idx = models.Index(
        "(((date_trunc('month', prm_registration_date))::date)) "
        "WHERE prm_registration_state IS NOT NULL"
    )
    _prm_won_month_idx = models.Index(
        "(((date_trunc('month', date_closed))::date)) "
        "WHERE won_status = 'won' AND prm_partner_id IS NOT NULL"
    )

    def _auto_init(self):
        # On upgrade, fill the new column in one UPDATE rather than computing it
        # lead by lead: every registration still carries its partner except the
        # expired ones, whose registering partner is lost already. On install
        # there is no registration yet: the column stays empty.
        cr = self.env.cr
        if not column_exists(cr, "crm_lead", "prm_registration_partner_id"):
            create_column(cr, "crm_lead", "prm_registration_partner_id", "int4")
            if column_exists(cr, "crm_lead", "prm_registration_state"):
                cr.execute(
                    "UPDATE crm_lead SET prm_registration_partner_id = prm_partner_id "
                    "WHERE prm_registration_state IS NOT NULL"
                )
        return super()._auto_init()

    # --- Compute ---

    @api.depends("prm_registration_state", "prm_partner_id")
    def _compute_prm_registration_partner_id(self):
        for lead in self:
            if not lead.prm_registration_state:
                lead.prm_registration_partner_id = False
            else:
                # An expired registration releases its customer (no channel
                # partner any more): keep who registered it.
                lead.prm_registration_partner_id = (
                    lead.prm_partner_id or lead.prm_registration_partner_id
                )
