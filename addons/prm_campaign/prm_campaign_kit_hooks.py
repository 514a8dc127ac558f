from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def prm_campaign_kit_uninstall(env):
    """Remove the sale order (and its delivery) of the demo printed-material
    order before Odoo removes the module's data: it points to Northwind, a demo
    partner of ``prm_partner``, and to the demo flyers product, which could not
    be deleted otherwise. Orders of real partners stay. The uninstall flag
    lifts the guards that keep confirmed orders and done moves."""
    env = env(context={**env.context, MODULE_UNINSTALL_FLAG: True})
    demo_order = env.ref(
        "prm_campaign.prm_campaign_print_order_demo_northwind",
        raise_if_not_found=False,
    )
    if not demo_order:
        return
    orders = demo_order.sale_order_id.exists()
    if "picking_ids" in orders._fields:
        pickings = orders.picking_ids
        pickings.move_ids.move_line_ids.unlink()
        pickings.move_ids.unlink()
        pickings.unlink()
    orders.unlink()
