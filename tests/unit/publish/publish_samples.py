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
import threading
from typing import Mapping

from standardwebhooks import Webhook

from synd.publish.receiver import Refused, body_of, check_json_type, document_of, http_server


class Receiver:
    """An HTTP server on 127.0.0.1 (free port) that verifies every request with the Standard Webhooks
    reference verifier (the `standardwebhooks` package partners use, not synd's own code), so every
    test that delivers through it also proves that partners' ready verifiers accept what we send.

    `secret`: one `whsec_` value, or target name -> that target's value; `call["signed_by"]` names
    the target whose key verified the call (None: answered 401). `script` lists the statuses to
    answer to the first calls on a path (then 200); `/always400` always answers 400. It dedupes on
    the signed webhook-id: `accepted` maps webhook-id -> count of 200 answers (a repeat is answered
    200 and counted as `duplicate`), so a test can check "exactly one accepted delivery per version".
    Malformed requests get their 4xx from synd.publish.receiver's checks, never a dropped connection.
    """

    def __init__(self, secret: str | Mapping[str, str], script: dict[str, list[int]] | None = None,
                 timeout: float = 5.0):
        self.secret = secret
        self.script = {path: list(statuses) for path, statuses in (script or {}).items()}
        self.calls: list[dict[str, Any]] = []
        self.accepted: dict[str, int] = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.server = http_server("127.0.0.1", 0, self.respond, timeout=timeout)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def secret(self) -> dict[str, str]:
        return self._secrets

    @secret.setter
    def secret(self, value: str | Mapping[str, str]) -> None:
        """Tests set it once the stack has made the keys."""
        self._secrets = {"": value} if isinstance(value, str) else dict(value)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def signer(self, headers: dict[str, str], body: bytes) -> str | None:
        """The target whose key verifies the request (the reference library; any error it raises is a no)."""
        for target, value in self._secrets.items():
            for key in value.split():  # a rotation: every key the target's secret holds
                try:
                    Webhook(key).verify(body, headers, json_parse=False)
                    return target
                except Exception:  # noqa: BLE001 - it raises ValueError & co. on malformed input, not only its own
                    continue
        return None

    def respond(self, path: str, message, rfile) -> tuple[int, Any]:
        body = body_of(message, rfile)
        check_json_type(message)
        headers = {k.lower(): v for k, v in message.items()}
        with self.lock:
            signer = self.signer(headers, body)
            call = {"path": path, "headers": headers, "raw": body, "signed": signer is not None,
                    "signed_by": signer, "status": 401}
            self.calls.append(call)
            if signer is None:
                self.bad_signatures += 1
                raise Refused(401, "no matching signature")
            call["status"] = 400
            call["body"] = document_of(body)
            call["status"] = status = self._scripted(path)
            if status == 400:
                return 400, b"bad payload: this receiver refuses the document"
            if status != 200:
                return status, {}
            msg_id = headers["webhook-id"]
            call["duplicate"] = msg_id in self.accepted
            self.accepted[msg_id] = self.accepted.get(msg_id, 0) + 1
            return 200, {"ok": True, "duplicate": call["duplicate"]}

    def _scripted(self, path: str) -> int:
        if path == "/always400":
            return 400
        pending = self.script.get(path) or []
        return pending.pop(0) if pending else 200

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
