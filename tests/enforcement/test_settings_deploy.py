"""Production settings: with DEBUG off and the required variables set, `check --deploy` is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    dropped = {"DEBUG", "SECRET_KEY", "AUDIT_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True,
        timeout=120,
    )


@pytest.mark.smoke
def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    # given production variables
    env = {
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "AUDIT_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "zxgl.lyzy.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://zxgl.lyzy.gov.cn",
        "VAR_DIR": str(tmp_path),
    }

    # when
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.smoke
def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    # given DEBUG off and no SECRET_KEY in the environment
    env = {"DEBUG": "off", "ALLOWED_HOSTS": "zxgl.lyzy.gov.cn", "VAR_DIR": str(tmp_path)}

    # when
    result = run_manage("check", **env)

    # then
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.smoke
def test_debug_off_without_an_audit_key_refuses_to_start(tmp_path):
    # given production variables but no AUDIT_KEY (SPEC §12: development default only with DEBUG on)
    env = {"DEBUG": "off", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "zxgl.lyzy.gov.cn",
           "VAR_DIR": str(tmp_path)}

    # when
    result = run_manage("check", **env)

    # then
    assert result.returncode != 0
    assert "AUDIT_KEY must be set" in result.stderr


@pytest.mark.parametrize("audit_key, message", [
    ("short", "at least 32 characters"),
    ("dev-insecure-audit-key-do-not-use-in-production-0123456789abcdef", "at least 32 characters"),
    (None, "must differ from SECRET_KEY"),
])
def test_check_deploy_refuses_a_weak_or_borrowed_audit_key(tmp_path, audit_key, message):
    # given
    secret = secrets.token_urlsafe(64)
    env = {"DEBUG": "off", "SECRET_KEY": secret, "AUDIT_KEY": audit_key or secret,
           "ALLOWED_HOSTS": "zxgl.lyzy.gov.cn", "CSRF_TRUSTED_ORIGINS": "https://zxgl.lyzy.gov.cn",
           "VAR_DIR": str(tmp_path)}

    # when
    result = run_manage("check", "--deploy", **env)

    # then
    assert result.returncode != 0
    assert message in result.stderr
