from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """Passing a certification exam issues or renews the certificate, in
        the same transaction as the attempt (the framework's completion flow:
        the survey controller calls ``_mark_done`` on the finished attempt)."""
        result = super()._mark_done()
        # sudo: the person taking the exam cannot create certificates; only
        # attempts that are done and passed issue anything.
        self.env["prm.certificate"].sudo()._prm_issue_from_inputs(self.sudo())
        return result
