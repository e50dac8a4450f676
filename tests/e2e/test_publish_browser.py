"""Published pages in a real browser (headless Chromium): Persian reads right to left, English
left to right, and no script from an article's content runs.

The pages forbid scripts (CSP), so the check runs from a harness page the test
adds beside the exported site, on the same origin: it frames each article,
reads the computed direction and the title, and writes what it saw into its own
DOM, which `chromium --dump-dom` prints. A control page with a deliberate inline
script shows the harness would notice a script that ran.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


from tests.unit.publish.publish_samples import CC_BY, XSS_PAYLOADS, make_record
from tests.integration.publish.publish_stack import drain, mocked_stack, publish_app, write_config

from synd.targets.site import export_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

if not CHROMIUM:
    if os.environ.get("CI"):
        pytest.fail("CI is set but chromium is missing: apt-get install -y chromium", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install -y chromium); CI is not set", allow_module_level=True)

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<pre id="result">pending</pre>
<script>
const pages = %s;
const seen = {};
let left = pages.length;
for (const [name, src] of pages) {
  const frame = document.createElement("iframe");
  frame.src = src;
  frame.onload = () => setTimeout(() => {
    const doc = frame.contentDocument;
    const h1 = doc.querySelector("h1");
    seen[name] = {title: doc.title, htmlDir: doc.documentElement.dir, lang: doc.documentElement.lang,
                  bodyDirection: getComputedStyle(doc.body).direction,
                  h1Direction: h1 ? getComputedStyle(h1).direction : null,
                  h1Align: h1 ? getComputedStyle(h1).textAlign : null,
                  scripts: doc.querySelectorAll("script").length,
                  pwned: doc.title.startsWith("pwned") || document.title !== "harness"};
    if (--left === 0) document.getElementById("result").textContent = JSON.stringify(seen);
  }, 300);
  document.body.appendChild(frame);
}
</script></body></html>"""

CONTROL = """<!DOCTYPE html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>control</title></head>
<body><h1>control</h1><script>document.title = 'pwned-control'</script></body></html>"""


@pytest.fixture()
def site(monkeypatch, tmp_path):
    """Publish a Persian, an English and a booby-trapped article; export the site; serve it on 127.0.0.1."""
    records = {"fa": make_record("fa", license=CC_BY), "en": make_record("en", license=CC_BY),
               "xss": make_record("en", license=CC_BY, title="Whereas " + XSS_PAYLOADS[0],
                                  body="\n\n".join(["Whereas recognition of the inherent dignity"] + XSS_PAYLOADS),
                                  canonical_url="javascript:document.title='pwned-canonical'")}
    with mocked_stack() as stack:
        app = publish_app(stack, write_config(tmp_path / "config", None), monkeypatch)
        for record in records.values():
            stack.sqs.send_message(QueueUrl=stack.publish_queue, MessageBody=json.dumps(stack.put_version(record)))
        drain(stack, app)
        root = tmp_path / "site"
        export_site(stack.site, root)
    (root / "control.html").write_text(CONTROL, encoding="utf-8")
    pages = [[name, f"articles/{r['id']}/index.html"] for name, r in records.items()] + [["control", "control.html"]]
    (root / "harness.html").write_text(HARNESS % json.dumps(pages), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", records
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium_dom(url: str, profile: Path) -> str:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
               "--no-default-browser-check", f"--user-data-dir={profile}", "--virtual-time-budget=10000",
               "--dump-dom", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_direction_and_no_script_from_content(site, tmp_path):
    url, records = site
    dom = chromium_dom(f"{url}/harness.html", tmp_path / "profile")
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1) != "pending", dom[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))
    assert seen["control"]["pwned"] and seen["control"]["title"] == "pwned-control"  # the harness sees scripts run
    assert (seen["fa"]["htmlDir"], seen["fa"]["lang"], seen["fa"]["bodyDirection"], seen["fa"]["h1Direction"]) == \
        ("rtl", "fa", "rtl", "rtl")
    assert seen["fa"]["h1Align"] in ("start", "right")
    assert (seen["en"]["htmlDir"], seen["en"]["bodyDirection"], seen["en"]["h1Direction"]) == ("ltr", "ltr", "ltr")
    assert seen["fa"]["title"] == records["fa"]["title"]
    xss = seen["xss"]
    assert not xss["pwned"] and xss["scripts"] == 0
    assert xss["title"] == records["xss"]["title"]  # the payload in the title is shown as text, not run
