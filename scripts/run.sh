#!/usr/bin/env bash
# `make run`: migrate, load the demo data, then run web + worker + beat under honcho.
# Without DATABASE_URL / REDIS_URL this uses the embedded default (SQLite file and a filesystem
# Celery broker under var/); with them set it uses PostgreSQL / Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
export PYTHONUNBUFFERED=1
mkdir -p "${VAR_DIR:-var}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py loaddemo
echo "==> http://127.0.0.1:8000/  (demo users: see README; Ctrl-C stops web, worker and beat)"
exec .venv/bin/honcho --procfile Procfile.dev start
