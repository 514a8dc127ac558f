from odoo import api, fields, models, tools


class PrmRole(models.Model):
    """What a contact does for its partner company in the program
    (Admin, Sales, Technical, Finance, Marketing...)."""

    _name = "prm.role"
    _description = "Partner Representative Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        help="Short technical code, stable across translations (used in imports, "
        "integrations and portal rights)."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)

    _code_uniq = models.Constraint(
        "UNIQUE(code)", "Another representative role already uses this code."
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache()
    def _prm_active_codes(self):
        """``{role id: code}`` of the active roles. Every portal page asks
        for its user's role codes and roles barely change: cached, so the
        check costs one query (the contact's roles). Do not modify the
        result."""
        roles = self.sudo().with_context(active_test=True).search_fetch([], ["code"])
        return {role.id: role.code for role in roles if role.code}
