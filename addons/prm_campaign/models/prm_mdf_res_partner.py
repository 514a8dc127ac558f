from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _prm_portal_page_roles(self):
        roles = super()._prm_portal_page_roles()
        roles["funds"] = ("finance", "marketing")
        roles["surveys"] = ()
        return roles

    def _prm_portal_home_cards(self):
        cards = super()._prm_portal_home_cards()
        cards.append(self._prm_portal_funds_card())
        cards.append(self._prm_portal_surveys_card())
        return cards

    def _prm_portal_funds_card(self):
        """Open budget balance and requests waiting for a decision."""
        partner = self.commercial_partner_id
        # sudo: totals of the contact's own company rows, shown to it only.
        budgets = (
            self.env["prm.mdf.budget"]
            .sudo()
            ._read_group(
                [("partner_id", "=", partner.id), ("state", "=", "open")],
                ["currency_id"],
                ["amount_balance:sum"],
            )
        )
        pending = (
            self.env["prm.mdf.request"]
            .sudo()
            .search_count(
                [("partner_id", "=", partner.id), ("state", "=", "submitted")]
            )
        )
        lines = [
            self.env._(
                "Balance: %(amount)s",
                amount=f"{amount:,.2f} {currency.symbol or currency.name}",
            )
            for currency, amount in budgets
        ]
        if pending:
            lines.append(self.env._("%(count)s requests waiting", count=pending))
        return {
            "key": "funds",
            "sequence": 60,
            "title": self.env._("Market development funds"),
            "url": "/my/funds",
            "icon": "fa-money",
            "count": pending,
            "lines": lines,
        }

    def _prm_portal_surveys_card(self):
        # sudo: the contact's own invitations.
        todo = (
            self.env["survey.user_input"]
            .sudo()
            .search_count([("partner_id", "=", self.id), ("state", "!=", "done")])
        )
        return {
            "key": "surveys",
            "sequence": 70,
            "title": self.env._("Surveys"),
            "url": "/my/surveys",
            "icon": "fa-list-alt",
            "count": todo,
            "lines": [self.env._("%(count)s surveys to answer", count=todo)]
            if todo
            else [],
        }
