"""Issue 9, item 4: no regex of the core backtracks on hostile text.

Every pattern of synd.formats, synd.text, synd.language, synd.license and synd.decode
(module constants and literal patterns inside functions) is run against repeated hostile
runs at n and 4n characters (tests/unit/regex_audit.py). Before the fix this found 21
patterns that grew quadratically or cubically (`\\S+@\\S+\\.\\w+`, `(\\*\\*|__)(\\S(?:.*?\\S)?)\\1`,
`^\\s*(.+?)\\s+via\\s+(.+?)\\s*:?\\s*$`, `^#{1,6}\\s+(.*?)\\s*#*\\s*$`, ...); a new pattern
that does is caught here before any partner sends the text that finds it.
"""
from tests.unit.regex_audit import BOUNDED, audit, collect_sites


def test_the_audit_sees_the_patterns_of_the_core():
    where = {site.where for site in collect_sites()}
    assert len(where) > 100
    assert {"synd.formats.gopher.VIA_LINE", "synd.language.detect._NOISE", "synd.formats.markdown.BOLD"} <= where
    assert set(BOUNDED) <= where


def test_every_pattern_of_the_core_is_linear_in_hostile_text():
    findings = audit()
    assert not findings, "patterns that grow faster than their input:\n" + "\n".join(map(str, findings))
