import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.mimetypes import guess_mimetype

# Types a browser would run rather than save: never served to partners, even as
# a download (an SVG carries scripts).
REFUSED_MIMETYPES = ("image/svg+xml", "text/html", "application/xhtml+xml")
MB = 1024 * 1024
DEFAULT_MAX_MB = 25


class PrmPortalDocument(models.Model):
    """A file the vendor publishes to its partners on the portal (price lists,
    brochures, guides), shown to the partner types and tiers it names."""

    _name = "prm.portal.document"
    _description = "Partner Portal Document"
    _order = "sequence, id desc"

    name = fields.Char(string="Title", required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    published = fields.Boolean(
        help="Published documents are listed on the partners' portal.",
    )
    file = fields.Binary(required=True, attachment=True)
    file_name = fields.Char()
    mimetype = fields.Char(compute="_compute_mimetype", store=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty: shown to the partners of every company.",
    )
    partner_type_ids = fields.Many2many(
        "prm.partner.type",
        string="Partner types",
        help="Empty: every partner type.",
    )
    tier_ids = fields.Many2many(
        "prm.tier",
        string="Tiers",
        help="Empty: every tier.",
    )
    download_ids = fields.One2many(
        "prm.portal.document.download", "document_id", string="Downloads"
    )
    download_count = fields.Integer(compute="_compute_download_counts")
    download_partner_count = fields.Integer(
        string="Partners who downloaded", compute="_compute_download_counts"
    )

    # --- Compute ---

    @api.depends("file")
    def _compute_mimetype(self):
        for document in self:
            raw = document.with_context(bin_size=False).file
            document.mimetype = guess_mimetype(base64.b64decode(raw)) if raw else False

    def _compute_download_counts(self):
        counts = {}
        if self.ids:
            for document, partner, count in self.env[
                "prm.portal.document.download"
            ]._read_group(
                [("document_id", "in", self.ids)],
                ["document_id", "partner_id"],
                ["__count"],
            ):
                total, partners = counts.get(document.id, (0, 0))
                counts[document.id] = (total + count, partners + bool(partner))
        for document in self:
            (
                document.download_count,
                document.download_partner_count,
            ) = counts.get(document.id, (0, 0))

    # --- Constraints ---

    @api.constrains("file")
    def _check_file(self):
        limit = self._prm_max_size()
        for document in self:
            raw = document.with_context(bin_size=False).file
            size = len(base64.b64decode(raw)) if raw else 0
            if size > limit:
                raise ValidationError(
                    self.env._(
                        "“%(name)s” is too large: %(size)s MB, at most %(limit)s MB.",
                        name=document.name,
                        size=round(size / MB, 1),
                        limit=round(limit / MB, 1),
                    )
                )
            if document.mimetype in REFUSED_MIMETYPES:
                raise ValidationError(
                    self.env._(
                        "“%(name)s”: files of type %(type)s cannot be published "
                        "to partners (a browser would run them).",
                        name=document.name,
                        type=document.mimetype,
                    )
                )

    @api.model
    def _prm_max_size(self):
        """Largest file, in bytes (system parameter
        ``prm_portal.document_max_mb``, 25 MB by default)."""
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_portal.document_max_mb", DEFAULT_MAX_MB)
        )
        try:
            return int(float(param) * MB)
        except ValueError:
            return DEFAULT_MAX_MB * MB

    # --- Business ---

    @api.model
    def _prm_portal_domain(self, partner):
        """Documents that ``partner`` (a commercial partner) may see."""
        domain = Domain("published", "=", True) & (
            Domain("partner_type_ids", "=", False)
            | Domain("partner_type_ids", "in", partner.prm_partner_type_id.ids)
        )
        domain &= Domain("tier_ids", "=", False) | Domain(
            "tier_ids", "in", partner.prm_tier_id.ids
        )
        company = partner._prm_program_company()
        return domain & (
            Domain("company_id", "=", False) | Domain("company_id", "in", company.ids)
        )

    def _prm_log_download(self, user):
        """One download row per download (insert only: no update races)."""
        self.ensure_one()
        return (
            self.env["prm.portal.document.download"]
            .sudo()
            .create(
                {
                    "document_id": self.id,
                    "partner_id": user.partner_id.commercial_partner_id.id,
                    "user_id": user.id,
                }
            )
        )

    # --- Actions ---

    def action_prm_open_downloads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_portal.action_prm_portal_document_download"
        )
        action["domain"] = [("document_id", "=", self.id)]
        action["context"] = {"search_default_group_partner": 1}
        return action
