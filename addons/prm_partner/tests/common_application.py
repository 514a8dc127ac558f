"""Fixture of the partner application tests: countries, criteria-free company
(each test adds the criteria and territories it needs) and intake helpers."""

from odoo import Command

from .common import PrmCommon


class PrmApplicationCommon(PrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Application = cls.env["prm.application"]
        cls.es = cls.env.ref("base.es")
        cls.pt = cls.env.ref("base.pt")
        cls.de = cls.env.ref("base.de")
        cls.ru = cls.env.ref("base.ru")
        cls.us = cls.env.ref("base.us")
        cls.se = cls.env.ref("base.se")
        cls.madrid = cls.env["res.country.state"].search(
            [("country_id", "=", cls.es.id), ("code", "=", "M")], limit=1
        )
        cls.reason_territory = cls.env.ref("prm_partner.reject_reason_territory")
        # Applications without a territory go to this administrator, unless a
        # test says otherwise.
        cls.env.company.prm_application_manager_id = cls.user_prm_admin

    @classmethod
    def _company_partner(cls, name, **vals):
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "company_id": cls.env.company.id, **vals}
        )

    @classmethod
    def _territory(cls, user, countries=None, states=None, capacity=0, sequence=10):
        return cls.env["prm.territory.assignment"].create(
            {
                "user_id": user.id,
                "country_ids": [Command.set(countries.ids if countries else [])],
                "country_state_ids": [Command.set(states.ids if states else [])],
                "capacity": capacity,
                "sequence": sequence,
            }
        )

    @classmethod
    def _criterion(cls, kind, weight=10, mandatory=False, **vals):
        return cls.env["prm.application.criterion"].create(
            {
                "name": f"Criterion {kind}",
                "kind": kind,
                "weight": weight,
                "mandatory": mandatory,
                **vals,
            }
        )

    def _intake(self, vals_list, source="import"):
        return self.Application._prm_intake(vals_list, source=source)

    def _row(self, name, **vals):
        """A plausible application row; ``vals`` override or add fields."""
        slug = "".join(c for c in name.lower() if c.isalnum())
        return {
            "name": name,
            "contact_name": f"Contact of {name}",
            "email": f"hello@{slug}.example.com",
            "country": "ES",
            **vals,
        }


BULK_COUNTRIES = ("ES", "PT", "DE", "FR", "US", "SE")
BULK_TYPES = ("reseller", "distributor", "integrator", "referral")


def bulk_partner_vals(count, company_id=False):
    """Existing companies the bulk rows collide with."""
    return [
        {
            "name": f"Existing Partner {k} GmbH",
            "is_company": True,
            "email": f"info@existing{k}.example.com",
            "company_id": company_id,
        }
        for k in range(count)
    ]


def bulk_application_rows(count, existing=20, prefix="Bulk", offset=0):
    """``count`` import rows (``prefix`` and ``offset`` keep several sets
    apart), one in ten of each kind: certain duplicates of
    the previous row (merged), email domain or name of an existing partner
    (probable), free-mail senders; the rest distinct companies."""
    rows = []
    for i in range(count):
        country = BULK_COUNTRIES[i % len(BULK_COUNTRIES)]
        row = {
            "name": f"{prefix} Company {i} S.L.",
            "contact_name": f"Contact {i}",
            "email": f"c{i}@{prefix.lower()}{i}.example.com",
            "phone": f"+3491{offset + i:07d}",
            "country": country,
            "served_countries": [country],
            "partner_type": BULK_TYPES[i % len(BULK_TYPES)],
            "declared_revenue": (i % 7) * 100000,
            "headcount": i % 30,
            "website": f"www.{prefix.lower()}{i}.example.com" if i % 3 else False,
        }
        kind = i % 10
        if kind == 1 and i:
            previous = rows[i - 1]
            row.update(
                name=previous["name"].upper(),
                email=f"other{i}@{prefix.lower()}{i - 1}.example.com",
            )
        elif kind == 2 and existing:
            row["email"] = f"sales{i}@existing{i // 10 % existing}.example.com"
        elif kind == 3 and existing:
            row["name"] = f"Existing Partner {i // 10 % existing} LLC"
        elif kind == 4:
            row["email"] = f"{prefix.lower()}{i}@gmail.com"
        rows.append(row)
    return rows
