"""The menus a new user meets: the app is the *Partner Program*, daily work
sits apart from history and configuration, and names are in sentence case."""

from odoo.tests import TransactionCase, tagged

# Proper names keep their capitals.
PROPER_NAMES = {"Partner Program"}


@tagged("post_install", "-at_install")
class TestMenus(TransactionCase):
    def _menu(self, xmlid):
        return self.env.ref(xmlid).with_context(lang="en_US")

    def _children(self, xmlid):
        return self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.ui.menu"),
                ("res_id", "in", self._menu(xmlid).child_id.ids),
            ]
        )

    def test_daily_work_apart_from_history_and_configuration(self):
        self.assertEqual(
            self._menu("prm_partner.menu_prm_root").name, "Partner Program"
        )
        daily = {d.complete_name for d in self._children("prm_partner.menu_prm_daily")}
        self.assertEqual(
            daily,
            {
                "prm_partner.menu_prm_application",
                "prm_crm.menu_prm_deal_registration",
                "prm_crm.menu_prm_lead_offer",
            },
        )
        root = self._menu("prm_partner.menu_prm_root")
        self.assertEqual(
            root.child_id.sorted("sequence")[:1],
            self._menu("prm_partner.menu_prm_daily"),
        )
        history = {
            d.complete_name for d in self._children("prm_partner.menu_prm_history")
        }
        self.assertIn("prm_partner.menu_prm_tier_history", history)

    def test_menu_names_in_sentence_case(self):
        menus = self.env["ir.ui.menu"].browse(
            self.env["ir.model.data"]
            .search([("model", "=", "ir.ui.menu"), ("module", "=like", "prm\\_%")])
            .mapped("res_id")
        )
        title_case = [
            menu.name
            for menu in menus.with_context(lang="en_US")
            if menu.name not in PROPER_NAMES
            and any(word[:1].isupper() for word in menu.name.split()[1:])
        ]
        self.assertFalse(title_case, "menus in sentence case")
