"""Article bodies of HTML pages: the causes of lost text and kept chrome found on the
extraction benchmark's worst pages, each reproduced on a small page of its own, in several languages."""
from __future__ import annotations

import pytest

from tests.unit.formats.format_support import parse_bytes, udhr_paragraphs
from synd.text.body import is_box


def page(title: str, body: str, lang: str = "en", head_extra: str = "", h1: bool = True) -> str:
    heading = f"<h1>{title}</h1>" if h1 else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head_extra}'
            f'</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article>{heading}{body}</article><footer><p>Contact</p></footer></body></html>")


SCRIPTS = {"en": "en_Latn", "fr": "fr_Latn", "de": "de_Latn", "es": "es_Latn", "ru": "ru_Cyrl", "tr": "tr_Latn",
           "ar": "ar_Arab", "fa": "fa_Arab", "ur": "ur_Arab", "ps": "ps_Arab", "zh": "zh_Hans"}


def paragraphs(lang: str, count: int = 4) -> list[str]:
    return udhr_paragraphs(SCRIPTS[lang])[:count]


def body_of(html: str) -> str:
    _, [draft] = parse_bytes(html)
    return " ".join(draft.body_text.split())


def test_comments_inside_a_paragraph_do_not_cut_its_text():
    """React pages put `<!-- -->` between text runs of one paragraph: the text after it stays."""
    texts = paragraphs("fr")
    last = "Le conseil s’est réuni lundi <!-- --> et a voté <!-- -->le nouveau budget, adopté à l’unanimité."
    html = page("Le conseil vote le budget", "".join(f"<p>{t}</p>" for t in texts) + f"<p>{last}</p>", "fr")
    assert "et a voté le nouveau budget, adopté à l’unanimité." in body_of(html)


def test_a_table_that_is_the_article_is_kept():
    rows = "".join(f"<tr><td>{club}</td><td>{points}</td></tr>"
                   for club, points in (("Borussia Nordstadt", 25), ("Eintracht Südhafen", 21), ("SV Waldberg", 18)))
    html = page("Die Tabelle nach dem zehnten Spieltag",
                "<p>So sieht die Tabelle der Liga nach dem zehnten Spieltag für alle Vereine aus.</p>"
                f"<table><tr><th>Verein</th><th>Punkte</th></tr>{rows}</table>", "de")
    body = body_of(html)
    assert "Borussia Nordstadt" in body and "SV Waldberg" in body and "21" in body


def test_mathml_in_a_paragraph_is_kept():
    texts = paragraphs("en")
    formula = "<math><mi>e</mi><mo>+</mo><mn>1</mn><mo>=</mo><mn>0</mn></math>"
    html = page("Euler's identity", "".join(f"<p>{t}</p>" for t in texts)
                + f"<p>The identity {formula} links five constants of mathematics.</p>")
    body = body_of(html)
    assert "The identity e + 1 = 0 links five constants" in body.replace("e+1=0", "e + 1 = 0")


def test_a_paragraph_that_starts_with_the_headline_is_not_dropped():
    """The headline-echo rule drops a line that *is* the headline, not prose that starts with it."""
    title = "Наводнение на севере страны"
    text = (f"{title} оставило тысячи людей без электричества в понедельник, дороги закрыты в трёх областях,"
            " а спасатели продолжают эвакуацию жителей.")
    assert body_of(page(title, f"<p>{text}</p>", "ru", h1=False)).startswith(title + " оставило")


def test_the_headline_itself_is_still_dropped():
    texts = paragraphs("es")
    title = "Las inundaciones llegan al norte"
    html = page(title, f"<h2>{title}</h2>" + "".join(f"<p>{t}</p>" for t in texts), "es", h1=False)
    assert not body_of(html).startswith(title)


def test_player_and_gallery_text_is_not_article_text():
    texts = paragraphs("es")
    player = ('<div class="video-js"><p>This is a modal window.</p>'
              "<p>Beginning of dialog window. Escape will cancel and close the window.</p>"
              "<p>End of dialog window.</p></div>")
    gallery = '<div class="gallery"><p>Foto 1 de 12</p><p>Siguiente imagen</p></div>'
    html = page("Un vídeo del rescate", "".join(f"<p>{t}</p>" for t in texts[:2]) + player + gallery
                + "".join(f"<p>{t}</p>" for t in texts[2:]), "es")
    body = body_of(html)
    assert "modal window" not in body and "dialog window" not in body and "Foto 1 de 12" not in body
    assert texts[0] in body and texts[-1] in body


