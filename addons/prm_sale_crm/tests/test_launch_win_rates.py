from odoo.tests import tagged

from odoo.addons.prm_sale.tests.launch_common import PrmLaunchRankingCommon


@tagged("post_install", "-at_install")
class TestLaunchWinRates(PrmLaunchRankingCommon):
    """With CRM, the launch ranking counts the partners' channel deals closed
    in the period: A won 3 and lost 1 (75 %; a deal won before the period and
    an open one do not count), B lost 1 (0 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a, b = cls.partner_a, cls.partner_b
        won_stage = cls.env["crm.stage"].create({"name": "T-Won", "is_won": True})

        def lead(partner, status, closed):
            vals = {
                "name": f"{partner.name} {status} {closed}",
                "type": "opportunity",
                "prm_partner_id": partner.id,
                "date_closed": f"{closed} 10:00:00",
            }
            if status == "won":
                vals.update(stage_id=won_stage.id, probability=100)
            elif status == "lost":
                vals.update(active=False, probability=0)
            else:
                vals.update(probability=30, date_closed=False)
            return vals

        cls.env["crm.lead"].create(
            [
                lead(a, "won", "2025-01-15"),
                lead(a, "won", "2025-03-15"),
                lead(a, "won", "2025-06-30"),
                lead(a, "lost", "2025-02-01"),
                lead(a, "won", "2024-12-01"),
                lead(a, "pending", "2025-03-01"),
                lead(b, "lost", "2025-04-04"),
            ]
        )

    def test_win_rates(self):
        wizard = self._ranked()
        a = self._line(wizard, self.partner_a)
        self.assertEqual((a.won_count, a.lost_count), (3, 1))
        self.assertAlmostEqual(a.win_rate, 75)
        b = self._line(wizard, self.partner_b)
        self.assertEqual((b.won_count, b.lost_count), (0, 1))
        self.assertAlmostEqual(b.win_rate, 0)
        d = self._line(wizard, self.partner_d)
        self.assertEqual((d.won_count, d.lost_count, d.win_rate), (0, 0, 0))

    def test_win_rate_in_the_score(self):
        wizard = self._ranked()
        # (40 * revenue + 20 * quantity + 20 * growth + 20 * win rate) / 100
        self.assertAlmostEqual(
            self._line(wizard, self.partner_a).score,
            (40 * 100 + 20 * 100 + 20 * 100 + 20 * 75) / 100,
            places=1,
        )
        wizard = self._ranked(
            weight_revenue=0, weight_quantity=0, weight_growth=0, weight_win_rate=1
        )
        lines = self._ours(wizard).sorted("rank")
        self.assertEqual(lines[0].partner_id, self.partner_a)
        self.assertAlmostEqual(lines[0].score, 75)
