"""A published site read in a real browser (headless Chromium): dates for people, the bundled font on
every Arabic-script glyph, language names in their own script, links that resolve, no script.

One site for the module (tools/sample_site.py: the publish handler on moto in-process, the
site target rendering in process, export_site), served on 127.0.0.1, and one Chromium run.
The pages forbid scripts (CSP), so a harness page beside them, on the same origin, frames
every exported page, asks each frame's document.fonts to load and check the font, reads
its <time> elements, text and links, and writes what it saw into its own DOM, which
`chromium --dump-dom` prints. A control page with an inline script shows the harness would
notice a script that ran.
"""
from __future__ import annotations

import functools
import html
import io
import json
import re
import threading
import unicodedata
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fontTools.ttLib import TTFont
from tests.e2e.test_publish_browser import CONTROL, _QuietHandler, chromium_dom
from tools.sample_site import publish_sample_site

from synd.publish import locale, webfont

SITE_URL = "https://site.example"  # write_config's base_url: absolute links to it are mapped onto the local server
ARABIC_SCRIPT = ("fa", "ps", "ur")

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<pre id="result">pending</pre>
<script>
const FAMILY = %s;
const pages = %s;
const seen = {};
function visibleText(doc) { return doc.title + "\\n" + doc.body.innerText; }
async function inspect(name, frame) {
  const doc = frame.contentDocument, win = frame.contentWindow;
  const text = visibleText(doc);
  const spec = '16px "' + FAMILY + '"';
  let loaded = [], loadError = null;
  try { loaded = (await doc.fonts.load(spec, text)).map(f => f.status); } catch (e) { loadError = String(e); }
  const faces = [...doc.fonts].map(f => ({family: f.family.replace(/"/g, ""), status: f.status}));
  seen[name] = {
    title: doc.title, lang: doc.documentElement.lang, dir: doc.documentElement.dir, text: text,
    check: doc.fonts.check(spec, text), loaded: loaded, loadError: loadError, faces: faces,
    fontRequests: win.performance.getEntriesByType("resource").map(r => r.name).filter(u => u.endsWith(".woff2")),
    bodyFont: getComputedStyle(doc.body).fontFamily,
    h1Font: doc.querySelector("h1") ? getComputedStyle(doc.querySelector("h1")).fontFamily : null,
    times: [...doc.querySelectorAll("time")].map(t => ({datetime: t.getAttribute("datetime"), text: t.textContent,
              isolated: !!t.closest("bdi")})),
    links: [...doc.querySelectorAll("a[href], link[href]")].map(a => ({href: a.href, rel: a.rel || "",
              text: a.textContent.trim()})),
    scripts: doc.querySelectorAll("script").length,
    pwned: doc.title.startsWith("pwned") || document.title !== "harness"};
}
let left = pages.length;
for (const [name, src] of pages) {
  const frame = document.createElement("iframe");
  frame.src = src;
  frame.onload = () => setTimeout(async () => {
    try { await inspect(name, frame); } catch (e) { seen[name] = {error: String(e)}; }
    if (--left === 0) document.getElementById("result").textContent = JSON.stringify(seen);
  }, 300);
  document.body.appendChild(frame);
}
</script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The sample site, exported and served; (url, records, root folder, its pages)."""
    work = tmp_path_factory.mktemp("readable")
    root = work / "site"
    records = publish_sample_site(root, work)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", records, root, site_pages(root)
    finally:
        server.shutdown()
        server.server_close()


def site_pages(root: Path) -> list[str]:
    """Every page the site holds (root index, language indexes, archive pages, article pages)."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))


@pytest.fixture(scope="module")
def seen(site, tmp_path_factory):
    """What the harness saw in each page, by its path (and "control.html")."""
    url, _, root, pages = site
    (root / "control.html").write_text(CONTROL, encoding="utf-8")
    (root / "harness.html").write_text(HARNESS % (json.dumps(webfont.FONT_FAMILY),
                                                  json.dumps([[p, p] for p in [*pages, "control.html"]])),
                                       encoding="utf-8")
    dom = chromium_dom(f"{url}/harness.html", tmp_path_factory.mktemp("profile"))
    found = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
    assert found and found.group(1) != "pending", dom[-2000:]
    result = json.loads(html.unescape(found.group(1)))
    assert set(result) == set(pages) | {"control.html"}
    assert not [name for name, page in result.items() if "error" in page], result
    return result


def article(records, name: str) -> str:
    return f"articles/{records[name]['id']}/index.html"


def test_dates_read_in_the_language_with_the_machine_form_in_datetime(site, seen):
    _, records, _, _ = site
    for name in ("en", "fa", "ps", "ur"):
        record = records[name]
        times = seen[article(records, name)]["times"]
        published = [t for t in times if t["datetime"] == record["published"]]
        assert published, (name, times)
        assert published[0]["text"] == locale.human_date(record["published"], record["language"]) != ""
        assert published[0]["isolated"], (name, times)  # in a <bdi>: no direction can scramble it
        assert record["published"] not in seen[article(records, name)]["text"]  # the machine form is not shown
    fa_date = next(t for t in seen[article(records, "fa")]["times"] if t["datetime"] == records["fa"]["published"])
    assert re.search("[۰-۹]", fa_date["text"]) and not re.search("[0-9]", fa_date["text"]), fa_date
    assert "۱۰" in fa_date["text"] and "۲۰۲۳" in fa_date["text"]  # 10 December 2023, in its own +03:30 day
    ps_date = next(t for t in seen[article(records, "ps")]["times"] if t["datetime"] == "2023-12")
    assert ps_date["text"] == locale.human_date("2023-12", "ps") and not re.search(r"\b1\b|۱ ", ps_date["text"])


def font_cmap() -> set[int]:
    return set(TTFont(io.BytesIO(webfont.font_bytes())).getBestCmap())


def arabic_script(text: str) -> set[str]:
    return {c for c in text if unicodedata.name(c, "").startswith("ARABIC") or webfont.covered({ord(c)})}


@pytest.mark.parametrize("language", ARABIC_SCRIPT)
def test_every_arabic_script_glyph_renders_with_the_bundled_font(site, seen, language):
    _, records, _, _ = site
    cmap, pages = font_cmap(), [p for p, page in seen.items() if page.get("lang") == language]
    assert article(records, language) in pages and f"{language}/index.html" in pages
    for path in pages:
        page = seen[path]
        letters = arabic_script(page["text"])
        assert len(letters) > 10, path
        assert page["loadError"] is None and page["loaded"] and set(page["loaded"]) == {"loaded"}, (path, page)
        assert page["check"], path
        assert {"family": webfont.FONT_FAMILY, "status": "loaded"} in page["faces"], (path, page["faces"])
        assert webfont.FONT_FAMILY in page["bodyFont"] and webfont.FONT_FAMILY in (page["h1Font"] or ""), path
        outside = sorted(c for c in letters if not webfont.covered({ord(c)}))
        assert not outside, (path, [f"U+{ord(c):04X}" for c in outside])  # the @font-face serves them all
        notdef = sorted(c for c in letters if ord(c) not in cmap)
        assert not notdef, (path, [f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in notdef])
    fetched = {u for page in seen.values() for u in page["fontRequests"]}  # a page's request: frames share the cache
    assert f"{site[0]}/{webfont.FONT_KEY}" in fetched, fetched  # from the site's own origin (font-src 'self')
    assert SHOWN[language] <= arabic_script(seen[article(records, language)]["text"])  # the letters at stake


# letters of each language that Debian's default fonts miss or take from a font without them
SHOWN = {"fa": {"پ", "چ", "گ", "ی", "\u200c"}, "ps": {"ۍ", "ړ", "ښ", "ګ", "ټ", "ې", "۔"},
         "ur": {"ے", "ہ", "ں", "ھ", "۔"}}


def test_the_root_index_names_every_language_in_its_own_script(seen):
    root = seen["index.html"]
    by_target = {urlsplit(link["href"]).path.lstrip("/"): link["text"] for link in root["links"]}
    for language in ("en", "fa", "ps", "ur"):
        assert by_target.get(f"{language}/index.html") == locale.language_name(language), (language, by_target)
    assert [locale.language_name(t) for t in ("en", "fa", "ps", "ur")] == ["English", "فارسی", "پښتو", "اردو"]


NEWEST = {"en": "en", "fa": "fa", "ps": "ps", "ur": "ur"}  # language -> the sample article that is its newest


def test_the_root_index_shows_each_languages_newest_date_as_its_article_does(site, seen):
    _, records, _, _ = site
    shown = {t["text"] for t in seen["index.html"]["times"]}
    for language, name in NEWEST.items():
        assert locale.human_date(records[name]["published"], language) in shown, (language, shown)


def local(href: str, url: str) -> str | None:
    """The local server's URL for a link into the site (relative or absolute to its base URL), else None."""
    if href.startswith(SITE_URL + "/"):
        return url + href[len(SITE_URL):]
    return href.split("#")[0] if href.startswith(url + "/") else None


def status(target: str) -> int:
    assert target.startswith("http://127.0.0.1:")  # only the local server
    try:
        with urllib.request.urlopen(target, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_link_of_every_page_resolves(site, seen):
    url, records, _, pages = site
    targets = {local(link["href"], url): (path, link["href"])
               for path in pages for link in seen[path]["links"] if local(link["href"], url)}
    broken = {target: where for target, where in targets.items() if status(target) != 200}
    assert not broken, broken
    reached = {urlsplit(t).path.lstrip("/") for t in targets}
    assert set(pages) - {"index.html"} <= reached  # every page is linked from some page
    for name in ("en", "fa", "ps", "ur"):
        language = records[name]["language"]
        linked = {urlsplit(link["href"]).path.lstrip("/") for link in seen[article(records, name)]["links"]}
        assert {"index.html", f"{language}/index.html"} <= linked, (name, linked)  # home and its language
        assert any(p.startswith(f"feeds/{language}/") for p in linked), (name, linked)  # feed autodiscovery
    newer, older = article(records, "ps"), article(records, "ps-older")
    assert older in {urlsplit(link["href"]).path.lstrip("/") for link in seen[newer]["links"]}  # previous/next
    assert newer in {urlsplit(link["href"]).path.lstrip("/") for link in seen[older]["links"]}
    archive = {urlsplit(link["href"]).path.lstrip("/") for link in seen["ps/index.html"]["links"]}
    assert {"ps/archive/2023-11.html", "ps/archive/2023-12.html"} <= archive


def test_no_script_runs(seen):
    assert seen["control.html"]["pwned"]  # the harness would see a script that ran
    ran = [path for path, page in seen.items() if path != "control.html" and (page["pwned"] or page["scripts"])]
    assert not ran
