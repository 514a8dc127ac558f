from odoo.tests import tagged

from .common import PrmCommon


@tagged("post_install", "-at_install")
class TestPartnerImportCreate(PrmCommon):
    """``prm_import_partners`` creates partners and representatives in one
    ``create`` per batch, the contacts' sync with their company batched: the
    records must be the ones ``res.partner.create`` makes one by one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.spain = cls.env.ref("base.es")
        cls.company_with_address = Partner.create(
            {
                "name": "Sync Address SL",
                "lang": "en_US",
                "is_company": True,
                "vat": "ESA12345674",
                "street": "Calle Mayor 1",
                "zip": "28001",
                "city": "Madrid",
                "country_id": cls.spain.id,
            }
        )
        cls.company_without_address = Partner.create(
            {"name": "Sync Bare SL", "is_company": True}
        )
        cls.role_admin = cls.env["prm.role"].search([("code", "=", "admin")], limit=1)

    def _synced_values(self, contact):
        """What create decides on a contact (and its company) from the
        company, in every company: language, commercial fields, address."""
        Partner = self.env["res.partner"]
        names = ["lang", *Partner._commercial_fields(), *Partner._address_fields()]
        values = []
        for company in self.env["res.company"].sudo().search([]):
            for record in (contact, contact.parent_id):
                record = record.sudo().with_company(company)
                values.append(
                    {
                        name: record[name].ids
                        if record._fields[name].relational
                        else record[name]
                        for name in names
                    }
                )
        return values

    def test_batched_create_syncs_contacts_like_create(self):
        Partner = self.env["res.partner"].with_user(self.user_prm_admin)
        cases = [
            # The company's address and VAT go down to the contact.
            (self.company_with_address, {}),
            # A contact with an address of its own gets the company's.
            (self.company_with_address, {"city": "Sevilla", "zip": "41001"}),
        ]
        for parent, extra in cases:
            vals = {"parent_id": parent.id, "type": "contact", **extra}
            by_create = Partner.create([{**vals, "name": "By create"}])
            by_import = Partner._prm_import_create([{**vals, "name": "By import"}])
            self.assertEqual(
                self._synced_values(by_import), self._synced_values(by_create), extra
            )
            self.assertEqual(by_import.vat, "ESA12345674")
            self.assertEqual(by_import.city, "Madrid")

    def test_batched_create_moves_first_address_up_like_create(self):
        """A contact with an address under a company without one gives the
        company its address (Odoo's upstream sync), in both paths."""
        Partner = self.env["res.partner"].with_user(self.user_prm_admin)
        bare_too = self.company_without_address.copy({"name": "Sync Bare Too SL"})
        vals = {"type": "contact", "city": "Bilbao", "country_id": self.spain.id}
        Partner.create(
            [
                {
                    **vals,
                    "name": "By create",
                    "parent_id": self.company_without_address.id,
                }
            ]
        )
        Partner._prm_import_create(
            [{**vals, "name": "By import", "parent_id": bare_too.id}]
        )
        self.assertEqual(self.company_without_address.city, "Bilbao")
        self.assertEqual(bare_too.city, "Bilbao")

    def _rows(self, tag, count):
        return [
            {
                "name": f"Flat {tag} {i}",
                "ref": f"FLAT-{tag}-{i}",
                "email": f"office@flat-{tag}-{i}.example.com",
                "city": "Madrid",
                "country": "ES",
                "territories": "ES, PT",
                "partner_type": self.type_reseller.code,
                "tier": self.tier_silver.name,
                "manager": self.user_channel_manager.login,
                "representatives": f"Rep {i} <rep@flat-{tag}-{i}.example.com> [admin]",
            }
            for i in range(count)
        ]

    def test_import_reads_do_not_grow_with_rows(self):
        Partner = self.env["res.partner"].with_user(self.user_prm_admin)
        Partner.prm_import_partners(rows=self._rows("warm", 2))
        self.env.flush_all()
        selects = []
        for tag, count in (("small", 5), ("large", 40)):
            with self._statements() as counts:
                results = Partner.prm_import_partners(rows=self._rows(tag, count))
                self.env.flush_all()
            self.assertEqual({r["status"] for r in results}, {"created"})
            selects.append(counts["SELECT"])
        self.assertEqual(selects[0], selects[1], "reads per batch, not per row")
        partner = self.env["res.partner"].search([("ref", "=", "FLAT-large-7")])
        self.assertRecordValues(
            partner,
            [
                {
                    "prm_tier_id": self.tier_silver.id,
                    "prm_manager_id": self.user_channel_manager.id,
                    "city": "Madrid",
                }
            ],
        )
        self.assertRecordValues(
            partner.child_ids,
            [
                {
                    "email": "rep@flat-large-7.example.com",
                    "city": "Madrid",
                    "country_id": self.spain.id,
                    "prm_role_ids": self.role_admin.ids,
                }
            ],
        )
