from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

PROGRAM_KINDS = [
    ("commission", "Commission on resale"),
    ("referral", "Referral fee"),
    ("rebate", "Volume rebate"),
    ("spiff", "SPIFF"),
    ("bonus", "Target bonus"),
    ("points", "Points"),
]

# Kinds whose rules are computed from the period totals at period close: their
# invoice lines only carry the base, the amount comes from the period result.
PERIOD_KINDS = ("rebate", "bonus")

# Kinds settled without accounting documents: a posted points settlement credits
# the partner's points ledger (prm.points.move) instead.
NO_PAYOUT_KINDS = ("points",)

# Points validity: a century at most (expiry dates stay computable).
MAX_VALIDITY_MONTHS = 1200

PAYOUT_JOURNAL_TYPES = {"bill": "purchase", "credit_note": "sale", "entry": "general"}


class PrmIncentiveProgram(models.Model):
    """An incentive program: who is eligible, over which periods, on which basis
    it earns (invoiced or paid revenue) and how the settlements are paid."""

    _name = "prm.incentive.program"
    _description = "Incentive Program"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.finite.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="Accruals and settlements are expressed in this currency; invoice "
        "amounts are converted at the rate of their invoice date.",
    )
    kind = fields.Selection(
        PROGRAM_KINDS,
        required=True,
        default="commission",
        tracking=True,
        help="Commissions, referral fees and SPIFFs earn on each invoice line; "
        "volume rebates and target bonuses are computed at period close from the "
        "period totals. Points programs credit loyalty points to a ledger when "
        "their settlements are posted.",
    )
    period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        required=True,
        default="quarterly",
        tracking=True,
        help="Settlement period: one settlement per partner and period.",
    )
    date_start = fields.Date(
        string="Valid from",
        required=True,
        default=lambda self: date_utils.start_of(
            fields.Date.context_today(self), "year"
        ),
        tracking=True,
    )
    date_end = fields.Date(
        string="Valid until",
        tracking=True,
        help="Invoices dated after this day no longer earn. Leave empty for an "
        "open-ended program.",
    )
    partner_type_ids = fields.Many2many(
        "prm.partner.type",
        string="Eligible partner types",
        help="Leave empty for every partner type.",
    )
    tier_ids = fields.Many2many(
        "prm.tier",
        string="Eligible tiers",
        check_company=True,
        help="Leave empty for every tier.",
    )
    payout_grouping = fields.Selection(
        [
            ("rule", "One line per rule"),
            ("invoice", "One line per rule and invoice"),
        ],
        string="Payout document lines",
        required=True,
        default="rule",
        help="Lines of the payout documents: one per rule (the statement lists "
        "every invoice), or one per rule and source invoice or sell-out report.",
    )
    basis = fields.Selection(
        [("invoiced", "Invoiced"), ("paid", "Paid")],
        required=True,
        default="invoiced",
        tracking=True,
        help="Invoiced: a line earns when its customer invoice is posted. Paid: it "
        "earns when the customer pays, in proportion of what was paid.",
    )
    payout_method = fields.Selection(
        [
            ("bill", "Vendor bill to the partner"),
            ("credit_note", "Credit note on the partner's account"),
            ("entry", "Accrual journal entry"),
        ],
        required=True,
        default="bill",
        tracking=True,
    )
    journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', payout_journal_type)]",
        help="Journal of the settlement documents; the first journal of the right "
        "type is used when empty.",
    )
    payout_journal_type = fields.Char(compute="_compute_payout_journal_type")
    product_id = fields.Many2one(
        "product.product",
        string="Payout product",
        check_company=True,
        help="Product on the lines of the vendor bills and credit notes; its taxes "
        "apply.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Expense account",
        check_company=True,
        help="Account charged with the incentives. Defaults to the expense account "
        "of the payout product.",
    )
    payable_account_id = fields.Many2one(
        "account.account",
        string="Accrued liability account",
        check_company=True,
        help="Credited by accrual journal entries. Defaults to the partner's "
        "payable account.",
    )
    points_validity_months = fields.Integer(
        string="Points expire after (months)",
        default=12,
        help="Points credited by this program expire this many months after they "
        "are credited, unless spent before. 0: they never expire.",
    )
    description = fields.Html(translate=True)
    rule_ids = fields.One2many("prm.incentive.rule", "program_id", string="Rules")
    # Internal users only: a portal user reads the programs it earns from, and
    # through these the ids of every partner's accruals and settlements.
    line_ids = fields.One2many(
        "prm.incentive.line",
        "program_id",
        string="Accruals",
        groups="base.group_user",
    )
    settlement_ids = fields.One2many(
        "prm.settlement", "program_id", groups="base.group_user"
    )
    line_count = fields.Integer(compute="_compute_counts")
    settlement_count = fields.Integer(compute="_compute_counts")

    # --- Compute ---

    @api.depends("payout_method")
    def _compute_payout_journal_type(self):
        for program in self:
            program.payout_journal_type = PAYOUT_JOURNAL_TYPES.get(
                program.payout_method, "general"
            )

    def _compute_counts(self):
        lines = dict(
            self.env["prm.incentive.line"]._read_group(
                [("program_id", "in", self.ids)], ["program_id"], ["__count"]
            )
        )
        settlements = dict(
            self.env["prm.settlement"]._read_group(
                [("program_id", "in", self.ids)], ["program_id"], ["__count"]
            )
        )
        for program in self:
            program.line_count = lines.get(program, 0)
            program.settlement_count = settlements.get(program, 0)

    # --- CRUD ---

    def write(self, vals):
        """Accruals are stored in the program currency and keyed by program
        period: changing either afterwards would mix currencies or periods in
        one settlement."""
        locked = [fname for fname in ("currency_id", "period") if fname in vals]
        if locked:
            changing = self.filtered(
                lambda p: any(
                    (p[fname].id if fname == "currency_id" else p[fname]) != vals[fname]
                    for fname in locked
                )
            )
            used = (
                self.env["prm.incentive.line"]
                .sudo()
                ._read_group([("program_id", "in", changing.ids)], ["program_id"])
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "Program %(program)s already has accruals: its currency and "
                        "period can no longer change. Create a new program instead.",
                        program=used[0][0].display_name,
                    )
                )
        return super().write(vals)

    # --- Constraints ---

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for program in self:
            if program.date_end and program.date_end < program.date_start:
                raise ValidationError(
                    self.env._(
                        "Program %(program)s ends (%(end)s) before it starts (%(start)s).",
                        program=program.display_name,
                        end=program.date_end,
                        start=program.date_start,
                    )
                )

    @api.constrains("kind")
    def _check_kind_rules(self):
        self.rule_ids._check_rate()

    @api.constrains("points_validity_months")
    def _check_points_validity(self):
        for program in self:
            if program.points_validity_months < 0:
                raise ValidationError(
                    self.env._(
                        "Program %(program)s: the points validity cannot be negative.",
                        program=program.display_name,
                    )
                )
            if program.points_validity_months > MAX_VALIDITY_MONTHS:
                raise ValidationError(
                    self.env._(
                        "Program %(program)s: points expire after at most %(limit)s "
                        "months.",
                        program=program.display_name,
                        limit=MAX_VALIDITY_MONTHS,
                    )
                )

    @api.constrains("journal_id", "payout_method")
    def _check_journal_type(self):
        for program in self:
            expected = PAYOUT_JOURNAL_TYPES[program.payout_method]
            if program.journal_id and program.journal_id.type != expected:
                raise ValidationError(
                    self.env._(
                        "Program %(program)s pays by %(method)s: its journal must be "
                        "of type %(expected)s, not %(journal)s.",
                        program=program.display_name,
                        method=dict(
                            self._fields["payout_method"]._description_selection(
                                self.env
                            )
                        )[program.payout_method],
                        expected=expected,
                        journal=program.journal_id.display_name,
                    )
                )

    # --- Business ---

    def _get_period(self, day):
        """Return ``(first_day, last_day)`` of the settlement period holding ``day``."""
        self.ensure_one()
        if self.period == "monthly":
            return date_utils.get_month(day)
        if self.period == "quarterly":
            return date_utils.get_quarter(day)
        return date(day.year, 1, 1), date(day.year, 12, 31)

    def _filter_period_ended(self, day):
        """These programs whose period holding ``day`` has ended (it can be
        closed)."""
        today = fields.Date.context_today(self)
        return self.filtered(lambda program: program._get_period(day)[1] < today)

    def _is_payable(self):
        """Whether posting a settlement creates accounting documents."""
        self.ensure_one()
        return self.kind not in NO_PAYOUT_KINDS

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.date_start <= day and (not self.date_end or day <= self.date_end)

    def _get_payout_journal(self):
        self.ensure_one()
        if self.journal_id:
            return self.journal_id
        journal_type = PAYOUT_JOURNAL_TYPES[self.payout_method]
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company_id),
                ("type", "=", journal_type),
            ],
            limit=1,
        )

    def _get_expense_account(self):
        self.ensure_one()
        if self.expense_account_id:
            return self.expense_account_id
        product = self.product_id.with_company(self.company_id)
        return (
            product.property_account_expense_id
            or product.categ_id.property_account_expense_categ_id
        )

    @api.model
    def _eligible_partner_states(self):
        """Program statuses in which a partner earns (hook)."""
        return ("active",)

    def _eligible_partners(self, partners):
        """The subset of ``partners`` (already fetched) eligible to this program."""
        self.ensure_one()
        states = self._eligible_partner_states()
        return partners.filtered(
            lambda p: (
                p.prm_is_partner
                and p.prm_state in states
                and (not p.company_id or p.company_id == self.company_id)
                and (
                    not self.partner_type_ids
                    or p.prm_partner_type_id in self.partner_type_ids
                )
                and (not self.tier_ids or p.prm_tier_id in self.tier_ids)
            )
        )

    # --- Actions ---

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        action["domain"] = [("program_id", "=", self.id)]
        action["context"] = {"default_program_id": self.id}
        return action

    def action_open_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement"
        )
        action["domain"] = [("program_id", "=", self.id)]
        return action

    def action_close_period(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement_wizard"
        )
        action["context"] = {"default_program_ids": self.ids}
        return action
