from odoo import fields, models

NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("facebook", "Facebook"),
    ("x", "X"),
    ("instagram", "Instagram"),
    ("other", "Other"),
]


class PrmCampaignKitPost(models.Model):
    """A social post partners copy and publish on their own accounts.
    ``{partner}`` and ``{url}`` in its text become the partner's name and its
    tracked link."""

    _name = "prm.campaign.kit.post"
    _description = "Campaign Kit Social Post"
    _order = "kit_id, sequence, id"

    kit_id = fields.Many2one(
        "prm.campaign.kit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="kit_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    network = fields.Selection(NETWORKS, required=True, default="linkedin")
    body = fields.Text(
        string="Text",
        required=True,
        translate=True,
        help="{partner} becomes the partner's name, {url} its tracked link.",
    )

    def _prm_render(self, partner_name, url):
        """The post's text as the partner publishes it."""
        self.ensure_one()
        return (
            (self.body or "")
            .replace("{partner}", partner_name or "")
            .replace("{url}", url or "")
        )
