"""Batched partner import for ``prm-client`` and other integrations (JSON-2,
XML-RPC): one call takes hundreds of rows and answers one result per row."""

import re
from collections import defaultdict

import psycopg2

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from ..tools.lookup import RegionLookup, _fold
from ..tools.normalize import is_valid_email, normalize_vat
from ..tools.validation import check_text_input

# Most rows one call may carry: a larger file is sent in several calls.
MAX_IMPORT_ROWS = 5000
# Plain partner fields a row may set as written (after trimming).
IMPORT_TEXT_FIELDS = (
    "name",
    "ref",
    "vat",
    "email",
    "phone",
    "website",
    "street",
    "street2",
    "zip",
    "city",
)
IMPORT_TEXT_LIMITS = {"email": 254, "phone": 64, "vat": 64, "website": 2048}
# States a partner may be created in (later changes go through *Change status*).
IMPORT_STATES = ("prospect", "applicant", "onboarding")
# "Jane Doe <jane@example.com> [admin, sales]" in a representatives cell.
REPRESENTATIVE = re.compile(
    r"^\s*(?P<name>[^<\[]*?)\s*(?:<(?P<email>[^>]*)>)?\s*(?:\[(?P<roles>[^\]]*)\])?\s*$"
)
# Errors of one row's database write, reported on the row (the others go on).
ROW_ERRORS = (UserError, psycopg2.Error)


def prm_check_import_rights(env, *other_groups):
    """Bulk imports and program jobs are for program administrators (and the
    members of ``other_groups``, e.g. accountants for sell-out and closes):
    checked before anything else, so a portal or plain internal user calling
    the method over JSON-2 is refused whatever the arguments. The ORM's access
    rights on the records apply on top."""
    if env.su:
        return
    if any(
        env.user.has_group(group)
        for group in ("prm_partner.group_prm_manager", *other_groups)
    ):
        return
    raise AccessError(
        env._("Only Partner Program administrators can run bulk imports and jobs.")
        if not other_groups
        else env._("Only Partner Program administrators and accountants can run this.")
    )


