from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _lt, api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare, format_amount

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import MAX_AMOUNT
from odoo.addons.prm_partner.tools.validation import (
    check_date_order,
    check_numbers,
    check_state,
)

# Request states whose amount is taken from the balance (approved) or held
# while the channel manager decides (submitted).
COMMITTED_STATES = ("approved",)
PENDING_STATES = ("submitted",)
# Claim states that count as claimed, and as reimbursed.
CLAIMED_STATES = ("submitted", "approved", "paid")


def period_bounds(day, period):
    """First and last day of the ``period`` ("quarter"/"year") holding ``day``."""
    if period == "year":
        start = day.replace(month=1, day=1)
        return start, start + relativedelta(years=1, days=-1)
    start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return start, start + relativedelta(months=3, days=-1)


class PrmMdfBudget(models.Model):
    """Market development funds a partner may spend in one period.

    The balance is what was allocated (plus what the previous period carried
    over) minus the approved requests; submitted requests hold their amount
    until decided, so that the *available* amount is what a new request may
    ask. Requests are checked against it under a row lock on the budget (see
    ``prm.mdf.request.action_submit``)."""

    _name = "prm.mdf.budget"
    _description = "MDF Budget"
    _inherit = ["mail.thread", "prm.guarded.mixin"]
    _order = "date_from desc, partner_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=[("prm_is_partner", "=", True)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    tier_id = fields.Many2one(
        "prm.tier",
        readonly=True,
        index=True,
        help="The partner's tier when the budget was allocated.",
    )
    date_from = fields.Date(string="From", required=True, index=True)
    date_to = fields.Date(string="To", required=True, index=True)
    allocation = fields.Selection(
        [("tier", "By tier"), ("manual", "By hand")],
        default="manual",
        required=True,
        help="By tier: the tier's MDF percentage of the partner's invoiced "
        "revenue of the previous period. By hand: the amount entered.",
    )
    amount_manual = fields.Monetary(
        string="Amount to allocate", help="Allocated when the budget is opened."
    )
    revenue_base = fields.Monetary(
        string="Previous period revenue", readonly=True, tracking=True
    )
    amount_allocated = fields.Monetary(string="Allocated", readonly=True, tracking=True)
    amount_carried_in = fields.Monetary(
        string="Carried over",
        readonly=True,
        help="Unspent funds of the previous period.",
    )
    amount_pending = fields.Monetary(
        string="Requested",
        compute="_compute_amounts",
        store=True,
        help="Submitted requests waiting for a decision.",
    )
    amount_committed = fields.Monetary(
        string="Approved", compute="_compute_amounts", store=True
    )
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_amounts", store=True
    )
    amount_reimbursed = fields.Monetary(
        string="Reimbursed", compute="_compute_amounts", store=True
    )
    amount_balance = fields.Monetary(
        string="Balance",
        compute="_compute_amounts",
        store=True,
        help="Allocated and carried over, minus approved requests.",
    )
    amount_available = fields.Monetary(
        string="Available",
        compute="_compute_amounts",
        store=True,
        help="Balance minus the requests waiting for a decision: what a new "
        "request may ask.",
    )
    amount_expired = fields.Monetary(string="Expired", readonly=True)
    amount_carried_out = fields.Monetary(string="Carried to next period", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    request_ids = fields.One2many("prm.mdf.request", "budget_id", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")

    _period_uniq = models.UniqueIndex(
        "(partner_id, company_id, date_from)",
        "A partner has one MDF budget per period.",
    )
    _dates_order = models.Constraint(
        "CHECK(date_to >= date_from)", "A budget period ends after it starts."
    )
    _amount_manual_positive = models.Constraint(
        "CHECK(amount_manual >= 0)", "An MDF budget is not negative."
    )

    # --- Compute ---

    @api.depends("partner_id", "date_from", "date_to")
    def _compute_name(self):
        for budget in self:
            budget.name = "%s %s – %s" % (
                budget.partner_id.name or "",
                budget.date_from or "",
                budget.date_to or "",
            )

    def _prm_amount_depends(self):
        """Fields of the budget the funds come from (bridges add theirs)."""
        return ["amount_allocated", "amount_carried_in"]

    def _prm_funds_in(self):
        """What the budget received: allocated plus carried over (plus what
        bridges add, such as converted points)."""
        self.ensure_one()
        return sum(self[fname] for fname in self._prm_amount_depends())

    @api.depends(
        lambda self: [
            *self._prm_amount_depends(),
            "request_ids.state",
            "request_ids.amount_requested",
            "request_ids.amount_approved",
            "request_ids.claim_ids.state",
            "request_ids.claim_ids.amount",
        ]
    )
    def _compute_amounts(self):
        # Grouped reads of every budget at once (superuser: the totals cover
        # every request of the budget whoever looks).
        request_sums = {}
        claims = {}
        ids = [budget.id for budget in self if budget.id]
        if ids:
            for budget, state, requested, approved in (
                self.env["prm.mdf.request"]
                .sudo()
                ._read_group(
                    [("budget_id", "in", ids)],
                    ["budget_id", "state"],
                    ["amount_requested:sum", "amount_approved:sum"],
                )
            ):
                request_sums[budget.id, state] = (requested, approved)
            for budget, state, amount in (
                self.env["prm.mdf.claim"]
                .sudo()
                ._read_group(
                    [("budget_id", "in", ids)],
                    ["budget_id", "state"],
                    ["amount:sum"],
                )
            ):
                claims[budget.id, state] = amount
        for budget in self:
            bid = budget.id
            pending = sum(
                request_sums.get((bid, s), (0.0, 0.0))[0] for s in PENDING_STATES
            )
            committed = sum(
                request_sums.get((bid, s), (0.0, 0.0))[1] for s in COMMITTED_STATES
            )
            budget.amount_pending = pending
            budget.amount_committed = committed
            budget.amount_claimed = sum(
                claims.get((bid, s), 0.0) for s in CLAIMED_STATES
            )
            budget.amount_reimbursed = claims.get((bid, "paid"), 0.0)
            budget.amount_balance = budget._prm_funds_in() - committed
            budget.amount_available = budget.amount_balance - pending

    def _compute_request_count(self):
        groups = dict(
            self.env["prm.mdf.request"]._read_group(
                [("budget_id", "in", self.ids)], ["budget_id"], ["__count"]
            )
        )
        for budget in self:
            budget.request_count = groups.get(budget, 0)

    # --- CRUD ---

    def _prm_guarded_fields(self):
        allocate = _lt("Allocate or open the budget")
        close = _lt("Let the budget expire")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(_lt("Open the budget"), ("draft",)),
            "tier_id": Guard(allocate),
            "revenue_base": Guard(allocate),
            "amount_allocated": Guard(allocate),
            "amount_carried_in": Guard(close),
            "amount_expired": Guard(close),
            "amount_carried_out": Guard(close),
            "amount_pending": Guard(_lt("Submit a request")),
            "amount_committed": Guard(_lt("Approve a request")),
            "amount_claimed": Guard(_lt("Submit a claim")),
            "amount_reimbursed": Guard(_lt("Reimburse a claim")),
            "amount_balance": Guard(_lt("Approve a request")),
            "amount_available": Guard(_lt("Submit a request")),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        )
        commercial = {p.id: p.commercial_partner_id.id for p in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
            # Before the CHECK constraints answer with PostgreSQL's message.
            self.new(
                {
                    k: vals[k]
                    for k in ("date_from", "date_to", "amount_manual")
                    if k in vals
                }
            )._check_budget()
        budgets = super().create(vals_list)
        budgets._check_budget()
        return budgets

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        frozen = {
            "partner_id",
            "company_id",
            "date_from",
            "date_to",
            "allocation",
            "amount_manual",
        } & vals.keys()
        if frozen and not self.env.su:
            check_state(self, ("draft",))
        result = super().write(vals)
        if {"date_from", "date_to", "amount_manual"} & vals.keys():
            self._check_budget()
        return result

    def _check_budget(self):
        check_date_order(self, "date_from", "date_to")
        check_numbers(self, {"amount_manual": (0.0, MAX_AMOUNT)})

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft_without_requests(self):
        for budget in self:
            if budget.state != "draft" or budget.request_ids:
                raise UserError(
                    self.env._(
                        "MDF budget %(budget)s is in use: it cannot be deleted.",
                        budget=budget.display_name,
                    )
                )

    # --- Actions ---

    def action_open(self):
        """Open draft budgets: a budget by hand gets the amount entered, one
        by tier what the allocation computed."""
        self.check_access("write")
        check_state(self, ("draft",))
        for budget in self.sudo():
            values = {"state": "open"}
            if budget.allocation == "manual":
                values["amount_allocated"] = budget.currency_id.round(
                    budget.amount_manual
                )
            budget.write(values)
        return True

    def action_allocate_by_tier(self):
        """Recompute the allocation of draft budgets by tier."""
        self.check_access("write")
        check_state(self, ("draft",))
        self.sudo()._prm_allocate_by_tier()
        return True

    def action_close(self):
        """Let open budgets expire now (the daily job does it at period end)."""
        self.check_access("write")
        check_state(self, ("open",))
        self.sudo()._prm_expire()
        return True

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_campaign.action_prm_mdf_request"
        )
        action["domain"] = [("budget_id", "=", self.id)]
        action["context"] = {"default_budget_id": self.id}
        return action

    # --- Business ---

    def _prm_allocate_by_tier(self):
        """Allocation by tier: the tier's MDF percentage of the partner's
        invoiced revenue (``prm_sale``'s metric) of the previous period of the
        same length. One revenue read per distinct period and company."""
        groups = {}
        for budget in self:
            length = relativedelta(budget.date_to + timedelta(days=1), budget.date_from)
            last_from = budget.date_from - length
            key = (budget.company_id, last_from, budget.date_from - timedelta(days=1))
            groups.setdefault(key, self.browse())
            groups[key] |= budget
        for (company, date_from, date_to), budgets in groups.items():
            partners = budgets.partner_id.with_company(company)
            revenue = partners._prm_metric_invoiced_revenue(date_from, date_to)
            for budget in budgets:
                tier = budget.partner_id.prm_tier_id
                base = budget.currency_id.round(revenue.get(budget.partner_id.id, 0.0))
                budget.write(
                    {
                        "allocation": "tier",
                        "tier_id": tier.id,
                        "revenue_base": base,
                        "amount_allocated": budget.currency_id.round(
                            max(base, 0.0) * tier.mdf_percent / 100.0
                        ),
                    }
                )

    @api.model
    def _prm_allocate(self, partners, day, company=None, open_budgets=False):
        """Create the budgets by tier of ``partners`` for the period holding
        ``day`` (partners that already have one are left out) and return them."""
        company = company or self.env.company
        date_from, date_to = period_bounds(day, company.prm_mdf_period)
        partners = partners.commercial_partner_id.filtered("prm_is_partner")
        existing = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("company_id", "=", company.id),
                ("date_from", "=", date_from),
            ]
        ).partner_id
        budgets = self.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "allocation": "tier",
                }
                for partner in partners - existing
            ]
        )
        budgets.sudo()._prm_allocate_by_tier()
        if open_budgets:
            budgets.action_open()
        return budgets

    def _prm_lock(self):
        """Row-lock the budgets before checking their balance: of two
        transactions deciding on the same budget, the second is refused (or
        fails to serialize once the first committed, since the first rewrites
        the budget's amounts)."""
        try:
            self.sudo().lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "This MDF budget is being changed by someone else right now; "
                    "try again in a moment."
                )
            ) from None
        self.invalidate_recordset()
        # Recompute from the rows, not from a value the cache may hold.
        self.sudo()._compute_amounts()

    def _prm_check_available(self, amount, label):
        """Refuse ``amount`` when it exceeds the available funds."""
        self.ensure_one()
        if (
            float_compare(
                amount,
                self.amount_available,
                precision_rounding=self.currency_id.rounding,
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "%(what)s of %(amount)s exceeds the %(available)s available "
                    "in MDF budget %(budget)s.",
                    what=label,
                    amount=self._prm_format(amount),
                    available=self._prm_format(self.amount_available),
                    budget=self.display_name,
                )
            )

    def _prm_format(self, amount):
        return format_amount(self.env, amount, self.currency_id)

    @api.model
    def _prm_find_open(self, partner, day, company=None):
        """The open budget of ``partner`` covering ``day``."""
        company = company or self.env.company
        return self.search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
            ],
            limit=1,
        )

    @api.model
    def _cron_prm_expire(self):
        """Daily job: open budgets whose period ended expire; the configured
        share of what is left is carried over to the partner's next period."""
        today = fields.Date.context_today(self)
        budgets = self.sudo().search([("state", "=", "open"), ("date_to", "<", today)])
        budgets._prm_expire()
        return budgets

    def _prm_expire(self):
        """Close the budgets; what is available (neither approved nor held by
        a submitted request) expires, but the company's carry-over share of
        it, which goes to the next period's budget (created if needed)."""
        self._prm_lock()
        check_state(self, ("open",))
        nexts = self.search(
            Domain.OR(
                [
                    ("partner_id", "=", budget.partner_id.id),
                    ("company_id", "=", budget.company_id.id),
                    ("date_from", "=", budget.date_to + timedelta(days=1)),
                ]
                for budget in self
            )
        )
        by_key = {(b.partner_id, b.company_id, b.date_from): b for b in nexts}
        for budget in self:
            currency = budget.currency_id
            unspent = max(budget.amount_available, 0.0)
            carry = currency.round(
                unspent * budget.company_id.prm_mdf_carry_over_percent / 100.0
            )
            budget.write(
                {
                    "state": "closed",
                    "amount_carried_out": carry,
                    "amount_expired": currency.round(unspent - carry),
                }
            )
            if currency.is_zero(carry):
                continue
            start = budget.date_to + timedelta(days=1)
            nxt = by_key.get((budget.partner_id, budget.company_id, start))
            if nxt:
                nxt.write({"amount_carried_in": nxt.amount_carried_in + carry})
            else:
                end = period_bounds(start, budget.company_id.prm_mdf_period)[1]
                by_key[budget.partner_id, budget.company_id, start] = self.create(
                    {
                        "partner_id": budget.partner_id.id,
                        "company_id": budget.company_id.id,
                        "date_from": start,
                        "date_to": max(end, start),
                        "amount_carried_in": carry,
                        "state": "open",
                    }
                )
