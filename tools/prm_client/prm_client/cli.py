"""``prm-client`` command line. ``main(argv)`` returns the exit status:

0  everything done (every row imported, the job finished)
1  some rows failed (the report file says which and why) or the job failed
2  bad usage, settings or input file (nothing was sent)
3  the server refused the credentials, could not be reached or refused the
   call as a whole (rows not sent are in the report as ``not sent``)
4  the job is still running when ``--timeout`` ran out
"""

import argparse
import calendar
import datetime
import logging
import re
import sys
from pathlib import Path

from . import __version__
from .client import DEFAULT_BATCH_SIZE, PrmClient
from .config import TRANSPORTS, ConfigError, load
from .files import (
    APPLICATION_ALIASES,
    PARTNER_ALIASES,
    FileError,
    read_rows,
    write_report,
    write_table,
)
from .progress import Progress
from .transport import AuthError, RemoteError, TransportError

OK, ROWS_FAILED, USAGE, SERVER, TIMEOUT = 0, 1, 2, 3, 4
_logger = logging.getLogger("prm_client")


class UsageError(Exception):
    pass


# --- Periods ---


def parse_period(text):
    """``(first day, last day)`` of ``2026-11``, ``2026-Q4``, ``2026``,
    ``2026-11-15`` (that day's month) or ``2026-10-01..2026-12-31``."""
    text = (text or "").strip()
    try:
        if ".." in text:
            start, end = text.split("..", 1)
            return _date(start), _date(end)
        if re.fullmatch(r"\d{4}", text):
            year = int(text)
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        match = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text)
        if match:
            year, quarter = int(match[1]), int(match[2])
            first = datetime.date(year, 3 * quarter - 2, 1)
            return first, _month_end(year, 3 * quarter)
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if match:
            year, month = int(match[1]), int(match[2])
            return datetime.date(year, month, 1), _month_end(year, month)
        day = _date(text)
        return day.replace(day=1), _month_end(day.year, day.month)
    except ValueError:
        pass
    raise UsageError(
        f"Bad period {text!r}: give 2026-11, 2026-Q4, 2026, a day, or FROM..TO."
    )


def _date(text):
    return datetime.date.fromisoformat(text.strip())


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# --- Arguments ---


