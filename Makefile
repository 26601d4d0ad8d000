# Chính quyền số — developer commands.
#   make run    demo on http://127.0.0.1:$(PORT) (SQLite, demo data)
#   make test   the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
#   make lint   ruff check
#   make clean  remove everything that setup creates

PORT ?= 8000
SANDBOX_PORT ?= 8765
PYTEST_ARGS ?=
# Tests are spread over one process per CPU (at most 4), each with its own test database. `load`
# hands each worker tests in the suite's own order, so that in every worker the tests that flush
# the database (transactional ones, which pytest-django puts last) still run after all the others;
# grouping by file would run them in the middle and later tests would miss the migrations' data.
TEST_WORKERS ?= auto
UV_VERSION := 0.13.9

PYTHON := .venv/bin/python
STAMPS := .make
PO_FILES := $(shell find . \( -path ./.git -o -path ./.venv -o -path ./.tools -o -path ./node_modules \) -prune \
                 -o -name '*.po' -print 2>/dev/null)

export UV_PYTHON_DOWNLOADS := never

# A stamp is only trusted while what it stands for still exists.
ifeq ($(wildcard .tools/bin/uv),)
$(shell rm -f $(STAMPS)/tools)
endif
ifeq ($(wildcard .venv/bin/python),)
$(shell rm -f $(STAMPS)/venv)
endif
ifeq ($(wildcard node_modules/.package-lock.json),)
$(shell rm -f $(STAMPS)/npm)
endif
ifeq ($(wildcard static_vendor/vendor/tabler/tabler.min.css),)
$(shell rm -f $(STAMPS)/vendor)
endif

.PHONY: setup run test lint clean

setup: $(STAMPS)/tools $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/vendor $(STAMPS)/messages

# uv lives in its own venv: `uv sync` would remove it from .venv.
$(STAMPS)/tools:
	@mkdir -p $(STAMPS)
	python3 -m venv .tools
	.tools/bin/pip install -q uv==$(UV_VERSION)
	@touch $@

$(STAMPS)/venv: uv.lock pyproject.toml $(STAMPS)/tools
	.tools/bin/uv sync --locked --python python3
	@touch $@

$(STAMPS)/npm: package-lock.json package.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

$(STAMPS)/vendor: $(STAMPS)/npm scripts/vendor_assets.py
	python3 scripts/vendor_assets.py
	@touch $@

# The compiled .mo files are committed, so a machine without gettext's msgfmt skips this.
$(STAMPS)/messages: $(PO_FILES) $(STAMPS)/venv
	@if [ -z "$(PO_FILES)" ]; then \
		touch $@; \
	elif command -v msgfmt >/dev/null 2>&1; then \
		echo "$(PYTHON) manage.py compilemessages"; \
		$(PYTHON) manage.py compilemessages --ignore=.venv --ignore=.tools --ignore=node_modules && touch $@; \
	fi

run: setup
	mkdir -p var
	CQS_DEMO_MODE=1 $(PYTHON) manage.py migrate --noinput
	CQS_DEMO_MODE=1 $(PYTHON) manage.py seed_demo
	@# The local payment sandbox runs beside the platform so online fees can be paid in the demo.
	CQS_DEMO_MODE=1 $(PYTHON) manage.py run_payment_sandbox --port $(SANDBOX_PORT) & \
	  trap 'kill $$!' EXIT INT TERM; \
	  CQS_DEMO_MODE=1 PAYMENT_SANDBOX_URL=http://127.0.0.1:$(SANDBOX_PORT) CQS_SITE_URL=http://127.0.0.1:$(PORT) \
	  $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PYTHON) -m pytest -n $(TEST_WORKERS) --maxprocesses=4 --dist load $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .

clean:
	rm -rf .venv .tools node_modules static_vendor .make var
