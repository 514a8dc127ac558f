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


def check_state(records, states, message):
    """A readable UserError unless every record is in one of ``states``.

    :param message: ``message(record, state_label, expected_labels)`` returns
        the translated text naming the record
    """
    labels = selection_labels(records, "state")
    for record in records:
        if record.state not in states:
            raise UserError(
                message(
                    record,
                    labels[record.state],
                    ", ".join(labels[state] for state in states),
                )
            )
