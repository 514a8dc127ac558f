from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationSecurity(PrmApplicationCommon):
    """Channel managers read all and edit their own, administrators edit
    everything, portal and public users see nothing and apply only through
    ``_prm_portal_submit``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._territory(cls.user_channel_manager, countries=cls.es)
        cls._territory(cls.user_other_manager, countries=cls.pt)
        cls._criterion("website")
        cls.app_mine = cls.Application._prm_intake(cls._row_cls("Mine SL"))
        cls.app_other = cls.Application._prm_intake(
            cls._row_cls("Other Lda", country="PT")
        )
        cls.user_public = cls.env.ref("base.public_user")

    @classmethod
    def _row_cls(cls, name, **vals):
        return {
            "name": name,
            "email": f"a@{name[:4].lower()}.example.com",
            "country": "ES",
            **vals,
        }

    def test_channel_manager(self):
        self.assertEqual(self.app_mine.user_id, self.user_channel_manager)
        Application = self.Application.with_user(self.user_channel_manager)
        self.assertEqual(
            Application.search([("id", "in", (self.app_mine | self.app_other).ids)]),
            self.app_mine | self.app_other,
            "Reads every application",
        )
        self.app_mine.with_user(self.user_channel_manager).write({"headcount": 7})
        with self.assertRaises(AccessError):
            self.app_other.with_user(self.user_channel_manager).write({"headcount": 7})
        with self.assertRaises(AccessError):
            self.app_other.with_user(self.user_channel_manager).action_accept()
        with self.assertRaises(AccessError):
            self.app_other.with_user(self.user_channel_manager)._prm_reject(
                self.reason_territory
            )
        with self.assertRaises(AccessError):
            self.app_mine.with_user(self.user_channel_manager).unlink()
        # Configuration is read-only for channel managers.
        self.env["prm.application.criterion"].with_user(
            self.user_channel_manager
        ).search([])
        with self.assertRaises(AccessError):
            self.env["prm.application.criterion"].with_user(
                self.user_channel_manager
            ).create({"name": "X", "kind": "website"})
        with self.assertRaises(AccessError):
            self.env["prm.territory.assignment"].with_user(
                self.user_channel_manager
            ).create(
                {"user_id": self.user_channel_manager.id, "country_ids": self.es.ids}
            )
        # Check results are derived data nobody edits.
        with self.assertRaises(AccessError):
            self.app_mine.check_ids.with_user(self.user_channel_manager).write(
                {"passed": True}
            )

    def test_administrator(self):
        admin_apps = (self.app_mine | self.app_other).with_user(self.user_prm_admin)
        admin_apps.write({"headcount": 3})
        admin_apps[1]._prm_reject(self.reason_territory, send_email=False)
        self.env["prm.application.criterion"].with_user(self.user_prm_admin).create(
            {"name": "Site", "kind": "website"}
        )
        self.env["prm.territory.assignment"].with_user(self.user_prm_admin).create(
            {"user_id": self.user_prm_admin.id, "country_ids": self.de.ids}
        )
        self.env["prm.application.reject.reason"].with_user(self.user_prm_admin).create(
            {"name": "Competitor"}
        )

    def test_other_company(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Inc"})
        user = new_test_user(
            self.env,
            login="prm_elsewhere",
            groups="prm_partner.group_prm_manager",
            company_id=other_company.id,
            company_ids=other_company.ids,
        )
        self.assertFalse(
            self.Application.with_user(user).search([("id", "=", self.app_mine.id)])
        )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_portal_and_public_see_nothing(self):
        for user in (self.user_portal_a, self.user_public):
            with self.assertRaises(AccessError):
                self.Application.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.app_mine.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.Application.with_user(user).create({"name": "Sneaky"})
            with self.assertRaises(AccessError):
                self.Application.with_user(user)._prm_intake({"name": "Sneaky"})

    def test_public_web_form_submit(self):
        count = self.Application.search_count([])
        # The website runs the form in its company.
        Application = self.Application.with_user(self.user_public).with_company(
            self.env.company
        )
        application_sudo = Application._prm_portal_submit(
            {
                "name": "Web Visitor SL",
                "contact_name": "Vera Visitor",
                "email": "vera@webvisitor.example.com",
                "country": "ES",
                "partner_type": "reseller",
                "declared_revenue": "120000",
                "headcount": "4",
                "served_countries": ["ES", "PT"],
                # Not on the form: dropped.
                "user_id": self.user_other_manager.id,
                "state": "accepted",
                "partner_id": self.partner_a.id,
                "score": 100,
            }
        )
        self.assertEqual(self.Application.search_count([]), count + 1)
        self.assertEqual(application_sudo.source, "web")
        self.assertEqual(application_sudo.state, "new")
        self.assertFalse(application_sudo.partner_id)
        self.assertEqual(application_sudo.user_id, self.user_channel_manager)
        self.assertEqual(application_sudo.declared_revenue, 120000)
        self.assertEqual(application_sudo.country_ids, self.es | self.pt)
        self.assertTrue(application_sudo.activity_ids)
        # The visitor still cannot read what they submitted.
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_model"),
        ):
            application_sudo.with_user(self.user_public).read(["name"])

    def test_public_web_form_validation(self):
        Application = self.Application.with_user(self.user_public)
        count = self.Application.search_count([])
        with self.assertRaisesRegex(
            ValidationError, "Please fill in: Contact name, Email"
        ):
            Application._prm_portal_submit({"name": "Half Filled"})
        with self.assertRaisesRegex(ValidationError, "not a valid email"):
            Application._prm_portal_submit(
                {
                    "name": "Bad Mail",
                    "contact_name": "B",
                    "email": "nope@",
                    "country": "ES",
                }
            )
        self.assertEqual(self.Application.search_count([]), count)
