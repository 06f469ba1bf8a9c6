# Two commands on a fresh Debian machine with Python 3.11:
#   make book   - create .venv from requirements.txt if needed, build the HTML book into _build/html, both
#                 editions (English at the root, Spanish in _build/html/es/)
#   make test   - unit tests, data package validation, the PDF and the HTML book (both editions) built
#                 offline, checks on the built book (real browser, accessibility, links, bad-input matrix),
#                 a second build for determinism
# A value given on the command line (NAME, PARAMS, RAW, PYTHON, BOOK_EDITIONS, any other) is text, never make
# or shell code. Make would expand it (running a `$(shell ...)` in it) to export it to the recipes, so each one is
# made a simple variable holding its text as typed ($(value ...): `$` and quotes kept) and exported as that. The
# recipes read user values from the environment ("$$RAW"), never pasted into a command line.
$(foreach variable,$(filter-out MAKEFLAGS MAKEOVERRIDES MFLAGS,$(.VARIABLES)),$(if $(filter command line,$(origin $(variable))),$(eval override $(variable) := $$(value $(variable)))$(eval export $(variable))))

override SHELL := /bin/bash
override .SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := book

# User values, read by the recipes and scripts from the environment.
PYTHON ?= python3.11
RAW ?= ../shared/sources
export PYTHON RAW NAME PARAMS

# This checkout's own code first, for every command: a virtual environment copied from another checkout
# (cp -a) still has an editable install of that one's src/ (migration_report.core.checkout refuses the rest).
export PYTHONPATH := $(CURDIR)/src$(if $(value PYTHONPATH),:$(value PYTHONPATH))

# The build's own names, pasted into recipes: not settable from the command line.
override VENV := .venv
override BIN := $(VENV)/bin
override STAMP := $(VENV)/.installed
# The Nu Html Checker (the W3C validator's engine), from the npm registry's vnu-jar package, run on
# the machine's Java by the book checks (tests/test_html_valid.py). --ignore-scripts: its install
# script would download a Java of its own.
override VNU_VERSION := 26.9.27
override VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# cffconvert pins an older jsonschema than frictionless, so it gets its own small environment.
override CFF_VENV := .venv-cff
override CFF_STAMP := $(CFF_VENV)/.installed
override LIGHTHOUSE := tools/lighthouse/node_modules/.installed

# System packages, by the command that needs them (Debian names).
override TEX_PACKAGES := texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended fonts-freefont-otf texlive-lang-spanish
override SYSTEM_PACKAGES := $(TEX_PACKAGES) poppler-utils chromium iproute2 util-linux pandoc default-jre-headless npm
override SYSTEM_COMMANDS := xelatex latexmk pdftoppm pdftotext chromium ip unshare pandoc java npm
# TeX files a package brings that no command shows: the Spanish hyphenation patterns (texlive-lang-spanish).
override TEX_FILES := hyph-es.tex

.PHONY: book pdf test lint unit validate citation-check venv book-checks determinism bench chapter lab data data-check data-hashes lock system-packages clean translations

