"""Navigation and head of every page (contract 2 of session 18): site nav, the article pager and
replace_pager, archive months, the root index's language summaries, feed autodiscovery, the
bundled font allowed by the CSP, withdrawn pages in their language. Pages stay script-free."""
import re
from html.parser import HTMLParser

import pytest

from tests.unit.publish.publish_samples import CC_BY, XSS_PAYLOADS, make_record
from synd.publish import webfont
from synd.publish.html import (CSP, LanguageSummary, NavLink, Pager, render_archive_page, render_article_page,
                               render_language_index, render_pager, render_root_index, render_withdrawn_page,
                               replace_pager)

ENTRY = {"id": "abc", "title": "تمام افراد", "published": "2023-12-10T06:30:00Z", "updated": "2024-01-01T00:00:00Z",
         "license_label": "no licence stated", "license_spdx": "NOASSERTION", "license_name": None}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))


def tags(page):
    parser = Tags()
    parser.feed(page)
    return parser


def feeds_of(page):
    return sorted(a["href"] for t, a in tags(page).attrs if t == "link" and a.get("rel") == "alternate"
                  and "/feeds/" in "/" + a["href"])


def all_pages():
    record = make_record("fa", license=CC_BY, published="2023-12-10T10:00:00+03:30")
    return {"article": render_article_page(record, None, Pager(NavLink("new1", "N"), NavLink("old1", "O"))),
            "withdrawn": render_withdrawn_page(dict(record, withdrawal={"reason": "x"})),
            "index": render_language_index("fa", "rtl", [ENTRY], ["2023-12"]),
            "archive": render_archive_page("fa", "rtl", "2023-12", [ENTRY], ["2023-11", "2023-12"]),
            "root": render_root_index([LanguageSummary("fa", 3, "2023-12-10T06:30:00Z")])}


@pytest.mark.parametrize("name", ["article", "withdrawn", "index", "archive", "root"])
def test_every_page_has_feed_autodiscovery_the_font_and_a_csp_that_allows_only_our_fonts(name):
    page = all_pages()[name]
    up = {"root": "", "index": "../"}.get(name, "../../")
    assert feeds_of(page) == [f"{up}feeds/fa/{f}" for f in ("atom.xml", "feed.json", "rss.xml")]
    assert f'content="{CSP}"' in page and "font-src 'self'" in CSP and "script-src" not in CSP
    assert webfont.font_face_css(up) in page
    assert "script" not in tags(page).tags


@pytest.mark.parametrize("name, up", [("article", "../../"), ("withdrawn", "../../"), ("index", "../"),
                                      ("archive", "../../")])
def test_every_page_links_home_and_to_its_language(name, up):
    hrefs = [a.get("href") for t, a in tags(all_pages()[name]).attrs if t == "a"]
    assert f"{up}index.html" in hrefs and f"{up}fa/index.html" in hrefs


def test_the_article_pager_links_the_newer_and_older_article_in_the_pages_language():
    page = all_pages()["article"]
    pager = render_pager("fa", Pager(NavLink("new1", "N"), NavLink("old1", "O")))
    assert pager in page and "\n" not in pager
    assert 'href="../new1/index.html" rel="prev"' in pager and 'href="../old1/index.html" rel="next"' in pager
    assert "تازه‌تر" in pager and "قدیمی‌تر" in pager


def test_the_pager_block_is_there_without_neighbours():
    assert render_pager("en", Pager()) == '<nav class="pager"></nav>'
    assert '<nav class="pager"></nav>' in render_article_page(make_record("en"))


def test_replace_pager_changes_only_the_pager():
    page = render_article_page(make_record("en"))
    updated = replace_pager(page, "en", Pager(older=NavLink("old1", "Older title")))
    assert updated == page.replace('<nav class="pager"></nav>', render_pager("en", Pager(older=NavLink("old1", "Older title"))))
    assert replace_pager(updated, "en", Pager()) == page


def test_replace_pager_finds_no_pager_on_a_withdrawn_page():
    assert replace_pager(all_pages()["withdrawn"], "fa", Pager()) is None


