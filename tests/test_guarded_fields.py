"""Fields an action decides are refused on ``write`` and ``create``, for every
role, on every model that declares them (``prm.guarded.mixin``).

The models are discovered through the mixin, so a module that adopts it is
covered without touching this file. For each model, one record (demo data or
another test's fixture; a model without any record is skipped) is attacked by
each role of the suite the way an RPC caller would: ``write`` of every guarded
field, ``create`` of a copy of the record carrying it, both with the context
keys that used to open guards. Each attempt must raise ``AccessError`` and
leave the record as it was.
"""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

MIXIN = "prm.guarded.mixin"

# Context keys that switched guards off once; any RPC caller can send them.
ATTACK_CONTEXT = {
    "prm_requalify": True,
    "prm_onboarding_internal": True,
    "prm_no_recheck": True,
    "prm_tier_reason": "Forged",
    "tracking_disable": True,
}

# Roles of the suite: (login, groups); groups of modules not installed are left
# out (the sales user and the accountant need Sales and Invoicing).
ROLES = [
    ("portal", ("base.group_portal",)),
    ("employee", ("base.group_user",)),
    ("sales_user", ("base.group_user", "sales_team.group_sale_salesman")),
    ("channel_manager", ("prm_partner.group_prm_user",)),
    ("accountant", ("base.group_user", "account.group_account_manager")),
    ("program_admin", ("prm_partner.group_prm_manager",)),
]

# The record attacked on each model: the most telling one when there is a
# choice (a program partner, a deal registration).
SAMPLE_DOMAINS = {
    "res.partner": [("prm_is_partner", "=", True), ("parent_id", "=", False)],
    "crm.lead": [("prm_registration_state", "!=", False)],
}


def guarded_models(env):
    """Names of the concrete models inheriting the mixin, directly or through
    another mixin (``prm.approval.mixin``)."""
    names, todo = set(), [MIXIN]
    while todo:
        for child in env.registry[todo.pop()]._inherit_children:
            if child not in names:
                names.add(child)
                todo.append(child)
    return sorted(
        name for name in names if not env[name]._abstract and not env[name]._transient
    )


@tagged("post_install", "-at_install")
class TestGuardedFields(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        companies = cls.env["res.company"].search([])
        cls.users = {}
        for login, xmlids in ROLES:
            groups = [cls.env.ref(x, raise_if_not_found=False) for x in xmlids]
            if not all(groups):
                continue
            cls.users[login] = new_test_user(
                cls.env,
                login=f"prm_guard_{login}",
                groups=",".join(xmlids),
                company_ids=[Command.set(companies.ids)],
            )
        cls.models = guarded_models(cls.env)

    # --- Values an attacker sends ---

    def _other_value(self, record, fname, guard, creating):
        """A value of ``fname`` the record does not have (and, on create, that
        is no allowed initial value); None when the field has none to offer."""
        field = record._fields[fname]
        current = record[fname]
        if field.type == "selection":
            values = [
                value
                for value, _label in field._description_selection(self.env)
                if value != current and not (creating and value in guard.initial)
            ]
            return values[0] if values else None
        if field.type == "many2one":
            other = (
                self.env[field.comodel_name]
                .sudo()
                .search([("id", "!=", current.id)], limit=1, order="id desc")
            )
            return other.id or None
        if field.type in ("one2many", "many2many"):
            return None
        forged = {
            "boolean": lambda: not current,
            "integer": lambda: (current or 0) + 42,
            "float": lambda: (current or 0.0) + 42.5,
            "monetary": lambda: (current or 0.0) + 99999.0,
            "char": lambda: "Forged",
            "text": lambda: "Forged",
            "html": lambda: "<p>Forged</p>",
            "date": lambda: date(2099, 12, 31),
            "datetime": lambda: datetime(2099, 12, 31, 12, 0),
        }.get(field.type)
        return forged() if forged else None

    def _snapshot(self, record, fnames):
        record.invalidate_recordset(fnames)
        return record.sudo().read(fnames)[0]

    # --- Tests ---

    def test_models_are_discovered(self):
        self.assertIn("res.partner", self.models)
        self.assertIn("prm.application", self.models)
        for name in self.models:
            self.assertTrue(
                self.env[name]._prm_guarded_fields(),
                f"{name} inherits {MIXIN} but guards no field",
            )

    def test_every_program_state_is_guarded(self):
        """A ``state`` of a program model moves through its actions only."""
        for name, Model in self.env.registry.items():
            if not name.startswith("prm.") or Model._abstract or Model._transient:
                continue
            field = Model._fields.get("state")
            if not field or not field.store:
                continue
            with self.subTest(model=name):
                self.assertIn(name, self.models, f"{name} has a state but no guard")
                self.assertIn("state", self.env[name]._prm_guarded_fields())

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_no_role_writes_or_creates_guarded_fields(self):
        tried = set()
        for name in self.models:
            Model = self.env[name].sudo().with_context(active_test=False)
            record = Model.search(SAMPLE_DOMAINS.get(name, []), limit=1, order="id")
            if not record:
                continue
            tried.add(name)
            guarded = record._prm_guarded_fields()
            fnames = sorted(guarded)
            before = self._snapshot(record, fnames)
            count = Model.search_count([])
            template = record.copy_data()[0]
            for login, user in self.users.items():
                as_user = record.with_user(user).with_context(**ATTACK_CONTEXT)
                if "company_id" in record._fields and record.company_id:
                    as_user = as_user.with_company(record.company_id)
                for fname in fnames:
                    guard = guarded[fname]
                    value = self._other_value(record, fname, guard, creating=False)
                    if value is not None:
                        with (
                            self.subTest(
                                model=name, role=login, field=fname, op="write"
                            ),
                            self.assertRaises(AccessError),
                        ):
                            as_user.write({fname: value})
                    value = self._other_value(record, fname, guard, creating=True)
                    if value is not None:
                        with (
                            self.subTest(
                                model=name, role=login, field=fname, op="create"
                            ),
                            self.assertRaises(AccessError),
                        ):
                            as_user.browse().create({**template, fname: value})
            self.assertEqual(self._snapshot(record, fnames), before, name)
            self.assertEqual(
                Model.search_count([]), count, f"{name}: a record was created"
            )
        self.assertGreaterEqual(
            len(tried),
            5,
            f"too few guarded models had a record to try: {sorted(tried)}",
        )
