from datetime import timedelta

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Tier metric (see prm.tier.rule) ---

    def _prm_metric_activations(self, date_from, date_to):
        """Activations in force of the codes the partners sold, made in the
        period (one grouped query)."""
        groups = (
            self.env["prm.activation"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "done"),
                    ("company_id", "=", self.env.company.id),
                    ("date", ">=", fields.Datetime.to_datetime(date_from)),
                    (
                        "date",
                        "<",
                        fields.Datetime.to_datetime(date_to) + timedelta(days=1),
                    ),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        return {partner.id: count for partner, count in groups}

    # --- Portal ---

    def _prm_portal_page_roles(self):
        return {**super()._prm_portal_page_roles(), "activations": ("sales", "finance")}

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        partner = self.commercial_partner_id
        summary = partner._prm_activation_summary()
        if summary["sold"]:
            cards.append(
                {
                    "key": "activations",
                    "sequence": 45,
                    "title": self.env._("Activation codes"),
                    "url": "/my/activations",
                    "icon": "fa-ticket",
                    "count": summary["activated"],
                    "lines": [
                        self.env._(
                            "%(activated)s of %(sold)s codes activated",
                            activated=summary["activated"],
                            sold=summary["sold"],
                        )
                    ],
                }
            )
        return cards

    def _prm_activation_summary(self):
        """Codes sold to this commercial partner, activated, voided and
        remaining (one grouped query, superuser: a count of its own codes)."""
        self.ensure_one()
        counts = dict(
            self.env["prm.activation.code"]
            .sudo()
            ._read_group([("partner_id", "=", self.id)], ["state"], ["__count"])
        )
        return {
            "sold": sum(counts.values()),
            "activated": counts.get("activated", 0),
            "remaining": counts.get("assigned", 0),
            "voided": counts.get("voided", 0) + counts.get("expired", 0),
        }
