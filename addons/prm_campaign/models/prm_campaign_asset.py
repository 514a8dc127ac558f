import base64
import binascii
import io

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

from . import prm_campaign_asset_cobrand as cobrand

# 20 MB: a print-ready flyer; the system parameter
# ``prm_campaign.asset_max_bytes`` changes it.
DEFAULT_ASSET_MAX_BYTES = 20 * 1024 * 1024
# What the co-branding engine reads, and the file name endings each type has.
ASSET_TYPES = {
    "application/pdf": ("pdf", (".pdf",)),
    "image/png": ("image", (".png",)),
    "image/jpeg": ("image", (".jpg", ".jpeg")),
}


class PrmCampaignAsset(models.Model):
    """A file of a kit (PDF flyer, PNG banner...) with the areas where each
    partner's logo, name, phone and website are drawn on its own copy."""

    _name = "prm.campaign.asset"
    _description = "Campaign Kit File"
    _order = "kit_id, sequence, id"

    kit_id = fields.Many2one(
        "prm.campaign.kit", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="kit_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char(required=True)
    mimetype = fields.Char(readonly=True)
    file_type = fields.Selection(
        [("pdf", "PDF"), ("image", "Image")], string="Type", readonly=True
    )
    area_ids = fields.One2many(
        "prm.campaign.asset.area", "asset_id", string="Co-branding areas", copy=True
    )

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(self._prm_check_file(vals.get("file"), vals.get("file_name")))
        return super().create(vals_list)

    def write(self, vals):
        if "file" in vals or "file_name" in vals:
            for asset in self:
                checked = asset._prm_check_file(
                    vals["file"]
                    if "file" in vals
                    else asset.with_context(bin_size=False).file,
                    vals.get("file_name", asset.file_name),
                )
                super(PrmCampaignAsset, asset).write({**vals, **checked})
            return True
        return super().write(vals)

    # --- Checks ---

    @api.model
    def _prm_max_bytes(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_campaign.asset_max_bytes")
        )
        try:
            return int(value) if value else DEFAULT_ASSET_MAX_BYTES
        except ValueError:
            return DEFAULT_ASSET_MAX_BYTES

    @api.model
    def _prm_check_file(self, data, file_name):
        """Decide on the content: the size, the real type sniffed from the
        bytes (PDF, PNG or JPEG), and a file name that says the same type.
        Returns the values the check found (mimetype, file_type)."""
        name = file_name or self.env._("The file")
        if not data:
            raise ValidationError(self.env._("%(file)s is empty.", file=name))
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise ValidationError(
                self.env._("%(file)s is not a valid upload.", file=name)
            ) from error
        max_bytes = self._prm_max_bytes()
        if len(content) > max_bytes:
            raise ValidationError(
                self.env._(
                    "%(file)s is too large (%(size)s MB): kit files up to "
                    "%(max)s MB are accepted.",
                    file=name,
                    size=round(len(content) / 1048576, 1),
                    max=round(max_bytes / 1048576, 1),
                )
            )
        mimetype = guess_mimetype(content, default="application/octet-stream")
        if mimetype not in ASSET_TYPES:
            raise ValidationError(
                self.env._(
                    "%(file)s cannot be co-branded: kit files are PDF, PNG or "
                    "JPEG; its content is %(type)s.",
                    file=name,
                    type=mimetype,
                )
            )
        file_type, endings = ASSET_TYPES[mimetype]
        if file_name and not file_name.lower().endswith(endings):
            raise ValidationError(
                self.env._(
                    "%(file)s is not what its name says: its content is %(type)s.",
                    file=name,
                    type=mimetype,
                )
            )
        try:
            if file_type == "pdf":
                cobrand.pdf_page_count(content)
            else:
                cobrand.Image.open(io.BytesIO(content)).verify()
        except Exception as error:
            raise ValidationError(
                self.env._("%(file)s is damaged and cannot be read.", file=name)
            ) from error
        return {"mimetype": mimetype, "file_type": file_type}

    # --- Business ---

    def _prm_cobrand(self, partner):
        """This file with ``partner``'s logo and details in its areas:
        ``(file name, mimetype, bytes)``."""
        self.ensure_one()
        partner = partner.commercial_partner_id
        content = base64.b64decode(self.with_context(bin_size=False).file)
        values = self._prm_cobrand_values(partner)
        areas = self.area_ids._prm_as_dicts()
        logo = base64.b64decode(partner.image_1920) if partner.image_1920 else None
        if self.file_type == "pdf":
            data = cobrand.cobrand_pdf(content, areas, values, logo)
        else:
            data = cobrand.cobrand_image(content, areas, values, logo)
        return self._prm_cobranded_name(partner), self.mimetype, data

    def _prm_cobrand_values(self, partner):
        """{area kind: text} drawn for ``partner``."""
        website = (partner.website or "").removeprefix("https://")
        return {
            "name": partner.name or "",
            "phone": partner.phone or "",
            "website": website.removeprefix("http://").rstrip("/"),
            "email": partner.email or "",
        }

    def _prm_cobranded_name(self, partner):
        stem, dot, ending = self.file_name.rpartition(".")
        slug = "".join(c if c.isalnum() else "-" for c in partner.name or "partner")
        return f"{stem}-{slug.strip('-').lower()}.{ending}" if dot else self.file_name
