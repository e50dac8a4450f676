"""Article pages: real news pages with known answers (newspaper4k's test data)."""
from __future__ import annotations

import json

import pytest

from bench.extraction import word_f1 as f1  # bag-of-words F1 of one page
from tests.unit.formats.format_support import DATA, parse_bytes, sniffed
from synd.errors import Rejected

PAGES = ["arabic_article", "japanese_article2", "spanish_article", "time_001", "cnn_article", "chinese_article_002"]


def page(name: str):
    meta = json.loads((DATA / "html" / f"{name}.json").read_text())
    gold = (DATA / "html" / f"{name}.txt").read_text()
    return (DATA / "html" / f"{name}.html").read_bytes(), meta, gold


@pytest.mark.parametrize("name", PAGES)
def test_body_matches_known_text(name):
    raw, _, gold = page(name)
    fmt, [draft] = parse_bytes(raw)
    assert fmt == "html"
    assert f1(draft.body_text, gold) > 0.8


def test_arabic_page_metadata():
    raw, meta, _ = page("arabic_article")
    _, [draft] = parse_bytes(raw)
    assert draft.title == meta["title"]
    assert draft.language_hint == "ar"
    assert draft.canonical_url == meta["canonical_link"]


def test_time_page_author_date_and_site_name_stripped():
    raw, meta, _ = page("time_001")
    _, [draft] = parse_bytes(raw)
    assert draft.title == meta["title"]  # "<title> | TIME" without the site name
    assert draft.authors == ["Alejandro de la Garza"]
    assert draft.published.startswith("2023-11-02T19:53:52")
    assert draft.canonical_url == meta["canonical_link"]
    assert draft.publisher.casefold() == "time"


def test_cnn_page_date_keeps_time_and_zone():
    raw, meta, _ = page("cnn_article")
    _, [draft] = parse_bytes(raw)
    assert draft.title == meta["title"]
    assert draft.published == "2013-11-27T08:36:32Z"


def test_licence_hints_from_every_declaration():
    """A real article text framed as a partner's page with every kind of licence statement."""
    _, meta, gold = page("spanish_article")
    paragraphs = "".join(f"<p>{p}</p>" for p in gold.split("\n\n") if p.strip())
    html = f"""<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{meta['title']} | Diario</title>
    <link rel="canonical" href="https://diario.example/articulo">
    <link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">
    <meta name="dcterms.license" content="https://creativecommons.org/licenses/by-sa/4.0/">
    <meta name="copyright" content="Diario Example S.L.">
    <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
      "headline": "{meta['title']}", "datePublished": "2014-01-09", "author": {{"@type": "Person", "name": "ANA GARCÍA"}},
      "license": "https://creativecommons.org/licenses/by-sa/4.0/"}}</script></head>
    <body><header><a href="/">Diario</a></header><article><h1>{meta['title']}</h1>{paragraphs}</article>
    <footer><p>Este artículo se publica bajo una licencia <a rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">Creative Commons BY-SA 4.0</a></p>
    <p>© 2014 Diario Example. Todos los derechos reservados.</p></footer></body></html>"""
    _, [draft] = parse_bytes(html)
    wheres = {h.where for h in draft.license_hints}
    assert {"rel-license", "meta", "json-ld", "footer"} <= wheres
    assert any(h.where == "rel-license" and h.text == "Creative Commons BY-SA 4.0" for h in draft.license_hints)
    assert any(h.where == "meta" and h.text == "Diario Example S.L." for h in draft.license_hints)
    assert draft.authors == ["Ana García"]
    assert draft.published == "2014-01-09"
    assert draft.language_hint == "es"
    assert draft.canonical_url == "https://diario.example/articulo"
    assert draft.title == meta["title"]
    assert "Creative Commons" not in draft.body_text and "©" not in draft.body_text
    assert f1(draft.body_text, gold) > 0.9


def test_redirect_page_without_article_is_refused():
    raw = (DATA / "html" / "google_meta_refresh.html").read_bytes()
    assert sniffed(raw) == "html"
    with pytest.raises(Rejected) as info:
        parse_bytes(raw)
    assert info.value.code == "no_article_text"


