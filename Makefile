# hrcoord — two commands set everything up: `make demo` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/hrcoord --repo . validate
	$(BIN)/hrcoord --repo . judgment list --status published
	$(BIN)/hrcoord --repo . meeting agenda --network trafficking
	$(BIN)/hrcoord --repo . report action-plan --year 2014 --out build/action-plan-2014.html --format html
	$(BIN)/hrcoord --repo . publish --out build/portal
	@echo "Portal written to build/portal/index.html"

test: install
	$(BIN)/python -m pytest

bench: install  ## side-by-side benchmark (SPEC §6); BENCH_ARGS=--quick for 3 runs
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/python -m compileall -q hrcoord

clean:
	rm -rf build .hrcoord $(VENV)