def build_parser():
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument("--url", help="Odoo URL (PRM_URL)")
    group.add_argument("--db", help="database (PRM_DB)")
    group.add_argument("--user", help="login, needed by XML-RPC (PRM_USER)")
    group.add_argument(
        "--api-key-file",
        help="file holding the API key (else PRM_API_KEY or the config file; "
        "never on the command line, where other users can read it)",
    )
    group.add_argument("--transport", choices=TRANSPORTS, help="default: auto")
    group.add_argument("--config", help="config file (.toml or .ini)")
    group.add_argument("--timeout", type=float, help="seconds per call")
    run = common.add_argument_group("run")
    run.add_argument("--dry-run", action="store_true", help="check, write nothing")
    run.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    run.add_argument("--report", help="per-row report file (.csv or .xlsx)")
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when it is a terminal)",
    )
    run.add_argument("-v", "--verbose", action="store_true")

    parser = argparse.ArgumentParser(
        prog="prm-client",
        description="Bulk import and export for Odoo PRM.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    cmd = sub.add_parser(
        "import-partners", parents=[common], help="partners from a file"
    )
    cmd.add_argument("file")
    cmd = sub.add_parser(
        "import-applications", parents=[common], help="applications from a file"
    )
    cmd.add_argument("file")
    cmd = sub.add_parser("import-sellout", parents=[common], help="a sell-out report")
    cmd.add_argument("file")
    cmd.add_argument("--partner", required=True, help="id, reference, VAT or name")
    cmd.add_argument("--period", required=True, help="2026-11, 2026-Q4, FROM..TO")
    cmd.add_argument("--validate", action="store_true", help="validate when clean")
    for name, what in (
        ("export-settlements", "settlements of a period"),
        ("export-analytics", "channel analytics of a period"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=what)
        cmd.add_argument("--period", required=True)
        cmd.add_argument("-o", "--output", required=True, help=".xlsx or .csv")
    for name, what in (
        ("requalify", "run the tier requalification job"),
        ("close-period", "run the period close job"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=what)
        if name == "close-period":
            cmd.add_argument("--period", required=True)
            cmd.add_argument("--program", action="append", help="program name (repeat)")
        cmd.add_argument("--no-wait", action="store_true", help="start, do not follow")
        cmd.add_argument("--poll", type=float, default=2.0)
        cmd.add_argument("--wait-timeout", type=float, help="stop following after")
    return parser


def connection_flags(args):
    flags = {
        "url": args.url,
        "db": args.db,
        "user": args.user,
        "transport": args.transport,
        "timeout": args.timeout,
    }
    if args.api_key_file:
        try:
            flags["api_key"] = (
                Path(args.api_key_file).read_text(encoding="utf-8").strip()
            )
        except OSError as error:
            raise ConfigError(f"{args.api_key_file}: {error.strerror}") from None
    return flags


# --- Commands ---


def main(argv=None, client=None):
    """Run the command line; ``client`` (a ``PrmClient``) replaces the one
    built from the settings (tests, embedding)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = None
    if args.verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        for name in ("prm_client", "urllib3"):
            logging.getLogger(name).addHandler(handler)
            logging.getLogger(name).setLevel(logging.DEBUG)
    redact = str
    try:
        if client is None:
            config = load(connection_flags(args), config_file=args.config)
            _logger.debug("settings: %r", config)
            client = PrmClient(config)
        redact = client.transport.redact
        return COMMANDS[args.command](client, args)
    except (ConfigError, UsageError, FileError) as error:
        print(f"prm-client: {redact(error)}", file=sys.stderr)
        return USAGE
    except AuthError as error:
        print(f"prm-client: {redact(error)}", file=sys.stderr)
        return SERVER
    except (RemoteError, TransportError) as error:
        print(f"prm-client: {redact(error)}", file=sys.stderr)
        return SERVER
    except KeyboardInterrupt:
        print("prm-client: interrupted", file=sys.stderr)
        return 130
    finally:
        if handler:
            for name in ("prm_client", "urllib3"):
                logging.getLogger(name).removeHandler(handler)
                logging.getLogger(name).setLevel(logging.NOTSET)


def _bar(args, total, label):
    return Progress(total, label, enabled=args.progress)


def _report_path(args, default_stem):
    if args.report:
        return Path(args.report)
    return Path(f"{default_stem}.report.csv")


def _import_command(method, aliases):
    def command(client, args):
        path = Path(args.file)
        rows = read_rows(path, aliases)
        if not rows:
            raise UsageError(f"{path}: no rows.")
        with _bar(args, len(rows), path.name) as bar:
            run = getattr(client, method)(
                rows, batch_size=args.batch_size, dry_run=args.dry_run, progress=bar
            )
        for result in run.results:
            result.message = client.transport.redact(result.message)
        report = write_report(_report_path(args, path.with_suffix("")), run.results)
        counts = ", ".join(
            f"{n} {status}" for status, n in sorted(run.counts().items())
        )
        prefix = "dry run: " if args.dry_run else ""
        print(f"{prefix}{len(run.results)} rows: {counts}; report: {report}")
        if run.fatal:
            print(
                f"prm-client: stopped: {client.transport.redact(run.fatal)}",
                file=sys.stderr,
            )
            return SERVER
        return ROWS_FAILED if run.failed else OK

    return command


def cmd_import_sellout(client, args):
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path}: no such file.")
    date_from, date_to = parse_period(args.period)
    with _bar(args, 1, path.name) as bar:
        answer = client.import_sellout(
            path,
            args.partner,
            date_from,
            date_to,
            dry_run=args.dry_run,
            validate=args.validate,
        )
        bar.update(1)
    errors = answer.get("errors") or []
    report = write_table(
        _report_path(args, path.with_suffix("")),
        [{"row": e["row"], "status": "error", "message": e["message"]} for e in errors],
        ["row", "status", "message"],
    )
    prefix = "dry run: " if args.dry_run else ""
    print(
        f"{prefix}sell-out report {answer.get('name') or '-'} ({answer.get('state')}): "
        f"{answer.get('rows')} rows, {len(errors)} with errors; report: {report}"
    )
    return ROWS_FAILED if errors else OK


def _export_command(method, label):
    def command(client, args):
        date_from, date_to = parse_period(args.period)
        output = Path(args.output)
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise UsageError(f"{output}: give a .csv or .xlsx file name.")
        with _bar(args, 0, label) as bar:
            records = getattr(client, method)(
                date_from, date_to, batch_size=args.batch_size, progress=bar
            )
        columns = list(records[0]) if records else ["id"]
        if args.dry_run:
            print(f"dry run: {len(records)} {label} of {date_from}..{date_to}")
            return OK
        write_table(output, records, columns)
        print(f"{len(records)} {label} of {date_from}..{date_to} written to {output}")
        return OK

    return command


def _follow(client, args, status, job, label):
    if args.no_wait:
        print(f"{label} started: {job}")
        return OK
    with _bar(args, 0, label) as bar:
        state = client.follow(
            status, job, poll=args.poll, timeout=args.wait_timeout, progress=bar
        )
    print(
        f"{label}: {state['state']}, {state.get('done', 0)} done"
        + (f", {state['settlements']} settlements" if "settlements" in state else "")
        + (f": {state['message']}" if state.get("message") else "")
    )
    if state["state"] == "failed":
        return ROWS_FAILED
    return OK if state["state"] == "done" else TIMEOUT


def cmd_requalify(client, args):
    if args.dry_run:
        count = client.call(
            "res.partner",
            "search_count",
            domain=[["prm_is_partner", "=", True], ["prm_state", "=", "active"]],
        )
        print(f"dry run: the requalification would look at {count} active partners")
        return OK
    job = client.start_requalify()
    return _follow(client, args, client.requalify_status, job, "requalification")


def cmd_close_period(client, args):
    _date_from, date_to = parse_period(args.period)
    if args.dry_run:
        domain = [["name", "in", args.program]] if args.program else []
        names = [
            p["name"]
            for p in client.call(
                "prm.incentive.program", "search_read", domain=domain, fields=["name"]
            )
        ]
        print(f"dry run: would close the period of {date_to} for: {', '.join(names)}")
        return OK
    job = client.start_close(date_to, args.program)
    return _follow(client, args, client.close_status, job, "period close")


COMMANDS = {
    "import-partners": _import_command("import_partners", PARTNER_ALIASES),
    "import-applications": _import_command("import_applications", APPLICATION_ALIASES),
    "import-sellout": cmd_import_sellout,
    "export-settlements": _export_command("export_settlements", "settlements"),
    "export-analytics": _export_command("export_analytics", "analytics rows"),
    "requalify": cmd_requalify,
    "close-period": cmd_close_period,
}


if __name__ == "__main__":
    sys.exit(main())
