"""Why a drop (or one item of it) was refused. Codes are stable: metrics,
records and operators' queries use them."""
from __future__ import annotations

CODES = {
    "empty": "the drop has no content",
    "too_large": "the drop is larger than the size cap",
    "binary": "the drop is binary, not text",
    "compressed": "the drop is compressed (gzip, zip, bzip2, xz, zstd); send it uncompressed",
    "undecodable": "the bytes do not decode to text in any supported encoding",
    "unknown_format": "the content is not any supported format",
    "no_article_text": "no article text was found",
    "feed_empty": "the feed has no items",
    "unsafe_xml": "the XML uses entity declarations or external entities",
    "malformed": "the file is truncated or malformed",
    "invalid_item": "one item of a multi-article drop could not be read",
    "not_found": "the object is gone",
    "no_partner": "the key has no partner folder: drops go under incoming/<partner>/",
    "too_slow": "parsing the drop took longer than its time budget (the message names the stage that ran out)",
    "parser_error": "the parser failed on this input in a way nobody foresaw: a bug to fix, then replay the drop",
}


class Rejected(Exception):
    """A drop or an item the pipeline refuses, with a stable code and a specific message."""

    def __init__(self, code: str, message: str):
        if code not in CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def to_record(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
