from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PrmStockCommon


@tagged("post_install", "-at_install")
class TestInstallation(PrmStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_a = cls._sell(cls.contact_a, 2)
        cls._ship(cls.order_a, cls.kit_lots[:2])
        cls.order_b = cls._sell(cls.contact_b, 1)
        cls._ship(cls.order_b, cls.kit_lots[2])

    def _request(self, lot, partner=None, **vals):
        partner = partner or self.partner_a
        return (
            self.env["prm.installation"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "requested_by_id": partner.child_ids[:1].id,
                    "lot_id": lot.id,
                    "customer_name": "Eve End",
                    "customer_street": "1 Main St",
                    "customer_city": "Springfield",
                    "customer_phone": "+1 555 0100",
                    "preferred_date": self.today,
                    **vals,
                }
            )
        )

    def test_requestable_serials_are_the_partners_own(self):
        Installation = self.env["prm.installation"]
        self.assertEqual(
            Installation._prm_requestable_lots(self.contact_a), self.kit_lots[:2]
        )
        self.assertEqual(
            Installation._prm_requestable_lots(self.contact_b), self.kit_lots[2]
        )
        self._request(self.kit_lots[0])
        self.assertEqual(
            Installation._prm_requestable_lots(self.contact_a), self.kit_lots[1]
        )
        with self.assertRaisesRegex(ValidationError, "was not delivered to Alpha"):
            self._request(self.kit_lots[2])

    def test_one_open_installation_per_serial(self):
        first = self._request(self.kit_lots[0])
        with self.assertRaisesRegex(
            ValidationError, "already has an open installation"
        ):
            self._request(self.kit_lots[0])
        # Two portals at the same moment: the database refuses the second.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO prm_installation (name, company_id, partner_id,"
                " lot_id, customer_name, customer_street, customer_city,"
                " customer_phone, preferred_date, state)"
                " SELECT 'X', company_id, partner_id, lot_id, 'x', 'x', 'x',"
                " 'x', preferred_date, 'new' FROM prm_installation WHERE id = %s",
                [first.id],
            )
        first.write(
            {
                "user_id": self.user_channel_manager.id,
                "planned_date": fields.Datetime.now(),
            }
        )
        first.action_plan()
        first.action_done()
        self.assertTrue(self._request(self.kit_lots[0]), "a new job once done")

    def test_states_move_through_actions_only(self):
        installation = self._request(self.kit_lots[0]).with_user(
            self.user_channel_manager
        )
        with self.assertRaises(AccessError):
            installation.write({"state": "done"})
        with self.assertRaisesRegex(UserError, "technician and the date"):
            installation.action_plan()
        with self.assertRaisesRegex(UserError, "status Planned"):
            installation.action_done()
        installation.write(
            {
                "user_id": self.user_channel_manager.id,
                "planned_date": fields.Datetime.now(),
            }
        )
        installation.action_plan()
        self.assertEqual(installation.state, "planned")
        with self.assertRaisesRegex(UserError, "Failure reason"):
            installation.action_fail()
        installation.failure_reason = "No power at the site."
        installation.action_fail()
        self.assertEqual(installation.state, "failed")
        self.assertTrue(installation.date_done)
        installation.action_reset()
        self.assertEqual(installation.state, "new")
        portal = installation.with_user(self.user_portal_a)
        self.assertEqual(portal.customer_name, "Eve End")
        with self.assertRaises(AccessError):
            portal.write({"customer_name": "Mallory"})
        theirs = self._request(self.kit_lots[2], self.partner_b)
        with self.assertRaises(AccessError):
            theirs.with_user(self.user_portal_a).check_access("read")
        self.assertFalse(
            self.env["prm.installation"]
            .with_user(self.user_portal_a)
            .search([("id", "=", theirs.id)])
        )

    def test_rating_per_partner_and_product(self):
        installation = self._request(self.kit_lots[0])
        installation.write(
            {
                "user_id": self.user_channel_manager.id,
                "planned_date": fields.Datetime.now(),
            }
        )
        installation.action_plan()
        installation.action_done()
        token = installation._rating_get_access_token(partner=self.contact_a)
        installation.rating_apply(5, token=token, feedback="Great")
        self.assertEqual(installation._prm_rating_of(self.contact_a).rating, 5)
        groups = self.env["prm.installation"]._read_group(
            [("state", "=", "done")],
            ["partner_id", "product_id"],
            ["rating_last_value:avg"],
        )
        self.assertIn((self.partner_a, self.product_kit, 5.0), groups)
