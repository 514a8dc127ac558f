from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivation(PrmActivationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch, cls.codes = cls._batch(quantity=40)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 30)

    def test_activation_records_who_when_whom(self):
        answers = (
            self.env["prm.activation"]
            .sudo()
            ._prm_activate_many(
                [
                    {
                        "code": self.codes[0].lower(),
                        "subscriber_name": "Ada",
                        "subscriber_email": "ADA@example.com",
                        "subscriber_ref": "C-1",
                    }
                ],
                channel="web",
                user=self.user_api,
                ip="10.0.0.1",
            )
        )
        self.assertEqual(answers[0]["status"], "activated")
        activation = self.env["prm.activation"].search(
            [("batch_id", "=", self.batch.id)]
        )
        self.assertRecordValues(
            activation,
            [
                {
                    "partner_id": self.partner_a.id,
                    "user_id": self.user_api.id,
                    "channel": "web",
                    "subscriber_name": "Ada",
                    "subscriber_ref": "C-1",
                    "value": 30.0,
                    "days_after_assignment": 0,
                    "state": "done",
                }
            ],
        )
        self.assertEqual(activation.code_id.serial, 1)
        self.assertEqual(activation.code_id.state, "activated")
        with self.assertRaisesRegex(AccessError, "set by its action"):
            activation.write({"partner_id": self.partner_b.id})

    def test_unknown_used_voided_and_unassigned_answer_alike(self):
        self._activate([self.codes[1]])
        self.batch._prm_void_serials(3, 3)
        unknown = "23456789ABCD"
        from ..tools import codes as codetools

        unknown += codetools.check_char(unknown)
        answers = self._activate(
            [unknown, self.codes[1], self.codes[2], self.codes[35]],
            email="other@example.com",
        )
        self.assertEqual(self._statuses(answers), ["invalid"] * 4)
        self.assertEqual(len({answer["message"] for answer in answers}), 1)

    def test_typo_missing_and_duplicates(self):
        code = self.codes[4]
        typo = code[:-1] + ("2" if code[-1] != "2" else "3")
        answers = (
            self.env["prm.activation"]
            .sudo()
            ._prm_activate_many(
                [
                    {"code": typo, "subscriber_email": "a@example.com"},
                    {"code": code, "subscriber_email": ""},
                    {"code": code, "subscriber_email": "a@example.com"},
                    {"code": code, "subscriber_email": "b@example.com"},
                ],
                channel="api",
                user=self.env.user,
            )
        )
        self.assertEqual(
            self._statuses(answers), ["typo", "missing", "activated", "invalid"]
        )

    def test_subscriber_locked_out_after_failures(self):
        from ..tools import codes as codetools

        wrong = []
        for index in range(5):
            payload = f"2345678{index + 2}ABCD"
            wrong.append(payload + codetools.check_char(payload))
        self._activate(wrong, email="mallory@example.com")
        answers = self._activate([self.codes[6]], email="mallory@example.com")
        self.assertEqual(self._statuses(answers), ["locked"])
        self.assertEqual(self.batch.activated_count, 0)
        # Another subscriber is not locked out by Mallory's failures.
        self.assertEqual(self._statuses(self._activate([self.codes[6]])), ["activated"])

    def test_activations_query_count_is_flat(self):
        """Activating 5 or 25 codes costs the same number of queries."""
        self._activate([self.codes[0]], email="warm@example.com")
        self.env.invalidate_all()
        with self._statements() as small:
            self._activate(self.codes[1:6], email="s@example.com")
        self.env.invalidate_all()
        with self._statements() as large:
            self._activate(self.codes[6:30], email="l@example.com")
        self.assertEqual(small["SELECT"], large["SELECT"], (small, large))
        self.assertLessEqual(self._writes(large), self._writes(small) + 2)
