"""The article text of a page: trafilatura first, readability-lxml as a second opinion when
that finds too little, then the page's byline/dateline lines, licence lines and boxes taken out."""
from __future__ import annotations

import logging
import re
from collections import Counter

import lxml.html
import trafilatura
from lxml import etree
from trafilatura import xpaths

from synd.budget import call_with_deadline, checkpoint, remaining
from synd.errors import Rejected
from synd.formats.html.meta import fold
from synd.text.body import clean_paragraphs
from synd.text.header import Meta, licence_line, read_line

MIN_BODY_CHARS = 40
# trafilatura runs without its internal fallbacks (fast=True: they cost a third more time on every
# page, and add boilerplate to long pages); when it finds less prose than this, readability-lxml
# gets a say (a short reading is often a cut one: text in `<div><span>`s among SVG icons).
SECOND_OPINION_CHARS = 600
READABILITY_SECONDS = 5.0  # the longest readability-lxml may take on one page (see _readability)
# readability logs the failures it raises (`Unparseable`) as ERROR with a traceback; they are handled
# here, and an ERROR line in the ingest logs must mean a failed record.
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)


def extract_body(tree, html: str, title: str) -> tuple[str, list[str], Meta]:
    """The article text, the licence lines that closed it, and what a byline or dateline
    above the text said (the extractor keeps those as the first paragraphs).

    trafilatura first, readability-lxml when that finds too little prose."""
    prepare_tree(tree)
    checkpoint("html trafilatura")
    text = _trafilatura(tree)
    if len(_prose(text)) < SECOND_OPINION_CHARS:  # little or nothing: ask readability, keep the fuller text
        checkpoint("html readability")
        text = max(text, _readability(html), key=lambda t: len(_prose(t)))
    checkpoint("html body cleaning")
    paragraphs = [line for line in table_rows(text).split("\n") if line.strip()]
    if paragraphs and title and is_title_echo(paragraphs[0], title):
        paragraphs = paragraphs[1:]
    found = Meta()
    while len(paragraphs) > 1 and len(paragraphs[0]) < 200 and read_line(paragraphs[0], found, where="header"):
        paragraphs = paragraphs[1:]
    trailing: list[str] = []
    while paragraphs and licence_line(paragraphs[-1]) and len(paragraphs) > 1:
        trailing.insert(0, " ".join(paragraphs.pop().split()))
    body = "\n\n".join(clean_paragraphs(paragraphs))
    if len(body) < MIN_BODY_CHARS:
        raise Rejected("no_article_text",
                       "the page has no article text (neither trafilatura nor readability found any)")
    return body, trailing, found


# --- the tree handed to trafilatura --------------------------------------------------------------

# Widgets whose text is never the article: video players (video.js, JW Player, YouTube's) and
# their dialogs ("This is a modal window."), picture galleries and slideshows.
PLAYER_CLASS = re.compile(r"(?:^|\s)(?:video-js|vjs-[\w-]+|jw-[\w-]+|jwplayer|ytp-[\w-]+|mejs-[\w-]+)(?:\s|$)")
GALLERY_CLASS = re.compile(r"gallery|slideshow|carousel|lightbox", re.I)
GALLERY_MAX_CHARS = 200  # a gallery's captions are short; a block holding longer prose is kept


def prepare_tree(tree) -> None:
    """Take out of the tree what makes trafilatura lose article text or keep widget text."""
    drop_comments(tree)
    unmark_prose_boxes(tree)
    drop_widgets(tree)
    drop_link_lists(tree)
    math_as_text(tree)
    bare_text_as_paragraphs(tree)
    join_split_body(tree)


def drop_comments(tree) -> None:
    """React pages put `<!-- -->` between the text runs of one paragraph, and trafilatura keeps only
    the text before the first one (the comment's tail is lost): comments go, their tails stay."""
    etree.strip_elements(tree, etree.Comment, with_tail=False)


PROSE_CHARS = 150  # a paragraph this long is prose, not a caption or a label


# Elements below <body> whose inline style mentions a border, found through their style attributes
# (libxml2 walks those faster than it tests every element's).
BORDERED = etree.XPath("//body//*/@style[contains(., 'border')]/..")


def unmark_prose_boxes(tree) -> None:
    """trafilatura's precision mode drops every element whose inline style mentions a border:
    an article whose paragraphs after the first sit in a bordered wrapper kept only its first
    paragraph. A bordered element that holds several paragraphs of prose loses its style."""
    for element in BORDERED(tree):
        prose = [p for p in element.iter("p") if len(" ".join(p.text_content().split())) >= PROSE_CHARS]
        if len(prose) >= 2:
            del element.attrib["style"]


def drop_widgets(tree) -> None:
    """Players and galleries leave the tree (their tails stay: a tail is the text that follows)."""
    doomed = []
    for element in tree.iter("div", "section", "figure", "aside", "ul", "span", "video"):
        marks = f'{element.get("class") or ""} {element.get("id") or ""}'
        gallery = GALLERY_CLASS.search(marks) and not _holds_prose(element)
        if element.tag == "video" or PLAYER_CLASS.search(marks) or gallery:
            doomed.append(element)
    marked = set(doomed)
    for element in doomed:
        if element.getparent() is not None and not any(a in marked for a in element.iterancestors()):
            element.drop_tree()


