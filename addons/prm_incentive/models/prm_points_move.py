from collections import defaultdict
from datetime import date as Date

from dateutil.relativedelta import relativedelta

from odoo import _lt, api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare, float_is_zero, float_round

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import check_number
from odoo.addons.prm_partner.tools.formatting import format_number

POINTS_DIGITS = 2
# Kinds only the system writes (settlements, the expiry job).
SYSTEM_KINDS = ("earned", "expired")


class PrmPointsMove(models.Model):
    """The loyalty points ledger: one row per change of a partner's balance.

    The ledger is append-only. Positive moves (points earned by a posted
    settlement of a points program, positive adjustments) carry what is left
    of them in ``points_remaining``; negative moves (spending, expiry, negative
    adjustments) consume those remainders, oldest expiry first, when they are
    created. So the balance (sum of the moves) always equals the sum of the
    remainders, and a check constraint keeping each remainder between zero and
    its move's points keeps every balance at or above zero.

    Consuming row-locks the partner's positive moves and rewrites their
    remainders: of two transactions spending the same points at once, the
    second finds them locked, or fails to serialize once the first committed
    (Odoo retries the request, which then sees the lower balance).
    """

    _name = "prm.points.move"
    _description = "Loyalty Points Move"
    _inherit = ["prm.guarded.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Description", required=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("prm_is_partner", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    program_id = fields.Many2one(
        "prm.incentive.program",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        domain=[("kind", "=", "points")],
    )
    kind = fields.Selection(
        [
            ("earned", "Earned"),
            ("spent", "Spent"),
            ("expired", "Expired"),
            ("adjusted", "Adjusted"),
        ],
        required=True,
        default="adjusted",
        index=True,
    )
    points = fields.Float(required=True, digits=(16, POINTS_DIGITS))
    points_remaining = fields.Float(
        string="Unspent",
        digits=(16, POINTS_DIGITS),
        readonly=True,
        default=0.0,
        aggregator="sum",
        help="Positive moves: what is left of their points, neither spent nor expired.",
    )
    expiry_date = fields.Date(
        string="Expires on",
        index="btree_not_null",
        help="What is left of these points expires on this day.",
    )
    settlement_id = fields.Many2one(
        "prm.settlement",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The posted settlement of a points program that credited (or, "
        "cancelled, withdrew) these points.",
    )
    source_move_id = fields.Many2one(
        "prm.points.move",
        string="Expiry or reversal of",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="Expiry moves: the points that expired. Reversals: the points "
        "withdrawn (consumed first).",
    )
    res_model = fields.Char(string="Origin model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Origin record", model_field="res_model", readonly=True
    )
    origin = fields.Char(
        readonly=True, help="What the points were earned on or spent for."
    )

    _points_nonzero = models.Constraint(
        "CHECK(points <> 0)", "A points move moves some points."
    )
    _points_sign = models.Constraint(
        "CHECK((kind = 'earned' AND points > 0) OR "
        "(kind IN ('spent', 'expired') AND points < 0) OR kind = 'adjusted')",
        "Earned points are positive; spent and expired points are negative.",
    )
    _remaining_range = models.Constraint(
        "CHECK(points_remaining >= 0 AND points_remaining <= GREATEST(points, 0))",
        "Not enough points left.",
    )
    _settlement_uniq = models.UniqueIndex(
        "(settlement_id, kind) WHERE settlement_id IS NOT NULL",
        "A settlement credits its points once (and withdraws them once).",
    )
    _expiry_uniq = models.UniqueIndex(
        "(source_move_id) WHERE kind = 'expired'",
        "These points already expired.",
    )

    # --- CRUD ---

    def _prm_guarded_fields(self):
        """Which settlement credited or withdrew points, and which move expired
        or was withdrawn, is the system's record (a forged link would also
        block the settlement's own withdrawal)."""
        adjust = _lt("Record an adjustment")
        return {
            **super()._prm_guarded_fields(),
            "kind": Guard(adjust, ("adjusted", "spent")),
            "settlement_id": Guard(_lt("Post or cancel the settlement")),
            "source_move_id": Guard(
                _lt("Cancel the settlement or let the points expire")
            ),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        for vals in vals_list:
            check_number(
                self.env,
                vals.get("points", 0.0),
                self._fields["points"]._description_string(self.env),
            )
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial = {
            partner.id: partner.commercial_partner_id.id for partner in partners
        }
        programs = self.env["prm.incentive.program"].browse(
            {vals["program_id"] for vals in vals_list if vals.get("program_id")}
        )
        validity = {program.id: program.points_validity_months for program in programs}
        negatives = []
        for vals in vals_list:
            kind = vals.get("kind", "adjusted")
            if kind in SYSTEM_KINDS and not self.env.su:
                raise UserError(
                    self.env._(
                        "Points are earned by posting the settlements of points "
                        "programs and expire by themselves; record an adjustment "
                        "instead."
                    )
                )
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            points = float_round(vals.get("points", 0.0), POINTS_DIGITS)
            vals["points"] = points
            vals["points_remaining"] = max(points, 0.0)
            if points > 0 and "expiry_date" not in vals and vals.get("program_id"):
                months = validity[vals["program_id"]]
                if months:
                    day = fields.Date.to_date(
                        vals.get("date") or fields.Date.context_today(self)
                    )
                    vals["expiry_date"] = day + relativedelta(months=months)
            if points < 0:
                negatives.append(vals)
        if negatives:
            self._prm_consume(negatives)
        return super().create(vals_list)

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        if set(vals) - {"name"}:
            raise UserError(
                self.env._(
                    "The points ledger cannot be rewritten: record an adjustment "
                    "instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(
                self.env._(
                    "The points ledger cannot be deleted: record an adjustment instead."
                )
            )

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for move in self:
            move.display_name = f"{kinds.get(move.kind, '')}: {move.name or ''}"

    # --- Business ---

    @api.model
    def _prm_consume(self, vals_list):
        """Take the points of the negative moves ``vals_list`` (not created yet)
        from the partners' positive moves, under a row lock.

        A move with a ``source_move_id`` consumes it first (expiry: only it);
        then the points first to expire go first, among those still valid on
        the move's date. Raises a ``UserError`` when a partner has not enough.
        """
        today = fields.Date.context_today(self)
        by_owner = defaultdict(list)
        for vals in vals_list:
            vals["company_id"] = vals.get("company_id") or self.env.company.id
            vals["date"] = fields.Date.to_date(vals.get("date")) or today
            by_owner[vals.get("partner_id"), vals["company_id"]].append(vals)
        sources = {
            vals["source_move_id"] for vals in vals_list if vals.get("source_move_id")
        }
        # One search for every partner; sudo: the pool is every point the
        # partners own, whatever the caller may read (the caller checked access).
        moves = self.sudo().search(
            Domain(
                [
                    ("partner_id", "in", [owner[0] for owner in by_owner]),
                    ("company_id", "in", [owner[1] for owner in by_owner]),
                    ("points_remaining", ">", 0),
                ]
            )
            & (
                Domain("expiry_date", "=", False)
                | Domain("expiry_date", ">", min(vals["date"] for vals in vals_list))
                | Domain("id", "in", list(sources))
            ),
            order="id",
        )
        try:
            moves.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "These points are being spent by someone else right now; try "
                    "again in a moment."
                )
            ) from None
        # Re-read under the lock what a concurrent spender may have changed.
        moves.invalidate_recordset(["points_remaining"])
        rows = [
            (
                move.id,
                move.partner_id.id,
                move.company_id.id,
                move.points_remaining,
                move.expiry_date,
                move.date,
            )
            for move in moves
        ]
        remaining = {row[0]: float(row[3]) for row in rows}
        owned = defaultdict(list)
        for row in rows:
            owned[row[1], row[2]].append(row)
        for owner, items in by_owner.items():
            pool = {row[0]: row for row in owned[owner]}
            fifo = sorted(
                owned[owner], key=lambda row: (row[4] or Date.max, row[5], row[0])
            )
            for vals in items:
                self._prm_consume_one(vals, fifo, pool, remaining)
        self.invalidate_model(["points_remaining"])
        changed = defaultdict(list)
        for row in rows:
            value = float_round(remaining[row[0]], POINTS_DIGITS)
            if value != float(row[3]):
                changed[value].append(row[0])
        for value, ids in changed.items():
            moves = self.browse(ids)
            # Skip write()'s guard: only consumption moves remainders.
            super(PrmPointsMove, moves).write({"points_remaining": value})  # pylint: disable=super-method-mismatch
        return True

    @api.model
    def _prm_consume_one(self, vals, fifo, pool, remaining):
        need = -vals["points"]
        source_id = vals.get("source_move_id")
        order = [pool[source_id]] if source_id in pool else []
        if vals.get("kind") != "expired":
            # Points still valid on the day of the move.
            order += [
                row
                for row in fifo
                if row[0] != source_id and (not row[4] or row[4] > vals["date"])
            ]
        available = sum(remaining[row[0]] for row in order)
        if float_compare(available, need, precision_digits=POINTS_DIGITS) < 0:
            partner = self.env["res.partner"].browse(vals["partner_id"])
            raise UserError(
                self.env._(
                    "%(partner)s has %(balance)s points available; %(points)s "
                    "points cannot be taken from it.",
                    partner=partner.display_name,
                    balance=format_number(self.env, available, POINTS_DIGITS),
                    points=format_number(self.env, need, POINTS_DIGITS),
                )
            )
        for row in order:
            if float_is_zero(need, precision_digits=POINTS_DIGITS):
                break
            taken = min(remaining[row[0]], need)
            remaining[row[0]] -= taken
            need -= taken

    @api.model
    def _cron_expire_points(self):
        """Daily job: what is left of points whose expiry date has come
        expires (one expiry move per positive move, dated on its expiry day)."""
        today = fields.Date.context_today(self)
        moves = self.search(
            [("points_remaining", ">", 0), ("expiry_date", "<=", today)], order="id"
        )
        if not moves:
            return self
        # Superuser: only the system expires points, whoever runs the job.
        return (
            self.sudo()
            .with_context(tracking_disable=True)
            .create([move._prepare_expiry_vals() for move in moves])
        )

    def _prepare_expiry_vals(self):
        self.ensure_one()
        return {
            "kind": "expired",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "program_id": self.program_id.id,
            "points": -self.points_remaining,
            "date": self.expiry_date,
            "source_move_id": self.id,
            "name": self.env._("Expired: %(move)s", move=self.name),
        }
