# City of Refuge portal. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
CONSTRAINTS := requirements/constraints.txt
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Development values for `make run`; anything already in the environment wins.
DEV_ENV := DEBUG=$${DEBUG:-1} HTTPS=$${HTTPS:-0}
# Production settings, served locally over plain HTTP by `make serve`.
SERVE_ENV := DEBUG=0 HTTPS=0 SECRET_KEY=$${SECRET_KEY:-local-serve-$$(hostname)-not-for-the-internet} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SERVE_MEDIA=$${SERVE_MEDIA:-1}

.PHONY: help
help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@py=$$(scripts/find-python.sh) || exit 1; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv --clear $(VENV)

$(VENV)/.installed-base: $(VENV)/bin/python pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-base
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

# The translations: the .po files are committed, their .mo files are compiled here (by
# Babel, so no GNU gettext is needed) whenever a .po file is newer than the last compile.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_STAMP := locale/.compiled

$(MO_STAMP): $(PO_FILES) $(VENV)/.installed-base
	$(VENV)/bin/pybabel --quiet compile --domain django --directory locale
	@touch $@

.PHONY: install install-dev compile-messages messages
install: $(VENV)/.installed-base $(MO_STAMP) ## Create .venv and install the pinned dependencies
install-dev: $(VENV)/.installed-dev $(MO_STAMP) ## The same, with the development tools
compile-messages: $(MO_STAMP) ## Compile the translations (locale/*/LC_MESSAGES/django.po)

# Extraction needs GNU gettext (xgettext, msgmerge): translators' machines, not the build.
MESSAGES_IGNORE := .venv '.venv*' var node_modules tests bench tools media '*.egg-info'
messages: install ## Gather every marked string into locale/<language>/LC_MESSAGES/django.po
	$(DEV_ENV) $(PY) manage.py makemessages --extension html,txt,py --no-obsolete \
		$(foreach language,en_GB ar fa,--locale $(language)) \
		$(foreach pattern,$(MESSAGES_IGNORE),--ignore $(pattern))
	@echo "Now translate the new and fuzzy entries; make compile-messages checks them."

.PHONY: run
run: install ## Set everything up and serve the portal with demo content on http://127.0.0.1:$(PORT)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) $(PY) manage.py ensure_staff
	$(DEV_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at /admin/). Ctrl-C stops it."
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

.PHONY: serve
serve: install ## Serve with gunicorn and production settings (plain HTTP, for local checks)
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py createcachetable
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py refuge.wsgi

# Lighthouse from npm, pinned by tools/lighthouse/package-lock.json, in a folder of its own.
LIGHTHOUSE_STAMP := tools/lighthouse/node_modules/.package-lock.json
LIGHTHOUSE_PORT ?= 0

$(LIGHTHOUSE_STAMP): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund
	@touch $@

.PHONY: lighthouse
lighthouse: install $(LIGHTHOUSE_STAMP) ## Lighthouse's mobile scores for the main pages (demo content, `make serve`)
	$(PY) scripts/lighthouse.py --port $(LIGHTHOUSE_PORT)

.PHONY: lint
lint: install-dev ## Ruff lint and format check; templates formatted, code on Django 6.1 idioms
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djade --target-version 6.1 --check $(TEMPLATE_FILES)
	$(VENV)/bin/django-upgrade --target-version 6.1 --check $$(git ls-files '*.py' 2>/dev/null || find . -name '*.py' -not -path './.venv/*')

.PHONY: format
format: install-dev ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every template, formatted by djade (Django's template style guide; tags only, never the HTML).
TEMPLATE_FILES = $$(find templates $(wildcard */templates) -type f \( -name '*.html' -o -name '*.txt' \))

.PHONY: format-templates
format-templates: install-dev ## Format the Django templates with djade (as the pre-commit hook does)
	@$(VENV)/bin/djade --target-version 6.1 $(TEMPLATE_FILES) || $(VENV)/bin/djade --target-version 6.1 --check $(TEMPLATE_FILES)

.PHONY: check
check: install-dev ## Django's system checks, missing migrations, imports that run upwards
	$(DEV_ENV) $(PY) manage.py check --fail-level WARNING
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/import_graph.py

.PHONY: test
test: lint check ## Lint, check, then run the whole test suite (browser tests included)
	$(PY) -m pytest $(PYTEST_ARGS)

# The fast loop leaves out what needs more than Python and PostgreSQL (see pyproject.toml's
# markers) and spreads the rest over the cores, each worker with a database of its own.
FAST_MARKERS := not browser and not html and not static and not slow
PYTEST_WORKERS ?= auto

.PHONY: test-fast
test-fast: install-dev ## Lint, check, then every test that needs no browser, Java or collectstatic, in parallel
	@SECONDS=0; $(MAKE) --no-print-directory lint check && \
	$(PY) -m pytest -n $(PYTEST_WORKERS) -m "$(FAST_MARKERS)" $(PYTEST_ARGS); status=$$?; \
	echo "make test-fast: $$((SECONDS / 60))m $$((SECONDS % 60))s"; exit $$status

.PHONY: lock
lock: ## Re-resolve the newest allowed versions into requirements/constraints.txt
	@py=$$(scripts/find-python.sh) || exit 1; rm -rf var/lock-venv; \
	$$py -m venv var/lock-venv && var/lock-venv/bin/pip install --quiet -e '.[dev]' && \
	{ echo "# Exact versions for every install (make lock regenerates this file)."; \
	  var/lock-venv/bin/pip freeze --exclude-editable --exclude refuge-portal; } > $(CONSTRAINTS); \
	rm -rf var/lock-venv; echo "Wrote $(CONSTRAINTS)"

.PHONY: clean
clean: ## Remove the virtualenv and collected files (keeps the database in var/pgdata)
	rm -rf $(VENV) var/staticfiles .pytest_cache .ruff_cache test-artifacts

.PHONY: bench
bench: install-dev ## Benchmark the public pages on a large dataset of their own (var/bench/)
	$(PY) -m bench.run
