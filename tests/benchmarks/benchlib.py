"""What the benchmark scripts share: their command line, an Odoo environment on
an existing database inside one transaction that is rolled back at the end, the
SQL statements counted by kind, and the exit status.

A benchmark is run as ``python3 tests/benchmarks/bench_x.py --database DB``, so
this folder is on ``sys.path`` and ``import benchlib`` finds this file.
"""

import argparse
import json
import os
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def arg_parser(doc, default_size, *size_flags, dest="size"):
    """The options every benchmark takes; ``size_flags`` name the size option
    when it is not ``-n/--size``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        *(size_flags or ("-n", "--size")), dest=dest, type=int, default=default_size
    )
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    parser.add_argument("--addons-path", default=str(ROOT / "addons"))
    return parser


@contextmanager
def rolled_back_env(args, module=None):
    """A superuser environment on ``args.database``; whatever the block does is
    rolled back. Exits with status 2 when ``module`` is not installed there."""
    import odoo
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry

    cli = [
        "--addons-path",
        args.addons_path,
        "-d",
        args.database,
        "--log-level",
        "warn",
    ]
    if args.config:
        cli = ["-c", args.config, *cli]
    if os.environ.get("ODOO_DATA_DIR"):
        cli += ["--data-dir", os.environ["ODOO_DATA_DIR"]]
    odoo.tools.config.parse_config(cli, setup_logging=True)
    registry = Registry(args.database)
    print_load("start")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            if module and not env["ir.module.module"].search_count(
                [("name", "=", module), ("state", "=", "installed")]
            ):
                sys.stderr.write(f"{module} is not installed in {args.database}\n")
                raise SystemExit(2)
            yield env
        finally:
            cr.rollback()
            print_load("end")


def print_load(when):
    """Prints the load average: timings on a machine busy with other work
    are not comparable (every benchmark prints it at its start and end)."""
    one, five, fifteen = os.getloadavg()
    print(
        f"load average at {when}: {one:.2f} {five:.2f} {fifteen:.2f} "
        f"({os.cpu_count()} CPUs)"
    )


def analyze(env, *tables):
    """Flush, then ANALYZE ``tables`` after filling them and before the timed
    phases: planner statistics taken while a table was empty (autovacuum ran
    before the fixture's long transaction inserted its rows) once made a
    posting step plan nested loops over 100,000 lines and run 9 minutes."""
    from odoo.tools import SQL

    env.flush_all()
    for table in tables:
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


class QueryCounter:
    """Counts the statements of a cursor, by kind (SELECT, INSERT, ...)."""

    def __init__(self, cr):
        self.cr = cr
        self.counts = Counter()
        self._execute = cr.execute

    def execute(self, query, params=None, log_exceptions=True):
        code = getattr(query, "code", query)
        self.counts[code.lstrip().split(None, 1)[0].upper()] += 1
        return self._execute(query, params, log_exceptions)

    @contextmanager
    def measure(self):
        self.counts.clear()
        self.cr.execute = self.execute
        try:
            yield self.counts
        finally:
            del self.cr.execute

    @staticmethod
    def writes(counts):
        return sum(counts[k] for k in ("INSERT", "UPDATE", "DELETE"))


RESULT_PREFIX = "BENCH "


def report(scenario, size, seconds, queries=None, items=None, ratio=None, **extra):
    """Prints one result as a machine-readable line, ``BENCH {json}``, which
    ``run_all.py`` (``make bench``) collects into its table.

    :param scenario: what was measured (one benchmark prints several)
    :param size: the size it ran at (rows, partners, codes...)
    :param seconds: wall time of the measured phase
    :param queries: SQL statements of the phase, when counted
    :param items: what ``queries`` are divided by for *queries per item*
        (default ``size``)
    :param ratio: against the benchmark's baseline (e.g. "3.2x faster than
        Odoo"), with ``extra`` saying what it compares (``ratio_of=...``)
    """
    items = size if items is None else items
    row = {
        "scenario": scenario,
        "size": size,
        "seconds": round(seconds, 3),
        "queries": queries,
        "per_item": round(queries / items, 3)
        if queries is not None and items
        else None,
        "ratio": round(ratio, 2) if ratio is not None else None,
        **extra,
    }
    print(RESULT_PREFIX + json.dumps(row), flush=True)
    return row


def exit_status(failures):
    """Prints the failed assertions; the status ``make bench`` sees."""
    print("database rolled back: unchanged")
    for failure in failures:
        sys.stderr.write(f"FAIL {failure}\n")
    return 1 if failures else 0


def table_columns(cr, table):
    """The columns of ``table`` but ``id``: what a set-based SQL copy of its
    rows lists (the fixtures post a few records with the ORM, then clone them)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s AND column_name != 'id'",
        [table],
    )
    return [name for (name,) in cr.fetchall()]


