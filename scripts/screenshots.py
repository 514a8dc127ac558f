"""Screenshots of the main screens for the README, from a running Odoo.

Usage: python3 scripts/screenshots.py --url http://127.0.0.1:8069 --db prm_demo \
           [--login admin --password admin] [--out docs/screenshots]

Logs in over JSON-RPC, hands the session cookie to headless Chromium through the
DevTools protocol, opens each screen and saves a PNG.
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import requests
import websocket

# (file name, path, JavaScript run once the view is loaded, e.g. to open a tab)
SCREENS = [
    ("partners-kanban", "/odoo/action-prm_partner.action_prm_partner?view_type=kanban"),
    (
        "partner-360",
        "/odoo/action-prm_partner.action_prm_partner/{partner}",
        "document.querySelector('a[name=\\'prm_partner\\']').click();"
        "setTimeout(() => document.querySelector('.o_notebook_headers')"
        ".scrollIntoView(), 800)",
    ),
    ("tiers", "/odoo/action-prm_partner.action_prm_tier"),
    ("onboarding-pipeline", "/odoo/action-prm_partner.action_prm_onboarding_pipeline"),
    ("applications", "/odoo/action-prm_partner.action_prm_application"),
    ("deal-registrations", "/odoo/action-prm_crm.action_prm_deal_registration"),
    ("channel-dashboard", "/odoo/action-prm_sale_crm.action_prm_channel_dashboard"),
    ("incentive-settlements", "/odoo/action-prm_incentive.action_prm_settlement"),
]
# The partner portal, as the demo portal user (Northwind's program admin).
PORTAL_SCREENS = [
    ("portal-deal-registration", "/my/deals/new"),
    ("portal-deals", "/my/deals"),
    ("portal-onboarding", "/my/onboarding"),
]


class Chrome:
    def __init__(self, width=1440, height=900):
        binary = next(
            b
            for b in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(b)
        )
        self.profile = tempfile.mkdtemp()
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-port=9333",
                "--remote-allow-origins=*",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                targets = requests.get("http://127.0.0.1:9333/json", timeout=2).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="prm_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--portal-login", default="portal")
    parser.add_argument("--portal-password", default="portal")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()

    session = login(args.url, args.db, args.login, args.password)
    partner = session.post(
        f"{args.url}/web/dataset/call_kw/res.partner/search",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "res.partner",
                "method": "search",
                "args": [[("name", "=", "Iberia Soluciones S.L.")]],
                "kwargs": {"limit": 1},
            },
        },
        timeout=30,
    ).json()["result"][0]

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    screens = [
        (name, path.format(partner=partner), *rest) for name, path, *rest in SCREENS
    ]
    shoot(args.url, session, screens, out)
    portal = login(args.url, args.db, args.portal_login, args.portal_password)
    shoot(args.url, portal, PORTAL_SCREENS, out)


def login(url, db, user, password):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": user, "password": password},
        },
        timeout=30,
    )
    response.raise_for_status()
    return session


def shoot(url, session, screens, out):
    """Open each screen in headless Chromium with the session's cookie and
    save a PNG."""
    chrome = Chrome()
    try:
        chrome.call("Network.enable")
        chrome.call(
            "Network.setCookie",
            name="session_id",
            value=session.cookies["session_id"],
            domain=urlparse(url).hostname,
            path="/",
        )
        chrome.call("Page.enable")
        for name, path, *script in screens:
            chrome.call("Page.navigate", url=url + path)
            time.sleep(6)  # the web client loads its assets, then the view
            if script:
                chrome.call("Runtime.evaluate", expression=script[0])
                time.sleep(1.5)
            shot = chrome.call("Page.captureScreenshot", format="png")
            (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
