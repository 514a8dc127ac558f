"""Intake pipeline of partner applications: duplicates, checks, assignment.

Everything here works on a whole batch with a fixed number of queries (plus the
ORM's inserts and updates, which it sends 100 rows at a time): imports of
thousands of applications never run a query per application.
"""

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import fields, models

from .prm_application import REVIEW_ACTIVITY
from .prm_match_mixin import MATCH_KEYS
from .prm_territory_assignment import OPEN_APPLICATION_STATES

# Candidate applications listed per application at most: in an import where
# hundreds of rows share an email domain, the best ten say enough.
MAX_CANDIDATES = 10
# Keys other than the VAT number; two of them shared make a certain match.
SOFT_KEYS = {"name", "email_domain", "phone"}
# Values a merged application gives the application it is merged into, when
# that one has none.
MERGE_FILL_FIELDS = (
    "vat",
    "country_id",
    "state_id",
    "city",
    "website",
    "contact_name",
    "email",
    "phone",
    "lang",
    "partner_type_id",
    "declared_revenue",
    "headcount",
    "partner_id",
)


def is_certain_match(reasons, vat_key, other_vat_key):
    """Certain when the VAT numbers are equal, or when two of company name,
    email domain and phone are shared and the VAT numbers do not contradict
    it (two different VAT numbers are two legal entities, e.g. subsidiaries)."""
    if "vat" in reasons:
        return True
    if vat_key and other_vat_key and vat_key != other_vat_key:
        return False
    return len(reasons & SOFT_KEYS) >= 2


