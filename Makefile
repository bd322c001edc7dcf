# The commands of the README. Each sets up what it needs on a fresh machine, then runs.
#   make report   set up, validate the package and build _site/ (HTML, PDF, data zip, Data Docs)
#   make check    set up, then ruff, the import contracts, every unit test and the known-bad corpus in-process (minutes)
#   make test     set up (with headless Chromium, axe-core and Quarto), then ruff, the import contracts,
#                 the documentation website and every test: the browser, real Quarto, whole and killed
#                 builds, every layer on every known-bad input
#   make docs     render the documentation website (docs/, Quarto) into docs/_site
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The Quarto the tests render with (the workflow pins the same version); installed from
# ../shared/tools/quarto when it is there and quarto is not on PATH.
QUARTO_VERSION   := 1.10.18
QUARTO_PREFIX    ?= $(HOME)/.cache/quarto-$(QUARTO_VERSION)
QUARTO_INSTALLER := ../shared/tools/quarto/install.sh

.PHONY: report check test setup browser quarto lint docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,quarto]'
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

# Real Quarto for the tests that render with both engines (quarto on PATH wins over the installer).
quarto:
	@if command -v quarto >/dev/null 2>&1; then echo "quarto $$(quarto --version) is on PATH"; \
	elif [ -f $(QUARTO_INSTALLER) ]; then bash $(QUARTO_INSTALLER) $(QUARTO_PREFIX); \
	else echo "quarto is not on PATH and $(QUARTO_INSTALLER) is absent: the Quarto tests need quarto on PATH"; fi

# ruff, then the architecture: import-linter's contracts in pyproject.toml (layers, leaves, no cycle)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# The fast tier: the tests marked neither slow nor browser (see pyproject.toml's markers).
check: setup lint
	$(BIN)/pytest -n 2 -m "not slow and not browser" --hypothesis-profile=fast

# The documentation website with real Quarto (the Quarto `make quarto` installs, or the one on PATH).
docs: quarto
	PATH="$$PATH:$(QUARTO_PREFIX)/bin" quarto render docs --quiet
	@test -s docs/_site/index.html && test -s docs/_site/commands.html && echo "docs/_site: the documentation website"

# CLAIMPACK_REQUIRE_BROWSER and CLAIMPACK_REQUIRE_QUARTO: the browser and Quarto tests fail, rather
# than skip, without Chromium and axe-core or without Quarto.
test: setup browser quarto lint docs
	PATH="$$PATH:$(QUARTO_PREFIX)/bin" CLAIMPACK_REQUIRE_BROWSER=1 CLAIMPACK_REQUIRE_QUARTO=1 $(BIN)/pytest -n 2

clean:
	rm -rf _site _site.staging-* .pytest_cache .ruff_cache report/references.bib docs/_site docs/.quarto
