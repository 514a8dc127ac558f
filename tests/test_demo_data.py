"""The demo a new user opens is consistent: its partners are in the tiers their
demo figures give, as the nightly requalification would put them.

This test reads the demo data on purpose (it is what it checks); it skips on a
database installed without demo.
"""

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.prm_partner.models.prm_tier_requalification import PARTNER_FIELDS


@tagged("post_install", "-at_install")
class TestDemoRequalified(TransactionCase):
    def test_demo_partners_are_in_the_tiers_their_figures_give(self):
        northwind = self.env.ref(
            "prm_partner.partner_demo_northwind", raise_if_not_found=False
        )
        if not northwind:
            self.skipTest("installed without demo data")
        Partner = self.env["res.partner"]
        partners = Partner.search_fetch(
            Partner._prm_requalify_domain()
            & fields.Domain("id", "in", self._demo_partner_ids()),
            PARTNER_FIELDS,
        )
        self.assertGreater(len(partners), 3)
        Engine = self.env["prm.tier.requalification"]
        today = fields.Date.context_today(Partner)
        pending = []
        for company, company_partners in Engine._prm_split_by_company(partners):
            evaluation = Engine._prm_evaluate(
                company_partners, company, Engine._prm_ladder(company), today
            )
            pending += [
                (Partner.browse(d.partner_id).name, d.action)
                for d in evaluation.decisions
                if d.action
            ]
        self.assertFalse(pending, "the demo ends requalified")
        self.assertTrue(all(partners.mapped("prm_tier_id")))

    def _demo_partner_ids(self):
        return (
            self.env["ir.model.data"]
            .search([("model", "=", "res.partner"), ("module", "=like", "prm\\_%")])
            .mapped("res_id")
        )
