"""IPTC ninjs (News in JSON) 1.x/2.x (`headline`, `body_text`, `byline`,
`versioncreated`) and 3.x (`headlines`, `bodies`, `by`, `versionCreated`,
`rightsInfo`). A JSON array of ninjs items gives one Draft per item."""
from __future__ import annotations

import re

from synd.budget import checkpoint
from synd.errors import Rejected
from synd.formats import Decoded, jsondata
from synd.model import Draft, LicenseHint
from synd.text.authors import normalise_authors
from synd.text.body import clean_paragraphs
from synd.text.dates import find_date, parse_date
from synd.text.htmltext import html_paragraphs, html_to_text

NAME = "ninjs"
NINJS_FIELD = re.compile(r'"(?:uri|headline|headlines|bodies|body_html|versioncreated|versionCreated)"\s*:')
NINJS_KEYS = {"uri", "headline", "headlines", "body_text", "body_html", "bodies", "versioncreated",
              "versionCreated", "firstcreated", "firstCreated", "byline", "by", "pubstatus", "pubStatus",
              "representationType", "renditions", "associations", "copyrightnotice", "copyrightNotice"}


def sniff(doc: Decoded) -> float:
    text = doc.text.lstrip()
    if not text.startswith(("{", "[")):
        return 0.0
    if re.search(r'"\$schema"\s*:\s*"[^"]*ninjs', text[:2000], re.I):
        return 0.98
    try:
        data = jsondata.loads(text)
    except ValueError:  # broken JSON that names ninjs fields is a broken ninjs drop
        return 0.5 if NINJS_FIELD.search(text[:5000]) else 0.0
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        return 0.0
    if "jsonfeed.org" in str(items[0].get("version", "")):
        return 0.0
    keys = set(items[0])
    hits = len(keys & NINJS_KEYS)
    return 0.9 if "uri" in keys and hits >= 2 else (0.6 if hits >= 3 else 0.0)


def parse(doc: Decoded) -> list[Draft]:
    try:
        data = jsondata.loads(doc.text)
    except ValueError as exc:
        raise Rejected("malformed", f"the ninjs JSON is not valid: {exc}") from exc
    items = data if isinstance(data, list) else [data]
    drafts = [item_draft(item) for item in items if isinstance(item, dict)]
    if not drafts:
        raise Rejected("malformed", "the ninjs JSON holds no item objects")
    return drafts


def _pick(values, roles=("main", "", None, "text", "html", "richtext")):
    """The value of the list entry whose role is main (or unset), else the first."""
    if not isinstance(values, list) or not values:
        return None
    for role in roles:
        for entry in values:
            if isinstance(entry, dict) and entry.get("role") == role and entry.get("value"):
                return entry
    return next((e for e in values if isinstance(e, dict) and e.get("value")), None)


def _get(item: dict, *names):
    for name in names:
        if item.get(name) not in (None, "", []):
            return item[name]
    return None


def _objects(item: dict, *names) -> list[dict]:
    """The objects listed under any of `names`: a partner's JSON may hold anything there (`"subjects": 5`)."""
    return [entry for name in names if isinstance(item.get(name), list)
            for entry in item[name] if isinstance(entry, dict)]


