"""bench/render_month.py measures what it says (the instrument of docs/scale.md's "A render reads its
changed months whole"): the month it fills is read whole by the render, the read units follow the
month's size, and the S3 PUTs are the burst's pages and the files that list them. No timing is asserted."""
from __future__ import annotations

import json

from bench import render_month


def test_the_bench_reads_the_month_it_filled_and_counts_the_renders_writes(capsys):
    assert render_month.main(["--sizes", "30", "90", "--burst", "2"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["sizes"] == [30, 90]
    assert "30 entries: render" in out and "33 entries read" in out  # 30 filled, the template, 2 of the burst
    assert "97 entries read" in out  # 90 filled, the template, the first size's 4, 2 of this burst
    # 2 pages, the month's archive page, 3 feeds, the language index, the root index (its count changed);
    # the second render also relinks the first burst's newest page, which now has a newer neighbour
    assert figures["s3_puts"] == [8, 9]
    small, large = figures["rru"]
    assert 2.5 < large / small < 3.5  # the whole month is read: three times the entries, ~three times the units
    assert figures["peak_mb"][1] > figures["peak_mb"][0] > 0
