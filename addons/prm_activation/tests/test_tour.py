from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from ..tools import codes as codetools
from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivationTour(PrmActivationCommon, PrmTourCase):
    def test_subscriber_activates_on_the_public_page(self):
        batch, codes = self._batch(quantity=3)
        batch._prm_assign_serials(self.partner_a, 1, 3)
        self.start_tour(
            f"/activate?code={codetools.display(codes[1])}",
            "prm_activation_public_tour",
        )
        activation = self.env["prm.activation"].search([("batch_id", "=", batch.id)])
        self.assertRecordValues(
            activation,
            [
                {
                    "subscriber_name": "Ada Subscriber",
                    "subscriber_email": "ada@example.com",
                    "channel": "web",
                    "partner_id": self.partner_a.id,
                }
            ],
        )
        self.assertEqual(activation.code_id.serial, 2)
