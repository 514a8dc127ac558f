import base64
import csv
import io
import secrets

import openpyxl

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.sql import pg_array
from odoo.addons.prm_partner.tools.validation import check_state

from ..tools import codes as codetools

SECRET_PARAM = "prm_activation.code_secret"
MAX_QUANTITY = 1_000_000


class PrmActivationBatch(models.Model):
    """A print run of scratch cards: ``quantity`` codes of one product (the
    service a card switches on), worth ``value`` each, valid until
    ``date_expiry``.

    Only a keyed hash of each code is stored. The plain codes exist once, in
    the export file made at generation, which the printer's file is downloaded
    from once and then deleted (``prm_activation.export`` route).
    """

    _name = "prm.activation.batch"
    _description = "Activation Code Batch"
    _inherit = ["mail.thread", "prm.guarded.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        tracking=True,
        help="The service a card of this batch switches on; selling this product "
        "on a sales order assigns codes to the customer.",
    )
    quantity = fields.Integer(required=True, default=1000, tracking=True)
    value = fields.Monetary(
        required=True,
        tracking=True,
        help="What one activation is worth: the base of activation-value "
        "incentive rules.",
    )
    date_expiry = fields.Date(
        string="Valid until",
        tracking=True,
        help="Codes not activated by this day expire. Empty: they never expire.",
    )
    code_length = fields.Integer(
        default=12,
        required=True,
        help="Random characters per code, before the check character (8 to 20).",
    )
    alphabet = fields.Char(
        compute="_compute_alphabet",
        help="Characters the codes are made of: no 0, O, 1, I or L, which are "
        "misread on cards.",
    )
    export_format = fields.Selection(
        [("csv", "CSV"), ("xlsx", "Excel (XLSX)")], default="csv", required=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("generated", "Generated"),
            ("exported", "Exported"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    code_ids = fields.One2many("prm.activation.code", "batch_id", readonly=True)
    range_ids = fields.One2many(
        "prm.activation.range", "batch_id", string="Assigned ranges", readonly=True
    )
    export_attachment_id = fields.Many2one(
        "ir.attachment",
        readonly=True,
        copy=False,
        groups="base.group_system",
        ondelete="set null",
    )
    has_export = fields.Boolean(
        compute="_compute_has_export",
        help="The file of plain codes waits for its one download.",
    )
    exported_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    exported_date = fields.Datetime(readonly=True, copy=False)
    issued_count = fields.Integer(compute="_compute_counts")
    assigned_count = fields.Integer(compute="_compute_counts")
    activated_count = fields.Integer(compute="_compute_counts")
    voided_count = fields.Integer(compute="_compute_counts")
    expired_count = fields.Integer(compute="_compute_counts")

    _quantity_range = models.Constraint(
        f"CHECK(quantity BETWEEN 1 AND {MAX_QUANTITY})",
        "A batch holds from 1 to 1,000,000 codes.",
    )
    _length_range = models.Constraint(
        "CHECK(code_length BETWEEN 8 AND 20)",
        "Codes have from 8 to 20 characters before the check character.",
    )
    _value_positive = models.Constraint(
        "CHECK(value >= 0)", "The value of an activation cannot be negative."
    )

    # --- Compute ---

    def _compute_alphabet(self):
        self.alphabet = codetools.ALPHABET

    def _compute_has_export(self):
        for batch, batch_sudo in zip(self, self.sudo(), strict=True):
            batch.has_export = bool(batch_sudo.export_attachment_id)

    def _compute_counts(self):
        counts = {
            (batch.id, state): count
            for batch, state, count in self.env["prm.activation.code"]._read_group(
                [("batch_id", "in", self.ids)], ["batch_id", "state"], ["__count"]
            )
        }
        for batch in self:
            for state in ("issued", "assigned", "activated", "voided", "expired"):
                batch[f"{state}_count"] = counts.get((batch.id, state), 0)

    # --- CRUD ---

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "prm.activation.batch"
            ) or self.env._("New")
        return super().create(vals_list)

    def _prm_guarded_fields(self):
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(self.env._("Generate, close"), ("draft",)),
            "export_attachment_id": Guard(self.env._("Generate codes")),
            "exported_by_id": Guard(self.env._("Download the codes")),
            "exported_date": Guard(self.env._("Download the codes")),
        }

    def write(self, vals):
        self._prm_refuse_guarded(vals)
        frozen = {"quantity", "code_length", "product_id", "company_id"} & set(vals)
        if frozen and self.filtered(lambda b: b.state != "draft"):
            raise UserError(
                self.env._(
                    "The codes of this batch are generated: its product, quantity "
                    "and code length can no longer change."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if self.filtered(lambda b: b.state != "draft"):
            raise UserError(self.env._("Batches with codes are closed, never deleted."))

    # --- Actions ---

    def action_generate(self):
        """Generate the codes and the one-time export file."""
        self._check_manager()
        for batch in self:
            check_state(batch, ["draft"])
            batch.lock_for_update()
            batch._prm_generate_codes()
        return True

    def action_download_export(self):
        self.ensure_one()
        self._check_manager()
        if not self.has_export:
            raise UserError(
                self.env._(
                    "The file of plain codes was already downloaded; the codes "
                    "cannot be shown again."
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/prm_activation/export/{self.id}",
            "target": "self",
        }

    def action_assign(self):
        return self._open_range_wizard("assign")

    def action_void(self):
        return self._open_range_wizard("void")

    def action_close(self):
        """Close the batch: codes not activated yet are voided."""
        self._check_manager()
        for batch in self:
            check_state(batch, ["generated", "exported"])
            batch._prm_void_serials(1, batch.quantity, include_activated=False)
            batch._prm_set_state("closed")
        return True

    def action_view_codes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_activation.action_prm_activation_code"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        return action

    def action_view_activations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_activation.action_prm_activation"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        return action

    def _open_range_wizard(self, operation):
        self.ensure_one()
        check_state(self, ["generated", "exported"])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_activation.action_prm_activation_range_wizard"
        )
        action["context"] = {
            "default_batch_id": self.id,
            "default_operation": operation,
            "default_serial_from": 1,
            "default_serial_to": self.quantity,
        }
        return action

    # --- Business ---

    def _check_manager(self):
        self.check_access("write")
        if not self.env.user.has_group("prm_partner.group_prm_manager"):
            raise UserError(
                self.env._("Only partner program administrators manage code batches.")
            )

    def _prm_set_state(self, state):
        # Superuser past the guard: only the actions move the state.
        return super(PrmActivationBatch, self.sudo()).write({"state": state})  # pylint: disable=super-method-mismatch

    @api.model
    def _prm_secret(self):
        """The database's code secret, created on first use."""
        Param = self.env["ir.config_parameter"].sudo()
        secret = Param.get_param(SECRET_PARAM)
        if not secret:
            secret = secrets.token_hex(32)
            Param.set_param(SECRET_PARAM, secret)
        return secret

    def _prm_generate_codes(self):
        """Insert ``quantity`` codes unique in the database, keep the plain
        codes only in the export file; returns them (in serial order) to the
        caller, which must not store them anywhere else."""
        self.ensure_one()
        secret = self._prm_secret()
        plain = {}
        missing = list(range(1, self.quantity + 1))
        # A clash with an existing hash is astronomically rare; the loop makes
        # uniqueness a fact rather than a probability.
        while missing:
            fresh = codetools.random_codes(len(missing), self.code_length)
            by_serial = dict(zip(missing, fresh, strict=True))
            inserted = self._insert_codes(
                {
                    serial: codetools.keyed_hash(secret, code)
                    for serial, code in by_serial.items()
                }
            )
            for serial in inserted:
                plain[serial] = by_serial[serial]
            missing = sorted(set(missing) - set(inserted))
        codes = [plain[serial] for serial in range(1, self.quantity + 1)]
        self._store_export(codes)
        self._prm_set_state("generated")
        self.message_post(
            body=self.env._(
                "%(count)s codes generated; the file of plain codes waits for its "
                "one download.",
                count=self.quantity,
            )
        )
        return codes

    def _insert_codes(self, hashes):
        """Insert codes ``{serial: hash}`` in one statement; returns the serials
        inserted (a hash already in the database is skipped).

        Raw SQL for two reasons: ``ON CONFLICT DO NOTHING`` makes the
        database, not a prior read, decide uniqueness, and ``create`` would send
        1,000 100-row INSERTs for 100,000 codes, this one statement
        (tests/benchmarks/bench_activation.py: 100,000 codes in 12 queries and
        about 10 s on a loaded 2-core machine). ``test_generate_*`` reads the
        rows back through the ORM.
        """
        self.env.flush_all()
        serials = list(hashes)
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO prm_activation_code
                       (batch_id, company_id, serial, code_hash, state,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(batch)s, %(company)s, t.serial, t.hash, 'issued',
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(serials)s::int[], %(hashes)s::varchar[])
                       AS t(serial, hash)
                    ON CONFLICT (code_hash) DO NOTHING
             RETURNING serial
                """,
                batch=self.id,
                company=self.company_id.id,
                serials=pg_array(serials),
                hashes=pg_array(hashes[serial] for serial in serials),
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.env["prm.activation.code"].invalidate_model()
        self.invalidate_recordset(["code_ids"])
        return [row[0] for row in rows]

    def _prepare_export_rows(self, codes):
        return [
            (serial, codetools.display(code)) for serial, code in enumerate(codes, 1)
        ]

    def _store_export(self, codes):
        """The printer's file, as an attachment only administrators of the
        database may reach, until its one download."""
        rows = self._prepare_export_rows(codes)
        header = (self.env._("Serial"), self.env._("Code"))
        if self.export_format == "xlsx":
            book = openpyxl.Workbook(write_only=True)
            sheet = book.create_sheet(self.name.replace("/", "-")[:31])
            sheet.append(header)
            for row in rows:
                sheet.append(row)
            stream = io.BytesIO()
            book.save(stream)
            content = stream.getvalue()
            mimetype = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        else:
            stream = io.StringIO()
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)
            content = stream.getvalue().encode()
            mimetype = "text/csv"
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}.{self.export_format}",
                    "datas": base64.b64encode(content),
                    "mimetype": mimetype,
                    # No res_model: record rules of the batch would let any
                    # reader of the batch download it through /web/content.
                    "res_model": False,
                    "res_id": False,
                    "public": False,
                }
            )
        )
        self.sudo().export_attachment_id = attachment

    def _prm_pop_export(self):
        """``(file name, content, mimetype)`` of the export file, which is
        deleted: the plain codes are handed out once."""
        self.ensure_one()
        self._check_manager()
        self.lock_for_update()
        attachment = self.sudo().export_attachment_id
        if not attachment:
            return None
        result = (attachment.name, attachment.raw, attachment.mimetype)
        attachment.unlink()
        self._prm_set_state("exported")
        super(PrmActivationBatch, self.sudo()).write(  # pylint: disable=super-method-mismatch
            {"exported_by_id": self.env.uid, "exported_date": fields.Datetime.now()}
        )
        self.message_post(
            body=self.env._(
                "File of plain codes downloaded by %(user)s and deleted.",
                user=self.env.user.name,
            )
        )
        return result

    def _codes_in(self, serial_from, serial_to, states=None):
        self.ensure_one()
        domain = [
            ("batch_id", "=", self.id),
            ("serial", ">=", serial_from),
            ("serial", "<=", serial_to),
        ]
        if states:
            domain.append(("state", "in", states))
        return self.env["prm.activation.code"].search(domain, order="serial")

    def _check_serials(self, serial_from, serial_to):
        self.ensure_one()
        if not (1 <= serial_from <= serial_to <= self.quantity):
            raise ValidationError(
                self.env._(
                    "The range %(from)s-%(to)s is not within the batch's serials "
                    "1-%(quantity)s.",
                    quantity=self.quantity,
                    to=serial_to,
                    **{"from": serial_from},
                )
            )

    def _prm_assign_serials(
        self, partner, serial_from, serial_to, sale_order=None, date=None
    ):
        """Assign the codes ``serial_from``-``serial_to`` to ``partner``; every
        one of them must still be issued. Returns the range."""
        self.ensure_one()
        self._check_serials(serial_from, serial_to)
        if self.state not in ("generated", "exported"):
            raise UserError(
                self.env._("Codes are assigned from generated batches only.")
            )
        if self.date_expiry and self.date_expiry < fields.Date.context_today(self):
            raise UserError(self.env._("This batch has expired."))
        # One assignment at a time per batch: two could take the same codes.
        self.lock_for_update()
        Code = self.env["prm.activation.code"]
        taken = Code.search_count(
            [
                ("batch_id", "=", self.id),
                ("serial", ">=", serial_from),
                ("serial", "<=", serial_to),
                ("state", "!=", "issued"),
            ]
        )
        if taken:
            raise UserError(
                self.env._(
                    "%(count)s codes of the range %(from)s-%(to)s are already "
                    "assigned, activated or voided; choose a range of issued codes.",
                    count=taken,
                    to=serial_to,
                    **{"from": serial_from},
                )
            )
        commercial = partner.commercial_partner_id
        arange = self.env["prm.activation.range"].create(
            self._prepare_range_vals(commercial, serial_from, serial_to, sale_order)
            | ({"date": date} if date else {})
        )
        self.env["prm.activation.code"]._prm_write_serials(
            self,
            serial_from,
            serial_to,
            ["issued"],
            {
                "state": "assigned",
                "partner_id": commercial.id,
                "range_id": arange.id,
                "date_assigned": arange.date,
            },
        )
        return arange

    def _prepare_range_vals(self, partner, serial_from, serial_to, sale_order):
        return {
            "batch_id": self.id,
            "partner_id": partner.id,
            "serial_from": serial_from,
            "serial_to": serial_to,
            "sale_order_id": sale_order.id if sale_order else False,
        }

    def _prm_void_serials(self, serial_from, serial_to, include_activated=False):
        """Void the codes of a range in one action (stolen or lost cards);
        activated ones too when ``include_activated``, which claws back what
        their activation earned. Returns the codes voided."""
        self.ensure_one()
        self._check_serials(serial_from, serial_to)
        states = ["issued", "assigned"] + (["activated"] if include_activated else [])
        # Activations lock their codes: wait for none, refuse if one is busy.
        self.lock_for_update()
        activated = (
            self._codes_in(serial_from, serial_to, ["activated"])
            if (include_activated)
            else self.env["prm.activation.code"]
        )
        activated.lock_for_update()
        codes = self.env["prm.activation.code"]._prm_write_serials(
            self, serial_from, serial_to, states, {"state": "voided"}
        )
        if not codes:
            return codes
        activations = self.env["prm.activation"].search(
            [("code_id", "in", activated.ids), ("state", "=", "done")]
        )
        if activations:
            activations._prm_void()
        self.message_post(
            body=self.env._(
                "Codes %(from)s-%(to)s voided: %(count)s codes, %(activated)s of "
                "them activated.",
                to=serial_to,
                count=len(codes),
                activated=len(activated),
                **{"from": serial_from},
            )
        )
        return codes

    @api.model
    def _cron_expire(self):
        """Codes of batches past their validity expire."""
        today = fields.Date.context_today(self)
        batches = self.search(
            [("date_expiry", "<", today), ("state", "in", ("generated", "exported"))]
        )
        Code = self.env["prm.activation.code"]
        for batch in batches:
            Code |= Code._prm_write_serials(
                batch, 1, batch.quantity, ["issued", "assigned"], {"state": "expired"}
            )
        return Code

    # --- Demo ---

    def _prm_demo_setup(self, assignments, activations):
        """Demo data: generate the codes, assign ``assignments`` ``[(partner
        id, first serial, last serial, date)]`` and activate ``activations``
        ``[(serial, datetime, subscriber name)]`` on the public page's path."""
        self.ensure_one()
        codes = self._prm_generate_codes()
        for partner_id, serial_from, serial_to, day in assignments:
            self._prm_assign_serials(
                self.env["res.partner"].browse(partner_id),
                serial_from,
                serial_to,
                date=day,
            )
        Activation = self.env["prm.activation"].sudo()
        for serial, when, name in activations:
            Activation._prm_activate_many(
                [
                    {
                        "code": codes[serial - 1],
                        "subscriber_name": name,
                        "subscriber_email": f"subscriber{serial}@example.com",
                    }
                ],
                channel="web",
                user=self.env.user,
                now=when,
            )
