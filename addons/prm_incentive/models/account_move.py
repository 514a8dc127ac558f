from odoo import _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

from .prm_incentive_engine import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "prm.guarded.mixin"]

    prm_settlement_id = fields.Many2one(
        "prm.settlement",
        string="Incentive settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Settlement this document pays.",
    )
    prm_incentive_line_ids = fields.One2many(
        "prm.incentive.line", "move_id", string="Incentive accruals", readonly=True
    )

    def _prm_guarded_fields(self):
        """Only posting and cancelling a settlement link documents to it: a
        document linked by hand would be paid as the settlement's, one unlinked
        would survive its cancellation."""
        return {
            **super()._prm_guarded_fields(),
            "prm_settlement_id": Guard(_lt("Post or cancel the settlement")),
        }

    # Incentive payouts paid as customer credit notes are no sale: tier
    # metrics and channel analytics leave them out of revenue, as the accrual
    # engine does.

    @api.model
    def _prm_revenue_domain(self):
        return super()._prm_revenue_domain() & Domain("prm_settlement_id", "=", False)

    @api.model
    def _prm_revenue_sql(self, alias):
        return SQL(
            "%s AND %s.prm_settlement_id IS NULL",
            super()._prm_revenue_sql(alias),
            SQL.identifier(alias),
        )

    prm_incentive_line_count = fields.Integer(
        compute="_compute_prm_incentive_line_count"
    )

    def _compute_prm_incentive_line_count(self):
        counts = dict(
            self.env["prm.incentive.line"]
            .sudo()
            ._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
        )
        for move in self:
            move.prm_incentive_line_count = counts.get(move, 0)

    # --- Hooks ---

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._prm_compute_incentives()
        return posted

    def button_draft(self):
        self._prm_check_settlement_document()
        res = super().button_draft()
        # Accruals of an invoice taken back: open ones go, settled ones get a
        # clawback; posting it again earns again.
        self._prm_compute_incentives()
        return res

    def button_cancel(self):
        self._prm_check_settlement_document()
        res = super().button_cancel()
        self._prm_compute_incentives()
        return res

    def _prm_compute_incentives(self):
        customer_moves = self.filtered(
            lambda m: m.move_type in CUSTOMER_MOVE_TYPES and not m.prm_settlement_id
        )
        if not customer_moves:
            return
        if (
            not self.env["prm.incentive.program"]
            .sudo()
            .search_count(
                [("company_id", "in", customer_moves.company_id.ids)], limit=1
            )
        ):
            return
        customer_moves = customer_moves._prm_with_possible_accruals()
        if not customer_moves:
            return
        # Superuser on purpose: whoever posts an invoice (a salesperson with
        # invoicing rights) makes its accruals, which only the engine writes.
        self.env["prm.incentive.engine"].sudo()._refresh_move_accruals(customer_moves)

    def _prm_with_possible_accruals(self):
        """The invoices of ``self`` whose accruals may change, in one query:
        someone could earn on them (their channel partner, a channel partner
        customer or its referrer, the channel partner of a sales order they
        invoice), they reverse an invoice, or they already carry accruals. The
        engine has nothing to do for the others (an ordinary sale), and posting
        them must stay as cheap as without incentives."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "in", self.ids),
                    "|",
                    "|",
                    "|",
                    "|",
                    "|",
                    ("prm_partner_id", "!=", False),
                    ("reversed_entry_id", "!=", False),
                    ("commercial_partner_id.prm_is_partner", "=", True),
                    ("commercial_partner_id.prm_referrer_id", "!=", False),
                    ("prm_incentive_line_ids", "!=", False),
                    ("line_ids.sale_line_ids.order_id.prm_partner_id", "!=", False),
                ],
                order="id",
            )
            .with_env(self.env)
        )

    def _prm_check_settlement_document(self):
        """A document paying a settlement is reversed by cancelling the
        settlement, never reset nor cancelled on its own: the accruals it pays
        would stay settled without being paid."""
        documents = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.prm_settlement_id
                and m.prm_settlement_id.state != "cancel"
            )
        )
        if documents:
            raise UserError(
                self.env._(
                    "%(move)s pays incentive settlement %(settlement)s: cancel the "
                    "settlement instead, it reverses this document.",
                    move=documents[0].display_name,
                    settlement=documents[0].prm_settlement_id.display_name,
                )
            )

    # --- Actions ---

    def action_prm_open_incentive_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        action["domain"] = [("move_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_prm_open_settlement(self):
        self.ensure_one()
        return self.prm_settlement_id._get_records_action()

    def _prm_after_reconcile_change(self):
        """Payments came or went: paid-basis accruals follow the customer
        invoices, settlements follow the documents paying them."""
        invoices = self.filtered(
            lambda m: (
                m.move_type in CUSTOMER_MOVE_TYPES
                and m.state == "posted"
                and not m.prm_settlement_id
            )
        )
        Program = self.env["prm.incentive.program"].sudo()
        if invoices and Program.search_count(
            [("company_id", "in", invoices.company_id.ids), ("basis", "=", "paid")],
            limit=1,
        ):
            programs = Program.search(
                [("company_id", "in", invoices.company_id.ids), ("basis", "=", "paid")]
            )
            # Superuser: see _prm_compute_incentives.
            self.env["prm.incentive.engine"].sudo()._refresh_move_accruals(
                invoices, programs
            )
        self.sudo().prm_settlement_id._sync_payment_state()
