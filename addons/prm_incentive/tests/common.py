"""Fixtures of the incentive tests: programs on the isolated accounting company of
``PrmSaleCommon``, invoices with several lines, period close helpers.

Dates are in 2025 and tests that close periods freeze the clock after them.
"""

import base64
import io
from contextlib import contextmanager

import openpyxl
import pandas as pd

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.prm_sale.tests.common import PrmSaleCommon


class PrmIncentiveCommon(PrmSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # The fixture's user approves and posts its own settlements; the tests
        # of segregation of duties (on by default) switch it back on.
        company.prm_settlement_segregation = False
        cls.user_accountant = new_test_user(
            cls.env,
            login="prm_accountant",
            name="Arthur Accountant",
            groups="account.group_account_user,account.group_account_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        # Segregation of duties: a second accountant posts what the first
        # approved.
        cls.user_accountant_2 = new_test_user(
            cls.env,
            login="prm_accountant_2",
            name="Bella Bookkeeper",
            groups="account.group_account_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.product_payout = cls._create_product(
            name="Partner incentive",
            type="service",
            taxes_id=[Command.clear()],
            supplier_taxes_id=[Command.clear()],
        )
        cls.categ_hardware = cls.env["product.category"].create({"name": "Hardware"})
        cls.categ_servers = cls.env["product.category"].create(
            {"name": "Servers", "parent_id": cls.categ_hardware.id}
        )
        cls.categ_services = cls.env["product.category"].create({"name": "Services"})
        cls.product_server = cls._create_product(
            name="Rack server",
            lst_price=1000.0,
            standard_price=600.0,
            categ_id=cls.categ_servers.id,
            taxes_id=[Command.clear()],
        )
        cls.product_service = cls._create_product(
            name="Installation",
            lst_price=100.0,
            standard_price=0.0,
            categ_id=cls.categ_services.id,
            taxes_id=[Command.clear()],
        )
        cls.partner_referrer = cls._create_program_partner(
            "Gamma Referrals", prm_partner_type_id=cls.type_referral.id
        )
        cls.journal_purchase = cls.company_data["default_journal_purchase"]
        cls.journal_sale = cls.company_data["default_journal_sale"]
        cls.journal_misc = cls.company_data["default_journal_misc"]

    @contextmanager
    def assertRaisesMsg(self, exception, pattern):
        """``assertRaisesRegex`` inside a savepoint (Odoo only wraps
        ``assertRaises``), so that a test can check nothing was half-written."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), pattern)

    # --- Builders ---

    @classmethod
    def _create_program(cls, rules=None, **vals):
        """A program of the test company; ``rules`` are value dicts over a 5%
        revenue rule paying resale and deal."""
        values = {
            "name": "Test program",
            "kind": "commission",
            "period": "quarterly",
            "date_start": "2025-01-01",
            "basis": "invoiced",
            "payout_method": "bill",
            "journal_id": cls.journal_purchase.id,
            "product_id": cls.product_payout.id,
            "company_id": cls.env.company.id,
        }
        values.update(vals)
        if values["kind"] == "points":
            rules = [
                {"rate_type": "points", "points_rate": 1.0, **rule}
                for rule in (rules or [{}])
            ]
        values["rule_ids"] = [
            Command.create(
                {
                    "name": f"Rule {index}",
                    "base": "revenue",
                    "rate_type": "percent",
                    "rate": 5.0,
                    **rule,
                }
            )
            for index, rule in enumerate(rules or [{}], 1)
        ]
        return cls.env["prm.incentive.program"].create(values)

    @classmethod
    def _invoice(
        cls,
        customer,
        lines,
        date="2025-02-10",
        channel_partner=None,
        refund=False,
        currency=None,
        post=True,
        company=None,
    ):
        """Customer invoice (or credit note) of ``lines`` = [(product, qty, price)]."""
        vals = {
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": customer.id,
            "invoice_date": date,
            "prm_partner_id": channel_partner.id if channel_partner else False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": qty,
                        "price_unit": price,
                        "tax_ids": [Command.clear()],
                    }
                )
                for product, qty, price in lines
            ],
        }
        if currency:
            vals["currency_id"] = currency.id
        if company:
            vals["company_id"] = company.id
        move = cls.env["account.move"].create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def _sell(cls, amount, customer=None, date="2025-02-10", **kwargs):
        """One-line invoice of ``amount`` of the PRM widget."""
        return cls._invoice(
            customer or cls.partner_a,
            [(cls.product_prm, 1, amount)],
            date=date,
            **kwargs,
        )

    def _reverse(self, invoice, date=None):
        """Full credit note reversing ``invoice`` (reconciled with it)."""
        return invoice._reverse_moves(
            [
                {
                    "invoice_date": date or invoice.invoice_date,
                    "date": date or invoice.date,
                }
            ],
            cancel=True,
        )

    # --- Readers ---

    def _accruals(self, program, **domain):
        return self.env["prm.incentive.line"].search(
            [("program_id", "=", program.id)]
            + [(key, "=", value) for key, value in domain.items()],
            order="id",
        )

    def _amount(self, program, partner=None, **domain):
        if partner:
            domain["partner_id"] = partner.id
        return round(sum(self._accruals(program, **domain).mapped("amount")), 6)

    def _close(self, programs, day):
        return self.env["prm.settlement"]._close_period(
            programs, fields.Date.to_date(day)
        )

    def _settle_and_post(self, programs, day):
        settlements = self._close(programs, day)
        settlements.action_approve()
        settlements.action_post()
        return settlements


class PrmSelloutCommon(PrmIncentiveCommon):
    """Sell-out fixtures: products with internal references and barcodes, a
    distributor, files built with pandas (CSV) and openpyxl (XLSX)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_server.write(
            {"default_code": "SRV-100", "barcode": "4006381333931"}
        )
        cls.product_service.default_code = "SVC-INST"
        cls.product_prm.default_code = "PRM-W"
        cls.currency_eur = cls.setup_other_currency("EUR", rates=[("2025-01-01", 0.8)])
        cls.country_de = cls.env.ref("base.de")
        cls.country_fr = cls.env.ref("base.fr")
        cls.distributor = cls._create_program_partner(
            "Delta Distribution",
            prm_partner_type_id=cls.env.ref("prm_partner.partner_type_distributor").id,
        )

    # --- Files ---

    HEADER = ["Date", "SKU", "Qty", "Amount", "Currency", "Country", "Customer"]

    @classmethod
    def _frame(cls, rows, header=None):
        return pd.DataFrame(rows, columns=header or cls.HEADER)

    @classmethod
    def _csv(cls, rows, header=None, sep=","):
        return cls._frame(rows, header).to_csv(index=False, sep=sep).encode()

    @classmethod
    def _xlsx(cls, rows, header=None):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header or cls.HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    # --- Upload ---

    def _upload(
        self,
        content,
        file_name="sellout.csv",
        partner=None,
        date_from="2025-02-01",
        date_to="2025-02-28",
        batch=None,
        user=None,
        **mapping,
    ):
        """Upload a file through the wizard; returns the report."""
        Wizard = self.env["prm.sellout.upload.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        values = {
            "partner_id": (partner or self.distributor).id,
            "date_from": date_from,
            "date_to": date_to,
            "file": base64.b64encode(content),
            "file_name": file_name,
            "batch_id": batch.id if batch else False,
            "column_product": "SKU",
            "column_quantity": "Qty",
            "column_date": "Date",
            "column_amount": "Amount",
            "column_currency": "Currency",
            "column_country": "Country",
            "column_customer": "Customer",
        }
        values.update(mapping)
        action = Wizard.create(values).action_import()
        return self.env["prm.sellout.batch"].browse(action["res_id"])

    def _sellout_program(self, rules=None, **vals):
        """A program paying on sell-out: 5% of the sell-out amount by default."""
        return self._create_program(
            [{"base": "sellout_amount", **rule} for rule in (rules or [{}])], **vals
        )
