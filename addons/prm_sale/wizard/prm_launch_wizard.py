from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

# Growth beyond +/-100 % counts as +/-100 % in the composite score.
GROWTH_CAP = 100.0


class PrmLaunchWizard(models.TransientModel):
    """Rank active program partners on their sales of similar products to pick
    the partners of an exclusive launch.

    Composite score (0-100) = sum(weight * part) / sum(weights), where each part
    is on a 0-100 scale:

    * revenue and quantity: the partner's figure over the best partner's
      (0 when not positive);
    * growth: -100 % or less scores 0, no change 50, +100 % or more and new
      sellers (nothing in the previous period) 100, no sales at all 0;
    * win rate: the percentage itself.
    """

    _name = "prm.launch.wizard"
    _description = "Partner Selection for a Product Launch"
    _check_company_auto = True

    launch_id = fields.Many2one("prm.launch", ondelete="cascade", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    # --- Criteria ---
    categ_ids = fields.Many2many(
        "product.category",
        string="Product categories",
        help="Sales of products in these categories and all their subcategories "
        "rank the partners.",
    )
    period_type = fields.Selection(
        [("months", "Last months"), ("dates", "Dates")],
        string="Period",
        default="months",
        required=True,
    )
    months = fields.Integer(default=12)
    date_from = fields.Date(
        string="From",
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_period",
        store=True,
        readonly=False,
        precompute=True,
    )
    previous_date_from = fields.Date(
        string="Previous period from", compute="_compute_previous_period"
    )
    previous_date_to = fields.Date(
        string="Previous period to", compute="_compute_previous_period"
    )
    tier_ids = fields.Many2many("prm.tier", string="Tiers")
    partner_type_ids = fields.Many2many("prm.partner.type", string="Partner types")
    country_ids = fields.Many2many(
        "res.country",
        string="Territory",
        help="Partners whose territory covers one of these countries.",
    )

    # --- Composite score weights ---
    weight_revenue = fields.Float(string="Revenue weight", default=40.0)
    weight_quantity = fields.Float(string="Quantity weight", default=20.0)
    weight_growth = fields.Float(string="Growth weight", default=20.0)
    weight_win_rate = fields.Float(string="Win rate weight", default=20.0)

    # --- Ranking and selection ---
    line_ids = fields.One2many("prm.launch.wizard.line", "wizard_id", string="Ranking")
    ranked = fields.Boolean(readonly=True)
    top_n = fields.Integer(default=10)
    selected_count = fields.Integer(compute="_compute_selected_count")

    # --- New launch ---
    launch_name = fields.Char(string="Launch name")
    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products to launch", check_company=True
    )
    launch_date_start = fields.Date(
        string="Launch start", default=fields.Date.context_today
    )
    launch_date_end = fields.Date(string="Launch end")

    # --- Constraints ---

    @api.constrains("period_type", "months", "date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.period_type == "months" and wizard.months < 1:
                raise ValidationError(
                    self.env._("The look-back period must be at least one month.")
                )
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise ValidationError(
                    self.env._(
                        "The period cannot start (%(start)s) after it ends (%(end)s).",
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    @api.constrains("top_n")
    def _check_top_n(self):
        if any(wizard.top_n < 1 for wizard in self):
            raise ValidationError(
                self.env._("Top N must be a positive number of partners.")
            )

    @api.constrains(
        "weight_revenue", "weight_quantity", "weight_growth", "weight_win_rate"
    )
    def _check_weights(self):
        for wizard in self:
            weights = wizard._prm_weights()
            if any(w < 0 for w in weights.values()):
                raise ValidationError(
                    self.env._("The score weights cannot be negative.")
                )
            if not sum(weights.values()):
                raise ValidationError(
                    self.env._("At least one score weight must be positive.")
                )

    # --- Compute ---

    @api.depends("period_type", "months")
    def _compute_period(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.period_type == "months" and wizard.months > 0:
                wizard.date_to = today
                wizard.date_from = (
                    today - relativedelta(months=wizard.months) + relativedelta(days=1)
                )
            else:
                wizard.date_to = wizard.date_to or today
                wizard.date_from = wizard.date_from or (
                    today - relativedelta(years=1) + relativedelta(days=1)
                )

    @api.depends("date_from", "date_to")
    def _compute_previous_period(self):
        for wizard in self:
            if wizard.date_from and wizard.date_to:
                previous = wizard._prm_previous_period()
                wizard.previous_date_from, wizard.previous_date_to = previous
            else:
                wizard.previous_date_from = wizard.previous_date_to = False

    @api.depends("line_ids.selected")
    def _compute_selected_count(self):
        for wizard in self:
            wizard.selected_count = len(wizard.line_ids.filtered("selected"))

    def _prm_previous_period(self):
        """The period of the same number of days just before the ranked one."""
        self.ensure_one()
        previous_to = self.date_from - relativedelta(days=1)
        return previous_to - (self.date_to - self.date_from), previous_to

    def _prm_weights(self):
        self.ensure_one()
        return {
            "revenue": self.weight_revenue,
            "quantity": self.weight_quantity,
            "growth": self.weight_growth,
            "win_rate": self.weight_win_rate,
        }

    # --- Actions ---

    def action_rank(self):
        """Rank the partners (again) and show the result in the wizard."""
        self.ensure_one()
        self._prm_check_criteria()
        partners = self._prm_launch_candidates()
        keep_selected = set(self.line_ids.filtered("selected").partner_id.ids)
        if self.launch_id and not self.ranked:
            keep_selected |= set(self.launch_id.partner_ids.ids)
        values = self._prm_launch_rank(partners)
        self.line_ids.unlink()
        self.env["prm.launch.wizard.line"].create(
            [
                {
                    **vals,
                    "wizard_id": self.id,
                    "selected": vals["partner_id"] in keep_selected,
                }
                for vals in values
            ]
        )
        self.ranked = True
        return self._prm_reopen()

    def action_select_top(self):
        self.ensure_one()
        if self.top_n < 1:
            raise UserError(self.env._("Top N must be a positive number of partners."))
        if not self.ranked:
            raise UserError(self.env._("Rank the partners first."))
        top = self.line_ids.filtered(lambda line: line.rank <= self.top_n)
        top.selected = True
        (self.line_ids - top).selected = False
        return self._prm_reopen()

    def action_clear_selection(self):
        self.ensure_one()
        self.line_ids.selected = False
        return self._prm_reopen()

    def action_create_launch(self):
        """Create a draft launch with the selected partners and open it."""
        self.ensure_one()
        partners = self._prm_selected_partners()
        if not (self.launch_name or "").strip():
            raise UserError(self.env._("Name the launch to create."))
        if not self.product_tmpl_ids:
            raise UserError(self.env._("Choose the products to launch."))
        launch = self.env["prm.launch"].create(self._prepare_launch_vals(partners))
        launch.message_post(body=self._prm_ranking_summary())
        return {
            "type": "ir.actions.act_window",
            "res_model": "prm.launch",
            "res_id": launch.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_apply_to_launch(self):
        """Replace the ranked partners of the launch by the selected ones;
        partners the ranking did not cover stay selected."""
        self.ensure_one()
        if not self.launch_id:
            raise UserError(self.env._("This selection is not attached to a launch."))
        partners = self._prm_selected_partners()
        launch = self.launch_id
        kept = launch.partner_ids - self.line_ids.partner_id
        launch.write(
            {
                "partner_ids": [Command.set((kept | partners).ids)],
                "categ_ids": [Command.set(self.categ_ids.ids)],
            }
        )
        launch.message_post(body=self._prm_ranking_summary())
        return {"type": "ir.actions.act_window_close"}

    def _prm_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Select partners"),
        }

    # --- Business ---

    def _prm_check_criteria(self):
        if not self.categ_ids:
            raise UserError(
                self.env._("Choose the product categories to rank partners on.")
            )
        if not self.date_from or not self.date_to:
            raise UserError(self.env._("Set the period to rank partners on."))
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "Select the company %(company)s before ranking its partners.",
                    company=self.company_id.name,
                )
            )

    def _prm_selected_partners(self):
        partners = self.line_ids.filtered("selected").partner_id
        if not partners:
            raise UserError(
                self.env._("Select at least one partner (by hand or with Top N).")
            )
        return partners

    def _prm_launch_candidates(self):
        """Active program partners matching the filters."""
        domain = Domain(
            [
                ("prm_is_partner", "=", True),
                ("prm_state", "=", "active"),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        )
        if self.tier_ids:
            domain &= Domain("prm_tier_id", "in", self.tier_ids.ids)
        if self.partner_type_ids:
            domain &= Domain("prm_partner_type_id", "in", self.partner_type_ids.ids)
        if self.country_ids:
            domain &= Domain("prm_country_ids", "in", self.country_ids.ids) | Domain(
                "prm_country_state_ids.country_id", "in", self.country_ids.ids
            )
        partners = self.env["res.partner"].search(domain)
        return self._prm_launch_certified_partners(partners)

    def _prm_launch_certified_partners(self, partners):
        """Hook: keep only the partners certified to sell the launched products
        (the training module filters on its certifications)."""
        return partners

    def _prm_launch_rank(self, partners):
        """Ranking line values for ``partners``, best first, in grouped queries."""
        previous_from, previous_to = self._prm_previous_period()
        current = self._prm_launch_sales(partners, self.date_from, self.date_to)
        previous = self._prm_launch_sales(partners, previous_from, previous_to)
        wins = self._prm_launch_win_rates(partners, self.date_from, self.date_to)
        rows = []
        for partner in partners:
            quantity, revenue = current.get(partner.id, (0.0, 0.0))
            previous_revenue = previous.get(partner.id, (0.0, 0.0))[1]
            won, lost = wins.get(partner.id, (0, 0))
            rows.append(
                {
                    "partner_id": partner.id,
                    "tier_id": partner.prm_tier_id.id,
                    "partner_type_id": partner.prm_partner_type_id.id,
                    "quantity": quantity,
                    "revenue": revenue,
                    "previous_revenue": previous_revenue,
                    **self._prm_growth(revenue, previous_revenue),
                    "won_count": won,
                    "lost_count": lost,
                    "win_rate": 100.0 * won / (won + lost) if won + lost else 0.0,
                }
            )
        self._prm_score(rows)
        names = {partner.id: partner.name or "" for partner in partners}
        rows.sort(key=lambda r: (-r["score"], -r["revenue"], names[r["partner_id"]]))
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
        return rows

    def _prm_growth(self, revenue, previous_revenue):
        currency = self.currency_id
        if currency.is_zero(previous_revenue):
            # Nothing to compare with: a new seller, or no sales at all.
            return {"growth": 0.0, "is_new": currency.compare_amounts(revenue, 0) > 0}
        return {
            "growth": 100.0 * (revenue - previous_revenue) / abs(previous_revenue),
            "is_new": False,
        }

    def _prm_score(self, rows):
        """Set the composite score of every row (see the class docstring)."""
        weights = self._prm_weights()
        best_revenue = max([r["revenue"] for r in rows] + [0.0])
        best_quantity = max([r["quantity"] for r in rows] + [0.0])
        for row in rows:
            if row["is_new"]:
                growth_part = 100.0
            elif self.currency_id.is_zero(row["previous_revenue"]):
                growth_part = 0.0
            else:
                capped = max(-GROWTH_CAP, min(GROWTH_CAP, row["growth"]))
                growth_part = (capped + GROWTH_CAP) / 2.0
            parts = {
                "revenue": (
                    100.0 * max(row["revenue"], 0.0) / best_revenue
                    if best_revenue > 0
                    else 0.0
                ),
                "quantity": (
                    100.0 * max(row["quantity"], 0.0) / best_quantity
                    if best_quantity > 0
                    else 0.0
                ),
                "growth": growth_part,
                "win_rate": row["win_rate"],
            }
            row["score"] = sum(weights[k] * parts[k] for k in weights) / sum(
                weights.values()
            )

    def _prm_launch_sales(self, partners, date_from, date_to):
        """``{partner id: (quantity, revenue)}`` of the wizard's categories.

        Posted customer invoices minus credit notes, dated in the period, billed
        to the partner (resale) or to end customers through it (sell-through).
        Revenue is untaxed, in company currency; quantities in reference units
        (a dozen counts twelve).
        """
        if not partners:
            return {}
        # Sums per partner only: program users rank partners without
        # accounting rights, and never see an invoice line.
        line_sudo = self.env["account.move.line"].sudo()
        ids = partners.ids
        domain = Domain(
            [
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("company_id", "=", self.company_id.id),
                ("invoice_date", ">=", date_from),
                ("invoice_date", "<=", date_to),
                ("display_type", "=", "product"),
                ("product_id.categ_id", "child_of", self.categ_ids.ids),
            ]
        ) & (
            Domain("move_id.commercial_partner_id", "in", ids)
            | Domain("move_id.prm_partner_id", "in", ids)
        )
        groups = line_sudo._read_group(
            domain,
            [
                "move_id.commercial_partner_id",
                "move_id.prm_partner_id",
                "move_id.move_type",
                "product_uom_id",
            ],
            ["quantity:sum", "balance:sum"],
        )
        wanted = set(ids)
        figures = defaultdict(lambda: [0.0, 0.0])
        for customer, channel, move_type, uom, quantity, balance in groups:
            sign = -1.0 if move_type == "out_refund" else 1.0
            units = sign * quantity * (uom.factor or 1.0)
            # Revenue is credited: a negative balance is a sale.
            # An invoice to one program partner through another counts for both,
            # as in the tier revenue metric.
            for partner in (customer, channel):
                if partner.id in wanted:
                    figures[partner.id][0] += units
                    figures[partner.id][1] -= balance
        currency = self.currency_id
        return {
            partner_id: (quantity, currency.round(revenue))
            for partner_id, (quantity, revenue) in figures.items()
        }

    def _prm_launch_win_rates(self, partners, date_from, date_to):
        """``{partner id: (won, lost)}``: the partners' deals closed in the
        period. Hook: CRM counts the opportunities with the partner as channel
        partner; without it nobody has a win rate."""
        return {}

    def _prepare_launch_vals(self, partners):
        return {
            "name": self.launch_name.strip(),
            "company_id": self.company_id.id,
            "product_tmpl_ids": [Command.set(self.product_tmpl_ids.ids)],
            "categ_ids": [Command.set(self.categ_ids.ids)],
            "partner_ids": [Command.set(partners.ids)],
            "date_start": self.launch_date_start or fields.Date.context_today(self),
            "date_end": self.launch_date_end,
        }

    def _prm_ranking_summary(self):
        """Chatter note recording on which figures the partners were chosen."""
        lines = self.line_ids.filtered("selected").sorted("rank")
        items = Markup("").join(
            Markup("<li>%s</li>")
            % self.env._(
                "#%(rank)s %(partner)s: score %(score).1f, revenue %(revenue)s, "
                "growth %(growth)s, win rate %(win_rate).0f%%",
                rank=line.rank,
                partner=line.partner_id.display_name,
                score=line.score,
                revenue=line.currency_id.format(line.revenue),
                growth=line.growth_display or "-",
                win_rate=line.win_rate,
            )
            for line in lines
        )
        header = self.env._(
            "Partners selected on their sales of %(categories)s from %(start)s to "
            "%(end)s:",
            categories=", ".join(self.categ_ids.mapped("display_name")),
            start=self.date_from,
            end=self.date_to,
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (header, items)
