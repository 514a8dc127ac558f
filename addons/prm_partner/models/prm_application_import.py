"""Batched application import for ``prm-client`` and other integrations."""

from odoo import api, models

from .res_partner_import import (
    ROW_ERRORS,
    _error_text,
    prm_check_import_rights,
    prm_check_rows,
    prm_row_number,
)


class PrmApplication(models.Model):
    _inherit = "prm.application"

    # --- Import API ---

    @api.model
    def prm_import_applications(self, rows=None, dry_run=False):
        """Create applications from ``rows`` through the intake pipeline of
        the web form and the email alias (same checks, duplicates merged into
        the open application they repeat, checks and assignment).

        Keys of a row: those of ``_prm_intake`` (``name``, ``vat``,
        ``country``, ``contact_name``, ``email``, ``phone``, ``website``,
        ``partner_type``, ``declared_revenue``, ``headcount``,
        ``served_countries``, ``description``, ``utm_*``...) and ``_row``.
        A bad row is reported and skipped; the others are created.

        :param dry_run: check and create everything, then roll it back
        :return: one ``{row, status, id, message}`` per row, status being
            ``created``, ``merged`` (a duplicate of an open application, whose
            id is given) or ``error``
        """
        prm_check_import_rights(self.env)
        prm_check_rows(self.env, rows)
        if not dry_run:
            return self._prm_import_applications(rows)
        with self.env.cr.savepoint() as savepoint:
            results = self._prm_import_applications(rows)
            savepoint.close(rollback=True)
        self.env.invalidate_all(flush=False)
        return results

    @api.model
    def _prm_import_applications(self, rows):
        clean_rows = [
            {key: value for key, value in row.items() if key != "_row"} for row in rows
        ]
        prepared, errors = self._prm_intake_check(clean_rows, source="import")
        results = []
        good = []
        for index, (raw, vals) in enumerate(zip(rows, prepared, strict=True)):
            result = {
                "row": prm_row_number(raw, index),
                "status": "error",
                "id": False,
                "message": " ".join(errors.get(index, [])),
            }
            results.append(result)
            if index not in errors:
                good.append((result, vals))
        if not good:
            return results
        vals_list = [vals for _result, vals in good]
        self._prm_prepare_utm(vals_list)
        try:
            with self.env.cr.savepoint():
                applications = list(self.create(vals_list))
        except ROW_ERRORS:
            self.env.invalidate_all(flush=False)
            applications = []
            for result, vals in good:
                try:
                    with self.env.cr.savepoint():
                        applications.append(self.create([vals]))
                except ROW_ERRORS as error:
                    self.env.invalidate_all(flush=False)
                    result["message"] = _error_text(error)
                    applications.append(None)
        for (result, _vals), application in zip(good, applications, strict=True):
            if not application:
                continue
            if application.state == "merged":
                result.update(
                    status="merged",
                    id=application.merged_into_id.id,
                    message=self.env._(
                        "Duplicate of application %(name)s: merged into it.",
                        name=application.merged_into_id.display_name,
                    ),
                )
            else:
                result.update(status="created", id=application.id, message="")
        return results
