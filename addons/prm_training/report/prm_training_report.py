from odoo import fields, models, tools


class PrmTrainingReport(models.Model):
    """Completion and pass rates: one row per course member who represents a
    program partner, to group per course, per partner and per tier."""

    _name = "prm.training.report"
    _description = "Partner Training Analysis"
    _auto = False
    _order = "channel_id, partner_id"

    channel_id = fields.Many2one("slide.channel", string="Course", readonly=True)
    member_id = fields.Many2one("res.partner", string="Person", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    tier_id = fields.Many2one("prm.tier", readonly=True)
    partner_type_id = fields.Many2one(
        "prm.partner.type", string="Partner type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    member_count = fields.Integer(string="Enrolled", readonly=True, aggregator="sum")
    completed_count = fields.Integer(
        string="Completed", readonly=True, aggregator="sum"
    )
    passed_count = fields.Integer(string="Passed exam", readonly=True, aggregator="sum")
    completion_rate = fields.Float(
        string="Completion rate (%)", readonly=True, aggregator="avg"
    )
    pass_rate = fields.Float(string="Pass rate (%)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT scp.id AS id,
                       scp.channel_id AS channel_id,
                       scp.partner_id AS member_id,
                       cp.id AS partner_id,
                       cp.prm_tier_id AS tier_id,
                       cp.prm_partner_type_id AS partner_type_id,
                       cp.company_id AS company_id,
                       1 AS member_count,
                       CASE WHEN scp.member_status = 'completed' THEN 1 ELSE 0 END
                           AS completed_count,
                       CASE WHEN scp.survey_certification_success THEN 1 ELSE 0 END
                           AS passed_count,
                       CASE WHEN scp.member_status = 'completed' THEN 100.0
                           ELSE 0.0 END AS completion_rate,
                       CASE WHEN scp.survey_certification_success THEN 100.0
                           ELSE 0.0 END AS pass_rate
                  FROM slide_channel_partner scp
                  JOIN res_partner p ON p.id = scp.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE scp.active AND cp.prm_is_partner
                   AND scp.member_status != 'invited'
            )
            """
        )
