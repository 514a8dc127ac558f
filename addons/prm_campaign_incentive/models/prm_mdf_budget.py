from odoo import _lt, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.prm_partner.models.prm_guarded_mixin import Guard
from odoo.addons.prm_partner.tools.bounds import MAX_AMOUNT
from odoo.addons.prm_partner.tools.validation import check_number, check_state


class PrmMdfBudget(models.Model):
    _inherit = "prm.mdf.budget"

    amount_points = fields.Monetary(
        string="From points",
        readonly=True,
        help="Funds the partner added by converting loyalty points.",
    )
    points_converted = fields.Float(
        string="Points converted", digits=(16, 2), readonly=True
    )

    def _prm_amount_depends(self):
        return [*super()._prm_amount_depends(), "amount_points"]

    def _prm_guarded_fields(self):
        convert = _lt("Convert points")
        return {
            **super()._prm_guarded_fields(),
            "amount_points": Guard(convert),
            "points_converted": Guard(convert),
        }

    # --- Actions ---

    def action_prm_convert_points(self, points):
        """Spend ``points`` of the partner's loyalty balance and add their
        value at the company's rate to this open budget. The caller needs write
        access to the budget; the points ledger and the budget's amounts are
        then written as superuser."""
        self.ensure_one()
        self.check_access("write")
        return self.sudo()._prm_convert_points(points)

    def _prm_convert_points(self, points):
        self.ensure_one()
        check_state(self, ("open",))
        label = self.env._("Points to convert")
        points = check_number(self.env, points, label, minimum=0.0, maximum=MAX_AMOUNT)
        if float_compare(points, 0.0, precision_digits=2) <= 0:
            raise UserError(self.env._("Points to convert must be more than zero."))
        rate = self.company_id.prm_mdf_points_rate
        if float_compare(rate, 0.0, precision_digits=6) <= 0:
            raise UserError(
                self.env._(
                    "Converting points into MDF is not enabled: set the value of a "
                    "point in the Partner Program settings."
                )
            )
        amount = self.currency_id.round(points * rate)
        self._prm_lock()
        # The points ledger locks the partner's points and refuses a spend
        # larger than the balance.
        self.partner_id.with_company(self.company_id)._prm_spend_points(
            points,
            origin=self,
            description=self.env._(
                "Converted into MDF: %(budget)s", budget=self.display_name
            ),
        )
        self.write(
            {
                "amount_points": self.amount_points + amount,
                "points_converted": self.points_converted + points,
            }
        )
        return amount
