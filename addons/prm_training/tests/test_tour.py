from odoo import Command
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingTour(PrmTrainingCommon, PrmTourCase):
    def test_representative_passes_the_exam(self):
        self.tier_silver.rule_ids = [
            Command.clear(),
            Command.create(
                {
                    **self._rule("certification", 1),
                    "certification_id": self.certification.id,
                }
            ),
        ]
        self.course._action_add_members(self.contact_a)
        self.start_tour("/my/training", "prm_training_exam_tour", login="prm_portal_a")
        certificate = self._certificate(self.contact_a)
        self.assertEqual(certificate.state, "valid")
        self.assertTrue(certificate.user_input_id.scoring_success)
        self.assertEqual(certificate.user_input_id.slide_id.channel_id, self.course)
