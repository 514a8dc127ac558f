"""Fixture of the market development funds: the sales program of
``PrmSaleCommon`` (its own company with a chart of accounts), an open budget
of 1,000 for partner A this quarter, and helpers for requests and claims."""

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.prm_sale.tests.common import PrmSaleCommon

# The smallest real files of their type (magic bytes decide, not names).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


class PrmMdfCommon(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.prm_mdf_period = "quarter"
        cls.Budget = cls.env["prm.mdf.budget"]
        cls.Request = cls.env["prm.mdf.request"]
        cls.Claim = cls.env["prm.mdf.claim"]
        cls.date_from = cls.today.replace(
            month=(cls.today.month - 1) // 3 * 3 + 1, day=1
        )
        cls.budget_a = cls._open_budget(cls.partner_a, 1000.0)
        cls.budget_b = cls._open_budget(cls.partner_b, 1000.0)
        cls.contact_a.prm_role_ids = [
            Command.set(cls.env.ref("prm_partner.role_finance").ids)
        ]
        cls.user_portal_a.password = "prm_portal_a"
        cls.user_accountant_manager = new_test_user(
            cls.env,
            login="prm_mdf_accountant",
            name="Mona Money",
            groups="prm_partner.group_prm_user,account.group_account_invoice",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )
        # The accountant manages partner A too (a channel manager who may
        # post): deciding needs the partner's channel manager or an admin.
        cls.partner_a.sudo().prm_manager_id = cls.user_accountant_manager

    @classmethod
    def _open_budget(cls, partner, amount, date_from=None):
        from dateutil.relativedelta import relativedelta

        start = date_from or cls.date_from
        budget = cls.env["prm.mdf.budget"].create(
            {
                "partner_id": partner.id,
                "date_from": start,
                "date_to": start + relativedelta(months=3, days=-1),
                "amount_manual": amount,
            }
        )
        budget.action_open()
        return budget

    @classmethod
    def _request(cls, amount, budget=None, submit=True, approve=False, **vals):
        budget = budget or cls.budget_a
        request = cls.env["prm.mdf.request"].create(
            {
                "title": "Roadshow",
                "partner_id": budget.partner_id.id,
                "budget_id": budget.id,
                "plan": "Two seminars",
                "date_start": budget.date_from,
                "date_end": budget.date_from,
                "amount_requested": amount,
                **vals,
            }
        )
        if submit or approve:
            request.action_submit()
        if approve:
            request.action_approve()
        return request

    @classmethod
    def _claim(cls, request, amount, proof=True, submit=True):
        claim = cls.env["prm.mdf.claim"].create(
            {"request_id": request.id, "amount": amount, "description": "Done"}
        )
        if proof:
            attachment = cls.env["ir.attachment"].create(
                {
                    "name": "proof.pdf",
                    "raw": PDF,
                    "res_model": claim._name,
                    "res_id": claim.id,
                }
            )
            claim.attachment_ids = [Command.link(attachment.id)]
        if submit:
            claim.action_submit()
        return claim
