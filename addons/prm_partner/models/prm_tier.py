from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class PrmTier(models.Model):
    """A level of the partner program (Registered, Silver, Gold...).

    Tiers are ranked by ``sequence``: the higher the sequence, the higher the
    tier. A partner qualifies for a tier when every one of its rules holds; a
    tier without rules is an entry level everybody qualifies for.
    """

    _name = "prm.tier"
    _description = "Partner Tier"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        required=True,
        help="Rank of the tier: a higher sequence is a higher tier.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the tier between companies.",
    )
    color = fields.Integer(help="Color of the tier badge.")
    badge = fields.Image(max_width=256, max_height=256)
    rule_ids = fields.One2many("prm.tier.rule", "tier_id", string="Qualification rules")

    # --- Benefits ---
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        help="Pricelist applied to the partner and its contacts while at this tier "
        "(a pricelist set by hand on the partner still wins).",
    )
    mdf_percent = fields.Float(
        string="MDF allocation (%)",
        help="Share of the partner's revenue allocated to its market development fund.",
    )
    benefits = fields.Html(translate=True, help="Benefits shown to the partners.")
    partner_ids = fields.One2many("res.partner", "prm_tier_id")
    partner_count = fields.Integer(compute="_compute_partner_count")

    _mdf_percent_range = models.Constraint(
        "CHECK(mdf_percent >= 0 AND mdf_percent <= 100)",
        "The MDF allocation must be between 0 and 100 percent.",
    )

    # --- Compute ---

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("prm_tier_id", "in", self.ids)], ["prm_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    # --- Constraints ---

    @api.constrains("sequence", "company_id", "active", "rule_ids")
    def _check_no_overlap(self):
        """Tiers must form a ladder.

        Two tiers of one company may not share a rank (which one would a partner
        get?), and on a metric both tiers measure over the same period, the
        higher tier may not ask for less than the lower one: it would swallow it.
        """
        companies = self.company_id
        domain = [("active", "=", True)]
        if not self.filtered(lambda t: not t.company_id):
            domain.append(("company_id", "in", [*companies.ids, False]))
        all_tiers = self.search(domain)
        for tier in self.filtered("active"):
            siblings = all_tiers.filtered(
                lambda t, tier=tier: (
                    t != tier
                    and (
                        not t.company_id
                        or not tier.company_id
                        or t.company_id == tier.company_id
                    )
                )
            )
            same_rank = siblings.filtered(
                lambda t, tier=tier: t.sequence == tier.sequence
            )
            if same_rank:
                raise ValidationError(
                    self.env._(
                        "Tiers %(tier)s and %(other)s have the same rank (sequence %(seq)s):"
                        " give each tier its own rank.",
                        tier=tier.display_name,
                        other=same_rank[0].display_name,
                        seq=tier.sequence,
                    )
                )
            for other in siblings:
                low, high = (
                    (other, tier) if other.sequence < tier.sequence else (tier, other)
                )
                low._check_threshold_ladder(high)

    def _check_threshold_ladder(self, higher):
        """Raise if ``higher`` asks less than ``self`` on a shared minimum rule."""
        self.ensure_one()
        low_rules = {
            (r._prm_metric_code(), r.lookback_months): r.threshold
            for r in self.rule_ids
            if r.operator in (">=", ">")
        }
        for rule in higher.rule_ids.filtered(lambda r: r.operator in (">=", ">")):
            low = low_rules.get((rule._prm_metric_code(), rule.lookback_months))
            if (
                low is not None
                and float_compare(rule.threshold, low, precision_digits=6) < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Tier %(high)s ranks above %(low)s but asks less on "
                        "%(metric)s (%(high_value)s instead of at least %(low_value)s): "
                        "the tier definitions overlap.",
                        high=higher.display_name,
                        low=self.display_name,
                        metric=rule._metric_label(),
                        high_value=rule.threshold,
                        low_value=low,
                    )
                )

    # --- Actions ---

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "prm_partner.action_prm_partner"
        )
        action["domain"] = [("prm_tier_id", "=", self.id)]
        return action
