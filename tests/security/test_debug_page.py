"""Finding 9: the DEBUG error page showed DATABASE_URL, CELERY_BROKER_URL and CACHE_URL
with their passwords (their names miss Django's redaction pattern)."""

from __future__ import annotations

import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter

# Built at run time: the debug page also shows source lines, and this one must not match.
SECRET = "".join(reversed("drowssap-bd-2retnuh"))


def debug_page() -> str:
    request = RequestFactory().get("/boom/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        return ExceptionReporter(request, *sys.exc_info(), is_email=False).get_traceback_html()


def test_url_settings_lose_their_passwords_on_the_debug_page(settings):
    settings.DEBUG = True
    settings.DATABASE_URL = f"postgres://factcheck:{SECRET}@db:5432/factcheck"
    settings.CELERY_BROKER_URL = f"redis://:{SECRET}@redis:6379/0"
    settings.CACHE_URL = f"rediss://cache:{SECRET}@redis:6380/1"
    settings.REDIS_URL = f"redis://:{SECRET}@redis:6379/2"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"redis://:{SECRET}@redis:6379/1",
        }
    }
    html = debug_page()
    assert "DATABASE_URL" in html and "CELERY_BROKER_URL" in html  # shown, but hidden
    assert SECRET not in html


def test_other_settings_still_show(settings):
    settings.DEBUG = True
    settings.FACTCHECK_PUBLIC_URL = "https://factcheck.example.org"
    assert "https://factcheck.example.org" in debug_page()
