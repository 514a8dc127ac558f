from odoo.tests import HttpCase, tagged

from odoo.addons.prm_partner.tests.json2 import Json2Mixin

from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestActivationApi(Json2Mixin, PrmActivationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch, cls.codes = cls._batch(quantity=20)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 20)

    def test_bulk_activation_over_json2(self):
        activations = [
            {"code": code, "subscriber_email": f"s{index}@example.com"}
            for index, code in enumerate(self.codes[:5])
        ]
        activations.append({"code": self.codes[0], "subscriber_email": "x@example.com"})
        response = self._json2(
            self.user_api,
            "prm.activation.code",
            "activate_codes",
            activations=activations,
        )
        self.assertEqual(response.status_code, 200, response.text)
        statuses = [row["status"] for row in response.json()]
        self.assertEqual(statuses, ["activated"] * 5 + ["invalid"])
        self.assertEqual(self.batch.activated_count, 5)
        activation = self.env["prm.activation"].search([], limit=1)
        self.assertEqual(activation.user_id, self.user_api)
        self.assertEqual(activation.channel, "api")

    def test_only_the_api_group(self):
        response = self._json2(
            self.user_channel_manager,
            "prm.activation.code",
            "activate_codes",
            activations=[{"code": self.codes[0], "subscriber_email": "x@example.com"}],
        )
        self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(self.batch.activated_count, 0)

    def test_bad_input_and_private_methods(self):
        response = self._json2(
            self.user_api, "prm.activation.code", "activate_codes", activations="nope"
        )
        self.assertEqual(response.status_code, 422, response.text)
        response = self._json2(
            self.user_api,
            "prm.activation.code",
            "activate_codes",
            activations=[{"code": "x"}] * 1001,
        )
        self.assertEqual(response.status_code, 422, response.text)
        # Nothing but activate_codes is callable: the helpers are private.
        for model, method in (
            ("prm.activation", "_prm_activate_many"),
            ("prm.activation.batch", "_prm_pop_export"),
            ("prm.activation.batch", "_prm_secret"),
        ):
            response = self._json2(self.user_api, model, method)
            self.assertIn(response.status_code, (403, 404), (method, response.text))
        self.assertEqual(self.batch.activated_count, 0)
