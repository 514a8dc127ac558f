from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.prm_partner.tools.validation import check_number, check_text_input


class CrmLead(models.Model):
    """What a channel partner does on its portal with its deals and the leads
    routed to it. Portal users cannot write leads: each entry point checks who
    calls and what is sent, then writes the whitelisted fields as superuser."""

    _inherit = "crm.lead"

    prm_product_ids = fields.Many2many(
        "product.product",
        "crm_lead_prm_product_rel",
        "lead_id",
        "product_id",
        string="Products",
        help="Products the registered deal is about (filled in by the partner).",
    )

    # --- Registration: products ---

    @api.model
    def _prm_registration_fields(self):
        return super()._prm_registration_fields() | {"prm_product_ids"}

    @api.model
    def _prm_validate_registration_vals(self, vals, allowed, require_identity=True):
        products = (vals or {}).get("prm_product_ids")
        clean = super()._prm_validate_registration_vals(
            {k: v for k, v in (vals or {}).items() if k != "prm_product_ids"}
            | ({"prm_product_ids": []} if "prm_product_ids" in (vals or {}) else {}),
            allowed,
            require_identity=require_identity,
        )
        if "prm_product_ids" in clean:
            clean["prm_product_ids"] = [
                fields.Command.set(self._prm_clean_product_ids(products))
            ]
        return clean

    @api.model
    def _prm_portal_product_domain(self):
        """Products a partner may name on a registration: the ones for sale."""
        return Domain("sale_ok", "=", True) & Domain("active", "=", True)

    @api.model
    def _prm_clean_product_ids(self, values):
        """Ids of ``values`` (ids or records) that are products for sale, else
        a ValidationError."""
        if not values:
            return []
        try:
            ids = {int(value) for value in values}
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._("Choose products from the list.")
            ) from None
        # sudo: portal users do not read the catalogue; only ids are returned.
        found = (
            self.env["product.product"]
            .sudo()
            .search(self._prm_portal_product_domain() & Domain("id", "in", list(ids)))
        )
        if len(found) != len(ids):
            raise ValidationError(self.env._("Choose products from the list."))
        return found.ids

    # --- Routed leads ---

    @api.model
    def _prm_portal_lead_fields(self):
        """What a partner updates on a routed lead it accepted."""
        return {"stage_id", "expected_revenue", "activity_summary", "activity_date"}

    def _prm_portal_check_routed(self):
        """The current user's company accepted these routed leads; raises
        AccessError otherwise (the controller answers 404)."""
        partner = self._prm_portal_partner()
        self.check_access("read")
        accepted = (
            self.env["prm.lead.offer"]
            .sudo()
            .search_count(
                [
                    ("lead_id", "in", self.ids),
                    ("partner_id", "=", partner.id),
                    ("state", "=", "accepted"),
                ]
            )
        )
        if accepted != len(self) or any(
            lead.prm_partner_id != partner for lead in self.sudo()
        ):
            raise AccessError(self.env._("This lead was not routed to your company."))

    @api.model
    def _prm_portal_stages(self, lead=None):
        """Stages a partner may move its leads to: the open ones (won and lost
        are decided by their buttons)."""
        domain = Domain("is_won", "=", False)
        if lead and lead.team_id:
            domain &= Domain("team_ids", "in", lead.team_id.ids) | Domain(
                "team_ids", "=", False
            )
        # sudo: portal users do not read CRM stages; only names are shown.
        return self.env["crm.stage"].sudo().search(domain)

    def _prm_portal_update_lead(self, vals):
        """Update a routed lead the partner accepted: its stage (not a won
        one), expected revenue and next activity. Other keys are refused."""
        self.ensure_one()
        self._prm_portal_check_routed()
        vals = dict(vals or {})
        unknown = set(vals) - self._prm_portal_lead_fields()
        if unknown:
            raise UserError(
                self.env._(
                    "These fields cannot be changed on a routed lead: %(fields)s.",
                    fields=", ".join(sorted(unknown)),
                )
            )
        lead_sudo = self.sudo()
        if not lead_sudo.active or lead_sudo.won_status != "pending":
            raise UserError(
                self.env._("%(lead)s is closed already.", lead=lead_sudo.name)
            )
        write_vals = {}
        if vals.get("stage_id"):
            try:
                stage_id = int(vals["stage_id"])
            except (TypeError, ValueError):
                stage_id = 0
            stage = self._prm_portal_stages(lead_sudo).filtered(
                lambda s: s.id == stage_id
            )
            if not stage:
                raise ValidationError(
                    self.env._("Choose one of the stages of the list.")
                )
            write_vals.update({"stage_id": stage.id, "type": "opportunity"})
        if vals.get("expected_revenue") not in (None, False, ""):
            write_vals["expected_revenue"] = check_number(
                self.env,
                vals["expected_revenue"],
                self._fields["expected_revenue"]._description_string(self.env),
            )
        summary = (vals.get("activity_summary") or "").strip()
        date = vals.get("activity_date")
        if summary or date:
            check_text_input(self, {"name": summary}, {"name": 200})
            try:
                date = fields.Date.to_date(date) if date else False
            except (TypeError, ValueError):
                date = False
            if not summary or not date:
                raise ValidationError(
                    self.env._("Give the next activity a summary and a due date.")
                )
        if write_vals:
            lead_sudo.write(write_vals)
        if summary:
            lead_sudo.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=date,
                summary=summary,
                user_id=(
                    lead_sudo.prm_partner_id.prm_manager_id or lead_sudo.user_id
                ).id
                or self.env.ref("base.user_root").id,
                note=self.env._(
                    "Planned by %(contact)s (%(partner)s) on the partner portal.",
                    contact=self.env.user.partner_id.name,
                    partner=lead_sudo.prm_partner_id.name,
                ),
            )
        return True

    def _prm_portal_set_won(self):
        """The partner won the routed lead."""
        self.ensure_one()
        self._prm_portal_check_routed()
        lead_sudo = self.sudo()
        if lead_sudo.won_status != "pending":
            raise UserError(
                self.env._("%(lead)s is closed already.", lead=lead_sudo.name)
            )
        lead_sudo.action_set_won()
        lead_sudo._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Marked as won by %(contact)s on the partner portal.",
                contact=self.env.user.partner_id.name,
            )
        )
        return True

    def _prm_portal_set_lost(self, reason_id=None, note=None):
        """The partner lost the routed lead (with an optional CRM lost reason)."""
        self.ensure_one()
        self._prm_portal_check_routed()
        lead_sudo = self.sudo()
        if lead_sudo.won_status != "pending":
            raise UserError(
                self.env._("%(lead)s is closed already.", lead=lead_sudo.name)
            )
        note = (note or "").strip()
        check_text_input(self, {"name": note}, {"name": 500})
        values = {}
        if reason_id:
            try:
                reason = self.env["crm.lost.reason"].sudo().browse(int(reason_id))
            except (TypeError, ValueError):
                reason = self.env["crm.lost.reason"]
            if not reason.exists():
                raise ValidationError(self.env._("Choose a reason from the list."))
            values["lost_reason_id"] = reason.id
        lead_sudo.action_set_lost(**values)
        lead_sudo._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Marked as lost by %(contact)s on the partner portal%(note)s",
                contact=self.env.user.partner_id.name,
                note=f": {note}" if note else ".",
            )
        )
        return True

    # --- Portal chatter ---

    @api.model
    def _mail_get_operation_for_mail_message_operation(self, message_operation):
        """Partners' portal users post on their own deals and routed leads
        with read access (they cannot write leads), like the assigned
        partners of website_crm_partner_assign."""
        result = super()._mail_get_operation_for_mail_message_operation(
            message_operation
        )
        user = self.env.user
        if message_operation == "create" and user.share:
            partner = user.commercial_partner_id
            own = self.filtered(lambda lead: lead.prm_partner_id == partner)
            result.update(dict.fromkeys(own, "read"))
        return result
