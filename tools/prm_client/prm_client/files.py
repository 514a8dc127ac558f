"""Reading CSV/XLSX files into rows and writing reports and exports, with
pandas."""

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd

# Column names a file may use for the import keys (compared lower-case,
# spaces and dashes as underscores).
PARTNER_ALIASES = {
    "company": "name",
    "company_name": "name",
    "partner": "name",
    "external_reference": "ref",
    "external_ref": "ref",
    "reference": "ref",
    "vat_number": "vat",
    "tax_id": "vat",
    "e_mail": "email",
    "type": "partner_type",
    "channel_manager": "manager",
    "state": "country_state",
    "country_code": "country",
    "territory": "territories",
    "territory_countries": "territories",
    "program_status": "status",
}
APPLICATION_ALIASES = {
    "company": "name",
    "company_name": "name",
    "contact": "contact_name",
    "e_mail": "email",
    "vat_number": "vat",
    "type": "partner_type",
    "revenue": "declared_revenue",
    "employees": "headcount",
    "state": "country_state",
    "country_code": "country",
}
# Cells starting with these run as formulas in a spreadsheet: neutralised in
# everything this tool writes (a report carries the file's own cells back).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileError(Exception):
    """The file cannot be read."""


def _key(column, aliases):
    key = re.sub(r"[\s\-]+", "_", str(column).strip().lower())
    return aliases.get(key, key)


def read_rows(path, aliases=None):
    """Rows of a CSV or XLSX file as dicts of text cells (empty cells left
    out), each with ``_row``: its line in the file (the header is line 1)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path)
        elif suffix in (".csv", ".txt", ".tsv"):
            frame = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                sep=None,
                engine="python",
                encoding="utf-8-sig",
            )
        else:
            raise FileError(f"{path}: give a .csv or .xlsx file.")
    except FileError:
        raise
    except (OSError, ValueError, pd.errors.ParserError, ImportError) as error:
        raise FileError(f"{path}: {error}") from None
    columns = [_key(column, aliases or {}) for column in frame.columns]
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        row = {
            column: value.strip()
            for column, value in zip(columns, values, strict=True)
            if isinstance(value, str) and value.strip()
        }
        if row:
            row["_row"] = number
            rows.append(row)
    return rows


def _read_xlsx(path):
    """The first sheet as a DataFrame of text cells, through openpyxl's
    streaming reader (``pandas.read_excel`` refuses the openpyxl 3.0 that
    Odoo 19 pins)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        data = [
            ["" if cell is None else _text(cell) for cell in row[: len(header)]]
            for row in rows
        ]
    finally:
        workbook.close()
    width = len(header)
    data = [row + [""] * (width - len(row)) for row in data]
    return pd.DataFrame(data, columns=[str(c or "") for c in header], dtype=str)


def _text(cell):
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return (
            cell.isoformat()[:10] if not getattr(cell, "hour", 0) else cell.isoformat()
        )
    return str(cell)


def _write_xlsx(path, frame):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([None if _is_missing(v) else v for v in row])
    workbook.save(path)


def _is_missing(value):
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_table(path, records, columns):
    """``records`` (dicts) as CSV or XLSX by the file's extension."""
    path = Path(path)
    frame = pd.DataFrame(
        [[safe_cell(record.get(column)) for column in columns] for record in records],
        columns=columns,
        dtype=object,
    )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _write_xlsx(path, frame)
    else:
        frame.to_csv(path, index=False)
    return path


def write_report(path, results):
    """The per-row report: row, status, record id, message."""
    return write_table(
        path,
        [result.as_dict() for result in results],
        ["row", "status", "id", "message"],
    )


def to_csv_text(records, columns):
    buffer = io.StringIO()
    pd.DataFrame(records, columns=columns).to_csv(buffer, index=False)
    return buffer.getvalue()
