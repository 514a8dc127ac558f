"""Checks shared by several program records (partners, agreements, authority
documents...), raising the same readable ValidationError everywhere."""

from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


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
