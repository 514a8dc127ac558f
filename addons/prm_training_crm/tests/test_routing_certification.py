from odoo import Command
from odoo.tests import tagged

from odoo.addons.prm_crm.tests.common import PrmRoutingCommon
from odoo.addons.prm_training.tests.common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestRoutingCertification(PrmRoutingCommon, PrmTrainingCommon):
    def test_rule_requiring_a_certification_offers_only_to_certified(self):
        self.rule.prm_certification_id = self.certification
        candidates = self.p1 | self.p2 | self.p3
        self.assertFalse(
            self.Rule._prm_routing_certified_partners(self.rule, candidates)
        )
        self.contact_p1.prm_role_ids = [Command.link(self.role_sales.id)]
        self._take_exam(self.contact_p1)
        self.assertEqual(
            self.Rule._prm_routing_certified_partners(self.rule, candidates), self.p1
        )
        leads = self._leads(2)
        self.Rule._prm_route_leads(leads)
        self.assertEqual(self._offers(leads).partner_id, self.p1)

    def test_rule_without_certification_keeps_every_partner(self):
        candidates = self.p1 | self.p2
        self.assertEqual(
            self.Rule._prm_routing_certified_partners(self.rule, candidates), candidates
        )
