import re
import time

from odoo.tests import HttpCase, tagged

from ..tools import codes as codetools
from .common import PrmActivationCommon


@tagged("post_install", "-at_install")
class TestPublicPage(PrmActivationCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.batch, cls.codes = cls._batch(quantity=20)
        cls.batch._prm_assign_serials(cls.partner_a, 1, 20)

    def _token(self):
        page = self.url_open("/activate")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _post(self, code, email="web@example.com", with_token=True, token=None):
        data = {"code": code, "subscriber_name": "Web", "subscriber_email": email}
        if with_token:
            data["csrf_token"] = token or self._token()
        return self.url_open("/activate/submit", data=data)

    def _answer(self, response):
        match = re.search(
            r'o_prm_activation_answer"[^>]*>\s*(.*?)\s*</div>', response.text, re.S
        )
        return match and match.group(1)

    def test_activation_through_the_page(self):
        response = self._post(codetools.display(self.codes[0]))
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-success", response.text)
        self.assertEqual(self.batch.activated_count, 1)
        activation = self.env["prm.activation"].search(
            [("batch_id", "=", self.batch.id)]
        )
        self.assertEqual(activation.channel, "web")
        self.assertEqual(activation.sudo().ip_address, "127.0.0.1")

    def test_csrf_is_required(self):
        response = self._post(self.codes[1], with_token=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.batch.activated_count, 0)

    def test_unknown_and_used_codes_answer_alike_in_time_and_text(self):
        self._set_limit("prm_activation.answer_seconds", "0.4")
        self._activate([self.codes[2]])
        payload = "ABCDEFGHJKMN"
        unknown = payload + codetools.check_char(payload)
        timings, answers = {}, {}
        token = self._token()
        # Warm-up: the first request compiles templates.
        self._post(unknown, email="warmup@example.com", token=token)
        for label, code in (("unknown", unknown), ("used", self.codes[2])):
            started = time.monotonic()
            response = self._post(code, email=f"{label}@example.com", token=token)
            timings[label] = time.monotonic() - started
            answers[label] = self._answer(response)
        self.assertEqual(answers["unknown"], answers["used"])
        self.assertTrue(answers["unknown"])
        for label, seconds in timings.items():
            self.assertGreaterEqual(seconds, 0.4, label)
        self.assertLess(abs(timings["unknown"] - timings["used"]), 0.3, timings)

    def test_ip_rate_limit_and_lockout(self):
        self._set_limit("prm_activation.ip_limit", "3")
        for index in range(3):
            self.assertEqual(
                self._post(
                    self.codes[3 + index], email=f"u{index}@example.com"
                ).status_code,
                200,
            )
        response = self._post(self.codes[10], email="fourth@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many attempts", response.text)
        self.assertEqual(self.batch.activated_count, 3, "The fourth was not tried.")

        # Lock-out: failures of one IP, whatever the subscriber.
        self._set_limit("prm_activation.ip_limit", "100")
        self.env["prm.activation.attempt"].sudo().search([]).unlink()
        for index in range(5):
            payload = f"ABCDEFGHJK{index + 2}2"
            self._post(
                payload + codetools.check_char(payload), email=f"m{index}@example.com"
            )
        response = self._post(self.codes[11], email="honest@example.com")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.batch.activated_count, 3)
