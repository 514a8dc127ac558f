from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def prm_mdf_uninstall(env):
    """Remove the reimbursement documents of the demo MDF claims (posted bills,
    credit notes and their reversals, created by the demo's actions, so without
    external ids): they point to Northwind, a demo partner of ``prm_partner``,
    which could not be deleted otherwise. Reimbursements of real claims (without
    external id) stay in the ledger."""
    env = env(
        context={**env.context, MODULE_UNINSTALL_FLAG: True, "force_delete": True}
    )
    demo_claim_ids = (
        env["ir.model.data"]
        .search([("module", "=", "prm_campaign"), ("model", "=", "prm.mdf.claim")])
        .mapped("res_id")
    )
    claims = env["prm.mdf.claim"].browse(demo_claim_ids).exists()
    documents = (claims.move_id | claims.reversal_move_id).exists()
    if not documents:
        return
    documents.line_ids.remove_move_reconcile()
    documents.unlink()
