# One entry point for people and CI. `make serve` and `make test` install whatever is missing first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install system-deps serve build check test lint textlint linkcheck weight lighthouse bench bench-instructions nightly clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-build-isolation --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Python and npm dependencies (pinned)

system-deps: ## Debian's Chromium and Noto CJK fonts (JP, SC, KR faces): the build draws diagrams with them (needs root; CHROMIUM=path uses another)
	@missing=""; \
	{ [ -x "$${CHROMIUM:-}" ] || command -v chromium >/dev/null; } || missing="$$missing chromium"; \
	for face in JP SC KR; do fc-list "Noto Sans CJK $$face" 2>/dev/null | grep -q . || { missing="$$missing fonts-noto-cjk"; break; }; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "error: install$$missing (apt-get needs root)" >&2; exit 2; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing; \
	fi

serve: install system-deps ## serve the site on http://127.0.0.1:8000 with live reload (diagrams redrawn as you save)
	$(PY) -m mkdocs serve -a 127.0.0.1:8000

build: install system-deps ## write the site to site/ (strict: any warning fails)
	$(PY) -m mkdocs build --strict

check: install ## the site's checks alone (numbers, tables, translations, Learn links), offline
	$(PY) -m checks

lint: install ## ruff
	$(PY) -m ruff check checks site_build tests
	$(PY) -m ruff format --check checks site_build tests

textlint: install ## the Japanese pages' prose: textlint (ja-technical-writing, the glossary's terms via prh)
	$(PY) -m checks.textlint

test: install system-deps lint textlint ## every test: build, checks, textlint, Chromium, linkchecker
	$(PY) -m pytest

linkcheck: install ## linkchecker over the built site, served on 127.0.0.1
	$(PY) -m pytest tests/test_linkchecker.py

weight: install system-deps ## JavaScript bytes per page, as Chromium downloads them
	$(PY) -m pytest tests/test_page_weight.py -s -q

lighthouse: install system-deps ## Lighthouse mobile on every page (median of 3): scores, Total Blocking Time, bytes
	$(PY) tests/benchmarks/lighthouse.py --json build/lighthouse/report.json

# The site linkchecker crawls in `make nightly`. No -q: quiet drops the warnings --strict counts, and exits 0.
NIGHTLY_BUILD = SITE_URL=http://127.0.0.1:8765/ $(PY) -m mkdocs build --strict -d build/nightly/site
# Limits of the online check, e.g. `make nightly NIGHTLY_OPTIONS="--deadline 600"` (python -m checks --help).
NIGHTLY_OPTIONS ?=

nightly: install ## online: every cited Learn page fetched and classified, then linkchecker with external links
	$(PY) -m checks --online --report-dir build/nightly $(NIGHTLY_OPTIONS); code=$$?; \
	$(NIGHTLY_BUILD) || exit 2; \
	$(PY) -m http.server 8765 --bind 127.0.0.1 --directory build/nightly/site >/dev/null 2>&1 & server=$$!; \
	sleep 1; $(PY) -m checks.run_linkchecker -f .linkchecker/external.ini --no-status \
	  -o text -F csv/utf-8/build/nightly/linkchecker.csv http://127.0.0.1:8765/; links=$$?; \
	kill $$server; \
	if [ $$code -ne 0 ]; then exit $$code; fi; exit $$links

bench: install system-deps ## what the checks cost (share of the build, growth with page count and with languages, 2 and 4); the build with a cold and a warm diagram cache
	$(PY) tests/benchmarks/bench_checks.py
	$(PY) tests/benchmarks/bench_diagrams.py

bench-instructions: install ## the same builds' instruction counts under valgrind: slow, repeatable
	@command -v valgrind >/dev/null || { echo "error: install valgrind (apt-get install valgrind)" >&2; exit 2; }
	$(PY) tests/benchmarks/bench_checks.py --instructions

clean: ## remove build output, the diagram cache and installed dependencies
	rm -rf site .cache $(VENV) node_modules .pytest_cache .ruff_cache
