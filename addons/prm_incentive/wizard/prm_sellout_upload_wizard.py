import base64
import binascii

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import date_utils

from odoo.addons.prm_partner.tools.validation import check_state

from ..models.prm_sellout_mapping_mixin import SELLOUT_FIELDS


class PrmSelloutUploadWizard(models.TransientModel):
    """Upload a sell-out file: pick the partner and period, map the columns
    (remembered per partner, guessed from the column names the first time),
    import. Every row is stored, good or bad; the report opens in draft."""

    _name = "prm.sellout.upload.wizard"
    _inherit = ["prm.sellout.mapping.mixin"]
    _description = "Upload Sell-out"

    batch_id = fields.Many2one(
        "prm.sellout.batch",
        string="Report to replace",
        domain=[("state", "=", "draft")],
        help="A draft report whose rows the file replaces.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        domain=[("prm_is_partner", "=", True), ("parent_id", "=", False)],
    )
    month = fields.Date(
        string="Month of",
        help="Any day of the month reported: sets the period to that month.",
    )
    date_from = fields.Date(string="Period from", required=True)
    date_to = fields.Date(string="Period to", required=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the amounts whose row names none.",
    )
    file = fields.Binary(required=True)
    file_name = fields.Char()
    save_mapping = fields.Boolean(
        string="Remember for this partner",
        default=True,
        help="Save this mapping for the partner's next files.",
    )
    has_mapping = fields.Boolean(compute="_compute_has_mapping")
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview_html", sanitize=False
    )

    # --- Defaults and onchanges ---

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        batch = self.env["prm.sellout.batch"].browse(values.get("batch_id"))
        if batch:
            values.update(
                {
                    "partner_id": batch.partner_id.id,
                    "company_id": batch.company_id.id,
                    "date_from": batch.date_from,
                    "date_to": batch.date_to,
                    "currency_id": batch.currency_id.id,
                }
            )
            mapping = batch.mapping_id or self._partner_mapping(
                batch.partner_id, batch.company_id
            )
            if mapping:
                values.update(mapping._mapping_values())
        return values

    @api.model
    def _partner_mapping(self, partner, company):
        return self.env["prm.sellout.mapping"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1
        )

    @api.depends("partner_id", "company_id")
    def _compute_has_mapping(self):
        for wizard in self:
            wizard.has_mapping = bool(
                wizard.partner_id
                and wizard._partner_mapping(wizard.partner_id, wizard.company_id)
            )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """The partner's remembered mapping, if any."""
        if not self.partner_id:
            return
        mapping = self._partner_mapping(self.partner_id, self.company_id)
        if mapping:
            self.update(mapping._mapping_values())
        elif self.file:
            self._guess_from_file()

    @api.onchange("file", "file_name")
    def _onchange_file(self):
        """First file of a partner: columns guessed from their names."""
        if self.file and not (
            self.partner_id and self._partner_mapping(self.partner_id, self.company_id)
        ):
            self._guess_from_file()

    def _guess_from_file(self):
        try:
            headers, _rows = self._read_preview()
        except UserError:
            return
        self.update(self._guess_columns(headers))

    @api.onchange("month")
    def _onchange_month(self):
        if self.month:
            self.date_from, self.date_to = date_utils.get_month(self.month)

    # --- Preview ---

    def _file_content(self):
        """The uploaded file's bytes.

        The web client reads binary fields with ``bin_size`` in its context:
        ``file`` then holds the file's size ("1.2 Kb"), which is what the form
        shows, not the file. Saving the wizard (before *Import* runs) reads the
        preview that way, so whatever needs the file reads its content here.
        """
        self.ensure_one()
        data = self.with_context(bin_size=False).file
        if not data:
            return b""
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(
                self.env._("The file could not be read: pick it again.")
            ) from error

    def _read_preview(self):
        return self.env["prm.sellout.importer"]._read_preview(
            self._file_content(), self.file_name, self
        )

    @api.depends(
        "file",
        "file_name",
        "column_product",
        "column_quantity",
        "column_date",
        "column_amount",
        "column_currency",
        "column_country",
        "column_customer",
        "csv_delimiter",
        "encoding",
        "skip_rows",
        "sheet_name",
    )
    def _compute_preview_html(self):
        for wizard in self:
            wizard.preview_html = wizard._render_preview() if wizard.file else False

    def _render_preview(self):
        """The first rows of the file as read with the current format, mapped
        columns highlighted, and the mapped columns the file lacks."""
        try:
            headers, rows = self._read_preview()
        except UserError as error:
            return (
                Markup('<div class="alert alert-danger" role="alert">%s</div>')
                % (error.args[0])
            )
        Line = self.env["prm.sellout.line"]
        labels = {
            code: Line._fields[fname]._description_string(self.env)
            for code, fname, _required in SELLOUT_FIELDS
        }
        mapped = {
            column.lower(): labels[code] for code, column in self._get_columns().items()
        }
        missing = [
            column
            for column in self._get_columns().values()
            if column.lower() not in {header.lower() for header in headers}
        ]
        head = Markup("").join(
            Markup('<th class="%s">%s%s</th>')
            % (
                "table-success" if header.lower() in mapped else "",
                header,
                Markup("<br/><small>→ %s</small>") % mapped[header.lower()]
                if header.lower() in mapped
                else "",
            )
            for header in headers
        )
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(Markup("<td>%s</td>") % cell for cell in row)
            for row in rows
        )
        warning = (
            Markup('<div class="alert alert-warning" role="alert">%s</div>')
            % self.env._(
                "Mapped columns missing from this file: %(columns)s. Their rows "
                "will be imported with an error.",
                columns=", ".join(missing),
            )
            if missing
            else ""
        )
        return (
            warning
            + Markup('<table class="table table-sm table-bordered"><thead><tr>')
            + head
            + Markup("</tr></thead><tbody>")
            + body
            + Markup("</tbody></table>")
        )

    # --- Actions ---

    def action_import(self):
        """Import the file into a new draft report (or the one being
        replaced), remember the mapping, open the report."""
        return self._prm_import()._get_records_action()

    def _prm_import(self):
        """Import the file (see ``action_import``) and return the report."""
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(
                self.env._("The period ends before it starts: check its dates.")
            )
        if self.skip_rows < 0:
            raise UserError(
                self.env._("The rows before the header cannot be negative.")
            )
        if not self.column_product or not self.column_quantity:
            raise UserError(
                self.env._(
                    "Map at least the product code and quantity columns of the file."
                )
            )
        mapping = self._save_mapping()
        batch = self.batch_id
        values = self._prepare_batch_vals(mapping)
        if batch:
            check_state(batch, ("draft",))
            # The old rows go first: the period and currency may change.
            self.env["prm.sellout.importer"]._delete_rows(batch)
            batch.write(values)
        else:
            batch = self.env["prm.sellout.batch"].create(values)
        count = self.env["prm.sellout.importer"]._import_file(
            batch, self._file_content(), self.file_name, self
        )
        batch.message_post(
            body=self.env._(
                "%(count)s rows imported from %(file)s.",
                count=count,
                file=self.file_name or "",
            )
        )
        return batch

    def _save_mapping(self):
        if not self.save_mapping:
            return self.env["prm.sellout.mapping"]
        Mapping = self.env["prm.sellout.mapping"]
        mapping = self._partner_mapping(self.partner_id, self.company_id)
        values = self._mapping_values()
        if mapping:
            mapping.write(values)
        else:
            mapping = Mapping.create(
                {
                    **values,
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                }
            )
        return mapping

    def _prepare_batch_vals(self, mapping):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "currency_id": self.currency_id.id,
            "file": self.with_context(bin_size=False).file,
            "file_name": self.file_name,
            "mapping_id": mapping.id,
        }
