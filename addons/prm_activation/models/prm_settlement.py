from odoo import api, models


class PrmSettlement(models.Model):
    _inherit = "prm.settlement"

    def _prepare_payout_group_key(self, line):
        """Activation accruals: one document line per rule, or per rule and
        code batch."""
        if line.kind != "activation":
            return super()._prepare_payout_group_key(line)
        if self.program_id.payout_grouping == "rule":
            return ("rule", line.rule_id.id)
        return ("activation", line.rule_id.id, line.activation_batch_id.id)

    @api.model
    def _payout_line_fields(self):
        return [*super()._payout_line_fields(), "activation_batch_id"]

    def _prepare_payout_group_label(self, line, key):
        if key[0] != "activation":
            return super()._prepare_payout_group_label(line, key)
        return self.env._(
            "%(rule)s - activations %(batch)s",
            rule=line.rule_id.name,
            batch=line.activation_batch_id.name or "",
        )
