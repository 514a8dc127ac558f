"""Fields an action decides (states, approvals, amounts, tiers, locks, owners,
scores, who-did-it): refused on ``create``/``write`` from anywhere else.

Any RPC caller can call ``write`` with any values and any context, so the only
way such a field changes is its action: the action checks the caller's rights
on the records it touches (``check_access('write')``), then writes the field as
superuser (``sudo()``), which no RPC call can become. A context key never opens
the guard.
"""

from collections import namedtuple

from odoo import api, models
from odoo.exceptions import AccessError

# action: what the user does instead (a translated label, e.g. "Approve");
# initial: the values ``create`` accepts for the field (False/empty always).
Guard = namedtuple("Guard", ["action", "initial"], defaults=[()])


class PrmGuardedMixin(models.AbstractModel):
    _name = "prm.guarded.mixin"
    _description = "Fields set only by their actions"

    def _prm_guarded_fields(self):
        """{field name: Guard}. Modules extend it with ``super()``; the generic
        security matrix test reads it for every model that inherits this mixin."""
        return {}

    def _prm_guarded_names(self):
        """The guarded field names, kept on the model's class (rebuilt whenever
        a module extends the model): ``write`` and ``create`` run on every
        save and most saves touch no guarded field, so the translated labels
        of ``_prm_guarded_fields`` are built only when one is written."""
        cls = type(self)
        names = cls.__dict__.get("_prm_guarded_names_cache")
        if names is None:
            names = frozenset(self._prm_guarded_fields())
            cls._prm_guarded_names_cache = names
        return names

    @api.model_create_multi
    def create(self, vals_list):
        self._prm_refuse_guarded_create(vals_list)
        return super().create(vals_list)

    def _prm_refuse_guarded_create(self, vals_list):
        """``_prm_refuse_guarded`` for ``create``: a model whose ``create``
        checks other things first calls it before them."""
        if self.env.su:
            return
        names = self._prm_guarded_names()
        # ``default_<field>`` context keys fill fields too (any RPC caller
        # sends them): check them as if they were in the values.
        defaults = {
            name: self.env.context[f"default_{name}"]
            for name in names
            if f"default_{name}" in self.env.context
        }
        if not defaults and not any(names & vals.keys() for vals in vals_list):
            return
        guarded = self._prm_guarded_fields()
        for vals in vals_list:
            self._prm_check_guarded({**defaults, **vals}, guarded, creating=True)

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        return super().write(vals)

    def _prm_refuse_guarded(self, vals):
        """Refuse the guarded fields of ``vals`` now: a model whose ``write``
        checks other things first (state transitions...) calls it before
        them, so that the caller is told about the guard, not about them."""
        if not self.env.su and self._prm_guarded_names() & vals.keys():
            self._prm_check_guarded(vals, self._prm_guarded_fields())

    def _prm_check_guarded(self, vals, guarded, creating=False):
        for name in guarded.keys() & vals.keys():
            guard = guarded[name]
            value = vals[name]
            if creating and (not value or value in guard.initial):
                continue
            if not creating and self._prm_is_noop(name, value):
                continue
            field = self._fields[name]
            raise AccessError(
                self.env._(
                    "%(field)s of %(model)s is set by its action (%(action)s), "
                    "not written directly.",
                    field=field._description_string(self.env),
                    model=self._description,
                    action=str(guard.action),
                )
            )

    def _prm_is_noop(self, name, value):
        """Writing the value a record already has changes nothing (imports and
        scripts resend whole rows)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return False
        if field.type == "many2one":
            value = value.id if isinstance(value, models.BaseModel) else value
            return all(record[name].id == (value or False) for record in self)
        cached = field.convert_to_cache(value, self)
        return all(
            field.convert_to_cache(record[name], record) == cached for record in self
        )
