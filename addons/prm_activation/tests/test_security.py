from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivationSecurity(PrmActivationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch, cls.codes = cls._batch(quantity=10)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 5)
        cls.batch._prm_assign_serials(cls.partner_b, 6, 10)
        cls._activate(cls.codes[:1])
        cls._activate(cls.codes[5:6], email="b@example.com")

    def test_channel_manager_reads_but_does_not_manage(self):
        batch = self.batch.with_user(self.user_channel_manager)
        self.assertEqual(batch.activated_count, 2)
        with self.assertRaises(AccessError):
            batch.action_generate()
        with self.assertRaises(AccessError):
            self.env["prm.activation.batch"].with_user(
                self.user_channel_manager
            ).create({"product_id": self.product_card.id, "quantity": 5})
        with self.assertRaises(AccessError):
            batch.code_ids[:1].read(["code_hash"])

    def test_portal_sees_only_its_partner(self):
        Range = self.env["prm.activation.range"].with_user(self.user_portal_a)
        self.assertEqual(Range.search([]).partner_id, self.partner_a)
        Activation = self.env["prm.activation"].with_user(self.user_portal_a)
        self.assertEqual(Activation.search([]).partner_id, self.partner_a)
        with self.assertRaises(AccessError):
            self.env["prm.activation.batch"].with_user(self.user_portal_a).search([])
        with self.assertRaises(AccessError):
            self.env["prm.activation.code"].with_user(self.user_portal_a).search([])

    def test_plain_codes_downloaded_once_by_an_administrator(self):
        self.assertTrue(self.batch.has_export)
        attachment = self.batch.sudo().export_attachment_id
        # Not even a reader of the batch reaches the file.
        with self.assertRaises(AccessError):
            attachment.with_user(self.user_channel_manager).read(["datas"])
        self.authenticate(
            self.user_channel_manager.login, self.user_channel_manager.login
        )
        self.assertEqual(
            self.url_open(f"/prm_activation/export/{self.batch.id}").status_code, 404
        )
        self.authenticate(self.user_prm_admin.login, self.user_prm_admin.login)
        response = self.url_open(f"/prm_activation/export/{self.batch.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.codes[0][:4], response.text)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertFalse(attachment.exists(), "The file is gone.")
        self.assertEqual(self.batch.state, "exported")
        self.assertEqual(self.batch.exported_by_id, self.user_prm_admin)
        # Never shown again, to anybody.
        self.assertEqual(
            self.url_open(f"/prm_activation/export/{self.batch.id}").status_code, 404
        )
        with self.assertRaisesRegex(UserError, "never shown again|cannot be shown"):
            self.batch.with_user(self.user_prm_admin).action_download_export()
        self.assertNotIn("code", self.env["prm.activation.code"]._fields)
        for record in (self.batch, *self.batch.code_ids):
            values = record.sudo().read()[0]
            self.assertFalse(
                any(self.codes[0] in str(value) for value in values.values())
            )
