"""The site's pages read in the article's own language (issue 13): dates for people, isolated from
bidi; labels, headings and credits in the page's language; the publisher by its display name; a way
back from every article. Each test names the defect the issue saw."""
import re
from html.parser import HTMLParser

from tests.unit.publish.publish_samples import CC_BY, CC_BY_ND, make_record
from synd import policy
from synd.publish.html import render_article_page, render_language_index, render_root_index
from synd.settings import PartnerSettings

PERSIAN_DATE = "2023-12-10T10:00:00+03:30"


class Text(HTMLParser):
    """The text a reader sees (no attribute values), and the hrefs."""

    def __init__(self):
        super().__init__()
        self.chunks, self.hrefs, self._skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "title")
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "title")

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self):
        return " ".join(self.chunks)


def seen(page):
    parser = Text()
    parser.feed(page)
    return parser


def test_a_persian_date_reads_as_a_persian_date_not_the_raw_iso_string():
    page = render_article_page(make_record("fa", published=PERSIAN_DATE))
    text = seen(page).text
    assert PERSIAN_DATE not in text and "2023" not in text  # the machine form only in the attribute
    assert "۱۰ دسامبر ۲۰۲۳" in text
    assert f'<bdi><time datetime="{PERSIAN_DATE}">۱۰ دسامبر ۲۰۲۳</time></bdi>' in page  # isolated from bidi


def test_an_english_date_reads_as_words_in_the_articles_own_offset():
    page = render_article_page(make_record("en", published="2023-12-10T23:30:00-05:00"))
    assert "December 10, 2023" in seen(page).text  # its own day, not the UTC one (11 December)


def test_a_month_precision_date_reads_as_a_month():
    assert "دسامبر ۲۰۲۳" in seen(render_article_page(make_record("fa", published="2023-12"))).text
    assert "December 2023" in seen(render_article_page(make_record("en", published="2023-12"))).text


def test_the_language_index_is_headed_by_the_languages_own_name_with_local_dates():
    page = render_language_index("fa", "rtl", [{"id": "abc", "title": "تمام افراد", "published": "2023-12-10T06:30:00Z",
                                                "updated": "2024-01-01T00:00:00Z", "license_label": "CC"}])
    assert re.search(r"<h1>فارسی</h1>", page) and "<h1>fa</h1>" not in page
    text = seen(page).text
    assert "۱۰ دسامبر ۲۰۲۳" in text and "2023-12-10" not in text


def test_the_root_index_names_languages_in_their_own_script():
    root = render_root_index(["en", "fa", "fr", "ps"])
    text = seen(root).text
    for name in ("English", "فارسی", "Français", "پښتو"):
        assert name in text
    assert '<li lang="fa" dir="rtl">' in root and '<li lang="fr" dir="ltr">' in root


def test_licence_and_original_are_in_pashto_and_persian_on_their_pages():
    for lang, licence, original in (("ps", "جواز:", "اصلي متن:"), ("fa", "مجوز:", "اصل:")):
        record = make_record(lang, license=CC_BY_ND, canonical_url=f"https://example.org/udhr/{lang}")
        text = seen(render_article_page(record, policy.attribution(record, PartnerSettings(id="kandahar-text-wire")))).text
        assert "Licence:" not in text and "Original:" not in text, lang
        assert licence in text and original in text, lang


def test_the_publisher_is_the_partners_display_name_not_its_folder_slug():
    record = dict(make_record("ps", license=CC_BY), publisher=None)
    named = policy.attribution(record, PartnerSettings(id="kandahar-text-wire", name="Kandahar Text Wire"))
    assert "Kandahar Text Wire" in named["text"] and "kandahar-text-wire" not in named["text"]
    unnamed = policy.attribution(record, PartnerSettings(id="kandahar-text-wire"))
    assert "kandahar-text-wire" not in unnamed["text"] and "Kandahar Text Wire" in unnamed["text"]


def test_the_sample_partners_have_display_names_in_the_settings():
    from synd.settings import partner_settings
    for pid in ("kandahar-text-wire", "paris-libre", "persian-rss-feed", "moscow-weekly", "cairo-iso-wire"):
        assert partner_settings(pid).name, pid


def test_the_french_credit_of_an_institution_takes_its_article():
    record = dict(make_record("en", license=CC_BY), language="fr", title="Déclaration",
                  authors=["Assemblée générale des Nations unies"])
    text = policy.attribution(record, PartnerSettings(id="paris-libre", name="Paris Libre"))["text"]
    assert "de Assemblée" not in text and "d’Assemblée" not in text
    assert "» de l’Assemblée générale des Nations unies," in text


def test_an_article_page_links_home_and_to_its_language_and_month():
    hrefs = seen(render_article_page(make_record("fa", published=PERSIAN_DATE))).hrefs
    assert "../../index.html" in hrefs and "../../fa/index.html" in hrefs
    assert "../../fa/archive/2023-12.html" in hrefs


def test_every_label_of_a_persian_page_is_persian():
    record = make_record("fa", license=CC_BY, canonical_url="https://example.org/udhr/fa")
    text = seen(render_article_page(record)).text  # the site's own credit: no policy wording
    assert not re.search(r"\b(Licence|Original|Via|Home|by|first published)\b", text)
    assert "خانه" in text and "مجوز:" in text


def test_the_french_byline_of_an_institution_takes_its_article_too():
    record = dict(make_record("en"), language="fr", authors=["Assemblée générale des Nations unies"])
    assert "Par <bdi>l’Assemblée générale des Nations unies</bdi>" in render_article_page(record)
