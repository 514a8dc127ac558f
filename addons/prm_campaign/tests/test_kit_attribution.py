from odoo import Command
from odoo.tests import tagged

from .common import PrmCampaignCommon


@tagged("post_install", "-at_install")
class TestKitAttribution(PrmCampaignCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activation = cls._activate()
        cls.source = cls.partner_a.prm_campaign_source_id

    def _campaign_lead(self, **vals):
        return self.Lead.create(
            {
                "name": "Campaign lead",
                "type": "lead",
                "user_id": False,
                "source_id": self.source.id,
                "campaign_id": self.kit.campaign_id.id,
                **vals,
            }
        )

    def test_lead_with_the_partners_source_is_attributed_and_offered(self):
        lead = self._campaign_lead()
        self.assertEqual(lead.prm_campaign_activation_id, self.activation)
        self.assertEqual(lead.prm_campaign_partner_id, self.partner_a)
        offer = self.env["prm.lead.offer"].search([("lead_id", "=", lead.id)])
        self.assertEqual(offer.partner_id, self.partner_a)
        self.assertEqual(offer.state, "offered")
        self.assertTrue(offer.deadline)
        # The partner takes it through prm_crm's offer: the lead becomes its own.
        offer.with_user(self.user_portal_a).action_prm_accept()
        self.assertEqual(lead.prm_partner_id, self.partner_a)

    def test_leads_without_the_source_or_already_owned_are_not_offered(self):
        other = self.Lead.create({"name": "Plain lead", "type": "lead"})
        self.assertFalse(other.prm_campaign_activation_id)
        owned = self._campaign_lead(prm_partner_id=self.partner_b.id)
        self.assertEqual(owned.prm_campaign_activation_id, self.activation)
        self.assertFalse(
            self.env["prm.lead.offer"].search([("lead_id", "in", (other | owned).ids)])
        )

    def test_source_without_the_kits_campaign_goes_to_the_latest_activation(self):
        lead = self._campaign_lead(campaign_id=False)
        self.assertEqual(lead.prm_campaign_activation_id, self.activation)

    def test_results_count_leads_wins_and_invoiced_revenue(self):
        self._campaign_lead()
        won = self._campaign_lead(type="opportunity", expected_revenue=5000.0)
        won.action_set_won()
        self._campaign_lead(type="opportunity")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_x.id,
                "invoice_date": self.today,
                "source_id": self.source.id,
                "campaign_id": self.kit.campaign_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_prm.id,
                            "quantity": 1,
                            "price_unit": 1200.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self._post_invoice(self.customer_y, 999.0)  # no campaign: not counted
        self.activation.invalidate_recordset()
        self.assertEqual(self.activation.lead_count, 3)
        self.assertEqual(self.activation.opportunity_count, 2)
        self.assertEqual(self.activation.won_count, 1)
        self.assertEqual(self.activation.won_revenue, 5000.0)
        self.assertEqual(self.activation.revenue, 1200.0)
        self.env.flush_all()
        row = self.env["prm.campaign.activation.report"].search(
            [("activation_id", "=", self.activation.id)]
        )
        self.assertEqual((row.lead_count, row.won_count, row.revenue), (3, 1, 1200.0))

    def test_results_of_many_activations_cost_the_same_queries(self):
        Activation = self.env["prm.campaign.activation"]
        partners = [self._create_program_partner(f"Kit partner {i}") for i in range(6)]
        activations = Activation.browse(
            [self._activate(partner).id for partner in partners]
        )
        counts = []
        for batch in (activations[:2], activations):
            batch.invalidate_recordset()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            batch.mapped("revenue")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], counts)
