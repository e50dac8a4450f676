"""Language tagging: which language, script and direction an article is in.

`detect(text)` tags one piece of text; `tag_article(title, body, partner)`
tags an article paragraph by paragraph and applies the partner's settings.
The detector is fastText's lid.176 model (CC BY-SA 3.0) plus letter rules for
Persian, Pashto, Urdu and Arabic; see docs/language.md.
"""
from synd.language.detect import detect
from synd.language.model import load
from synd.language.tagging import tag_article

__all__ = ["detect", "load", "tag_article"]
