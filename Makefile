# koryu — one-line entry points. `make test` and `make demo` set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/koryu: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

.PHONY: setup test test-fast check demo lint bench compare fixtures
setup: $(BIN)/koryu

test: $(BIN)/koryu  ## run the whole test suite
	$(BIN)/pytest

test-fast: $(BIN)/koryu  ## the suite without the tests marked slow (under 20 s); CI runs `make test`
	$(BIN)/pytest -m "not slow"

demo: $(BIN)/koryu  ## ingest the sample report into the default database (KORYU_DB or koryu.db) and ask the first question
	$(BIN)/koryu ingest ingest/data/sample/r6_report.pdf
	$(BIN)/koryu ask "金沢市 物産展"

check: $(BIN)/koryu  ## what CI runs besides the tests: lint, format, types, dead code (settings in pyproject.toml)
	$(BIN)/pip install -q -e '.[check]'
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/vulture

lint: check

bench: $(BIN)/koryu  ## speed and memory figures, each against a baseline measured in the same run
	$(BIN)/python benchmarks/bench_search.py --records 100000
	$(BIN)/python benchmarks/bench_ask.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_slack.py

compare: $(BIN)/koryu  ## the measurements behind the choices: index tokenisation, analyser, date parser
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/compare_tokenizers.py --records 100000
	$(BIN)/python benchmarks/compare_analyzers.py
	$(BIN)/python benchmarks/compare_date_parsers.py

fixtures:  ## rebuild tests/fixtures layout PDFs (needs reportlab and Noto/IPA fonts; CI uses the committed files)
	$(BIN)/pip install -q reportlab && $(BIN)/python tests/fixtures/make_fixtures.py
