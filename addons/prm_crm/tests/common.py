"""Fixtures for deal registration and lead routing tests."""

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.prm_partner.tests.common import PrmCommon


class PrmDealCommon(PrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._add_groups(cls.user_channel_manager, "sales_team.group_sale_salesman")
        cls._add_groups(cls.user_prm_admin, "sales_team.group_sale_manager")
        cls.spain = cls.env.ref("base.es")
        cls.france = cls.env.ref("base.fr")
        cls.user_portal_b = new_test_user(
            cls.env,
            login="prm_portal_b",
            groups="base.group_portal",
            partner_id=cls.contact_b.id,
        )
        cls.user_salesman = new_test_user(
            cls.env,
            login="prm_direct_sales",
            name="Diego Direct",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )
        cls.tier_registered.registration_days = 30
        cls.tier_silver.registration_days = 60
        cls.Lead = cls.env["crm.lead"]

    @classmethod
    def _register(cls, user, **vals):
        """Register a deal as a partner's portal user."""
        vals.setdefault("partner_name", "Zeta Industries S.L.")
        vals.setdefault("country_id", cls.spain.id)
        lead = cls.Lead.with_user(user)._prm_portal_register_deal(vals)
        return lead.with_env(cls.env)

    @classmethod
    def _direct_lead(cls, **vals):
        """An open lead of the direct sales team (no channel partner)."""
        return cls.Lead.create(
            {
                "name": "Direct opportunity",
                "type": "opportunity",
                "user_id": cls.user_salesman.id,
                **vals,
            }
        )

    def _won_registration(self):
        """Partner A's approved registration of Zeta Industries, won:
        ``(lead, customer)``."""
        customer = self.env["res.partner"].create(
            {"name": "Zeta Industries S.L.", "is_company": True}
        )
        lead = self._register(self.user_portal_a)
        self._approve(lead)
        lead.partner_id = customer
        lead.action_set_won()
        return lead, customer

    def _approve(self, lead, user=None, **kwargs):
        lead = lead.with_user(user or self.user_channel_manager)
        return lead.action_prm_approve_registration(**kwargs)


class PrmRoutingCommon(PrmDealCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A partner type of our own keeps every other program partner out.
        cls.type_routing = cls.env["prm.partner.type"].create(
            {"name": "T-Routing", "code": "t_routing"}
        )
        cls.tier_registered.routing_weight = 1
        cls.tier_silver.routing_weight = 2
        cls.tier_gold.routing_weight = 4
        cls.p1 = cls._routing_partner("Rho One", cls.tier_registered)
        cls.p2 = cls._routing_partner("Rho Two", cls.tier_silver)
        cls.p3 = cls._routing_partner("Rho Three", cls.tier_gold)
        cls.contact_p1 = cls.env["res.partner"].create(
            {"name": "Rita Rho", "parent_id": cls.p1.id, "email": "rita@rho1.test"}
        )
        cls.user_portal_p1 = new_test_user(
            cls.env,
            login="prm_portal_p1",
            groups="base.group_portal",
            partner_id=cls.contact_p1.id,
        )
        cls.rule = cls.env["prm.routing.rule"].create(
            {
                "name": "France",
                "sequence": 10,
                "country_ids": [Command.set(cls.france.ids)],
                "partner_type_ids": [Command.set(cls.type_routing.ids)],
                "distribution": "weighted",
                "sla_hours": 24,
            }
        )
        cls.Rule = cls.env["prm.routing.rule"]
        cls.Offer = cls.env["prm.lead.offer"]
        cls.reason_capacity = cls.env.ref("prm_crm.offer_decline_reason_capacity")
        cls.reason_other = cls.env.ref("prm_crm.offer_decline_reason_other")

    @classmethod
    def _routing_partner(cls, name, tier, **vals):
        return cls._create_program_partner(
            name,
            tier=tier,
            prm_partner_type_id=cls.type_routing.id,
            prm_country_ids=[Command.set(cls.france.ids)],
            email=f"leads@{name.lower().replace(' ', '')}.test",
            **vals,
        )

    @classmethod
    def _leads(cls, count, **vals):
        return cls.Lead.create(
            [
                {
                    "name": f"Inbound lead {i}",
                    "type": "lead",
                    "user_id": False,
                    "company_id": cls.env.company.id,
                    "country_id": cls.france.id,
                    **vals,
                }
                for i in range(count)
            ]
        )

    def _offers(self, leads):
        return self.Offer.search([("lead_id", "in", leads.ids)])

    def _open_offer(self, lead):
        return self.Offer.search([("lead_id", "=", lead.id), ("state", "=", "offered")])
