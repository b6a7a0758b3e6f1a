"""The one lockout policy for every login (the admin form, the API's session login and the
token exchange), kept by django-axes.

Failed logins are counted per username *and* address together: five wrong passwords for
one account from one address lock that account from that address for
FACTCHECK_LOGIN_WINDOW_SECONDS, even with the right password, and nobody else behind the
same address (a newsroom's proxy) is locked out with them. Axes stores the attempts in
the database (AccessAttempt, listed in the admin for superusers), so every web process
shares them; its backend sits in front of ModelBackend, so whatever calls
`authenticate()` with a request is covered.

The client's address is REMOTE_ADDR unless FACTCHECK_NUM_PROXIES names how many proxies
in front of the service append to X-Forwarded-For (the same rule as DRF's NUM_PROXIES):
a header a client sends itself is never trusted.
"""

from __future__ import annotations

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings

LOCKED_MESSAGE = "Too many failed logins. Wait a few minutes and try again."


def client_address(request) -> str | None:
    """The caller's address, trusting X-Forwarded-For only behind the configured proxies."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.FACTCHECK_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    hops = [h.strip() for h in forwarded.split(",")]
    return hops[-min(proxies, len(hops))] or remote


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT, read at each login so the setting can change (tests do)."""
    return settings.FACTCHECK_LOGIN_MAX_FAILURES


def cool_off(request) -> timedelta:
    return timedelta(seconds=settings.FACTCHECK_LOGIN_WINDOW_SECONDS)


def is_locked(request, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


class LockoutBackend(AxesStandaloneBackend):
    """Axes' backend; a call without a request (a management command, the test client's
    login()) has no caller to lock out and goes straight on to ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
