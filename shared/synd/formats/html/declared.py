"""What a page declares about itself in markup made for machines: <meta> tags and JSON-LD.

The other metadata modules (dates, authors, meta) read these before any guessing from the visible page."""
from __future__ import annotations

from synd.formats import jsondata, text_or_none

VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"


def meta_index(tree) -> dict[str, str]:
    """Every <meta name|property|itemprop=... content=...> of the page, first one of each key wins."""
    metas: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("name", "property", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().casefold()
            if key and key not in metas:
                metas[key] = content
    return metas


def meta(metas: dict[str, str], *names: str) -> str | None:
    """The content of the first of `names` that the page declares."""
    for name in names:
        if name.casefold() in metas:
            return metas[name.casefold()]
    return None


def json_ld(tree) -> list[dict]:
    """Every JSON-LD object on the page, @graph flattened."""
    objects: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = jsondata.loads(script.text_content() or "")
        except ValueError:  # invalid, or nested past jsondata.MAX_DEPTH: the page's other metadata stays
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                stack.extend(graph if isinstance(graph, list) else [graph] if isinstance(graph, dict) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return objects


ARTICLE_TYPES = ("BlogPosting", "Report", "NewsArticle", "LiveBlogPosting", "ScholarlyArticle")


def article_ld(objects: list[dict]) -> dict:
    """The JSON-LD object that describes the article: an *Article or BlogPosting before a WebPage
    or CreativeWork; `{"@id": ...}` references to other nodes of the page (a Yoast graph names its
    authors in separate Person nodes) are replaced by those nodes."""
    def rank(item: dict) -> int:
        kind = item.get("@type")
        kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
        if any(k.endswith("Article") or k in ARTICLE_TYPES for k in kinds):
            return 0
        return 1 if any(k in ("WebPage", "CreativeWork") for k in kinds) else 2

    ranked = sorted((item for item in objects if rank(item) < 2), key=rank)
    if not ranked:
        return {}
    nodes = {item["@id"]: item for item in objects if isinstance(item.get("@id"), str) and len(item) > 1}
    article = dict(ranked[0])
    for key in ("author", "creator", "publisher"):
        article[key] = _resolve(article.get(key), nodes)
    return article


def _resolve(value, nodes: dict[str, dict]):
    if isinstance(value, list):
        return [_resolve(item, nodes) for item in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in nodes:
        return nodes[value["@id"]]
    return value


def name_of(value) -> str | None:
    """The name a JSON-LD value gives: a string, a node's `name`, the first of a list; never a non-string."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return text_or_none(value) or None


def url_of(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return text_or_none(value) or None



def meta_values(tree) -> dict[str, list[str]]:
    """The contents of every <meta> by its name (or property), in page order, once each: one pass
    over the page's <meta> tags for all the names a reader tries in turn."""
    values: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().casefold()
        content = " ".join((element.get("content") or "").split())
        if content and content not in values.setdefault(name, []):
            values[name].append(content)
    return values
