# hrcoord — two commands set everything up: `make demo` and `make test` (in either order, again
# and again). Every target runs .ci/tasks.py, which is what Windows runs without make:
#   py .ci\tasks.py demo     py .ci\tasks.py test
PY ?= python3
export VENV ?= .venv

.PHONY: install demo test fuzz bench lint upgrade clean axe

install:  ## the venv with hrcoord and what the tests need, pinned by .ci/constraints.txt
	$(PY) .ci/tasks.py install

demo:  ## install, then the main jobs on the embedded repository (writes only to build/)
	$(PY) .ci/tasks.py demo

test:  ## the whole suite on every core, the hostile run included (1,000 command invocations)
	$(PY) .ci/tasks.py test

axe:  ## axe-core from npm for the accessibility tests (without npm they skip)
	$(PY) .ci/tasks.py axe

fuzz:  ## the hostile run at length: FUZZ=5000 command invocations (or more)
	$(PY) .ci/tasks.py fuzz

bench:  ## side-by-side benchmark (SPEC §6); BENCH_ARGS=--quick for 3 runs
	$(PY) .ci/tasks.py bench $(BENCH_ARGS)

lint:  ## ruff and mypy must pass; no function over complexity 15 (radon) without a reason in its docstring
	$(PY) .ci/tasks.py lint

upgrade:  ## refresh the pinned versions (.ci/constraints.txt) from the newest releases
	$(PY) .ci/tasks.py upgrade

clean:
	$(PY) .ci/tasks.py clean
