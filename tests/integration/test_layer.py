"""The layer `sam build` makes, on its own: no .venv site-packages, only the layer's
python/ (as Lambda's /opt/python), its model and its config. CI runs `make build`
before `make test`; locally the test runs once `make build` has."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / ".aws-sam" / "build" / "SyndLayer"

SCRIPT = """
import json, sys
sys.path[:0] = [{python!r}, {handler!r}]
import app  # the ingest handler module, as Lambda imports it
from synd.pipeline import make_source, parse_drop
from synd.settings import partner_settings
data = open({sample!r}, "rb").read()
[article] = parse_drop(data, make_source(data), partner_settings("opendemocracy")).articles
print(json.dumps({{"title": article.title, "language": article.language.language,
                   "license": article.license.spdx, "synd": __import__("synd").__file__}}))
"""


@pytest.mark.skipif(not LAYER.is_dir(), reason="no .aws-sam/build/SyndLayer: run `make build` first")
def test_the_built_layer_runs_the_core_on_its_own():
    script = SCRIPT.format(python=str(LAYER / "python"), handler=str(REPO / "functions" / "ingest"),
                           sample=str(REPO / "samples" / "opendemocracy" / "003_8c237974b6d2240c.txt"))
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "TABLE_NAME": "t", "PROCESSED_BUCKET": "p",
           "PUBLISH_QUEUE_URL": "q", "SYND_LID_MODEL": str(LAYER / "model" / "lid.176.ftz"),
           "SYND_CONFIG_DIR": str(LAYER / "config")}
    proc = subprocess.run([sys.executable, "-S", "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout)
    assert got["synd"].startswith(str(LAYER))
    assert (got["language"], got["license"]) == ("en", "CC-BY-ND-4.0")
    assert got["title"].startswith("While the West focused on Afghanistan")
