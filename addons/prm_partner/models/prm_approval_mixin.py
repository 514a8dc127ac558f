from odoo import models
from odoo.exceptions import AccessError, UserError

from .prm_guarded_mixin import Guard


class PrmApprovalMixin(models.AbstractModel):
    """Who may move a reviewed record (checklist item, authority document,
    agreement) through its states.

    Program administrators (and the system) do anything. Other users may only
    create records in ``_prm_initial_state`` and make the moves listed in
    ``_prm_manager_moves``; the fields of ``_prm_approval_fields`` are set by
    administrators only. The rule holds for plain ``write()`` calls too, not
    just for the buttons.
    """

    _name = "prm.approval.mixin"
    _inherit = ["prm.guarded.mixin"]
    _description = "Partner Program Approval Rights"

    _prm_initial_state = "draft"
    # Who-did-it fields the actions record (reviewer, dates...): like the
    # state, never written directly (see prm.guarded.mixin).
    _prm_recorded_fields = frozenset()
    # {target state: states a channel manager may move a record from}
    _prm_manager_moves = {}
    _prm_approval_fields = frozenset()

    def _prm_guarded_fields(self):
        action = self.env._("the status buttons")
        return {
            **super()._prm_guarded_fields(),
            "state": Guard(action, (self._prm_initial_state,)),
            **{name: Guard(action) for name in self._prm_recorded_fields},
        }

    def _prm_write_as_action(self, vals):
        """Write what an action decided (state, reviewer, dates): the caller
        must be allowed the move (``_prm_check_approval_rights``) and to edit
        the records; the write itself then runs as superuser, past the guard."""
        self._prm_check_approval_rights(vals)
        self.check_access("write")
        return self.sudo().write(vals)

    def _prm_is_approver(self):
        return self.env.su or self.env.user.has_group("prm_partner.group_prm_manager")

    def _prm_approval_error(self):
        return self.env._("Only Partner Program administrators can do this.")

    def _prm_check_approval_rights(self, vals, create=False):
        if self._prm_is_approver():
            return
        state = vals.get("state")
        if create:
            forbidden_state = state not in (None, self._prm_initial_state)
        elif state:
            sources = self._prm_manager_moves.get(state)
            forbidden_state = sources is None or any(
                record.state not in sources for record in self
            )
        else:
            forbidden_state = False
        if forbidden_state or self._prm_approval_fields & vals.keys():
            raise AccessError(self._prm_approval_error())

    def action_reject(self):
        """Open the wizard asking why the records are rejected (it calls
        ``_prm_reject(reason)`` on them)."""
        if not hasattr(self, "_prm_reject"):
            raise UserError(self.env._("These records cannot be rejected."))
        self._prm_check_approval_rights({"state": "rejected"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "prm.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_res_model": self._name, "default_res_ids": self.ids},
        }

    # --- Reminders ---

    def _prm_activity_user(self):
        """Who is reminded about the record (its reviewer)."""
        self.ensure_one()
        return self.create_uid

    def _prm_reminder_texts(self):
        """``{"summary": ..., "note": ...}`` of the record's reminder."""
        raise NotImplementedError

    def _prm_schedule_reminders(self, deadline_field):
        """A to-do for ``_prm_activity_user()`` on each record, due on
        ``deadline_field``, worded by ``_prm_reminder_texts()``."""
        if not self:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "user_id": record._prm_activity_user().id,
                    "date_deadline": record[deadline_field],
                    "automated": True,
                    **record._prm_reminder_texts(),
                }
                for record in self
            ]
        )
