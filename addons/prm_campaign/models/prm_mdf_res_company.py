from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    prm_mdf_period = fields.Selection(
        [("quarter", "Quarter"), ("year", "Year")],
        string="MDF period",
        default="quarter",
        required=True,
        help="Length of a market development fund budget period.",
    )
    prm_mdf_carry_over_percent = fields.Float(
        string="MDF carry-over (%)",
        default=0.0,
        help="Share of the unspent funds of a period carried over to the next "
        "period when the budget expires; the rest expires.",
    )
    prm_mdf_payout_method = fields.Selection(
        [("bill", "Vendor bill"), ("credit_note", "Credit note")],
        string="MDF reimbursement",
        default="bill",
        required=True,
        help="Reimburse approved claims by a vendor bill of the partner or by "
        "a credit note on its customer account.",
    )
    prm_mdf_journal_id = fields.Many2one(
        "account.journal",
        string="MDF journal",
        check_company=True,
        help="Journal of the reimbursement documents; the first purchase (bill) "
        "or sales (credit note) journal when empty.",
    )
    prm_mdf_account_id = fields.Many2one(
        "account.account",
        string="MDF expense account",
        check_company=True,
        help="Account of the reimbursement lines; the product's when empty.",
    )
    prm_mdf_product_id = fields.Many2one(
        "product.product",
        string="MDF product",
        check_company=True,
        help="Product of the reimbursement lines (its taxes apply).",
    )

    _prm_mdf_carry_over_range = models.Constraint(
        "CHECK(prm_mdf_carry_over_percent >= 0 AND prm_mdf_carry_over_percent <= 100)",
        "The MDF carry-over must be between 0 and 100 percent.",
    )
