# followhome: two commands on a fresh machine.
#   make site   builds the demo site into site/ (strict)
#   make test   installs what the tests need and runs the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp

export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve serve-full test lint check schema tone tone-report chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: $(STAMP)
	$(BIN)/mkdocs build --strict

# The preview rebuilds only the pages an edit changed and shows problems without stopping;
# serve-full rebuilds everything on every save, like the CI build.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --no-strict

serve-full: $(STAMP)
	$(BIN)/mkdocs serve

check: $(STAMP)
	$(BIN)/followhome check

tone: $(STAMP)
	$(BIN)/followhome tone

tone-report: $(STAMP)
	$(BIN)/followhome tone > tone-report.txt
	$(BIN)/followhome tone --json > tone-report.json

schema: $(STAMP)
	$(BIN)/followhome schema

lint: $(STAMP)
	$(BIN)/ruff check plugins hooks tests benchmarks
	$(BIN)/ruff format --check plugins hooks tests benchmarks
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation; }

test: $(STAMP) $(NODE_STAMP) chromium lint
	$(BIN)/pytest

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache tone-report.txt tone-report.json
