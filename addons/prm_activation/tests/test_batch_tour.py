from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestBatchTour(PrmActivationCommon, PrmTourCase):
    def test_vendor_generates_assigns_and_voids(self):
        self.product_card.name = "Tour fibre card"
        batch = self.env["prm.activation.batch"].create(
            {
                "product_id": self.product_card.id,
                "quantity": 20,
                "value": 30.0,
                "company_id": self.env.company.id,
            }
        )
        self.start_tour(
            "/odoo/action-prm_activation.action_prm_activation_batch",
            "prm_activation_batch_tour",
            login="prm_admin",
        )
        self.env.invalidate_all()
        codes = batch.code_ids
        self.assertEqual(batch.state, "generated")
        self.assertEqual(len(codes), 20)
        self.assertEqual(batch.range_ids.partner_id, self.partner_a)
        assigned = codes.filtered(lambda c: c.partner_id == self.partner_a)
        self.assertEqual(sorted(assigned.mapped("serial")), list(range(1, 11)))
        voided = codes.filtered(lambda c: c.state == "voided")
        self.assertEqual(sorted(voided.mapped("serial")), [6, 7, 8])
        self.assertEqual(batch.voided_count, 3)
