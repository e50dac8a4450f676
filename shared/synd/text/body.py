"""Paragraph-level cleaning of article bodies, shared by every format.

Works on a list of paragraphs: drops calls to action (petition, newsletter,
donate, "Read more"), end markers and reference lists, feed footers, and
rejoins paragraphs that a page break split mid-sentence.
"""
from __future__ import annotations

import re

# A short paragraph that ends with (or is) one of these is a box, not the article.
CALL_TO_ACTION = re.compile(
    r"(sign (?:the|our|this) petition|sign up(?: now| here| today)?|subscribe(?: now| today| here)?|"
    r"donate(?: now| today)?|support (?:us|our (?:work|journalism))(?: today)?|become a (?:member|supporter|patron)|"
    r"join (?:us|our newsletter|the conversation)|get (?:our|the) newsletter|sign up for (?:our|the) newsletter|"
    r"read more|continue reading|learn more|click here|share this(?: article| story)?|follow us on \w+|"
    r"lire la suite|abonnez-vous|faites un don|weiterlesen|jetzt spenden|newsletter abonnieren|leer más|suscríbete|"
    r"dona ahora|читать далее|подписаться|подпишитесь|поддержите нас|ادامه مطلب|ادامه خبر|عضویت در خبرنامه|"
    r"حمایت کنید|عضو شوید|اقرأ المزيد|اشترك الآن|تبرع الآن|haz una donación|bağış yapın|destek olun|abone olun|"
    r"سبسکرائب کریں|عطیہ دیں|حمایت کریں|ګډون وکړئ|مرسته وکړئ|立即捐款|捐款|打赏|订阅)[\s.!:»>→…。！۔]*$",
    re.IGNORECASE,
)
# A short teaser that names a newsletter or an inbox is a sign-up box wherever the phrase sits.
NEWSLETTER = re.compile(
    r"newsletter|your inbox|dans votre boîte|in ihr(?:em)? postfach|en tu (?:correo|bandeja)|"
    r"на вашей почте|на почту|рассылк|خبرنامه|النشرة البريدية|نشرتنا|بريدك الإلكتروني|نیوز لیٹر|bülten|"
    r"lettre d['’]information|infolettre|خبرپاڼ|新闻简报|电子报",
    re.IGNORECASE,
)
MAX_TEASER_WORDS = 25
# A short paragraph that *opens* with an appeal to subscribe, sign up or give (the verb-first languages).
APPEAL_START = re.compile(
    r"^\W*(?:subscribe|sign up|donate|support (?:us|our|independent)|become a (?:member|supporter|subscriber)|"
    r"abonnez-vous|inscrivez-vous|soutenez-nous|faites un don|abonnieren sie|jetzt (?:abonnieren|spenden)|"
    r"unterstützen sie|suscríbete|suscríbase|apóyanos|apoya (?:el periodismo|nuestro)|подпишитесь|поддержите|"
    r"abone ol|اشترك|ادعم|مشترک شوید|订阅|支持我们)",
    re.IGNORECASE,
)
# Text of a video player or gallery widget that a page left in its markup.
WIDGET_LINE = re.compile(
    r"^(?:this is a modal window|beginning of dialog window\b.*|end of dialog window|"
    r"your browser does not support (?:the )?(?:video|audio)(?: tag| element)?|"
    r"(?:image|photo|foto|bild|фото|صورة|عکس|图片) \d+ (?:of|de|von|из|از|من|/) \d+)\W*$",
    re.IGNORECASE,
)
LEADING_CTA = re.compile(r"^(read more|related|see also|recommended|more on this|further reading|"
                         r"lire aussi|à lire aussi|mehr zum thema|lee también|"
                         r"читайте также|بیشتر بخوانید|اقرأ أيضا)\b\s*[:：]",
                         re.IGNORECASE)
END_MARKER = re.compile(r"^\s*(?:\[\s*end\s*\]|-+\s*end\s*-+|\(end\)|-30-)\s*$", re.IGNORECASE)
REFERENCE_LINE = re.compile(r"^\s*\[(\d+)\]\s*(?:(?:url|link|source)\s*:\s*)?(\S.*)$", re.IGNORECASE)
FEED_FOOTER = re.compile(
    r"^(the post .{1,200} appeared first on .{1,100}|this (?:article|story|post) (?:was )?(?:originally )?"
    r"(?:appeared|published|first published) (?:on|in|at) .{1,100}|"
    r"(?:this|the) (?:entry|post) .{1,200} was (?:posted|published) .{1,200})\.?$",
    re.IGNORECASE,
)
SENTENCE_END = tuple(".!?…:;\"'”’»)]}؟۔。！？")
MAX_BOX_WORDS = 80
MIN_OPEN_CLAUSE_WORDS = 3
CLAUSE_MARK = re.compile(r"[.!?…:;,،؛؟()\[\]«»\"“”]")
CLAUSE_TAIL_CHARS = 300  # the last clause is looked for here, not in the whole (perhaps huge) paragraph


