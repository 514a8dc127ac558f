from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

from ..tools.normalize import (
    DEFAULT_FREE_MAIL_DOMAINS,
    email_domain,
    normalize_company_name,
    normalize_phone,
    normalize_vat,
)

# (key field, reason code) in the order reasons are reported.
MATCH_KEYS = (
    ("prm_vat_key", "vat"),
    ("prm_email_domain", "email_domain"),
    ("prm_name_key", "name"),
    ("prm_phone_key", "phone"),
)


class PrmMatchMixin(models.AbstractModel):
    """Stored, indexed identity keys (VAT, email domain, company name, phone in
    E.164) so that duplicates of a whole batch are found with one query per key
    kind, whatever the size of the batch.

    Inheriting models implement ``_prm_match_depends`` and ``_prm_match_raw``.
    """

    _name = "prm.match.mixin"
    _description = "Partner Identity Keys"

    prm_vat_key = fields.Char(
        string="VAT key", compute="_compute_prm_match_keys", store=True, index=True
    )
    prm_email_domain = fields.Char(
        string="Email domain", compute="_compute_prm_match_keys", store=True, index=True
    )
    prm_name_key = fields.Char(
        string="Name key", compute="_compute_prm_match_keys", store=True, index=True
    )
    prm_phone_key = fields.Char(
        string="Phone (E.164)",
        compute="_compute_prm_match_keys",
        store=True,
        index=True,
    )

    def _prm_match_depends(self):
        """Fields the keys are computed from."""
        return []

    def _prm_match_raw(self):
        """Raw identity of one record: dict with vat, country (res.country),
        email, company_name, phone."""
        raise NotImplementedError

    @api.depends(lambda self: self._prm_match_depends())
    def _compute_prm_match_keys(self):
        for record in self:
            keys = self._prm_match_keys(**record._prm_match_raw())
            record.update(keys)

    @api.model
    def _prm_match_keys(
        self, vat=None, country=None, email=None, company_name=None, phone=None
    ):
        """Identity keys of raw values, as stored in the key fields."""
        country_code = country.code if country else None
        return {
            "prm_vat_key": normalize_vat(vat, country_code),
            # Free-mail domains are stored too and skipped when matching, so a
            # change of the configured list needs no recomputation.
            "prm_email_domain": email_domain(email),
            "prm_name_key": normalize_company_name(company_name),
            "prm_phone_key": normalize_phone(
                phone, country_code, country.phone_code if country else None
            ),
        }

    @api.model
    def _prm_free_mail_domains(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_partner.free_mail_domains", DEFAULT_FREE_MAIL_DOMAINS)
        )
        return {d.strip().lower() for d in (param or "").split(",") if d.strip()}

    @api.model
    def _prm_find_matches(self, keys_list, domain=None):
        """Records of this model sharing an identity key with each entry.

        :param keys_list: list of key dicts (``_prm_match_keys`` output)
        :param domain: restricts the candidates (e.g. open applications only)
        :return: one ``{record_id: {reason, ...}}`` per entry, in order; reasons
            are 'vat', 'email_domain', 'name', 'phone'. One query per key kind.
        """
        free_mail = self._prm_free_mail_domains()
        results = [defaultdict(set) for _keys in keys_list]
        base = Domain(domain or [])
        for key_field, reason in MATCH_KEYS:
            values = {
                keys[key_field]
                for keys in keys_list
                if keys.get(key_field)
                and not (
                    key_field == "prm_email_domain" and keys[key_field] in free_mail
                )
            }
            if not values:
                continue
            records = self.search_fetch(
                base & Domain(key_field, "in", list(values)), [key_field]
            )
            ids_by_value = defaultdict(list)
            for record in records:
                ids_by_value[record[key_field]].append(record.id)
            for result, keys in zip(results, keys_list, strict=True):
                value = keys.get(key_field)
                if key_field == "prm_email_domain" and value in free_mail:
                    continue
                for record_id in ids_by_value.get(value, ()):
                    result[record_id].add(reason)
        return [dict(result) for result in results]
