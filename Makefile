# Odoo PRM — developer entry points. See README.md.
.PHONY: test run lint bench help

help:
	@echo "make test   lint + install every prm_* module with demo data + pytest-odoo (what CI runs)"
	@echo "make run    Odoo on http://localhost:8069 with database prm_demo"
	@echo "make lint   ruff, pylint-odoo, XML checks only"
	@echo "make bench  benchmarks in tests/benchmarks, one table (BENCH_SIZE=small for a quick run, N=... one size for all, ONLY=sellout,routing)"

test:
	./scripts/test.sh $(ARGS)

run:
	./scripts/run.sh

lint:
	./scripts/lint.sh

bench:
	BENCH_SIZE="$(BENCH_SIZE)" ONLY="$(ONLY)" ./scripts/bench.sh $(N)
