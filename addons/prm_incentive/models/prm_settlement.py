import math
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _lt, api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.tools import SQL, format_date

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.sql import pg_array
from odoo.addons.prm_partner.tools.validation import check_state, selection_labels

DEFAULT_MAX_DOCUMENT_LINES = 200
# Stored fields computed by ``_compute_amounts``.
AMOUNT_FIELDS = [
    "line_count",
    "amount_earned",
    "amount_clawback",
    "amount_carried_in",
    "amount_total",
    "amount_to_pay",
    "amount_carried_forward",
]


class PrmSettlement(models.Model):
    """What one partner is paid by one program for one period.

    Paying each accrual once is enforced in the database, not by convention:

    * an accrual points to at most one settlement (``settlement_id``), written
      only under a row lock on the accruals and only where it is still empty
      (a concurrent settlement finds the rows locked or taken, or fails to
      serialize);
    * a partial unique index allows one non-cancelled settlement per program,
      partner and period;
    * posting and cancelling lock the settlement row first, so a double click or
      two users cannot create two documents.
    """

    _name = "prm.settlement"
    _description = "Incentive Settlement"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "prm.guarded.mixin",
    ]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    program_id = fields.Many2one(
        "prm.incentive.program",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    program_kind = fields.Selection(related="program_id.kind")
    payout_method = fields.Selection(related="program_id.payout_method")
    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="program_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="program_id.currency_id", store=True, precompute=True
    )
    date_from = fields.Date(string="Period from", required=True, readonly=True)
    date_to = fields.Date(string="Period to", required=True, readonly=True)
    date = fields.Date(
        string="Accounting date",
        required=True,
        tracking=True,
        help="Date of the documents posted for this settlement.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("approved", "Approved"),
            ("posted", "Posted"),
            ("paid", "Paid"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "prm.incentive.line", "settlement_id", string="Accruals", readonly=True
    )
    cancelled_line_ids = fields.Many2many(
        "prm.incentive.line",
        "prm_settlement_cancelled_line_rel",
        "settlement_id",
        "line_id",
        string="Accruals before cancellation",
        readonly=True,
        copy=False,
    )
    carry_line_ids = fields.One2many(
        "prm.incentive.line",
        "carry_from_settlement_id",
        string="Carry-forward accrual",
        readonly=True,
    )
    move_ids = fields.One2many(
        "account.move", "prm_settlement_id", string="Documents", readonly=True
    )
    move_count = fields.Integer(compute="_compute_move_count")
    line_count = fields.Integer(
        string="Accruals count", compute="_compute_amounts", store=True
    )
    amount_earned = fields.Monetary(
        string="Earned", compute="_compute_amounts", store=True
    )
    amount_clawback = fields.Monetary(
        string="Clawbacks", compute="_compute_amounts", store=True
    )
    amount_carried_in = fields.Monetary(
        string="Balance brought forward", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, tracking=True
    )
    amount_to_pay = fields.Monetary(
        string="To pay",
        compute="_compute_amounts",
        store=True,
        help="Money owed to the partner. Points programs pay nothing: posting "
        "credits the points to the partner's points ledger.",
    )
    points_total = fields.Float(
        string="Points",
        compute="_compute_points_total",
        digits=(16, 2),
        help="Points programs: the points posting credits to the partner.",
    )
    payout_description = fields.Char(
        string="Payout",
        compute="_compute_payout_description",
        help="What posting this settlement does.",
    )
    amount_carried_forward = fields.Monetary(
        string="Balance carried forward",
        compute="_compute_amounts",
        store=True,
        help="A negative total is not paid back by the partner: it is deducted "
        "from its next settlement.",
    )
    note = fields.Html()
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    posted_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _period_uniq = models.UniqueIndex(
        "(program_id, partner_id, date_from) WHERE state != 'cancel'",
        "This partner already has a settlement of this program for this period.",
    )

    # --- Compute ---

    @api.depends(
        "state",
        "program_id.kind",
        "line_ids.amount",
        "line_ids.kind",
        "line_ids.is_clawback",
        "cancelled_line_ids",
    )
    def _compute_amounts(self):
        sums = self._sum_stored_lines()
        for settlement in self:
            if settlement.id in sums:
                count, earned, clawback, carried = sums[settlement.id]
            else:
                count, earned, clawback, carried = settlement._sum_lines()
            # Accruals are kept at full precision: round their sum once, and
            # show figures that add up to it.
            currency = settlement.currency_id
            total = currency.round(earned + clawback + carried)
            earned, carried = currency.round(earned), currency.round(carried)
            settlement.line_count = count
            settlement.amount_earned = earned
            settlement.amount_clawback = currency.round(total - earned - carried)
            settlement.amount_carried_in = carried
            settlement.amount_total = total
            live = settlement.state != "cancel"
            # Points settlements credit points: no money is owed.
            paid_in_money = live and settlement.program_id._is_payable()
            settlement.amount_to_pay = max(total, 0.0) if paid_in_money else 0.0
            settlement.amount_carried_forward = min(total, 0.0) if live else 0.0

    def _sum_lines(self):
        """``(count, earned, clawback, carried)`` of this settlement's accruals
        (those it held, once cancelled), read record by record."""
        self.ensure_one()
        # A cancelled settlement keeps showing what it held.
        lines = self.cancelled_line_ids if self.state == "cancel" else self.line_ids
        earned = clawback = carried = 0.0
        for line in lines:
            if line.kind == "carry":
                carried += line.amount
            elif line.is_clawback or line.amount < 0:
                clawback += line.amount
            else:
                earned += line.amount
        return len(lines), earned, clawback, carried

    def _sum_stored_lines(self):
        """``{settlement id: (count, earned, clawback, carried)}`` of the saved,
        live settlements among these whose accruals are saved too, in two
        queries (a close recomputes a thousand settlements of 100,000 accruals
        at once); the others are left to ``_sum_lines``."""
        stored = self.filtered(lambda s: isinstance(s.id, int) and s.state != "cancel")
        if len(stored) < 2:
            return {}
        Line = self.env["prm.incentive.line"]
        result = {settlement.id: [0, 0.0, 0.0, 0.0] for settlement in stored}
        for settlement, kind, count, amount in Line._read_group(
            [("settlement_id", "in", stored.ids)],
            ["settlement_id", "kind"],
            ["__count", "amount:sum"],
        ):
            values = result[settlement.id]
            values[0] += count
            values[3 if kind == "carry" else 1] += amount
        for settlement, amount in Line._read_group(
            [
                ("settlement_id", "in", stored.ids),
                ("kind", "!=", "carry"),
                "|",
                ("is_clawback", "=", True),
                ("amount", "<", 0),
            ],
            ["settlement_id"],
            ["amount:sum"],
        ):
            values = result[settlement.id]
            values[1] -= amount
            values[2] += amount
        return {key: tuple(values) for key, values in result.items()}

    @api.depends("program_id.kind", "amount_total")
    def _compute_points_total(self):
        for settlement in self:
            settlement.points_total = (
                settlement.amount_total if settlement.program_kind == "points" else 0.0
            )

    @api.depends("program_id.kind", "program_id.payout_method")
    def _compute_payout_description(self):
        methods = dict(
            self.env["prm.incentive.program"]
            ._fields["payout_method"]
            ._description_selection(self.env)
        )
        for settlement in self:
            program = settlement.program_id
            if not program:
                settlement.payout_description = False
            elif program._is_payable():
                settlement.payout_description = methods[program.payout_method]
            else:
                settlement.payout_description = self.env._(
                    "Points credited to the partner's points ledger (no accounting "
                    "document)"
                )

    def _compute_move_count(self):
        for settlement in self:
            settlement.move_count = len(settlement.move_ids)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for settlement in self:
            settlement.access_url = f"/my/incentives/statement/{settlement.id}"
        return res

    def _get_report_base_filename(self):
        """File name of the statement served on the portal."""
        self.ensure_one()
        return self.env._("Statement - %(settlement)s", settlement=self.name)

    def _compute_display_name(self):
        for settlement in self:
            settlement.display_name = (
                f"{settlement.name} - {settlement.partner_id.display_name}"
                if settlement.name and settlement.name != "/"
                else settlement.partner_id.display_name
            )

    # --- CRUD ---

    def _prm_guarded_fields(self):
        close = _lt("Close a period")
        workflow = _lt("Approve, Post or Cancel")
        computed = _lt("the accruals of the settlement")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(workflow, ("draft",)),
            "approved_by_id": Guard(_lt("Approve")),
            "posted_by_id": Guard(_lt("Post")),
            "line_ids": Guard(close),
            "cancelled_line_ids": Guard(_lt("Cancel")),
            "carry_line_ids": Guard(_lt("Post")),
            "move_ids": Guard(_lt("Post")),
            **{
                fname: Guard(computed)
                for fname in (
                    "line_count",
                    "amount_earned",
                    "amount_clawback",
                    "amount_carried_in",
                    "amount_total",
                    "amount_to_pay",
                    "amount_carried_forward",
                )
            },
        }

    @api.model_create_multi
    def create(self, vals_list):
        unnamed = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        names = self._next_names([vals.get("date_to") for vals in unnamed])
        for vals, name in zip(unnamed, names, strict=True):
            vals["name"] = name
        return super().create(vals_list)

    @api.model
    def _next_names(self, days):
        """Next names of the settlement sequence for settlements of period ends
        ``days``: ``next_by_code`` for the first of each day (it picks the
        sequence and its date range), then the other numbers of a standard
        sequence in one query, formatted the way the sequence does. A close of
        1,000 partners draws 1,000 names in a handful of queries, not 3,000."""
        Sequence = self.env["ir.sequence"]
        names = [None] * len(days)
        by_day = defaultdict(list)
        for index, day in enumerate(days):
            by_day[day].append(index)
        for day, indexes in by_day.items():
            first = Sequence.next_by_code("prm.settlement", sequence_date=day)
            names[indexes[0]] = first or self.env._("New")
            rest = indexes[1:]
            if not rest:
                continue
            numbered = self._draw_sequence_names(day, len(rest)) if first else None
            if numbered is None:
                numbered = [
                    Sequence.next_by_code("prm.settlement", sequence_date=day)
                    or self.env._("New")
                    for _index in rest
                ]
            for index, name in zip(rest, numbered, strict=True):
                names[index] = name
        return names

    @api.model
    def _draw_sequence_names(self, day, count):
        """``count`` names of the settlement sequence dated ``day`` in one
        query, or None when the sequence is not a standard (PostgreSQL)
        sequence: no-gap sequences are drawn one by one."""
        # Superuser to read the sequence and its date ranges, as next_by_code
        # did for the first name of this day.
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "prm.settlement"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if sequence.implementation != "standard":
            return None
        day = fields.Date.to_date(day) or fields.Date.context_today(self)
        if sequence.use_date_range:
            date_range = (
                self.env["ir.sequence.date_range"]
                .sudo()
                .search(
                    [
                        ("sequence_id", "=", sequence.id),
                        ("date_from", "<=", day),
                        ("date_to", ">=", day),
                    ],
                    limit=1,
                )
            )
            pg_name = f"ir_sequence_{sequence.id:03d}_{date_range.id:03d}"
            sequence = sequence.with_context(
                ir_sequence_date=day, ir_sequence_date_range=date_range.date_from
            )
        else:
            # Like ``ir.sequence._next``: no date, the prefix reads today.
            pg_name = f"ir_sequence_{sequence.id:03d}"
        rows = self.env.execute_query(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", pg_name, count)
        )
        return [sequence.get_next_char(number) for number in sorted(r[0] for r in rows)]

    def write(self, vals):
        """What a settlement settles (program, partner, period) is fixed by the
        close; its accounting date only changes until it is posted."""
        if not self.env.su:
            fixed = {"program_id", "partner_id", "date_from", "date_to"} & vals.keys()
            fixed = [
                fname for fname in fixed if not self._prm_is_noop(fname, vals[fname])
            ]
            if fixed:
                raise UserError(
                    self.env._(
                        "The program, partner and period of a settlement are set by "
                        "the period close and cannot change; cancel it and close the "
                        "period again."
                    )
                )
            if "date" in vals and not self._prm_is_noop("date", vals["date"]):
                check_state(self, ("draft", "approved"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        for settlement in self:
            if settlement.state not in ("draft", "cancel"):
                raise UserError(
                    self.env._(
                        "Settlement %(settlement)s is %(state)s: cancel it instead of "
                        "deleting it.",
                        settlement=settlement.display_name,
                        state=settlement._state_label(),
                    )
                )
            if settlement.move_ids or settlement.carry_line_ids:
                raise UserError(
                    self.env._(
                        "Settlement %(settlement)s has accounting documents or a "
                        "carried balance: it stays as their record (cancelled "
                        "settlements reverse them).",
                        settlement=settlement.display_name,
                    )
                )

    def unlink(self):
        self.line_ids._detach_settlement()
        return super().unlink()

    # --- Period close ---

    @api.model
    def _close_period(self, programs, day):
        """Close the period holding ``day`` of each program: refresh the
        accruals, compute the period results, settle every partner's open
        accruals dated up to the period end. Returns the new settlements."""
        today = fields.Date.context_today(self)
        engine = self.env["prm.incentive.engine"].sudo()
        settlements = self.browse()
        for program in programs:
            date_from, date_to = program._get_period(day)
            if date_to >= today:
                raise UserError(
                    self.env._(
                        "The %(program)s period ends on %(end)s: it can only be "
                        "closed after that day. Use the preview meanwhile.",
                        program=program.display_name,
                        end=format_date(self.env, date_to),
                    )
                )
            engine._refresh_period_accruals(program, date_from, date_to)
            engine._apply_plan(engine._build_period_plan(program, date_to))
            settlements |= self._create_settlements(program, date_from, date_to)
        return settlements

    @api.model
    def _preview_close(self, programs, day):
        """What closing the period holding ``day`` would settle, per program and
        partner, computed without writing anything (it may run before the
        period ends). Returns a list of dicts."""
        engine = self.env["prm.incentive.engine"].sudo()
        Line = self.env["prm.incentive.line"].sudo()
        rows = []
        for program in programs:
            date_from, date_to = program._get_period(day)
            line_plan = engine._build_period_moves_plan(program, date_from, date_to)
            period_plan = engine._build_period_plan(program, date_to, pending=line_plan)
            totals = defaultdict(
                lambda: {"open": 0.0, "pending": 0.0, "period": 0.0, "count": 0}
            )
            for partner, amount, count in Line._read_group(
                [
                    ("program_id", "=", program.id),
                    ("settlement_id", "=", False),
                    ("date", "<=", date_to),
                ],
                ["partner_id"],
                ["amount:sum", "__count"],
            ):
                totals[partner.id]["open"] += amount
                totals[partner.id]["count"] += count
            for (program_id, _rule, partner_id, _start), (
                _base,
                amount,
            ) in line_plan.deltas.items():
                if program_id == program.id:
                    totals[partner_id]["pending"] += amount
            for (program_id, _rule, partner_id, _start), (
                _base,
                amount,
            ) in period_plan.deltas.items():
                if program_id == program.id:
                    totals[partner_id]["period"] += amount
            settled = {
                settlement.partner_id.id
                for settlement in self.sudo().search(
                    [
                        ("program_id", "=", program.id),
                        ("date_from", "=", date_from),
                        ("state", "!=", "cancel"),
                    ]
                )
            }
            partners = self.env["res.partner"].browse(list(totals))
            currency = program.currency_id
            for partner in partners.sorted("display_name"):
                values = totals[partner.id]
                total = currency.round(
                    values["open"] + values["pending"] + values["period"]
                )
                rows.append(
                    {
                        "program": program,
                        "partner": partner,
                        "date_from": date_from,
                        "date_to": date_to,
                        "currency": currency,
                        "open": currency.round(values["open"]),
                        "pending": currency.round(values["pending"]),
                        "period": currency.round(values["period"]),
                        "total": total,
                        "count": values["count"],
                        "already_settled": partner.id in settled,
                    }
                )
        return rows

    @api.model
    def _create_settlements(self, program, date_from, date_to, limit=None):
        """One settlement per partner having open accruals of ``program`` dated
        up to ``date_to``; partners already settled for the period wait for the
        next one. ``limit``: settle at most that many partners (background
        closes work in batches; a rerun goes on with the partners left).

        A fixed number of queries whatever the number of partners and
        accruals: one ``create`` and one set-based attachment."""
        partners = self._partners_to_settle(program, date_from, date_to)
        if limit is not None:
            partners = partners[:limit]
        if not partners:
            return self.browse()
        settlements = self.create(
            [
                self._prepare_settlement_vals(program, partner, date_from, date_to)
                for partner in partners
            ]
        )
        settlements._attach_open_lines(date_to)
        return settlements

    @api.model
    def _open_lines_domain(self, program, date_to):
        return [
            ("program_id", "=", program.id),
            ("settlement_id", "=", False),
            ("date", "<=", date_to),
        ]

    @api.model
    def _partners_to_settle(self, program, date_from, date_to):
        """Partners (sorted by id) with open accruals of ``program`` up to
        ``date_to`` and no live settlement of the period yet."""
        Line = self.env["prm.incentive.line"]
        groups = Line._read_group(
            self._open_lines_domain(program, date_to), ["partner_id"]
        )
        settled = {
            partner
            for (partner,) in self._read_group(
                [
                    ("program_id", "=", program.id),
                    ("date_from", "=", date_from),
                    ("state", "!=", "cancel"),
                ],
                ["partner_id"],
            )
        }
        partners = self.env["res.partner"].browse(
            sorted(partner.id for (partner,) in groups if partner not in settled)
        )
        return partners

    def _attach_open_lines(self, date_to):
        """Settle in these new settlements (one program) the open accruals of
        their partners dated up to ``date_to``, or fail if any was taken.

        The rows are locked first (a row another transaction holds makes this
        close fail at once; under the repeatable-read isolation Odoo uses, a
        row a concurrent transaction settled and committed makes the lock fail
        to serialize), then attached by one UPDATE.

        Raw SQL because it is measured to be the difference: the ORM writes
        one UPDATE per settlement (1,000 settlements: 1,000 statements), this
        one statement. It writes what ``_attach_settlement`` would, then
        invalidates the cache and recomputes the settlement totals.
        """
        if not self:
            return
        program = self.program_id
        program.ensure_one()
        Line = self.env["prm.incentive.line"]
        lines = Line.search(
            [
                *self._open_lines_domain(program, date_to),
                ("partner_id", "in", self.partner_id.ids),
            ],
            order="id",
        )
        lines._lock_or_refuse()
        self.env.flush_all()
        query = SQL(
            """
            UPDATE prm_incentive_line line
               SET settlement_id = target.settlement_id,
                   write_uid = %(uid)s,
                   write_date = %(now)s
              FROM unnest(%(partners)s::int[], %(settlements)s::int[])
                   AS target(partner_id, settlement_id)
             WHERE line.id = ANY(%(ids)s::int[])
               AND line.partner_id = target.partner_id
               AND line.settlement_id IS NULL
            """,
            uid=self.env.uid,
            now=self.env.cr.now(),
            partners=pg_array(settlement.partner_id.id for settlement in self),
            settlements=pg_array(self.ids),
            ids=pg_array(lines.ids),
        )
        self.env.cr.execute(query)
        if self.env.cr.rowcount != len(lines):
            raise UserError(
                self.env._(
                    "Some accruals were settled meanwhile by another settlement; "
                    "close the period again."
                )
            )
        Line.invalidate_model(["settlement_id", "write_uid", "write_date"])
        self.invalidate_recordset(["line_ids"])
        for fname in AMOUNT_FIELDS:
            self.env.add_to_compute(self._fields[fname], self)
        self.flush_recordset(AMOUNT_FIELDS)

    @api.model
    def _prepare_settlement_vals(self, program, partner, date_from, date_to):
        return {
            "program_id": program.id,
            "partner_id": partner.id,
            "date_from": date_from,
            "date_to": date_to,
            "date": date_to,
        }

    # --- Actions ---

    def action_approve(self):
        self.check_access("write")
        check_state(self, ("draft",))
        self.sudo().write({"state": "approved", "approved_by_id": self.env.user.id})
        return True

    def action_draft(self):
        self.check_access("write")
        check_state(self, ("approved",))
        self._check_no_documents()
        self.sudo().write({"state": "draft", "approved_by_id": False})
        return True

    def action_post(self):
        """Create and post the payout documents of approved settlements; the
        caller's rights are checked here, the fields only posting sets are then
        written as superuser."""
        self.check_access("write")
        self._check_segregation()
        return self.sudo()._action_post()

    def _action_post(self):
        self._lock_rows()
        check_state(self, ("approved",))
        self._check_lock_dates(
            [
                (settlement, settlement.date)
                for settlement in self
                if settlement.amount_total > 0 and settlement.program_id._is_payable()
            ]
        )
        self._post_all()
        return True

    def action_cancel(self):
        """Cancel settlements: their posted documents are reversed (never
        deleted) and their accruals become free to settle again."""
        self.check_access("write")
        return self.sudo()._action_cancel()

    def _action_cancel(self):
        self._lock_rows()
        today = fields.Date.context_today(self)
        for settlement in self:
            if settlement.state == "paid" or any(
                move.payment_state not in ("not_paid", "reversed")
                for move in settlement._payout_moves()
            ):
                raise UserError(
                    self.env._(
                        "Settlement %(settlement)s is (partly) paid: unreconcile its "
                        "payments before cancelling it.",
                        settlement=settlement.display_name,
                    )
                )
            consumed = settlement.carry_line_ids.filtered("settlement_id")
            if consumed:
                raise UserError(
                    self.env._(
                        "The balance of %(settlement)s was carried into "
                        "%(next)s: cancel that settlement first.",
                        settlement=settlement.display_name,
                        next=consumed[0].settlement_id.display_name,
                    )
                )
        to_reverse = self._payout_moves().filtered(
            lambda m: m.state == "posted" and not m.reversal_move_ids
        )
        self._check_lock_dates([(move.prm_settlement_id, today) for move in to_reverse])
        if to_reverse:
            to_reverse._reverse_moves(
                [self._prepare_reversal_vals(move, today) for move in to_reverse],
                cancel=True,
            )
        self.carry_line_ids.sudo().unlink()
        self._prm_withdraw_points()
        for settlement in self.filtered(lambda s: s.state != "cancel"):
            lines = settlement.line_ids
            settlement.cancelled_line_ids = [Command.set(lines.ids)]
            lines._detach_settlement()
        self.write({"state": "cancel"})
        return True

    def action_register_payment(self):
        """Pay the posted vendor bills or credit notes of the settlements."""
        moves = self._payout_moves().filtered(
            lambda m: (
                m.state == "posted"
                and m.is_invoice()
                and m.payment_state not in ("paid", "in_payment", "reversed")
            )
        )
        if not moves:
            raise UserError(self.env._("There is nothing left to pay."))
        return moves.action_register_payment()

    @api.readonly
    def action_print_statement(self):
        return self.env.ref("prm_incentive.action_report_prm_settlement").report_action(
            self
        )

    def action_open_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        if len(self.move_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.move_ids.id
        return action

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        lines = self.line_ids if self.state != "cancel" else self.cancelled_line_ids
        action["domain"] = [("id", "in", lines.ids)]
        action["context"] = {"create": False}
        return action

    # --- Business ---

    def _check_segregation(self):
        """Segregation of duties (on by default, per company): who approved a
        settlement does not post it."""
        if self.env.su:
            return
        own = self.filtered(
            lambda s: (
                s.company_id.prm_settlement_segregation
                and s.approved_by_id == self.env.user
            )
        )
        if own:
            raise UserError(
                self.env._(
                    "You approved settlement %(settlement)s: another accountant posts "
                    "it (segregation of duties, see the incentive settings).",
                    settlement=own[0].display_name,
                )
            )

    def _check_no_documents(self):
        """A settlement whose documents were posted is never reopened: it is
        cancelled, which reverses them."""
        posted = self.filtered("move_ids")
        if posted:
            raise UserError(
                self.env._(
                    "Settlement %(settlement)s has posted documents: cancel it "
                    "instead, which reverses them.",
                    settlement=posted[0].display_name,
                )
            )

    def _state_label(self):
        self.ensure_one()
        return selection_labels(self, "state")[self.state]

    def _lock_rows(self):
        """Lock the settlements for this transaction: two users posting or
        cancelling the same settlement at once cannot both go through."""
        if not self:
            return
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "Another user is posting or cancelling these settlements; try "
                    "again in a moment."
                )
            ) from None
        self.invalidate_recordset()

    @api.model
    def _check_lock_dates(self, pairs):
        """Refuse to write documents in a locked period.

        ``pairs`` lists ``(settlement, date)``. Odoo itself would move a document
        dated in a locked period to the next open date; a settlement statement
        must match its documents, so it refuses instead. The lock dates are read
        from the company (with the lock-date exceptions an adviser granted),
        never from the context of the call.
        """
        # Checked once per program and day, not per settlement: a close posts
        # a thousand settlements of one program on one date.
        checked = set()
        for settlement, day in pairs:
            if (settlement.program_id, day) in checked:
                continue
            checked.add((settlement.program_id, day))
            journal = settlement.program_id._get_payout_journal()
            company = settlement.company_id.with_context(ignore_exceptions=False)
            violated = company._get_violated_lock_dates(day, True, journal)
            if violated:
                raise UserError(
                    self.env._(
                        "Settlement %(settlement)s cannot be accounted on %(date)s: "
                        "the period is locked (%(locks)s). Change its accounting date "
                        "or ask an adviser to reopen the period.",
                        settlement=settlement.display_name,
                        date=format_date(self.env, day),
                        locks=self.env["res.company"]._format_lock_dates(violated),
                    )
                )

    def _post_all(self):
        """Post these settlements: points credited, negative totals carried
        forward, and the payout documents of every settlement created, then
        posted, in one batch each (the ORM computes a thousand bills far
        faster together than one by one)."""
        vals_list, owners, carries = [], [], []
        # What grouping the accruals into document lines reads, for every
        # settlement in one query instead of two per settlement.
        self.line_ids.fetch(self._payout_line_fields())
        for settlement in self:
            currency = settlement.currency_id
            if currency.compare_amounts(settlement.amount_total, 0.0) > 0:
                if settlement.program_id._is_payable():
                    documents = settlement._prepare_payout_moves_vals()
                    vals_list += documents
                    owners += [settlement.id] * len(documents)
                else:
                    settlement._prm_credit_points()
            elif currency.compare_amounts(settlement.amount_total, 0.0) < 0:
                carries.append(settlement._prepare_carry_line_vals())
        if carries:
            self.env["prm.incentive.line"].sudo().create(carries)
        moves = self.env["account.move"].create(vals_list)
        moves.action_post()
        self.write({"state": "posted", "posted_by_id": self.env.user.id})
        names = defaultdict(list)
        for owner, move in zip(owners, moves, strict=True):
            names[owner].append(move.name)
        if names:
            # One batch of notes (access to the settlements was checked by
            # action_post) instead of a message_post per settlement.
            self.browse(list(names))._message_log_batch(
                bodies={
                    owner: Markup("<p>%s</p>")
                    % self.env._("Posted: %(documents)s", documents=", ".join(docs))
                    for owner, docs in names.items()
                }
            )
        return moves

    def _prepare_carry_line_vals(self):
        self.ensure_one()
        return {
            "kind": "carry",
            "program_id": self.program_id.id,
            "partner_id": self.partner_id.id,
            "date": self.date_to + timedelta(days=1),
            "amount": self.amount_total,
            "carry_from_settlement_id": self.id,
            "name": self.env._(
                "Balance carried forward from %(settlement)s", settlement=self.name
            ),
        }

    def _payout_moves(self):
        return self.move_ids.filtered(lambda m: not m.reversed_entry_id)

    # --- Points ---

    def _prm_credit_points(self):
        """Posting a points settlement credits its total to the partner's points
        ledger (an *earned* move expiring after the program's validity)."""
        self.ensure_one()
        # Superuser: only settlements credit points, whoever posts them.
        return self.env["prm.points.move"].sudo().create(self._prepare_points_vals())

    def _prepare_points_vals(self):
        self.ensure_one()
        return {
            "kind": "earned",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "program_id": self.program_id.id,
            "points": self.amount_total,
            "date": self.date,
            "settlement_id": self.id,
            "res_model": self._name,
            "res_id": self.id,
            "origin": self.name,
            "name": self.env._(
                "%(program)s, %(start)s to %(end)s",
                program=self.program_id.name,
                start=format_date(self.env, self.date_from),
                end=format_date(self.env, self.date_to),
            ),
        }

    def _prm_withdraw_points(self):
        """Cancelling posted points settlements withdraws the points they
        credited (those points first, then the partner's other points when some
        were spent already); refused when the balance no longer holds them."""
        earned = (
            self.env["prm.points.move"]
            .sudo()
            .search([("settlement_id", "in", self.ids), ("kind", "=", "earned")])
        )
        if not earned:
            return
        # Superuser: see _prm_credit_points.
        self.env["prm.points.move"].sudo().create(
            [
                {
                    "kind": "adjusted",
                    "partner_id": move.partner_id.id,
                    "company_id": move.company_id.id,
                    "program_id": move.program_id.id,
                    "points": -move.points,
                    "settlement_id": move.settlement_id.id,
                    "source_move_id": move.id,
                    "res_model": self._name,
                    "res_id": move.settlement_id.id,
                    "origin": move.settlement_id.name,
                    "name": self.env._(
                        "Settlement %(settlement)s cancelled",
                        settlement=move.settlement_id.name,
                    ),
                }
                for move in earned
            ]
        )

    def _prepare_reversal_vals(self, move, day):
        return {
            "date": day,
            "invoice_date": day if move.is_invoice(include_receipts=True) else False,
            "ref": self.env._(
                "Reversal of %(move)s (settlement %(settlement)s cancelled)",
                move=move.name,
                settlement=move.prm_settlement_id.name,
            ),
            "prm_settlement_id": move.prm_settlement_id.id,
        }

    # --- Payout documents ---

    @api.model
    def _get_max_document_lines(self):
        """Most lines on one payout document (vendor bill, credit note, entry)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_incentive.max_document_lines")
        )
        try:
            return max(int(value), 1) if value else DEFAULT_MAX_DOCUMENT_LINES
        except ValueError:
            return DEFAULT_MAX_DOCUMENT_LINES

    @api.model
    def _payout_line_fields(self):
        """Fields of the accruals that ``_prepare_payout_groups`` reads (hook)."""
        return [
            "settlement_id",
            "date",
            "kind",
            "rule_id",
            "amount",
            "name",
            "program_id",
            "move_id",
            "origin_line_id",
            "sellout_batch_id",
        ]

    def _prepare_payout_groups(self):
        """Document lines: one per rule (or, when the program asks for it, per
        rule and source invoice, a clawback going with the invoice it
        reverses), one per period result, carried balance or manual accrual.
        Amounts are rounded so that they add up to the settlement total; zero
        groups are left out. The statement keeps the per-invoice detail."""
        self.ensure_one()
        groups = {}
        for line in self.line_ids.sorted(lambda line: (line.date, line.id)):
            key = self._prepare_payout_group_key(line)
            group = groups.get(key)
            if group is None:
                # Labels are built once per document line, not once per accrual.
                group = groups[key] = {
                    "name": self._prepare_payout_group_label(line, key),
                    "amount": 0.0,
                    "rule": line.rule_id,
                    "lines": [],
                }
            group["amount"] += line.amount
            group["lines"].append(line)
        groups = list(groups.values())
        currency = self.currency_id
        for group, amount in zip(
            groups, self._round_shares([g["amount"] for g in groups]), strict=True
        ):
            group["amount"] = amount
        return [group for group in groups if not currency.is_zero(group["amount"])]

    def _round_shares(self, amounts):
        """Round ``amounts`` (full precision) in the settlement currency so that
        they add up to their rounded sum: each is rounded, then the units the
        roundings lost or added overall go to the amounts whose rounding moved
        them most (largest remainder)."""
        currency = self.currency_id
        rounded = [currency.round(amount) for amount in amounts]
        units = round((currency.round(sum(amounts)) - sum(rounded)) / currency.rounding)
        if units and rounded:
            step = currency.rounding if units > 0 else -currency.rounding
            order = sorted(
                range(len(amounts)),
                key=lambda i: (amounts[i] - rounded[i]) * (1 if units > 0 else -1),
                reverse=True,
            )
            for index in range(abs(units)):
                position = order[index % len(order)]
                rounded[position] = currency.round(rounded[position] + step)
        return rounded

    def _prepare_payout_group_key(self, line):
        """Key of the document line paying accrual ``line``: one per rule, or
        per rule and source document (invoice, sell-out report) when the
        program's payout detail says so, one per other accrual."""
        kind = line.kind
        if kind in ("line", "sellout") and self.program_id.payout_grouping == "rule":
            return ("rule", line.rule_id.id)
        if kind == "line":
            source = line.origin_line_id.move_id or line.move_id
            return ("line", line.rule_id.id, source.id)
        if kind == "sellout":
            return ("sellout", line.rule_id.id, line.sellout_batch_id.id)
        return (kind, line.id)

    def _prepare_payout_group_label(self, line, key):
        """Label of the document line of ``key`` (see
        ``_prepare_payout_group_key``), ``line`` being its first accrual."""
        if key[0] == "rule":
            return line.rule_id.name
        if key[0] == "line":
            return self.env._(
                "%(rule)s - %(invoice)s",
                rule=line.rule_id.name,
                invoice=self.env["account.move"].browse(key[2]).name or "",
            )
        if key[0] == "sellout":
            return self.env._(
                "%(rule)s - sell-out %(report)s",
                rule=line.rule_id.name,
                report=line.sellout_batch_id.name or "",
            )
        return line.name or line.program_id.name

    def _split_payout_groups(self, groups):
        """Split document lines over as few documents as the line limit allows,
        none of them negative: positive lines are spread to balance the
        documents, then each negative line goes to the richest document with
        room. When that still leaves a document at or below zero, the lines are
        netted per rule instead."""
        limit = self._get_max_document_lines()
        count = max(1, math.ceil(len(groups) / limit))
        chunks = [[] for _i in range(count)]
        totals = [0.0] * count
        positives = sorted(
            (g for g in groups if g["amount"] > 0), key=lambda g: -g["amount"]
        )
        negatives = sorted(
            (g for g in groups if g["amount"] < 0), key=lambda g: g["amount"]
        )
        for group in positives:
            index = min(
                (i for i in range(count) if len(chunks[i]) < limit),
                key=lambda i: totals[i],
            )
            chunks[index].append(group)
            totals[index] += group["amount"]
        for group in negatives:
            index = max(
                (i for i in range(count) if len(chunks[i]) < limit),
                key=lambda i: totals[i],
            )
            chunks[index].append(group)
            totals[index] += group["amount"]
        currency = self.currency_id
        if all(currency.compare_amounts(total, 0.0) > 0 for total in totals):
            return chunks
        netted = defaultdict(lambda: {"amount": 0.0, "lines": []})
        for group in groups:
            rule = group["rule"]
            entry = netted[rule.id]
            entry["name"] = rule.name or group["name"]
            entry["rule"] = rule
            entry["amount"] += group["amount"]
            entry["lines"] += group["lines"]
        netted = [g for g in netted.values() if not currency.is_zero(g["amount"])]
        if len(netted) > limit or any(g["amount"] < 0 for g in netted):
            raise UserError(
                self.env._(
                    "Settlement %(settlement)s cannot be split into documents of at "
                    "most %(limit)s lines without a negative one; raise the limit "
                    "(system parameter prm_incentive.max_document_lines).",
                    settlement=self.display_name,
                    limit=limit,
                )
            )
        return [netted]

    def _prepare_payout_moves_vals(self):
        """Values of the documents paying this settlement (several beyond the
        line limit)."""
        self.ensure_one()
        program = self.program_id
        journal = program._get_payout_journal()
        if not journal:
            raise UserError(
                self.env._(
                    "Program %(program)s has no journal for its payouts.",
                    program=program.display_name,
                )
            )
        chunks = self._split_payout_groups(self._prepare_payout_groups())
        if program.payout_method == "entry":
            vals_list = [
                self._prepare_entry_vals(journal, chunk, index, len(chunks))
                for index, chunk in enumerate(chunks, 1)
            ]
        else:
            vals_list = [
                self._prepare_invoice_vals(journal, chunk, index, len(chunks))
                for index, chunk in enumerate(chunks, 1)
            ]
        return vals_list

    def _document_ref(self, index, count):
        return self.name if count == 1 else f"{self.name} ({index}/{count})"

    def _prepare_invoice_vals(self, journal, groups, index, count):
        """Vendor bill (or credit note on the partner's customer account)."""
        self.ensure_one()
        move_type = (
            "out_refund" if self.payout_method == "credit_note" else "in_invoice"
        )
        return {
            "move_type": move_type,
            "partner_id": self.partner_id.id,
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": self.date,
            "date": self.date,
            "ref": self._document_ref(index, count),
            "invoice_origin": self.name,
            "prm_settlement_id": self.id,
            "invoice_line_ids": [
                Command.create(self._prepare_invoice_line_vals(group))
                for group in groups
            ],
        }

    def _prepare_invoice_line_vals(self, group):
        program = self.program_id
        vals = {
            "name": group["name"],
            "quantity": 1.0,
            "price_unit": group["amount"],
        }
        if program.product_id:
            vals["product_id"] = program.product_id.id
        if program.expense_account_id:
            vals["account_id"] = program.expense_account_id.id
        if not program.product_id:
            vals["tax_ids"] = [Command.clear()]
        return vals

    def _prepare_entry_vals(self, journal, groups, index, count):
        """Accrual entry: expense per line, the partner's liability in total."""
        self.ensure_one()
        program = self.program_id
        expense = program._get_expense_account()
        partner = self.partner_id.with_company(self.company_id)
        payable = program.payable_account_id or partner.property_account_payable_id
        if not expense or not payable:
            raise UserError(
                self.env._(
                    "Program %(program)s needs an expense account and a liability "
                    "account to post accrual entries.",
                    program=program.display_name,
                )
            )
        line_vals = [
            self._prepare_entry_line_vals(expense, group["name"], group["amount"])
            for group in groups
        ]
        total = self.currency_id.round(sum(group["amount"] for group in groups))
        line_vals.append(
            self._prepare_entry_line_vals(payable, self.name, -total, partner=partner)
        )
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": self.date,
            "ref": self._document_ref(index, count),
            "prm_settlement_id": self.id,
            "line_ids": [Command.create(vals) for vals in line_vals],
        }

    def _prepare_entry_line_vals(self, account, name, amount, partner=None):
        company = self.company_id
        balance = self.currency_id._convert(
            amount, company.currency_id, company, self.date
        )
        return {
            "account_id": account.id,
            "name": name,
            "partner_id": (partner or self.partner_id).id,
            "currency_id": self.currency_id.id,
            "amount_currency": amount,
            "balance": balance,
        }

    # --- Payment ---

    def _sync_payment_state(self):
        """Posted settlements become paid when every document paying them is
        (and go back to posted when a payment is removed)."""
        for settlement in self.filtered(lambda s: s.state in ("posted", "paid")):
            moves = settlement._payout_moves()
            if not moves:
                continue
            paid = all(settlement._is_move_paid(move) for move in moves)
            new_state = "paid" if paid else "posted"
            if settlement.state != new_state:
                settlement.state = new_state

    @api.model
    def _is_move_paid(self, move):
        if move.is_invoice(include_receipts=True):
            return move.payment_state in ("paid", "in_payment")
        lines = move.line_ids.filtered(
            lambda aml: (
                aml.account_id.account_type in ("liability_payable", "asset_receivable")
            )
        )
        return bool(lines) and all(lines.mapped("reconciled"))
