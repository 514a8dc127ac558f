import base64
import io

import pandas as pd

from odoo import _lt, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.spreadsheet import safe_row
from odoo.addons.prm_partner.tools.validation import check_state, selection_labels

# Rows listed in the error summary of a batch (the full list is in the lines).
ERROR_SUMMARY_ROWS = 20
# What the content of a file uploaded on the portal must be, by extension.
PORTAL_FILE_TYPES = {
    "csv": ("text/plain", "text/csv"),
    "txt": ("text/plain", "text/csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
}


class PrmSelloutBatch(models.Model):
    """A sell-out report: what one partner sold to end customers over a period,
    uploaded as a CSV or XLSX file.

    Every row of the file is stored, with its raw values and, when it cannot
    be read, a readable error: a report with errors stays in draft until the
    rows are fixed (or a corrected file is uploaded again). Validated reports
    earn on the rules whose base is a sell-out base and count in the partner's
    *sell-out revenue* tier metric; cancelling one withdraws what it earned.
    """

    _name = "prm.sellout.batch"
    _description = "Sell-out Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "prm.guarded.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("prm_is_partner", "=", True), ("parent_id", "=", False)],
        help="The channel partner (distributor, reseller) reporting its sales.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
        help="Currency of the amounts whose row names none.",
    )
    date_from = fields.Date(string="Period from", required=True, tracking=True)
    date_to = fields.Date(string="Period to", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("validated", "Validated"), ("cancel", "Cancelled")],
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    file = fields.Binary(string="Source file", attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    mapping_id = fields.Many2one(
        "prm.sellout.mapping",
        readonly=True,
        copy=False,
        ondelete="set null",
        check_company=True,
    )
    line_ids = fields.One2many("prm.sellout.line", "batch_id", string="Lines")
    line_count = fields.Integer(compute="_compute_totals", store=True)
    error_count = fields.Integer(
        string="Rows with errors", compute="_compute_totals", store=True, index=True
    )
    quantity_total = fields.Float(
        string="Quantity", compute="_compute_totals", store=True, digits=(16, 4)
    )
    amount_total = fields.Monetary(
        string="Amount",
        compute="_compute_totals",
        store=True,
        currency_field="company_currency_id",
        help="Amount sold, in the company currency.",
    )
    error_summary = fields.Text(compute="_compute_totals", store=True)
    validated_date = fields.Datetime(readonly=True, copy=False)
    validated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    incentive_line_ids = fields.One2many(
        "prm.incentive.line", "sellout_batch_id", string="Accruals", readonly=True
    )
    incentive_line_count = fields.Integer(compute="_compute_incentive_line_count")
    note = fields.Html()

    _dates_order = models.Constraint(
        "CHECK(date_from <= date_to)", "A sell-out report cannot end before it starts."
    )

    # --- Compute ---

    @api.depends(
        "line_ids.has_error",
        "line_ids.quantity",
        "line_ids.amount_company",
        "line_ids.error_message",
    )
    def _compute_totals(self):
        """Totals by grouped queries: a report may hold 100,000 rows."""
        Line = self.env["prm.sellout.line"]
        batches = self.filtered("id")
        totals = {
            (batch.id, has_error): (count, quantity, amount)
            for batch, has_error, count, quantity, amount in Line._read_group(
                [("batch_id", "in", batches.ids)],
                ["batch_id", "has_error"],
                ["__count", "quantity:sum", "amount_company:sum"],
            )
        }
        errors = {}
        for line in Line.search_fetch(
            [("batch_id", "in", batches.ids), ("has_error", "=", True)],
            ["batch_id", "row_number", "error_message"],
            order="batch_id, row_number, id",
        ):
            errors.setdefault(line.batch_id.id, []).append(line)
        for batch in self:
            good = totals.get((batch.id, False), (0, 0.0, 0.0))
            bad = totals.get((batch.id, True), (0, 0.0, 0.0))
            batch.line_count = good[0] + bad[0]
            batch.error_count = bad[0]
            batch.quantity_total = good[1] + bad[1]
            batch.amount_total = good[2] + bad[2]
            batch.error_summary = batch._prepare_error_summary(errors.get(batch.id, []))

    def _prepare_error_summary(self, error_lines):
        self.ensure_one()
        if not error_lines:
            return False
        rows = [
            self.env._(
                "Row %(row)s: %(error)s", row=line.row_number, error=line.error_message
            )
            for line in error_lines[:ERROR_SUMMARY_ROWS]
        ]
        if len(error_lines) > ERROR_SUMMARY_ROWS:
            rows.append(
                self.env._(
                    "... and %(count)s more rows with errors.",
                    count=len(error_lines) - ERROR_SUMMARY_ROWS,
                )
            )
        header = self.env._(
            "%(errors)s of %(rows)s rows cannot be read:",
            errors=len(error_lines),
            rows=self.line_count,
        )
        return "\n".join([header, *rows])

    def _compute_incentive_line_count(self):
        counts = dict(
            self.env["prm.incentive.line"]._read_group(
                [("sellout_batch_id", "in", self.ids)],
                ["sellout_batch_id"],
                ["__count"],
            )
        )
        for batch in self:
            batch.incentive_line_count = counts.get(batch, 0)

    def _compute_display_name(self):
        for batch in self:
            batch.display_name = (
                f"{batch.name} - {batch.partner_id.display_name}"
                if batch.name and batch.name != "/"
                else batch.partner_id.display_name or self.env._("New sell-out report")
            )

    # --- Constraints ---

    @api.constrains("partner_id")
    def _check_partner(self):
        for batch in self:
            if batch.partner_id != batch.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Sell-out is reported by a company, not by one of its "
                        "contacts: use %(company)s instead of %(contact)s.",
                        company=batch.partner_id.commercial_partner_id.display_name,
                        contact=batch.partner_id.display_name,
                    )
                )

    # --- CRUD ---

    def _prm_guarded_fields(self):
        """A validated report earns: only its actions validate, cancel or
        reopen it, and say who validated it."""
        workflow = _lt("Validate, Cancel or Reset to draft")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(workflow, ("draft",)),
            "validated_date": Guard(_lt("Validate")),
            "validated_by_id": Guard(_lt("Validate")),
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "prm.sellout.batch", sequence_date=vals.get("date_to")
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"partner_id", "company_id", "currency_id", "date_from", "date_to"}
        if frozen & set(vals) and self.filtered(lambda b: b.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft sell-out reports can change partner, period or "
                    "currency."
                )
            )
        if {"date_from", "date_to", "currency_id"} & set(vals) and self.filtered(
            "line_count"
        ):
            # Rows were checked against the period and read in the currency.
            raise UserError(
                self.env._(
                    "The rows of this report were read for its period and currency: "
                    "upload the file again to change them."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_never_earned(self):
        for batch in self:
            if batch.state == "validated":
                raise UserError(
                    self.env._(
                        "Sell-out report %(report)s is validated: cancel it before "
                        "deleting it.",
                        report=batch.display_name,
                    )
                )
        earned = (
            self.env["prm.incentive.line"]
            .sudo()
            ._read_group([("sellout_batch_id", "in", self.ids)], ["sellout_batch_id"])
        )
        if earned:
            raise UserError(
                self.env._(
                    "Sell-out report %(report)s has earned incentives: it stays as "
                    "the record of what was paid (cancelled).",
                    report=earned[0][0].sudo().display_name,
                )
            )

    # --- Actions ---

    def action_upload(self):
        """Open the upload wizard on this draft report (a new file replaces its
        rows)."""
        self.ensure_one()
        check_state(self, ("draft",))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_sellout_upload_wizard"
        )
        action["context"] = {"default_batch_id": self.id}
        return action

    def action_validate(self):
        """Validate draft reports whose rows all read well: they start earning
        and counting in the partners' metrics."""
        self.check_access("write")
        check_state(self, ("draft",))
        for batch in self:
            if not batch.line_count:
                raise UserError(
                    self.env._(
                        "Sell-out report %(report)s has no rows: upload its file first.",
                        report=batch.display_name,
                    )
                )
            if batch.error_count:
                raise UserError(
                    self.env._(
                        "Sell-out report %(report)s has %(count)s rows with errors "
                        "(filter *With errors*): fix them, delete them or upload a "
                        "corrected file, then validate.\n\n%(summary)s",
                        report=batch.display_name,
                        count=batch.error_count,
                        summary=batch.error_summary,
                    )
                )
        self.sudo().write(
            {
                "state": "validated",
                "validated_date": fields.Datetime.now(),
                "validated_by_id": self.env.user.id,
            }
        )
        self._prm_compute_incentives()
        return True

    def action_cancel(self):
        """Cancel reports: what validated ones earned is withdrawn (open accruals
        are removed, settled ones get a clawback in the next settlement)."""
        self.check_access("write")
        check_state(
            self,
            (
                "draft",
                "validated",
            ),
        )
        validated = self.filtered(lambda b: b.state == "validated")
        self.sudo().write({"state": "cancel"})
        validated._prm_compute_incentives()
        return True

    def action_check_rows(self):
        """Read the rows with errors again: product codes, currencies and
        countries that matched nothing are looked up again (after creating the
        missing product or activating the currency, say)."""
        self.check_access("write")
        check_state(self, ("draft",))
        lines = self.env["prm.sellout.line"].search(
            [("batch_id", "in", self.ids), ("has_error", "=", True)]
        )
        lines._prm_check_rows(rematch=True)
        return True

    def action_draft(self):
        self.check_access("write")
        check_state(self, ("cancel",))
        self.sudo().write(
            {"state": "draft", "validated_date": False, "validated_by_id": False}
        )
        return True

    def action_open_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_sellout_line"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {
            "default_batch_id": self.id,
            "search_default_with_errors": int(bool(self.error_count)),
        }
        return action

    def action_open_incentive_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_incentive_line"
        )
        action["domain"] = [("sellout_batch_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_download_error_report(self):
        """The rows with errors as a CSV file (row number, raw values, error) to
        send back to the partner."""
        self.ensure_one()
        if not self.error_count:
            raise UserError(self.env._("This sell-out report has no rows with errors."))
        content = self._prm_error_report_csv()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("%(report)s errors.csv", report=self.name),
                "raw": content,
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    # --- Business ---

    def _state_label(self):
        self.ensure_one()
        return selection_labels(self, "state")[self.state]

    def _prm_compute_incentives(self):
        """Bring the sell-out accruals of these reports up to date."""
        if not self:
            return
        # Superuser on purpose, as for invoices: accruals are only written by the
        # engine, whoever validates the report.
        self.env["prm.incentive.engine"].sudo()._refresh_sellout_accruals(self)

    def _prm_error_report_csv(self):
        self.ensure_one()
        Line = self.env["prm.sellout.line"]
        columns = [
            "row_number",
            "raw_date",
            "raw_product",
            "raw_quantity",
            "raw_amount",
            "raw_currency",
            "raw_country",
            "customer_name",
            "error_message",
        ]
        lines = Line.search_fetch(
            [("batch_id", "=", self.id), ("has_error", "=", True)],
            columns,
            order="row_number, id",
        )
        # The raw cells are the partner's: neutralised, never run as formulas.
        frame = pd.DataFrame(
            [safe_row(line[fname] or "" for fname in columns) for line in lines],
            columns=safe_row(
                Line._fields[f]._description_string(self.env) for f in columns
            ),
        )
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8-sig")

    # --- Portal ---

    @api.model
    def _prm_portal_check_file(self, content, file_name):
        """Refuse a file whose content is not what its name says, before
        anything is read: its size first, then its real type (a CSV is plain
        text without markup, an XLSX a real spreadsheet; an SVG or an HTML page
        renamed ``.csv`` is refused)."""
        importer = self.env["prm.sellout.importer"]
        if not content:
            raise UserError(self.env._("The file is empty."))
        importer._check_file_size(content, importer._get_limits())
        extension = (file_name or "").rsplit(".", 1)[-1].lower()
        expected = PORTAL_FILE_TYPES.get(extension)
        mimetype = guess_mimetype(content, default="application/octet-stream")
        # Markup is never a sell-out file, whatever the sniffer says of it.
        markup = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        if not expected or mimetype not in expected or markup:
            raise UserError(
                self.env._(
                    "Upload the sell-out as a CSV or XLSX file: %(name)s is not "
                    "one (its content reads as %(type)s).",
                    name=file_name or self.env._("a file without name"),
                    type="markup" if markup else mimetype,
                )
            )

    @api.model
    def _prm_portal_upload(
        self, partner, date_from, date_to, file_name, content, batch=None
    ):
        """Import a partner's sell-out file uploaded on the portal into a new
        draft report of ``partner`` (or into ``batch``, its draft report being
        replaced) and return the report.

        The file is read with the partner's remembered mapping or, the first
        time, with the columns guessed from their names; the mapping is the
        vendor's and the portal never saves it. Called as superuser by the
        portal controller once it has decided who uploads for whom.
        """
        self._prm_portal_check_file(content, file_name)
        if batch:
            check_state(batch, ("draft",))
        if batch:
            company = batch.company_id
        else:
            company = partner.company_id or self.env.company
        Wizard = self.env["prm.sellout.upload.wizard"]
        mapping = Wizard._partner_mapping(partner, company)
        wizard = Wizard.create(
            self._prepare_portal_upload_vals(
                partner, company, date_from, date_to, file_name, content, batch, mapping
            )
        )
        if not mapping:
            headers, _rows = wizard._read_preview()
            wizard.write(wizard._guess_columns(headers))
        return wizard._prm_import()

    @api.model
    def _prepare_portal_upload_vals(
        self, partner, company, date_from, date_to, file_name, content, batch, mapping
    ):
        return {
            **(mapping._mapping_values() if mapping else {}),
            "batch_id": batch.id if batch else False,
            "partner_id": partner.id,
            "company_id": company.id,
            "date_from": date_from,
            "date_to": date_to,
            "currency_id": company.currency_id.id,
            "file": base64.b64encode(content),
            "file_name": file_name,
            "save_mapping": False,
        }