def test_partner_text_cannot_fake_a_pager_block():
    record = make_record("en", title='<nav class="pager">x</nav>', body='<nav class="pager">y</nav>')
    page = render_article_page(record)
    assert page.count('<nav class="pager"') == 1
    updated = replace_pager(page, "en", Pager(NavLink("n1", "T")))
    assert "../n1/index.html" in updated and updated.count("&lt;nav class=&quot;pager&quot;&gt;") >= 1


def test_pager_titles_and_ids_are_escaped_and_checked():
    pager = render_pager("en", Pager(NavLink("../../x", "t"), NavLink("ok", XSS_PAYLOADS[0] + "\nline\u2028two")))
    assert "../../x" not in pager and "<script" not in pager and "../ok/index.html" in pager
    assert "\n" not in pager  # one line, as replace_pager finds it


def test_archive_pages_link_the_previous_and_next_month_with_names():
    page = render_archive_page("en", "ltr", "2023-12", [], ["2023-10", "2023-12", "2024-02", "bogus"])
    assert 'href="2023-10.html" rel="prev"' in page and 'href="2024-02.html" rel="next"' in page
    assert "October 2023" in page and "February 2024" in page and "<h1>English · Archive · December 2023</h1>" in page
    first = render_archive_page("en", "ltr", "2023-10", [], ["2023-10", "2023-12"])
    assert 'rel="prev"' not in first and 'href="2023-12.html" rel="next"' in first


def test_the_language_index_links_each_month_by_its_name_and_localises_the_licence():
    page = all_pages()["index"]
    assert '<a href="archive/2023-12.html">دسامبر ۲۰۲۳</a>' in page
    assert "no licence stated" not in page and "مجوزی ذکر نشده است" in page


def test_the_root_index_gives_each_language_its_count_and_newest_date_in_its_own_language():
    root = render_root_index([LanguageSummary("fa", 12, "2023-12-10T06:30:00Z"), LanguageSummary("en", 1, None),
                              LanguageSummary("ru", 3, "2024-01-05T00:00:00Z"), LanguageSummary("../x", 1, None)])
    assert re.search(r'<li lang="fa" dir="rtl"><a href="fa/index.html" hreflang="fa">فارسی</a>.*۱۲ مقاله.*'
                     r'۱۰ دسامبر ۲۰۲۳', root)
    assert "1 article<" in root and "3 статьи" in root and "5 января 2024" in root
    assert "../x" not in root
    assert feeds_of(root) == sorted(f"feeds/{lang}/{f}" for lang in ("en", "fa", "ru")
                                    for f in ("rss.xml", "atom.xml", "feed.json"))


def test_a_withdrawn_page_is_in_its_language():
    page = all_pages()["withdrawn"]
    assert "این مقاله پس گرفته شده است." in page and "This article has been withdrawn" not in page
    assert "خانه" in page


def test_a_correction_is_labelled_in_the_pages_language():
    page = render_article_page(dict(make_record("ps"), correction={"note": "سمون شوی"}))
    assert '<div class="correction" lang="ps"><p><span class="label">سمون:</span> سمون شوی' in page


@pytest.mark.parametrize("published", ["2023", "2023-12", "2023-12-31T23:30:00-02:00", "2023-13", "2023-02-30",
                                       None])
def test_an_article_links_the_archive_month_its_feed_entry_is_filed_under(published):
    """The page's month link and the entry's month are one computation: a year-precision date is filed
    under its January (the link once went nowhere), a date that is no date under no month (the entry
    falls back to its delivery month, which the page does not know), and a bad month no longer raises."""
    from synd.publish import feeds
    from synd.render.entries import entry_month

    record = make_record("en", published=published)
    entry = feeds.make_entry(record, page_url="https://site.example/a", updated="2026-01-05T00:00:00Z")
    links = re.findall(r'href="\.\./\.\./en/archive/(\d{4}-\d{2})\.html"', render_article_page(record))
    filed = entry_month(entry) if entry["published"] else None
    assert links == ([filed] if filed else [])