def test_large_page_fields_come_out_nfc():
    """decode_bytes skips whole-document NFC on large markup; the extracted fields are still NFC."""
    import unicodedata

    _, meta, gold = page("spanish_article")
    title = unicodedata.normalize("NFD", "Anticorrupción decidirá en Madrid")
    body = "".join(f"<p>{unicodedata.normalize('NFD', p)}</p>" for p in gold.split("\n\n") if p.strip())
    padding = "<!-- " + "x" * 300_000 + " -->"
    html = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{padding}<article>{body}</article></body></html>"
    _, [draft] = parse_bytes(html.encode("utf-8"))
    assert draft.title == unicodedata.normalize("NFC", title) != title
    assert unicodedata.is_normalized("NFC", draft.body_text)
    assert f1(draft.body_text, gold) > 0.9


def test_visible_byline_dateline_and_joiners():
    """A real Persian text as a page that shows (not declares) its byline and date; ZWNJ survives extraction."""
    from tests.unit.formats.format_support import udhr_paragraphs

    every = udhr_paragraphs("fa_Arab")
    with_zwnj = [p for p in every if "\u200c" in p][:2]
    paragraphs = with_zwnj + [p for p in every if p not in with_zwnj][:2]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>اعلامیه جهانی حقوق بشر</title></head>
    <body><article><h1>اعلامیه جهانی حقوق بشر</h1><p class="byline">نویسنده: مجمع عمومی سازمان ملل</p>
    <p class="date">منتشر شده ۱۹ قوس ۱۴۰۲</p>{body}</article>
    <div class="copyright">© ۱۴۰۲ هفته‌نامه. تمامی حقوق محفوظ است.</div></body></html>"""
    _, [draft] = parse_bytes(html)
    assert draft.authors == ["مجمع عمومی سازمان ملل"]
    assert draft.published == "2023-12-10"
    assert draft.body_text.split("\n\n") == paragraphs
    assert "\u200c" in draft.body_text
    assert [h.where for h in draft.license_hints] == ["footer"] and "تمامی حقوق محفوظ" in draft.license_hints[0].text


def _framed(head: str, top: str, bottom: str = "", name: str = "spanish_article") -> tuple[bytes, dict, str]:
    """A real article text (newspaper4k's expected text) framed as a partner page with `head`
    markup, `top` above the text inside <article> and `bottom` after the article."""
    _, meta, gold = page(name)
    paragraphs = "".join(f"<p>{p}</p>" for p in gold.split("\n\n") if p.strip())
    html = (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{meta["title"]}</title>{head}</head>'
            f'<body><article><h1>{meta["title"]}</h1>{top}{paragraphs}</article>{bottom}</body></html>')
    return html.encode("utf-8"), meta, gold


def test_cnn_meta_author_list_split_and_agency_dropped():
    raw, meta, _ = page("cnn_article")  # <meta name="author" content="Dana A. Ford, ..., and Tom Watkins, CNN">
    _, [draft] = parse_bytes(raw)
    assert draft.authors == ["Dana A. Ford", "James S.A. Corey", "Chien-Ming Wang", "Tom Watkins"] == meta["authors"]


def test_shown_publication_date_beats_masthead_and_related_list():
    """No declared date: the element marked as the publication date, with the time it shows;
    not today's date in the masthead, nor the dates of a (repeated) related-stories list."""
    masthead = '<div class="header-date">2018年6月20日（水）</div>'
    related = "".join(f'<li><a href="/a{i}">Otra noticia {i}</a> <span class="cmnc-time">（2018/6/1{i} 14:10）</span></li>'
                      for i in range(5))
    raw, _, _ = _framed("", '<dl><dd class="cmnc-publish">2018/6/19 5:50</dd></dl>', f"<ul>{related}</ul>")
    raw = raw.replace(b"<body>", f"<body>{masthead}".encode())
    _, [draft] = parse_bytes(raw)
    assert draft.published == "2018-06-19T05:50:00"


def test_shown_submitted_date_inside_the_article_wins_over_list_dates():
    related = "".join(f'<div class="views-field-created"><span>2019-01-22 2{i}:44</span></div>' for i in range(4))
    raw, _, _ = _framed("", '<span class="submitted-by">Submitted on Mon, 2019-01-21 13:49</span>',
                        f'<aside>{related}</aside>')
    _, [draft] = parse_bytes(raw)
    assert draft.published == "2019-01-21T13:49:00"


def test_copyright_year_is_not_a_publication_date():
    raw, _, _ = _framed("", "", '<footer><p class="copyright">© 2013 Diario Example. Todos los derechos reservados.</p></footer>')
    _, [draft] = parse_bytes(raw)
    assert draft.published is None


def test_json_ld_graph_author_reference_is_resolved():
    """A Yoast-style @graph: the WebPage comes first, the Article names its author by @id only."""
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": "https://diario.example/a#webpage", "name": "Anticorrupción"},
        {"@type": "NewsArticle", "@id": "https://diario.example/a#article", "headline": "Anticorrupción",
         "author": [{"@id": "https://diario.example/#/person/1"}, {"@id": "https://diario.example/#/person/2"}],
         "datePublished": "2014-01-09T10:20:00+01:00"},
        {"@type": "Person", "@id": "https://diario.example/#/person/1", "name": "Ana García"},
        {"@type": "Person", "@id": "https://diario.example/#/person/2", "name": "Pedro Ruiz, Staff Writer"}]}
    raw, _, _ = _framed(f'<script type="application/ld+json">{json.dumps(graph)}</script>', "")
    _, [draft] = parse_bytes(raw)
    assert draft.authors == ["Ana García", "Pedro Ruiz"]
    assert draft.published == "2014-01-09T10:20:00+01:00"


