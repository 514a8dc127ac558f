"""The Team page: a partner's *Admin* representatives invite colleagues,
deactivate them and set their program roles.

Every method runs on the caller's own contact (``self``, the portal user's
partner) and checks on the server that it may manage the team, and that the
colleague it touches belongs to the same commercial partner. Users are always
created as portal users (Odoo's portal wizard): no value from the request
reaches ``res.users`` but the colleague's name and email.
"""

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import email_normalize

from odoo.addons.prm_partner.tools.validation import check_text_input


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- Business ---

    def _prm_portal_team_contacts(self):
        """Contacts of this commercial partner that are on its team: those with
        a user (active or not) or a program role."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("id", "!=", self.commercial_partner_id.id),
                    ("active", "=", True),
                    "|",
                    ("user_ids", "!=", False),
                    ("prm_role_ids", "!=", False),
                ],
                order="name, id",
            )
        )

    def _prm_portal_check_team_admin(self):
        """The caller is this contact, a portal user whose company is a program
        partner and who holds a role opening the Team page."""
        self.ensure_one()
        user = self.env.user
        if (
            user.partner_id != self
            or not user._is_portal()
            or not self._prm_portal_allows("team")
        ):
            raise AccessError(
                self.env._("Only your company's program admins manage its team.")
            )

    def _prm_portal_colleague(self, contact_id):
        """The colleague ``contact_id`` as superuser, after checking it is a
        contact of the caller's commercial partner (else a MissingError-like
        AccessError: the controller answers 404)."""
        self._prm_portal_check_team_admin()
        colleague_sudo = self._prm_portal_team_contacts().filtered(
            lambda contact: contact.id == contact_id
        )
        if not colleague_sudo:
            raise AccessError(self.env._("This person is not on your team."))
        return colleague_sudo

    @api.model
    def _prm_portal_roles(self, role_ids):
        """Active program roles among ``role_ids`` (anything else is dropped)."""
        ids = [int(i) for i in role_ids or () if str(i).isdigit()]
        return self.env["prm.role"].sudo().search([("id", "in", ids)])

    def _prm_portal_invite(self, name, email, role_ids):
        """Create a contact of the caller's company with the roles given and
        grant it portal access (Odoo's portal wizard: a portal user and the
        invitation email). Returns the new contact."""
        self._prm_portal_check_team_admin()
        name = (name or "").strip()
        check_text_input(self, {"name": name, "email": email or ""}, {"name": 128})
        email = email_normalize(email or "")
        if not name or not email:
            raise ValidationError(
                self.env._("Give your colleague's name and a valid email.")
            )
        commercial = self.commercial_partner_id
        contact_sudo = (
            self.env["res.partner"]
            .sudo()
            .create(
                self._prepare_prm_portal_invite_vals(commercial, name, email, role_ids)
            )
        )
        self._prm_portal_grant(contact_sudo)
        return contact_sudo

    def _prepare_prm_portal_invite_vals(self, commercial, name, email, role_ids):
        return {
            "name": name,
            "email": email,
            "parent_id": commercial.id,
            "type": "contact",
            "lang": self.lang,
            "company_id": commercial.sudo().company_id.id,
            "prm_role_ids": [Command.set(self._prm_portal_roles(role_ids).ids)],
        }

    def _prm_portal_grant(self, contact_sudo):
        """Portal access through Odoo's portal wizard (its email uniqueness
        check, user template and invitation email)."""
        company = contact_sudo.commercial_partner_id._prm_program_company()
        wizard_sudo = (
            self.env["portal.wizard"]
            .sudo()
            .with_company(company)
            .create({"partner_ids": [Command.set(contact_sudo.ids)]})
        )
        wizard_user_sudo = wizard_sudo.user_ids.filtered(
            lambda line: line.partner_id == contact_sudo
        )
        if wizard_user_sudo.is_internal:
            raise UserError(self.env._("This person already has an employee account."))
        if not wizard_user_sudo.is_portal:
            wizard_user_sudo.action_grant_access()
        user_sudo = contact_sudo.with_context(active_test=False).user_ids[:1]
        # The template user decides the groups: make sure it gave no more than
        # the portal, whatever the database's configuration.
        if not user_sudo or not user_sudo._is_portal():
            raise UserError(self.env._("The portal access could not be granted."))
        return user_sudo

    def _prm_portal_set_roles(self, contact_id, role_ids):
        colleague_sudo = self._prm_portal_colleague(contact_id)
        if colleague_sudo == self:
            raise UserError(
                self.env._(
                    "Ask another admin of your company to change your own roles."
                )
            )
        colleague_sudo.prm_role_ids = [
            Command.set(self._prm_portal_roles(role_ids).ids)
        ]
        return colleague_sudo

    def _prm_portal_set_access(self, contact_id, active):
        """Deactivate (or reactivate) the portal user of a colleague; employees'
        accounts are never touched from the portal."""
        colleague_sudo = self._prm_portal_colleague(contact_id)
        if colleague_sudo == self:
            raise UserError(self.env._("You cannot deactivate your own access."))
        user_sudo = colleague_sudo.with_context(active_test=False).user_ids[:1]
        if user_sudo and not user_sudo._is_portal():
            raise UserError(
                self.env._("This person's account is managed by the vendor.")
            )
        if active:
            self._prm_portal_grant(colleague_sudo)
        elif user_sudo.active:
            user_sudo.active = False
        return colleague_sudo