$(STAMP): requirements.txt pyproject.toml
	@command -v "$$PYTHON" >/dev/null || { echo "error: $$PYTHON not found; install Python 3.11 (apt-get install -y python3.11 python3.11-venv) or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || "$$PYTHON" -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps --no-build-isolation -e .
	@# Every Python start in the environment: jsonschema's IRI grammars compiled only when used (src/lazy_iri_syntax.py).
	$(BIN)/python -c 'import lazy_iri_syntax; lazy_iri_syntax.write_pth()'
	touch $@

venv: $(STAMP)

$(VNU_JAR):
	npm install --prefix $(VENV)/vnu --no-save --no-audit --no-fund --ignore-scripts --loglevel=error vnu-jar@$(VNU_VERSION)
	test -f $@

$(CFF_STAMP): requirements-cff.txt
	test -x $(CFF_VENV)/bin/python || "$$PYTHON" -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --disable-pip-version-check --quiet -r requirements-cff.txt
	touch $@

# CITATION.cff must be valid Citation File Format: the chapters' citation boxes are built from it.
citation-check: $(CFF_STAMP)
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff

# Both editions; BOOK_EDITIONS=en make book builds the English one alone.
book: $(STAMP)
	scripts/build-book html

# Both editions' PDFs: _build/latex/book.pdf and _build/latex/es/book-es.pdf.
pdf: $(STAMP) system-packages
	scripts/build-book pdf

# The book stage runs with no network but loopback (scripts/offline): the builds must not need it,
# and the checks must not reach it. book-checks opens every page in Chromium (console, requests,
# images, tracebacks, empty figures, axe-core, alt text, screenshots in _build/screenshots/), runs
# the Nu Html Checker over both editions, compares each PDF with the HTML (every table row, nothing
# outside the text block),
# checks every internal link and anchor, and the bad-input matrix; determinism builds the book a
# second time from scratch and compares the files.
test: $(STAMP) system-packages $(VNU_JAR)
	@# Each stage's wall time goes to _build/test-stages.txt, printed at the end (make bench reads it too).
	@rm -f _build/test-stages.txt
	@# The quick checks side by side (the unit tests use one core; the citation check mostly installs).
	scripts/timed "lint, unit tests, data validation, CITATION.cff (side by side)" \
	  $(MAKE) --no-print-directory -j2 -Otarget lint unit validate citation-check
	@# Test what a clean build gives (notebooks still come from the execution cache): Sphinx's
	@# incremental search index differs from a clean one, and readers get clean builds.
	rm -rf _build/staging-html _build/staging-pdf _build/staging-html-es _build/staging-pdf-es
	scripts/timed "PDF build, both editions" scripts/offline scripts/build-book pdf
	scripts/timed "HTML build, both editions" scripts/offline scripts/build-book html
	@# The second clean build runs beside the checks, which spend much of their time waiting on
	@# browsers and small builds; each one's output is printed when it ends.
	scripts/timed "book checks and the determinism build (side by side)" \
	  $(MAKE) --no-print-directory -j2 -Otarget book-checks determinism
	@echo "make test, by stage (wall time):" && cat _build/test-stages.txt

# On as many workers as cores (pytest-xdist): most checks wait on a browser or a small build. A module
# whose fixture is costly (a chapter run, a copy of the book built) stays on one worker (xdist_group).
book-checks: $(STAMP) $(VNU_JAR)
	scripts/timed "  of which: book checks" scripts/offline $(BIN)/pytest -q -m book -n auto --dist loadgroup --durations=15

determinism: $(STAMP)
	scripts/timed "  of which: determinism build" scripts/offline $(BIN)/python -m migration_report.build.determinism

# Build, re-run and reading figures against the jupyter-book template book (a report, not a test).
# Lighthouse comes from the npm registry (pinned in tools/lighthouse) and runs offline on the
# loopback server of migration_report.build.bench, with Debian's Chromium; without npm the bench leaves it out.
bench: $(STAMP) system-packages $(LIGHTHOUSE)
	scripts/offline $(BIN)/python -m migration_report.build.bench

$(LIGHTHOUSE): tools/lighthouse/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd tools/lighthouse && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "note: npm not found (apt-get install npm): make bench runs without Lighthouse"; fi

unit: $(STAMP)
	$(BIN)/pytest -q

# ruff, with the rules chosen in pyproject.toml, over the package, tests, scripts and notebooks.
lint: $(STAMP)
	$(BIN)/ruff check --no-cache .

validate: $(STAMP)
	$(BIN)/frictionless validate data/datapackage.json

# make chapter NAME=flow-statistics PARAMS='-p start 2021-10 -p end 2022-09'
# NAME and PARAMS reach the script through the environment as typed (see the top of this file), so
# quotes, semicolons or `$(...)` in them are not code; the script checks both.
chapter: $(STAMP)
	scripts/run-chapter

# JupyterLab on chapters/, with the pinned environment's kernel (scripts/lab); Ctrl-C stops it.
lab: $(STAMP)
	scripts/lab

# After a change to the English text: extract the messages (.pot) and update the Spanish catalogues
# in locales/es/ (new messages untranslated, changed ones fuzzy); prints what is left to translate.
translations: $(STAMP)
	scripts/translations

# Rebuild the derived tables from the raw CBP/OHSS files (RAW=folder), or check they are reproduced.
data: $(STAMP)
	$(BIN)/python -m migration_report.build.data "$$RAW"

data-check: $(STAMP)
	$(BIN)/python -m migration_report.build.data "$$RAW" --check

# After editing a hand-curated table in data/, record its new checksum.
data-hashes: $(STAMP)
	$(BIN)/python -m migration_report.build.data --rehash

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

system-packages:
	@missing=""; \
	for cmd in $(SYSTEM_COMMANDS); do command -v $$cmd >/dev/null || missing="$$missing $$cmd"; done; \
	for file in $(TEX_FILES); do command -v kpsewhich >/dev/null && kpsewhich $$file >/dev/null || missing="$$missing $$file"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages for:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "error: missing commands or TeX files:$$missing. Install them with:" >&2; \
	    echo "  sudo apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES)" >&2; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf _build