# A sign-up, newsletter, donation or "read more" box in each of the 11 languages of tests/corpus.
CALLS_TO_ACTION = {
    "en": ["Sign up for our daily newsletter.", "Support independent journalism: donate today."],
    "fr": ["Abonnez-vous à notre lettre d'information.", "Soutenez-nous : faites un don."],
    "de": ["Abonnieren Sie unseren Newsletter.", "Unterstützen Sie unabhängigen Journalismus – jetzt spenden!"],
    "es": ["Suscríbete a nuestro boletín.", "Apoya el periodismo independiente: haz una donación."],
    "ru": ["Подпишитесь на нашу рассылку.", "Поддержите независимую журналистику."],
    "tr": ["Bültenimize abone olun.", "Bağımsız gazeteciliğe destek olun, bağış yapın."],
    "ar": ["اشترك في نشرتنا الإخبارية.", "ادعم الصحافة المستقلة وتبرع الآن."],
    "fa": ["در خبرنامه ما عضو شوید.", "از روزنامه‌نگاری مستقل حمایت کنید."],
    "ur": ["ہمارے نیوز لیٹر کو سبسکرائب کریں۔", "آزاد صحافت کی حمایت کریں، عطیہ دیں۔"],
    "ps": ["زموږ خبرپاڼې ته ګډون وکړئ.", "له خپلواکې ژورنالیزم سره مرسته وکړئ."],
    "zh": ["订阅我们的新闻简报。", "支持独立新闻，立即捐款。"],
}


@pytest.mark.parametrize("lang,text", [(lang, text) for lang, texts in CALLS_TO_ACTION.items() for text in texts])
def test_calls_to_action_are_boxes_in_every_corpus_language(lang, text):
    assert is_box(text), f"{lang}: {text}"


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_article_prose_about_newsletters_is_not_a_box(lang):
    """A sentence of reporting that names a newsletter, longer than a teaser (MAX_TEASER_WORDS), stays."""
    prose = {"fr": "Le ministre a annoncé lundi que la lettre d’information du ministère serait supprimée "
                   "l’an prochain, faute de lecteurs, après vingt ans de parution régulière et plusieurs "
                   "changements de formule.",
             "ar": "قال الوزير يوم الاثنين إن الوزارة ستتوقف عن إصدار نشرتها الإخبارية العام المقبل بسبب قلة القراء"
                   " بعد عشرين عاما من الصدور المنتظم.",
             "zh": "部长周一表示，由于读者太少，该部门的新闻简报将在明年停止发行，此前已连续出版二十年，读者反应不一。"}[lang]
    assert not is_box(prose)


@pytest.mark.parametrize("lang", ["fr", "ru", "tr", "ur", "zh"])
def test_a_newsletter_box_leaves_the_page_body(lang):
    texts = paragraphs(lang)
    box = CALLS_TO_ACTION[lang][0]
    html = page("Titre", "".join(f"<p>{t}</p>" for t in texts[:2]) + f'<div class="promo"><p>{box}</p></div>'
                + "".join(f"<p>{t}</p>" for t in texts[2:]), lang)
    body = body_of(html)
    assert box not in body and texts[0] in body


def test_a_french_newsletter_line_leaves_a_markdown_export():
    texts = paragraphs("fr")
    doc = ("# Déclaration des droits\n\n" + "\n\n".join(texts) + "\n\n**Abonnez-vous à notre lettre d'information.**\n\n"
           + texts[0] + "\n")
    name, [draft] = parse_bytes(doc)
    assert name == "markdown"
    assert "Abonnez-vous" not in draft.body_text and texts[1] in draft.body_text


def test_a_body_split_into_several_blocks_keeps_every_block():
    """`<div class="article__body">` twice, an advert between them: trafilatura read only the first."""
    texts = paragraphs("ru", 6)
    block = '<div class="article__body">{}</div>'
    html = page("Будущее банков", block.format("".join(f"<p>{t}</p>" for t in texts[:3]))
                + '<div class="ad">Реклама</div>' + block.format("".join(f"<p>{t}</p>" for t in texts[3:])), "ru")
    body = body_of(html)
    assert all(t in body for t in texts), "a later block of the body was dropped"
    assert "Реклама" not in body


