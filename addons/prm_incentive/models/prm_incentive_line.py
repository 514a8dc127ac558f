from datetime import timedelta

from odoo import _lt, api, fields, models
from odoo.exceptions import LockError, UserError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

from .prm_incentive_engine import AMOUNT_DIGITS
from .prm_incentive_rule import ATTRIBUTIONS

# Fields the accrual engine owns: users never edit them on a computed line.
ENGINE_FIELDS = {
    "amount",
    "partner_id",
    "program_id",
    "date",
    "customer_id",
    "product_id",
    "period_base",
    "rule_id",
    "move_line_id",
    "move_id",
    "base",
    "rate",
    "multiplier",
    "paid_ratio",
    "revision",
    "origin_line_id",
    "kind",
    "attribution",
    "sellout_batch_id",
}

# Kinds computed from a source line (invoice line, sell-out report) by a rule.
SOURCE_KINDS = ("line", "sellout")


class PrmIncentiveLine(models.Model):
    """An accrual: what one partner earns (or gives back) from one rule.

    Invoice-line accruals are unique on (rule, invoice line, partner, revision):
    recomputing updates the open revision or adds a new one, never a duplicate.
    A revision above 0 only exists once the earlier ones are locked in a
    settlement (paid-basis increments, invoices reset to draft and re-posted).
    ``settlement_id`` is written only by settlement and cancellation, under a
    row lock (see ``prm.settlement``).
    """

    _name = "prm.incentive.line"
    _description = "Incentive Accrual"
    _inherit = ["prm.guarded.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description")
    kind = fields.Selection(
        [
            ("line", "Invoice line"),
            ("sellout", "Sell-out"),
            ("period", "Period result"),
            ("carry", "Carried balance"),
            ("manual", "Adjustment"),
        ],
        required=True,
        default="manual",
        readonly=True,
    )
    program_id = fields.Many2one(
        "prm.incentive.program",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    rule_id = fields.Many2one(
        "prm.incentive.rule",
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        help="The channel partner who earns.",
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="program_id.currency_id", store=True, precompute=True
    )
    attribution = fields.Selection(ATTRIBUTIONS, readonly=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    period_start = fields.Date(
        compute="_compute_period_start",
        store=True,
        index=True,
        precompute=True,
        help="First day of the program period this accrual belongs to.",
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", index=True, readonly=True, ondelete="set null"
    )
    move_line_id = fields.Many2one(
        "account.move.line", index=True, readonly=True, ondelete="set null"
    )
    sellout_batch_id = fields.Many2one(
        "prm.sellout.batch",
        string="Sell-out report",
        index="btree_not_null",
        readonly=True,
        ondelete="restrict",
        help="Sell-out accruals: the validated report whose lines earned.",
    )
    customer_id = fields.Many2one("res.partner", readonly=True, index=True)
    product_id = fields.Many2one("product.product", readonly=True)
    base = fields.Float(
        readonly=True,
        digits=(16, 4),
        help="Revenue or margin in the program currency, or quantity.",
    )
    rate = fields.Float(string="Rate value", readonly=True, digits=(16, 4))
    multiplier = fields.Float(string="Tier multiplier", default=1.0, readonly=True)
    paid_ratio = fields.Float(
        default=1.0,
        readonly=True,
        digits=(16, 6),
        help="Share of the customer invoice paid (paid-basis programs).",
    )
    # A float, not a monetary field: the ORM would round each accrual to the
    # currency; settlements round once per document line instead.
    amount = fields.Float(
        required=True, default=0.0, digits=(16, AMOUNT_DIGITS), aggregator="sum"
    )
    revision = fields.Integer(default=0, readonly=True, copy=False)
    origin_line_id = fields.Many2one(
        "prm.incentive.line",
        string="Clawback of",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    is_clawback = fields.Boolean(
        compute="_compute_is_clawback", store=True, precompute=True
    )
    settlement_id = fields.Many2one(
        "prm.settlement", readonly=True, index=True, copy=False, ondelete="restrict"
    )
    settlement_state = fields.Selection(related="settlement_id.state")
    carry_from_settlement_id = fields.Many2one(
        "prm.settlement",
        string="Carried from",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="cascade",
    )
    rate_display = fields.Char(string="Rate", compute="_compute_rate_display")
    period_base = fields.Float(
        readonly=True,
        digits=(16, 4),
        aggregator=None,
        help="Period results: the period base the result was computed on.",
    )

    adjustment_reason = fields.Text(
        readonly=True, help="Adjustments: why the accruals were corrected."
    )
    adjusted_by_id = fields.Many2one(
        "res.users", string="Adjusted by", readonly=True, index="btree_not_null"
    )
    adjusted_line_id = fields.Many2one(
        "prm.incentive.line",
        string="Corrects",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Adjustments: the accrual this one corrects.",
    )

    _line_key_uniq = models.UniqueIndex(
        "(rule_id, move_line_id, partner_id, revision) WHERE kind = 'line'",
        "This invoice line already has this accrual revision.",
    )
    _period_key_uniq = models.UniqueIndex(
        "(rule_id, partner_id, period_start, revision) WHERE kind = 'period'",
        "This period result already has this revision.",
    )
    _sellout_key_uniq = models.UniqueIndex(
        "(rule_id, sellout_batch_id, partner_id, period_start, revision) "
        "WHERE kind = 'sellout'",
        "This sell-out report already has this accrual revision.",
    )
    _carry_uniq = models.UniqueIndex(
        "(carry_from_settlement_id) WHERE carry_from_settlement_id IS NOT NULL",
        "A settlement carries its balance forward once.",
    )
    _engine_line_has_rule = models.Constraint(
        "CHECK(kind NOT IN ('line', 'sellout', 'period') OR rule_id IS NOT NULL)",
        "Computed accruals need their rule.",
    )

    # --- Compute ---

    @api.depends("date", "program_id.period")
    def _compute_period_start(self):
        for line in self:
            if line.date and line.program_id:
                line.period_start = line.program_id._get_period(line.date)[0]
            else:
                line.period_start = False

    @api.depends("amount", "base", "origin_line_id", "kind")
    def _compute_is_clawback(self):
        for line in self:
            line.is_clawback = self._is_clawback_values(
                {
                    "origin_line_id": line.origin_line_id.id,
                    "kind": line.kind,
                    "amount": line.amount,
                    "base": line.base,
                }
            )

    @api.model
    def _is_clawback_values(self, vals):
        """Whether an accrual of values ``vals`` takes back what was earned
        (shared with the engine's set-based insert)."""
        return bool(vals.get("origin_line_id")) or (
            vals.get("kind") in SOURCE_KINDS
            and ((vals.get("amount") or 0.0) < 0 or (vals.get("base") or 0.0) < 0)
        )

    @api.depends("rate", "rule_id", "kind")
    def _compute_rate_display(self):
        for line in self:
            if line.kind in SOURCE_KINDS and line.rule_id:
                line.rate_display = line.rule_id._describe_rate(line.rate)
            else:
                line.rate_display = False

    # --- CRUD ---

    def _prm_guarded_fields(self):
        """Accruals change only by recomputation; a correction is a separate
        adjustment (``prm.incentive.adjustment.wizard``) with its reason and
        author."""
        engine = _lt("Recompute the accruals")
        settle = _lt("Close a period or cancel the settlement")
        adjust = _lt("Add an adjustment")
        return {
            **super()._prm_guarded_fields(),
            **dict.fromkeys(ENGINE_FIELDS, Guard(engine)),
            "settlement_id": Guard(settle),
            "carry_from_settlement_id": Guard(_lt("Post the settlement")),
            "adjustment_reason": Guard(adjust),
            "adjusted_by_id": Guard(adjust),
            "adjusted_line_id": Guard(adjust),
        }

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        if "settlement_id" in vals or "carry_from_settlement_id" in vals:
            raise UserError(
                self.env._(
                    "Accruals join and leave settlements only by settling or "
                    "cancelling the settlement."
                )
            )
        self._check_open(
            lambda line, settlement: self.env._(
                "Accrual %(line)s belongs to settlement %(settlement)s and cannot be "
                "modified; cancel the settlement first.",
                line=line,
                settlement=settlement,
            )
        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_open(self):
        self._check_open(
            lambda line, settlement: self.env._(
                "Accrual %(line)s belongs to settlement %(settlement)s and cannot be "
                "deleted; cancel the settlement first.",
                line=line,
                settlement=settlement,
            )
        )

    def _check_open(self, message):
        """Refuse to change settled accruals; ``message(line, settlement)`` is
        the whole sentence saying what was refused."""
        settled = self.filtered("settlement_id")
        if settled:
            raise UserError(
                message(settled[0].display_name, settled[0].settlement_id.display_name)
            )

    def _compute_display_name(self):
        for line in self:
            line.display_name = line.name or (
                line.move_id.name if line.move_id else line.program_id.name
            )

    # --- Actions ---

    def action_adjust(self):
        """Correct this accrual by an adjustment (it is never edited)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_adjustment_wizard"
        )
        action["context"] = {"default_adjusted_line_id": self.id}
        return action

    # --- Business ---

    def _attach_settlement(self, settlement):
        """Settle these accruals after locking the rows (the period close
        attaches them set-based, see ``prm.settlement._attach_open_lines``).
        It skips ``write``'s guard against linking accruals by hand."""
        # Superuser: the guard refuses settlement_id to everyone else.
        return super(PrmIncentiveLine, self.sudo()).write(  # pylint: disable=super-method-mismatch
            {"settlement_id": settlement.id}
        )

    def _detach_settlement(self):
        """Free these accruals (their settlement is cancelled or deleted)."""
        if not self:
            return True
        # Lock the rows like settling does, so a concurrent settlement cannot
        # take them half-way through the cancellation.
        self._lock_or_refuse()
        # Freed accruals follow the current rules again: the next refresh of
        # their programs re-plans whole periods. The engine's bookkeeping.
        self.env["prm.incentive.sync"].sudo()._forget(self.program_id)
        return super(PrmIncentiveLine, self.sudo()).write(  # pylint: disable=super-method-mismatch
            {"settlement_id": False}
        )

    def _lock_or_refuse(self):
        """Row-lock these accruals for the transaction, or tell the user that
        another settlement is working on them."""
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "Another settlement is working on these accruals right now; "
                    "try again in a moment."
                )
            ) from None

    @api.model
    def _cron_compute_accruals(self):
        """Refresh the accruals of the open periods (paid-basis programs earn as
        payments come in; this catches anything the posting hooks missed)."""
        programs = self.env["prm.incentive.program"].search([("active", "=", True)])
        for index, program in enumerate(programs, 1):
            self._refresh_open_periods(program)
            self.env["ir.cron"]._commit_progress(1, remaining=len(programs) - index)

    @api.model
    def _refresh_open_periods(self, program, today=None):
        """Recompute the accruals of ``program`` from the start of the previous
        period up to today."""
        today = today or fields.Date.context_today(self)
        current_start = program._get_period(today)[0]
        previous_start = program._get_period(current_start - timedelta(days=1))[0]
        # Every invoice: the nightly job is the safety net of the closes,
        # which re-plan only what changed.
        self.env["prm.incentive.engine"].sudo()._refresh_period_accruals(
            program, previous_start, today, full=True
        )
