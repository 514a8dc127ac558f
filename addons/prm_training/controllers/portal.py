from odoo import http
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.prm_partner.tools.portal import portal_count


class PrmTrainingPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "prm_certificate_count" in counters:
            contact = request.env.user.partner_id
            values["prm_certificate_count"] = portal_count(
                "prm.certificate",
                "training",
                contact._prm_training_certificate_domain(),
            )
        return values

    def _prm_training_contact(self):
        """The logged-in contact when the training page is open to it, else None."""
        contact = request.env.user.partner_id
        if request.env.user._is_public() or not contact._prm_portal_allows("training"):
            return None
        return contact

    @http.route("/my/training", type="http", auth="user", website=True)
    def prm_training(self, **kw):
        contact = self._prm_training_contact()
        if contact is None:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(self._prm_training_values(contact))
        return request.render("prm_training.portal_my_training", values)

    def _prm_training_values(self, contact):
        """Everything the page shows, read through the user's own rights
        (record rules) with batched reads."""
        env = request.env
        certificates = env["prm.certificate"].search_fetch(
            contact._prm_training_certificate_domain(),
            ["number", "partner_id", "certification_id", "expiry_date", "state"],
            order="state, expiry_date, id",
        )
        certifications = env["prm.certification"].search_fetch(
            contact._prm_training_certification_domain(),
            ["name", "survey_id", "renewal_survey_id"],
        )
        held = {
            (c.partner_id.id, c.certification_id.id): c
            for c in certificates
            if c.partner_id == contact
        }
        # sudo: portal users may not read surveys, nor the membership of
        # courses they have not joined; only the start links of these
        # certifications' exams and their published courses are shown.
        certifications_sudo = certifications.sudo()
        surveys_sudo = (
            certifications_sudo.survey_id | certifications_sudo.renewal_survey_id
        )
        surveys_sudo.fetch(["access_token"])
        exam_urls = {
            certification.id: {
                "exam": certification.survey_id.get_start_url(),
                "renewal": (
                    certification.renewal_survey_id or certification.survey_id
                ).get_start_url(),
            }
            for certification in certifications_sudo
        }
        courses = {
            certification.id: certification.channel_ids.filtered("is_published")
            for certification in certifications_sudo
        }
        return {
            "page_name": "prm_training",
            "exam_urls": exam_urls,
            "certificates": certificates,
            "sees_team": contact._prm_training_sees_team(),
            "certifications": certifications,
            "courses": courses,
            "held": held,
            "contact": contact,
            "progress": contact._prm_training_tier_progress(),
        }

    @http.route(
        "/my/training/certificate/<int:certificate_id>",
        type="http",
        auth="user",
        website=True,
    )
    def prm_training_certificate_pdf(self, certificate_id, download=False, **kw):
        """The PDF of a certificate the contact may list; any other id is 404."""
        contact = self._prm_training_contact()
        if contact is None:
            return request.not_found()
        certificate = request.env["prm.certificate"].search(
            contact._prm_training_certificate_domain()
            & Domain("id", "=", certificate_id),
            limit=1,
        )
        if not certificate:
            return request.not_found()
        return self._show_report(
            model=certificate.sudo(),
            report_type="pdf",
            report_ref="prm_training.action_report_prm_certificate",
            download=download,
        )

    @http.route(
        "/prm/certificate/<string:number>/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def prm_certificate_verify(self, number, token, **kw):
        """Public verification: holder, certification and validity, nothing
        else; a wrong number or token is 404."""
        certificate_sudo = request.env["prm.certificate"]._prm_verify(number, token)
        if not certificate_sudo:
            return request.not_found()
        return request.render(
            "prm_training.prm_certificate_verification",
            {
                "number": certificate_sudo.number,
                "holder": certificate_sudo.partner_id.name,
                "certification": certificate_sudo.certification_id.name,
                "issue_date": certificate_sudo.issue_date,
                "expiry_date": certificate_sudo.expiry_date,
                "state": certificate_sudo.state,
                "state_label": dict(
                    certificate_sudo._fields["state"]._description_selection(
                        request.env
                    )
                )[certificate_sudo.state],
            },
        )
