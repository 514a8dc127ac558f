"""The Python API of prm-client: batched imports with one result per row,
exports, and the server-side jobs (requalification, period close)."""

import base64
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .progress import Progress
from .transport import AuthError, RemoteError, TransportError, make_transport

DEFAULT_BATCH_SIZE = 500
# Most rows the server takes per call (prm_partner's MAX_IMPORT_ROWS).
MAX_BATCH_SIZE = 5000
SETTLEMENT_FIELDS = [
    "name",
    "partner_id",
    "program_id",
    "date_from",
    "date_to",
    "state",
    "currency_id",
    "amount_earned",
    "amount_clawback",
    "amount_carried_in",
    "amount_total",
    "amount_to_pay",
    "points_total",
]
JOB_DONE = ("done", "failed")


@dataclass
class RowResult:
    row: int
    status: str
    id: int | None = None
    message: str = ""

    @property
    def failed(self):
        return self.status in ("error", "not sent")

    def as_dict(self):
        return asdict(self)


@dataclass
class ImportRun:
    """Results of an import, one per row, and the error that stopped it
    early (credentials refused, server unreachable), if any: the rows it did
    not send are reported as ``not sent``."""

    results: list
    fatal: Exception | None = None

    @property
    def failed(self):
        return [r for r in self.results if r.failed]

    def counts(self):
        counts = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts


class PrmClient:
    def __init__(self, config=None, transport=None):
        self.config = config
        self.transport = transport or make_transport(config)

    def call(self, model, method, ids=None, **kwargs):
        return self.transport.call(model, method, ids=ids, **kwargs)

    # --- Imports ---

    def import_partners(self, rows, **kwargs):
        return self._import("res.partner", "prm_import_partners", rows, **kwargs)

    def import_applications(self, rows, **kwargs):
        return self._import(
            "prm.application", "prm_import_applications", rows, **kwargs
        )

    def _import(
        self,
        model,
        method,
        rows,
        batch_size=DEFAULT_BATCH_SIZE,
        dry_run=False,
        progress=None,
    ):
        """Send ``rows`` in batches of ``batch_size``; a batch the server
        refuses as a whole marks its rows as failed with the server's message
        and the next batch goes on. Credentials refused or the server gone
        stop the run: the rows not sent are reported as such."""
        batch_size = max(1, min(int(batch_size), MAX_BATCH_SIZE))
        rows = [
            dict(row, _row=row.get("_row", index + 1)) for index, row in enumerate(rows)
        ]
        run = ImportRun(results=[])
        bar = progress or Progress(len(rows), method, enabled=False)
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            if run.fatal:
                run.results += [
                    RowResult(row["_row"], "not sent", None, str(run.fatal))
                    for row in batch
                ]
                continue
            try:
                answer = self.call(model, method, rows=batch, dry_run=dry_run)
                run.results += [
                    RowResult(
                        r["row"],
                        r["status"],
                        r.get("id") or None,
                        r.get("message") or "",
                    )
                    for r in answer
                ]
            except RemoteError as error:
                if error.access_denied:
                    run.fatal = error
                run.results += [
                    RowResult(row["_row"], "error", None, str(error)) for row in batch
                ]
            except (AuthError, TransportError) as error:
                run.fatal = error
                run.results += [
                    RowResult(row["_row"], "not sent", None, str(error))
                    for row in batch
                ]
            bar.update(len(batch), note=f"{len(run.failed)} failed")
        return run

    def import_sellout(
        self, path, partner, date_from, date_to, dry_run=False, validate=False
    ):
        """Send a sell-out file (read by the server, the partner's column
        mapping applied); the answer lists the rows with errors."""
        path = Path(path)
        return self.call(
            "prm.sellout.batch",
            "prm_import_sellout",
            partner=str(partner).strip(),
            file_name=path.name,
            content=base64.b64encode(path.read_bytes()).decode(),
            date_from=str(date_from),
            date_to=str(date_to),
            dry_run=dry_run,
            validate=validate,
        )

    # --- Exports ---

    def export(
        self,
        model,
        domain,
        fields,
        batch_size=DEFAULT_BATCH_SIZE,
        progress=None,
        order="id",
    ):
        """Records of ``model`` matching ``domain``, read in pages; many2one
        values become their display name."""
        total = self.call(model, "search_count", domain=domain)
        bar = progress or Progress(total, model, enabled=False)
        bar.update(0, total=total)
        records = []
        offset = 0
        while offset < total:
            page = self.call(
                model,
                "search_read",
                domain=domain,
                fields=fields,
                offset=offset,
                limit=batch_size,
                order=order,
            )
            if not page:
                break
            records += [_flatten(record) for record in page]
            offset += len(page)
            bar.update(len(page))
        return records

    def export_settlements(self, date_from, date_to, **kwargs):
        domain = [
            ["date_from", ">=", str(date_from)],
            ["date_to", "<=", str(date_to)],
        ]
        return self.export("prm.settlement", domain, SETTLEMENT_FIELDS, **kwargs)

    def export_analytics(self, date_from, date_to, **kwargs):
        domain = [["date", ">=", str(date_from)], ["date", "<=", str(date_to)]]
        return self.export(
            "prm.channel.report", domain, None, order="date, partner_id", **kwargs
        )

    # --- Jobs ---

    def start_requalify(self):
        return self.call("res.partner", "prm_requalify_start")

    def requalify_status(self, job):
        return self.call(
            "res.partner",
            "prm_requalify_status",
            since=job["since"],
            trigger=job["trigger"],
        )

    def start_close(self, day, programs=None):
        kwargs = {"programs": list(programs)} if programs else {}
        return self.call(
            "prm.settlement.close.job", "prm_start", date=str(day), **kwargs
        )

    def close_status(self, job):
        return self.call("prm.settlement.close.job", "prm_status", ids=[job["id"]])

    def follow(self, status, job, poll=2.0, timeout=None, progress=None):
        """Poll ``status(job)`` until the job is done or failed (or
        ``timeout`` seconds passed: the last status is returned, its state
        still queued or running)."""
        deadline = time.monotonic() + timeout if timeout is not None else None
        while True:
            state = status(job)
            if progress:
                done = state.get("done") or 0
                progress.set(
                    done,
                    total=done + (state.get("remaining") or 0),
                    note=state["state"],
                )
            if state["state"] in JOB_DONE:
                return state
            if deadline is not None and time.monotonic() >= deadline:
                return state
            time.sleep(poll)


def _flatten(record):
    return {
        key: (value[1] if isinstance(value, list) and len(value) == 2 else value)
        for key, value in record.items()
    }
