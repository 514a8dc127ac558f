"""Every number a user or a file enters is finite and within a stated bound:
NaN passes ``CHECK (x >= 0)`` and ``inf``/``1e20`` overflow every sum after it,
so they are refused where they come in, with the bound in the message."""

import math

from odoo.exceptions import ValidationError

# Amounts (money, quantities, thresholds) at or above this are refused.
MAX_AMOUNT = 1e15
# Points per currency unit or per unit sold.
MAX_RATE = 1e6
# Factors applied to what is earned (tier multipliers, accelerators).
MAX_MULTIPLIER = 1000.0
# Integer columns are 32-bit in PostgreSQL: beyond, the database answers.
MAX_INTEGER = 2**31 - 1


def number_error(env, value, label, maximum=MAX_AMOUNT, minimum=None):
    """The readable reason why ``value`` is refused for ``label``, or None.
    With a ``minimum`` the value must lie in ``[minimum, maximum)`` and the
    message states that range; without, ``abs(value) < maximum``."""
    try:
        number = float(value or 0.0)
    except (TypeError, ValueError, OverflowError):
        number = None
    if minimum is not None:
        number = math.nan if number is None else number
        if math.isfinite(number) and minimum <= number < maximum:
            return None
        return env._(
            "%(field)s must be a number from %(minimum)s to less than "
            "%(maximum)s, not “%(value)s”.",
            field=label,
            minimum=f"{minimum:,.0f}",
            maximum=f"{maximum:,.0f}",
            value=str(value)[:50],
        )
    if number is None:
        return env._("%(field)s must be a number.", field=label)
    if not math.isfinite(number):
        return env._(
            "%(field)s must be a finite number (got %(value)s).",
            field=label,
            value=value,
        )
    if abs(number) >= maximum:
        return env._(
            "%(field)s must stay below %(maximum)s in absolute value (got %(value)s).",
            field=label,
            maximum=f"{maximum:g}",
            value=f"{number:g}",
        )
    return None


def check_number(env, value, label, maximum=MAX_AMOUNT, minimum=None):
    """Raise a ValidationError when ``value`` is not a finite number within
    the bounds."""
    error = number_error(env, value, label, maximum=maximum, minimum=minimum)
    if error:
        raise ValidationError(error)


def check_vals_finite(model, vals_list):
    """Refuse NaN and infinities among the float and monetary values of
    ``vals_list`` before the ORM rounds them (which fails with a raw
    ``ValueError``), and integers beyond the 32-bit column; call it at the top
    of ``create``/``write``."""
    for vals in vals_list:
        for fname, value in vals.items():
            field = model._fields.get(fname)
            if (
                field is not None
                and field.type == "integer"
                and isinstance(value, (int, float))
            ):
                check_number(
                    model.env,
                    value,
                    field._description_string(model.env),
                    maximum=MAX_INTEGER + 1,
                )
                continue
            if (
                field is not None
                and field.type in ("float", "monetary")
                and isinstance(value, (int, float))
                and not math.isfinite(value)
            ):
                label = field._description_string(model.env)
                raise ValidationError(
                    number_error(model.env, value, label, maximum=math.inf)
                )


def check_record_numbers(records, fnames, maximum=MAX_AMOUNT, minimum=None):
    """``check_number`` on the fields ``fnames`` of every record (a
    ``@api.constrains`` body), naming the record and the field."""
    for record in records:
        for fname in fnames:
            label = record._fields[fname]._description_string(record.env)
            if record.display_name:
                label = f"{record.display_name}: {label}"
            check_number(record.env, record[fname], label, maximum, minimum)
