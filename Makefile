# The two commands of the README, and what they need. Both are idempotent: a second
# run reinstalls nothing unless a lock file changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT ?= 127.0.0.1:8000

.PHONY: run test install assets browser lint types format worker beat bench clean

run: install assets
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST_PORT)

# The suite runs in one process per core (pytest-xdist, at most 4): each has its own test
# database and, on a shared broker, its own Celery queue (config/settings/test.py).
test: install assets browser
	$(BIN)/pytest --numprocesses=auto --maxprocesses=4 $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: static_build/.built

static_build/.built: node_modules/.installed $(wildcard frontend/scss/*.scss) frontend/copy-vendor.js
	npm run --silent build
	touch $@

# Browser tests drive the system's Chromium; Playwright never downloads one.
browser:
	@test -x /usr/bin/chromium || scripts/install-system-packages chromium

# The service at a large force's scale on the PostgreSQL of DATABASE_URL (bench/run.py,
# figures in bench/README.md).
bench: install
	@scripts/install-system-packages wrk
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy with django-stubs over services, selectors, models, core and records ([tool.mypy]).
types: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# With CELERY_BROKER_URL set, tasks go to these instead of running in-process. Celery
# alone takes the production settings; these take the local ones unless told otherwise.
LOCAL_SETTINGS := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local}

worker: install
	$(LOCAL_SETTINGS) $(BIN)/celery -A config worker -l info

beat: install
	$(LOCAL_SETTINGS) $(BIN)/celery -A config beat -l info

clean:
	rm -rf $(VENV) node_modules static_build staticfiles
