import base64
import csv
import datetime
import io

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import date_utils

from odoo.addons.prm_partner.tools.partner_api import (
    api_contact,
    api_int,
    partner_api,
)
from odoo.addons.prm_partner.tools.validation import check_state

from .prm_sellout_mapping_mixin import SELLOUT_FIELDS

# Rows in error returned by the API (the report's error file has them all).
SELLOUT_ERRORS_SHOWN = 200


class PrmSelloutBatch(models.Model):
    """The partner integration API: a channel partner report sell-out
    (``docs/api.md``)."""

    _inherit = "prm.sellout.batch"

    @api.model
    def _prm_api_month(self, month):
        try:
            day = datetime.datetime.strptime(month or "", "%Y-%m").date()
        except (TypeError, ValueError):
            day = None
        today = fields.Date.context_today(self)
        if not day or day > today or day.year < today.year - 10:
            raise UserError(
                self.env._(
                    "month must be the month the rows report, written YYYY-MM, "
                    "up to the current one."
                )
            )
        return date_utils.get_month(day)

    @api.model
    def _prm_api_rows_csv(self, rows):
        """A CSV file of ``rows`` (dicts keyed by the sell-out fields), read
        by the same importer as an uploaded file."""
        codes = [code for code, _label, _required in SELLOUT_FIELDS]
        if not isinstance(rows, list) or not rows:
            raise UserError(self.env._("Send rows as a non-empty list of objects."))
        unknown = set()
        for row in rows:
            if not isinstance(row, dict):
                raise UserError(self.env._("Send each row as an object."))
            unknown |= set(row) - set(codes)
        if unknown:
            raise UserError(
                self.env._(
                    "Unknown sell-out columns: %(columns)s. Accepted: %(accepted)s.",
                    columns=", ".join(sorted(map(str, unknown))),
                    accepted=", ".join(codes),
                )
            )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=codes, lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {code: "" if row.get(code) is None else row[code] for code in codes}
            for row in rows
        )
        return buffer.getvalue().encode()

    @api.model
    @partner_api
    def prm_api_report_sellout(
        self, month, rows=None, file_name=None, file_content=None, batch_id=None
    ):
        """Report a month of sell-out: rows, or a CSV/XLSX file (base64) read
        with the company's remembered column mapping. The report stays a draft
        for the vendor to validate; rows in error are listed, none is lost.

        :param month: ``YYYY-MM``
        :param rows: list of dicts with keys among the sell-out fields
            (``date`` YYYY-MM-DD, ``product`` reference, ``quantity``,
            ``amount``, ``currency``, ``country``, ``customer``)
        :param file_name: name of the file (``.csv`` or ``.xlsx``)
        :param file_content: the file, base64-encoded
        :param batch_id: one of the company's draft reports to replace
        :return: ``{"id", "name", "state", "line_count", "error_count",
            "errors": [{"row", "error"}]}``
        """
        contact = api_contact(self.env, "incentives")
        partner = contact.commercial_partner_id
        date_from, date_to = self._prm_api_month(month)
        batch_sudo = None
        if batch_id:
            batch_id = api_int(self.env, batch_id, "batch_id")
            # sudo: only the caller's own company's report passes.
            batch_sudo = self.sudo().search(
                [("id", "=", batch_id), ("partner_id", "=", partner.id)]
            )
            if not batch_sudo:
                raise AccessError(
                    self.env._("This sell-out report is not one of your company's.")
                )
        if (rows is None) == (file_content is None):
            raise UserError(
                self.env._("Send either rows or a file (file_name and file_content).")
            )
        # sudo: the upload is the partner's own (checked above); portal users
        # cannot create reports, like on the portal page.
        Batch_sudo = self.sudo()
        if rows is not None:
            batch = Batch_sudo._prm_api_import_rows(
                partner, date_from, date_to, self._prm_api_rows_csv(rows), batch_sudo
            )
        else:
            try:
                content = base64.b64decode(file_content or "", validate=True)
            except (TypeError, ValueError):
                raise UserError(
                    self.env._("file_content must be the file encoded in base64.")
                ) from None
            batch = Batch_sudo._prm_portal_upload(
                partner, date_from, date_to, file_name, content, batch=batch_sudo
            )
        errors = (
            self.env["prm.sellout.line"]
            .sudo()
            .search_read(
                [("batch_id", "=", batch.id), ("has_error", "=", True)],
                ["row_number", "error_message"],
                order="row_number, id",
                limit=SELLOUT_ERRORS_SHOWN,
            )
        )
        return {
            "id": batch.id,
            "name": batch.name,
            "state": batch.state,
            "line_count": batch.line_count,
            "error_count": batch.error_count,
            "errors": [
                {"row": error["row_number"], "error": error["error_message"]}
                for error in errors
            ],
        }

    @api.model
    def _prm_api_import_rows(self, partner, date_from, date_to, content, batch):
        """Import API rows (as a CSV of the field codes, ISO dates, dot
        decimals) whatever mapping the partner's files use."""
        if batch:
            check_state(batch, ("draft",))
            company = batch.company_id
        else:
            company = partner.company_id or self.env.company
        Wizard = self.env["prm.sellout.upload.wizard"]
        wizard = Wizard.create(
            {
                **self._prepare_portal_upload_vals(
                    partner,
                    company,
                    date_from,
                    date_to,
                    "api.csv",
                    content,
                    batch,
                    None,
                ),
                **{fname: code for code, fname in Wizard._mapping_fields().items()},
                "date_format": "%Y-%m-%d",
                "decimal_separator": ".",
                "thousands_separator": "none",
                "csv_delimiter": ",",
                "encoding": "utf-8-sig",
                "skip_rows": 0,
            }
        )
        return wizard._prm_import()
