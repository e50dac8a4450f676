"""The parts of the HTML format, each on its own: declarations, dates, authors, metadata, body."""
from __future__ import annotations

import lxml.html
import pytest

from synd.errors import Rejected
from synd.formats.html import authors, body, dates, declared, meta


def tree(head: str = "", body_html: str = ""):
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body_html}</body></html>")


def test_declared_reads_meta_and_a_json_ld_graph():
    page = tree('<meta property="og:title" content="Headline"><script type="application/ld+json">'
                '{"@graph": [{"@type": "NewsArticle", "author": {"@id": "#p"}}, {"@id": "#p", "@type": "Person", "name": "Ana Ruiz"}]}'
                "</script>")
    assert declared.meta(declared.meta_index(page), "og:title") == "Headline"
    article = declared.article_ld(declared.json_ld(page))
    assert declared.name_of(article["author"]) == "Ana Ruiz"


def test_dates_prefer_the_declared_date_over_the_shown_one():
    page = tree('<meta property="article:published_time" content="2023-12-10T09:00:00+01:00">',
                '<span class="date">1 janvier 2020</span>')
    assert dates.published(page, declared.meta_index(page), {}) == "2023-12-10T09:00:00+01:00"


def test_dates_read_an_element_that_shows_the_date():
    page = tree(body_html='<article><p class="published">2023-12-10</p><p>Text.</p></article>')
    assert dates.published(page, {}, {}) == "2023-12-10"


def test_authors_from_a_visible_byline():
    page = tree(body_html='<div class="byline">By Jane Doe and John Roe</div>')
    assert authors.page_authors(page, {}, {}) == ["Jane Doe", "John Roe"]


def test_meta_title_drops_the_site_name():
    page = tree('<title>Floods hit the north | Daily Planet</title><meta property="og:site_name" content="Daily Planet">')
    assert meta.page_metadata(page).title == "Floods hit the north"
    assert meta.strip_site_name("Story – Section – Site") == "Story"


def test_body_alone_extracts_and_refuses():
    text = "Paragraph of the story that tells the reader something new about the matter at hand. " * 3
    page = tree(body_html=f"<article><p>{text}</p><p>{text}</p></article>")
    extracted, trailing, _ = body.extract_body(page, lxml.html.tostring(page, encoding=str), "Title")
    assert extracted.startswith("Paragraph of the story") and trailing == []
    empty = tree(body_html="<nav><a href='/'>Home</a></nav>")
    with pytest.raises(Rejected):
        body.extract_body(empty, lxml.html.tostring(empty, encoding=str), "Title")
