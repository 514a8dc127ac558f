from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    prm_mdf_claim_id = fields.Many2one(
        "prm.mdf.claim",
        string="MDF claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    # A claim is reimbursed by one document; its reversal carries the claim too
    # (with ``reversed_entry_id``), so the index leaves reversals out.
    _prm_mdf_claim_once = models.UniqueIndex(
        "(prm_mdf_claim_id) WHERE prm_mdf_claim_id IS NOT NULL "
        "AND reversed_entry_id IS NULL",
        "This MDF claim is already reimbursed.",
    )