class PrmApplication(models.Model):
    _inherit = "prm.application"

    # --- Pipeline ---

    def _prm_intake_process(self):
        """Deduplicate, check, assign and ask for a review of new applications.

        Called on creation (as superuser, see ``create``). Certain duplicates of
        an open application are merged into it; the others go on with checks,
        assignment and a *Review application* activity.
        """
        new = self.filtered(lambda a: a.state == "new").with_context(
            tracking_disable=True, prm_no_recheck=True
        )
        if not new:
            return
        merged, targets = new._prm_deduplicate(merge=True)
        kept = new - merged
        (kept | targets)._prm_run_checks()
        kept.filtered(lambda a: not a.user_id)._prm_assign()
        # One application (web form, email) gets the usual assignment
        # notification and an intake note; imports skip both, their fields say
        # it all and thousands of notes or emails help nobody.
        single = len(new) == 1
        kept._prm_schedule_review(notify=single)
        if single:
            new._prm_log_intake()

    def _prm_stored_keys(self):
        self.ensure_one()
        return {key_field: self[key_field] for key_field, _reason in MATCH_KEYS}

    def _prm_deduplicate(self, merge=True):
        """Match against partners and open applications (this batch included).

        Certain matches (``is_certain_match``): with an older open application,
        the application is merged into it when ``merge`` is set; with a partner,
        the application is linked to it. Everything else found is a probable
        duplicate, listed with its reasons for the reviewer.

        :return: (merged applications, applications they were merged into)
        """
        Partner = self.env["res.partner"]
        Duplicate = self.env["prm.application.duplicate"]
        apps = self.sorted("id")
        companies = apps.company_id
        keys_list = [app._prm_stored_keys() for app in apps]
        partner_hits = Partner._prm_find_matches(
            keys_list, [("company_id", "in", [False, *companies.ids])]
        )
        app_hits = self._prm_find_matches(
            keys_list,
            [
                ("state", "in", OPEN_APPLICATION_STATES),
                ("company_id", "in", companies.ids),
            ],
        )
        # Prefetch what the loop reads, in one query per model.
        matched_partners = Partner.browse(
            {pid for hits in partner_hits for pid in hits}
        )
        matched_partners.fetch(["commercial_partner_id", "company_id"])
        matched_partners.commercial_partner_id.fetch(
            ["prm_vat_key", "prm_is_partner", "prm_state", "name"]
        )
        matched_apps = self.browse({aid for hits in app_hits for aid in hits})
        matched_apps.fetch(["prm_vat_key", "company_id", "state", "name"])
        # Plain dicts: rows sharing a key compare pairwise, keep that cheap.
        company_of = {a.id: a.company_id.id for a in matched_apps | apps}
        vat_of = {a.id: a.prm_vat_key for a in matched_apps | apps}

        def same_company(app, other_id):
            return company_of[other_id] == company_of[app.id]

        def certain(app, other_id, reasons):
            return is_certain_match(reasons, vat_of[app.id], vat_of[other_id])

        # Pass 1, oldest first: which application each certain duplicate is
        # merged into (the oldest open one of its group).
        merged_into = {}
        if merge:
            for app, ahits in zip(apps, app_hits, strict=True):
                targets = {
                    self._prm_root(other_id, merged_into)
                    for other_id, reasons in ahits.items()
                    if other_id < app.id
                    and same_company(app, other_id)
                    and certain(app, other_id, reasons)
                }
                if targets:
                    merged_into[app.id] = min(targets)

        # Pass 2: candidate lines and readable reasons.
        plans = {}
        line_vals = []
        for app, phits, ahits in zip(apps, partner_hits, app_hits, strict=True):
            plan = plans[app] = {"notes": [], "to_review": False, "certain": False}
            target_id = merged_into.get(app.id)
            candidates = defaultdict(lambda: [set(), False])
            for other_id, reasons in ahits.items():
                if other_id == app.id or not same_company(app, other_id):
                    continue
                root_id = self._prm_root(other_id, merged_into)
                if root_id in (app.id, target_id):
                    continue  # same group: merged together
                candidate = candidates[root_id]
                candidate[0] |= reasons
                candidate[1] |= certain(app, other_id, reasons)
            if target_id:
                target = self.browse(target_id)
                reasons = set().union(
                    *(
                        r
                        for o, r in ahits.items()
                        if o != app.id and self._prm_root(o, merged_into) == target_id
                    )
                )
                line_vals.append(app._prm_duplicate_line(reasons, True, target))
                plan["merged_into"] = target
                plan["certain"] = True
                plan["notes"].append(
                    app._prm_duplicate_note(target, reasons, True, merged=True)
                )
            ranked = sorted(
                candidates.items(), key=lambda c: (not c[1][1], -len(c[1][0]), c[0])
            )
            for other_id, (reasons, is_certain) in ranked[:MAX_CANDIDATES]:
                other = self.browse(other_id)
                plan["to_review"] = True
                line_vals.append(app._prm_duplicate_line(reasons, is_certain, other))
                plan["notes"].append(
                    app._prm_duplicate_note(other, reasons, is_certain)
                )
            if len(ranked) > MAX_CANDIDATES:
                plan["notes"].append(
                    self.env._(
                        "%(count)s more applications share a key with this one.",
                        count=len(ranked) - MAX_CANDIDATES,
                    )
                )
            partner_plan = app._prm_partner_matches(phits)
            linked = app.partner_id
            if not linked and partner_plan and partner_plan[0][2]:
                linked = partner_plan[0][0]  # best certain match, see sort
                plan["partner"] = linked
            for partner, reasons, is_certain in partner_plan[:MAX_CANDIDATES]:
                line_vals.append(
                    app._prm_duplicate_line(reasons, is_certain, partner=partner)
                )
                if partner == linked and is_certain:
                    plan["certain"] = True
                    plan["notes"].insert(
                        0, app._prm_duplicate_note(partner, reasons, True, linked=True)
                    )
                else:
                    plan["to_review"] = True
                    plan["notes"].append(
                        app._prm_duplicate_note(partner, reasons, is_certain)
                    )

        if not merge:
            self.duplicate_ids.unlink()
        Duplicate.create(line_vals)
        now = fields.Datetime.now()
        to_write = defaultdict(list)
        for app, plan in plans.items():
            if plan["to_review"]:
                status = "probable"
            else:
                status = "certain" if plan["certain"] else "none"
            vals = {
                "duplicate_note": "\n".join(plan["notes"]) or False,
                "duplicate_status": status,
            }
            if plan.get("partner"):
                vals["partner_id"] = plan["partner"].id
            if plan.get("merged_into"):
                vals.update(
                    state="merged",
                    merged_into_id=plan["merged_into"].id,
                    date_decided=now,
                    duplicate_status="certain",
                )
            to_write[tuple(sorted(vals.items()))].append(app.id)
        # Most rows have nothing to report: one write for all of them.
        for vals, ids in to_write.items():
            self.browse(ids).write(dict(vals))
        merged = self.browse(merged_into)
        targets = self.browse(set(merged_into.values()))
        if merged:
            merged._prm_merge_into_targets()
        return merged, targets

    @staticmethod
    def _prm_root(app_id, merged_into):
        while app_id in merged_into:
            app_id = merged_into[app_id]
        return app_id

    def _prm_partner_matches(self, hits):
        """``[(commercial partner, reasons, certain)]`` for one application,
        best link candidate first: program partners, then the oldest."""
        self.ensure_one()
        by_commercial = defaultdict(set)
        for partner_id, reasons in hits.items():
            partner = self.env["res.partner"].browse(partner_id)
            by_commercial[partner.commercial_partner_id] |= reasons
        result = [
            (
                partner,
                reasons,
                is_certain_match(reasons, self.prm_vat_key, partner.prm_vat_key),
            )
            for partner, reasons in by_commercial.items()
        ]
        result.sort(key=lambda r: (not r[2], not r[0].prm_is_partner, r[0].id))
        return result

    def _prm_duplicate_line(self, reasons, certain, candidate=None, partner=None):
        """Values of one ``prm.application.duplicate`` line."""
        return {
            "application_id": self.id,
            "candidate_id": candidate.id if candidate else False,
            "partner_id": partner.id if partner else False,
            "certainty": "certain" if certain else "probable",
            "reason_codes": ",".join(r for _k, r in MATCH_KEYS if r in reasons),
        }

    def _prm_duplicate_note(self, other, reasons, certain, merged=False, linked=False):
        """One readable line of the duplicate reasons of an application."""
        labels = self.env["prm.application.duplicate"]._prm_reason_labels()
        why = ", ".join(labels[r] for _k, r in MATCH_KEYS if r in reasons)
        if other._name == "res.partner":
            what = self.env._("partner %(name)s", name=other.name)
            if other.prm_is_partner and other.prm_state:
                states = dict(
                    other._fields["prm_state"]._description_selection(self.env)
                )
                what = self.env._(
                    "%(what)s (program status: %(state)s)",
                    what=what,
                    state=states[other.prm_state],
                )
        else:
            what = self.env._(
                "application %(name)s (#%(id)s)", name=other.name, id=other.id
            )
        if merged:
            return self.env._(
                "Same company as %(what)s (%(why)s): merged into it.",
                what=what,
                why=why,
            )
        if linked:
            return self.env._(
                "Same company as %(what)s (%(why)s): linked to it.", what=what, why=why
            )
        if certain:
            return self.env._(
                "Same company as %(what)s (%(why)s): to be checked.", what=what, why=why
            )
        return self.env._(
            "Probable duplicate of %(what)s: %(why)s.", what=what, why=why
        )

    def _prm_merge_into_targets(self):
        """Fold merged applications into the applications they duplicate: the
        kept one gets the missing values, the served territories, the
        attachments and a note with the merged application's content. Nothing
        is deleted: the merged application stays, in state *Merged*."""
        # Ids in lists, not recordsets grown one by one (quadratic on imports).
        by_target = defaultdict(list)
        for app in self:
            by_target[app.merged_into_id].append(app.id)
        territory_groups = defaultdict(list)
        bodies = {}
        for target, merged_ids in by_target.items():
            merged = self.browse(merged_ids)
            vals = {}
            for fname in MERGE_FILL_FIELDS:
                if not target[fname]:
                    value = next((m[fname] for m in merged if m[fname]), False)
                    if value:
                        vals[fname] = (
                            value.id if isinstance(value, models.BaseModel) else value
                        )
            if vals:
                target.write(vals)
            countries = target.country_ids | merged.country_ids
            states = target.country_state_ids | merged.country_state_ids
            if countries != target.country_ids or states != target.country_state_ids:
                territory_groups[(countries, states)].append(target.id)
            bodies[target.id] = Markup("<br/>").join(
                m._prm_merge_summary() for m in merged
            )
        # One write per distinct territory, not per application.
        for (countries, states), target_ids in territory_groups.items():
            self.browse(target_ids).write(
                {
                    "country_ids": [fields.Command.set(countries.ids)],
                    "country_state_ids": [fields.Command.set(states.ids)],
                }
            )
        self.browse(bodies)._message_log_batch(bodies=bodies)
        self._prm_copy_attachments_to_targets()

    def _prm_merge_summary(self):
        self.ensure_one()
        sources = dict(self._fields["source"]._description_selection(self.env))
        parts = [
            self.env._(
                "Merged application %(link)s received via %(channel)s",
                link=self._get_html_link(),
                channel=sources[self.source],
            ),
            escape(
                " · ".join(v for v in (self.contact_name, self.email, self.phone) if v)
            ),
        ]
        if self.description:
            parts.append(escape(self.description))
        return Markup("<p>%s</p>") % Markup("<br/>").join(p for p in parts if p)

    def _prm_copy_attachments_to_targets(self):
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        )
        if not attachments:
            return
        target_of = {app.id: app.merged_into_id.id for app in self}
        vals_list = attachments.copy_data()
        for attachment, vals in zip(attachments, vals_list, strict=True):
            vals["res_id"] = target_of[attachment.res_id]
        Attachment.create(vals_list)

    # --- Checks ---

    def _prm_run_checks(self):
        """Evaluate the active criteria of each application's company and store
        the results, the score and the proposal. Derived data written as
        superuser: reviewers read check results, they never write them."""
        apps = self.sudo().with_context(tracking_disable=True, prm_no_recheck=True)
        if not apps:
            return
        Criterion = self.env["prm.application.criterion"].sudo()
        criteria = Criterion.search(
            [("company_id", "in", [False, *apps.company_id.ids])]
        )
        if apps.check_ids:
            apps.check_ids.unlink()
        by_company = {
            company: criteria.filtered(
                lambda c, co=company: c.company_id in (co, c.browse())
            )
            for company in apps.company_id
        }
        line_vals = []
        results = defaultdict(list)
        for app in apps:
            company_criteria = by_company[app.company_id]
            score = proposal = False
            if company_criteria:
                total = passed_weight = 0
                mandatory_failed = False
                for criterion in company_criteria:
                    passed, detail = criterion._prm_evaluate(app)
                    total += criterion.weight
                    passed_weight += criterion.weight if passed else 0
                    mandatory_failed |= criterion.mandatory and not passed
                    line_vals.append(
                        {
                            "application_id": app.id,
                            "criterion_id": criterion.id,
                            "sequence": criterion.sequence,
                            "mandatory": criterion.mandatory,
                            "weight": criterion.weight,
                            "passed": passed,
                            "detail": detail,
                        }
                    )
                score = round(100 * passed_weight / total) if total else 100
                proposal = app._prm_proposal(score, mandatory_failed)
            results[(score, proposal)].append(app.id)
        self.env["prm.application.check"].sudo().create(line_vals)
        for (score, proposal), ids in results.items():
            apps.browse(ids).write({"score": score or 0, "proposal": proposal})

    def _prm_proposal(self, score, mandatory_failed):
        self.ensure_one()
        company = self.company_id
        if mandatory_failed or score < company.prm_application_reject_score:
            return "reject"
        if score >= company.prm_application_pass_score:
            # A probable duplicate needs a human look whatever its score.
            return "review" if self.duplicate_status == "probable" else "pass"
        return "review"

    # --- Assignment ---

    def _prm_assign(self):
        """Give each application a channel manager by territory (see
        ``prm.territory.assignment._prm_pick_managers``)."""
        picks = self.env["prm.territory.assignment"].sudo()._prm_pick_managers(self)
        by_user = defaultdict(list)
        for app in self:
            if app.id in picks:
                by_user[picks[app.id]].append(app.id)
        for user, ids in by_user.items():
            self.browse(ids).write({"user_id": user.id})

    def _prm_schedule_review(self, notify=True):
        """A *Review application* activity for each assignee, one batch per
        assignee. Imports skip the per-activity notification email (``notify``
        False): assignees find the activities in their to-do list."""
        activity_type = self.env.ref(REVIEW_ACTIVITY)
        deadline = activity_type._get_date_deadline()
        apps = self.with_context(mail_activity_quick_update=not notify)
        by_user = defaultdict(list)
        for app in apps.filtered("user_id"):
            by_user[app.user_id].append(app.id)
        for user, ids in by_user.items():
            apps.browse(ids).activity_schedule(
                REVIEW_ACTIVITY, date_deadline=deadline, user_id=user.id
            )

    def _prm_log_intake(self):
        """One chatter note per application saying what the intake did."""
        sources = dict(self._fields["source"]._description_selection(self.env))
        proposals = dict(self._fields["proposal"]._description_selection(self.env))
        bodies = {}
        for app in self:
            lines = [
                self.env._("Received via %(channel)s.", channel=sources[app.source])
            ]
            if app.state == "merged":
                lines.append(
                    self.env._(
                        "Merged into %(application)s.",
                        application=app.merged_into_id._get_html_link(),
                    )
                )
            else:
                if app.proposal:
                    lines.append(
                        self.env._(
                            "Score %(score)s/100, proposal: %(proposal)s.",
                            score=app.score,
                            proposal=proposals[app.proposal],
                        )
                    )
                if app.user_id:
                    lines.append(
                        self.env._("Assigned to %(user)s.", user=app.user_id.name)
                    )
            if app.duplicate_note:
                lines.extend(app.duplicate_note.split("\n"))
            bodies[app.id] = Markup("<p>%s</p>") % Markup("<br/>").join(
                escape(line) if not isinstance(line, Markup) else line for line in lines
            )
        self._message_log_batch(bodies=bodies)
