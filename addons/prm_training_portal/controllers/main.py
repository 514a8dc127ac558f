from odoo.fields import Domain
from odoo.http import request

from odoo.addons.prm_portal.controllers.main import PrmWebsite
from odoo.addons.prm_training.models.prm_certificate import LIVE_STATES


class PrmWebsiteTraining(PrmWebsite):
    def _prm_directory_certifications(self):
        # sudo: visitors see the names of the active certifications only.
        return (
            request.env["prm.certification"]
            .sudo()
            .search([("company_id", "in", [False, request.website.company_id.id])])
        )

    def _prm_directory_extra_filters(self, kw):
        domain, args, values = super()._prm_directory_extra_filters(kw)
        certifications = self._prm_directory_certifications()
        certification = kw.get("certification")
        if certification and str(certification).isdigit():
            certification_id = int(certification)
            if certification_id not in certifications.ids:
                certification_id = 0  # archived or another company's: no match
            # One subquery: the partners having a live certificate of it
            # among their people, whatever the number of partners.
            # sudo: the directory is public, the holders' names stay unread.
            holders = (
                request.env["prm.certificate"]
                .sudo()
                ._search(
                    [
                        ("certification_id", "=", certification_id),
                        ("state", "in", LIVE_STATES),
                    ]
                )
            )
            domain &= Domain("id", "in", holders.subselect("commercial_partner_id"))
            args = {**args, "certification": str(certification_id or certification)}
        values = {**values, "certifications": certifications}
        return domain, args, values

    def _prm_directory_partner_values(self, partner_sudo):
        values = super()._prm_directory_partner_values(partner_sudo)
        groups = (
            request.env["prm.certificate"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "=", partner_sudo.id),
                    ("state", "in", LIVE_STATES),
                    ("certification_id.active", "=", True),
                ],
                ["certification_id"],
                ["partner_id:count_distinct"],
            )
        )
        values["certifications"] = sorted(
            groups, key=lambda group: (group[0].sequence, group[0].name)
        )
        return values
