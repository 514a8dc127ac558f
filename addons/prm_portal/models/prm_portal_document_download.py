from odoo import fields, models


class PrmPortalDocumentDownload(models.Model):
    """One download of a published document by a partner's user: counted per
    partner with grouped reads, never updated (concurrent downloads only add
    rows)."""

    _name = "prm.portal.document.download"
    _description = "Partner Portal Document Download"
    _order = "id desc"
    _log_access = True

    document_id = fields.Many2one(
        "prm.portal.document", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", ondelete="set null")
