from odoo import api, fields, models
from odoo.exceptions import ValidationError

AREA_KINDS = [
    ("logo", "Logo"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("website", "Website"),
    ("email", "Email"),
]


class PrmCampaignAssetArea(models.Model):
    """Where a partner's logo or detail goes on a kit file: a box in
    coordinates relative to the page (0 to 1, from the top left corner)."""

    _name = "prm.campaign.asset.area"
    _description = "Co-branding Area"
    _order = "asset_id, page, id"

    asset_id = fields.Many2one(
        "prm.campaign.asset", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="asset_id.company_id", store=True)
    kind = fields.Selection(AREA_KINDS, required=True, default="logo")
    page = fields.Integer(default=1, required=True, help="Page of a PDF, from 1.")
    x = fields.Float(
        string="Left", digits=(4, 3), required=True, help="Share of the page width."
    )
    y = fields.Float(
        string="Top", digits=(4, 3), required=True, help="Share of the page height."
    )
    width = fields.Float(digits=(4, 3), required=True, default=0.3)
    height = fields.Float(digits=(4, 3), required=True, default=0.1)
    color = fields.Char(default="#000000", help="Text color, e.g. #1b4f72.")
    align = fields.Selection(
        [("left", "Left"), ("center", "Center"), ("right", "Right")],
        default="left",
        required=True,
    )

    @api.constrains("page", "x", "y", "width", "height", "color")
    def _check_box(self):
        for area in self:
            inside = (
                0 <= area.x < 1
                and 0 <= area.y < 1
                and area.width > 0
                and area.height > 0
                and area.x + area.width <= 1.0001
                and area.y + area.height <= 1.0001
            )
            if not inside:
                raise ValidationError(
                    self.env._(
                        "The %(kind)s area of %(file)s must lie inside the page: "
                        "left and top from 0 to 1, width and height above 0, "
                        "left + width and top + height at most 1.",
                        kind=dict(
                            self._fields["kind"]._description_selection(self.env)
                        )[area.kind],
                        file=area.asset_id.display_name,
                    )
                )
            if area.page < 1:
                raise ValidationError(self.env._("Pages are numbered from 1."))
            if area.color and not (
                len(area.color) == 7
                and area.color.startswith("#")
                and all(c in "0123456789abcdefABCDEF" for c in area.color[1:])
            ):
                raise ValidationError(
                    self.env._("Colors are written #rrggbb, e.g. #1b4f72.")
                )

    def _prm_as_dicts(self):
        return [
            {
                "kind": area.kind,
                "page": area.page,
                "x": area.x,
                "y": area.y,
                "width": area.width,
                "height": area.height,
                "color": area.color,
                "align": area.align,
            }
            for area in self
        ]
