# The commands of the README. Each sets up what it needs on a fresh machine, then runs.
#   make report   set up, validate the package and build _site/ (HTML, PDF, data zip, Data Docs)
#   make check    set up, then ruff, every unit test and the known-bad corpus in-process (minutes)
#   make test     set up (with headless Chromium and axe-core), then ruff and every test: the browser,
#                 whole and killed builds, every layer on every known-bad input (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report check test setup browser lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(STAMP)

report: setup
	$(BIN)/claimpack build

# Debian's chromium for the browser tests (never `playwright install`: it downloads), axe-core from npm.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

lint: setup
	$(BIN)/ruff check .

# The fast tier: the tests marked neither slow nor browser (see pyproject.toml's markers).
check: setup lint
	$(BIN)/pytest -n 2 -m "not slow and not browser" --hypothesis-profile=fast

# CLAIMPACK_REQUIRE_BROWSER: the browser tests fail, rather than skip, without Chromium and axe-core.
test: setup browser lint
	CLAIMPACK_REQUIRE_BROWSER=1 $(BIN)/pytest -n 2

clean:
	rm -rf _site _site.staging-* .pytest_cache .ruff_cache report/references.bib
