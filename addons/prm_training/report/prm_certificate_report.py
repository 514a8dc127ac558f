from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml


class ReportPrmCertificate(models.AbstractModel):
    """The certificate's PDF, read by its caller's rights as Odoo's default
    rendering does; it only adds whether to print in the system's fonts."""

    _name = "report.prm_training.report_prm_certificate"
    _description = "Partner Certificate Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids,
            "doc_model": "prm.certificate",
            "docs": self.env["prm.certificate"].browse(docids),
            "system_fonts": self._use_system_fonts(data),
        }

    @api.model
    def _use_system_fonts(self, data):
        """wkhtmltopdf built on an unpatched Qt (Debian's package) draws web
        fonts as outlines: the holder's name and the number could not be
        searched or copied. Its system fonts stay text."""
        return bool(
            (data or {}).get("report_type") == "pdf" and not _wkhtml().is_patched_qt
        )
