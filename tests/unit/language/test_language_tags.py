"""synd.language.tags.safe_tag: a declared language is a valid BCP 47 tag in canonical form, or nothing."""
import pytest

from synd.language import tag_article
from synd.language.tags import MAX_TAG_LENGTH, safe_tag
from synd.settings import PartnerSettings


@pytest.mark.parametrize("declared, tag", [
    ("fa", "fa"), ("fa-af", "fa-AF"), ("FA-AF", "fa-AF"), ("fa_AF", "fa-AF"), ("zh-hant", "zh-Hant"),
    ("zh-hant-tw", "zh-Hant-TW"), ("en-us", "en-US"), (" ps ", "ps"), ("de-419", "de-419"), ("und", "und"),
    ("sr-latn", "sr-Latn"), ("ckb", "ckb"), ("x-klingon", "x-klingon"),
    ("iw", "iw"), ("tl", "tl"), ("fa-Arab", "fa-Arab"),  # valid: the edges never rename a valid tag
])
def test_valid_tags_come_back_in_rfc_5646_case(declared, tag):
    assert safe_tag(declared) == tag


@pytest.mark.parametrize("declared, tag", [
    ("fa-af", "fa-AF"), ("zh-hant", "zh-Hant"), ("iw", "he"), ("in", "id"), ("eng", "en"), ("fas", "fa"),
    ("fa-Arab", "fa"), ("en-GB-oed", "en-GB-oxendict"), ("prs", "fa-AF"), ("i-klingon", "tlh"),
])
def test_a_declared_language_also_has_its_aliases_replaced(declared, tag):
    assert safe_tag(declared, replace_aliases=True) == tag


def test_the_edges_keep_every_tag_the_core_makes():
    """A page, its feed folder and the record must agree: what the core gives passes the edges unchanged."""
    from synd.language.labels import LABEL_MAP
    from synd.language.model import predict

    labels = {label.replace("__label__", "") for label, _ in predict("a text to list the labels", k=500)}
    core_tags = {LABEL_MAP.get(label, label) for label in labels} | set(LABEL_MAP.values()) | {"fa-AF", "az-Arab"}
    core_tags |= {safe_tag(t, replace_aliases=True) for t in ("iw", "eng", "zh-hant-tw", "fa_af", "sh", "tl")}
    assert len(labels) > 150
    assert {t for t in core_tags if safe_tag(t) != t} == set()


@pytest.mark.parametrize("declared", [
    None, "", "  ", 42, ["en"], "../../../etc/passwd", "..", "en/../..", "javascript:", 'en" onmouseover="alert(1)',
    "en'><script>", "en fr", "en,fr", "en;q=0.8", "en\x00", "fa\u202e", "ｅｎ", "١٢", "english", "default",
    "unknown", "zz", "xx-YY", "en--us", "en-", "-en", "a", "en-abcdefghi", "e" * 9, "en-" + "-".join(["x"] * 40),
    "en-" + "a" * (MAX_TAG_LENGTH - 3) + "b",
])
def test_anything_else_is_no_tag(declared):
    assert safe_tag(declared) is None
    assert safe_tag(declared, replace_aliases=True) is None


def test_many_distinct_tags_do_not_grow_memory_without_bound():
    """A hostile feed can declare a new private-use tag per item: the parse caches stay bounded."""
    import langcodes

    for n in range(20_000):
        assert safe_tag(f"en-x-{n:08d}") == f"en-x-{n:08d}"
    assert len(langcodes.Language._PARSE_CACHE) <= 5_000 and len(langcodes.Language._INSTANCES) <= 5_000


TOO_SHORT = "2024 — 17 — 33"  # no letters: the declared language or the partner's decides
PLAIN = PartnerSettings("plain")


@pytest.mark.parametrize("declared", ["../../../../tmp/x", 'en" onmouseover="alert(1)', "javascript:", "english"])
def test_an_invalid_declared_language_is_ignored(declared):
    assert tag_article("", TOO_SHORT, PLAIN, declared=declared).language == "und"
    assert tag_article("", TOO_SHORT, PartnerSettings("p", language="ps"), declared=declared).language == "ps"


def test_a_valid_declared_language_is_canonicalised_then_refined_by_the_partner():
    assert tag_article("", TOO_SHORT, PLAIN, declared="zh-hant").language == "zh-Hant"
    assert tag_article("", TOO_SHORT, PLAIN, declared="iw").language == "he"
    dari = PartnerSettings("afgazad", language_variants={"fa": "fa-AF"})
    assert tag_article("", TOO_SHORT, dari, declared="FA").language == "fa-AF"
