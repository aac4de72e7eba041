#!/usr/bin/env bash
# `make run`: migrate, load the demo data, then run web + worker + beat under honcho.
# Without DATABASE_URL / REDIS_URL this uses the embedded default (SQLite file and a filesystem
# Celery broker under var/); with them set it uses PostgreSQL / Redis, and beat keeps its schedule and
# its lock in Redis (celery-redbeat, CELERY_BEAT_SCHEDULER in settings): a second `make run` on the
# same Redis starts a beat that waits on the lock instead of sending every job twice.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
export PYTHONUNBUFFERED=1
mkdir -p "${VAR_DIR:-var}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py loaddemo
if [[ -n "${REDIS_URL:-}" ]]; then
    echo "==> beat: celery-redbeat on $REDIS_URL"
else
    echo "==> beat: file schedule under ${VAR_DIR:-var}/ (set REDIS_URL for redbeat)"
fi
echo "==> http://127.0.0.1:8000/  (demo users: see README; Ctrl-C stops web, worker and beat)"
exec .venv/bin/honcho --procfile Procfile.dev start
