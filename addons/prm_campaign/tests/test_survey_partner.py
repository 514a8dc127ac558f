from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common_mdf import PrmMdfCommon


@tagged("post_install", "-at_install")
class TestSurveyPartner(PrmMdfCommon, PrmTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_groups(cls.env.user, "survey.group_survey_manager")
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "Partner satisfaction",
                "access_mode": "token",
                "question_and_page_ids": [
                    Command.create(
                        {
                            "title": "What would you improve?",
                            "question_type": "text_box",
                        }
                    )
                ],
            }
        )
        cls.partner_gold = cls._create_program_partner(
            "Gold Integrators", tier=cls.tier_gold
        )
        cls.rep_gold = cls.env["res.partner"].create(
            {
                "name": "Gina Gold",
                "parent_id": cls.partner_gold.id,
                "email": "gina@gold.test",
                "prm_role_ids": [
                    Command.set(cls.env.ref("prm_partner.role_sales").ids)
                ],
            }
        )
        # A contact without a program role is no representative.
        cls.env["res.partner"].create(
            {
                "name": "Norbert Norole",
                "parent_id": cls.partner_gold.id,
                "email": "n@gold.test",
            }
        )

    def test_send_to_a_tier_links_answers_to_partner_and_tier(self):
        wizard = self.env["prm.campaign.survey.wizard"].create(
            {"survey_id": self.survey.id, "tier_ids": [Command.set(self.tier_gold.ids)]}
        )
        self.assertEqual(wizard.recipient_ids, self.rep_gold)
        wizard.action_send()
        answer = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id)]
        )
        self.assertEqual(answer.partner_id, self.rep_gold)
        self.assertEqual(
            (answer.prm_partner_id, answer.prm_tier_id),
            (self.partner_gold, self.tier_gold),
        )
        # The tier is the one of when the survey was sent.
        self.partner_gold.sudo().prm_tier_id = self.tier_silver
        self.assertEqual(answer.prm_tier_id, self.tier_gold)
        groups = self.env["survey.user_input"]._read_group(
            [("survey_id", "=", self.survey.id)],
            ["prm_tier_id", "prm_partner_id"],
            ["__count"],
        )
        self.assertEqual(groups, [(self.tier_gold, self.partner_gold, 1)])

    def test_channel_manager_sends_a_survey_from_the_menu(self):
        user = self.user_channel_manager
        self._add_groups(user, "survey.group_survey_user")
        user.password = "prm_channel_manager_pw"
        self.start_tour(
            "/odoo", "prm_campaign_survey_tour", login="prm_channel_manager"
        )
        answers = self.env["survey.user_input"].search(
            [("survey_id", "=", self.survey.id)]
        )
        self.assertEqual(answers.partner_id, self.rep_gold)
        self.assertEqual(
            (answers.prm_partner_id, answers.prm_tier_id, answers.state),
            (self.partner_gold, self.tier_gold, "new"),
        )
        self.assertTrue(answers.access_token)
        # The invitation went out by email, with the answer's own link.
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.rep_gold.ids)], order="id desc", limit=1
        )
        self.assertIn(answers.access_token, mail.body_html)

    def test_refused_like_survey_share_refuses(self):
        """Survey's own checks hold: no invitation to a survey without
        questions, a closed one, or one requiring a login for representatives
        without an account."""
        Wizard = self.env["prm.campaign.survey.wizard"]
        empty = self.env["survey.survey"].create({"title": "Empty"})
        tier_gold = [Command.set(self.tier_gold.ids)]
        wizard = Wizard.create({"survey_id": empty.id, "tier_ids": tier_gold})
        with self.assertRaisesRegex(UserError, "no questions"):
            wizard.action_send()
        closed = self.survey.copy({"title": "Closed"})
        closed.action_archive()
        wizard = Wizard.create({"survey_id": closed.id, "tier_ids": tier_gold})
        with self.assertRaisesRegex(UserError, "closed surveys"):
            wizard.action_send()
        login = self.survey.copy(
            {"title": "Members only", "users_login_required": True}
        )
        wizard = Wizard.create({"survey_id": login.id, "tier_ids": tier_gold})
        with self.assertRaisesRegex(UserError, "Gina Gold"):
            wizard.action_send()
        self.assertFalse(
            self.env["survey.user_input"].search_count(
                [("survey_id", "in", (empty | closed | login).ids)]
            )
        )
        # With an account, the representative is invited.
        new_test_user(
            self.env, "gina", groups="base.group_portal", partner_id=self.rep_gold.id
        )
        wizard = Wizard.create({"survey_id": login.id, "tier_ids": tier_gold})
        wizard.action_send()
        answer = self.env["survey.user_input"].search([("survey_id", "=", login.id)])
        self.assertEqual(answer.partner_id, self.rep_gold)

    def test_selection_by_type_and_territory(self):
        self.partner_gold.sudo().prm_partner_type_id = self.type_referral
        wizard = self.env["prm.campaign.survey.wizard"].create(
            {
                "survey_id": self.survey.id,
                "partner_type_ids": [Command.set(self.type_reseller.ids)],
            }
        )
        self.assertNotIn(self.rep_gold, wizard.recipient_ids)
        belgium = self.env.ref("base.be")
        self.partner_gold.sudo().prm_country_ids = [Command.set(belgium.ids)]
        wizard = self.env["prm.campaign.survey.wizard"].create(
            {"survey_id": self.survey.id, "country_ids": [Command.set(belgium.ids)]}
        )
        self.assertEqual(wizard.recipient_ids, self.rep_gold)

    def test_my_surveys_lists_mine_with_the_survey_link(self):
        mine = self.survey._create_answer(partner=self.contact_a, check_attempts=False)
        other = self.survey._create_answer(partner=self.contact_b, check_attempts=False)
        self.authenticate("prm_portal_a", "prm_portal_a")
        response = self.url_open("/my/surveys")
        self.assertEqual(response.status_code, 200)
        self.assertIn(mine.access_token, response.text)
        self.assertNotIn(other.access_token, response.text)
        self.assertEqual(self.url_open(mine.get_start_url()).status_code, 200)