def is_box(paragraph: str) -> bool:
    """A call-to-action box, related-links line or feed footer, not article text."""
    if len(paragraph.split(None, MAX_BOX_WORDS)) > MAX_BOX_WORDS:  # counted without splitting a long paragraph
        return False
    text = " ".join(paragraph.split())
    short = _words(text) <= MAX_TEASER_WORDS
    return bool(CALL_TO_ACTION.search(text[-60:]) or LEADING_CTA.match(text) or FEED_FOOTER.match(text)
                or WIDGET_LINE.match(text) or (short and (NEWSLETTER.search(text) or APPEAL_START.match(text))))


UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _words(text: str) -> int:
    """Words of a paragraph; Chinese and Japanese, written without spaces, count a word per 1.5 characters."""
    return max(len(text.split()), len(UNSPACED.findall(text)) * 2 // 3)


def join_broken(paragraphs: list[str], min_chars: int = 60) -> list[str]:
    """Rejoin a paragraph that a page break split mid-sentence.

    A prose paragraph (not a short heading-like line) that ends on a word or a
    comma, without sentence-final punctuation, continues in the next block.
    """
    groups: list[list[str]] = []  # the pieces of each paragraph, joined once at the end (joining at
    lengths: list[int] = []  # each step copied the growing paragraph: 80,000 pieces took 95 s)
    for paragraph in paragraphs:
        if groups and paragraph[:1].isalnum() and _unfinished(_ending(groups[-1]), lengths[-1], min_chars):
            groups[-1].append(paragraph)
            lengths[-1] += 1 + len(paragraph)
        else:
            groups.append([paragraph])
            lengths.append(len(paragraph))
    return [" ".join(group) for group in groups]


def _ending(pieces: list[str]) -> str:
    """The last CLAUSE_TAIL_CHARS characters (or more) of the pieces as joined, without joining them all."""
    ending, at = pieces[-1], len(pieces) - 1
    while len(ending) < CLAUSE_TAIL_CHARS and at > 0:
        at -= 1
        ending = f"{pieces[at]} {ending}"
    return ending


def _unfinished(paragraph: str, length: int, min_chars: int) -> bool:
    """Ends inside a sentence: on a word, with several words since the last punctuation mark
    (a clause-list paragraph ending `...; and` or `...,` is finished as its author meant it).
    `paragraph` is the paragraph's ending, `length` its whole length."""
    if length < min_chars or paragraph.endswith(SENTENCE_END) or paragraph[-1] in ",،;؛":
        return False
    last = paragraph[-1]
    if not last.isalpha() or last.isupper():
        return False
    tail = CLAUSE_MARK.split(paragraph[-CLAUSE_TAIL_CHARS:])[-1]
    return len(tail.split()) >= MIN_OPEN_CLAUSE_WORDS


def references(lines: list[str]) -> dict[int, str]:
    """`[1] Url: https://...` lines -> {1: "https://..."} (the first URL on the line)."""
    refs: dict[int, str] = {}
    for line in lines:
        match = REFERENCE_LINE.match(line)
        if match:
            url = re.search(r"(?:https?|gopher|ftp)://\S+|www\.\S+", match.group(2))
            refs[int(match.group(1))] = url.group(0).rstrip(".,;)>") if url else match.group(2).strip()
    return refs


def _is_reference_block(paragraph: str) -> bool:
    lines = [line for line in paragraph.split("\n") if line.strip()]
    all_references = bool(lines) and all(REFERENCE_LINE.match(line) for line in lines)
    return all_references and bool(re.search(r"://|www\.", paragraph))


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """The article's paragraphs without boxes, end markers or a trailing reference list,
    page breaks rejoined. Paragraphs come in with their line breaks; they go out folded."""
    kept = [p for p in paragraphs if p.strip() and not END_MARKER.match(p)]
    while kept and _is_reference_block(kept[-1]):
        kept.pop()
    folded = [" ".join(p.split()) for p in kept]
    return join_broken([p for p in folded if not is_box(p)])
