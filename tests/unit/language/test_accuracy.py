"""Accuracy on the labelled set (tests/data/language/samples.jsonl, real UDHR texts)."""
from collections import Counter

from synd.language import detect

LANGUAGES = {"en", "fa", "ps", "ar", "ur", "fr", "de", "es", "ru", "tr", "zh"}
ARABIC_SCRIPT = {"fa", "ps", "ar", "ur"}


def test_labelled_set_covers_eleven_languages_with_twenty_samples_per_length(samples):
    counts = Counter((s["lang"], s["length"]) for s in samples)
    for lang in LANGUAGES:
        assert counts[(lang, "short")] >= 20, lang
        assert counts[(lang, "long")] >= 20, lang


def _errors(samples, length):
    chosen = [s for s in samples if s["length"] == length]
    wrong = [(s["lang"], detect(s["text"]).language, s["text"][:60]) for s in chosen]
    return [w for w in wrong if w[0] != w[1]], len(chosen)


def test_short_texts_at_least_99_percent(samples):
    wrong, total = _errors(samples, "short")
    assert 1 - len(wrong) / total >= 0.99, wrong


def test_short_texts_never_confuse_persian_pashto_urdu_arabic(samples):
    wrong, _ = _errors(samples, "short")
    assert [w for w in wrong if w[0] in ARABIC_SCRIPT and w[1] in ARABIC_SCRIPT] == []


def test_long_texts_all_right(samples):
    wrong, _ = _errors(samples, "long")
    assert wrong == []


def test_long_texts_have_confident_tags_and_the_right_direction(samples):
    for s in (s for s in samples if s["length"] == "long"):
        tag = detect(s["text"])
        assert tag.confidence >= 0.5, s["text"][:60]
        assert tag.direction == ("rtl" if s["lang"] in ARABIC_SCRIPT else "ltr")


def test_software_messages_from_debian_translations(ui_samples):
    """Another kind of real short text (ui_samples.jsonl): product names, jargon, few words."""
    wrong = [(s["lang"], detect(s["text"]).language, s["text"]) for s in ui_samples]
    wrong = [w for w in wrong if w[0] != w[1]]
    assert len(ui_samples) >= 300
    assert 1 - len(wrong) / len(ui_samples) >= 0.98, wrong
    assert [w for w in wrong if w[0] in ARABIC_SCRIPT and w[1] in ARABIC_SCRIPT] == []


def test_neighbours_in_the_same_scripts_are_left_alone():
    """Punjabi (Shahmukhi), Uyghur, Hebrew, Dhivehi: the Persian/Pashto/Urdu/Arabic rules must not take them."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "data" / "language" / "neighbours.jsonl"
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    assert {r["lang"] for r in rows} == {"pa-Arab", "ug", "he", "dv"}
    wrong = [(r["lang"], detect(r["text"]).language) for r in rows if detect(r["text"]).language != r["lang"]]
    assert wrong == []
    assert all(detect(r["text"]).direction == "rtl" for r in rows)
