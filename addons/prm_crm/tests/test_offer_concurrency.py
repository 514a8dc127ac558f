from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.committed import PrmCommittedCase


@tagged("post_install", "-at_install")
class TestOfferConcurrency(PrmCommittedCase):
    """Two answers to one routed-lead offer in two real transactions: the row
    lock (``lock_for_update``) lets the first through and tells the second, at
    once and in words, instead of accepting the lead twice."""

    @classmethod
    def _prm_commit_fixtures(cls, env):
        partner = env["res.partner"].create(
            {
                "name": "Concurrency Integrator",
                "is_company": True,
                "prm_is_partner": True,
                "prm_state": "active",
            }
        )
        lead = env["crm.lead"].create({"name": "Concurrency lead"})
        offer = env["prm.lead.offer"].create(
            {
                "lead_id": lead.id,
                "partner_id": partner.id,
                "deadline": fields.Datetime.now() + timedelta(days=1),
            }
        )
        cls.partner_id, cls.lead_id, cls.offer_id = partner.id, lead.id, offer.id

    @classmethod
    def _prm_remove_fixtures(cls, env):
        lead = env["crm.lead"].browse(cls.lead_id)
        lead.activity_ids.unlink()
        lead.message_ids.unlink()
        lead.unlink()  # cascades to the offer
        env["res.partner"].browse(cls.partner_id).unlink()

    def test_second_answer_is_told(self):
        with self.committed_env() as first:
            offer_first = first["prm.lead.offer"].browse(self.offer_id)
            offer_first._prm_lock_open()
            # The first answer holds the row: a second one at the same moment
            # is refused without waiting, and says so.
            with self.committed_env() as second:
                with self.assertRaisesRegex(UserError, "right now"):
                    second["prm.lead.offer"].browse(self.offer_id).action_prm_accept()
                second.cr.rollback()
            offer_first.action_prm_accept()
        # Once the first answer is committed, a late click sees it.
        with self.committed_env() as late:
            offer = late["prm.lead.offer"].browse(self.offer_id)
            self.assertEqual(offer.state, "accepted")
            self.assertEqual(offer.lead_id.prm_partner_id.id, self.partner_id)
            with self.assertRaisesRegex(UserError, "already answered"):
                offer.action_prm_accept()
            late.cr.rollback()
