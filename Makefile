# Developer shortcuts; CI runs .ci/run, which uses the README's commands.
.PHONY: test lint fuzz bench schemas

test:
	python -m pytest

lint:
	ruff check . && ruff format --check .

fuzz:  ## bounded: a minute by default, FUZZ_SECONDS=600 for longer; not in CI
	python fuzz/run.py --seconds $${FUZZ_SECONDS:-60}

bench:  ## speed targets, in a fresh virtual environment for realistic numbers; not in CI
	python bench/build.py
	python bench/catalogue.py

schemas:
	for kind in pamflet leaflet front-matter layout; do pamflet schema $$kind > schemas/$$kind.schema.json; done
