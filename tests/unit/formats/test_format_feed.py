"""Feeds: RSS, Atom and JSON Feed, each item one Draft; unsafe and broken XML refused."""
from __future__ import annotations

import json

import pytest

from tests.unit.formats.format_support import DATA, parse_bytes, udhr_paragraphs
from synd.errors import Rejected


def test_rss_item():
    name, [draft] = parse_bytes((DATA / "feeds" / "feed2.rss").read_bytes())
    assert name == "feed"
    assert draft.title == "Example entry"
    assert draft.body_text == "Here is some text containing an interesting description."
    assert draft.published == "2009-09-06T16:20:00Z"
    assert draft.guid == "7bd204c6-1655-4c27-aeee-53f933c5395f"
    assert draft.canonical_url == "http://www.example.com/blog/post/1"
    assert draft.publisher == "RSS Title"


def test_atom_entries():
    name, drafts = parse_bytes((DATA / "feeds" / "feed1.atom").read_bytes())
    assert name == "feed"
    assert [d.title for d in drafts] == ["Atom-Powered Robots Run Amok", "Self-referenced link"]
    assert drafts[0].published == "2003-12-13T18:30:02Z"
    assert drafts[0].guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"


def test_rss_with_language_and_email_authors():
    name, drafts = parse_bytes((DATA / "feeds" / "sample_rss.xml").read_bytes())
    assert name == "feed" and len(drafts) >= 2
    assert drafts[0].authors == ["EduMock Team"]
    assert drafts[0].language_hint == "en-us"
    assert drafts[0].section == "General Aptitude"
    assert drafts[0].published == "2025-11-09T16:00:00Z"


def test_json_feed_items():
    raw = (DATA / "feeds" / "feed.json").read_bytes()
    items = json.loads(raw)["items"]
    name, drafts = parse_bytes(raw)
    assert name == "feed"
    assert len(drafts) == len(items)
    assert drafts[0].title == "Keller Rinaudo: How can delivery drones save lives?"
    assert drafts[0].body_text.startswith("In rural areas, basic health care can be out of reach.")
    assert drafts[0].guid == "1050315385"
    assert drafts[0].publisher == "Technology"
    assert drafts[0].authors == ["Manoush Zomorodi"]  # the item's own author, not the feed's
    assert all(d.published for d in drafts)


def partner_feed(paragraphs: list[str]) -> str:
    """Real Persian text framed as a partner's RSS: channel language, copyright and CC licence,
    a WordPress footer, one unusable item and one item without text."""
    content = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Partner News</title><link>https://partner.example/</link><language>fa</language>
<copyright>Copyright 2024 Partner News</copyright>
<creativeCommons:license>https://creativecommons.org/licenses/by-nc/4.0/</creativeCommons:license>
<item><title>اعلامیه جهانی حقوق بشر</title><link>https://partner.example/udhr</link>
<guid isPermaLink="false">udhr-1</guid><dc:creator>مجمع عمومی</dc:creator>
<pubDate>Fri, 10 Dec 1948 12:00:00 +0100</pubDate>
<content:encoded><![CDATA[{content}<p>The post اعلامیه appeared first on Partner News.</p>]]></content:encoded></item>
<item><title>Only a title</title><link>https://partner.example/empty</link></item>
<item><title>Own rights</title><link>https://partner.example/own?utm_source=rss&amp;id=7</link>
<dc:rights>© 1948 United Nations. All rights reserved.</dc:rights><description>{paragraphs[0]}</description></item>
<item><description></description></item>
</channel></rss>"""


def test_partner_feed_defaults_footer_and_bad_items():
    paragraphs = udhr_paragraphs("fa_Arab")[:2]
    name, drafts = parse_bytes(partner_feed(paragraphs))
    assert name == "feed"
    assert [d.title for d in drafts] == ["اعلامیه جهانی حقوق بشر", "Only a title", "Own rights"]
    good, empty, own = drafts
    assert good.body_text.split("\n\n") == paragraphs  # no "The post ... appeared first on"
    assert good.language_hint == "fa"
    assert good.authors == ["مجمع عمومی"]
    assert good.published == "1948-12-10T12:00:00+01:00"
    assert {(h.text, h.url) for h in good.license_hints} >= {
        ("Copyright 2024 Partner News", None), ("", "https://creativecommons.org/licenses/by-nc/4.0/")}
    assert empty.body_text == ""  # kept, so the pipeline records it as a per-item failure
    # an item's own rights replace the channel's defaults; tracking parameters leave the URL
    assert [(h.text, h.where) for h in own.license_hints] == [("© 1948 United Nations. All rights reserved.", "feed")]
    assert own.canonical_url == "https://partner.example/own?id=7"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title></item></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><title>&xxe;</title></entry></feed>"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_tricks_are_refused(xml):
    with pytest.raises(Rejected) as info:
        parse_bytes(xml)
    assert info.value.code == "unsafe_xml"


def test_truncated_feed_is_malformed():
    raw = (DATA / "feeds" / "sample_rss.xml").read_bytes()
    with pytest.raises(Rejected) as info:
        parse_bytes(raw[: len(raw) // 2])
    assert info.value.code == "malformed"


def test_feed_without_items():
    raw = (DATA / "feeds" / "feed2.rss").read_text()
    start, end = raw.index("<item>"), raw.index("</item>") + len("</item>")
    with pytest.raises(Rejected) as info:
        parse_bytes(raw[:start] + raw[end:])
    assert info.value.code == "feed_empty"


def test_json_feed_without_items():
    feed = json.loads((DATA / "feeds" / "feed.json").read_text())
    feed["items"] = []
    with pytest.raises(Rejected) as info:
        parse_bytes(json.dumps(feed))
    assert info.value.code == "feed_empty"


def test_truncated_json_feed_is_malformed():
    raw = (DATA / "feeds" / "feed.json").read_bytes()
    with pytest.raises(Rejected) as info:
        parse_bytes(raw[:5000])
    assert info.value.code == "malformed"


def test_unreadable_json_feed_item_is_flagged_not_fatal():
    feed = json.loads((DATA / "feeds" / "feed.json").read_text())
    feed["items"][1]["tags"] = {"not": "a list"}  # a partner's broken item
    name, drafts = parse_bytes(json.dumps(feed))
    assert len(drafts) == len(feed["items"])
    assert drafts[1].body_text == "" and drafts[1].summary.startswith("unreadable item")
    assert drafts[0].body_text and drafts[2].body_text


def test_public_doctype_is_not_an_entity_trick():
    """RSS 0.91 feeds carry Netscape's public DOCTYPE: no entities, nothing to refuse."""
    raw = (DATA / "feeds" / "feed2.rss").read_text()
    doctype = ('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
               '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')
    framed = raw.replace("<rss", doctype + "<rss", 1)
    name, [draft] = parse_bytes(framed)
    assert name == "feed" and draft.title == "Example entry"
