"""Numbers and amounts as a reader of the text expects them: in the language of
the environment (grouping, decimal point) and, for money, with the currency.
For texts stored or sent (chatter notes, document labels, statements), never
``str(float)`` ("62380.0")."""

from odoo.tools.misc import format_amount, formatLang


def format_number(env, value, digits=2):
    """``value`` with at most ``digits`` decimals, trailing zeros dropped:
    12500 -> "12,500", 2.5 -> "2.5" (en_US)."""
    value = float(value or 0.0)
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else ""
    shown = len(text.partition(".")[2]) if text else 0
    return formatLang(env, value, digits=shown)


def format_money(env, amount, currency):
    """``amount`` with the currency's symbol and decimals: "$ 12,500.00"."""
    return format_amount(env, amount or 0.0, currency)
