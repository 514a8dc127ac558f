"""Checks shared by several program records (partners, agreements, authority
documents...), raising the same readable ValidationError everywhere."""

from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from . import bounds
from .bounds import MAX_AMOUNT

# Longest text a user or the web form may enter, per field type (characters);
# a model may give its fields other limits.
TEXT_LIMITS = {"char": 256, "text": 10000, "html": 100000}


def check_states_in_countries(records, countries_field, states_field):
    """A territory may not list states outside its countries (when it lists
    countries at all: states alone are a territory too)."""
    for record in records:
        countries = record[countries_field]
        stray = record[states_field].filtered(
            lambda state, countries=countries: (
                countries and state.country_id not in countries
            )
        )
        if stray:
            raise ValidationError(
                records.env._(
                    "The territory of %(record)s lists states outside its "
                    "countries: %(states)s.",
                    record=record.display_name,
                    states=", ".join(stray.mapped("display_name")),
                )
            )


def check_date_order(records, start_field, end_field):
    """The end of a validity period may not come before its start."""
    for record in records:
        start, end = record[start_field], record[end_field]
        if start and end and end < start:
            raise ValidationError(
                records.env._(
                    "%(record)s: the end (%(end)s) is before the start (%(start)s).",
                    record=record.display_name,
                    end=format_date(records.env, end),
                    start=format_date(records.env, start),
                )
            )


def check_before_insert(model, vals, fnames, method):
    """Run the constraint ``method`` of ``model`` on the ``fnames`` of ``vals``
    before they are inserted: a CHECK constraint of the table on the same
    columns would otherwise answer first, with PostgreSQL's message."""
    getattr(
        model.new({fname: vals[fname] for fname in fnames if fname in vals}), method
    )()


def selection_labels(model, fname):
    """``{value: label}`` of a selection field, in the user's language."""
    return dict(model._fields[fname]._description_selection(model.env))


def check_state(records, allowed):
    """Refuse an action on records that are not in one of the ``allowed``
    states: one whole-sentence UserError for every document of the suite,
    naming the document, its status and the statuses the action needs."""
    wrong = records.filtered(lambda record: record.state not in allowed)
    if not wrong:
        return
    env = records.env
    labels = selection_labels(records, "state")
    record = wrong[0]
    raise UserError(
        env._(
            "%(document)s %(record)s is in status “%(state)s”; this action is only "
            "possible in status: %(allowed)s.",
            document=env["ir.model"]._get(records._name).name,
            record=record.display_name,
            state=labels[record.state],
            allowed=", ".join(f"“{labels[state]}”" for state in allowed),
        )
    )


def check_number(env, value, label, minimum=0.0, maximum=MAX_AMOUNT):
    """``value`` as a float, or a ValidationError naming ``label`` when it is
    no number, not finite (NaN, infinity, ``1e400``) or outside
    ``[minimum, maximum)``."""
    bounds.check_number(env, value, label, maximum=maximum, minimum=minimum)
    return float(value or 0.0)


def check_numbers(records, bounds):
    """``check_number`` on stored fields: ``{fname: (minimum, maximum)}``."""
    for record in records:
        for fname, (minimum, maximum) in bounds.items():
            value = record[fname]
            if value:
                check_number(
                    records.env,
                    value,
                    records._fields[fname]._description_string(records.env),
                    minimum,
                    maximum,
                )


def check_text_input(model, vals, limits=None):
    """Refuse text values of ``vals`` that contain a NUL character (the
    database cannot store it, and a file reader would cut the text there) or
    are longer than their limit (``limits`` per field, else ``TEXT_LIMITS``
    per field type), with a ValidationError naming the field."""
    limits = limits or {}
    for fname, value in vals.items():
        field = model._fields.get(fname)
        if not isinstance(value, str) or not field or field.type not in TEXT_LIMITS:
            continue
        label = field._description_string(model.env)
        if "\x00" in value:
            raise ValidationError(
                model.env._(
                    "%(field)s contains a NUL character: remove it and try again.",
                    field=label,
                )
            )
        limit = limits.get(fname, TEXT_LIMITS[field.type])
        if len(value) > limit:
            raise ValidationError(
                model.env._(
                    "%(field)s is too long: %(length)s characters, at most %(limit)s.",
                    field=label,
                    length=len(value),
                    limit=limit,
                )
            )
