"""Suite-wide security invariants, checked on every model the prm_* modules own.

Feature tests check each role on each flow; this suite guards the rules that
must hold for *every* model, including the ones added later:

- every model has access rights, and none is open to everybody (no group);
- public (anonymous) users can do nothing on any PRM model;
- every model with a company has a multi-company record rule;
- portal users only get read access where a portal record rule restricts it;
- the program groups exist with the expected implications.
"""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSecuritySuite(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        modules = cls.env["ir.module.module"].search(
            [("name", "=like", "prm\\_%"), ("state", "=", "installed")]
        )
        cls.prm_modules = set(modules.mapped("name"))
        data = cls.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("module", "in", list(cls.prm_modules))]
        )
        # Models the prm modules create, not the ones they extend (res.partner...).
        cls.models = (
            cls.env["ir.model"]
            .browse(data.mapped("res_id"))
            .filtered(
                lambda m: (
                    not cls.env[m.model]._abstract
                    and cls.env[m.model]._original_module in cls.prm_modules
                )
            )
        )
        cls.group_public = cls.env.ref("base.group_public")
        cls.group_portal = cls.env.ref("base.group_portal")
        cls.user_public = new_test_user(
            cls.env, login="prm_suite_public", groups="base.group_public"
        )

    def _acls(self, model):
        return self.env["ir.model.access"].search([("model_id", "=", model.id)])

    def test_suite_sees_the_modules(self):
        self.assertIn("prm_partner", self.prm_modules)
        self.assertGreaterEqual(
            len(self.models), 5, "the suite must inspect real models"
        )

    def test_every_model_has_access_rights_bound_to_groups(self):
        for model in self.models:
            acls = self._acls(model)
            self.assertTrue(acls, f"{model.model} has no access rights")
            self.assertFalse(
                acls.filtered(lambda a: not a.group_id),
                f"{model.model} grants access to everybody (ACL without group)",
            )

    def test_public_user_cannot_touch_prm_models(self):
        for model in self.models:
            public_acls = self._acls(model).filtered(
                lambda a: a.group_id == self.group_public
            )
            self.assertFalse(public_acls, f"public users have rights on {model.model}")
            records = self.env[model.model].with_user(self.user_public)
            with self.assertRaises(AccessError, msg=model.model):
                records.check_access("read")

    def test_company_models_have_multi_company_rules(self):
        Rule = self.env["ir.rule"]
        for model in self.models:
            Model = self.env[model.model]
            field = Model._fields.get("company_id")
            if model.transient or not field or not field.store:
                continue
            rules = Rule.search([("model_id", "=", model.id), ("global", "=", True)])
            self.assertTrue(
                any("company_ids" in (r.domain_force or "") for r in rules),
                f"{model.model} has a company but no multi-company rule",
            )

    def test_portal_read_is_always_restricted_by_a_rule(self):
        Rule = self.env["ir.rule"]
        for model in self.models:
            portal_acls = self._acls(model).filtered(
                lambda a: a.group_id == self.group_portal and a.perm_read
            )
            if not portal_acls or model.transient:
                continue
            rules = Rule.search(
                [("model_id", "=", model.id), ("groups", "in", self.group_portal.ids)]
            )
            self.assertTrue(
                rules.filtered("perm_read"),
                f"portal users can read every {model.model}: add a portal record rule",
            )
            self.assertFalse(
                portal_acls.filtered(lambda a: a.perm_unlink),
                f"portal users may delete {model.model}",
            )

    def test_program_groups(self):
        user_group = self.env.ref("prm_partner.group_prm_user")
        manager_group = self.env.ref("prm_partner.group_prm_manager")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertIn(self.env.ref("base.group_user"), user_group.all_implied_ids)
        self.assertEqual(user_group.privilege_id, manager_group.privilege_id)
