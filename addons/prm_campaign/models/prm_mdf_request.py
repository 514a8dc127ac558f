from dateutil.relativedelta import relativedelta

from odoo import Command, _lt, api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import MAX_AMOUNT
from odoo.addons.prm_partner.tools.upload import check_upload
from odoo.addons.prm_partner.tools.validation import (
    check_date_order,
    check_numbers,
    check_state,
    check_text_input,
)

# What the partner may still change once the request left the draft state.
DRAFT_ONLY_FIELDS = {
    "partner_id",
    "budget_id",
    "activity_type",
    "plan",
    "date_start",
    "date_end",
    "expected_results",
    "expected_revenue",
    "amount_requested",
}


class PrmMdfRequest(models.Model):
    """A partner's plan to spend market development funds: the amount is held
    on the budget once submitted and taken from it once the channel manager
    approves; claims with proof of performance are then reimbursed."""

    _name = "prm.mdf.request"
    _description = "MDF Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    title = fields.Char(string="Activity", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("prm_is_partner", "=", True)],
    )
    budget_id = fields.Many2one(
        "prm.mdf.budget",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('partner_id', '=', partner_id), ('state', '=', 'open')]",
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="budget_id.currency_id")
    tier_id = fields.Many2one(related="budget_id.tier_id", store=True)
    manager_id = fields.Many2one(
        related="partner_id.prm_manager_id", string="Channel manager"
    )
    activity_type = fields.Selection(
        [
            ("event", "Event"),
            ("trade_show", "Trade show"),
            ("advertising", "Advertising"),
            ("digital", "Digital campaign"),
            ("email", "Email campaign"),
            ("training", "Customer training"),
            ("other", "Other"),
        ],
        required=True,
        default="event",
    )
    plan = fields.Text(required=True, help="What the partner will do, for whom, how.")
    date_start = fields.Date(string="Start", required=True)
    date_end = fields.Date(string="End", required=True)
    expected_results = fields.Text(help="Leads, attendees, reach the activity aims at.")
    expected_revenue = fields.Monetary()
    amount_requested = fields.Monetary(string="Requested", required=True, tracking=True)
    amount_approved = fields.Monetary(string="Approved", readonly=True, tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    claim_ids = fields.One2many("prm.mdf.claim", "request_id", string="Claims")
    amount_claimed = fields.Monetary(
        string="Claimed", compute="_compute_claimed", store=True
    )
    amount_reimbursed = fields.Monetary(
        string="Reimbursed", compute="_compute_claimed", store=True
    )
    roi_revenue = fields.Monetary(
        string="Revenue after the activity",
        readonly=True,
        help="Invoiced revenue of the partner in the 6 months after the activity "
        "ended (updated by a daily job).",
    )
    roi = fields.Float(
        string="ROI",
        readonly=True,
        aggregator="avg",
        help="Revenue after the activity divided by the funds reimbursed.",
    )

    _amount_positive = models.Constraint(
        "CHECK(amount_requested > 0)", "An MDF request asks for a positive amount."
    )
    _approved_le_requested = models.Constraint(
        "CHECK(amount_approved <= amount_requested)",
        "An MDF request is never approved for more than it asked.",
    )

    # --- Compute ---

    @api.depends("claim_ids.state", "claim_ids.amount")
    def _compute_claimed(self):
        groups = {}
        ids = [r.id for r in self if r.id]
        if ids:
            for request, state, amount in (
                self.env["prm.mdf.claim"]
                .sudo()
                ._read_group(
                    [("request_id", "in", ids)], ["request_id", "state"], ["amount:sum"]
                )
            ):
                groups[request.id, state] = amount
        for request in self:
            request.amount_claimed = sum(
                groups.get((request.id, s), 0.0)
                for s in ("submitted", "approved", "paid")
            )
            request.amount_reimbursed = groups.get((request.id, "paid"), 0.0)

    def _compute_display_name(self):
        for request in self:
            request.display_name = f"{request.name} {request.title or ''}".strip()

    # --- CRUD ---

    def _prm_guarded_fields(self):
        decide = _lt("Approve or reject the request")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(
                _lt("Submit, approve, reject or cancel the request"), ("draft",)
            ),
            "amount_approved": Guard(decide),
            "approved_by_id": Guard(decide),
            "approved_date": Guard(decide),
            "submitted_by_id": Guard(_lt("Submit the request")),
            "amount_claimed": Guard(_lt("Submit a claim")),
            "amount_reimbursed": Guard(_lt("Reimburse a claim")),
            "roi_revenue": Guard(_lt("Compute the ROI")),
            "roi": Guard(_lt("Compute the ROI")),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        for vals in vals_list:
            check_text_input(self, vals)
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("prm.mdf.request")
                    or "/"
                )
        self._prm_check_amounts_before_insert(vals_list)
        requests = super().create(vals_list)
        requests._check_request()
        return requests

    def _prm_check_amounts_before_insert(self, vals_list):
        # The CHECK constraint would answer with PostgreSQL's message.
        label = self._fields["amount_requested"]._description_string(self.env)
        for vals in vals_list:
            amount = vals.get("amount_requested", 0.0)
            check_numbers(
                self.new({"amount_requested": amount}),
                {"amount_requested": (0.0, MAX_AMOUNT)},
            )
            if float_compare(float(amount or 0.0), 0.0, precision_digits=6) <= 0:
                raise ValidationError(
                    self.env._("%(field)s must be more than zero.", field=label)
                )

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        check_text_input(self, vals)
        if DRAFT_ONLY_FIELDS & vals.keys() and not self.env.su:
            check_state(self, ("draft",))
        if "amount_requested" in vals:
            self._prm_check_amounts_before_insert([vals])
        result = super().write(vals)
        if DRAFT_ONLY_FIELDS & vals.keys():
            self._check_request()
        return result

    def _check_request(self):
        check_date_order(self, "date_start", "date_end")
        check_numbers(self, {"expected_revenue": (0.0, MAX_AMOUNT)})
        for request in self:
            if request.budget_id.partner_id != request.partner_id:
                raise ValidationError(
                    self.env._(
                        "MDF request %(request)s draws on the budget of another "
                        "partner (%(budget)s).",
                        request=request.display_name,
                        budget=request.budget_id.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if any(request.state != "draft" for request in self):
            raise UserError(
                self.env._("Only draft MDF requests can be deleted; cancel the others.")
            )

    # --- Actions ---

    def action_submit(self):
        """Submit draft requests: each amount must fit the budget's available
        funds, checked under a row lock on the budget."""
        self.check_access("write")
        check_state(self, ("draft",))
        return self.sudo()._prm_submit(self.env.user)

    def _prm_submit(self, user):
        for request in self:
            budget = request.budget_id
            if budget.state != "open":
                raise UserError(
                    self.env._(
                        "MDF budget %(budget)s is not open: requests cannot be "
                        "submitted on it.",
                        budget=budget.display_name,
                    )
                )
            budget._prm_lock()
            budget._prm_check_available(request.amount_requested, request._prm_label())
            request.write({"state": "submitted", "submitted_by_id": user.id})
            # Writes the budget row now: a concurrent submit that locked it
            # after this one commits fails to serialize instead of reading a
            # balance without this request.
            self.env.flush_all()
        return True

    def _prm_label(self):
        return self.env._("Request %(request)s", request=self.display_name)

    def action_approve(self):
        """The partner's channel manager (or a program administrator)
        approves the requested amount."""
        self._prm_check_decider()
        check_state(self, ("submitted",))
        for request in self.sudo():
            request.budget_id._prm_lock()
            request.write(
                {
                    "state": "approved",
                    "amount_approved": request.amount_requested,
                    "approved_by_id": self.env.user.id,
                    "approved_date": fields.Datetime.now(),
                }
            )
        return True

    def action_reject(self):
        self._prm_check_decider()
        check_state(self, ("submitted",))
        self.sudo().write({"state": "rejected"})
        return True

    def action_cancel(self):
        """Cancel a request: its funds go back to the budget. Not once a claim
        is filed on it (reject or reverse the claims first)."""
        self.check_access("write")
        check_state(self, ("draft", "submitted", "approved"))
        live = self.claim_ids.filtered(
            lambda c: c.state not in ("rejected", "reversed", "draft")
        )
        if live:
            raise UserError(
                self.env._(
                    "MDF request %(request)s has claims: reject or reverse them "
                    "before cancelling it.",
                    request=live[0].request_id.display_name,
                )
            )
        self.sudo().write({"state": "cancelled", "amount_approved": 0.0})
        return True

    def _prm_check_decider(self):
        """Decisions belong to the partner's channel manager or a program
        administrator, not to any program user."""
        self.check_access("write")
        user = self.env.user
        if self.env.su or user.has_group("prm_partner.group_prm_manager"):
            return
        others = self.filtered(lambda r: r.sudo().partner_id.prm_manager_id != user)
        if others:
            raise AccessError(
                self.env._(
                    "Only the channel manager of %(partner)s or a program "
                    "administrator decides on its MDF requests and claims.",
                    partner=others[0].sudo().partner_id.display_name,
                )
            )

    # --- Business ---

    def _prm_lock_request(self):
        """Row-lock requests before checking their claims against the
        approved amount (a claim rewrites the request's claimed total, so a
        concurrent claim fails to serialize)."""
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "This MDF request is being claimed by someone else right "
                    "now; try again in a moment."
                )
            ) from None
        self.invalidate_recordset()
        self.claim_ids.invalidate_recordset()

    @api.model
    def _cron_prm_compute_roi(self):
        """Daily job: revenue in the 6 months after each approved activity."""
        requests = self.sudo().search([("state", "=", "approved")])
        requests._prm_compute_roi()
        return requests

    def _prm_compute_roi(self):
        """Revenue of the partner invoiced in the 6 months after the activity
        ended, over the funds reimbursed: one revenue read per distinct
        window and company (prm_sale's invoiced-revenue metric)."""
        windows = {}
        for request in self:
            key = (
                request.company_id,
                request.date_end,
                request.date_end + relativedelta(months=6),
            )
            windows.setdefault(key, self.browse())
            windows[key] |= request
        for (company, date_from, date_to), requests in windows.items():
            revenue = requests.partner_id.with_company(
                company
            )._prm_metric_invoiced_revenue(date_from, date_to)
            for request in requests:
                amount = request.currency_id.round(
                    revenue.get(request.partner_id.id, 0.0)
                )
                spent = request.amount_reimbursed
                request.write(
                    {
                        "roi_revenue": amount,
                        "roi": amount / spent if spent else 0.0,
                    }
                )

    # --- Portal ---

    @api.model
    def _prm_portal_create(self, partner, user, form):
        """Create and submit a request from the portal form of ``partner``'s
        representative ``user``: the whitelisted ``form`` values, parsed and
        bounded, on the partner's open budget of the start date."""
        vals = self._prm_portal_parse(form)
        budget = (
            self.env["prm.mdf.budget"]
            .sudo()
            ._prm_find_open(partner, vals["date_start"], partner._prm_program_company())
        )
        if not budget:
            raise UserError(
                self.env._(
                    "You have no open market development fund budget for %(day)s.",
                    day=vals["date_start"],
                )
            )
        # sudo: portal users have no access rights on requests; the partner
        # and its budget come from the logged-in user, not from the form.
        request_sudo = self.sudo().create(
            {**vals, "partner_id": partner.id, "budget_id": budget.id}
        )
        request_sudo._prm_submit(user)
        return request_sudo

    @api.model
    def _prm_portal_parse(self, form):
        required = ("title", "plan", "date_start", "date_end", "amount_requested")
        missing = [
            self._fields[fname]._description_string(self.env)
            for fname in required
            if not (form.get(fname) or "").strip()
        ]
        if missing:
            raise ValidationError(
                self.env._("Please fill in: %(fields)s.", fields=", ".join(missing))
            )
        vals = {
            "title": form["title"].strip(),
            "plan": form["plan"].strip(),
            "expected_results": (form.get("expected_results") or "").strip(),
            "activity_type": form.get("activity_type") or "other",
        }
        types = dict(self._fields["activity_type"]._description_selection(self.env))
        if vals["activity_type"] not in types:
            raise ValidationError(self.env._("Choose an activity type from the list."))
        for fname in ("date_start", "date_end"):
            try:
                vals[fname] = fields.Date.to_date(form[fname])
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "%(field)s is not a date.",
                        field=self._fields[fname]._description_string(self.env),
                    )
                ) from None
        for fname in ("amount_requested", "expected_revenue"):
            value = (form.get(fname) or "0").strip()
            try:
                vals[fname] = float(value)
            except ValueError:
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a number.",
                        field=self._fields[fname]._description_string(self.env),
                    )
                ) from None
        return vals

    def _prm_portal_claim(self, user, amount, description, files):
        """File and submit a claim with proof from the portal (``self`` is the
        partner's own request, already checked by the controller)."""
        self.ensure_one()
        check_state(self, ("approved",))
        try:
            amount = float((amount or "").strip() or 0.0)
        except ValueError:
            raise ValidationError(
                self.env._("The claimed amount must be a number.")
            ) from None
        if not files:
            raise UserError(
                self.env._(
                    "Attach the proof of performance (invoices, photos, reports)."
                )
            )
        checked = [
            (name, content, check_upload(self.env, name, content))
            for name, content in files
        ]
        claim_sudo = (
            self.env["prm.mdf.claim"]
            .sudo()
            .create(
                {
                    "request_id": self.id,
                    "amount": amount,
                    "description": (description or "").strip(),
                }
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "mimetype": mimetype,
                        "res_model": claim_sudo._name,
                        "res_id": claim_sudo.id,
                    }
                    for name, content, mimetype in checked
                ]
            )
        )
        claim_sudo.write({"attachment_ids": [Command.set(attachments.ids)]})
        claim_sudo.action_submit()
        return claim_sudo
