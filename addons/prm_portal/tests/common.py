"""Fixture of the portal pages: ``PrmCommon``'s two program partners, whose
first contact (Anna, portal user ``prm_portal_a``) is her company's program
admin; Boris (``prm_portal_b``) has the same rights at the other partner; a
contact of a company outside the program (``prm_portal_out``) has a portal
account too. Served over HTTP."""

import base64
import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.prm_partner.tests.common import PrmCommon


class PrmPortalCommon(PrmCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_admin = cls.env.ref("prm_partner.role_admin")
        cls.role_sales = cls.env.ref("prm_partner.role_sales")
        cls.role_finance = cls.env.ref("prm_partner.role_finance")
        (cls.contact_a | cls.contact_b).prm_role_ids = [Command.set(cls.role_admin.ids)]
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.outsider = cls.env["res.partner"].create(
            {"name": "Outside Company", "is_company": True}
        )
        cls.outsider_contact = cls.env["res.partner"].create(
            {
                "name": "Olivia Outside",
                "parent_id": cls.outsider.id,
                "email": "olivia@out.test",
            }
        )
        cls.user_portal_out = new_test_user(
            cls.env,
            login="prm_portal_out",
            groups="base.group_portal",
            partner_id=cls.outsider_contact.id,
        )

    # --- Helpers ---

    def _csrf(self, url):
        """The CSRF token of the form served at ``url`` (the session's)."""
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _post(self, url, data, csrf_from=None):
        if csrf_from:
            data = {"csrf_token": self._csrf(csrf_from), **data}
        return self.url_open(url, data=data, allow_redirects=False)

    def assertLoginRedirect(self, url):
        self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303), url)
        self.assertIn("/web/login", response.headers["Location"], url)

    def _read_statements(self, url):
        """SELECT statements of one warm request to ``url``."""
        self.url_open(url)
        with self._statements() as counts:
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return counts["SELECT"]

    @classmethod
    def _document_vals(cls, name, **vals):
        return {
            "name": name,
            "published": True,
            "file": base64.b64encode(b"Price,Product\n10,Widget\n"),
            "file_name": f"{name}.csv",
            **vals,
        }
