"""Drops a hostile partner sends: declared languages that are paths or markup, `javascript:` links,
control characters and right-to-left overrides in titles and authors.

Each body is too short (or too letterless) to judge, so the declared language
is what the core would use; each names an unsafe canonical URL or image.
Used by the core tests (tests/unit/test_hostile_drops.py) and the site target test
(tests/integration/publish/test_site_hostile.py).
"""
from __future__ import annotations

import json

RLO = "\u202e"
TRAVERSAL = "../../../../tmp/synd-escape"
ATTRIBUTE = 'en" onmouseover="alert(1)'
SCRIPT_URL = "javascript:alert(document.domain)"
SHORT_BODY = "2024 — 17 — 33 — 101"

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="{TRAVERSAL}"><head><meta charset="utf-8">
<title>Breaking{RLO}gnikaerB</title>
<link rel="canonical" href="{SCRIPT_URL}">
<meta property="og:image" content="javascript:alert(2)">
<meta name="author" content="Mallory{RLO}yrollaM">
</head><body><article><h1>Breaking{RLO}gnikaerB&#1;</h1>
<p>{SHORT_BODY}</p><p>{SHORT_BODY} — 7</p></article></body></html>
""".encode()

RSS_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<description>w</description><language>{ATTRIBUTE.replace('"', '&quot;')}</language>
<item><title>Item&#x202E;one</title><link>{SCRIPT_URL}</link><guid>wire-1</guid>
<author>eve@wire.example (Eve&#x202E;evE)</author><description>{SHORT_BODY}</description></item>
</channel></rss>
""".encode()

JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "javascript:",
    "items": [{"id": "j-1", "title": f"Control\x01char{RLO}", "content_text": SHORT_BODY,
               "external_url": SCRIPT_URL, "image": "javascript:alert(3)",
               "authors": [{"name": f"Trudy{RLO}"}]}],
}).encode()

NINJS = json.dumps({
    "uri": "urn:hostile:1", "type": "text", "language": TRAVERSAL,
    "headlines": [{"role": "main", "value": f"Ninjs\x01title{RLO}"}],
    "bodies": [{"role": "main", "contentType": "text/plain", "value": SHORT_BODY}],
    "altIds": [{"role": "canonical", "value": SCRIPT_URL}],
}).encode()

MARKDOWN = f"""---
title: "Front{RLO}matter"
lang: "{ATTRIBUTE.replace('"', '')}"
canonical_url: "{SCRIPT_URL}"
---

{SHORT_BODY}
""".encode()

DROPS = {"page.html": HTML_PAGE, "feed.xml": RSS_FEED, "feed.json": JSON_FEED, "item.ninjs.json": NINJS,
         "post.md": MARKDOWN}
