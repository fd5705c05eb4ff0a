# The README's commands. Every install step lives here, so a clean clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 7071
STAMP  := $(VENV)/.installed
# Orchestrators registered in function_app.py (call or decorator form, comments not counted);
# replaycheck fails if it finds fewer. tests/catalog checks this equals what the app registers.
ORCHESTRATORS := $(shell grep -cE '^[[:space:]]*@?[[:alnum:]_]+[.]orchestration_trigger' function_app.py)

.PHONY: run check test test-bench test-compat lint format install clean bench record-histories fuzz reliability \
	azurite chromium screenshot

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

# Debian's Chromium for the browser tests of the run viewer (Playwright's own download is unreachable).
CHROMIUM_INSTALL := apt-get update && apt-get install -y chromium

## make chromium: install Chromium for the browser tests when it is missing (as root; CI is root)
chromium: $(STAMP)
	@$(PY) -m tests.viewer.browser || { $(CHROMIUM_INSTALL); } || \
	  { echo "Chromium is missing; install it as root: $(CHROMIUM_INSTALL)" >&2; exit 1; }

## make screenshot: re-take docs/images/run-viewer.png (the README's picture) from a real run
screenshot: $(STAMP) chromium
	$(PY) -m tests.viewer.screenshot docs/images/run-viewer.png

## make run: start the app on http://localhost:$(PORT)/api/ with the offline model (no keys needed),
## restarting it when a .py file, host.json or local.settings.json changes (state is kept)
run: $(STAMP)
	@test -f local.settings.json || cp local.settings.json.example local.settings.json
	$(PY) -m devhost --app . --port $(PORT) --reload

# Two levels, so a template user's loop needs neither the benchmark peers nor AgentFunctionApp:
# `make test` checks your app (what you run after editing it); `make check` is everything CI runs
# (.ci/run): make test, the benchmark peers' smoke tests and the AgentFunctionApp compatibility suite.
## make check: everything CI runs: make test + make test-bench + make test-compat
check: test test-bench test-compat

## make test: lint, type check, determinism check, azure-functions-doctor and the test suite (no benchmark peers)
test: $(STAMP) $(AZURITE) chromium
	$(PY) -m ruff check .
	$(PY) -m mypy  # mypy --strict over every package but tests/ (config: [tool.mypy] in pyproject.toml)
	$(PY) -m replaycheck --min-orchestrators $(ORCHESTRATORS)
	$(VENV)/bin/azure-functions-doctor doctor --path . --profile full
	$(PY) -m pytest

## make test-bench: the benchmark's smoke tests, beside LangGraph and DBOS (installs them)
test-bench: $(BENCH_STAMP)
	$(PY) -m pytest tests/bench/test_peers_smoke.py

## make test-compat: apps built on AgentFunctionApp run unchanged on the embedded host
test-compat: $(COMPAT_STAMP)
	$(COMPAT_PY) -m pytest tests/compat

## make bench: host overhead, replay cost, GET /api/runs at 20 vs 2,000 runs, save-to-served reload time,
## MCP vs HTTP, the chain beside LangGraph/DBOS, a graph superstep, words to an SSE reader → bench/*.md + .png
bench: $(BENCH_STAMP)
	$(PY) -m bench.devhost
	$(PY) -m bench.replay_cost
	$(PY) -m bench.run_list
	$(PY) -m bench.reload
	$(PY) -m bench.mcp_overhead
	$(PY) -m bench.peers
	$(PY) -m bench.graphs
	$(PY) -m bench.streaming
	$(PY) -m bench.report

## make record-histories: re-record tests/replay/histories/ from real runs (after a deliberate change);
## WORKFLOWS="digest ..." records only those
record-histories: $(STAMP)
	$(PY) -m tests.replay.record $(WORKFLOWS)

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
	rm -rf $(VENV) $(COMPAT_VENV) .tools .devhost .data .pytest_cache .ruff_cache .mypy_cache
