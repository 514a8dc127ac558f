from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    prm_kit_line_ids = fields.One2many(
        "prm.kit.line",
        "kit_tmpl_id",
        string="Kit components",
        help="Components tracked by serial number that this product (itself "
        "tracked by serial number) groups: each kit serial lists its "
        "components' serials, shown to the partner at delivery.",
    )
    prm_is_kit = fields.Boolean(
        string="Equipment kit", compute="_compute_prm_is_kit", store=True
    )

    @api.depends("prm_kit_line_ids")
    def _compute_prm_is_kit(self):
        for template in self:
            template.prm_is_kit = bool(template.prm_kit_line_ids)

    @api.constrains("prm_kit_line_ids", "tracking")
    def _check_prm_kit_tracking(self):
        for template in self:
            if template.prm_kit_line_ids and template.tracking != "serial":
                raise ValidationError(
                    self.env._(
                        "The equipment kit %(kit)s must be tracked by serial number.",
                        kit=template.display_name,
                    )
                )
