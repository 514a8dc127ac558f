"""``prm-client`` (tools/prm_client) against the real Odoo HTTP server of the
test run: its Python API and its command line, over JSON-2 and XML-RPC, with
an API key of a program administrator (requests of the test share its
cursor, like ``url_open``)."""

import csv
import io
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.prm_incentive.tests.common import PrmSelloutCommon

CLIENT_PATH = Path(__file__).resolve().parents[1] / "tools" / "prm_client"
if str(CLIENT_PATH) not in sys.path:
    # CI runs on a clean clone: the package is used from the source tree.
    sys.path.insert(0, str(CLIENT_PATH))

from prm_client import (  # noqa: E402
    Config,
    ConfigError,
    Json2Transport,
    PrmClient,
    RemoteError,
    XmlRpcTransport,
    make_transport,
)
from prm_client.cli import main, parse_period  # noqa: E402
from prm_client.config import load  # noqa: E402


class _NoJson2Proxy(BaseHTTPRequestHandler):
    """A real HTTP server in front of Odoo that does not serve ``/json/2``
    (answers 404, as an older server or a proxy would) and passes every
    other request through."""

    upstream = ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/json/2"):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(
            self.upstream + self.path,
            data=body,
            headers={"Content-Type": self.headers.get("Content-Type", "text/xml")},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, payload = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestPrmClient(PrmSelloutCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.user_importer = new_test_user(
            cls.env,
            login="prm_importer",
            name="Ivan Importer",
            groups="prm_partner.group_prm_manager,account.group_account_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        cls.user_portal = new_test_user(
            cls.env, login="prm_client_portal", groups="base.group_portal"
        )
        cls.role_admin = cls.env["prm.role"].search([("code", "=", "admin")], limit=1)
        cls.workdir = Path(tempfile.mkdtemp(prefix="prm_client_test_"))

    def setUp(self):
        super().setUp()
        self.key = self._key(self.user_importer)

    # --- Helpers ---

    def _key(self, user):
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate("rpc", "prm-client test", datetime.now() + timedelta(days=1))
        )

    def _config(self, transport="json2", key=None):
        return Config(
            url=self.base_url(),
            db=self.env.cr.dbname,
            user=self.user_importer.login,
            api_key=key or self.key,
            transport=transport,
        )

    def _client(self, transport="json2", key=None):
        return PrmClient(self._config(transport, key))

    @contextmanager
    def _served(self):
        """Let the HTTP server thread take the test cursor while the client
        calls it (as ``url_open`` does), then drop the stale cache."""
        self.env.flush_all()
        # XML-RPC is deprecated in Odoo 19: the server says so on each call.
        with (
            self.allow_requests(all_requests=True),
            mute_logger("odoo.addons.rpc.controllers.xmlrpc"),
        ):
            yield
        self.env.invalidate_all()

    def _cli(self, *args, key=None):
        """``prm-client`` in-process: (exit status, stdout, stderr)."""
        key_file = self.workdir / "key"
        key_file.write_text(key or self.key)
        out, err = io.StringIO(), io.StringIO()
        argv = [
            *args,
            "--url",
            self.base_url(),
            "--db",
            self.env.cr.dbname,
            "--user",
            self.user_importer.login,
            "--api-key-file",
            str(key_file),
            "--config",
            str(self._empty_config()),
        ]
        with self._served(), redirect_stdout(out), redirect_stderr(err):
            status = main(argv)
        return status, out.getvalue(), err.getvalue()

    def _empty_config(self):
        path = self.workdir / "prm-client.ini"
        path.write_text("[prm-client]\n")
        return path

    def _write_csv(self, name, header, rows):
        path = self.workdir / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    def _partner_rows(self):
        return [
            {
                "name": "Taxi Rapido",
                "ref": "CLI-1",
                "email": "Office@Taxi-Rapido.example",
                "partner_type": self.type_reseller.code,
                "tier": self.tier_silver.name,
                "manager": self.user_channel_manager.login,
                "country": "ES",
                "territories": "ES, PT",
                "representatives": "Rosa Driver <rosa@taxi-rapido.example> [admin]",
                "status": "onboarding",
            },
            {"name": "Cine Luna", "vat": "ESA12345674", "country": "ES"},
            {"name": "Broken", "email": "not-an-email", "tier": "No such tier"},
        ]

    def _partners(self, *refs):
        return self.env["res.partner"].search([("ref", "in", refs)])

    # --- Imports ---

    def test_import_partners_json2_then_xmlrpc_rerun_updates(self):
        with self._served():
            run = self._client("json2").import_partners(self._partner_rows())
        self.assertEqual(
            [(r.row, r.status) for r in run.results],
            [(1, "created"), (2, "created"), (3, "error")],
        )
        self.assertIn("not-an-email", run.results[2].message)
        self.assertIn("No such tier", run.results[2].message)
        taxi = self._partners("CLI-1")
        self.assertRecordValues(
            taxi,
            [
                {
                    "prm_is_partner": True,
                    "is_company": True,
                    "prm_state": "onboarding",
                    "prm_tier_id": self.tier_silver.id,
                    "prm_manager_id": self.user_channel_manager.id,
                    "prm_partner_type_id": self.type_reseller.id,
                    "email": "office@taxi-rapido.example",
                }
            ],
        )
        self.assertEqual(
            set(taxi.prm_country_ids.mapped("code")), {"ES", "PT"}, "territories"
        )
        rosa = taxi.child_ids
        self.assertEqual(rosa.mapped("email"), ["rosa@taxi-rapido.example"])
        self.assertEqual(rosa.prm_role_ids, self.role_admin)
        self.assertEqual(
            taxi.prm_tier_history_ids.mapped("reason"), ["Imported with prm-client"]
        )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Broken")]))

        # The same file again, over XML-RPC, matched on reference, VAT, email:
        # nothing is duplicated, only the changed row is written.
        rows = self._partner_rows()[:2]
        rows[0]["phone"] = "+34 600 000 000"
        rows[1].update(name="Cine Luna SL", vat="ES A-12345674")
        with self._served():
            run = self._client("xmlrpc").import_partners(rows, batch_size=1)
        self.assertEqual(
            [(r.status, r.id) for r in run.results],
            [("updated", taxi.id), ("updated", run.results[1].id)],
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("ref", "=", "CLI-1")]), 1
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "ilike", "Cine Luna")]), 1
        )
        self.assertEqual(taxi.phone, "+34 600 000 000")
        self.assertEqual(len(taxi.child_ids), 1, "the representative is matched")
        with self._served():
            run = self._client("json2").import_partners(rows)
        self.assertEqual([r.status for r in run.results], ["unchanged", "unchanged"])

    def test_auto_transport_falls_back_to_xmlrpc(self):
        """``transport = auto`` against a server without ``/json/2``: the
        client finds the 404 and imports over XML-RPC; without a login (which
        XML-RPC needs) it says so instead."""
        handler = type("Proxy", (_NoJson2Proxy,), {"upstream": self.base_url()})
        proxy = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=proxy.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(proxy.server_close)
        self.addCleanup(proxy.shutdown)
        config = self._config("auto")
        config.url = f"http://127.0.0.1:{proxy.server_address[1]}"
        with self._served():
            transport = make_transport(config)
            self.assertIsInstance(transport, XmlRpcTransport)
            run = PrmClient(config, transport=transport).import_partners(
                [{"name": "Fallback Taxis", "ref": "FALLBACK-1"}]
            )
            config.user = ""
            with self.assertRaises(RemoteError) as caught:
                make_transport(config)
        self.assertEqual(caught.exception.status, 404)
        self.assertEqual([r.status for r in run.results], ["created"])
        self.assertEqual(self._partners("FALLBACK-1").name, "Fallback Taxis")
        # The direct server serves JSON-2: auto keeps it.
        with self._served():
            self.assertIsInstance(make_transport(self._config("auto")), Json2Transport)

    def test_cli_report_exit_status_dry_run_and_no_key_leak(self):
        path = self._write_csv(
            "partners.csv",
            ["Company", "External reference", "E-mail", "Tier"],
            [
                ["Kino Nord", "CLI-10", "info@kino-nord.example", ""],
                ["Kino Süd", "CLI-11", "bad address", "Nope"],
            ],
        )
        report = self.workdir / "report.csv"
        status, out, err = self._cli(
            "import-partners", str(path), "--dry-run", "--report", str(report), "-v"
        )
        self.assertEqual(status, 1, "a row failed")
        self.assertIn("dry run", out)
        self.assertFalse(self._partners("CLI-10"), "a dry run writes nothing")
        status, out, err = self._cli(
            "import-partners", str(path), "--report", str(report), "-v"
        )
        self.assertEqual(status, 1)
        with report.open(encoding="utf-8") as handle:
            lines = list(csv.DictReader(handle))
        self.assertEqual(
            [(line["row"], line["status"]) for line in lines],
            [("2", "created"), ("3", "error")],
            "rows are numbered as the file's lines",
        )
        self.assertIn("bad address", lines[1]["message"])
        self.assertTrue(self._partners("CLI-10"))
        for text in (out, err, report.read_text()):
            self.assertNotIn(self.key, text)
        self.assertIn("POST", err, "verbose logging on")

        # A wrong key: refused, status 3, the key printed nowhere.
        wrong = "0123456789abcdef0123456789abcdef01234567"
        for transport in ("json2", "xmlrpc"):
            with mute_logger("odoo.http", "odoo.addons.base.models.res_users"):
                status, out, err = self._cli(
                    "import-partners",
                    str(path),
                    "--transport",
                    transport,
                    "--report",
                    str(report),
                    "-v",
                    key=wrong,
                )
            self.assertEqual(status, 3, transport)
            for text in (out, err, report.read_text()):
                self.assertNotIn(wrong, text)
            self.assertIn("not sent", report.read_text())

    def test_import_applications_deduplicated(self):
        path = self._write_csv(
            "applications.csv",
            ["Company", "Contact", "Email", "Country", "Revenue"],
            [
                ["Libros Sol", "Ana Sol", "ana@libros-sol.example", "ES", "120000"],
                ["Libros Sol", "Ana Sol", "ana@libros-sol.example", "ES", "120000"],
                ["Nowhere", "", "x@nowhere.example", "ZZ", "lots"],
            ],
        )
        report = self.workdir / "applications.report.csv"
        status, _out, _err = self._cli(
            "import-applications", str(path), "--report", str(report)
        )
        self.assertEqual(status, 1)
        with report.open(encoding="utf-8") as handle:
            lines = list(csv.DictReader(handle))
        self.assertEqual(
            [line["status"] for line in lines], ["created", "merged", "error"]
        )
        application = self.env["prm.application"].browse(int(lines[0]["id"]))
        self.assertEqual(application.name, "Libros Sol")
        self.assertEqual(application.source, "import")
        self.assertEqual(lines[1]["id"], lines[0]["id"], "merged into the first")
        self.assertIn("ZZ", lines[2]["message"])

    def test_import_sellout_reports_bad_rows(self):
        self.distributor.ref = "DIST-1"
        path = self.workdir / "sellout.csv"
        path.write_bytes(
            self._csv(
                [
                    ["2025-02-03", "SRV-100", "2", "2000", "USD", "DE", "Kunde A"],
                    ["2025-02-04", "NO-SUCH", "1", "10", "USD", "DE", "Kunde B"],
                ]
            )
        )
        report = self.workdir / "sellout.report.csv"
        status, out, _err = self._cli(
            "import-sellout",
            str(path),
            "--partner",
            "DIST-1",
            "--period",
            "2025-02",
            "--report",
            str(report),
        )
        self.assertEqual(status, 1, out)
        batch = self.env["prm.sellout.batch"].search(
            [("partner_id", "=", self.distributor.id)]
        )
        self.assertEqual(batch.line_count, 2)
        self.assertEqual(batch.state, "draft", "a report with errors stays a draft")
        self.assertIn("NO-SUCH", report.read_text())

    # --- Rights ---

    def test_portal_user_and_channel_manager_are_refused(self):
        calls = [
            ("res.partner", "prm_import_partners", {"rows": [{"name": "X"}]}),
            ("res.partner", "prm_requalify_start", {}),
            ("res.partner", "prm_requalify_status", {}),
            ("prm.application", "prm_import_applications", {"rows": [{"name": "X"}]}),
            (
                "prm.sellout.batch",
                "prm_import_sellout",
                {
                    "partner": "x",
                    "file_name": "a.csv",
                    "content": "",
                    "date_from": "2025-01-01",
                    "date_to": "2025-01-31",
                },
            ),
            ("prm.settlement.close.job", "prm_start", {"date": "2025-03-31"}),
        ]
        for user in (self.user_portal, self.user_channel_manager):
            transport = Json2Transport(
                self.base_url(), self.env.cr.dbname, self._key(user)
            )
            for model, method, kwargs in calls:
                with self.subTest(user=user.login, method=method), self._served():
                    with self.assertRaises(RemoteError) as caught:
                        transport.call(model, method, **kwargs)
                    self.assertEqual(caught.exception.status, 403)
                    self.assertTrue(caught.exception.access_denied)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "X")]))

    # --- Jobs ---

    def _run_cron(self, xmlid):
        self.env.ref(xmlid).sudo().method_direct_trigger()
        self.env.invalidate_all()

    def test_requalify_job_started_and_followed(self):
        client = self._client("xmlrpc")
        with self._served():
            job = client.start_requalify()
            self.assertEqual(client.requalify_status(job)["state"], "queued")
        self._run_cron("prm_partner.ir_cron_prm_requalify")
        with self._served():
            state = client.follow(client.requalify_status, job, poll=0.1, timeout=5)
        self.assertEqual(state["state"], "done")
        self.assertGreaterEqual(state["done"], 1, "the fixture's active partners")

    def test_close_period_job_and_settlement_export(self):
        program = self._create_program()
        self._invoice(
            self.customer_x,
            [(self.product_prm, 1, 1000.0)],
            channel_partner=self.partner_a,
        )
        status, out, _err = self._cli(
            "close-period", "--period", "2025-Q1", "--no-wait"
        )
        self.assertEqual(status, 0, out)
        job = self.env["prm.settlement.close.job"].search(
            [("program_ids", "in", program.ids)]
        )
        self.assertEqual(job.state, "queued")
        self._run_cron("prm_incentive.ir_cron_prm_settlement_close_jobs")
        client = self._client("json2")
        with self._served():
            state = client.follow(client.close_status, {"id": job.id}, timeout=5)
        self.assertEqual(state["state"], "done")
        self.assertEqual(state["settlements"], 1)

        output = self.workdir / "settlements.xlsx"
        status, out, _err = self._cli(
            "export-settlements", "--period", "2025-Q1", "-o", str(output)
        )
        self.assertEqual(status, 0, out)
        sheet = openpyxl.load_workbook(output, read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertIn("partner_id", rows[0])
        partners = [row[rows[0].index("partner_id")] for row in rows[1:]]
        self.assertIn(self.partner_a.display_name, partners)

    def test_transport_interface(self):
        """Both transports answer the same call the same way."""
        answers = []
        for transport_class in (Json2Transport, XmlRpcTransport):
            transport = transport_class(
                self.base_url(),
                self.env.cr.dbname,
                self.key,
                user=self.user_importer.login,
            )
            with self._served():
                answers.append(
                    transport.call(
                        "res.partner",
                        "search_count",
                        domain=[["id", "=", self.partner_a.id]],
                    )
                )
            self.assertNotIn(self.key, repr(transport))
        self.assertEqual(answers, [1, 1])

    def test_settings_precedence_and_period_parsing(self):
        toml = self.workdir / "settings.toml"
        toml.write_text(
            'url = "https://toml.example"\ndb = "from_toml"\napi_key = "k1"\n'
        )
        ini = self.workdir / "settings.ini"
        ini.write_text("[prm-client]\nurl = https://ini.example\napi_key = k2\n")
        config = load({}, environ={}, config_file=str(toml))
        self.assertEqual((config.url, config.db), ("https://toml.example", "from_toml"))
        config = load(
            {"db": "from_flag"},
            environ={"PRM_DB": "from_env", "PRM_URL": "https://env.example"},
            config_file=str(ini),
        )
        self.assertEqual(
            (config.url, config.db, config.api_key),
            ("https://env.example", "from_flag", "k2"),
            "flags, then environment, then the file",
        )
        self.assertNotIn("k2", repr(config))
        with self.assertRaises(ConfigError):
            load({}, environ={}, config_file=str(self._empty_config()))
        with self.assertRaises(ConfigError):
            load(
                {"transport": "xmlrpc"},
                environ={"PRM_URL": "u", "PRM_API_KEY": "k"},
                config_file=str(self._empty_config()),
            )
        self.assertEqual(
            [str(d) for d in parse_period("2026-Q4")], ["2026-10-01", "2026-12-31"]
        )
        self.assertEqual(
            [str(d) for d in parse_period("2024-02")], ["2024-02-01", "2024-02-29"]
        )

    def test_cli_progress_bar_and_bad_usage(self):
        path = self._write_csv(
            "progress.csv",
            ["name", "ref"],
            [[f"Bar {i}", f"CLI-P{i}"] for i in range(5)],
        )
        status, out, err = self._cli(
            "import-partners",
            str(path),
            "--batch-size",
            "2",
            "--progress",
            "--report",
            str(self.workdir / "progress.report.csv"),
        )
        self.assertEqual(status, 0, out)
        self.assertIn("5/5", err, "the bar counts the rows sent")
        self.assertIn("5 created", out)
        status, _out, err = self._cli(
            "export-settlements", "--period", "soon", "-o", "x.csv"
        )
        self.assertEqual(status, 2)
        self.assertIn("Bad period", err)
