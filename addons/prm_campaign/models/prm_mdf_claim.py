from odoo import Command, _lt, api, fields, models
from odoo.exceptions import AccessError, LockError, UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import MAX_AMOUNT
from odoo.addons.prm_partner.tools.validation import (
    check_numbers,
    check_state,
    check_text_input,
)


class PrmMdfClaim(models.Model):
    """What a partner asks back for an approved MDF request, with proof of
    performance; approved by the channel manager, then reimbursed by one
    posted document (vendor bill or credit note), which a reversal undoes.

    Paid once: reimbursing locks the claim row and re-checks its state, and a
    unique index allows one reimbursement document per claim
    (``account.move.prm_mdf_claim_id``). A claim is never deleted once
    submitted."""

    _name = "prm.mdf.claim"
    _description = "MDF Claim"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    request_id = fields.Many2one(
        "prm.mdf.request",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=[("state", "=", "approved")],
    )
    budget_id = fields.Many2one(
        related="request_id.budget_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    tier_id = fields.Many2one(related="request_id.tier_id", store=True)
    currency_id = fields.Many2one(related="request_id.currency_id")
    description = fields.Text(help="What was done and what it brought.")
    amount = fields.Monetary(string="Claimed", required=True, tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "prm_mdf_claim_attachment_rel",
        "claim_id",
        "attachment_id",
        string="Proof of performance",
        help="Invoices, photos, reports showing the activity took place.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("paid", "Reimbursed"),
            ("reversed", "Reversed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    paid_by_id = fields.Many2one("res.users", string="Reimbursed by", readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Reimbursement",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal", readonly=True, copy=False
    )
    payment_state = fields.Selection(related="move_id.payment_state")

    _amount_positive = models.Constraint(
        "CHECK(amount > 0)", "An MDF claim asks for a positive amount."
    )
    _move_uniq = models.UniqueIndex(
        "(move_id) WHERE move_id IS NOT NULL",
        "A reimbursement document pays one claim.",
    )

    # --- CRUD ---

    def _prm_guarded_fields(self):
        decide = _lt("Approve or reject the claim")
        pay = _lt("Reimburse or reverse the claim")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(
                _lt("Submit, approve, reimburse or reverse the claim"), ("draft",)
            ),
            "approved_by_id": Guard(decide),
            "approved_date": Guard(decide),
            "paid_by_id": Guard(pay),
            "move_id": Guard(pay),
            "reversal_move_id": Guard(pay),
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        for vals in vals_list:
            check_text_input(self, vals)
            self._prm_check_amount(vals.get("amount", 0.0))
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].sudo().next_by_code("prm.mdf.claim") or "/"
                )
        claims = super().create(vals_list)
        for claim in claims:
            if claim.request_id.state != "approved":
                raise ValidationError(
                    self.env._(
                        "Claims are filed against approved MDF requests; "
                        "%(request)s is not approved.",
                        request=claim.request_id.display_name,
                    )
                )
        return claims

    def _prm_check_amount(self, amount):
        label = self._fields["amount"]._description_string(self.env)
        check_numbers(self.new({"amount": amount}), {"amount": (0.0, MAX_AMOUNT)})
        if float_compare(float(amount or 0.0), 0.0, precision_digits=6) <= 0:
            raise ValidationError(
                self.env._("%(field)s must be more than zero.", field=label)
            )

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        check_text_input(self, vals)
        if {"amount", "request_id", "attachment_ids"} & vals.keys() and not self.env.su:
            check_state(self, ("draft",))
        if "amount" in vals:
            self._prm_check_amount(vals["amount"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(
                self.env._(
                    "MDF claims are never deleted once submitted: reject or "
                    "reverse them instead."
                )
            )

    # --- Actions ---

    def action_submit(self):
        """Submit draft claims: proof attached, and the claims of the request
        together within its approved amount (checked under a lock)."""
        self.check_access("write")
        check_state(self, ("draft",))
        for claim in self:
            if not claim.attachment_ids:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s has no proof of performance: attach the "
                        "invoices, photos or reports of the activity.",
                        claim=claim.display_name,
                    )
                )
        for claim in self.sudo():
            claim.request_id._prm_lock_request()
            claim._prm_check_within_approved()
            claim.write({"state": "submitted"})
            self.env.flush_all()
        return True

    def _prm_check_within_approved(self):
        self.ensure_one()
        request = self.request_id
        if request.state != "approved":
            raise UserError(
                self.env._(
                    "MDF request %(request)s is no longer approved.",
                    request=request.display_name,
                )
            )
        others = sum(
            request.claim_ids.filtered(
                lambda c: c != self and c.state in ("submitted", "approved", "paid")
            ).mapped("amount")
        )
        if (
            float_compare(
                others + self.amount,
                request.amount_approved,
                precision_rounding=self.currency_id.rounding,
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "Claim %(claim)s asks %(amount)s, but %(request)s was approved "
                    "for %(approved)s, of which %(claimed)s is already claimed.",
                    claim=self.display_name,
                    amount=request.budget_id._prm_format(self.amount),
                    request=request.display_name,
                    approved=request.budget_id._prm_format(request.amount_approved),
                    claimed=request.budget_id._prm_format(others),
                )
            )

    def action_approve(self):
        self.request_id._prm_check_decider()
        check_state(self, ("submitted",))
        self.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_reject(self):
        self.request_id._prm_check_decider()
        check_state(self, ("submitted",))
        self.sudo().write({"state": "rejected"})
        return True

    def action_reimburse(self):
        """Post the reimbursement of approved claims: the caller needs the
        rights to decide on the claim and to create invoices."""
        self.request_id._prm_check_decider()
        if not self.env["account.move"].has_access("create"):
            raise AccessError(
                self.env._(
                    "Reimbursing an MDF claim posts an invoice: ask an accountant."
                )
            )
        return self.sudo()._prm_reimburse(self.env.user)

    def _prm_lock(self):
        try:
            self.lock_for_update()
        except LockError:
            raise UserError(
                self.env._(
                    "This MDF claim is being reimbursed by someone else right now."
                )
            ) from None
        self.invalidate_recordset(["state", "move_id"])

    def _prm_reimburse(self, user):
        self._prm_lock()
        check_state(self, ("approved",))
        moves = self.env["account.move"].create(
            [claim._prepare_reimbursement_vals() for claim in self]
        )
        moves.action_post()
        for claim, move in zip(self, moves, strict=True):
            claim.write({"state": "paid", "move_id": move.id, "paid_by_id": user.id})
        return True

    def _prm_payout_journal(self):
        company = self.company_id
        if company.prm_mdf_journal_id:
            return company.prm_mdf_journal_id
        kind = "sale" if company.prm_mdf_payout_method == "credit_note" else "purchase"
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", kind)], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "No journal to post MDF reimbursements in: set one in the "
                    "Partner Program settings."
                )
            )
        return journal

    def _prepare_reimbursement_vals(self):
        self.ensure_one()
        company = self.company_id
        return {
            "move_type": "out_refund"
            if company.prm_mdf_payout_method == "credit_note"
            else "in_invoice",
            "partner_id": self.partner_id.id,
            "journal_id": self._prm_payout_journal().id,
            "company_id": company.id,
            "currency_id": self.currency_id.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.name,
            "invoice_origin": self.request_id.name,
            "prm_mdf_claim_id": self.id,
            "invoice_line_ids": [
                Command.create(self._prepare_reimbursement_line_vals())
            ],
        }

    def _prepare_reimbursement_line_vals(self):
        company = self.company_id
        vals = {
            "name": self.env._(
                "Market development funds: %(request)s",
                request=self.request_id.display_name,
            ),
            "quantity": 1.0,
            "price_unit": self.amount,
        }
        if company.prm_mdf_product_id:
            vals["product_id"] = company.prm_mdf_product_id.id
        else:
            vals["tax_ids"] = [Command.clear()]
        if company.prm_mdf_account_id:
            vals["account_id"] = company.prm_mdf_account_id.id
        return vals

    def action_reverse(self):
        """Reverse reimbursed claims through Odoo's reversal (never deleted):
        the funds count as unclaimed again."""
        self.request_id._prm_check_decider()
        if not self.env["account.move"].has_access("create"):
            raise AccessError(
                self.env._(
                    "Reversing an MDF reimbursement posts an entry: ask an accountant."
                )
            )
        return self.sudo()._prm_reverse()

    def _prm_reverse(self):
        self._prm_lock()
        check_state(self, ("paid",))
        today = fields.Date.context_today(self)
        for claim in self:
            move = claim.move_id
            if move.payment_state not in ("not_paid", "reversed"):
                raise UserError(
                    self.env._(
                        "The reimbursement of %(claim)s is paid: unreconcile its "
                        "payment before reversing it.",
                        claim=claim.display_name,
                    )
                )
            reversal = move._reverse_moves(
                [
                    {
                        "date": today,
                        "invoice_date": today,
                        "ref": self.env._("Reversal of %(move)s", move=move.name),
                        "prm_mdf_claim_id": claim.id,
                    }
                ],
                cancel=True,
            )
            claim.write({"state": "reversed", "reversal_move_id": reversal.id})
        return True

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
