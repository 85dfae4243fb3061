# Developer shortcuts; CI runs .ci/run, which uses the README's commands.
.PHONY: test lint fuzz bench schemas

test:
	python -m pytest

lint:
	ruff check . && ruff format --check .

fuzz:  ## bounded: a minute by default, FUZZ_SECONDS=600 for longer; not in CI
	python fuzz/run.py --seconds $${FUZZ_SECONDS:-60}

bench:  ## the reference benchmark's ratios (see bench/README.md); not in CI
	@if [ -f ../shared/perf/bench.py ]; then ../shared/perf/peers-venv.sh && python ../shared/perf/bench.py seed && python ../shared/perf/bench.py scale; \
	else echo "the reference benchmark is not here; bench/build.py and bench/catalogue.py measure pamflet alone"; python bench/build.py; fi

schemas:
	for kind in pamflet leaflet front-matter layout leaflet-translation front-matter-translation; do pamflet schema $$kind > schemas/$$kind.schema.json; done
