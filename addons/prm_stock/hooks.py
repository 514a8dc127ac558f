from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """Remove the installation requests, and the demo orders and their
    deliveries, before Odoo removes the modules' data: they point to Northwind,
    a demo partner of ``prm_partner`` that could not be deleted otherwise. Orders of real partners
    (without a ``prm_stock`` external id) stay. The uninstall flag lifts the
    guards that keep confirmed orders and done moves from being deleted."""
    env = env(context={**env.context, MODULE_UNINSTALL_FLAG: True})
    # Installation requests point to partners that other modules' data removal
    # deletes before this module's table is dropped: they go first.
    env["prm.installation"].search([]).unlink()
    order_ids = (
        env["ir.model.data"]
        .search([("module", "=", "prm_stock"), ("model", "=", "sale.order")])
        .mapped("res_id")
    )
    orders = env["sale.order"].browse(order_ids).exists()
    pickings = orders.picking_ids
    pickings.move_ids.move_line_ids.unlink()
    pickings.move_ids.unlink()
    pickings.unlink()
    orders.unlink()
