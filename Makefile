# `make run` and `make test` work on a fresh Debian machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test test-fast bench lint screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address 0.0.0.0

test: $(VENV)/.dev
	$(BIN)/python -m pytest

# The fast lane: browser tests deselected; without a PostgreSQL URL its tests skip with their reason.
test-fast: $(VENV)/.dev
	env -u REQUIRE_BROWSER -u REQUIRE_POSTGRES -u PLACEMENT_TEST_POSTGRES_URL $(BIN)/python -m pytest -m "not browser"

bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

# Every page in both modes, the board after a reveal and Join on a phone, into docs/screenshots.
screenshots: $(VENV)/.dev
	$(BIN)/python -m scripts.screenshots

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/vulture
	$(BIN)/vulture placement ui pages app.py bench scripts harness tests

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache
