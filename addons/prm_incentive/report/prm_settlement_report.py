from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.prm_partner.tools.formatting import format_money, format_number

from ..models.prm_incentive_line import SOURCE_KINDS


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
        settlements_sudo = settlements.sudo()
        return {
            "doc_ids": docids,
            "doc_model": "prm.settlement",
            "docs": settlements_sudo,
            **self._prepare_statement_values(settlements_sudo, data),
        }

    @api.model
    def _prepare_statement_values(self, settlements_sudo, data=None):
        """What the statement template prints beyond the fields: each line's
        base, rate (or bracket reached) and amount as the partner reads them."""
        return {
            "statement_lines": {
                settlement.id: self._prepare_statement_lines(settlement)
                for settlement in settlements_sudo
            },
            "system_fonts": self._use_system_fonts(data),
            "format_settlement_amount": self._format_settlement_amount,
        }

    @api.model
    def _format_settlement_amount(self, settlement, amount):
        """An amount of ``settlement`` in its partner's language: money with
        the currency, or points for a points program."""
        env = settlement.with_context(lang=settlement.partner_id.lang).env
        if settlement.program_id.kind == "points":
            return env._("%(points)s points", points=format_number(env, amount, 2))
        return format_money(env, amount, settlement.currency_id)

    @api.model
    def _use_system_fonts(self, data):
        """Whether to print the statement in the system's fonts.

        wkhtmltopdf built on an unpatched Qt (Debian's package) draws web fonts
        as outlines: the statement would show its amounts but a reader could
        not search, copy or read them aloud. Its system fonts stay text.
        """
        return bool(
            (data or {}).get("report_type") == "pdf" and not _wkhtml().is_patched_qt
        )

    @api.model
    def _prepare_statement_lines(self, settlement):
        """One dict of texts per line of ``settlement``, in its partner's
        language."""
        settlement = settlement.with_context(lang=settlement.partner_id.lang)
        lines = (
            settlement.line_ids
            if settlement.state != "cancel"
            else settlement.cancelled_line_ids
        )
        return [
            self._prepare_statement_line(settlement, line)
            for line in lines.sorted(lambda line: (line.date, line.id))
        ]

    @api.model
    def _prepare_statement_line(self, settlement, line):
        env = line.env
        rule = line.rule_id
        if rule and line.kind in SOURCE_KINDS:
            base_text = rule._format_base(line.base)
        elif rule and line.kind == "period":
            base_text = rule._format_base(line.period_base)
        else:
            base_text = ""
        if line.kind == "period" and rule:
            rate_text = rule._describe_period_rate(line.period_base)
        elif line.kind in SOURCE_KINDS and rule:
            rate_text = line.rate_display or ""
        else:
            rate_text = ""
        return {
            "line": line,
            "base": base_text,
            "rate": rate_text,
            "multiplier": (
                f"× {format_number(env, line.multiplier, 4)}"
                if line.multiplier != 1
                else ""
            ),
            "amount": self._format_settlement_amount(settlement, line.amount),
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
        all_settlements = self.env["prm.settlement"].sudo()
        for partner_settlements in settlements.values():
            all_settlements |= partner_settlements
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "settlements": settlements,
            **self.env[
                "report.prm_incentive.report_prm_settlement"
            ]._prepare_statement_values(all_settlements, data),
        }