def _holds_prose(element) -> bool:
    return any(len(" ".join(p.text_content().split())) > GALLERY_MAX_CHARS for p in element.iter("p", "li", "div")
               if p is not element and not len(p.xpath("./p|./div")))


def drop_link_lists(tree) -> None:
    """A list whose every item is nothing but a link (`More stories: <ul><li><a>...`) and a paragraph
    that is nothing but a link are related links and teasers, not the article."""
    lists = tree.xpath("//ul[count(li) > 1][not(li[not(.//a)])] | //ol[count(li) > 1][not(li[not(.//a)])]")
    paragraphs = tree.xpath("//p[a][not(text()[normalize-space()])]")  # no text of its own outside its children
    for block in lists + paragraphs:
        items = block.findall("li") if block.tag != "p" else [block]
        if all(_only_a_link(item) for item in items) and block.getparent() is not None:
            block.drop_tree()


def _only_a_link(element) -> bool:
    """At least 90% of the element's text (spaces made single) is the text of its links.

    The links' text is measured as it is joined (one space between two links' texts) and the
    count stops as soon as it reaches the mark: in a menu of nested lists, each item's links
    are read once, not all of them for every item."""
    text = " ".join(element.text_content().split())
    if not text:
        return False
    needed, linked = 0.9 * len(text), -1
    for a in element.iter("a"):
        linked += 1 + len(" ".join(a.text_content().split()))
        if linked >= needed:
            return True
    return max(linked, 0) >= needed


MATH_TOKENS = ("mi", "mn", "mo", "mtext", "ms")


def math_as_text(tree) -> None:
    """MathML is dropped by trafilatura: each <math> becomes its text, the formula's `alttext`
    when it has one, else its tokens (identifiers, numbers, operators) in order."""
    for math in list(tree.iter("math", "{http://www.w3.org/1998/Math/MathML}math")):
        text = math.get("alttext") or " ".join(
            (token.text or "").strip() for token in math.iter()
            if isinstance(token.tag, str) and token.tag.rsplit("}", 1)[-1] in MATH_TOKENS
            and (token.text or "").strip())
        span = etree.Element("span")
        span.text, span.tail = text, math.tail
        math.getparent().replace(math, span)


BLOCKS = {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "dl", "table",
          "form", "figure", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "script", "style",
          "noscript", "iframe", "template", "select", "button", "svg"}
BARE_TEXT_CHARS = 80  # a run of text this long straight in a <div> is a paragraph, not a label


def bare_text_as_paragraphs(tree) -> None:
    """Text written straight into a <div> (`<div class="content">First paragraph.<br><br>Second...`)
    is lost by trafilatura's precision mode, which reads paragraphs: each long run of a div's own
    text and inline elements, up to a block child or a double <br>, becomes a <p>."""
    for div in tree.xpath("//div[text()[string-length(normalize-space()) > 20]]"):
        if not _in_article(div):
            continue
        runs, run = [], []
        if (div.text or "").strip():
            run.append(("text", div.text))
        for child in list(div):
            if not isinstance(child.tag, str) or child.tag in BLOCKS or (child.tag == "br" and _double_break(child)):
                runs.append((run, child)) if run else None
                run = []
            else:
                run.append(("element", child))
            if child.tail and child.tail.strip():
                run.append(("tail", child))
        if run:
            runs.append((run, None))
        for pieces, before in runs:
            _wrap_run(div, pieces, before)


ARTICLE_MARK = re.compile(r"article|content|story|summary|body|entry|post|text|lead", re.I)
CHROME_MARK = re.compile(r"foot|copyright|comment|support|promo|related|share|sidebar|newsletter|subscri|donat|"
                         r"social|widget|teaser|recommend", re.I)
ARTICLE_LEVELS = 3  # the div or one of its nearest ancestors says it holds the article


def _in_article(div) -> bool:
    """A div inside the article's own container (`div.content`, `div.article__summary`), and in
    no footer, comment, promotion or sidebar block: bare text elsewhere is page chrome."""
    chain = [div, *div.iterancestors()]
    marks = [f'{e.get("class") or ""} {e.get("id") or ""}' for e in chain]
    if any(CHROME_MARK.search(mark) for mark in marks):
        return False
    return any(ARTICLE_MARK.search(mark) for mark in marks[:ARTICLE_LEVELS + 1])


def _double_break(br) -> bool:
    """A <br> followed (blank text between) by another <br>: a paragraph break."""
    following = br.getnext()
    return following is not None and following.tag == "br" and not (br.tail or "").strip()


