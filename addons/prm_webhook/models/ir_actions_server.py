from odoo import api, fields, models

from .prm_webhook_subscription import check_https_url


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    prm_subscription_id = fields.Many2one(
        "prm.webhook.subscription",
        string="Partner webhook",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        help="The partner subscription this webhook delivers (signed, https only).",
    )

    @api.constrains("webhook_url", "prm_subscription_id")
    def _check_prm_webhook_url(self):
        for action in self.filtered("prm_subscription_id"):
            check_https_url(self.env, action.webhook_url)

    def _run_action_webhook(self, eval_context=None):
        """A partner subscription's webhook is signed and sent to https only
        (``prm.webhook.subscription._prm_deliver``); others as Odoo does."""
        if not self.prm_subscription_id:
            return super()._run_action_webhook(eval_context=eval_context)
        record = self.env[self.model_id.model].browse(self.env.context.get("active_id"))
        if record:
            self.prm_subscription_id.sudo()._prm_deliver(record)
        return None
