from odoo import api, fields, models

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

from ..tools import codes as codetools

CHANNELS = [("web", "Public page"), ("api", "API"), ("backend", "Back office")]


class PrmActivation(models.Model):
    """A code switched on by a subscriber: who did it, when, for whom, and
    the partner it is credited to.

    One code has at most one activation in force: a partial unique index
    enforces it whatever the callers do, the row lock taken on the code makes
    the loser of a race get a clear answer instead of an error.
    """

    _name = "prm.activation"
    _description = "Code Activation"
    _inherit = ["prm.guarded.mixin"]
    _order = "date desc, id desc"
    _rec_name = "code_id"

    code_id = fields.Many2one(
        "prm.activation.code", required=True, index=True, ondelete="restrict"
    )
    batch_id = fields.Many2one(
        "prm.activation.batch", required=True, index=True, ondelete="restrict"
    )
    range_id = fields.Many2one("prm.activation.range", index=True, ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner",
        string="Credited partner",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(related="batch_id.product_id")
    date = fields.Datetime(required=True, index=True)
    user_id = fields.Many2one("res.users", string="Activated by", required=True)
    channel = fields.Selection(CHANNELS, required=True)
    subscriber_name = fields.Char()
    subscriber_email = fields.Char()
    subscriber_ref = fields.Char(string="Subscriber reference")
    ip_address = fields.Char(
        string="IP address", groups="prm_partner.group_prm_manager"
    )
    value = fields.Monetary(help="Value of the batch at activation.")
    days_after_assignment = fields.Integer(
        help="Days between the assignment of the code to the partner and its "
        "activation (incentive windows)."
    )
    state = fields.Selection(
        [("done", "Activated"), ("voided", "Voided")],
        required=True,
        default="done",
        index=True,
    )

    _one_per_code = models.UniqueIndex(
        "(code_id) WHERE state = 'done'", "This code is already activated."
    )

    def _prm_guarded_fields(self):
        """Activations are made by the activation and voided with their code,
        never edited."""
        guard = Guard(self.env._("Activate the code, or void it"))
        return {
            **super()._prm_guarded_fields(),
            **{
                name: guard
                for name, field in self._fields.items()
                if field.store
                and name
                not in ("id", "create_uid", "create_date", "write_uid", "write_date")
            },
        }

    # --- Business ---

    def _prm_void(self):
        """The code was voided after activation: the activation no longer
        counts and what it earned is clawed back."""
        self.sudo().write({"state": "voided"})
        self.env["prm.incentive.engine"].sudo()._refresh_activation_accruals(
            self.batch_id
        )

    @api.model
    def _prm_answer(self, status):
        """The message of each answer. Unknown, used, voided and expired codes
        share one: an attacker learns nothing from it."""
        messages = {
            "activated": self.env._("Your code is activated. Welcome!"),
            "invalid": self.env._(
                "This code cannot be activated. Check it and try again."
            ),
            "typo": self.env._("This code has a typing error: check each character."),
            "busy": self.env._(
                "This code is being activated right now; try again in a moment."
            ),
            "locked": self.env._("Too many attempts. Try again later."),
            "missing": self.env._(
                "Enter the code and your e-mail or customer reference."
            ),
        }
        return {"status": status, "message": messages[status]}

    @api.model
    def _prm_activate_many(self, requests, channel, user, ip=None, now=None):
        """Activate codes ``requests`` (dicts ``code``, ``subscriber_name``,
        ``subscriber_email``, ``subscriber_ref``) in a fixed number of
        queries whatever their number; returns one answer per request.

        Runs as superuser: callers check who may activate (the public page's
        throttle, the API group). ``now`` is for demo data only.
        """
        Attempt = self.env["prm.activation.attempt"]
        now = now or fields.Datetime.now()
        answers = [None] * len(requests)
        wanted = {}  # {normalized code: [request index]}
        keys = []
        for index, request in enumerate(requests):
            code = codetools.normalize(str(request.get("code") or ""))
            key = Attempt._subscriber_key(request)
            keys.append(key)
            if not code or not key:
                answers[index] = "missing"
            elif not codetools.has_valid_check(code):
                answers[index] = "typo"
            else:
                wanted.setdefault(code, []).append(index)
        locked_keys = Attempt._locked_subscribers({k for k in keys if k})
        for code, indexes in list(wanted.items()):
            for index in indexes:
                if keys[index] in locked_keys:
                    answers[index] = "locked"
            wanted[code] = [i for i in indexes if answers[i] is None]
            if not wanted[code]:
                del wanted[code]
        hashes = self.env["prm.activation.code"]._prm_lookup_hashes(wanted)
        codes = self._prm_find_codes(list(hashes.values()))
        by_hash = {code.sudo().code_hash: code for code in codes}
        today = fields.Date.context_today(self, now)
        candidates = codes.filtered(
            lambda c: (
                c.state == "assigned"
                and (not c.batch_id.date_expiry or c.batch_id.date_expiry >= today)
            )
        )
        # Two calls activating one code: the second finds the row locked and
        # is told so instead of waiting or failing.
        locked = candidates.try_lock_for_update() if candidates else candidates
        if locked:
            # Re-read after the lock: another transaction may have committed.
            locked.invalidate_recordset(["state"])
            locked = locked.filtered(lambda c: c.state == "assigned")
        vals_list = []
        for code, indexes in wanted.items():
            record = by_hash.get(hashes[code])
            first, *duplicates = indexes
            for index in duplicates:
                answers[index] = "invalid"
            if record and record in candidates and record not in locked:
                answers[first] = "busy"
            elif record and record in locked:
                answers[first] = "activated"
                vals_list.append(
                    self._prepare_activation_vals(
                        record, requests[first], channel, user, ip, now
                    )
                )
            else:
                answers[first] = "invalid"
        if vals_list:
            activations = self.create(vals_list)
            activations.code_id._prm_write_engine({"state": "activated"})
            self.env["prm.incentive.engine"]._refresh_activation_accruals(
                activations.batch_id
            )
        Attempt._log(
            [
                Attempt._prepare_attempt_vals(
                    keys[index], ip, channel, answers[index] == "activated"
                )
                for index in range(len(requests))
                if answers[index] not in ("missing",)
            ]
        )
        return [self._prm_answer(answer) for answer in answers]

    @api.model
    def _prm_find_codes(self, hashes):
        """Codes of keyed hashes ``hashes`` with what activation reads, in one
        query (an unknown code costs the same lookup as a used one)."""
        if not hashes:
            return self.env["prm.activation.code"]
        return self.env["prm.activation.code"].search_fetch(
            [("code_hash", "in", hashes)],
            [
                "code_hash",
                "state",
                "batch_id",
                "partner_id",
                "range_id",
                "date_assigned",
                "company_id",
            ],
        )

    @api.model
    def _prepare_activation_vals(self, code, request, channel, user, ip, now):
        day = fields.Date.context_today(self, now)
        return {
            "code_id": code.id,
            "batch_id": code.batch_id.id,
            "range_id": code.range_id.id,
            "partner_id": code.partner_id.id,
            "company_id": code.company_id.id,
            "date": now,
            "user_id": user.id,
            "channel": channel,
            "subscriber_name": (request.get("subscriber_name") or "")[:128] or False,
            "subscriber_email": (request.get("subscriber_email") or "")[:128] or False,
            "subscriber_ref": (request.get("subscriber_ref") or "")[:64] or False,
            "ip_address": ip,
            "value": code.batch_id.value,
            "days_after_assignment": (day - code.date_assigned).days
            if code.date_assigned
            else 0,
        }
