from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

OPEN_APPLICATION_STATES = ("new", "review")


class PrmTerritoryAssignment(models.Model):
    """Which channel manager reviews the applications of a territory.

    A line lists countries (the whole country) and/or states (just those) and
    the manager who takes them. Lines covering the applicant's state win over
    lines covering its country; among the winners applications go round-robin,
    skipping managers who already hold ``capacity`` open applications.
    """

    _name = "prm.territory.assignment"
    _description = "Partner Application Territory Assignment"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Channel manager",
        required=True,
        index=True,
        domain=[("share", "=", False)],
        check_company=True,
    )
    country_ids = fields.Many2many(
        "res.country",
        "prm_territory_assignment_country_rel",
        "assignment_id",
        "country_id",
        string="Countries",
    )
    country_state_ids = fields.Many2many(
        "res.country.state",
        "prm_territory_assignment_state_rel",
        "assignment_id",
        "state_id",
        string="States",
    )
    capacity = fields.Integer(
        help="Maximum number of open applications (new or in review) the manager "
        "holds before new ones go to the next manager; 0 means no limit.",
    )
    rr_position = fields.Integer(
        string="Round-robin position",
        readonly=True,
        copy=False,
        help="Order of the last assignment: the line with the lowest value gets the "
        "next application of its territory.",
    )
    open_application_count = fields.Integer(
        compute="_compute_open_application_count",
        string="Open applications",
        help="Open applications of the manager, whatever their territory.",
    )

    _capacity_positive = models.Constraint(
        "CHECK(capacity >= 0)", "The capacity of a channel manager cannot be negative."
    )

    @api.constrains("country_ids", "country_state_ids")
    def _check_territory(self):
        for line in self:
            if not (line.country_ids or line.country_state_ids):
                raise ValidationError(
                    self.env._(
                        "The assignment of %(user)s covers no territory: pick countries "
                        "or states.",
                        user=line.user_id.name,
                    )
                )

    def _compute_display_name(self):
        for line in self:
            territory = ", ".join(
                line.country_ids.mapped("name") + line.country_state_ids.mapped("name")
            )
            line.display_name = f"{line.user_id.name}: {territory}"

    def _compute_open_application_count(self):
        counts = self._prm_open_counts(self.user_id)
        for line in self:
            line.open_application_count = counts.get(line.user_id.id, 0)

    # --- Business ---

    @api.model
    def _prm_open_counts(self, users):
        """``{user_id: open applications}`` in one grouped query."""
        if not users:
            return {}
        groups = (
            self.env["prm.application"]
            .sudo()
            ._read_group(
                [
                    ("state", "in", OPEN_APPLICATION_STATES),
                    ("user_id", "in", users.ids),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: count for user, count in groups}

    @api.model
    def _prm_fallback_users(self, company):
        """Who gets applications no territory line can take: the company's
        default application manager, else its program administrators."""
        if company.prm_application_manager_id:
            return company.prm_application_manager_id
        return self.env["res.users"].search(
            [
                (
                    "all_group_ids",
                    "in",
                    self.env.ref("prm_partner.group_prm_manager").id,
                ),
                ("share", "=", False),
                ("company_ids", "in", company.id),
            ],
            order="id",
        )

    @api.model
    def _prm_pick_managers(self, applications):
        """Channel manager of each application, ``{application_id: user}``.

        A fixed number of queries for the whole batch: the lines, the open counts
        of their managers and the fallback users are loaded once, the round-robin
        runs in memory and the new positions are written once per line.
        """
        Users = self.env["res.users"]
        lines = self.search(
            [("company_id", "in", applications.company_id.ids)],
            order="rr_position, sequence, id",
        )
        fallback = {
            company: self._prm_fallback_users(company)
            for company in applications.company_id
        }
        all_users = lines.user_id | Users.union(*fallback.values())
        open_counts = defaultdict(int, self._prm_open_counts(all_users))
        by_state = defaultdict(list)
        by_country = defaultdict(list)
        for line in lines:
            for state in line.country_state_ids:
                by_state[(line.company_id.id, state.id)].append(line)
            for country in line.country_ids:
                by_country[(line.company_id.id, country.id)].append(line)
        position = max(lines.mapped("rr_position"), default=0)
        positions = {line: line.rr_position for line in lines}
        result = {}
        for application in applications:
            company = application.company_id
            country = application.country_id or application.country_ids[:1]
            candidates = by_state.get((company.id, application.state_id.id)) or (
                by_country.get((company.id, country.id)) or []
            )
            available = [
                line
                for line in candidates
                if not line.capacity or open_counts[line.user_id.id] < line.capacity
            ]
            if available:
                line = min(
                    available, key=lambda ln: (positions[ln], ln.sequence, ln.id)
                )
                position += 1
                positions[line] = position
                user = line.user_id
            elif fallback[company]:
                # The least loaded fallback user, so administrators share the rest.
                user = min(fallback[company], key=lambda u: (open_counts[u.id], u.id))
            else:
                continue
            open_counts[user.id] += 1
            result[application.id] = user
        for line, rr_position in positions.items():
            if rr_position != line.rr_position:
                line.rr_position = rr_position
        return result
