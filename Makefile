# The README's commands. `make run` serves the demo; `make test` is what CI runs.
SHELL := /bin/bash

.PHONY: run test lint messages venv bench-scan bench-pages bench-dashboard bench-whatif bench-load

## Serve web app + Celery worker + beat on 127.0.0.1:8000 with demo data (Ctrl-C stops all).
run:
	@scripts/run.sh

## Lint, migration check, the whole suite on PostgreSQL + Redis, then the smoke subset on SQLite.
test:
	@scripts/test.sh

## Lint only.
lint: venv
	.venv/bin/ruff check .

## Refresh locale/en from the marked Chinese strings and compile the .mo that is committed beside it
## (needs GNU gettext: apt-get install gettext). Translate every new msgid before committing.
messages: venv
	.venv/bin/python manage.py makemessages -l en --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='var/*'
	.venv/bin/python manage.py compilemessages -l en

## Create .venv and install requirements-dev.txt (re-installs when a requirements file changes).
venv:
	@scripts/venv.sh

## The deadline scan at scale: 1,000,000 cases on PostgreSQL (database enforcement_bench, wiped), prints timings.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enforcement_bench
bench-scan: venv
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'enforcement_bench'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres enforcement_bench
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) .venv/bin/python manage.py bench_scan $(BENCH_ARGS)

## The workbench pages over 100,000 cases on PostgreSQL (database enforcement_pages_bench, wiped).
PAGES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enforcement_pages_bench
bench-pages: venv
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'enforcement_pages_bench'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres enforcement_pages_bench
	DATABASE_URL=$(PAGES_DATABASE_URL) .venv/bin/python manage.py migrate -v0
	DATABASE_URL=$(PAGES_DATABASE_URL) .venv/bin/python manage.py bench_pages $(BENCH_ARGS)

## The supervisors' dashboard and metrics over 1,000,000 cases (database enforcement_dash_bench, wiped).
DASH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enforcement_dash_bench
bench-dashboard: venv
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'enforcement_dash_bench'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres enforcement_dash_bench
	DATABASE_URL=$(DASH_DATABASE_URL) .venv/bin/python manage.py migrate -v0
	DATABASE_URL=$(DASH_DATABASE_URL) .venv/bin/python manage.py bench_dashboard $(BENCH_ARGS)

## The rule what-if replay: one intermediate court's subtree, 20,000 cases filed last year (database
## enforcement_whatif_bench, wiped); prints the replay time (target < 10 s).
WHATIF_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enforcement_whatif_bench
bench-whatif: venv
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'enforcement_whatif_bench'" \
		| grep -q 1 || createdb -h 127.0.0.1 -U postgres enforcement_whatif_bench
	DATABASE_URL=$(WHATIF_DATABASE_URL) .venv/bin/python manage.py migrate -v0
	DATABASE_URL=$(WHATIF_DATABASE_URL) .venv/bin/python manage.py bench_whatif $(BENCH_ARGS)

## A loopback load test: gunicorn 1/2/4 workers x Celery 1/2 workers against one PostgreSQL (database
## enforcement_load_bench, dropped and re-created with the demo data) and Redis db 12; 30 clients for 60 s
## mixing case pages, lists and milestone POSTs, plus the scan; prints rps, p50/p99 and errors per config.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/enforcement_load_bench
bench-load: venv
	@dropdb -h 127.0.0.1 -U postgres --if-exists enforcement_load_bench
	@createdb -h 127.0.0.1 -U postgres enforcement_load_bench
	DATABASE_URL=$(LOAD_DATABASE_URL) .venv/bin/python manage.py migrate -v0
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python manage.py bench_load $(BENCH_ARGS)
