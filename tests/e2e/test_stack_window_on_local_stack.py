"""`synd stack` prints every event as it happens (ingested, duplicate, rejected with its code, each
article version's deliveries per target), read from the same log lines the functions write: the
README says the window shows each drop as it is processed."""
from __future__ import annotations

from synd.commands.stack import StackWindow, event_line

from tests.conftest import SAMPLES
from tests.e2e.conftest import aws_cp


def test_the_window_shows_every_event_of_the_drops(stack, tmp_path):
    window = StackWindow(stack.log_file)
    window.new_records()  # what earlier tests of this module's stack did
    drop = SAMPLES / "opendemocracy" / "003_8c237974b6d2240c.txt"
    junk = tmp_path / "photo.bin"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    aws_cp(stack, drop, "incoming/opendemocracy/window.txt")
    aws_cp(stack, drop, "incoming/opendemocracy/window.txt")  # the same bytes again: a duplicate
    aws_cp(stack, junk, "incoming/opendemocracy/photo.bin")
    stack.drain(timeout=120)
    lines = [line for line in map(event_line, window.new_records()) if line]
    text = "\n".join(lines)
    assert any(" ingested " in line and "incoming/opendemocracy/window.txt  1 article(s)" in line for line in lines), text
    assert any(" duplicate " in line and "window.txt" in line for line in lines), text
    assert any(" rejected " in line and "photo.bin" in line and "binary: " in line for line in lines), text
    [published] = [line for line in lines if " published " in line]
    assert "opendemocracy" in published and " v1 " in published
    assert "site:delivered" in published and "translation_desk:withheld" in published
