"""What Django's DEBUG error page (and error emails) may show of the settings.

Django hides settings whose names match API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE;
DATABASE_URL, CELERY_BROKER_URL, CACHE_URL and REDIS_URL carry passwords under names that
do not. They are hidden whole, and any other setting's URL (CACHES' LOCATION, a broker
URL nested in a dict) loses its password.
"""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

# user:password@ in scheme://user:password@host
_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@", re.IGNORECASE)


def redact_url_password(text: str, substitute: str = "********************") -> str:
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{substitute}@", text)


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern
        + "|DATABASE_URL|BROKER_URL|CACHE_URL|REDIS_URL|RESULT_BACKEND",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        if isinstance(value, str):
            # str(): some settings are lazy strings (django-axes messages).
            return redact_url_password(str(value), self.cleansed_substitute)
        return value
