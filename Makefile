# The README's commands. `make run` serves the demo; `make test` is what CI runs.
SHELL := /bin/bash

.PHONY: run test lint venv

## Serve web app + Celery worker + beat on 127.0.0.1:8000 with demo data (Ctrl-C stops all).
run:
	@scripts/run.sh

## Lint, migration check, the whole suite on PostgreSQL + Redis, then the smoke subset on SQLite.
test:
	@scripts/test.sh

## Lint only.
lint: venv
	.venv/bin/ruff check .

## Create .venv and install requirements-dev.txt (re-installs when a requirements file changes).
venv:
	@scripts/venv.sh
