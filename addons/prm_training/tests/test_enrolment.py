from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PrmTrainingCommon


@tagged("post_install", "-at_install")
class TestEnrolment(PrmTrainingCommon):
    def _members(self, course):
        return course.sudo().channel_partner_ids.partner_id

    def test_restricted_course_only_for_matching_partners(self):
        self.course.write(
            {
                "prm_restricted": True,
                "prm_partner_type_ids": [Command.set(self.type_referral.ids)],
            }
        )
        self.course._action_add_members(self.contact_a)
        self.assertNotIn(self.contact_a, self._members(self.course), "reseller")
        with self.assertRaises(UserError):
            self.course._action_add_members(self.contact_a, raise_on_access=True)
        self.partner_a.sudo().prm_partner_type_id = self.type_referral
        self.course._action_add_members(self.contact_a)
        self.assertIn(self.contact_a, self._members(self.course))
        # Tiers too; a contact of no program partner never joins.
        self.course.prm_tier_ids = self.tier_gold
        stranger = self.env["res.partner"].create({"name": "Walk-in"})
        self.course._action_add_members(stranger | self.contact_b)
        self.assertFalse((stranger | self.contact_b) & self._members(self.course))

    def test_new_representatives_enrolled_in_their_role_courses(self):
        self.course.prm_auto_role_ids = self.role_technical
        newcomer = self.env["res.partner"].create(
            {
                "name": "Nina New",
                "parent_id": self.partner_a.id,
                "prm_role_ids": [Command.link(self.role_technical.id)],
            }
        )
        self.assertIn(newcomer, self._members(self.course))
        self.assertNotIn(self.contact_a, self._members(self.course), "sales role")
        self.contact_a.prm_role_ids = [Command.link(self.role_technical.id)]
        self.assertIn(self.contact_a, self._members(self.course))
        # Representatives of a partner the rules exclude are left out.
        self.course.write(
            {"prm_restricted": True, "prm_tier_ids": [Command.set(self.tier_gold.ids)]}
        )
        self.contact_b.prm_role_ids = [Command.link(self.role_technical.id)]
        self.assertNotIn(self.contact_b, self._members(self.course))
