# Raati: two commands do all set-up on a fresh Debian machine.
#   make run   - the server on the embedded default (SQLite, one process) with the demo session
#   make test  - lint (ruff, mypy, import-linter), then the whole test suite (needs
#                PostgreSQL at 127.0.0.1:5432 and Redis at :6379); `make check` is the same
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
RUN_DEBS := libvoikko1 voikko-fi
TEST_DEBS := chromium

.PHONY: run test check setup system-deps test-deps lint catalogs clean

run: setup
	$(BIN)/raati serve --demo $(ARGS)

test: lint test-deps
	$(BIN)/python -m pytest $(ARGS)

check: test

setup: system-deps $(STAMP)

# Debian packages: installed when run as root, otherwise a clear message of what to install.
define need_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "Raati needs these Debian packages:$$missing"; \
	    echo "Install them with:  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

system-deps:
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Raati needs Python 3.11 or newer ($(PY) is older). On Debian 12: sudo apt-get install python3"; exit 1; }
	@$(PY) -c 'import venv, ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q python3-venv; \
	  else echo "Install the Python venv module:  sudo apt-get install python3-venv"; exit 1; fi; }
	$(call need_debs,$(RUN_DEBS))

test-deps:
	$(call need_debs,$(TEST_DEBS))

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Style, types (strict, every package) and the layers of docs/architecture.md.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Lists msgids used in code and templates, for adding translations to web/locale/*/*.po.
catalogs: setup
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k raw_gettext -k raw_ngettext:1,2 \
	  --no-location --omit-header -o var/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
