# hrcoord — two commands set everything up: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE_VERSION := 4.14.1
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js

.PHONY: install demo test fuzz bench lint clean axe

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# axe-core (npm) for the accessibility tests in tests/test_browser.py; without npm they skip, saying so
axe: $(STAMP)
	@test -f $(AXE) || { command -v npm >/dev/null 2>&1 \
	  && npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@$(AXE_VERSION) \
	  || echo "npm is not installed: the accessibility (axe) tests will skip"; }

demo: install  ## install, then the main jobs on the embedded repository (writes only to build/)
	$(BIN)/hrcoord --repo . validate
	$(BIN)/hrcoord --repo . judgment list --status published
	$(BIN)/hrcoord --repo . meeting agenda --network trafficking
	$(BIN)/hrcoord --repo . meeting check --year 2014
	$(BIN)/hrcoord --repo . report action-plan --year 2014 --format html --out build/tiltak-2014.html
	$(BIN)/hrcoord --repo . report quarterly --quarter 2014-Q2 --out build/kvartal-2014-Q2.md
	$(BIN)/hrcoord --repo . publish --out build/portal
	@echo "Done: the portal is in build/portal/index.html, the reports in build/."

test: install axe  ## the whole suite, the hostile run included (1,000 command invocations)
	$(BIN)/python -m pytest

fuzz: install  ## the hostile run at length: FUZZ=5000 command invocations on hostile records (or more)
	HRCOORD_FUZZ_INVOCATIONS=$${FUZZ:-5000} $(BIN)/python -m pytest -q tests/hostile/test_fuzz_commands.py

bench: install  ## side-by-side benchmark (SPEC §6); BENCH_ARGS=--quick for 3 runs
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install  ## ruff and mypy must pass; radon lists the most complex functions
	$(BIN)/python -m pip install -q ruff mypy radon types-PyYAML
	$(BIN)/ruff check hrcoord tests bench
	$(BIN)/mypy hrcoord
	@echo "Most complex functions (radon; keep each under ~15 or say why in its docstring):"
	@$(BIN)/radon cc -s -n C hrcoord | awk '/^hrcoord/{f=$$1} /^    [FMC] /{print "  " f ": " $$0}' | sort -t'(' -k2 -n -r | head -15

clean:
	rm -rf build .hrcoord $(VENV)
