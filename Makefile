# The two commands: `make run` (browser on the embedded graph) and `make test` (whole suite).
# `make help` lists every target.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
BENCH_STAMP := $(VENV)/.bench-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 8501

.PHONY: help run test build validate lint system-packages bench bench-scale db-stop clean compose-check profile

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP) ## set up, build the graph, start the embedded database and Streamlit on :8501
	$(PY) -m kg build --if-changed
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(STAMP) system-packages ## set up and run the whole test suite (real FalkorDB, AppTest, Chromium)
	$(VENV)/bin/ruff check .
	$(PY) -m kg validate
	$(VENV)/bin/pytest -q --doctest-modules kg ingest tests app_pages/_*.py

system-packages: ## Debian's chromium, docker-compose and DejaVu fonts (PDF sheets) for the tests (apt-get as root), or say what to install
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "The tests need Debian packages:$$missing (run: sudo apt-get install$$missing)"; exit 1; fi

build: $(STAMP) ## validate the sources and load them into the embedded store
	$(PY) -m kg build

validate: $(STAMP) ## check every source; exit 2 with file:line messages when invalid
	$(PY) -m kg validate

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check .

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	rm -f $(VENV)/.bench-* && touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) system-packages ## benchmarks (<= 10 min): bench/results/latest.json and the README section
	$(PY) bench/run_all.py

bench-scale: $(BENCH_STAMP) ## 10k/100k/1M-edge runs (long), then latest.json, the plot and the README
	$(PY) bench/bench_scale.py
	$(PY) bench/run_all.py --render

db-stop: ## stop the embedded FalkorDB server
	$(PY) -m kg db stop

compose-check: ## check docker-compose.yml (needs the docker-compose package)
	docker-compose config --quiet

clean: db-stop ## remove the venv and the state dir
	rm -rf $(VENV) var artifacts

profile: $(BENCH_STAMP) ## profile the slowest parts behind missed targets (pyinstrument, installed for this only)
	$(PY) -m pip install --quiet pyinstrument
	$(PY) bench/profile_civic.py
	$(PY) bench/run_all.py --render
