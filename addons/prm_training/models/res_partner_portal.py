from odoo import fields, models
from odoo.fields import Domain

from odoo.addons.prm_partner.models.prm_tier_rule import OPERATORS
from odoo.addons.prm_partner.tools.formatting import format_number

from .prm_tier_rule import CERTIFICATION_PREFIX


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _prm_portal_page_roles(self):
        # Every representative has a training page; what it lists depends on
        # the role (see _prm_training_certificate_domain).
        return {**super()._prm_portal_page_roles(), "training": ()}

    def _prm_training_sees_team(self):
        """A partner's Admin sees the whole team's certificates, others their own."""
        self.ensure_one()
        return "admin" in self._prm_portal_role_codes()

    def _prm_training_certificate_domain(self):
        """Certificates this contact lists on its training page (the record
        rule already keeps them inside its company)."""
        self.ensure_one()
        domain = Domain("commercial_partner_id", "=", self.commercial_partner_id.id)
        if not self._prm_training_sees_team():
            domain &= Domain("partner_id", "=", self.id)
        return domain

    def _prm_training_certification_domain(self):
        """Certifications meant for this contact's company (its type and
        tier; an empty audience means everyone)."""
        self.ensure_one()
        company = self.commercial_partner_id.sudo()
        return (
            Domain("partner_type_ids", "=", False)
            | Domain("partner_type_ids", "in", company.prm_partner_type_id.ids)
        ) & (
            Domain("tier_ids", "=", False)
            | Domain("tier_ids", "in", company.prm_tier_id.ids)
        )

    def _prm_training_tier_progress(self):
        """Rules of the next tier and how far the partner is from each, as
        ``[{"label", "value", "threshold", "met"}]``, plus the tier name. Read
        as superuser like the Partner 360: the figures, not the records."""
        self.ensure_one()
        partner_sudo = self.commercial_partner_id.sudo()
        Engine = self.env["prm.tier.requalification"].sudo()
        company = partner_sudo._prm_program_company() or self.env.company
        ladder = Engine._prm_ladder(company)
        rung = partner_sudo._prm_360_next_rung(
            ladder[::-1], partner_sudo.prm_tier_id.id
        )
        if not rung or rung.tier_id == partner_sudo.prm_tier_id.id:
            return {"tier": False, "rules": []}
        today = fields.Date.context_today(self)
        specs = {(rule.metric, rule.months) for rule in rung.rules}
        metrics = partner_sudo._prm_compute_metrics(specs, today, company)
        labels = self._prm_training_labels(rung)
        rules = []
        for rule in rung.rules:
            value = metrics[(rule.metric, rule.months)].get(partner_sudo.id, 0.0)
            rules.append(
                {
                    "label": labels["metric"].get(rule.metric, rule.metric),
                    "operator": labels["operator"].get(rule.operator, rule.operator),
                    "value": labels["format"](value),
                    "threshold": labels["format"](rule.threshold),
                    "met": OPERATORS[rule.operator](value, rule.threshold),
                }
            )
        tier = self.env["prm.tier"].sudo().browse(rung.tier_id)
        return {"tier": tier.name, "rules": rules}

    def _prm_training_labels(self, rung):
        """The engine's labels, naming only the certifications this rung
        measures (the engine's own lookup reads every certification rule)."""
        Rule = self.env["prm.tier.rule"]
        labels = {
            "metric": dict(Rule._fields["metric"]._description_selection(self.env)),
            "operator": dict(Rule._fields["operator"]._description_selection(self.env)),
        }
        ids = [
            int(rule.metric[len(CERTIFICATION_PREFIX) :])
            for rule in rung.rules
            if rule.metric.startswith(CERTIFICATION_PREFIX)
        ]
        for certification in self.env["prm.certification"].sudo().browse(ids):
            labels["metric"][f"{CERTIFICATION_PREFIX}{certification.id}"] = self.env._(
                "Certified: %(name)s", name=certification.name
            )
        labels["format"] = lambda value: format_number(self.env, value)
        return labels

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        counts = dict(
            self.env["prm.certificate"]._read_group(
                self._prm_training_certificate_domain(), ["state"], ["__count"]
            )
        )
        cards.append(
            {
                "key": "training",
                "sequence": 40,
                "title": self.env._("Training"),
                "url": "/my/training",
                "icon": "fa-graduation-cap",
                "count": counts.get("valid", 0) + counts.get("expiring", 0),
                "lines": [
                    self.env._("%(count)s expiring", count=counts.get("expiring", 0)),
                    self.env._("%(count)s expired", count=counts.get("expired", 0)),
                ],
            }
        )
        return cards
