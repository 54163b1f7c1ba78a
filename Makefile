# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install install-dev lint format serve bench-load bench-burst bench-slow-smtp

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up everything on a fresh machine and serve the demo on SQLite at http://127.0.0.1:$(PORT)/
## with a task worker beside the server (manage.py runall; one Ctrl-C stops both)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_local_admin
	DJANGO_SITE_URL=$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py runall 127.0.0.1:$(PORT) --workers $${WORKERS:-1}

## Set up and run the whole test suite (SQLite unless DATABASE_URL is set)
test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Production settings on this machine: defaults a local run needs, each overridable from the
# environment. HTTP on loopback, so no redirect to HTTPS; the secret key is generated once into
# .secret_key (git-ignored) unless DJANGO_SECRET_KEY is set.
SERVE_ENV = DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}" \
	DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}" \
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/db.sqlite3}" \
	GUNICORN_BIND="$${GUNICORN_BIND:-127.0.0.1:$(PORT)}"

.secret_key:
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

## Serve with the production settings and gunicorn on http://127.0.0.1:$(PORT)/ (README, "Serving")
serve: install .secret_key
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(BIN)/gunicorn -c config/gunicorn.py config.wsgi

## Load benchmark on PostgreSQL with wrk (ARGS=--quick to try it out)
bench-load: install
	$(BIN)/python bench/load.py $(ARGS)

## Registration burst on PostgreSQL (ARGS=--quick to try it out)
bench-burst: install
	$(BIN)/python bench/burst.py $(ARGS)

## Registration POST latency with a mail server that takes 10 s (ARGS=--quick to try it out)
bench-slow-smtp: install-dev
	$(BIN)/python bench/slow_smtp.py $(ARGS)
