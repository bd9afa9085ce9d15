"""Production settings (cso.settings, debug off): HTTPS on by default, switches to turn it off, and
Django's deployment checks clean. Each case loads the settings in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NAMES = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SECURE_PROXY_SSL_HEADER"]
SECRET = "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSO_", "DJANGO_"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "cso.settings", "CSO_SECRET_KEY": SECRET, **extra}


def production_settings(**extra) -> dict:
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(**extra), capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def test_without_debug_https_is_on_by_default():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True


def test_a_site_on_plain_http_turns_https_off_with_one_switch():
    values = production_settings(CSO_HTTPS="0")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False


def test_behind_a_tls_proxy_the_redirect_can_trust_the_proxy_or_be_left_to_it():
    assert production_settings(CSO_PROXY_SSL_HEADER="1")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO", "https"]
    values = production_settings(CSO_SSL_REDIRECT="0")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["SECURE_HSTS_SECONDS"] > 0


def test_debug_turns_https_off():
    values = production_settings(CSO_DEBUG="1")
    assert values["SECURE_SSL_REDIRECT"] is False and values["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("database", ["sqlite:///:memory:", "postgres://cso@db.example/cso"])
def test_the_deployment_checks_are_clean_with_production_settings(database):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
        env=_env(DATABASE_URL=database, CSO_ALLOWED_HOSTS="cso.example.gov.cn"), capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
