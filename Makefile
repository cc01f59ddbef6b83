# Two entry points for a fresh Debian machine with Python 3.11:
#   make run   - install into .venv, create/upgrade and load the database, start the app
#   make test  - install test needs (Chromium, LibreOffice, PostgreSQL through apt-get if
#                missing), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test typecheck install install-dev assets chromium postgresql init demo bench audit lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.app-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.app-installed assets

install-dev: $(VENV)/.dev-installed assets

assets: $(VENV)/.app-installed
	$(BIN)/python -m kehoach assets

init: install
	$(BIN)/python -m kehoach init

run: init
	$(BIN)/python serve.py --server.port $(PORT)

demo: init
	$(BIN)/python -m kehoach demo

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium (browser tests)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

libreoffice:
	@{ command -v soffice && command -v pdftotext && command -v pdftoppm \
	  && fc-list | grep -q "Liberation Serif"; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's LibreOffice Writer and poppler-utils (report tests)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends libreoffice-writer poppler-utils fonts-liberation; }

# The tests start a throwaway cluster (initdb in a temporary directory, a free local port).
postgresql:
	@{ command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql (database tests run on SQLite and PostgreSQL)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }

# Configuration in pyproject.toml ([tool.mypy]); tests/test_typing.py runs it too.
typecheck: install-dev
	$(BIN)/python -m mypy

test: install-dev chromium libreoffice postgresql typecheck
	$(BIN)/python -m pytest

bench: install-dev chromium postgresql
	$(BIN)/python -m kehoach bench --sites 20000 --browser --postgres --json

# Known vulnerabilities in the pins (docs/security.md). Needs network access to PyPI's
# advisory API; --strict fails when a package could not be checked at all.
audit: install-dev
	$(BIN)/pip-audit -r requirements.txt --strict

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) static/vendor