def _wrap_run(div, pieces: list, before) -> None:
    """Move a run of the div's own text and inline children into a new <p> placed where the run was."""
    text = "".join(item if kind == "text" else item.tail if kind == "tail" else item.text_content()
                   for kind, item in pieces)
    if len(" ".join(text.split())) < BARE_TEXT_CHARS:
        return
    paragraph = etree.Element("p")
    for kind, item in pieces:
        if kind == "text":
            paragraph.text, div.text = item, None
        elif kind == "element":
            paragraph.append(item)  # moves the element with its tail
        elif item.getparent() is not paragraph:  # the tail of a block or <br> that stays in the div
            _append_text(paragraph, item.tail)
            item.tail = None
    if before is None:
        div.append(paragraph)
    else:
        before.addprevious(paragraph)


def _append_text(element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


BODY_CLASS = re.compile("|".join(xpaths._ARTICLE_CONTENT_CLASS_TOKENS) + "|^(?:post|entry)$")


def join_split_body(tree) -> None:
    """An article body split into several blocks of the same kind (`<div class="article__body">`
    between ads, pull quotes and newsletter boxes): trafilatura reads only the first block that its
    body expression finds, so the later blocks of that class are moved into the first, in page order."""
    blocks = tree.xpath("//div[@class] | //section[@class] | //article[@class] | //main[@class]")
    counts = Counter((block.tag, block.get("class")) for block in blocks)
    split = {key for key, count in counts.items() if count > 1 and BODY_CLASS.search(key[1])}
    if not split:
        return
    first = next(block for block in blocks if (block.tag, block.get("class")) in split)
    moved = [first]
    for block in blocks:
        if block is first or (block.tag, block.get("class")) != (first.tag, first.get("class")):
            continue
        if any(a in moved for a in block.iterancestors()) or any(a is block for a in first.iterancestors()):
            continue  # inside a block already read, or around the first one
        if block.text and block.text.strip():
            etree.SubElement(first, "span").text = block.text
        first.extend(list(block))
        moved.append(block)


def _trafilatura(tree) -> str:
    """trafilatura's text, favouring precision (its recall mode keeps related links and teasers),
    with tables (a page whose article is a standings table), without its internal fallbacks
    (fast=True: readability-lxml is asked here instead, when the text is short)."""
    try:
        return trafilatura.extract(tree, favor_precision=True, include_comments=False, include_tables=True,
                                   fast=True, with_metadata=False, deduplicate=False) or ""
    except Exception:  # noqa: BLE001  # odd markup can trip any extractor: readability gets its turn
        return ""


# --- trafilatura's text to paragraphs ---------------------------------------------------------------

TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")


def _prose(text: str) -> str:
    """The text without its table rows: a layout table of teasers is not article prose."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("|"))


def table_rows(text: str) -> str:
    """trafilatura writes a table as Markdown rows (`| a | b |`, a `|---|` rule under the header,
    the header row repeated when it is a <thead>): each row becomes one line `a | b`, once."""
    lines, previous = [], None
    for line in text.split("\n"):
        if line.startswith("|"):
            if TABLE_RULE.match(line):
                continue
            cells = [" ".join(cell.split()) for cell in line.strip().strip("|").split("|")]
            line = " | ".join(cell for cell in cells if cell)
            if not line or line == previous:
                continue
        lines.append(line)
        previous = line
    return "\n".join(lines)


HEADLINE_TAIL = re.compile(r"^\s*(?:[|–—:·•»/-]|::)")


def is_title_echo(paragraph: str, title: str) -> bool:
    """The extractor's first line repeats the headline: the headline itself, a part of it, or the
    fuller <title> form (`Headline | Site`, `Headline: subtitle`); never prose that starts with it."""
    first, head = fold(paragraph), fold(title)
    if not first or not head or len(first) >= 300:
        return False
    if first == head or head.startswith(first):
        return True
    return first.startswith(head) and bool(HEADLINE_TAIL.match(first[len(head):]))


def _readability(html: str) -> str:
    """readability-lxml's reading of the page, as lines.

    It runs in a forked child killed after READABILITY_SECONDS (or what the drop's budget has
    left): readability-lxml is quadratic or worse on some pages (67 KB of unclosed `<div>`s took
    138 s; a multi-line `<meta http-equiv=refresh>` makes lxml's link regex backtrack), and it
    cannot be interrupted in this process. Out of time, the page simply has no second opinion."""
    seconds = min(READABILITY_SECONDS, remaining(READABILITY_SECONDS))
    summary = call_with_deadline(_readability_summary, html, seconds, default="")
    if not summary:
        return ""
    try:
        tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # an empty page gives `<html><head/></html>`
        return ""
    blocks = tree.xpath("//p | //h2 | //h3 | //h4 | //li | //blockquote | //pre")
    lines = [" ".join(b.text_content().split()) for b in blocks]
    if not lines:
        lines = [" ".join(tree.text_content().split())]
    return "\n".join(line for line in lines if line)


def _readability_summary(html: str) -> str:
    from readability import Document

    try:
        return Document(html).summary(html_partial=True)
    except Exception:  # noqa: BLE001  # readability raises bare Unparseable/ValueError on odd markup
        return ""

