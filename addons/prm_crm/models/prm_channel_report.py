from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.prm_partner.models.res_partner import PRM_STATES

# Registration states reached only through an approval.
APPROVED_REGISTRATION_STATES = ("approved", "won", "lost", "expired")

# Ratio measures: (numerator columns, denominator columns, factor). Their value
# on a row, and on any group of rows, is factor * SUM(numerators) /
# SUM(denominators), never an average of the rows' ratios (see _read_group_select).
RATIOS = {
    "accept_rate": (("offer_accepted_count",), ("offer_count",), 100),
    "offer_win_rate": (("offer_won_count",), ("offer_accepted_count",), 100),
    "registration_approval_rate": (
        ("registration_approved_count",),
        ("registration_count",),
        100,
    ),
    "deal_win_rate": (
        ("offer_won_count", "registration_won_count"),
        ("offer_accepted_count", "registration_approved_count"),
        100,
    ),
    "avg_deal_size": (("won_amount",), ("won_count",), 1),
    "avg_accept_hours": (("accept_hours",), ("accept_timed_count",), 1),
}


class PrmChannelReport(models.Model):
    """Channel analytics: one row per channel partner, company and month.

    A query, not a table (``_table_query``): the figures are always those of the
    live documents, with nothing to refresh or invalidate, and no SQL view
    blocks later changes of the columns it reads. It stays fast on large data
    because every filter on company, partner or month is pushed down by
    PostgreSQL into each source's own query, where the expression indexes on the
    month of each source date (see ``_prm_*_month_idx`` on the source models)
    serve it: a pivot over some months reads those months only.

    Each source counts in the month of its own date (UTC): offers in the month
    they were made (their acceptance, decline, expiry and win are counted with
    them, so that rates compare the same leads), registrations in the month they
    were submitted, opportunities in the month they were won (Sales adds
    invoices, in the month of their invoice date).

    Extension points: ``_prm_measures`` and ``_prm_fact_sources`` (new facts),
    ``_prm_derived_columns`` and ``_prm_ratios`` (figures computed from them).
    """

    _name = "prm.channel.report"
    _description = "Channel Analytics"
    _auto = False
    _order = "date desc, partner_id"
    _rec_name = "partner_id"

    # --- Dimensions ---
    date = fields.Date(string="Month", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    tier_id = fields.Many2one(
        "prm.tier", readonly=True, help="The partner's current tier."
    )
    partner_type_id = fields.Many2one(
        "prm.partner.type", string="Partner type", readonly=True
    )
    country_id = fields.Many2one("res.country", readonly=True)
    manager_id = fields.Many2one("res.users", string="Channel manager", readonly=True)
    partner_state = fields.Selection(PRM_STATES, string="Program status", readonly=True)

    # --- Routed leads (offers, in the month they were made) ---
    offer_count = fields.Integer(
        string="Leads routed", readonly=True, help="Leads offered to the partner."
    )
    offer_accepted_count = fields.Integer(string="Leads accepted", readonly=True)
    offer_declined_count = fields.Integer(string="Leads declined", readonly=True)
    offer_expired_count = fields.Integer(
        string="SLA misses",
        readonly=True,
        help="Offers the partner let expire without answering.",
    )
    offer_won_count = fields.Integer(
        string="Routed leads won",
        readonly=True,
        help="Accepted offers whose opportunity the partner has won.",
    )
    accept_hours = fields.Float(
        string="Hours to accept (total)",
        readonly=True,
        help="Sum of the hours between offer and acceptance; see the average.",
    )
    accept_timed_count = fields.Integer(
        string="Timed acceptances",
        readonly=True,
        help="Accepted offers with an answer time (denominator of the average).",
    )

    # --- Deal registrations (in the month they were submitted) ---
    registration_count = fields.Integer(
        string="Deal registrations submitted", readonly=True
    )
    registration_approved_count = fields.Integer(
        string="Deal registrations approved",
        readonly=True,
        help="Registrations that were approved, whatever happened next (won, "
        "lost, expired).",
    )
    registration_won_count = fields.Integer(
        string="Deal registrations won", readonly=True
    )

    # --- Opportunities won (in the month they were won) ---
    won_count = fields.Integer(
        string="Opportunities won",
        readonly=True,
        help="Opportunities won with the partner as channel partner.",
    )
    won_amount = fields.Monetary(
        string="Won expected revenue",
        readonly=True,
        help="Expected revenue of the opportunities won.",
    )

    # --- Traffic ---
    traffic_count = fields.Integer(
        string="Traffic",
        readonly=True,
        help="Leads routed plus deal registrations submitted.",
    )

    # --- Ratios (see RATIOS and _read_group_select) ---
    accept_rate = fields.Float(
        string="Acceptance rate (%)",
        aggregator="avg",
        readonly=True,
        help="Leads accepted / leads routed.",
    )
    offer_win_rate = fields.Float(
        string="Routed win rate (%)",
        aggregator="avg",
        readonly=True,
        help="Routed leads won / leads accepted.",
    )
    registration_approval_rate = fields.Float(
        string="Deal registration approval rate (%)",
        aggregator="avg",
        readonly=True,
        help="Deal registrations approved / deal registrations submitted.",
    )
    deal_win_rate = fields.Float(
        string="Win rate (%)",
        aggregator="avg",
        readonly=True,
        help="(Routed leads won + registrations won) / (leads accepted + "
        "registrations approved).",
    )
    avg_deal_size = fields.Monetary(
        string="Average deal size",
        aggregator="avg",
        readonly=True,
        help="Expected revenue of the opportunities won / opportunities won.",
    )
    avg_accept_hours = fields.Float(
        string="Average hours to accept",
        aggregator="avg",
        readonly=True,
        help="Average time between an offer and its acceptance.",
    )

    # --- Query ---

    @api.model
    def _prm_measures(self):
        """Summable columns every source fills (0 where it has nothing to say),
        with their SQL type."""
        return {
            "offer_count": "int4",
            "offer_accepted_count": "int4",
            "offer_declined_count": "int4",
            "offer_expired_count": "int4",
            "offer_won_count": "int4",
            "accept_hours": "numeric",
            "accept_timed_count": "int4",
            "registration_count": "int4",
            "registration_approved_count": "int4",
            "registration_won_count": "int4",
            "won_count": "int4",
            "won_amount": "numeric",
        }

    @api.model
    def _prm_month(self, column):
        """First day of the month of a timestamp column; the same expression as
        the sources' month indexes, so that filters on ``date`` use them."""
        return SQL("(date_trunc('month', %s))::date", column)

    @api.model
    def _prm_fact(self, company, partner, month, key, measures, from_where):
        """One source of facts: its company, partner, month, a key unique among
        all facts (the row id is the smallest key of its facts) and its measures;
        measures not given are 0."""
        types = self._prm_measures()
        unknown = set(measures) - set(types)
        assert not unknown, f"unknown channel measures {unknown}"
        return SQL(
            "SELECT %s AS company_id, %s AS partner_id, %s AS month, "
            "(%s)::int8 AS fact_key, %s %s",
            company,
            partner,
            month,
            key,
            SQL(", ").join(
                SQL(
                    "(%s)::%s AS %s",
                    measures.get(name, SQL("0")),
                    SQL(sql_type),
                    SQL.identifier(name),
                )
                for name, sql_type in types.items()
            ),
            from_where,
        )

    @api.model
    def _prm_fact_sources(self):
        """The SELECTs of facts, joined with UNION ALL. Keys: table id * 8 + a
        source number (0-2 here; Sales takes 3-4, other modules 5-7)."""
        accepted = SQL("o.state = 'accepted'")
        timed = SQL("o.state = 'accepted' AND o.responded_at IS NOT NULL")
        return [
            self._prm_fact(
                SQL("o.company_id"),
                SQL("o.partner_id"),
                self._prm_month(SQL("o.offered_at")),
                SQL("o.id::int8 * 8"),
                {
                    "offer_count": SQL("1"),
                    "offer_accepted_count": SQL("(%s)::int4", accepted),
                    "offer_declined_count": SQL("(o.state = 'declined')::int4"),
                    "offer_expired_count": SQL("(o.state = 'expired')::int4"),
                    "offer_won_count": SQL(
                        "(%s AND l.won_status = 'won' "
                        "AND l.prm_partner_id = o.partner_id)::int4",
                        accepted,
                    ),
                    "accept_hours": SQL(
                        "CASE WHEN %s THEN "
                        "EXTRACT(EPOCH FROM o.responded_at - o.offered_at) / 3600 "
                        "ELSE 0 END",
                        timed,
                    ),
                    "accept_timed_count": SQL("(%s)::int4", timed),
                },
                SQL("FROM prm_lead_offer o LEFT JOIN crm_lead l ON l.id = o.lead_id"),
            ),
            self._prm_fact(
                SQL("l.company_id"),
                SQL("l.prm_registration_partner_id"),
                self._prm_month(SQL("l.prm_registration_date")),
                SQL("l.id::int8 * 8 + 1"),
                {
                    "registration_count": SQL("1"),
                    "registration_approved_count": SQL(
                        "(l.prm_registration_state IN %s)::int4",
                        APPROVED_REGISTRATION_STATES,
                    ),
                    "registration_won_count": SQL(
                        "(l.prm_registration_state = 'won')::int4"
                    ),
                },
                SQL(
                    "FROM crm_lead l WHERE l.prm_registration_state IS NOT NULL "
                    "AND l.prm_registration_partner_id IS NOT NULL "
                    "AND l.prm_registration_date IS NOT NULL"
                ),
            ),
            self._prm_fact(
                SQL("l.company_id"),
                SQL("l.prm_partner_id"),
                self._prm_month(SQL("l.date_closed")),
                SQL("l.id::int8 * 8 + 2"),
                {
                    "won_count": SQL("1"),
                    "won_amount": SQL("COALESCE(l.expected_revenue, 0)"),
                },
                SQL(
                    "FROM crm_lead l WHERE l.won_status = 'won' "
                    "AND l.prm_partner_id IS NOT NULL AND l.date_closed IS NOT NULL"
                ),
            ),
        ]

    @property
    def _table_query(self):
        measures = list(self._prm_measures())
        sums = SQL(", ").join(
            SQL("SUM(f.%s) AS %s", SQL.identifier(name), SQL.identifier(name))
            for name in measures
        )
        columns = SQL(", ").join(
            SQL("agg.%s", SQL.identifier(name)) for name in measures
        )
        ratios = SQL(", ").join(
            SQL(
                "%s AS %s",
                self._prm_ratio_sql(
                    *spec, lambda name: SQL("agg.%s", SQL.identifier(name))
                ),
                SQL.identifier(fname),
            )
            for fname, spec in self._prm_ratios().items()
        )
        derived = SQL(", ").join(
            SQL("%s AS %s", expression, SQL.identifier(fname))
            for fname, expression in self._prm_derived_columns(
                lambda name: SQL("agg.%s", SQL.identifier(name))
            ).items()
        )
        return SQL(
            """
            SELECT agg.id, agg.company_id, agg.partner_id, agg.month AS date,
                   COALESCE(c.currency_id, %(currency)s) AS currency_id,
                   p.prm_tier_id AS tier_id,
                   p.prm_partner_type_id AS partner_type_id, p.country_id,
                   p.prm_manager_id AS manager_id, p.prm_state AS partner_state,
                   %(columns)s, %(derived)s, %(ratios)s
              FROM (SELECT MIN(f.fact_key) AS id, f.company_id, f.partner_id,
                           f.month, %(sums)s
                      FROM (%(facts)s) f
                     GROUP BY f.company_id, f.partner_id, f.month) agg
              JOIN res_partner p ON p.id = agg.partner_id
              LEFT JOIN res_company c ON c.id = agg.company_id
            """,
            # Leads without company count in the current company's currency,
            # as crm.lead's company_currency does.
            currency=self.env.company.currency_id.id,
            columns=columns,
            derived=derived,
            ratios=ratios,
            sums=sums,
            facts=SQL(" UNION ALL ").join(self._prm_fact_sources()),
        )

    @api.model
    def _prm_derived_columns(self, column):
        """Columns computed from the summed measures of a row: ``{field name:
        SQL}``, ``column(name)`` giving the SQL of a measure."""
        return {
            "traffic_count": SQL(
                "%s + %s", column("offer_count"), column("registration_count")
            )
        }

    # --- Ratios ---

    @api.model
    def _prm_ratios(self):
        """Ratio measures (see ``RATIOS``); modules adding measures may add
        ratios on them."""
        return dict(RATIOS)

    @api.model
    def _prm_ratio_sql(self, numerators, denominators, factor, column):
        """factor * numerator / denominator, NULL when the denominator is 0.

        :param column: function giving the SQL of a column name (a plain column
            for a row, ``SUM(column)`` for a group)
        """
        return SQL(
            "%s * (%s) / NULLIF(%s, 0)",
            float(factor),
            SQL(" + ").join(column(name) for name in numerators),
            SQL(" + ").join(column(name) for name in denominators),
        )

    def _read_group_select(self, aggregate_spec, query):
        """Ratios over groups of rows are the ratio of their sums.

        The pivot, graph and list views aggregate every measure with its field's
        aggregator; averaging rows' ratios would weigh a month with one routed
        lead like one with a hundred. Whatever aggregate is asked for a ratio
        (``avg`` by default, ``sum``...), the group gets factor * SUM(numerator)
        / SUM(denominator), computed from the summable columns.
        """
        fname = aggregate_spec.split(":")[0]
        ratios = self._prm_ratios()
        if fname not in ratios:
            return super()._read_group_select(aggregate_spec, query)
        return self._prm_ratio_sql(
            *ratios[fname],
            lambda name: SQL(
                "COALESCE(SUM(%s), 0)", self._field_to_sql(self._table, name, query)
            ),
        )