def item_draft(item: dict) -> Draft:
    checkpoint("ninjs item")
    headline = _get(item, "headline") or (_pick(item.get("headlines")) or {}).get("value") or _get(item, "title") or ""
    body_entry = _pick(item.get("bodies"))
    if body_entry is not None:
        paragraphs = html_paragraphs(str(body_entry["value"]))
    elif item.get("body_html"):
        paragraphs = html_paragraphs(str(item["body_html"]))
    else:
        paragraphs = html_paragraphs(str(item.get("body_text") or ""))
    summaries = [d for d in _objects(item, "descriptions") if str(d.get("role", "")).lower() != "correction"]
    description = _get(item, "description_text") or (_pick(summaries) or {}).get("value")
    draft = Draft(
        title=html_to_text(str(headline)),
        body_text="\n\n".join(clean_paragraphs(paragraphs)),
        authors=_authors(item),
        published=_date(_get(item, "firstcreated", "firstCreated", "contentCreated",
                             "versioncreated", "versionCreated")),
        modified=_date(_get(item, "versioncreated", "versionCreated")),
        canonical_url=_canonical(item),
        guid=_get(item, "guid", "uri"),
        publisher=_publisher(item),
        language_hint=_get(item, "language"),
        summary=html_to_text(str(description)) if description else None,
        section=_section(item),
        license_hints=_hints(item),
        withdrawn=_withdrawal(item),
        correction=_role_text(item.get("descriptions"), "correction"),
    )
    return draft


WITHDRAWN_BY_PUBLISHER = "withdrawn by the publisher"


def _withdrawal(item: dict) -> str | None:
    """The reason a `pubStatus: canceled` item withdraws its article (its edNote), else None.

    IPTC's way for a provider to kill a story it sent: the same `uri` (so the same
    article), `pubStatus` canceled; the text may be gone."""
    status = _get(item, "pubStatus", "pubstatus")
    if not isinstance(status, str) or status.strip().lower() != "canceled":
        return None
    note = _get(item, "edNote", "ednote")
    return html_to_text(note).strip() if isinstance(note, str) and note.strip() else WITHDRAWN_BY_PUBLISHER


def _role_text(values, role: str) -> str | None:
    """The text of the `descriptions` entry with this role (ninjs 3: `{"role": "correction", "value": ...}`)."""
    for entry in values if isinstance(values, list) else []:
        if isinstance(entry, dict) and str(entry.get("role", "")).lower() == role \
                and isinstance(entry.get("value"), str):
            return html_to_text(entry["value"]).strip() or None
    return None


def _authors(item: dict) -> list[str]:
    by = _get(item, "byline", "by")
    if by:
        return normalise_authors(by)
    people = [p.get("name") for p in _objects(item, "people")
              if str(p.get("rel", "")).lower().endswith(("author", "creator", "writer")) and p.get("name")]
    return normalise_authors(people)


def _date(value) -> str | None:
    return (parse_date(str(value)) or find_date(str(value))) if value else None


def _canonical(item: dict) -> str | None:
    alt_ids = [a for key in ("altids", "altIds") if isinstance(item.get(key), list) for a in item[key]]
    for alt in alt_ids:
        if isinstance(alt, dict) and str(alt.get("role", "")).lower() in ("canonical", "url", "web") \
                and str(alt.get("value", "")).startswith("http"):
            return alt["value"]
    uri = item.get("uri")
    return uri if isinstance(uri, str) and uri.startswith("http") else None


def _publisher(item: dict) -> str | None:
    for source in _objects(item, "infoSources", "infosources"):
        if source.get("name") and str(source.get("role", "")).lower() in (
                "", "originator", "source", "publisher", "originatingparty", "provider"):
            return source["name"]
    holder = _get(item, "copyrightholder", "copyrightHolder")
    return holder if isinstance(holder, str) else None


def _section(item: dict) -> str | None:
    for subject in _objects(item, "subjects", "subject"):
        if subject.get("name"):
            return subject["name"]
    return None


def _hints(item: dict) -> list[LicenseHint]:
    hints = []
    rights = _get(item, "rightsInfo", "rightsinfo")
    if isinstance(rights, dict):
        url = rights.get("linkedRights") or rights.get("linkedrights")
        text = rights.get("encodedRights") or rights.get("encodedrights") or ""
        hints.append(LicenseHint(text=str(text), url=url, where="meta"))
    hints.extend(LicenseHint(text=str(item[key]), where="meta")
                 for key in ("usageterms", "usageTerms", "copyrightnotice", "copyrightNotice") if item.get(key))
    return hints
