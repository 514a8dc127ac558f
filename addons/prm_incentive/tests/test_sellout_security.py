import base64

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import PrmSelloutCommon

ROWS = [
    ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
    ["2025-02-05", "NOPE", "1", "10", "", "DE", ""],
]


@tagged("post_install", "-at_install")
class TestSelloutSecurity(PrmSelloutCommon):
    """Accountants manage sell-out and points, channel managers read, portal
    users read their own company's reports, rows and points only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_sellout_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.batch_a = cls._upload_as(cls.partner_a)
        cls.batch_b = cls._upload_as(cls.partner_b)
        Move = cls.env["prm.points.move"].sudo()
        cls.points_a = Move.create(
            {
                "kind": "earned",
                "partner_id": cls.partner_a.id,
                "points": 50,
                "name": "A",
            }
        )
        cls.points_b = Move.create(
            {
                "kind": "earned",
                "partner_id": cls.partner_b.id,
                "points": 70,
                "name": "B",
            }
        )

    @classmethod
    def _upload_as(cls, partner):
        wizard = cls.env["prm.sellout.upload.wizard"].create(
            {
                "partner_id": partner.id,
                "date_from": "2025-02-01",
                "date_to": "2025-02-28",
                "file": base64.b64encode(cls._csv(ROWS)),
                "file_name": "report.csv",
                "column_product": "SKU",
                "column_quantity": "Qty",
                "column_date": "Date",
                "column_amount": "Amount",
            }
        )
        return cls.env["prm.sellout.batch"].browse(wizard.action_import()["res_id"])

    def test_accountant_manages_sellout_and_points(self):
        user = self.user_accountant
        batch = self._upload(self._csv(ROWS), user=user)
        self.assertEqual(batch.create_uid, user)
        line = batch.line_ids.with_user(user).filtered("has_error")
        line.product_id = self.product_service
        batch.with_user(user).action_validate()
        self.assertEqual(batch.state, "validated")
        batch.with_user(user).action_cancel()
        mapping = (
            self.env["prm.sellout.mapping"]
            .with_user(user)
            .search([("partner_id", "=", self.distributor.id)])
        )
        mapping.date_format = "%d/%m/%Y"
        self.env["prm.points.move"].with_user(user).create(
            {
                "kind": "adjusted",
                "partner_id": self.partner_a.id,
                "points": 5,
                "name": "Goodwill",
            }
        )
        self.assertEqual(self.partner_a.with_user(user).prm_points_balance, 55.0)

    def test_channel_manager_reads_only(self):
        user = self.user_channel_manager
        Batch = self.env["prm.sellout.batch"].with_user(user)
        self.assertEqual(Batch.search([]), self.batch_a | self.batch_b)
        self.assertEqual(
            self.env["prm.sellout.line"].with_user(user).search_count([]), 4
        )
        self.assertTrue(self.env["prm.sellout.mapping"].with_user(user).search([]))
        self.assertEqual(
            self.env["prm.points.move"].with_user(user).search([]),
            self.points_a | self.points_b,
        )
        self.assertEqual(self.partner_a.with_user(user).prm_points_balance, 50.0)
        with self.assertRaises(AccessError):
            self.batch_a.with_user(user).action_validate()
        with self.assertRaises(AccessError):
            self.batch_a.with_user(user).action_cancel()
        with self.assertRaises(AccessError):
            self.batch_a.line_ids[:1].with_user(user).quantity = 3
        with self.assertRaises(AccessError):
            self._upload(self._csv(ROWS), user=user)
        with self.assertRaises(AccessError):
            self.env["prm.points.move"].with_user(user).create(
                {
                    "kind": "adjusted",
                    "partner_id": self.partner_a.id,
                    "points": 5,
                    "name": "x",
                }
            )
        with self.assertRaises(AccessError):
            self.partner_a.with_user(user)._prm_spend_points(10)

    def test_portal_reads_its_own_only(self):
        portal = self.user_portal_a
        Batch = self.env["prm.sellout.batch"].with_user(portal)
        self.assertEqual(Batch.search([]), self.batch_a)
        self.assertEqual(
            self.env["prm.sellout.line"].with_user(portal).search([]),
            self.batch_a.line_ids,
        )
        self.assertEqual(
            self.env["prm.points.move"].with_user(portal).search([]), self.points_a
        )
        with self.assertRaises(AccessError):
            self.batch_b.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.batch_b.line_ids.with_user(portal).read(["quantity"])
        with self.assertRaises(AccessError):
            self.points_b.with_user(portal).read(["points"])
        with self.assertRaises(AccessError):
            self.batch_a.with_user(portal).write({"note": "mine"})
        with self.assertRaises(AccessError):
            self.batch_a.line_ids[:1].with_user(portal).write({"quantity": 9})
        with self.assertRaises(AccessError):
            self.env["prm.sellout.mapping"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.env["prm.sellout.upload.wizard"].with_user(portal).create({})
        with self.assertRaises(AccessError):
            self.partner_a.with_user(portal)._prm_spend_points(10)
        # Portal user B sees B's only.
        self.assertEqual(
            self.env["prm.sellout.batch"].with_user(self.user_portal_b).search([]),
            self.batch_b,
        )

    def test_other_company_sees_nothing(self):
        other_company = self.env["res.company"].create({"name": "Other PRM Co"})
        user = new_test_user(
            self.env,
            login="prm_other_accountant",
            groups="account.group_account_user,prm_partner.group_prm_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(self.env["prm.sellout.batch"].with_user(user).search([]))
        self.assertFalse(self.env["prm.sellout.line"].with_user(user).search([]))
        self.assertFalse(self.env["prm.points.move"].with_user(user).search([]))
        self.assertFalse(self.env["prm.sellout.mapping"].with_user(user).search([]))
