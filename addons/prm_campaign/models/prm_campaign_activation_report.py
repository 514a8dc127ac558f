from odoo import fields, models, tools


class PrmCampaignActivationReport(models.Model):
    """Kit activations and what they brought (leads, won opportunities,
    invoiced revenue), one row per activation, for pivot and graph views."""

    _name = "prm.campaign.activation.report"
    _description = "Campaign Kit Activation Analysis"
    _auto = False
    _order = "date desc"

    activation_id = fields.Many2one("prm.campaign.activation", readonly=True)
    kit_id = fields.Many2one("prm.campaign.kit", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    tier_id = fields.Many2one("prm.tier", readonly=True)
    partner_type_id = fields.Many2one(
        "prm.partner.type", string="Partner type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Datetime(string="Activated on", readonly=True)
    activation_count = fields.Integer(string="Activations", readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    won_revenue = fields.Monetary(string="Won revenue", readonly=True)
    revenue = fields.Monetary(string="Invoiced revenue", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT
                    a.id AS id,
                    a.id AS activation_id,
                    a.kit_id,
                    a.partner_id,
                    p.prm_tier_id AS tier_id,
                    p.prm_partner_type_id AS partner_type_id,
                    a.company_id,
                    c.currency_id,
                    a.date,
                    1 AS activation_count,
                    COALESCE(l.leads, 0) AS lead_count,
                    COALESCE(l.opportunities, 0) AS opportunity_count,
                    COALESCE(l.won, 0) AS won_count,
                    COALESCE(l.won_revenue, 0) AS won_revenue,
                    COALESCE(i.revenue, 0) AS revenue
                FROM prm_campaign_activation a
                JOIN res_partner p ON p.id = a.partner_id
                JOIN prm_campaign_kit k ON k.id = a.kit_id
                LEFT JOIN res_company c ON c.id = a.company_id
                LEFT JOIN (
                    SELECT prm_campaign_activation_id AS activation_id,
                           count(*) AS leads,
                           count(*) FILTER (WHERE type = 'opportunity')
                               AS opportunities,
                           count(*) FILTER (WHERE won_status = 'won') AS won,
                           sum(expected_revenue) FILTER (WHERE won_status = 'won')
                               AS won_revenue
                      FROM crm_lead
                     WHERE prm_campaign_activation_id IS NOT NULL
                  GROUP BY prm_campaign_activation_id
                ) l ON l.activation_id = a.id
                LEFT JOIN (
                    SELECT source_id, campaign_id,
                           sum(amount_untaxed_signed) AS revenue
                      FROM account_move
                     WHERE state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                       AND source_id IS NOT NULL
                  GROUP BY source_id, campaign_id
                ) i ON i.source_id = a.source_id AND i.campaign_id = k.campaign_id
            )
            """
        )
