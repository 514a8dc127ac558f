from odoo import api, fields, models
from odoo.exceptions import UserError


class PrmRejectWizard(models.TransientModel):
    """Reject onboarding items or authority documents, saying why."""

    _name = "prm.reject.wizard"
    _description = "Reject with a Reason"

    res_model = fields.Char(required=True, readonly=True)
    res_ids = fields.Json(required=True, readonly=True)
    reason = fields.Text(required=True)
    record_names = fields.Text(compute="_compute_record_names", string="Rejecting")

    @api.model
    def _prm_rejectable_models(self):
        """Models whose records this wizard may reject (``_prm_reject(reason)``)."""
        return {"prm.checklist.item", "prm.authority"}

    def _prm_records(self):
        self.ensure_one()
        if self.res_model not in self._prm_rejectable_models():
            raise UserError(
                self.env._(
                    "Records of %(model)s cannot be rejected.", model=self.res_model
                )
            )
        return self.env[self.res_model].browse(self.res_ids or []).exists()

    @api.depends("res_model", "res_ids")
    def _compute_record_names(self):
        for wizard in self:
            names = ""
            if wizard.res_model in self._prm_rejectable_models():
                names = "\n".join(wizard._prm_records().mapped("display_name"))
            wizard.record_names = names

    def action_apply(self):
        self.ensure_one()
        self._prm_records()._prm_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
