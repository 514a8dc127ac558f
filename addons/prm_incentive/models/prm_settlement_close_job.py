from odoo import _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.models.res_partner_import import prm_check_import_rights

ACCOUNTANTS = "account.group_account_user"

DEFAULT_BATCH_SIZE = 200


class PrmSettlementCloseJob(models.Model):
    """A period close run by the scheduled job *Partner Incentives: run the
    period closes*, in batches of partners, each committed with
    ``ir.cron._commit_progress``.

    A close of thousands of partners does not fit one HTTP request nor one
    transaction. Each batch creates and fills the settlements of the next
    partners and commits; a job killed half-way resumes at the next run from
    what was committed (partners already settled for the period are skipped,
    so nothing is written twice). Several Odoo servers sharing the database
    share the jobs through the cron's row lock.
    """

    _name = "prm.settlement.close.job"
    _inherit = ["prm.guarded.mixin"]
    _description = "Period Close Job"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Requested by", required=True, readonly=True
    )
    program_ids = fields.Many2many(
        "prm.incentive.program", string="Programs", required=True, readonly=True
    )
    date = fields.Date(string="Period of", required=True, readonly=True)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        required=True,
        default="queued",
        readonly=True,
    )
    refreshed_program_ids = fields.Many2many(
        "prm.incentive.program",
        "prm_settlement_close_job_refreshed_rel",
        string="Accruals refreshed",
        readonly=True,
        help="Programs whose accruals and period results this job brought up "
        "to date (a resumed job does not redo them).",
    )
    settlement_ids = fields.Many2many(
        "prm.settlement", string="Settlements", readonly=True
    )
    settlement_count = fields.Integer(compute="_compute_settlement_count")
    partners_done = fields.Integer(string="Partners settled", readonly=True)
    partners_remaining = fields.Integer(string="Partners left", readonly=True)
    message = fields.Text(readonly=True)

    def _prm_guarded_fields(self):
        run = Guard(_lt("Close in background"))
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(run.action, ("queued",)),
            **dict.fromkeys(
                (
                    "user_id",
                    "refreshed_program_ids",
                    "settlement_ids",
                    "partners_done",
                    "partners_remaining",
                    "message",
                ),
                run,
            ),
        }

    # --- Compute ---

    @api.depends("date", "program_ids")
    def _compute_name(self):
        for job in self:
            job.name = self.env._(
                "Close of %(programs)s, period of %(date)s",
                programs=", ".join(job.program_ids.mapped("name")),
                date=job.date,
            )

    @api.depends("settlement_ids")
    def _compute_settlement_count(self):
        for job in self:
            job.settlement_count = len(job.settlement_ids)

    # --- Actions ---

    def action_open_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_incentive.action_prm_settlement"
        )
        action["domain"] = [("id", "in", self.settlement_ids.ids)]
        return action

    # --- Job API (prm-client, integrations) ---

    @api.model
    def prm_start(self, date=None, programs=None):
        """Queue the close of the period holding ``date`` (a day of it) for
        ``programs`` (ids or names; default: the company's programs whose
        period has ended) and wake the scheduled job up; follow it with
        ``prm_status``.

        :return: the job's ``prm_status``
        """
        prm_check_import_rights(self.env, ACCOUNTANTS)
        day = fields.Date.to_date(date)
        if not day:
            raise UserError(self.env._("Give a day of the period to close."))
        Program = self.env["prm.incentive.program"]
        if programs:
            names = [p for p in programs if isinstance(p, str)]
            ids = [p for p in programs if isinstance(p, int)]
            selected = Program.search(
                Domain("id", "in", ids) | Domain("name", "in", names)
            )
            if len(selected) < len(set(programs)):
                raise UserError(
                    self.env._(
                        "Some of the programs %(programs)s do not exist.",
                        programs=", ".join(map(str, programs)),
                    )
                )
        else:
            selected = Program.search([("company_id", "=", self.env.company.id)])
        ended = selected._filter_period_ended(day)
        if not ended:
            raise UserError(
                self.env._(
                    "No program can be closed for %(day)s: the periods holding it "
                    "have not ended.",
                    day=day,
                )
            )
        return self._enqueue(ended, day).prm_status()

    def prm_status(self):
        """``{"id", "state", "done", "remaining", "settlements", "message"}``
        of this job (partners settled and left)."""
        prm_check_import_rights(self.env, ACCOUNTANTS)
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "done": self.partners_done,
            "remaining": self.partners_remaining,
            "settlements": len(self.settlement_ids),
            "message": self.message or "",
        }

    # --- Business ---

    @api.model
    def _enqueue(self, programs, day):
        """Queue the close of ``programs`` for the period holding ``day`` and
        wake the scheduled job up."""
        programs.check_access("read")
        self.env["prm.settlement"].check_access("create")
        job = self.sudo().create(
            {
                "company_id": programs.company_id[:1].id or self.env.company.id,
                "user_id": self.env.user.id,
                "program_ids": [fields.Command.set(programs.ids)],
                "date": day,
            }
        )
        self.env.ref("prm_incentive.ir_cron_prm_settlement_close_jobs")._trigger()
        return job.sudo(False)

    @api.model
    def _cron_run_jobs(self):
        """Run the queued (or interrupted) closes, oldest first."""
        progress = self.env["ir.cron"]._commit_progress
        for job in self.search([("state", "in", ("queued", "running"))], order="id"):
            job._run(progress)

    def _batch_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("prm_incentive.close_batch_size")
        )
        try:
            return max(int(value), 1) if value else DEFAULT_BATCH_SIZE
        except ValueError:
            return DEFAULT_BATCH_SIZE

    def _run(self, progress):
        """Close this job's periods in batches of partners; ``progress``
        (``ir.cron._commit_progress``) commits after each batch and returns
        the seconds left to the cron run: when none are left the job stops
        and the next run goes on."""
        self.ensure_one()
        # The job's own bookkeeping is written by the job only.
        job_sudo = self.sudo()
        # The close runs with the rights of the user who asked for it.
        job = self.with_user(self.user_id).with_company(self.company_id)
        Settlement = job.env["prm.settlement"]
        engine = job.env["prm.incentive.engine"].sudo()
        batch = self._batch_size()
        job_sudo.state = "running"
        try:
            for program in job.program_ids:
                date_from, date_to = program._get_period(self.date)
                if program not in job_sudo.refreshed_program_ids:
                    with self.env.cr.savepoint():
                        engine._refresh_period_accruals(program, date_from, date_to)
                        engine._apply_plan(engine._build_period_plan(program, date_to))
                    job_sudo.refreshed_program_ids = [fields.Command.link(program.id)]
                    if progress(0, remaining=self._remaining(job)) <= 0:
                        return False
                while True:
                    # A batch is written whole or not at all.
                    with self.env.cr.savepoint():
                        settlements = Settlement._create_settlements(
                            program, date_from, date_to, limit=batch
                        )
                    if not settlements:
                        break
                    remaining = self._remaining(job)
                    job_sudo.write(
                        {
                            "settlement_ids": [
                                fields.Command.link(sid) for sid in settlements.ids
                            ],
                            "partners_done": job_sudo.partners_done + len(settlements),
                            "partners_remaining": remaining,
                        }
                    )
                    if progress(len(settlements), remaining=remaining) <= 0:
                        return False
        except UserError as error:
            self.env.invalidate_all(flush=False)
            job_sudo.write({"state": "failed", "message": str(error)})
            job_sudo._notify_done()
            progress(0, remaining=0)
            return True
        job_sudo.write({"state": "done", "partners_remaining": 0})
        job_sudo._notify_done()
        progress(0, remaining=0)
        return True

    def _remaining(self, job):
        """Partners left to settle over the job's programs."""
        Settlement = job.env["prm.settlement"]
        return sum(
            len(
                Settlement._partners_to_settle(program, *program._get_period(self.date))
            )
            for program in job.program_ids
        )

    def _notify_done(self):
        """Tell the user who asked, on screen, that the close finished."""
        self.ensure_one()
        if self.state == "done":
            message = self.env._(
                "%(job)s: %(count)s settlements created.",
                job=self.name,
                count=len(self.settlement_ids),
            )
        else:
            message = self.env._(
                "%(job)s failed: %(error)s", job=self.name, error=self.message
            )
        self.user_id._bus_send(
            "simple_notification",
            {
                "type": "success" if self.state == "done" else "danger",
                "title": self.env._("Period close"),
                "message": message,
                "sticky": True,
            },
        )
