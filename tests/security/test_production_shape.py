"""Finding 8 (production hardening) and 12 (Swagger UI from a CDN, unpinned).

With DEBUG off the defaults are HSTS, the https redirect, secure cookies and a
Content-Security-Policy; FACTCHECK_HTTPS=0 turns HTTPS off for a local plain-HTTP run;
`check --deploy` is clean in the documented production shape. The settings are read in a
process of their own, as a deployment reads them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DATABASE_URL": "postgres://factcheck@db.internal:5432/factcheck",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "SECRET_KEY": "q8Zr2-vX!m7Lp0#tY4wNc9Kd6Hs1Bf3Ju5Ge8Ra2Ti0Ow7Qy4Ux9Vz",
    "ALLOWED_HOSTS": "factcheck.example.org",
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FACTCHECK_"))}
    base.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**env: str) -> dict:
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "CONTENT_SECURITY_POLICY",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_and_csp_are_on_by_default_with_debug_off():
    s = production_settings()
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"] == ["'self'"]


def test_one_setting_turns_https_off_for_plain_http():
    s = production_settings(FACTCHECK_HTTPS="0")
    assert not s["SECURE_SSL_REDIRECT"] and not s["SESSION_COOKIE_SECURE"]
    assert not s["CSRF_COOKIE_SECURE"] and s["SECURE_HSTS_SECONDS"] == 0
    assert s["CONTENT_SECURITY_POLICY"]  # the CSP stays


def test_check_deploy_is_clean_in_the_production_shape():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/login/", "/api/docs/", "/api/session/login/"])
def test_pages_carry_the_content_security_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_api_docs_load_nothing_from_elsewhere_and_no_inline_script(client):
    page = client.get("/api/docs/").content.decode()
    assert (
        "cdn.jsdelivr.net" not in page
        and "@latest" not in page
        and "//"
        not in "".join(line for line in page.splitlines() if "src=" in line and "http" in line)
    )
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    # The start-up script is a file of its own (the split view), allowed by script-src 'self'.
    assert "<script>" not in page.replace(" ", "")
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
