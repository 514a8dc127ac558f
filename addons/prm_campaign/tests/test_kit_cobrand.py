import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import (
    BLUE,
    RED,
    PrmCampaignCommon,
    count_color,
    make_pdf,
    make_png,
    pdf_text,
)


@tagged("post_install", "-at_install")
class TestKitCobrand(PrmCampaignCommon):
    def test_activation_cobrands_pdf_and_image(self):
        activation = self._activate()
        self.assertEqual(len(activation.file_ids), 2)
        text = pdf_text(self._file(activation, "application/pdf"))
        self.assertIn("Alpha Resellers", text, "The partner's name is on the flyer.")
        self.assertIn("+34 910 000 111", text)
        self.assertIn("Spring flyer", text, "The vendor's content stays.")
        banner = self._file(activation, "image/png")
        self.assertEqual(count_color(make_png(), self.logo_box, RED), 0)
        self.assertGreater(
            count_color(banner, self.logo_box, RED),
            500,
            "The red logo is drawn in the declared area.",
        )
        self.assertEqual(
            count_color(banner, (0.0, 0.0, 1.0, 0.45), RED),
            0,
            "Nothing is drawn outside the areas.",
        )

    def test_logo_change_regenerates_the_files(self):
        activation = self._activate()
        old_files = activation.file_ids
        self.partner_a.sudo().image_1920 = base64.b64encode(make_png((64, 64), BLUE))
        self.assertFalse(old_files.exists(), "The previous copies are replaced.")
        banner = self._file(activation, "image/png")
        self.assertGreater(count_color(banner, self.logo_box, BLUE), 500)
        self.assertEqual(count_color(banner, self.logo_box, RED), 0)

    def test_email_and_posts_are_the_partners_copy(self):
        activation = self._activate()
        self.assertEqual(activation.email_subject, "Fibre with Alpha Resellers")
        self.assertIn("Alpha Resellers", activation.email_body)
        self.assertTrue(activation.tracked_url)
        self.assertIn(activation.tracked_url, activation.email_body)
        self.assertNotIn("https://example.com/fibre", activation.email_body)
        tracker = activation.link_tracker_id
        self.assertEqual(tracker.source_id, self.partner_a.prm_campaign_source_id)
        self.assertEqual(tracker.campaign_id, self.kit.campaign_id)
        [(network, post)] = activation._prm_social_posts()
        self.assertEqual(network, "LinkedIn")
        self.assertEqual(
            post, f"Alpha Resellers brings you fibre: {activation.tracked_url}"
        )

    def test_kit_availability_by_type_tier_and_period(self):
        Kit = self.env["prm.campaign.kit"]
        gold_kit = self._create_kit(
            name="T-Gold kit", tier_ids=[Command.set(self.tier_gold.ids)]
        )
        referral_kit = self._create_kit(
            name="T-Referral kit",
            partner_type_ids=[Command.set(self.type_referral.ids)],
        )
        future_kit = self._create_kit(
            name="T-Future kit",
            date_start=self.today.replace(year=self.today.year + 1),
            date_end=False,
        )
        available = Kit.search(Kit._prm_available_domain(self.partner_a))
        self.assertIn(self.kit, available)
        self.assertNotIn(gold_kit, available)
        self.assertNotIn(referral_kit, available)
        self.assertNotIn(future_kit, available)
        with self.assertRaises(UserError):
            self._activate(kit=gold_kit)

    def test_activating_twice_returns_the_same_activation(self):
        activation = self._activate()
        self.assertEqual(self._activate(), activation)

    def test_generated_fields_are_set_by_their_action(self):
        activation = self._activate()
        with self.assertRaises(AccessError):
            activation.with_user(self.user_prm_admin).write({"file_ids": False})
        with self.assertRaises(AccessError):
            self.env["prm.campaign.activation"].with_user(self.user_prm_admin).create(
                {
                    "kit_id": self.kit.id,
                    "partner_id": self.partner_b.id,
                    "source_id": activation.source_id.id,
                }
            )
        with self.assertRaises(AccessError):
            activation.with_user(self.user_other_manager).action_regenerate()
        self.assertTrue(
            activation.with_user(self.user_channel_manager).action_regenerate()
        )


@tagged("post_install", "-at_install")
class TestKitBadInput(PrmCampaignCommon):
    def _asset(self, data, file_name):
        return self._create_asset(self.kit, "Bad", data, file_name, [])

    def test_50_mb_file_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "too large"):
            self._asset(b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024), "big.pdf")

    def test_file_not_of_the_type_it_claims_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not what its name says"):
            self._asset(make_png(), "flyer.pdf")
        with self.assertRaisesRegex(ValidationError, "cannot be co-branded"):
            self._asset(b"just some text, not a flyer", "flyer.pdf")
        with self.assertRaisesRegex(ValidationError, "cannot be co-branded"):
            self._asset(
                b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
                "logo.png",
            )

    def test_broken_pdf_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "damaged"):
            self._asset(make_pdf()[:200], "broken.pdf")

    def test_dates_reversed_are_refused(self):
        with self.assertRaises(ValidationError):
            self._create_kit(
                date_start=self.today, date_end=self.today.replace(year=2000)
            )

    def test_area_outside_the_page_is_refused(self):
        with self.assertRaises(ValidationError):
            self.asset_png.area_ids = [
                Command.create(
                    {"kind": "name", "x": 0.8, "y": 0.1, "width": 0.5, "height": 0.1}
                )
            ]
        with self.assertRaises(ValidationError):
            self.asset_png.area_ids = [
                Command.create(
                    {
                        "kind": "name",
                        "x": 0.1,
                        "y": 0.1,
                        "width": 0.2,
                        "height": 0.1,
                        "color": "red; background: url(x)",
                    }
                )
            ]
