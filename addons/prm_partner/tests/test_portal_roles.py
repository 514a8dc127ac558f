from odoo import Command
from odoo.tests import tagged

from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestPortalRoles(PrmCommon):
    def test_roles_open_pages(self):
        contact = self.contact_a
        role = self.env.ref("prm_partner.role_finance")
        self.assertTrue(contact._prm_portal_allows("program"))
        self.assertFalse(contact._prm_portal_allows("team"))
        self.assertFalse(contact._prm_portal_allows("documents"))
        self.assertFalse(contact._prm_portal_allows("no-such-page"))
        contact.prm_role_ids = [Command.set(role.ids)]
        self.assertTrue(contact._prm_portal_allows("documents"))
        self.assertFalse(contact._prm_portal_allows("team"))
        contact.prm_role_ids = [Command.set(self.env.ref("prm_partner.role_admin").ids)]
        self.assertTrue(contact._prm_portal_allows("team"))
        self.assertTrue(contact._prm_portal_allows("no-such-page"))

    def test_not_a_program_partner(self):
        outsider = self.env["res.partner"].create({"name": "Outsider Ltd"})
        self.assertFalse(outsider._prm_portal_allows("program"))
        self.assertEqual(outsider._prm_portal_cards(), [])
        # Other modules add cards; a contact without roles gets only those of
        # the pages open to every representative.
        for card in self.contact_a._prm_portal_cards():
            self.assertIn(self.contact_a._prm_portal_page_roles()[card["key"]], ((),))
