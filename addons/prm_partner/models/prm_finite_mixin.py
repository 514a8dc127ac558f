"""Numbers a user or a file enters are refused when NaN, infinite or beyond a
32-bit integer before the ORM rounds them (which fails with a raw error)."""

from odoo import api, models

from ..tools.bounds import check_vals_finite


class PrmFiniteMixin(models.AbstractModel):
    _name = "prm.finite.mixin"
    _description = "Finite numbers only"

    @api.model_create_multi
    def create(self, vals_list):
        check_vals_finite(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals_finite(self, [vals])
        return super().write(vals)
