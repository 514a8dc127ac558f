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
    # Through the ORM, newest first (corrections and consumptions point to the
    # rows they correct or consume); the uninstall flag lifts the guards that
    # keep the ledger and settled accruals from being deleted.
    for model in (
        "prm.points.move",
        "prm.incentive.line",
        "prm.settlement",
        "prm.sellout.line",
        "prm.sellout.batch",
        "prm.sellout.mapping",
    ):
        env[model].with_context(active_test=False).search([], order="id desc").unlink()
