from html.parser import HTMLParser

from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, XSS_PAYLOADS, make_record
from synd.publish.attribution import attribution_html, clean_fragment
from synd.publish.html import CSP, paragraphs, render_article_page, render_language_index


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    parser = Collect()
    parser.feed(html)
    return parser


def test_rtl_page_declares_language_and_direction():
    record = make_record("fa")
    page = render_article_page(record)
    assert '<html lang="fa" dir="rtl">' in page
    doc = parse(page)
    assert record["title"] in "".join(doc.text)
    assert doc.tags.count("p") >= 3


def test_ltr_page():
    assert '<html lang="en" dir="ltr">' in render_article_page(make_record("en"))


def test_no_script_from_article_content_survives():
    body = "\n\n".join(["Whereas recognition of the inherent dignity"] + XSS_PAYLOADS)
    record = make_record("en", title=XSS_PAYLOADS[0], body=body, canonical_url="javascript:alert(1)")
    attribution = {"html": XSS_PAYLOADS[1] + XSS_PAYLOADS[2] + "<a href='https://un.org'>UN</a>"}
    doc = parse(render_article_page(record, attribution))
    assert "script" not in doc.tags and "svg" not in doc.tags and "img" not in doc.tags
    assert not [a for a in doc.attrs if a[1].startswith("on")]
    assert not [a for a in doc.attrs if a[1] in ("href", "src") and a[2].strip().lower().startswith("javascript:")]
    # the payload is shown as text, not dropped silently
    assert any("document.title" in t for t in doc.text)


def test_page_forbids_scripts_by_csp():
    page = render_article_page(make_record("en"))
    assert f'content="{CSP}"' in page and "default-src 'none'" in CSP and "script-src" not in CSP


def test_attribution_block_has_licence_link_and_original():
    record = make_record("en", license=CC_BY, canonical_url="https://example.org/udhr")
    doc = parse(attribution_html(record, None))
    hrefs = [(t, k, v) for t, k, v in doc.attrs if k == "href"]
    assert ("a", "href", "https://creativecommons.org/licenses/by/4.0/") in hrefs
    assert ("a", "href", "https://example.org/udhr") in hrefs
    text = "".join(doc.text)
    assert "Creative Commons Attribution 4.0 International" in text
    assert "unaltered" not in text


def test_no_derivatives_note():
    text = "".join(parse(attribution_html(make_record("en", license=CC_BY_ND), None)).text)
    assert "unaltered" in text


def test_policy_attribution_is_sanitised():
    cleaned = clean_fragment('<b>Title</b> <a href="https://x.org" onclick="x()">link</a><script>x()</script>')
    assert "<b>Title</b>" in cleaned and "onclick" not in cleaned and "<script" not in cleaned
    assert 'href="https://x.org"' in cleaned


def test_paragraphs():
    assert paragraphs("a\nb\n\nc") == ["a\nb", "c"]
    assert paragraphs("one\ntwo\nthree") == ["one", "two", "three"]
    assert paragraphs("") == []


def test_language_index_links_articles_and_feeds():
    page = render_language_index("fa", "rtl", [{"id": "abc", "title": "تمام افراد", "published": "2018-03-28",
                                                "updated": "2020-01-01T00:00:00Z", "license_label": "CC"}])
    assert '<html lang="fa" dir="rtl">' in page
    assert 'href="../articles/abc/index.html"' in page and "../feeds/fa/rss.xml" in page


def test_page_with_the_real_policy_attribution_in_the_article_language():
    from synd.policy import decide
    from synd.settings import PartnerSettings, TargetSettings

    record = make_record("fa", license=CC_BY_ND, canonical_url="https://example.org/udhr-fa")
    decision = decide(record, TargetSettings(name="site", kind="site"), PartnerSettings(id="afgazad"))
    assert decision.action == "deliver_with_attribution"
    page = render_article_page(record, decision.attribution)
    assert '<div class="credit" lang="fa" dir="rtl">' in page
    assert decision.attribution["unaltered_note"] in page  # the ND note, said once, by the policy
    assert "reproduced unaltered" not in page
    assert 'href="https://example.org/udhr-fa"' in page
