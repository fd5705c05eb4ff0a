# The README's commands. Every install step lives here, so a clean clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 7071
STAMP  := $(VENV)/.installed
# Workflows registered in function_app.py; replaycheck fails if it finds fewer.
ORCHESTRATORS := $(shell grep -c 'orchestration_trigger' function_app.py)

.PHONY: run test test-compat lint format install clean bench record-histories fuzz reliability azurite

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

# AgentFunctionApp pins python-dateutil<3 and brings gRPC, so its compatibility check has its own venv.
COMPAT_VENV  := .venv-compat
COMPAT_PY    := $(COMPAT_VENV)/bin/python
COMPAT_STAMP := $(COMPAT_VENV)/.installed
$(COMPAT_STAMP): requirements-compat.txt requirements-dev.txt requirements.txt
	test -x $(COMPAT_PY) || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_PY) -m pip install --quiet --disable-pip-version-check -r requirements-compat.txt
	touch $(COMPAT_STAMP)

# Azurite (npm) for the tests that need a real Storage service (blob, queue, table); project-local.
AZURITE_VERSION := 3.37.0
AZURITE := .tools/node_modules/.bin/azurite
$(AZURITE):
	npm install --prefix .tools --no-audit --no-fund --silent azurite@$(AZURITE_VERSION)

## make azurite: install the Storage emulator the tests start (under .tools/, from npm)
azurite: $(AZURITE)

## make run: start the app on http://localhost:$(PORT)/api/ with the offline model (no keys needed)
run: $(STAMP)
	@test -f local.settings.json || cp local.settings.json.example local.settings.json
	$(PY) -m devhost --app . --port $(PORT)

## make test: lint, determinism check and the whole test suite (the benchmark smoke tests need the peers)
test: $(BENCH_STAMP) $(COMPAT_STAMP) $(AZURITE)
	$(PY) -m ruff check .
	$(PY) -m mypy  # mypy --strict over every package but tests/ (config: [tool.mypy] in pyproject.toml)
	$(PY) -m replaycheck --min-orchestrators $(ORCHESTRATORS)
	$(PY) -m pytest
	$(COMPAT_PY) -m pytest tests/compat

## make test-compat: apps built on AgentFunctionApp run unchanged on the embedded host
test-compat: $(COMPAT_STAMP)
	$(COMPAT_PY) -m pytest tests/compat

## make bench: host overhead, replay cost and the chain beside LangGraph/DBOS → bench/results.md + .png
bench: $(BENCH_STAMP)
	$(PY) -m bench.devhost
	$(PY) -m bench.replay_cost
	$(PY) -m bench.peers
	$(PY) -m bench.report

## make record-histories: re-record tests/replay/histories/ from real runs (after a deliberate change)
record-histories: $(STAMP)
	$(PY) -m tests.replay.record

## make fuzz: a longer schemathesis run against /api/openapi.json than make test does
fuzz: $(STAMP)
	FUZZ_MAX_EXAMPLES=200 FUZZ_RANDOM=1 $(PY) -m pytest tests/fuzz -q

## make reliability: kill -9 x20 under a mixed workload, 200 concurrent runs, 40+ bad inputs → docs/reliability.md
reliability: $(STAMP)
	$(PY) -m bench.reliability

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) $(COMPAT_VENV) .tools .devhost .data .pytest_cache .ruff_cache
