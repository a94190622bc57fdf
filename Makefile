# famplan — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := matcher roster solving data api

.PHONY: run demo test test-travel lint typecheck pytest bench setup db clean locales chromium

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	touch $(STAMP)

setup: $(STAMP) $(VENV)/.kernels chromium

# The roster programme's numba kernels, compiled into numba's cache once here rather than
# inside the first solve's time limit (roster/warm_up.py).
$(VENV)/.kernels: $(STAMP) roster/kernels.py
	$(BIN)/python -m roster.warm_up
	touch $@

# The browser tests (tests/web) drive Debian's Chromium; Playwright's own browser download
# is not used.
chromium:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The web pages' texts: extract them again and compile the catalogues (the .mo files are
# committed, so `make run` needs no compile step).
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ --no-location --sort-output -o api/locales/messages.pot .
	$(BIN)/pybabel update -i api/locales/messages.pot -d api/locales -D messages --no-fuzzy-matching
	$(BIN)/pybabel compile -d api/locales -D messages

db: setup
	$(BIN)/famplan db upgrade
	$(BIN)/famplan seed --if-empty

run: db
	$(BIN)/famplan serve

demo: db
	$(BIN)/famplan demo

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/nbstripout --verify notebooks/*.ipynb  # committed notebooks carry no outputs

typecheck: setup
	$(BIN)/mypy $(PACKAGES) scripts tests

pytest: setup
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

# The clock-travel check: the suite again with the clock moved years ahead
# (tests/conftest.py). On SQLite only: every planning date and timestamp comes from
# Python's clock, which is the one moved; the database server's own clock is not, and
# the PostgreSQL pass of `make test` already covers the backend.
TRAVEL ?= 2030-06-01T12:00:00+00:00
test-travel: setup
	env -u FAMPLAN_TEST_POSTGRES_URL FAMPLAN_TEST_TRAVEL=$(TRAVEL) $(BIN)/python -m pytest -q

# bench_roster: the døgnindsats rows, with the long horizons (one case for 52 weeks,
# five cases for 13 and 52 weeks) held to their limit + 10 %.
# bench_nrp: every Curtois–Qu instance at 60 s (13, 15 and 18 are the scale targets),
# 20 and 22 again at their target's 300 s; each prints its wall time (model build
# included) against the limit and its peak memory, and fails past the limit + 10 %;
# last, the 364-day, 150-person stand-in (Instance22 three times over, `--stand-in`).
bench: db
	$(BIN)/python scripts/bench_gap.py ../shared/benchdata/gap/gap*.txt --time-limit 30
	$(BIN)/python scripts/bench_match.py
	$(BIN)/python scripts/bench_batch.py
	$(BIN)/python scripts/bench_roster.py
	$(BIN)/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance*.txt --time-limit 60
	$(BIN)/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance20.txt ../shared/benchdata/nrp/Instance22.txt --time-limit 300
	$(BIN)/python scripts/bench_nrp.py ../shared/benchdata/nrp/Instance22.txt --stand-in --time-limit 60
	$(BIN)/python scripts/bench_api.py --clients 20 --duration 30

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache famplan.db
