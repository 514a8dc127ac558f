"""Cells of the CSV and XLSX files the suite writes.

A spreadsheet opening a CSV runs a cell starting with ``=``, ``+``, ``-`` or
``@`` (and, in some, after a tab or carriage return) as a formula:
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` in a partner's file would come
back to the accountant as a live formula. Every writer passes its cells
through ``safe_cell``."""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-12.5") is no formula: it stays a number.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)*")


def safe_cell(value):
    """``value`` as a spreadsheet shows it and never runs: text that a
    spreadsheet would read as a formula gets a leading apostrophe."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]
