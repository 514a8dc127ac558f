from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import PrmPortalCommon


@tagged("post_install", "-at_install")
class TestTeam(PrmPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague_a = cls.env["res.partner"].create(
            {
                "name": "Alan Alpha",
                "parent_id": cls.partner_a.id,
                "email": "alan@alpha.test",
                "prm_role_ids": [Command.set(cls.role_sales.ids)],
            }
        )
        cls.user_colleague_a = new_test_user(
            cls.env,
            login="prm_portal_alan",
            groups="base.group_portal",
            partner_id=cls.colleague_a.id,
        )

    def _invite(self, **extra):
        data = {
            "name": "Nina New",
            "email": "nina@alpha.test",
            "role_ids": str(self.role_finance.id),
            **extra,
        }
        return self._post("/my/team/invite", data, csrf_from="/my/team")

    def _user(self, login):
        return (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", login)])
        )

    def test_page(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/team")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"o_prm_member_{self.colleague_a.id}", response.text)
        self.assertNotIn(f"o_prm_member_{self.contact_b.id}", response.text)

    def test_invite_creates_portal_user_of_same_partner(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._invite()
        self.assertEqual(response.status_code, 303)
        user = self._user("nina@alpha.test")
        self.assertTrue(user.active)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.parent_id, self.partner_a)
        self.assertEqual(user.partner_id.prm_role_ids, self.role_finance)
        self.assertEqual(user.partner_id.signup_type, "signup")

    def test_invite_mass_assignment(self):
        """Extra fields posted with an invitation change nothing."""
        self.authenticate("prm_portal_a", "prm_portal_a")
        internal = self.env.ref("base.group_user")
        settings = self.env.ref("base.group_system")
        other_company = self.env["res.company"].create({"name": "Elsewhere Inc"})
        response = self._invite(
            **{
                "group_ids": str(settings.id),
                "groups_id": str(internal.id),
                "share": "0",
                "parent_id": str(self.partner_b.id),
                "commercial_partner_id": str(self.partner_b.id),
                "partner_id": str(self.partner_b.id),
                "company_id": str(other_company.id),
                "company_ids": str(other_company.id),
                "login": "admin2",
                "prm_tier_id": str(self.tier_gold.id),
                f"in_group_{internal.id}": "1",
            }
        )
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self._user("admin2"))
        user = self._user("nina@alpha.test")
        self.assertTrue(user._is_portal())
        self.assertFalse(user.has_group("base.group_user"))
        self.assertFalse(user.has_group("base.group_system"))
        self.assertNotIn(other_company, user.company_ids)
        self.assertEqual(user.partner_id.commercial_partner_id, self.partner_a)
        self.assertEqual(self.partner_a.prm_tier_id, self.tier_registered)
        # A role id that does not exist is dropped.
        self.authenticate("prm_portal_a", "prm_portal_a")
        self._invite(name="Zed", email="zed@alpha.test", role_ids="999999")
        self.assertFalse(self._user("zed@alpha.test").partner_id.prm_role_ids)

    def test_invite_bad_input(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._invite(email="not an email")
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid email", response.text)
        # An email that already has a user.
        response = self._invite(email="prm_portal_b")
        self.assertEqual(response.status_code, 400)
        response = self._invite(name="x" * 500)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._user("nina@alpha.test"))

    def test_set_roles_and_deactivate(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            f"/my/team/{self.colleague_a.id}/roles",
            {
                "role_ids": str(self.role_finance.id),
                "prm_tier_id": str(self.tier_gold.id),
            },
            csrf_from="/my/team",
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.colleague_a.prm_role_ids, self.role_finance)
        response = self._post(
            f"/my/team/{self.colleague_a.id}/access",
            {"active": "0"},
            csrf_from="/my/team",
        )
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.user_colleague_a.active)
        response = self._post(
            f"/my/team/{self.colleague_a.id}/access",
            {"active": "1"},
            csrf_from="/my/team",
        )
        self.assertTrue(self.user_colleague_a.active)
        self.assertTrue(self.user_colleague_a._is_portal())

    def test_not_on_my_team_404(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        for url in (
            f"/my/team/{self.contact_b.id}/roles",
            f"/my/team/{self.contact_b.id}/access",
            f"/my/team/{self.outsider_contact.id}/access",
        ):
            response = self._post(
                url,
                {"role_ids": str(self.role_admin.id), "active": "0"},
                csrf_from="/my/team",
            )
            self.assertEqual(response.status_code, 404, url)
        self.assertEqual(self.contact_b.prm_role_ids, self.role_admin)
        self.assertTrue(self.user_portal_b.active)

    def test_own_access_and_roles_kept(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            f"/my/team/{self.contact_a.id}/access",
            {"active": "0"},
            csrf_from="/my/team",
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(self.user_portal_a.active)
        response = self._post(
            f"/my/team/{self.contact_a.id}/roles", {}, csrf_from="/my/team"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.contact_a.prm_role_ids, self.role_admin)

    def test_employee_colleague_untouched(self):
        employee = new_test_user(
            self.env, login="prm_alpha_employee", groups="base.group_user"
        )
        employee.partner_id.parent_id = self.partner_a
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self._post(
            f"/my/team/{employee.partner_id.id}/access",
            {"active": "0"},
            csrf_from="/my/team",
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(employee.active)

    def test_only_admins(self):
        self.authenticate("prm_portal_alan", "prm_portal_alan")
        self.assertEqual(self.url_open("/my/team").status_code, 404)
        # A POST with a valid token of the user's session, to a page it may not use.
        token = self._csrf("/my/home")
        response = self.url_open(
            "/my/team/invite",
            data={"csrf_token": token, "name": "Sneaky", "email": "sneaky@alpha.test"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._user("sneaky@alpha.test"))
        self.assertLoginRedirect("/my/team")

    @mute_logger("odoo.http")
    def test_csrf(self):
        self.authenticate("prm_portal_a", "prm_portal_a")
        for token in (None, "bad-token"):
            data = {"name": "Nina New", "email": "nina@alpha.test"}
            if token:
                data["csrf_token"] = token
            response = self.url_open(
                "/my/team/invite", data=data, allow_redirects=False
            )
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._user("nina@alpha.test"))

    def test_query_count_5_vs_80(self):
        Partner = self.env["res.partner"]
        self.colleague_a.prm_role_ids = [Command.clear()]
        self.user_colleague_a.unlink()
        Partner.create(
            [
                {
                    "name": f"Member {i:03}",
                    "parent_id": self.partner_a.id,
                    "prm_role_ids": [Command.set(self.role_sales.ids)],
                }
                for i in range(4)
            ]
        )
        self.authenticate("prm_portal_a", "prm_portal_a")
        few = self._read_statements("/my/team")
        Partner.create(
            [
                {
                    "name": f"Member {i:03}",
                    "parent_id": self.partner_a.id,
                    "prm_role_ids": [Command.set(self.role_sales.ids)],
                }
                for i in range(4, 79)
            ]
        )
        many = self._read_statements("/my/team")
        self.assertEqual(few, many)
        self.assertLessEqual(many, 25)
