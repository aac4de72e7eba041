#!/usr/bin/env bash
# `make test`: the whole check. Every step runs even if an earlier one failed (a lint error must not
# hide a failing test); the exit status is non-zero if any step failed.
#   1. PostgreSQL and Redis on 127.0.0.1 (started here if installed but stopped)
#   2. ruff, mypy, and no model change without its migration
#   3. the whole pytest suite (browser tests included) on PostgreSQL + Redis
#   4. the `smoke` subset on the embedded SQLite default
#   5. the production install: a clean venv from requirements.txt alone, worker + beat on Redis
#      (scripts/smoke_install.sh, Redis db 15)
# TEST_DATABASE_URL / TEST_REDIS_URL override the PostgreSQL database and Redis db used in step 3.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/enforcement}"
REDIS="${TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
PYTEST_ARGS=(${PYTEST_ARGS:-})

step() { printf '\n==> %s\n' "$*"; }

failed=()
check() {  # check <name> <command…>: run one step, remember it if it fails
    local name=$1; shift
    step "$name"
    if ! "$@"; then
        failed+=("$name")
        printf '\n!!! FAILED: %s\n' "$name"
    fi
}

wait_for() {  # wait_for <what> <command…>: up to 30 s
    local what=$1; shift
    for _ in $(seq 60); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "$what did not come up on 127.0.0.1" >&2
    return 1
}

redis_up() { [[ "$(redis-cli -h 127.0.0.1 ping 2>/dev/null)" == PONG ]]; }

ensure_postgres() {
    if pg_isready -q -h 127.0.0.1 2>/dev/null; then return 0; fi
    if ! command -v pg_ctlcluster >/dev/null || [[ ! -d /etc/postgresql ]]; then
        echo "PostgreSQL is not running on 127.0.0.1:5432 and not installed (apt-get install postgresql)." >&2
        return 1
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_for PostgreSQL pg_isready -q -h 127.0.0.1
}

ensure_redis() {
    if redis_up; then return 0; fi
    if ! command -v redis-server >/dev/null; then
        echo "Redis is not running on 127.0.0.1:6379 and not installed (apt-get install redis-server)." >&2
        return 1
    fi
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for Redis redis_up
}

start=$(date +%s)

step "services: PostgreSQL and Redis"
ensure_postgres
ensure_redis

step "virtualenv"
scripts/venv.sh

check "ruff check" .venv/bin/ruff check .

check "mypy" env -u DATABASE_URL .venv/bin/mypy .

check "migrations are up to date" .venv/bin/python manage.py makemigrations --check --dry-run

check "pytest: whole suite on PostgreSQL + Redis" \
    env DATABASE_URL="$PG_URL" REDIS_URL="$REDIS" .venv/bin/python -m pytest -q "${PYTEST_ARGS[@]}"

check "pytest: smoke subset on SQLite" \
    env -u DATABASE_URL -u REDIS_URL .venv/bin/python -m pytest -q -m smoke "${PYTEST_ARGS[@]}"

check "production install: clean venv from requirements.txt, worker + beat on Redis" \
    env SMOKE_REDIS_URL="${REDIS%/*}/15" scripts/smoke_install.sh

elapsed=$(( $(date +%s) - start ))
if (( ${#failed[@]} )); then
    printf '\n==> FAILED after %ss:\n' "$elapsed" >&2
    printf '    %s\n' "${failed[@]}" >&2
    exit 1
fi
printf '\n==> all checks passed in %ss\n' "$elapsed"
