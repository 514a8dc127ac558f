from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard

from ..tools import codes as codetools

MAX_API_CODES = 1000


class PrmActivationCode(models.Model):
    """One code of a batch, known by its serial and the keyed hash of its
    characters only. It moves issued → assigned (to the partner who sells
    it) → activated, or voided / expired; only the batch's actions and the
    activation move it."""

    _name = "prm.activation.code"
    _description = "Activation Code"
    _inherit = ["prm.guarded.mixin"]
    _order = "batch_id desc, serial"
    _rec_name = "serial"

    batch_id = fields.Many2one(
        "prm.activation.batch", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    serial = fields.Integer(required=True, help="Number printed on the card.")
    code_hash = fields.Char(
        required=True, groups="base.group_system", help="HMAC of the code."
    )
    state = fields.Selection(
        [
            ("issued", "Issued"),
            ("assigned", "Assigned"),
            ("activated", "Activated"),
            ("voided", "Voided"),
            ("expired", "Expired"),
        ],
        required=True,
        default="issued",
        index=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Sold by", index="btree_not_null", ondelete="restrict"
    )
    range_id = fields.Many2one(
        "prm.activation.range", index="btree_not_null", ondelete="restrict"
    )
    date_assigned = fields.Date()
    activation_id = fields.Many2one("prm.activation", compute="_compute_activation_id")

    _hash_uniq = models.UniqueIndex("(code_hash)", "This code already exists.")
    _serial_uniq = models.UniqueIndex(
        "(batch_id, serial)", "A serial is used once per batch."
    )

    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.batch_id.name}/{code.serial:07d}"

    def _compute_activation_id(self):
        activations = self.env["prm.activation"].search(
            [("code_id", "in", self.ids), ("state", "=", "done")]
        )
        by_code = {activation.code_id.id: activation for activation in activations}
        for code in self:
            code.activation_id = by_code.get(code.id, False)

    # --- CRUD ---

    def _prm_guarded_fields(self):
        guard = Guard(self.env._("Generate, assign, activate or void codes"))
        return {
            **super()._prm_guarded_fields(),
            **dict.fromkeys(
                (
                    "batch_id",
                    "company_id",
                    "serial",
                    "code_hash",
                    "state",
                    "partner_id",
                    "range_id",
                    "date_assigned",
                ),
                guard,
            ),
        }

    def _prm_write_engine(self, vals):
        """Write what the batch's actions and the activation decide, past the
        guard that refuses those fields to everyone else."""
        return super(PrmActivationCode, self.sudo()).write(vals)  # pylint: disable=super-method-mismatch

    @api.model
    def _prm_write_serials(self, batch, serial_from, serial_to, states, vals):
        """Write ``vals`` (plain column values) on the codes of ``batch``
        numbered ``serial_from``-``serial_to`` in ``states``, in one
        statement; returns the ids written.

        Raw SQL because it is measured to be the difference: assigning
        100,000 codes through ``write`` took 1,007 queries and 32 s, this
        statement 7 queries and 9 s on the same loaded 2-core machine
        (tests/benchmarks/bench_activation.py).
        Callers have checked the rights and locked the batch; only the
        guarded fields of this model are written, none with dependants but
        the counts computed on read.
        """
        self.env.flush_all()
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value) for name, value in vals.items()
        )
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE prm_activation_code
                   SET %(assignments)s, write_uid = %(uid)s, write_date = %(now)s
                 WHERE batch_id = %(batch)s AND serial BETWEEN %(first)s AND %(last)s
                   AND state IN %(states)s
             RETURNING id
                """,
                assignments=assignments,
                uid=self.env.uid,
                now=self.env.cr.now(),
                batch=batch.id,
                first=serial_from,
                last=serial_to,
                states=tuple(states),
            )
        )
        self.invalidate_model()
        batch.invalidate_recordset()
        return self.browse(row[0] for row in rows)

    # --- API ---

    @api.model
    def activate_codes(self, activations):
        """Activate codes in bulk for the provider's own systems (JSON-2).

        :param activations: list of dicts ``{"code", "subscriber_name",
            "subscriber_email", "subscriber_ref"}``, at most 1,000
        :return: one dict per input, in order: ``{"code", "status",
            "message"}``; ``status`` is ``activated``, ``invalid`` (unknown,
            used, voided and expired codes answer alike), ``typo`` (the check
            character is wrong), ``busy`` (being activated by another call),
            ``locked`` (too many failures for the subscriber) or ``missing``.
        """
        if not self.env.user.has_group("prm_activation.group_prm_activation_api"):
            raise AccessError(
                self.env._("Only the activation API user may activate codes in bulk.")
            )
        if not isinstance(activations, list) or not all(
            isinstance(item, dict) for item in activations
        ):
            raise UserError(self.env._("Send the activations as a list of objects."))
        if len(activations) > MAX_API_CODES:
            raise UserError(
                self.env._(
                    "At most %(max)s codes per call; split the activations.",
                    max=MAX_API_CODES,
                )
            )
        # Superuser after the group check: the API user has no rights on the
        # codes themselves.
        results = (
            self.env["prm.activation"]
            .sudo()
            ._prm_activate_many(activations, channel="api", user=self.env.user)
        )
        return [
            {"code": item.get("code"), **result}
            for item, result in zip(activations, results, strict=True)
        ]

    # --- Business ---

    @api.model
    def _prm_lookup_hashes(self, normalized):
        """``{code: hash}`` of well-formed ``normalized`` codes."""
        secret = self.env["prm.activation.batch"]._prm_secret()
        return {code: codetools.keyed_hash(secret, code) for code in normalized}
