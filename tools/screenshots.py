"""Screenshots of the sample site in headless Chromium (`make screenshots`): the root index, a Persian,
a Pashto and an English article page, into out/screenshots/*.png.

The site is the one tests/e2e/test_site_readable.py checks (tools/sample_site.py: the publish
handler on moto in-process, no network), served on 127.0.0.1 so the pages' CSP (`font-src 'self'`)
lets the bundled font load as it would on the real site. Copy the PNGs to docs/screenshots/
to update the README's pictures.

Usage: .venv/bin/python tools/screenshots.py [--out out/screenshots] [--width 900] [--height 1100]
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = [str(REPO), str(REPO / "functions")]  # pytest's pythonpath: the tests' helpers, publish.app

# the flags of tests/e2e/test_publish_browser.py: no sandbox (root in CI), no GPU, nothing phoned home
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--no-default-browser-check", "--hide-scrollbars", "--virtual-time-budget=10000"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def shots(records: dict) -> dict[str, str]:
    """PNG name -> page path in the site."""
    return {"index": "index.html", **{f"article-{name}": f"articles/{records[name]['id']}/index.html"
                                      for name in ("fa", "ps", "en")}}


def screenshot(chromium: str, url: str, png: Path, size: tuple[int, int], profile: Path) -> None:
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}",
               f"--screenshot={png}", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    if done.returncode != 0 or not png.exists():
        sys.exit(f"chromium failed on {url}: {done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "out" / "screenshots")
    parser.add_argument("--width", type=int, default=900)
    parser.add_argument("--height", type=int, default=1100)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        sys.exit("chromium is missing: apt-get install chromium (make system-deps)")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # before synd builds its Logger: no handler log lines
    sys.path[:0] = FOLDERS
    from tools.sample_site import publish_sample_site

    with tempfile.TemporaryDirectory(prefix="synd-screenshots-") as work:
        root = Path(work) / "site"
        with contextlib.redirect_stdout(io.StringIO()):  # the handler's EMF metric lines
            records = publish_sample_site(root, Path(work))
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            for name, page in shots(records).items():
                png = args.out / f"{name}.png"
                png.unlink(missing_ok=True)
                screenshot(chromium, f"http://127.0.0.1:{server.server_address[1]}/{page}", png,
                           (args.width, args.height), Path(work) / "profile")
                print(f"{png.relative_to(REPO) if png.is_relative_to(REPO) else png}  {page}")
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
