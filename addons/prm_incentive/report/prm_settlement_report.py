from odoo import api, models


class ReportPrmSettlement(models.AbstractModel):
    """Statement of settlements. Access is checked on the settlements as the
    reader; they are then rendered as superuser because a statement names
    customer invoices, customers and products its reader (a channel manager, a
    partner on the portal) may not read one by one."""

    _name = "report.prm_incentive.report_prm_settlement"
    _description = "Incentive Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        settlements = self.env["prm.settlement"].browse(docids)
        settlements.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "prm.settlement",
            "docs": settlements.sudo(),
        }


class ReportPrmPartnerStatement(models.AbstractModel):
    """Every live settlement of the partners, those the reader may read."""

    _name = "report.prm_incentive.report_prm_partner_statement"
    _description = "Partner Incentive Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        partners.check_access("read")
        settlements = {
            partner.id: partner._prm_statement_settlements().sudo()
            for partner in partners
        }
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "settlements": settlements,
        }
