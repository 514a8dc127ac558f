from odoo.tests import new_test_user, tagged

from .common_application import PrmApplicationCommon


@tagged("post_install", "-at_install")
class TestApplicationAssignment(PrmApplicationCommon):
    """Channel manager by territory: state before country, round-robin,
    capacity, fallbacks, and the review activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_third = new_test_user(
            cls.env,
            login="prm_third_manager",
            name="Theo Third",
            groups="prm_partner.group_prm_user",
            company_id=cls.env.company.id,
        )

    def test_round_robin_within_the_territory(self):
        self._territory(self.user_channel_manager, countries=self.es, sequence=1)
        self._territory(self.user_other_manager, countries=self.es, sequence=2)
        apps = self._intake([self._row(f"Iberia {i}") for i in range(4)])
        self.assertEqual(
            apps.mapped("user_id"),
            self.user_channel_manager | self.user_other_manager,
        )
        self.assertEqual(
            [a.user_id for a in apps],
            [self.user_channel_manager, self.user_other_manager] * 2,
        )
        # The rotation carries on with the next intake.
        nxt = self._intake(self._row("Iberia next"))
        self.assertEqual(nxt.user_id, self.user_channel_manager)

    def test_state_lines_win_over_country_lines(self):
        self._territory(self.user_channel_manager, countries=self.es)
        self._territory(self.user_third, states=self.madrid)
        madrid, other = self._intake(
            [
                self._row("Madrid Co", country_state=self.madrid.code),
                self._row("Valencia Co"),
            ]
        )
        self.assertEqual(madrid.state_id, self.madrid)
        self.assertEqual(madrid.user_id, self.user_third)
        self.assertEqual(other.user_id, self.user_channel_manager)

    def test_capacity_skips_full_managers(self):
        self._territory(
            self.user_channel_manager, countries=self.es, capacity=1, sequence=1
        )
        self._territory(
            self.user_other_manager, countries=self.es, capacity=2, sequence=2
        )
        apps = self._intake([self._row(f"Load {i}") for i in range(4)])
        self.assertEqual(
            [a.user_id for a in apps],
            [
                self.user_channel_manager,
                self.user_other_manager,
                self.user_other_manager,
                # Everybody full: the default application manager.
                self.user_prm_admin,
            ],
        )
        # Deciding frees capacity.
        apps[0]._prm_reject(self.reason_territory, send_email=False)
        self.assertEqual(
            self._intake(self._row("Load 5")).user_id, self.user_channel_manager
        )

    def test_fallback_to_administrators(self):
        self.env.company.prm_application_manager_id = False
        admin2 = new_test_user(
            self.env,
            login="prm_admin_two",
            groups="prm_partner.group_prm_manager",
            company_id=self.env.company.id,
        )
        apps = self._intake([self._row(f"Nowhere {i}", country="SE") for i in range(4)])
        # Administrators share them, least loaded first.
        self.assertEqual(
            sorted(apps.mapped("user_id").ids),
            sorted((self.user_prm_admin | admin2).ids),
        )
        self.assertEqual(len(apps.filtered(lambda a: a.user_id == admin2)), 2)

    def test_review_activity_for_the_assignee(self):
        self._territory(self.user_channel_manager, countries=self.es)
        app = self._intake(self._row("Activity Co"))
        activity = app.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_channel_manager)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("prm_partner.mail_activity_prm_application_review"),
        )
        self.assertIn(self.user_channel_manager.partner_id, app.message_partner_ids)
        # Deciding closes it.
        app._prm_reject(self.reason_territory, send_email=False)
        self.assertFalse(app.activity_ids)

    def test_given_manager_is_kept(self):
        self._territory(self.user_channel_manager, countries=self.es)
        app = self._intake(self._row("Preassigned", user_id=self.user_third.id))
        self.assertEqual(app.user_id, self.user_third)
        self.assertEqual(app.activity_ids.user_id, self.user_third)
