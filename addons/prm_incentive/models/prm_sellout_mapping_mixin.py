from odoo import api, fields, models

# Values a file column can feed: (code, field of prm.sellout.line, required).
SELLOUT_FIELDS = [
    ("product", "product_id", True),
    ("quantity", "quantity", True),
    ("date", "date", False),
    ("amount", "amount", False),
    ("currency", "currency_id", False),
    ("country", "country_id", False),
    ("customer", "customer_name", False),
]

# Column names guessed for each field when a partner has no mapping yet
# (compared lower-cased, without spaces, dashes nor underscores).
COLUMN_GUESSES = {
    "product": (
        "product",
        "productcode",
        "sku",
        "reference",
        "ref",
        "internalreference",
        "defaultcode",
        "itemcode",
        "item",
        "partnumber",
        "barcode",
        "ean",
        "gtin",
    ),
    "quantity": ("quantity", "qty", "units", "unitssold", "qtysold", "pieces"),
    "date": ("date", "saledate", "invoicedate", "selloutdate", "day"),
    "amount": (
        "amount",
        "revenue",
        "sales",
        "salesamount",
        "netamount",
        "value",
        "total",
        "turnover",
    ),
    "currency": ("currency", "currencycode", "cur", "ccy"),
    "country": ("country", "countrycode", "customercountry", "shiptocountry"),
    "customer": ("customer", "customername", "endcustomer", "client", "account"),
}


class PrmSelloutMappingMixin(models.AbstractModel):
    """How sell-out files read: which column holds which value, and how dates
    and numbers are written. Shared by the mapping remembered per partner and
    the upload wizard, and read by ``prm.sellout.importer``."""

    _name = "prm.sellout.mapping.mixin"
    _inherit = ["prm.finite.mixin"]
    _description = "Sell-out File Format"

    column_product = fields.Char(
        string="Product column",
        default="product",
        help="Column holding the product's internal reference or barcode.",
    )
    column_quantity = fields.Char(string="Quantity column", default="quantity")
    column_date = fields.Char(
        string="Date column",
        help="Leave empty when the files have no date: every line is dated on the "
        "last day of the report period.",
    )
    column_amount = fields.Char(
        string="Amount column",
        help="Amount sold to the end customer. Leave empty when the partner "
        "reports quantities only.",
    )
    column_currency = fields.Char(
        string="Currency column",
        help="ISO code of the amount's currency. Leave empty when every amount is in "
        "the report's currency.",
    )
    column_country = fields.Char(
        string="Country column", help="End customer's country (ISO code or name)."
    )
    column_customer = fields.Char(string="End customer column")
    date_format = fields.Selection(
        [
            ("%Y-%m-%d", "2025-01-31"),
            ("%d/%m/%Y", "31/01/2025"),
            ("%m/%d/%Y", "01/31/2025"),
            ("%d.%m.%Y", "31.01.2025"),
            ("%d-%m-%Y", "31-01-2025"),
            ("%Y%m%d", "20250131"),
        ],
        required=True,
        default="%Y-%m-%d",
    )
    decimal_separator = fields.Selection(
        [(".", "Dot (1234.56)"), (",", "Comma (1234,56)")],
        required=True,
        default=".",
    )
    thousands_separator = fields.Selection(
        [
            ("none", "None"),
            (",", "Comma (1,234)"),
            (".", "Dot (1.234)"),
            ("space", "Space (1 234)"),
            ("'", "Apostrophe (1'234)"),
        ],
        required=True,
        default="none",
    )
    csv_delimiter = fields.Selection(
        [
            ("auto", "Detect"),
            (",", "Comma"),
            (";", "Semicolon"),
            ("tab", "Tab"),
            ("|", "Pipe"),
        ],
        string="CSV delimiter",
        required=True,
        default="auto",
    )
    encoding = fields.Selection(
        [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1")],
        string="CSV encoding",
        required=True,
        default="utf-8-sig",
    )
    skip_rows = fields.Integer(
        string="Rows before the header",
        default=0,
        help="Title rows above the column names, skipped.",
    )
    sheet_name = fields.Char(
        string="Sheet", help="Spreadsheet tab to read (XLSX); the first one if empty."
    )

    # --- Business ---

    @api.model
    def _mapping_fields(self):
        """``{sell-out field: mapping field}`` (hook: a module adding a column adds
        a ``column_<code>`` field and its code to ``SELLOUT_FIELDS``)."""
        return {code: f"column_{code}" for code, _label, _required in SELLOUT_FIELDS}

    def _get_columns(self):
        """``{sell-out field: column name}`` of the mapped columns."""
        self.ensure_one()
        return {
            code: (self[fname] or "").strip()
            for code, fname in self._mapping_fields().items()
            if (self[fname] or "").strip()
        }

    @api.model
    def _guess_columns(self, headers):
        """``{mapping field: column}`` guessed from a file's column names."""

        def norm(name):
            return "".join(ch for ch in str(name).lower() if ch.isalnum())

        by_norm = {}
        for header in headers:
            by_norm.setdefault(norm(header), header)
        result = {}
        for code, fname in self._mapping_fields().items():
            for guess in COLUMN_GUESSES.get(code, ()):
                if guess in by_norm:
                    result[fname] = by_norm[guess]
                    break
        return result

    @api.model
    def _mapping_values_fields(self):
        """Mapping fields the upload wizard edits and saves."""
        return [
            *self._mapping_fields().values(),
            "date_format",
            "decimal_separator",
            "thousands_separator",
            "csv_delimiter",
            "encoding",
            "skip_rows",
            "sheet_name",
        ]

    def _mapping_values(self):
        """The format as values to write on another mapping or wizard."""
        self.ensure_one()
        return {fname: self[fname] for fname in self._mapping_values_fields()}