def prm_check_rows(env, rows):
    if not isinstance(rows, list | tuple) or not all(
        isinstance(row, dict) for row in rows
    ):
        raise UserError(env._("Send the rows as a list of objects."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise UserError(
            env._(
                "Send at most %(limit)s rows per call (got %(count)s).",
                limit=MAX_IMPORT_ROWS,
                count=len(rows),
            )
        )


def prm_row_number(row, index):
    """The row number the caller gave (``_row``, e.g. the file's line), else
    the row's position counted from 1."""
    number = row.get("_row")
    return (
        number
        if isinstance(number, int) and not isinstance(number, bool)
        else index + 1
    )


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Import API ---

    @api.model
    def prm_import_partners(self, rows=None, dry_run=False):
        """Create or update channel partners from ``rows`` in one batch.

        A row is matched to an existing company by its external reference
        (``ref``), else its VAT number, else its email: a re-run updates
        instead of duplicating. Keys of a row: ``name``, ``ref``, ``vat``,
        ``email``, ``phone``, ``website``, ``street``, ``street2``, ``zip``,
        ``city``, ``country``, ``country_state`` (code or name),
        ``partner_type`` (code or name), ``tier`` (name), ``manager`` (login
        or email of a user), ``status`` (on creation: prospect, applicant or
        onboarding), ``territories`` / ``territory_states`` (codes or names,
        comma-separated or a list), ``representatives`` (a list of
        ``{name, email, phone, roles}`` or text ``Name <email> [role, role];
        ...``), ``_row`` (the number the results report).

        A bad row is reported and skipped; the others are written.

        :param dry_run: check and write everything, then roll it back
        :return: one ``{row, status, id, message}`` per row, status being
            ``created``, ``updated``, ``unchanged`` or ``error``
        """
        prm_check_import_rights(self.env)
        prm_check_rows(self.env, rows)
        importer = _PartnerImport(self.with_context(**self._prm_import_context()))
        if not dry_run:
            return importer.run(rows)
        with self.env.cr.savepoint() as savepoint:
            results = importer.run(rows)
            savepoint.close(rollback=True)
        self.env.invalidate_all(flush=False)
        return results

    # --- Requalification job API ---

    @api.model
    def prm_requalify_start(self):
        """Wake the daily requalification job (*Partner Program: requalify
        tiers*) up now; it runs in the background, committing per change
        group. Follow it with ``prm_requalify_status(since=...)``.

        :return: ``{"since": id, "trigger": id}``, the arguments of
            ``prm_requalify_status``
        """
        prm_check_import_rights(self.env)
        # sudo: administrators of the program are not cron administrators.
        cron_sudo = self.env.ref("prm_partner.ir_cron_prm_requalify").sudo()
        last = (
            self.env["ir.cron.progress"]
            .sudo()
            .search([("cron_id", "=", cron_sudo.id)], order="id desc", limit=1)
        )
        trigger = cron_sudo._trigger()
        if not trigger:
            raise UserError(
                self.env._(
                    "The requalification job is not active: ask an administrator."
                )
            )
        return {"since": last.id, "trigger": trigger.id}

    @api.model
    def prm_requalify_status(self, since=0, trigger=0):
        """Where the requalification job started by ``prm_requalify_start``
        is: ``{"state": "queued" | "running" | "done" | "failed", "done": n,
        "remaining": n}`` (partners, from the job's ``_commit_progress``)."""
        prm_check_import_rights(self.env)
        cron_sudo = self.env.ref("prm_partner.ir_cron_prm_requalify").sudo()
        return _cron_status(cron_sudo, since, trigger)

    @api.model
    def _prm_import_context(self):
        """Imports post no creation note nor tracking message per partner: the
        tier history and the chatter of the import keep what matters."""
        return {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
            "active_test": True,
        }

    @api.model
    def _prm_import_create(self, vals_list):
        """``create(vals_list)`` as ``res.partner.create`` does it, with its
        per-partner sync of the new contacts with their company (commercial
        fields in every company, address) done once per group of identical
        values, as Odoo's own import (``_load_records_create``) does: that
        sync was most of the cost of an imported representative (a write per
        contact and per company). Partners without a parent have nothing to
        sync when they are created (no parent, no children yet)."""
        parent_ids = {vals["parent_id"] for vals in vals_list if vals.get("parent_id")}
        if parent_ids:
            # The language create gives a contact (its parent's), in the values:
            # else create computes and writes it contact by contact.
            parents = self.browse(parent_ids)
            parents.fetch(["lang"])
            langs = {parent.id: parent.lang for parent in parents}
            vals_list = [
                {"lang": langs[vals["parent_id"]], **vals}
                if vals.get("parent_id") and langs.get(vals["parent_id"])
                else vals
                for vals in vals_list
            ]
        partners = self.with_context(_partners_skip_fields_sync=True).create(vals_list)
        partners.filtered("parent_id")._prm_sync_new_contacts()
        return partners

    def _prm_sync_new_contacts(self):
        """What ``res.partner._fields_sync`` does for new contacts (``self``),
        batched: commercial fields from their commercial partner (the
        company-dependent ones in every company), the address of their parent
        for contacts of type *contact*; then the per-contact sync for the few
        whose values still differ from their parent's (it writes the parent)."""
        if not self:
            return
        # sudo: as Odoo's sync (_commercial_sync_from_company runs as sudo).
        contacts_sudo = self.sudo()
        address = self._address_fields()
        groups = defaultdict(list)
        for contact in contacts_sudo:
            vals = {}
            commercial = contact.commercial_partner_id
            if commercial != contact:
                vals.update(commercial._get_commercial_values())
            if contact.type == "contact":
                vals.update(contact.parent_id._get_address_values())
            if vals:
                groups[_freeze(vals)].append(contact.id)
        for frozen, ids in groups.items():
            contacts_sudo.browse(ids).write(_thaw(frozen))
        dependent = self._company_dependent_commercial_fields()
        if dependent:
            others = (
                self.env["res.company"]
                .sudo()
                .search([("id", "!=", self.env.company.id)])
            )
            for company in others:
                in_company = contacts_sudo.with_company(company).filtered(
                    lambda c: c.commercial_partner_id != c
                )
                by_vals = defaultdict(list)
                for contact in in_company:
                    vals = contact.commercial_partner_id._convert_fields_to_values(
                        dependent
                    )
                    by_vals[_freeze(vals)].append(contact.id)
                for frozen, ids in by_vals.items():
                    in_company.browse(ids).write(_thaw(frozen))
        synced = set(self._synced_commercial_fields())
        for contact in contacts_sudo:
            parent = contact.parent_id
            moved = contact.type == "contact" and any(
                contact[f] != parent[f] for f in address
            )
            if moved or any(contact[f] != parent[f] for f in synced):
                contact._fields_sync({"parent_id": parent.id, "type": contact.type})

    @api.model
    def _prepare_prm_import_vals(self, row, lookup):
        """Partner values of one checked row (hook: add your own columns)."""
        vals = {key: row[key] for key in IMPORT_TEXT_FIELDS if row.get(key)}
        for key in ("country_id", "state_id", "prm_partner_type_id", "prm_manager_id"):
            if row.get(key):
                vals[key] = row[key]
        for key in ("prm_country_ids", "prm_country_state_ids"):
            if key in row:
                vals[key] = [Command.set(row[key])]
        return vals


class _PartnerImport:
    """One batch of ``prm_import_partners``: check every row, match them all
    at once, create the new partners in one ``create``, write the changed ones
    grouped by identical values, then tiers (per tier) and representatives."""

    def __init__(self, partners):
        self.Partner = partners
        self.env = partners.env
        self.lookup = RegionLookup(self.env)
        self.results = []

    # --- Steps ---

    def run(self, rows):
        env = self.env
        self._load_references(rows)
        checked = []
        for index, raw in enumerate(rows):
            result = {
                "row": prm_row_number(raw, index),
                "status": "error",
                "id": False,
                "message": "",
            }
            self.results.append(result)
            try:
                checked.append((result, self._check_row(raw)))
            except UserError as error:
                result["message"] = str(error.args[0])
        matches = self._match([row for _result, row in checked])
        to_create, to_update = [], []
        for (result, row), match in zip(checked, matches, strict=True):
            if isinstance(match, str):
                result["message"] = match
            elif match:
                to_update.append((result, row, match))
            else:
                to_create.append((result, row))
        self._create(to_create)
        self._update(to_update)
        done = [(result, row) for result, row in checked if result["id"]]
        self._set_tiers(done)
        self._set_representatives(done)
        for result in self.results:
            if result["status"] == "error" and not result["message"]:
                result["message"] = env._("The row could not be imported.")
        return self.results

    def _load_references(self, rows):
        """Tiers, users, roles named by any row: one query each."""
        env = self.env
        self.tiers = {}
        for tier in env["prm.tier"].sudo().search_fetch([], ["name"]):
            self.tiers.setdefault(_fold(tier.name), tier.id)
        keys = {
            _fold(str(row.get("manager")))
            for row in rows
            if isinstance(row, dict) and row.get("manager")
        }
        self.users = {}
        if keys:
            users = (
                env["res.users"]
                .sudo()
                .search_fetch(
                    [("share", "=", False)],
                    ["login", "email"],
                )
            )
            for user in users:
                for key in (user.login, user.email):
                    if key and _fold(key) in keys:
                        self.users.setdefault(_fold(key), user.id)
        self.roles = {}
        for role in env["prm.role"].sudo().search_fetch([], ["name", "code"]):
            self.roles.setdefault(_fold(role.name), role.id)
            if role.code:
                self.roles.setdefault(_fold(role.code), role.id)

    def _check_row(self, raw):
        """The row's values, or a UserError naming every problem of it."""
        env, lookup = self.env, self.lookup
        row = {}
        errors = []
        for key, value in raw.items():
            if isinstance(value, str):
                value = value.strip() or False
            if value not in (None, False, ""):
                row[key] = value
        for key in IMPORT_TEXT_FIELDS:
            if key in row and not isinstance(row[key], str):
                row[key] = str(row[key])
        try:
            check_text_input(self.Partner, row, IMPORT_TEXT_LIMITS)
        except UserError as error:
            errors.append(str(error.args[0]))
        if row.get("email"):
            row["email"] = row["email"].lower()
            if not is_valid_email(row["email"]):
                errors.append(
                    env._(
                        "“%(value)s” is not a valid email address.", value=row["email"]
                    )
                )
        if not (
            row.get("name") or row.get("ref") or row.get("vat") or row.get("email")
        ):
            errors.append(
                env._("The row has no name, reference, VAT number nor email.")
            )
        if "country" in row:
            row["country_id"] = lookup.country(row["country"])
            if not row["country_id"]:
                errors.append(
                    env._("Unknown country “%(value)s”.", value=row["country"])
                )
        if "country_state" in row:
            lookup.load_states([row["country_id"]] if row.get("country_id") else [])
            row["state_id"] = lookup.state(row["country_state"], row.get("country_id"))
            if not row["state_id"]:
                errors.append(
                    env._(
                        "Unknown state “%(value)s” for this country.",
                        value=row["country_state"],
                    )
                )
        if "partner_type" in row:
            row["prm_partner_type_id"] = lookup.partner_type(row["partner_type"])
            if not row["prm_partner_type_id"]:
                errors.append(
                    env._(
                        "Unknown partner type “%(value)s”.", value=row["partner_type"]
                    )
                )
        if "tier" in row:
            row["tier_id"] = self.tiers.get(_fold(str(row["tier"])))
            if not row["tier_id"]:
                errors.append(env._("Unknown tier “%(value)s”.", value=row["tier"]))
        if "manager" in row:
            row["prm_manager_id"] = self.users.get(_fold(str(row["manager"])))
            if not row["prm_manager_id"]:
                errors.append(
                    env._(
                        "Unknown channel manager “%(value)s” (give an internal "
                        "user's login or email).",
                        value=row["manager"],
                    )
                )
        if "status" in row and row["status"] not in IMPORT_STATES:
            errors.append(
                env._(
                    "Status “%(value)s” cannot be imported (one of %(states)s; later "
                    "changes go through Change status).",
                    value=row["status"],
                    states=", ".join(IMPORT_STATES),
                )
            )
        self._check_territories(row, errors)
        self._check_representatives(row, errors)
        if errors:
            raise UserError(" ".join(errors))
        return row

    def _check_territories(self, row, errors):
        env, lookup = self.env, self.lookup
        if "territories" in row:
            ids = []
            for value in _as_list(row["territories"]):
                country = lookup.country(value)
                if not country:
                    errors.append(
                        env._("Unknown territory country “%(value)s”.", value=value)
                    )
                ids.append(country)
            row["prm_country_ids"] = [i for i in ids if i]
        if "territory_states" in row:
            countries = row.get("prm_country_ids") or []
            ids = []
            for value in _as_list(row["territory_states"]):
                state = lookup.state(value, None, countries)
                if not state:
                    errors.append(
                        env._(
                            "Unknown territory state “%(value)s” (of the territory's "
                            "countries).",
                            value=value,
                        )
                    )
                ids.append(state)
            row["prm_country_state_ids"] = [i for i in ids if i]

    def _check_representatives(self, row, errors):
        env = self.env
        raw = row.get("representatives")
        if not raw:
            return
        if isinstance(raw, str):
            raw = [
                _parse_representative(part) for part in raw.split(";") if part.strip()
            ]
        if not isinstance(raw, list | tuple):
            errors.append(env._("Representatives must be a list or a text."))
            return
        people = []
        for person in raw:
            if not isinstance(person, dict) or not (person.get("name") or "").strip():
                errors.append(env._("Each representative needs a name."))
                continue
            email = (person.get("email") or "").strip().lower()
            if email and not is_valid_email(email):
                errors.append(
                    env._(
                        "Representative %(name)s: “%(value)s” is not a valid email "
                        "address.",
                        name=person["name"],
                        value=email,
                    )
                )
            role_ids = []
            for role in _as_list(person.get("roles") or []):
                role_id = self.roles.get(_fold(str(role)))
                if not role_id:
                    errors.append(
                        env._("Unknown program role “%(value)s”.", value=role)
                    )
                role_ids.append(role_id)
            people.append(
                {
                    "name": person["name"].strip(),
                    "email": email or False,
                    "phone": (str(person.get("phone") or "")).strip() or False,
                    "role_ids": sorted({r for r in role_ids if r}),
                }
            )
        row["representatives"] = people

    def _match(self, rows):
        """Per row: the existing company it updates, False for a new one, or
        the text of why it cannot be matched. One query per key kind for the
        whole batch; rows of the batch sharing a key are refused."""
        env = self.env
        base = Domain("parent_id", "=", False) & Domain("is_company", "=", True)
        keys = {
            "ref": {r["ref"] for r in rows if r.get("ref")},
            "prm_vat_key": {
                normalize_vat(r["vat"], self.lookup.country_code(r.get("country_id")))
                for r in rows
                if r.get("vat")
            }
            - {False},
            "email_normalized": {r["email"] for r in rows if r.get("email")},
        }
        found = {}
        for fname, values in keys.items():
            by_value = defaultdict(set)
            if values:
                for partner in self.Partner.search_fetch(
                    base & Domain(fname, "in", list(values)), [fname]
                ):
                    by_value[partner[fname]].add(partner.id)
            found[fname] = by_value
        seen = defaultdict(list)
        results = []
        for row in rows:
            row_keys = {
                "ref": row.get("ref"),
                "prm_vat_key": row.get("vat")
                and normalize_vat(
                    row["vat"], self.lookup.country_code(row.get("country_id"))
                ),
                "email_normalized": row.get("email"),
            }
            result = False
            for fname, value in row_keys.items():
                if not value:
                    continue
                ids = found[fname].get(value, set())
                if len(ids) > 1:
                    result = env._(
                        "%(key)s “%(value)s” matches %(count)s partners: clean them "
                        "up first.",
                        key=self.Partner._fields[
                            "vat" if fname == "prm_vat_key" else fname.split("_")[0]
                        ]._description_string(env),
                        value=value,
                        count=len(ids),
                    )
                    break
                if ids:
                    result = next(iter(ids))
                    break
            if result is False:
                for fname, value in row_keys.items():
                    if value:
                        seen[(fname, value)].append(row)
                if not row.get("name"):
                    result = env._(
                        "No partner matches the row, and it has no name to create one."
                    )
            results.append(result)
        duplicates = {
            id(row) for group in seen.values() if len(group) > 1 for row in group[1:]
        }
        return [
            env._("Another row of the file already creates this partner (same key).")
            if id(row) in duplicates and result is False
            else result
            for row, result in zip(rows, results, strict=True)
        ]

    def _create(self, items):
        if not items:
            return
        vals_list = []
        for _result, row in items:
            vals = self.Partner._prepare_prm_import_vals(row, self.lookup)
            vals.update(
                {
                    "is_company": True,
                    "prm_is_partner": True,
                    "prm_state": row.get("status") or "prospect",
                }
            )
            vals_list.append(vals)
        records = self._write_safely(items, self.Partner._prm_import_create, vals_list)
        for (result, _row), partner in zip(items, records, strict=True):
            if partner:
                result.update(status="created", id=partner.id, message="")

    def _write_safely(self, items, create, vals_list):
        """``create(vals_list)`` in one go; when it fails, row by row, so that
        one bad row is reported and the others are written."""
        env = self.env
        try:
            with env.cr.savepoint():
                return list(create(vals_list))
        except ROW_ERRORS:
            env.invalidate_all(flush=False)
        records = []
        for (result, _row), vals in zip(items, vals_list, strict=True):
            try:
                with env.cr.savepoint():
                    records.append(create([vals]))
            except ROW_ERRORS as error:
                env.invalidate_all(flush=False)
                result["message"] = _error_text(error)
                records.append(None)
        return records

    def _update(self, items):
        """Write only what changed, one ``write`` per set of identical
        changes (a re-run of the same file writes nothing)."""
        if not items:
            return
        env = self.env
        Partner = self.Partner
        partners = Partner.browse([partner_id for _r, _row, partner_id in items])
        names = set(IMPORT_TEXT_FIELDS) | {
            "country_id",
            "state_id",
            "prm_partner_type_id",
            "prm_manager_id",
            "prm_country_ids",
            "prm_country_state_ids",
            "prm_is_partner",
        }
        partners.fetch(list(names))
        groups = defaultdict(list)
        for result, row, partner_id in items:
            partner = Partner.browse(partner_id)
            vals = Partner._prepare_prm_import_vals(row, self.lookup)
            changes = {}
            for fname, value in vals.items():
                field = Partner._fields[fname]
                if field.type == "many2many":
                    if set(partner[fname].ids) != set(value[0][2]):
                        changes[fname] = tuple(sorted(value[0][2]))
                elif field.type == "many2one":
                    if partner[fname].id != value:
                        changes[fname] = value
                elif (partner[fname] or False) != value:
                    changes[fname] = value
            if not partner.prm_is_partner:
                changes["prm_is_partner"] = True
            result.update(id=partner_id, status="updated" if changes else "unchanged")
            if changes:
                groups[tuple(sorted(changes.items()))].append((result, partner_id))
        for changes, members in groups.items():
            vals = {
                fname: [Command.set(list(value))] if isinstance(value, tuple) else value
                for fname, value in changes
            }
            try:
                with env.cr.savepoint():
                    Partner.browse([pid for _r, pid in members]).write(vals)
                continue
            except ROW_ERRORS:
                env.invalidate_all(flush=False)
            for result, partner_id in members:
                try:
                    with env.cr.savepoint():
                        Partner.browse(partner_id).write(vals)
                except ROW_ERRORS as error:
                    env.invalidate_all(flush=False)
                    result.update(status="error", message=_error_text(error))

    def _set_tiers(self, done):
        """Tiers through *Change tier* (the guarded action), one call per
        tier, with the import as the reason in the tier history."""
        env = self.env
        by_tier = defaultdict(list)
        partners = self.Partner.browse([result["id"] for result, _row in done])
        partners.fetch(["prm_tier_id"])
        for result, row in done:
            if result["status"] == "error" or not row.get("tier_id"):
                continue
            if self.Partner.browse(result["id"]).prm_tier_id.id != row["tier_id"]:
                by_tier[row["tier_id"]].append(result)
        Tier = env["prm.tier"]
        for tier_id, results in by_tier.items():
            members = self.Partner.browse([r["id"] for r in results])
            try:
                with env.cr.savepoint():
                    members._prm_change_tier(
                        Tier.browse(tier_id), env._("Imported with prm-client")
                    )
            except ROW_ERRORS as error:
                env.invalidate_all(flush=False)
                for result in results:
                    result.update(status="error", message=_error_text(error))
                continue
            for result in results:
                if result["status"] == "unchanged":
                    result["status"] = "updated"

    def _set_representatives(self, done):
        """Contacts of each partner with their program roles: matched by
        email (then name) among the partner's contacts, created when new."""
        env = self.env
        wanted = [
            (result, row)
            for result, row in done
            if result["status"] != "error" and row.get("representatives")
        ]
        if not wanted:
            return
        parent_ids = [result["id"] for result, _row in wanted]
        contacts = self.Partner.search_fetch(
            [("parent_id", "in", parent_ids)],
            ["parent_id", "email_normalized", "name", "prm_role_ids", "phone"],
        )
        existing = {}
        for contact in contacts:
            existing.setdefault(
                (contact.parent_id.id, contact.email_normalized), contact
            )
            existing.setdefault((contact.parent_id.id, _fold(contact.name)), contact)
        to_create = []
        role_groups = defaultdict(list)
        for result, row in wanted:
            for person in row["representatives"]:
                contact = (
                    existing.get((result["id"], person["email"]))
                    if person["email"]
                    else None
                )
                contact = contact or existing.get((result["id"], _fold(person["name"])))
                if not contact:
                    to_create.append(
                        (
                            result,
                            {
                                "parent_id": result["id"],
                                "type": "contact",
                                "name": person["name"],
                                "email": person["email"],
                                "phone": person["phone"],
                                "prm_role_ids": [Command.set(person["role_ids"])],
                            },
                        )
                    )
                elif sorted(contact.prm_role_ids.ids) != person["role_ids"]:
                    role_groups[tuple(person["role_ids"])].append((result, contact.id))
        if to_create:
            items = [(result, None) for result, _vals in to_create]
            records = self._write_safely(
                items,
                self.Partner._prm_import_create,
                [vals for _result, vals in to_create],
            )
            for (result, _vals), record in zip(to_create, records, strict=True):
                if record is None:
                    result["status"] = "error"
                elif result["status"] == "unchanged":
                    result["status"] = "updated"
        for role_ids, members in role_groups.items():
            try:
                with env.cr.savepoint():
                    self.Partner.browse([cid for _r, cid in members]).write(
                        {"prm_role_ids": [Command.set(list(role_ids))]}
                    )
            except ROW_ERRORS as error:
                env.invalidate_all(flush=False)
                for result, _cid in members:
                    result.update(status="error", message=_error_text(error))
                continue
            for result, _cid in members:
                if result["status"] == "unchanged":
                    result["status"] = "updated"


def _freeze(vals):
    """Hashable form of write values (x2many commands become tuples)."""
    return tuple(sorted((k, _freeze_value(v)) for k, v in vals.items()))


def _freeze_value(value):
    if isinstance(value, list | tuple):
        return ("__list__", tuple(_freeze_value(v) for v in value))
    return value


def _thaw(frozen):
    return {k: _thaw_value(v) for k, v in frozen}


def _thaw_value(value):
    if isinstance(value, tuple) and value[:1] == ("__list__",):
        return [_thaw_value(v) for v in value[1]]
    return value


def _as_list(value):
    if isinstance(value, list | tuple):
        return [v for v in value if v not in (None, False, "")]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _parse_representative(text):
    match = REPRESENTATIVE.match(text)
    if not match:
        return {"name": text.strip()}
    return {
        "name": match["name"],
        "email": match["email"],
        "roles": match["roles"] or "",
    }


def _error_text(error):
    if isinstance(error, psycopg2.Error):
        return (error.pgerror or str(error)).strip().splitlines()[0]
    return str(error.args[0]) if error.args else str(error)


def _cron_status(cron_sudo, since, trigger_id):
    """State of the run of ``cron_sudo`` asked for by trigger ``trigger_id``
    after its progress row ``since``: queued until it starts, running while a
    worker holds the job or the job put itself back in the queue (a partial
    run triggers the next one), then done (or failed)."""
    env = cron_sudo.env
    progress = env["ir.cron.progress"].search_fetch(
        [("cron_id", "=", cron_sudo.id), ("id", ">", since or 0)],
        ["done", "remaining"],
        order="id",
    )
    requeued = env["ir.cron.trigger"].search_count(
        [("cron_id", "=", cron_sudo.id), ("id", ">", trigger_id or 0)]
    )
    if not progress:
        state = "queued"
    elif requeued or not _cron_free(cron_sudo):
        state = "running"
    else:
        cron_sudo.invalidate_recordset(["failure_count"])
        state = "failed" if cron_sudo.failure_count else "done"
    return {
        "state": state,
        "done": sum(progress.mapped("done")),
        "remaining": 0 if state == "done" else (progress[-1:].remaining or 0),
    }


def _cron_free(cron_sudo):
    """Whether no cron worker holds the job now. Raw SQL: the lock a worker
    takes while it runs a job (FOR NO KEY UPDATE, see ir.cron
    _acquire_one_job), which the ORM's FOR UPDATE helpers would not mirror
    (they also wait on the job's progress rows being inserted)."""
    env = cron_sudo.env
    env.cr.execute(
        SQL(
            "SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED",
            cron_sudo.id,
        )
    )
    return bool(env.cr.fetchone())
