from collections import defaultdict

from odoo import _lt, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import MAX_AMOUNT, check_number

from .prm_sellout_importer import MAX_CELL_CHARS

# Fields holding what the file said: never changed once imported.
RAW_FIELDS = {
    "row_number",
    "raw_date",
    "raw_product",
    "raw_quantity",
    "raw_amount",
    "raw_currency",
    "raw_country",
}
# Fields a user may correct on a draft report's row.
FIXABLE_FIELDS = {
    "date",
    "product_id",
    "quantity",
    "amount",
    "currency_id",
    "country_id",
    "customer_name",
}


class PrmSelloutLine(models.Model):
    """One row of a sell-out report: the raw text of each mapped cell, the
    values read from it and, when a value cannot be read, the error.

    Rows are written in bulk by ``prm.sellout.importer`` (tens of thousands at
    once); fixing a row by hand re-checks it with the same messages
    (``_prm_check_rows``).
    """

    _name = "prm.sellout.line"
    _description = "Sell-out Report Line"
    _inherit = ["prm.guarded.mixin"]
    _order = "batch_id, row_number, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        "prm.sellout.batch",
        string="Sell-out report",
        required=True,
        index=True,
        ondelete="cascade",
    )
    batch_state = fields.Selection(related="batch_id.state", string="Report status")
    partner_id = fields.Many2one(
        related="batch_id.partner_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    row_number = fields.Integer(
        string="Row", readonly=True, help="Row of the file (1 is the first data row)."
    )
    date = fields.Date(index=True)
    raw_date = fields.Char(string="Date as uploaded", readonly=True)
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    raw_product = fields.Char(
        string="Product code as uploaded",
        readonly=True,
        help="Internal reference or barcode as written in the file.",
    )
    quantity = fields.Float(digits=(16, 4))
    raw_quantity = fields.Char(string="Quantity as uploaded", readonly=True)
    quantity_invalid = fields.Boolean(
        readonly=True, help="The quantity as uploaded is missing or not a number."
    )
    currency_id = fields.Many2one("res.currency")
    amount = fields.Monetary(currency_field="currency_id")
    raw_amount = fields.Char(string="Amount as uploaded", readonly=True)
    amount_invalid = fields.Boolean(
        readonly=True, help="The amount as uploaded is missing or not a number."
    )
    raw_currency = fields.Char(string="Currency as uploaded", readonly=True)
    amount_company = fields.Monetary(
        string="Amount (company currency)",
        currency_field="company_currency_id",
        readonly=True,
        help="Amount converted at the rate of the line's date.",
    )
    country_id = fields.Many2one("res.country", string="End-customer country")
    raw_country = fields.Char(string="Country as uploaded", readonly=True)
    customer_name = fields.Char(string="End customer")
    error_message = fields.Text(string="Error", readonly=True)
    has_error = fields.Boolean(
        compute="_compute_has_error", store=True, index=True, string="With errors"
    )

    # --- Compute ---

    @api.depends("error_message")
    def _compute_has_error(self):
        for line in self:
            line.has_error = bool(line.error_message)

    # --- CRUD ---

    def _prm_guarded_fields(self):
        """A row's error is what the checks find: a row cleared by hand would
        let a report with unreadable rows be validated."""
        check = _lt("Check rows again, or correct the values")
        return {
            **super()._prm_guarded_fields(),
            **dict.fromkeys(
                (
                    "error_message",
                    "has_error",
                    "amount_company",
                    "quantity_invalid",
                    "amount_invalid",
                ),
                Guard(check),
            ),
        }

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_batch_draft()
        lines._prm_check_rows()
        return lines

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        self._check_batch_draft()
        self._check_fix_values(vals)
        if RAW_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The values as uploaded are kept as the record of the file; "
                    "correct the values read from them instead."
                )
            )
        res = super().write(vals)
        # A corrected number replaces the one that could not be read.
        flags = {
            f"{fname}_invalid": False
            for fname in ("quantity", "amount")
            if fname in vals
        }
        if flags:
            # Superuser: the flags are the checks' (guarded), see above.
            super(PrmSelloutLine, self.sudo()).write(flags)  # pylint: disable=super-method-mismatch
        if FIXABLE_FIELDS & set(vals):
            self._prm_check_rows()
        return res

    def _check_fix_values(self, vals):
        """A corrected value is as bounded as a value read from the file."""
        for fname in ("quantity", "amount"):
            if fname in vals:
                check_number(
                    self.env,
                    vals[fname],
                    self._fields[fname]._description_string(self.env),
                )
        text = vals.get("customer_name")
        if isinstance(text, str) and ("\x00" in text or len(text) > MAX_CELL_CHARS):
            raise ValidationError(
                self.env._(
                    "The end customer holds a NUL character or more than %(limit)s "
                    "characters.",
                    limit=MAX_CELL_CHARS,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        self._check_batch_draft()

    def _check_batch_draft(self):
        locked = self.batch_id.filtered(lambda b: b.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Sell-out report %(report)s is %(state)s: its rows can no longer "
                    "change.",
                    report=locked[0].display_name,
                    state=locked[0]._state_label(),
                )
            )

    # --- Business ---

    def _prm_check_rows(self, rematch=False):
        """Check rows again after a correction: the error becomes what is still
        wrong with the current values, in the importer's words, and the amount
        in company currency follows.

        With ``rematch``, the product codes, currencies and countries as
        uploaded that matched nothing are looked up again first (a product
        created or a currency activated since the upload).
        """
        if not self:
            return
        Importer = self.env["prm.sellout.importer"]
        if rematch:
            self._prm_rematch()
        messages = Importer._error_templates()
        ambiguous = set()
        for company in self.company_id:
            codes = {
                line.raw_product
                for line in self
                if line.company_id == company
                and not line.product_id
                and line.raw_product
            }
            if codes:
                ambiguous |= Importer._match_products(codes, company)[1]
        for line in self:
            batch = line.batch_id
            errors = []
            if not line.product_id:
                if not line.raw_product:
                    errors.append(messages["product_missing"])
                elif line.raw_product in ambiguous:
                    errors.append(
                        messages["product_ambiguous"] % {"value": line.raw_product}
                    )
                else:
                    errors.append(
                        messages["product_unknown"] % {"value": line.raw_product}
                    )
            if not line.date:
                errors.append(
                    messages["date_bad"]
                    % {
                        "value": line.raw_date,
                        "example": Importer._date_example(batch.mapping_id.date_format),
                    }
                    if line.raw_date
                    else messages["date_missing"]
                )
            elif not batch.date_from <= line.date <= batch.date_to:
                errors.append(
                    messages["date_period"]
                    % {
                        "value": line.date.isoformat(),
                        "start": batch.date_from.isoformat(),
                        "end": batch.date_to.isoformat(),
                    }
                )
            if line.quantity_invalid:
                errors.append(
                    messages["quantity_bad"] % {"value": line.raw_quantity}
                    if line.raw_quantity
                    else messages["quantity_missing"]
                )
            elif line.quantity < 0:
                errors.append(
                    messages["quantity_negative"] % {"value": f"{line.quantity:g}"}
                )
            elif abs(line.quantity) >= MAX_AMOUNT:
                errors.append(
                    messages["quantity_large"]
                    % {"value": f"{line.quantity:g}", "limit": f"{MAX_AMOUNT:g}"}
                )
            if line.amount_invalid:
                errors.append(
                    messages["amount_bad"] % {"value": line.raw_amount}
                    if line.raw_amount
                    else messages["amount_missing"]
                )
            elif line.amount < 0:
                errors.append(
                    messages["amount_negative"] % {"value": f"{line.amount:g}"}
                )
            elif abs(line.amount) >= MAX_AMOUNT:
                errors.append(
                    messages["amount_large"]
                    % {"value": f"{line.amount:g}", "limit": f"{MAX_AMOUNT:g}"}
                )
            if not line.currency_id:
                errors.append(
                    messages["currency_unknown"] % {"value": line.raw_currency}
                    if line.raw_currency
                    else messages["currency_missing"]
                )
            elif not line.currency_id.active:
                errors.append(
                    messages["currency_inactive"] % {"value": line.currency_id.name}
                )
            if line.raw_country and not line.country_id:
                errors.append(messages["country_unknown"] % {"value": line.raw_country})
            values = {"error_message": "; ".join(errors) or False}
            if line.currency_id and line.date:
                values["amount_company"] = line.currency_id._convert(
                    line.amount,
                    batch.company_id.currency_id,
                    batch.company_id,
                    line.date,
                )
            # Skip write()'s guards: the check owns these fields.
            super(PrmSelloutLine, line.sudo()).write(values)  # pylint: disable=super-method-mismatch

    def _prm_rematch(self):
        """Look up again the raw values that matched nothing (batched)."""
        Importer = self.env["prm.sellout.importer"]
        by_company = defaultdict(self.browse)
        for line in self:
            by_company[line.company_id] |= line
        for company, lines in by_company.items():
            codes = {
                line.raw_product
                for line in lines
                if not line.product_id and line.raw_product
            }
            found = Importer._match_products(codes, company)[0] if codes else {}
            currencies = Importer._match_currencies(
                {
                    line.raw_currency
                    for line in lines
                    if not line.currency_id and line.raw_currency
                }
            )
            countries = Importer._match_countries(
                {
                    line.raw_country
                    for line in lines
                    if not line.country_id and line.raw_country
                }
            )
            for line in lines:
                values = {}
                if not line.product_id and found.get(line.raw_product):
                    values["product_id"] = found[line.raw_product]
                if not line.currency_id and line.raw_currency in currencies:
                    values["currency_id"] = currencies[line.raw_currency][0]
                if not line.country_id and countries.get(line.raw_country):
                    values["country_id"] = countries[line.raw_country]
                if values:
                    super(PrmSelloutLine, line).write(values)  # pylint: disable=super-method-mismatch
        return True
