"""Entry points that turn raw input into partner applications: ``_prm_intake``
(imports, integrations), ``_prm_portal_submit`` (the website form) and
``message_new`` (the email alias)."""

import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext, parse_contact_from_email

from ..tools.normalize import (
    LEGAL_FORMS,
    email_domain,
    is_valid_email,
    is_valid_vat,
    strip_accents,
)

# What the website form may set; anything else in its input is ignored.
PORTAL_FIELDS = frozenset(
    {
        "name",
        "vat",
        "country",
        "country_id",
        "country_state",
        "state_id",
        "city",
        "website",
        "contact_name",
        "email",
        "phone",
        "lang",
        "partner_type",
        "partner_type_id",
        "declared_revenue",
        "headcount",
        "served_countries",
        "served_states",
        "description",
    }
)
PORTAL_REQUIRED = ("name", "contact_name", "email")
# Second-level labels of two-part public suffixes (co.uk, com.ar...).
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "gob"}
# A phone in a signature: international form, or after a "Tel" label.
_PHONE = re.compile(
    r"(?:\+|\b00)\d[\d\s().-]{6,}\d"
    r"|(?<=tel)[\s.:]*\d[\d\s().-]{6,}\d"
    r"|(?<=phone)[\s.:]*\d[\d\s().-]{6,}\d"
    r"|(?<=тел)[\s.:]*\d[\d\s().-]{6,}\d",
    re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_VAT_LINE = re.compile(
    r"\b(?:VAT|TVA|IVA|CIF|NIF|USt-?IdNr\.?|ИНН)\b[\s.:#-]*([A-Z]{0,2}[\w .-]{5,20})",
    re.IGNORECASE,
)


class PrmApplication(models.Model):
    _inherit = "prm.application"

    # --- Intake API ---

    @api.model
    def _prm_intake(self, vals_list, source=None):
        """Validate raw applications and create them in one batch.

        Used by the web form, imports and the email alias; creation runs the
        pipeline (duplicates, checks, assignment). Besides the model's fields,
        rows may carry ``country`` / ``country_state`` (code or name),
        ``partner_type`` (code or name), ``served_countries`` /
        ``served_states`` (lists or comma-separated codes or names) and
        ``utm_campaign`` / ``utm_source`` / ``utm_medium`` (names).

        :param vals_list: a dict or a list of dicts
        :param source: default source (``web``, ``email``, ``import``, ``manual``)
        :raise ValidationError: naming the row and field of every bad value;
            nothing is created then
        :return: the applications, in the order of ``vals_list`` (merged
            duplicates included)
        """
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        self.check_access("create")
        clean = self._prm_intake_prepare(vals_list, source=source)
        return self.create(clean)

    @api.model
    def _prm_portal_submit(self, vals):
        """Intake of the public application form, callable by anyone.

        Only the fields of ``PORTAL_FIELDS`` are taken; the rest (channel
        manager, partner, status...) is dropped. After validation the intake
        runs as superuser: visitors have no access to applications.

        :return: the application, as superuser (for the thank-you page only)
        """
        clean = {
            key: value
            for key, value in (vals or {}).items()
            if key in PORTAL_FIELDS and value not in (None, "")
        }
        missing = [
            self._fields[key]._description_string(self.env)
            for key in PORTAL_REQUIRED
            if not str(clean.get(key) or "").strip()
        ]
        if missing:
            raise ValidationError(
                self.env._("Please fill in: %(fields)s.", fields=", ".join(missing))
            )
        for key in ("country_id", "state_id", "partner_type_id"):
            if key in clean and not isinstance(clean[key], int):
                clean[key] = str(clean[key])
        clean["source"] = "web"
        # The form validated nothing itself: _prm_intake_prepare does, before
        # anything is written.
        prepared = self._prm_intake_prepare([clean], source="web")
        application_sudo = self.sudo().create(prepared)
        return application_sudo

    # --- Validation and normalisation ---

    @api.model
    def _prm_intake_prepare(self, vals_list, source=None):
        """Create values of raw rows, or a ValidationError listing every
        problem (row and field named). A fixed number of queries: countries,
        states and partner types are loaded once for the batch."""
        lookup = _Lookup(self.env)
        rows = [dict(raw or {}) for raw in vals_list]
        errors = []

        def error(index, row, message):
            if len(rows) > 1:
                message = self.env._(
                    "Row %(row)s (%(name)s): %(message)s",
                    row=index + 1,
                    name=row.get("name") or "?",
                    message=message,
                )
            errors.append(message)

        for index, row in enumerate(rows):
            for key, value in list(row.items()):
                if isinstance(value, str):
                    row[key] = value.strip() or False
            if "company_name" in row and not row.get("name"):
                row["name"] = row.pop("company_name")
            row.pop("company_name", None)
            if not row.get("name"):
                error(index, row, self.env._("the company name is required."))
            if source and not row.get("source"):
                row["source"] = source
            self._prm_prepare_country(index, row, lookup, error)
        lookup.load_states({row.get("country_id") for row in rows} - {False, None})
        for index, row in enumerate(rows):
            self._prm_prepare_state(index, row, lookup, error)
            self._prm_prepare_other(index, row, lookup, error)
        if errors:
            raise ValidationError("\n".join(errors))
        self._prm_prepare_utm(rows)
        return rows

    def _prm_label(self, fname):
        return self._fields[fname]._description_string(self.env)

    def _prm_resolved(self, index, row, error, fname, value, found, message):
        """``found``; when it is empty, an error on the row naming ``fname``.

        :param message: ``message(field=label, value=value)``, translated
        """
        if not found:
            error(index, row, message(field=self._prm_label(fname), value=value))
        return found

    @api.model
    def _prm_prepare_country(self, index, row, lookup, error):
        def unknown(**values):
            return self.env._("%(field)s: unknown country %(value)r.", **values)

        raw = row.pop("country", None) or row.get("country_id")
        if raw:
            row["country_id"] = self._prm_resolved(
                index, row, error, "country_id", raw, lookup.country(raw), unknown
            )
        served = _pop_served(row, "served_countries", "country_ids")
        if served:
            ids = [
                self._prm_resolved(
                    index,
                    row,
                    error,
                    "country_ids",
                    value,
                    lookup.country(value),
                    unknown,
                )
                for value in served
            ]
            row["country_ids"] = [fields.Command.set([i for i in ids if i])]

    @api.model
    def _prm_prepare_state(self, index, row, lookup, error):
        raw = row.pop("country_state", None) or row.get("state_id")
        if raw:
            row["state_id"] = self._prm_resolved(
                index,
                row,
                error,
                "state_id",
                raw,
                lookup.state(raw, row.get("country_id")),
                lambda **values: self.env._(
                    "%(field)s: unknown state %(value)r for this country.", **values
                ),
            )
        served = _pop_served(row, "served_states", "country_state_ids")
        if served:
            country_ids = [
                cid
                for command in row.get("country_ids") or []
                if command[0] == fields.Command.SET
                for cid in command[2]
            ]
            ids = [
                self._prm_resolved(
                    index,
                    row,
                    error,
                    "country_state_ids",
                    value,
                    lookup.state(value, None, country_ids),
                    lambda **values: self.env._(
                        "%(field)s: unknown state %(value)r.", **values
                    ),
                )
                for value in served
            ]
            row["country_state_ids"] = [fields.Command.set([i for i in ids if i])]

    @api.model
    def _prm_prepare_other(self, index, row, lookup, error):
        email = row.get("email")
        if email and not is_valid_email(email):
            error(
                index,
                row,
                self.env._(
                    "%(field)s: %(value)r is not a valid email address.",
                    field=self._prm_label("email"),
                    value=email,
                ),
            )
        vat = row.get("vat")
        if vat:
            country_code = lookup.country_code(row.get("country_id"))
            if is_valid_vat(vat, country_code) is False:
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s: %(value)r is not a valid VAT number%(where)s.",
                        field=self._prm_label("vat"),
                        value=vat,
                        where=self.env._(" for %(country)s", country=country_code)
                        if country_code
                        else "",
                    ),
                )
        for fname, cast in (("declared_revenue", float), ("headcount", int)):
            value = row.get(fname)
            if value in (None, False, ""):
                continue
            try:
                number = (
                    cast(str(value).replace(" ", ""))
                    if isinstance(value, str)
                    else cast(value)
                )
            except (TypeError, ValueError):
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s: %(value)r is not a number.",
                        field=self._prm_label(fname),
                        value=value,
                    ),
                )
                continue
            if number < 0:
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s cannot be negative (%(value)s).",
                        field=self._prm_label(fname),
                        value=value,
                    ),
                )
            row[fname] = number
        raw_type = row.pop("partner_type", None) or row.get("partner_type_id")
        if raw_type:
            partner_type = lookup.partner_type(raw_type)
            if not partner_type:
                error(
                    index,
                    row,
                    self.env._(
                        "%(field)s: unknown partner type %(value)r.",
                        field=self._prm_label("partner_type_id"),
                        value=raw_type,
                    ),
                )
            row["partner_type_id"] = partner_type
        if row.get("lang") and row["lang"] not in lookup.langs:
            row.pop("lang")  # a language we cannot write in: the default applies
        website = row.get("website")
        if website and not re.match(r"^[a-z][a-z0-9+.-]*://", website, re.I):
            row["website"] = f"https://{website}"
        source = row.get("source")
        if source and source not in dict(self._fields["source"].selection):
            error(
                index,
                row,
                self.env._(
                    "%(field)s: unknown source %(value)r.",
                    field=self._prm_label("source"),
                    value=source,
                ),
            )

    @api.model
    def _prm_prepare_utm(self, rows):
        """UTM names to records, one find-or-create per distinct name."""
        Mixin = self.env["utm.mixin"]
        for key, fname in (
            ("utm_campaign", "campaign_id"),
            ("utm_source", "source_id"),
            ("utm_medium", "medium_id"),
        ):
            names = {row.get(key) for row in rows} - {None, False, ""}
            comodel = self._fields[fname].comodel_name
            records = {
                name: Mixin.sudo()._find_or_create_record(comodel, name).id
                for name in names
            }
            for row in rows:
                name = row.pop(key, None)
                if name and not row.get(fname):
                    row[fname] = records[name]

    # --- Email alias ---

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to the applications alias becomes an application: contact
        from the From header, company from the signature or the sender's
        domain (best effort), through the same intake as the web form.

        Returns the application the email belongs to: when the email is a
        certain duplicate of an open application, the one it was merged into,
        so the gateway posts the email there.
        """
        vals = self._prm_vals_from_email(msg_dict)
        vals.update(custom_values or {})
        application = self._prm_intake([vals], source="email")
        return application.merged_into_id or application

    @api.model
    def _prm_vals_from_email(self, msg_dict):
        sender = msg_dict.get("email_from") or msg_dict.get("from") or ""
        contact_name, email = parse_contact_from_email(sender)
        if not is_valid_email(email):
            contact_name, email = contact_name or email, ""
        body = html2plaintext(msg_dict.get("body") or "")
        signature = _signature_lines(body)
        free_mail = self._prm_free_mail_domains()
        domain = email_domain(email)
        company = _company_from_signature(signature) or (
            _company_from_domain(domain)
            if domain and domain not in free_mail
            else False
        )
        subject = msg_dict.get("subject") or ""
        vals = {
            "name": company or contact_name or email,
            "contact_name": contact_name or False,
            "email": email or False,
            "description": "\n\n".join(v for v in (subject, body) if v) or False,
        }
        phone = _first_match(_PHONE, signature)
        if phone:
            vals["phone"] = phone.strip(" .:")
        url = _first_match(_URL, signature)
        if url:
            vals["website"] = url.rstrip(".,;)")
        elif domain and domain not in free_mail:
            vals["website"] = domain
        vat = _first_match(_VAT_LINE, signature, group=1)
        # An unreadable VAT in a signature must not bounce the email.
        if vat and is_valid_vat(vat.strip()) is not False:
            vals["vat"] = vat.strip()
        if msg_dict.get("author_id"):
            author = self.env["res.partner"].browse(msg_dict["author_id"])
            if author.lang:
                vals["lang"] = author.lang
        return vals


class _Lookup:
    """Countries, states and partner types by id, code or name, loaded once."""

    def __init__(self, env):
        self.env = env
        self._countries = None
        self._states = {}
        self._state_country = {}
        self._loaded_countries = set()
        self._types = None
        self.langs = {code for code, _name in env["res.lang"].get_installed()}

    def _load_countries(self):
        if self._countries is None:
            self._countries = {}
            self._codes = {}
            Country = self.env["res.country"].sudo()
            for lang in {self.env.lang or "en_US", "en_US"}:
                for country in Country.with_context(lang=lang).search_fetch(
                    [], ["code", "name"]
                ):
                    self._countries[_fold(country.name)] = country.id
                    self._countries[_fold(country.code)] = country.id
                    self._codes[country.id] = country.code

    def country(self, value):
        self._load_countries()
        if isinstance(value, int) and not isinstance(value, bool):
            return value if value in self._codes else False
        return self._countries.get(_fold(str(value)), False)

    def country_code(self, country_id):
        self._load_countries()
        return self._codes.get(country_id) if country_id else None

    def load_states(self, country_ids):
        """States of these countries, one query (called once per batch, and
        again only for served countries no row is based in)."""
        missing = set(country_ids) - self._loaded_countries
        if not missing:
            return
        self._loaded_countries |= missing
        State = self.env["res.country.state"].sudo()
        for state in State.search_fetch(
            [("country_id", "in", list(missing))], ["code", "name", "country_id"]
        ):
            self._state_country[state.id] = state.country_id.id
            for key in (state.code, state.name):
                self._states.setdefault((state.country_id.id, _fold(key)), state.id)

    def state(self, value, country_id, country_ids=()):
        candidates = [country_id] if country_id else list(country_ids)
        if not candidates:
            return False
        self.load_states(candidates)
        if isinstance(value, int) and not isinstance(value, bool):
            return value if self._state_country.get(value) in candidates else False
        for cid in candidates:
            state = self._states.get((cid, _fold(str(value))))
            if state:
                return state
        return False

    def partner_type(self, value):
        if self._types is None:
            self._types = {}
            Type = self.env["prm.partner.type"].sudo()
            for ptype in Type.search_fetch([], ["code", "name"]):
                self._types[_fold(ptype.name)] = ptype.id
                if ptype.code:
                    self._types[_fold(ptype.code)] = ptype.id
                self._types[ptype.id] = ptype.id
        if isinstance(value, int) and not isinstance(value, bool):
            return self._types.get(value, False)
        return self._types.get(_fold(str(value)), False)


def _fold(text):
    return strip_accents(text or "").casefold().strip()


def _as_list(value):
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value or [])


def _is_commands(value):
    return bool(value) and all(isinstance(v, (list, tuple)) for v in value)


def _pop_served(row, alias, fname):
    """The served territory values of a row, given as ``alias`` or as
    ``fname`` (unless ``fname`` already holds ORM commands), as a list."""
    served = row.pop(alias, None)
    if served is None and not _is_commands(row.get(fname)):
        served = row.pop(fname, None)
    return _as_list(served) if served else []


def _first_match(pattern, lines, group=0):
    for line in lines:
        match = pattern.search(line)
        if match:
            return match.group(group)
    return None


def _signature_lines(body):
    """The last lines of an email body, where signatures live."""
    text = body.split("\n-- \n")[-1] if "\n-- \n" in body else body
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-8:]


def _company_from_signature(lines):
    """A signature line ending with a legal form ('Rhein Systemhaus GmbH')."""
    for line in lines:
        if len(line) > 80:
            continue
        tokens = (
            strip_accents(line).casefold().replace(".", "").replace(",", " ").split()
        )
        if len(tokens) >= 2 and tokens[-1].strip("«»\"'") in LEGAL_FORMS:
            return line
        if (
            tokens
            and tokens[0].strip("«»\"'") in {"ооо", "ooo", "зао", "ао"}
            and len(tokens) >= 2
        ):
            return line
    return False


def _company_from_domain(domain):
    """'sales.rhein-systemhaus.de' -> 'Rhein Systemhaus'."""
    labels = [label for label in domain.split(".") if label]
    if len(labels) < 2:
        return False
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        label = labels[-3]
    else:
        label = labels[-2]
    return " ".join(part.capitalize() for part in re.split(r"[-_]+", label) if part)
