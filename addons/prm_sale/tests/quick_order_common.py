"""Fixture of the portal quick order: partner A's buyer (a portal user with
the sales role) orders at the 10 % tier pricelist of its tier; a launch keeps
one product for partner B."""

from datetime import timedelta

from odoo import SUPERUSER_ID, Command

from .common import PrmSaleCommon


class PrmQuickOrderCommon(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = cls.env.ref("product.group_product_pricelist")
        cls.env["res.users"].browse(SUPERUSER_ID).sudo().group_ids += group
        cls.pricelist_tier = cls.env["product.pricelist"].create(
            {
                "name": "Registered partners -10%",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 10,
                        }
                    )
                ],
            }
        )
        cls.tier_registered.pricelist_id = cls.pricelist_tier
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.contact_b.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_sales").ids)
        ]
        cls.user_portal_b = cls.env["res.users"].create(
            {
                "name": "Boris Beta",
                "login": "prm_portal_b",
                "password": "prm_portal_b",
                "partner_id": cls.contact_b.id,
                "group_ids": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.user_portal_a.password = "prm_portal_a"
        cls.product_router = cls._create_product(
            name="QO Router",
            default_code="QO-ROUTER",
            lst_price=1000.0,
            taxes_id=[Command.clear()],
        )
        cls.product_cable = cls._create_product(
            name="QO Cable",
            default_code="QO-CABLE",
            lst_price=10.0,
            prm_order_min_qty=5,
            taxes_id=[Command.clear()],
        )
        cls.product_hub = cls._create_product(
            name="QO Launch Hub",
            default_code="QO-HUB",
            lst_price=500.0,
            taxes_id=[Command.clear()],
        )
        # sudo: the fixture starts the launch as its Start button would.
        cls.launch = (
            cls.env["prm.launch"]
            .sudo()
            .create(
                {
                    "name": "QO Hub launch",
                    "product_tmpl_ids": [
                        Command.set(cls.product_hub.product_tmpl_id.ids)
                    ],
                    "partner_ids": [Command.set(cls.partner_b.ids)],
                    "date_start": cls.today - timedelta(days=1),
                    "state": "active",
                }
            )
        )