def clone_posted_moves(
    env, template, channel_partner_ids, tag, dates=None, customer_ids=None
):
    """Copies of posted customer invoice ``template`` (move and lines), one per
    id of ``channel_partner_ids`` (set as channel partner), in two set-based
    SQL statements: posting thousands of invoices through the ORM would take
    minutes in a benchmark fixture. ``dates`` (same length) sets their
    invoice and accounting dates, ``customer_ids`` (same length) their
    customer. Returns the new move ids.
    """
    env.flush_all()
    from odoo.tools import SQL

    cr = env.cr

    def columns(table):
        cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND table_name = %s AND "
                "column_name != 'id' ORDER BY ordinal_position",
                table,
            )
        )
        return [name for (name,) in cr.fetchall()]

    dates = dates or [template.invoice_date] * len(channel_partner_ids)
    customers = customer_ids or [template.partner_id.id] * len(channel_partner_ids)
    overrides = {
        "name": SQL("m.name || %s || t.n", f"-{tag}-"),
        "prm_partner_id": SQL("t.partner_id"),
        "partner_id": SQL("t.customer_id"),
        "commercial_partner_id": SQL("t.customer_id"),
        "invoice_date": SQL("t.day"),
        "date": SQL("t.day"),
    }
    move_columns = columns("account_move")
    cr.execute(
        SQL(
            """
            INSERT INTO account_move (%(cols)s)
            SELECT %(values)s
              FROM account_move m,
                   unnest(%(partners)s::int[], %(dates)s::date[], %(customers)s::int[])
                       WITH ORDINALITY AS t(partner_id, day, customer_id, n)
             WHERE m.id = %(template)s
         RETURNING id
            """,
            cols=SQL(", ").join(SQL.identifier(c) for c in move_columns),
            values=SQL(", ").join(
                overrides.get(c, SQL("m.%s", SQL.identifier(c))) for c in move_columns
            ),
            partners=list(channel_partner_ids),
            dates=list(dates),
            customers=list(customers),
            template=template.id,
        )
    )
    move_ids = [row[0] for row in cr.fetchall()]
    line_columns = columns("account_move_line")
    line_overrides = {
        "move_id": SQL("nm.id"),
        "partner_id": SQL("nm.commercial_partner_id"),
        "date": SQL("nm.date"),
        "invoice_date": SQL("nm.invoice_date"),
    }
    cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (%(cols)s)
            SELECT %(values)s
              FROM account_move_line l
              JOIN account_move nm ON nm.id = ANY(%(move_ids)s)
             WHERE l.move_id = %(template)s
            """,
            cols=SQL(", ").join(SQL.identifier(c) for c in line_columns),
            values=SQL(", ").join(
                line_overrides.get(c, SQL("l.%s", SQL.identifier(c)))
                for c in line_columns
            ),
            move_ids=move_ids,
            template=template.id,
        )
    )
    env.invalidate_all()
    analyze(env, "account_move", "account_move_line")
    return move_ids
