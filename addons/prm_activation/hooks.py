from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """Empty this module's tables before Odoo drops them.

    Ranges, codes and activations point to partners and products with
    ``ondelete='restrict'``: they go first, or uninstalling together with
    ``prm_partner`` could not remove its demo partners; so do the accruals and
    the settlement of the demo program.
    """
    env = env(
        context={**env.context, MODULE_UNINSTALL_FLAG: True, "force_delete": True}
    )
    env["prm.incentive.line"].search(
        [("activation_batch_id", "!=", False)], order="id desc"
    ).unlink()
    demo_program_ids = (
        env["ir.model.data"]
        .search(
            [("module", "=", "prm_activation"), ("model", "=", "prm.incentive.program")]
        )
        .mapped("res_id")
    )
    env["prm.incentive.line"].search(
        [("program_id", "in", demo_program_ids)], order="id desc"
    ).unlink()
    settlements = env["prm.settlement"].search([("program_id", "in", demo_program_ids)])
    settlements.move_ids.filtered(lambda move: move.state == "draft").unlink()
    settlements.unlink()
    env["prm.activation"].search([]).unlink()
    for model in (
        "prm.activation.code",
        "prm.activation.range",
        "prm.activation.attempt",
        "prm.activation.batch",
    ):
        env[model].with_context(active_test=False).search([]).unlink()
