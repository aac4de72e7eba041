#!/usr/bin/env bash
# The production install, checked from nothing (issue 13): a clean virtualenv from requirements.txt
# ALONE (no dev requirements to hide a missing package), then a Celery worker and beat (celery-redbeat)
# against Redis with production settings, `celery inspect ping` to the worker, and beat holding the
# redbeat lock with the schedule loaded into Redis. Everything it starts it stops by process id; it
# leaves nothing behind. Neither process needs the database for this, so none is migrated.
#   SMOKE_REDIS_URL  the Redis to use (default redis://127.0.0.1:6379/15, a database of its own)
#   SMOKE_VENV       reuse this virtualenv folder instead of a fresh one (pip still installs into it)
set -euo pipefail
cd "$(dirname "$0")/.."

REDIS_URL="${SMOKE_REDIS_URL:-redis://127.0.0.1:6379/15}"
work=$(mktemp -d /tmp/enforcement-smoke.XXXXXX)
venv="${SMOKE_VENV:-$work/venv}"
pids=()
prefix="smoke-$$"

cleanup() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    redis-cli -u "$REDIS_URL" --scan --pattern "$prefix:*" 2>/dev/null | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "smoke_install: $*" >&2
    for log in "$work"/*.log; do [[ -f $log ]] && { echo "--- $log"; grep -v "is ignored: it is neither" "$log" | tail -n 40; } >&2; done
    exit 1
}

started=$(date +%s)
echo "==> clean virtualenv from requirements.txt alone ($venv)"
# The venv gets no pip of its own when the project's .venv can lend one (`pip --python`): the packages
# still come from requirements.txt alone, and ensurepip's copy of pip is not built for nothing.
if [[ -x .venv/bin/python ]] && .venv/bin/python -m pip --version >/dev/null 2>&1; then
    [[ -x $venv/bin/python ]] || python3 -m venv --without-pip "$venv"
    pip=(.venv/bin/python -m pip --python "$venv/bin/python")
else
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    pip=("$venv/bin/python" -m pip)
fi
"${pip[@]}" install --quiet --disable-pip-version-check --no-compile -r requirements.txt >"$work/pip.log" 2>&1 \
    || fail "pip install -r requirements.txt failed"
if "$venv/bin/python" -c "import pytest" 2>/dev/null; then
    fail "the smoke virtualenv has pytest: it is not built from requirements.txt alone"
fi

# Production settings: DEBUG off, keys from the environment, Redis; no database is touched.
export DEBUG=off SECRET_KEY="smoke-secret-$(date +%s%N)" AUDIT_KEY="smoke-audit-$(date +%s%N)"
export ALLOWED_HOSTS=localhost VAR_DIR="$work/var" REDIS_URL REDBEAT_KEY_PREFIX="$prefix:" DJANGO_SETTINGS_MODULE=enforcement.settings
unset DATABASE_URL
export CELERY_QUEUE="$prefix"  # its own queue: a developer's worker on the same Redis takes nothing of it

echo "    installed in $(( $(date +%s) - started ))s"
echo "==> worker and beat against $REDIS_URL"
node="$prefix@$(hostname)"
"$venv/bin/celery" -A enforcement worker -l info -c 1 -n "$node" --without-gossip --without-mingle \
    --logfile "$work/worker.log" >"$work/worker.out.log" 2>&1 &
pids+=($!)
"$venv/bin/celery" -A enforcement beat -l info --logfile "$work/beat.log" >"$work/beat.out.log" 2>&1 &
pids+=($!)

pong=""
for _ in $(seq 30); do
    if pong=$("$venv/bin/celery" -A enforcement inspect ping -d "$node" --timeout 2 2>&1) && grep -q pong <<<"$pong"; then
        break
    fi
    pong=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a Celery process died"; done
    sleep 1
done
[[ -n $pong ]] || fail "the worker did not answer inspect ping"
echo "$pong" | grep pong

entries=0
for _ in $(seq 60); do
    grep -q "beat: Acquired lock" "$work/beat.log" 2>/dev/null \
        && entries=$(redis-cli -u "$REDIS_URL" zcard "$prefix::schedule" 2>/dev/null || echo 0) && (( entries > 0 )) && break
    sleep 0.5
done
grep -q "beat: Acquired lock" "$work/beat.log" || fail "beat did not take the redbeat lock"
[[ -n "$(redis-cli -u "$REDIS_URL" get "$prefix::lock")" ]] || fail "beat holds no redbeat lock"
(( entries > 0 )) || fail "beat stored no schedule in Redis"
echo "==> worker answered ping; beat runs redbeat: lock held, $entries entries scheduled in Redis" \
     "($(( $(date +%s) - started ))s)"
