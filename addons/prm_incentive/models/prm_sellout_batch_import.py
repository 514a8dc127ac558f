"""Sell-out import for ``prm-client`` and other integrations."""

import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import escape_psql

from odoo.addons.prm_partner.models.res_partner_import import prm_check_import_rights
from odoo.addons.prm_partner.tools.normalize import normalize_vat

ACCOUNTANTS = "account.group_account_user"


class PrmSelloutBatch(models.Model):
    _inherit = "prm.sellout.batch"

    # --- Import API ---

    @api.model
    def prm_import_sellout(
        self,
        partner=None,
        file_name=None,
        content=None,
        date_from=None,
        date_to=None,
        dry_run=False,
        validate=False,
    ):
        """Import a partner's sell-out file into a new draft report, as the
        *Upload sell-out* wizard does (the partner's remembered column mapping,
        else columns guessed from their names; every row kept, bad rows with
        their error).

        :param partner: the channel partner: its id, external reference, VAT
            number or exact name
        :param content: the CSV or XLSX file, base64-encoded
        :param validate: validate the report when no row has an error
        :param dry_run: import, report, then roll everything back
        :return: ``{"id", "name", "state", "rows", "errors": [{"row",
            "message"}]}``
        """
        prm_check_import_rights(self.env, ACCOUNTANTS)
        if not dry_run:
            return self._prm_import_sellout(
                partner, file_name, content, date_from, date_to, validate
            )
        with self.env.cr.savepoint() as savepoint:
            result = self._prm_import_sellout(
                partner, file_name, content, date_from, date_to, validate
            )
            savepoint.close(rollback=True)
        self.env.invalidate_all(flush=False)
        # The report was rolled back (its sequence number is not reused).
        result.update(id=False, name=False)
        return result

    @api.model
    def _prm_import_sellout(
        self, partner, file_name, content, date_from, date_to, validate
    ):
        partner = self._prm_import_partner(partner)
        try:
            data = base64.b64decode(content or "", validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise UserError(
                self.env._("The file must be sent base64-encoded.")
            ) from error
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if not date_from or not date_to:
            raise UserError(self.env._("Give the first and last day of the period."))
        self._prm_portal_check_file(data, file_name)
        company = partner.company_id or self.env.company
        Wizard = self.env["prm.sellout.upload.wizard"]
        mapping = Wizard._partner_mapping(partner, company)
        wizard = Wizard.create(
            self._prepare_portal_upload_vals(
                partner, company, date_from, date_to, file_name, data, None, mapping
            )
        )
        if not mapping:
            headers, _rows = wizard._read_preview()
            wizard.write(wizard._guess_columns(headers))
        batch = wizard._prm_import()
        lines = self.env["prm.sellout.line"].search_fetch(
            [("batch_id", "=", batch.id), ("has_error", "=", True)],
            ["row_number", "error_message"],
            order="row_number, id",
        )
        if validate and not lines:
            batch.action_validate()
        return {
            "id": batch.id,
            "name": batch.name,
            "state": batch.state,
            "rows": batch.line_count,
            "errors": [
                {"row": line.row_number, "message": line.error_message}
                for line in lines
            ],
        }

    @api.model
    def _prm_import_partner(self, value):
        """The channel partner (a company) named by id, reference, VAT or name;
        a UserError when none or several match."""
        base = Domain("prm_is_partner", "=", True) & Domain("parent_id", "=", False)
        Partner = self.env["res.partner"]
        if isinstance(value, int) and not isinstance(value, bool):
            partners = Partner.search(base & Domain("id", "=", value))
        else:
            text = str(value or "").strip()
            partners = Partner.browse()
            candidates = [
                Domain("ref", "=", text),
                Domain("prm_vat_key", "=", normalize_vat(text) or "-"),
                Domain("name", "=ilike", escape_psql(text)),
            ]
            if text.isdigit():
                candidates.append(Domain("id", "=", int(text)))
            for domain in candidates:
                partners = Partner.search(base & domain, limit=2)
                if partners:
                    break
        if len(partners) != 1:
            raise UserError(
                self.env._(
                    "“%(value)s” names no channel partner (give its id, external "
                    "reference, VAT number or exact name).",
                    value=value,
                )
                if not partners
                else self.env._(
                    "“%(value)s” names several channel partners: give its id or "
                    "external reference.",
                    value=value,
                )
            )
        return partners
