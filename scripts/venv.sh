#!/usr/bin/env bash
# Create .venv with python3 if it is missing and install the pinned requirements into it.
# A stamp file skips pip when neither requirements file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
stamp=.venv/.requirements-installed

if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating .venv with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv .venv
fi
if [[ ! -f $stamp || requirements.txt -nt $stamp || requirements-dev.txt -nt $stamp ]]; then
    echo "==> installing requirements-dev.txt"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    touch "$stamp"
fi
