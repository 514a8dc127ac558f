from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _reconcile_post_hook(self, data):
        res = super()._reconcile_post_hook(data)
        self.move_id._prm_after_reconcile_change()
        return res