def test_every_author_meta_tag_counts():
    raw, _, _ = _framed('<meta name="author" content="Ana García"><meta name="author" content="Pedro Ruiz">'
                        '<meta property="article:author" content="https://www.facebook.com/diario">', "")
    _, [draft] = parse_bytes(raw)
    assert draft.authors == ["Ana García", "Pedro Ruiz"]


def test_author_element_holding_only_a_name():
    """`By` outside the element, the date after it: `By <span class="author vcard"><a>National Desk</a></span> on ...`."""
    top = ('<p class="byline-block">By <span class="author vcard"><a href="/user/nd">National Desk</a></span>'
           '<br>on December 27, 2014 at 12:06 PM</p>')
    raw, _, _ = _framed("", top)
    _, [draft] = parse_bytes(raw)
    assert draft.authors == ["National Desk"]


def test_author_element_with_a_sentence_is_not_a_name():
    top = '<div class="author-bio">Ana García covers the courts for this paper and lives in Palma.</div>'
    raw, _, _ = _framed("", top)
    _, [draft] = parse_bytes(raw)
    assert draft.authors == []


@pytest.mark.parametrize("value, names", [
    ("By National Desk on December 27, 2014 at 12:06 PM, updated December 27, 2014", ["National Desk"]),
    ("By Jeremy Herb, Lauren del Valle and Kara Scannell, CNN", ["Jeremy Herb", "Lauren del Valle", "Kara Scannell"]),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Jane Doe - Senior Correspondent", ["Jane Doe"]),
    ("Reuters Staff", ["Reuters"]),
    ("Political Editor", []),
    ("Jane Doe jane.doe@example.com", ["Jane Doe"]),
    ("By John Smith | Updated 5 May 2020", ["John Smith"]),
    ("Mark Reporter", ["Mark Reporter"]),  # a family name, not a job title
    ("Marie Dupont | Le Monde", ["Marie Dupont", "Le Monde"]),
])
def test_byline_names_without_roles_emails_or_dates(value, names):
    from synd.text.authors import normalise_authors

    assert normalise_authors(value) == names


@pytest.mark.parametrize("text, iso", [
    ("2018/6/19 5:50", "2018-06-19T05:50:00"),
    ("29.03.2018 14:30", "2018-03-29T14:30:00"),
    ("2018/6/19", "2018-06-19"),
    ("03/28/2018", "2018-03-28"),
])
def test_numeric_dates_keep_the_time_they_show(text, iso):
    from synd.text.dates import parse_date

    assert parse_date(text) == iso


def test_shown_date_skips_an_update_line_and_reads_across_tags():
    top = ('<div class="date">Updated 2014-01-10 09:00</div>'
           '<div class="date">2014/1/9<br>10:20</div>')
    raw, _, _ = _framed("", top)
    _, [draft] = parse_bytes(raw)
    assert draft.published == "2014-01-09T10:20:00"
