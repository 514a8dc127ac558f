from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.prm_partner.tests.common import PrmTourCase

from .common import PrmIncentiveCommon, PrmSelloutCommon


@tagged("post_install", "-at_install")
class TestIncentiveTour(PrmIncentiveCommon, PrmTourCase):
    def test_close_approve_post_from_the_program(self):
        program = self._create_program(name="Tour program")
        self._sell(1000, date="2025-05-10")
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_incentive_program/{program.id}",
            "prm_incentive_close_period_tour",
            login=self.user_accountant.login,
        )
        settlement = self.env["prm.settlement"].search(
            [("program_id", "=", program.id)]
        )
        self.assertEqual(settlement.state, "posted")
        self.assertEqual(settlement.move_ids.amount_total, 50.0)

    def test_close_from_the_menu_with_defaults(self):
        """The wizard opened from the menu closes with its own defaults, even
        with a quarterly program whose quarter has not ended."""
        today = fields.Date.context_today(self.env.user)
        last_month = today.replace(day=1) - relativedelta(days=1)
        monthly = self._create_program(
            name="Monthly tour program",
            period="monthly",
            date_start=last_month.replace(month=1, day=1),
        )
        quarterly = self._create_program(
            name="Quarterly tour program",
            date_start=last_month.replace(month=1, day=1),
        )
        self._sell(1000, date=last_month.replace(day=10))
        self.start_tour(
            "/odoo",
            "prm_incentive_close_from_menu_tour",
            login=self.user_accountant.login,
        )
        settlement = self.env["prm.settlement"].search(
            [("program_id", "=", monthly.id)]
        )
        self.assertEqual(settlement.partner_id, self.partner_a)
        self.assertEqual(settlement.amount_total, 50.0)
        quarter_ended = quarterly._get_period(last_month)[1] < today
        self.assertEqual(
            bool(
                self.env["prm.settlement"].search([("program_id", "=", quarterly.id)])
            ),
            quarter_ended,
            "the quarterly program is closed only once its quarter has ended",
        )

    def test_close_in_background_from_the_menu(self):
        """*Close in background* queues a job the user lands on; the scheduled
        job then settles the period."""
        today = fields.Date.context_today(self.env.user)
        last_month = today.replace(day=1) - relativedelta(days=1)
        program = self._create_program(
            name="Background tour program",
            period="monthly",
            date_start=last_month.replace(month=1, day=1),
        )
        self._sell(1000, date=last_month.replace(day=10))
        self.start_tour(
            "/odoo",
            "prm_incentive_close_background_tour",
            login=self.user_accountant.login,
        )
        job = self.env["prm.settlement.close.job"].search(
            [("program_ids", "in", program.ids)]
        )
        self.assertEqual(job.state, "queued")
        self.assertEqual(job.user_id, self.user_accountant)
        # What the cron does, without its commits.
        job._run(lambda processed, remaining=None: 60.0)
        self.assertEqual(job.state, "done")
        self.assertEqual(job.settlement_ids.partner_id, self.partner_a)
        self.assertEqual(job.settlement_ids.amount_total, 50.0)

    def test_points_settlement_reads_in_points(self):
        program = self._create_program(name="Points tour", kind="points")
        self._sell(1200, date="2025-05-10")
        with freeze_time("2025-07-15"):
            settlement = self.env["prm.settlement"]._close_period(
                program, program.date_start.replace(month=6, day=30)
            )
            settlement.action_approve()
            settlement.action_post()
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_settlement/{settlement.id}",
            "prm_points_settlement_tour",
            login=self.user_accountant.login,
        )


@tagged("post_install", "-at_install")
class TestSelloutTour(PrmSelloutCommon, PrmTourCase):
    def test_fix_a_row_and_validate(self):
        batch = self._upload(
            self._csv(
                [
                    ["2025-02-03", "SRV-100", "2", "2000", "", "DE", "Acme GmbH"],
                    ["2025-02-05", "NOPE-1", "1", "10", "", "DE", "Bistro"],
                ]
            )
        )
        self.assertEqual(batch.error_count, 1)
        self.start_tour(
            f"/odoo/action-prm_incentive.action_prm_sellout_batch/{batch.id}",
            "prm_sellout_fix_and_validate_tour",
            login=self.user_accountant.login,
        )
        self.assertEqual(batch.state, "validated")
        line = batch.line_ids.filtered(lambda line: line.raw_product == "NOPE-1")
        self.assertEqual(line.product_id, self.product_service)
        self.assertEqual(line.raw_product, "NOPE-1")

    def test_upload_fix_upload_again_and_validate(self):
        """The real click path: the form saves the wizard and reads its file
        back as a size before *Import* runs."""
        self.start_tour(
            "/odoo", "prm_sellout_upload_tour", login=self.user_accountant.login
        )
        batch = self.env["prm.sellout.batch"].search(
            [("partner_id", "=", self.distributor.id)]
        )
        self.assertEqual(len(batch), 1, "Upload again replaces the rows of the report")
        self.assertEqual(batch.state, "validated")
        self.assertEqual(
            (batch.date_from, batch.date_to),
            (fields.Date.to_date("2025-02-01"), fields.Date.to_date("2025-02-28")),
        )
        self.assertEqual(batch.file_name, "delta-february-fixed.csv")
        self.assertEqual(
            batch.line_ids.sorted("row_number").mapped("product_id"),
            self.product_server + self.product_service,
        )
        self.assertEqual(batch.amount_total, 2010.0)
