"""The layer `sam build` makes, on its own: no .venv site-packages, only the layer's python/ (as
Lambda's /opt/python), its model and its config, then the runtime's SDK (boto3, botocore,
s3transfer: the python3.11 runtime ships them, the layer does not; .venv's copies of the pinned
versions stand in). CI runs `make build` before `make test`; locally the tests run once
`make build` has."""
from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / ".aws-sam" / "build" / "SyndLayer"
PYTHON = LAYER / "python"
RUNTIME_SDK = ("boto3", "botocore", "s3transfer")
PRUNED = ("aws_lambda_powertools.event_handler", "lxml.objectify")  # shared/Makefile prune-layer

pytestmark = pytest.mark.skipif(not LAYER.is_dir(), reason="no .aws-sam/build/SyndLayer: run `make build` first")

# Run in a fresh `python -S`: an audit hook records every source file compiled (a module whose
# bytecode is missing or refused is compiled from source, as on each cold start before).
SCRIPT = """
import json, sys
compiled = []
sys.addaudithook(lambda event, args: event == "compile" and isinstance(args[1], str) and compiled.append(args[1]))
sys.path[:0] = [{handler!r}, {python!r}, {sdk!r}]
import app  # the handler module, as Lambda imports it
got = {{"compiled": [f for f in compiled if f.startswith({python!r})],
        "xray": sorted(m for m in sys.modules if m.split(".")[0] == "aws_xray_sdk"),
        "boto3": __import__("boto3").__file__, "synd": __import__("synd").__file__}}
if {sample!r}:
    from synd.pipeline import make_source, parse_drop
    from synd.settings import partner_settings
    data = open({sample!r}, "rb").read()
    [article] = parse_drop(data, make_source(data), partner_settings("opendemocracy")).articles
    got.update(title=article.title, language=article.language.language, license=article.license.spdx)
    import courlan  # trafilatura's URL filters: babel's locale data is pruned, its language filter still answers
    got["lang_filter"] = [courlan.lang_filter("https://example.org/de/artikel/1", "de"),
                          courlan.lang_filter("https://example.org/en/story/1", "de")]
    from synd.publish.locale import SITE_LOCALES, human_date, language_name  # the site's locales are kept
    got["site_dates"] = [human_date("2023-12-10", lang) + " " + language_name(lang) for lang in SITE_LOCALES]
print(json.dumps(got))
"""


@pytest.fixture(scope="module")
def runtime_sdk(tmp_path_factory) -> Path:
    """A stand-in for the runtime's site-packages: links to the pinned boto3, botocore, s3transfer."""
    into = tmp_path_factory.mktemp("runtime")
    for name in RUNTIME_SDK:
        (into / name).symlink_to(Path(importlib.util.find_spec(name).origin).parent)
    return into


def run_handler(function: str, sdk: Path, sample: Path | None = None, **env: str) -> dict:
    script = SCRIPT.format(python=str(PYTHON), handler=str(REPO / "functions" / function), sdk=str(sdk),
                           sample=str(sample) if sample else "")
    base = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1",  # /opt and /var/task are read-only
            "LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_TRACE_DISABLED": "true",
            "AWS_DEFAULT_REGION": "us-east-1", "TABLE_NAME": "t", "PROCESSED_BUCKET": "p", "PUBLISH_QUEUE_URL": "q",
            "SITE_BUCKET": "s", "SYND_LID_MODEL": str(LAYER / "model" / "lid.176.ftz"),
            "SYND_CONFIG_DIR": str(LAYER / "config")}
    proc = subprocess.run([sys.executable, "-S", "-c", script], env={**base, **env}, capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_built_layer_runs_the_core_on_its_own(runtime_sdk):
    got = run_handler("ingest", runtime_sdk, REPO / "samples" / "opendemocracy" / "003_8c237974b6d2240c.txt")
    assert got["synd"].startswith(str(PYTHON))
    assert (got["language"], got["license"]) == ("en", "CC-BY-ND-4.0")
    assert got["title"].startswith("While the West focused on Afghanistan")
    assert all(isinstance(answer, bool) for answer in got["lang_filter"])
    from synd.publish.locale import SITE_LOCALES, human_date, language_name  # the same as with all of CLDR
    assert got["site_dates"] == [human_date("2023-12-10", lang) + " " + language_name(lang) for lang in SITE_LOCALES]


@pytest.mark.parametrize("function", ["ingest", "publish"])
def test_a_handler_imports_from_bytecode_without_xray_when_tracing_is_off(function, runtime_sdk):
    got = run_handler(function, runtime_sdk)
    assert got["compiled"] == []  # every module of the layer came from its .pyc
    assert got["xray"] == []
    assert got["boto3"].startswith(str(runtime_sdk))  # the runtime's, not the layer's


def test_a_handler_with_tracing_on_still_imports(runtime_sdk):
    got = run_handler("publish", runtime_sdk, POWERTOOLS_TRACE_DISABLED="false")
    assert "aws_xray_sdk.core" in got["xray"]


def test_every_module_has_unchecked_hash_bytecode_for_python_3_11():
    """Lambda's /opt is read-only and its mtimes are the zip's: only hash-based, unchecked pycs are
    used as they are (flags 0b01: hash-based, source not checked) and never rewritten."""
    assert sys.version_info[:2] == (3, 11)
    sources = sorted(PYTHON.rglob("*.py"))
    assert len(sources) > 500
    for source in sources:
        pyc = Path(importlib.util.cache_from_source(str(source)))
        header = pyc.read_bytes()[:16]
        assert header[:4] == importlib.util.MAGIC_NUMBER, pyc
        assert int.from_bytes(header[4:8], "little") == 0b01, pyc
        assert header[8:16] == importlib.util.source_hash(source.read_bytes()), pyc
    stray = [p for p in PYTHON.rglob("*.pyc") if not p.name.endswith(".cpython-311.pyc")]
    assert stray == []


def test_the_layer_leaves_out_the_runtime_sdk_and_what_nothing_imports():
    for name in RUNTIME_SDK:
        assert not (PYTHON / name).exists() and not list(PYTHON.glob(f"{name}-*.dist-info")), name
    from synd.publish.locale import SITE_LOCALES  # the site's locales stay, for its labels and dates
    assert sorted(p.name for p in (PYTHON / "babel" / "locale-data").iterdir() if p.suffix == ".dat") == \
        sorted(["root.dat", *(f"{locale}.dat" for locale in SITE_LOCALES)])
    assert not list(PYTHON.glob("*/tests"))
    for source in (REPO / "shared" / "synd").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) and node.module else []
            assert not [n for n in names for p in PRUNED if n == p or n.startswith(p + ".")], source
