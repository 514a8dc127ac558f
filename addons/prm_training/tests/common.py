"""Fixture of prm_training: a certification path (a course ending with a
certification slide, a real certification survey) on PrmCommon's partners, and
helpers taking the exam through the Survey framework (``_create_answer``,
``_save_lines``, ``_mark_done``: what the survey controller calls)."""

from odoo import Command

from odoo.addons.prm_partner.tests.common import PrmCommon


class PrmTrainingCommon(PrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_admin = cls.env.ref("prm_partner.role_admin")
        cls.role_sales = cls.env.ref("prm_partner.role_sales")
        cls.role_technical = cls.env.ref("prm_partner.role_technical")
        cls.contact_a.prm_role_ids = [Command.set(cls.role_sales.ids)]
        cls.exam = cls._create_exam("T-Storage exam", success_min=60.0)
        cls.renewal_exam = cls._create_exam("T-Storage renewal", success_min=60.0)
        # sudo: the fixture user of other suites (an accountant) may not
        # manage courses and surveys; the records are used in cls.env.
        cls.course = (
            cls.env["slide.channel"]
            .sudo()
            .create(
                {
                    "name": "T-Storage course",
                    "enroll": "public",
                    "is_published": True,
                    "slide_ids": [
                        Command.create(
                            {
                                "name": "T-Handbook",
                                "slide_category": "article",
                                "html_content": "<p>Keep oxidisers apart.</p>",
                                "is_published": True,
                            }
                        ),
                        Command.create(
                            {
                                "name": "T-Exam",
                                "slide_category": "certification",
                                "survey_id": cls.exam.id,
                                "is_published": True,
                            }
                        ),
                    ],
                }
            )
            .with_env(cls.env)
        )
        cls.categ_hazard = cls.env["product.category"].create({"name": "T-Hazardous"})
        cls.categ_acids = cls.env["product.category"].create(
            {"name": "T-Acids", "parent_id": cls.categ_hazard.id}
        )
        cls.certification = (
            cls.env["prm.certification"]
            .sudo()
            .create(
                {
                    "name": "T-Safe storage",
                    "code": "T-STOR",
                    "survey_id": cls.exam.id,
                    "renewal_survey_id": cls.renewal_exam.id,
                    "validity_months": 12,
                    "channel_ids": [Command.link(cls.course.id)],
                    "categ_ids": [Command.link(cls.categ_hazard.id)],
                }
            )
            .with_env(cls.env)
        )

    @classmethod
    def _create_exam(cls, title, success_min):
        """A certification survey of two single-choice questions (one point
        each for the right answer)."""
        survey = (
            cls.env["survey.survey"]
            .sudo()
            .create(
                {
                    "title": title,
                    "user_id": False,
                    "access_mode": "public",
                    "users_login_required": True,
                    "scoring_type": "scoring_with_answers",
                    "scoring_success_min": success_min,
                    "certification": True,
                    "questions_layout": "one_page",
                }
            )
        )
        for index in (1, 2):
            cls.env["survey.question"].sudo().create(
                {
                    "survey_id": survey.id,
                    "title": f"{title} question {index}",
                    "question_type": "simple_choice",
                    "constr_mandatory": True,
                    "suggested_answer_ids": [
                        Command.create(
                            {"value": "Right", "is_correct": True, "answer_score": 1}
                        ),
                        Command.create({"value": "Wrong"}),
                    ],
                }
            )
        return survey.with_env(cls.env)

    def _take_exam(self, partner, survey=None, right=2):
        """``partner`` finishes ``survey`` with ``right`` right answers; returns
        the attempt (``survey.user_input``)."""
        survey = survey or self.exam
        user_input = survey.sudo()._create_answer(partner=partner, check_attempts=False)
        for index, question in enumerate(survey.question_ids):
            answers = question.suggested_answer_ids
            answer = (
                answers.filtered("is_correct")
                if index < right
                else answers - (answers.filtered("is_correct"))
            )
            user_input._save_lines(question, str(answer.id))
        user_input._mark_done()
        return user_input

    def _certificate(self, partner, certification=None):
        return self.env["prm.certificate"].search(
            [
                ("partner_id", "=", partner.id),
                ("certification_id", "=", (certification or self.certification).id),
            ]
        )