def test_bare_text_in_the_article_div_is_kept():
    """Text written straight into `<div class="content">`, parted by `<br><br>` and by inline blocks
    (an ad slot, a picture): the text after the first block was lost."""
    t = paragraphs("en", 4)
    content = (f'<div class="content">{t[0]}<br><br>{t[1]}<div class="ad-slot"><img src="x.jpg"></div>{t[2]}'
               f'<br><br><img src="y.jpg"><br>{t[3]}</div>')
    html = page("Apple plans a new laptop", content).replace("<article>", '<div class="article">')
    body = body_of(html.replace("</article>", "</div>"))
    assert all(text in body for text in t)


def test_bare_text_in_a_footer_div_stays_out():
    texts = paragraphs("zh", 3)
    notice = "版权保护：本网登载的内容（包括文字、图片、多媒体资讯等）版权属本网独家所有使用，未经本网事先协议授权，禁止转载使用，违者必究，如需使用请与本网联系。"
    html = page("新闻标题", "".join(f"<p>{t}</p>" for t in texts), "zh").replace(
        "<footer><p>Contact</p></footer>", f'<div class="foot"><div class="foot-text">{notice}</div></div>')
    assert "版权保护" not in body_of(html)


def test_a_list_of_nothing_but_links_is_not_the_article():
    """Related stories listed inside the article's body, each item one link."""
    texts = paragraphs("es", 5)
    related = ('<ul><li><a href="/a">La carrera lunar: los planes privados para llegar a la Luna</a></li>'
               '<li><a href="/b">Aquí es donde los módulos comerciales aterrizarán en la Luna para la NASA</a> </li>'
               '<li><a href="/c">NASA: la Estación Espacial Internacional está abierta a los negocios en órbita</a></li></ul>')
    html = page("La NASA elige a SpaceX", '<div class="article-body">' + "".join(f"<p>{t}</p>" for t in texts[:3])
                + related + "".join(f"<p>{t}</p>" for t in texts[3:]) + "</div>", "es")
    body = body_of(html)
    assert "carrera lunar" not in body and "abierta a los negocios" not in body
    assert texts[0] in body and texts[-1] in body


def test_paragraphs_in_a_bordered_wrapper_are_kept():
    """trafilatura's precision mode drops any element whose style mentions a border: the article
    kept only its first paragraphs when the rest sat in a bordered wrapper."""
    texts = paragraphs("tr", 6)
    html = page("Yeni telefon incelemesi", f"<p>{texts[0]}</p><p>{texts[1]}</p>"
                f'<div style="border-top: 1px solid #ddd">{"".join(f"<p>{t}</p>" for t in texts[2:])}</div>', "tr")
    body = body_of(html)
    assert all(t in body for t in texts)


def test_table_rows_become_lines_once():
    html = page("Standings", "<p>The table after round ten looks like this for every club in the league.</p>"
                "<table><thead><tr><th>Club</th><th>Points</th></tr></thead>"
                "<tbody><tr><td>Rovers United</td><td>25</td></tr><tr><td>City Wanderers</td><td>21</td></tr></tbody></table>")
    _, [draft] = parse_bytes(html)
    lines = draft.body_text.split("\n\n")
    assert "Rovers United | 25" in lines and "City Wanderers | 21" in lines
    assert not any("---" in line or line.startswith("|") for line in lines)


def test_a_short_reading_gets_a_second_opinion():
    """After two paragraphs, the text sits in `<div><span>` blocks among SVG icons: trafilatura's fast
    mode (no fallback extractors) stopped after the two, and that was long enough to skip readability."""
    texts = paragraphs("en", 8)
    icons = '<svg viewBox="0 0 10 10"><path d="M0 0L10 10"/></svg>' * 3
    html = page("Laptop review", f"<p>{texts[0]}</p><p>{texts[1]}</p>"
                + "".join(f'<div class="txt"><span>{t}</span>{icons}</div>' for t in texts[2:]))
    body = body_of(html)
    assert all(t in body for t in texts)
