"""Shared fixtures: the personas (a fact-checker, a reviewer, an outsider) and service gates.

Tests marked `postgres` or `redis` skip, with one clear line, when the service does not
answer; FACTCHECK_REQUIRE_SERVICES=1 (set by .ci/run) turns those skips into failures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "north-korean-troops-disappear.txt"
REQUIRE_SERVICES = os.environ.get("FACTCHECK_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def pytest_report_header(config):
    db = (
        "PostgreSQL"
        if getattr(settings, "POSTGRES_AVAILABLE", False)
        else "SQLite (PostgreSQL did not answer)"
    )
    redis = (
        "Redis answers" if getattr(settings, "REDIS_AVAILABLE", False) else "Redis did not answer"
    )
    return [f"factcheck services: database {db}; {redis}; require services: {REQUIRE_SERVICES}"]


def _missing_services() -> list[tuple[str, str]]:
    missing = []
    if not getattr(settings, "POSTGRES_AVAILABLE", False):
        missing.append(("postgres", f"PostgreSQL did not answer at {settings.TEST_DATABASE_URL}"))
    if not getattr(settings, "REDIS_AVAILABLE", False):
        missing.append(("redis", f"Redis did not answer at {settings.TEST_REDIS_URL}"))
    return missing


_GATE = "(set FACTCHECK_REQUIRE_SERVICES=1 to fail instead)"


def missing(why: str) -> None:
    """The one gate for a missing service or tool: skip on a developer's machine, fail
    under FACTCHECK_REQUIRE_SERVICES=1 (CI), so CI can never pass by skipping."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{why}, and FACTCHECK_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(f"{why} {_GATE}")


def pytest_runtest_setup(item):
    for marker, why in _missing_services():
        if marker in item.keywords:
            missing(why)


def pytest_terminal_summary(terminalreporter):
    """Every skip that came through `missing()` (a service or a tool), counted by reason."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        text = str(report.longrepr)
        if _GATE in text:
            # longrepr of a skip is (path, line, "Skipped: <why> <gate>")
            why = text.split("Skipped: ", 1)[-1].split(f" {_GATE}", 1)[0]
            reasons[why] = reasons.get(why, 0) + 1
    for why, n in sorted(reasons.items()):
        terminalreporter.write_line(
            f"NOTE: {n} tests skipped: {why}. Start or install it (see README), or set "
            "FACTCHECK_REQUIRE_SERVICES=1 to make this a failure."
        )


@pytest.fixture
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


def _user(django_user_model, username, group_name, **extra):
    from django.contrib.auth.models import Group

    from claims.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(
        username=username, password="pw-" + username, is_staff=True, **extra
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def alice(db, django_user_model):
    """Alice is a fact-checker: she works the queues and rules claims."""
    from claims.roles import FACT_CHECKERS

    return _user(django_user_model, "alice", FACT_CHECKERS)


@pytest.fixture
def fiona(db, django_user_model):
    """Fiona is a second fact-checker, for races with Alice."""
    from claims.roles import FACT_CHECKERS

    return _user(django_user_model, "fiona", FACT_CHECKERS)


@pytest.fixture
def bob(db, django_user_model):
    """Bob is a reviewer: he reads, comments and suggests; he cannot rule."""
    from claims.roles import REVIEWERS

    return _user(django_user_model, "bob", REVIEWERS)


@pytest.fixture
def charlie(db, django_user_model):
    """Charlie has an account and no role."""
    return django_user_model.objects.create_user(username="charlie", password="pw-charlie")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
