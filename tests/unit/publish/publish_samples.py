"""Article records for the publish tests, built from REAL text.

The texts are the Universal Declaration of Human Rights samples that Google
Fonts ships in the PyPI wheel `gflanguages` (see SOURCES.md beside this file);
the records are built with synd.model so they have exactly the shape ingest writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gflanguages import LoadLanguages

from synd.model import Article, LanguageTag, License, Source, article_id, Draft
from synd.settings import TargetSettings

_LANGUAGES = LoadLanguages()

# gflanguages key -> (BCP 47 tag, ISO 15924 script, direction)
LANGS = {"fa": ("fa_Arab", "Arab", "rtl"), "en": ("en_Latn", "Latn", "ltr"), "ps": ("ps_Arab", "Arab", "rtl"),
         "ar": ("ar_Arab", "Arab", "rtl"), "de": ("de_Latn", "Latn", "ltr")}

CC_BY_ND = License(spdx="CC-BY-ND-4.0", name="Creative Commons Attribution-NoDerivatives 4.0 International",
                   url="https://creativecommons.org/licenses/by-nd/4.0/", derivatives=False, commercial=True,
                   share_alike=False, attribution=True, source="document", evidence="CC BY-ND 4.0")
CC_BY = License(spdx="CC-BY-4.0", name="Creative Commons Attribution 4.0 International",
                url="https://creativecommons.org/licenses/by/4.0/", derivatives=True, commercial=True,
                share_alike=False, attribution=True, source="document", evidence="CC BY 4.0")

XSS_PAYLOADS = [
    "<script>document.title='pwned-script'</script>",
    "<img src=x onerror=\"document.title='pwned-onerror'\">",
    "<a href=\"javascript:document.title='pwned-link'\">click</a>",
    "<svg onload=\"document.title='pwned-svg'\"></svg>",
    "</p></article><script>document.title='pwned-breakout'</script>",
]


def udhr(lang: str) -> dict[str, str]:
    """Title and body paragraphs of a language's UDHR sample (gflanguages sample_text)."""
    sample = _LANGUAGES[LANGS[lang][0]].sample_text
    body = "\n\n".join([sample.specimen_21, sample.specimen_16, sample.tester])
    return {"title": sample.specimen_48, "body": body}


def make_record(lang: str = "en", *, version: int = 1, title: str | None = None, body: str | None = None,
                license: License = CC_BY, published: str | None = "2018-03-28", canonical_url: str | None = None,
                partner: str = "afgazad", authors: list[str] | None = None, salt: str = "") -> dict[str, Any]:
    """An article record (`Article.to_record()` + version) of real text in `lang`."""
    text = udhr(lang)
    bcp47, script, direction = lang, LANGS[lang][1], LANGS[lang][2]
    draft = Draft(title=(title or text["title"]) + salt, body_text=body or text["body"], published=published,
                  canonical_url=canonical_url)
    article = Article(
        id=article_id(partner, draft), partner=partner,
        source=Source(sha256="0" * 64, bucket="raw", key=f"incoming/{partner}/sample-{lang}.txt", format="text",
                      encoding="utf-8", size=len(draft.body_text)),
        title=draft.title, body_text=draft.body_text, authors=authors if authors is not None else ["United Nations"],
        published=published, canonical_url=canonical_url, publisher="United Nations", via=[partner],
        language=LanguageTag(language=bcp47, confidence=0.99, script=script, direction=direction),
        license=license)
    record = article.to_record()
    record["version"] = version
    return record


@dataclass
class FakeDecision:
    """Stands in for synd.policy.Decision (same attributes and to_record)."""

    action: str = "deliver_with_attribution"
    reason: str = "test decision"
    attribution: dict[str, Any] | None = None

    def to_record(self) -> dict[str, Any]:
        return {"action": self.action, "reason": self.reason, "attribution": self.attribution}


def decide_by_target(actions: dict[str, str] | None = None, default: str = "deliver_with_attribution"):
    """A decide(record, target, partner) that answers per target name."""
    actions = actions or {}

    def decide(record, target, partner):
        action = actions.get(target.name, default)
        attribution = None if action == "withhold" else {
            "text": f"{record['title']} by {', '.join(record['authors'])}",
            "html": f"<strong>{record['title']}</strong> by {', '.join(record['authors'])}"}
        return FakeDecision(action=action, reason=f"{action} for {target.name}", attribution=attribution)

    return decide


def target(name: str, kind: str, **options: Any) -> TargetSettings:
    return TargetSettings(name=name, kind=kind, options=options)


# -- a real webhook receiver for integration and e2e tests ---------------------------------
import json as _json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from synd.publish.signing import HEADER, verify


class Receiver:
    """An HTTP server on 127.0.0.1 (free port) that verifies every signature.

    `script` lists the statuses to answer to the first calls on a path (then 200);
    `/always400` always answers 400. `accepted` maps Idempotency-Key -> count of
    200 answers, so a test can check "exactly one accepted delivery per version".
    """

    def __init__(self, secret: str, script: dict[str, list[int]] | None = None):
        self.secret = secret
        self.script = {path: list(statuses) for path, statuses in (script or {}).items()}
        self.calls: list[dict[str, Any]] = []
        self.accepted: dict[str, int] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver.answer(self.path, dict(self.headers), body)
                payload = b"bad payload: this receiver refuses the document" if status == 400 else b"{}"
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            signed = verify(self.secret, headers.get(HEADER, ""), body)
            call = {"path": path, "headers": headers, "body": _json.loads(body), "signed": signed}
            self.calls.append(call)
            if not signed:
                self.bad_signatures += 1
                return 401
            if path == "/always400":
                return 400
            pending = self.script.get(path) or []
            status = pending.pop(0) if pending else 200
            if status == 200:
                key = headers.get("Idempotency-Key", "")
                self.accepted[key] = self.accepted.get(key, 0) + 1
            call["status"] = status
            return status

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
