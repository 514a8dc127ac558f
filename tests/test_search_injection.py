"""SQL injection through the search, sort and filter parameters of every list
page of the suite (portal and public): each answers without a server error,
shows no other partner's record and leaves the tables as they were.

The pages build their domains and orders from whitelists (``searchbar_*``
dicts, ``Domain`` with bound parameters): these payloads prove that none
reaches the SQL as text.
"""

import unittest

import odoo
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

from odoo.addons.prm_partner.tests.common import PrmCommon

REQUIRED_MODULES = ("prm_crm", "prm_sale", "prm_incentive", "prm_portal")
PAYLOADS = (
    "' OR 1=1 --",
    "%' OR '1'='1",
    "1); DELETE FROM crm_lead; --",
    "id desc; DROP TABLE res_partner; --",
    "name->>'en_US'",
    "\\",
)
# Every parameter a list page reads from its query string.
PARAMS = (
    "search",
    "search_in",
    "sortby",
    "filterby",
    "groupby",
    "partner_type",
    "tier",
    "country",
)
PAGES = (
    "/my/deals",
    "/my/leads",
    "/my/incentives",
    "/my/incentives/settlements",
    "/my/incentives/sellout",
    "/my/incentives/points",
    "/my/documents",
    "/my/order",
    "/my/team",
    "/my/program",
    "/partner-program/directory",
)


@tagged("post_install", "-at_install")
class TestSearchInjection(PrmCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        registry = odoo.modules.registry.Registry(get_db_name())
        missing = [m for m in REQUIRED_MODULES if m not in registry._init_modules]
        if missing:
            raise unittest.SkipTest(f"needs {', '.join(missing)}")
        super().setUpClass()
        admin = cls.env.ref("prm_partner.role_admin")
        (cls.contact_a | cls.contact_b).prm_role_ids = [Command.set(admin.ids)]
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_inject_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.secret = "Beta Secret Customer"
        cls.env["crm.lead"].with_user(cls.user_portal_b)._prm_portal_register_deal(
            {"partner_name": cls.secret, "country_id": cls.env.ref("base.es").id}
        )

    def _counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT (SELECT count(*) FROM crm_lead), (SELECT count(*) FROM res_partner)"
        )
        return self.env.cr.fetchone()

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_list_pages_bind_their_parameters(self):
        before = self._counts()
        self.authenticate(self.user_portal_a.login, self.user_portal_a.login)
        for page in PAGES:
            for payload in PAYLOADS:
                with self.subTest(page=page, payload=payload):
                    response = self.url_open(
                        page, params=dict.fromkeys(PARAMS, payload)
                    )
                    self.assertLess(response.status_code, 500, response.text[:300])
                    self.assertNotIn(self.secret, response.text)
        self.assertEqual(self._counts(), before, "no row added or deleted")
