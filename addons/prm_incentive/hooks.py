from odoo.tools import SQL

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """Empty this module's tables before Odoo drops them.

    Accruals, settlements, points and sell-out reports point to partners with
    ``ondelete='restrict'`` (deleting a partner must not silently delete what it
    earned): they go first, or uninstalling together with ``prm_partner`` could
    not remove its demo partners. The demo settlements also produced documents Odoo does not know as
    module data (bills, credit notes, reversals, payments) on those partners:
    they go with them. Documents of real programs (without external id) stay.
    """
    env = env(
        context={**env.context, MODULE_UNINSTALL_FLAG: True, "force_delete": True}
    )
    demo_program_ids = (
        env["ir.model.data"]
        .search(
            [("module", "=", "prm_incentive"), ("model", "=", "prm.incentive.program")]
        )
        .mapped("res_id")
    )
    settlements = env["prm.settlement"].search([("program_id", "in", demo_program_ids)])
    documents = settlements.move_ids
    if documents:
        env["account.payment.register"].search(
            [("line_ids", "in", documents.line_ids.ids)]
        ).unlink()
        payments = documents._get_reconciled_payments()
        documents.line_ids.remove_move_reconcile()
        payments.move_id.line_ids.remove_move_reconcile()
        payments.action_draft()
        payments.unlink()
        documents.unlink()
    env.flush_all()
    # Raw SQL: these tables are dropped right after, no need to load their rows
    # (the points ledger and sell-out rows refuse deletion through the ORM).
    for table in (
        "prm_points_move",
        "prm_incentive_line",
        "prm_settlement",
        "prm_sellout_line",
        "prm_sellout_batch",
        "prm_sellout_mapping",
    ):
        env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(table)))
    env.invalidate_all()
