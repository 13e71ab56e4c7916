# Two commands matter: `make demo` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := config.settings

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast test-browser lint format messages serve worker migrate clean \
	backup drill bench screenshots stack-test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the portal with its development tools

demo: ## Fresh .venv, install, migrate, load the demo, run the task worker and serve on 127.0.0.1:8000
	rm -rf $(VENV)
	$(MAKE) --no-print-directory $(STAMP)
	DJANGO_DEBUG=True $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=True $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=True $(BIN)/python manage.py db_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	DJANGO_DEBUG=True $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) ## Run the whole suite: unit tests, then browser tests in Chromium
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

test-fast: $(STAMP) ## Run the suite without the browser tests
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# The shipped stack on loopback (tests/stack/): nginx with docs/deploy/nginx.conf, gunicorn,
# PostgreSQL, Redis and an S3 server (moto), the demo on S3; needs nginx, redis-server, openssl.
stack-test: $(STAMP) ## Test the deployment as shipped: nginx, gunicorn, PostgreSQL, Redis, S3
	PORTAL_STACK_TEST=1 $(BIN)/pytest tests/stack $(PYTEST_ARGS)

test-browser: $(STAMP) ## Run only the browser tests
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

# The browser tests walk every page docs/guide.md shows, in the state it shows; only this target
# lets them write their screenshots over the tracked ones.
screenshots: $(STAMP) ## Retake docs/screenshots/*.png for docs/guide.md (runs the browser tests)
	PORTAL_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, ruff format --check, Django's checks and migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=True $(BIN)/python manage.py check
	DJANGO_DEBUG=True $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP) ## Format and fix with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each app's messages are extracted from inside the app (its .po files name its own files), the
# project's (config/, templates/) from the top with the apps left out.
LOCALE_APPS := core branches members redhistory exhibitions visits reports ops

messages: $(STAMP) ## Extract messages into the .po files and compile the .mo files
	for app in $(LOCALE_APPS); do \
		(cd $$app && DJANGO_DEBUG=True ../$(BIN)/python ../manage.py makemessages -l zh_Hans \
			--no-obsolete) || exit 1; \
	done
	DJANGO_DEBUG=True $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete \
		--ignore=.venv --ignore=static --ignore=staticfiles --ignore=media --ignore=tests \
		--ignore=bench $(foreach app,$(LOCALE_APPS),--ignore=$(app))
	DJANGO_DEBUG=True $(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

migrate: $(STAMP) ## Apply migrations
	DJANGO_DEBUG=True $(BIN)/python manage.py migrate

serve: $(STAMP) ## Serve with gunicorn (production settings from the environment)
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/gunicorn config.wsgi -c gunicorn.conf.py

backup: $(STAMP) ## Write a backup archive of the database and media to backups/
	$(BIN)/python manage.py backup

drill: $(STAMP) ## Fault drill on loopback: Redis stopped, PostgreSQL restarted, a form sent while it is down
	$(BIN)/python bench/drill.py

bench: $(STAMP) ## Load test of the public pages through gunicorn (BENCH_ARGS="--scale 10 --seconds 15")
	$(BIN)/python bench/load.py $(BENCH_ARGS)

worker: $(STAMP) ## Run the background task worker (yearly reports)
	$(BIN)/python manage.py db_worker

clean: ## Remove the virtualenv, the SQLite database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
