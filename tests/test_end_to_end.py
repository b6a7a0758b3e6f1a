"""The real parts: a Celery worker process on Redis, and the embedded default in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims.models import Article, Claim, ClaimState, Evidence
from tests.conftest import ROOT, SEED_ARTICLE

SEED_META = [
    "--outlet",
    "dagens.com",
    "--byline",
    "Camilla Jessen",
    "--published",
    "2025-01-31T09:25:00+01:00",
]


@pytest.fixture
def redis_url():
    import redis

    url = settings.TEST_REDIS_URL
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def broker(redis_url, settings):
    """Point this process's Celery app at Redis (not eager) for the test."""
    from tests.faults.harness import celery_broker

    with celery_broker(redis_url, settings):
        yield redis_url


@pytest.fixture
def worker(broker, tmp_path):
    """A real `celery worker` process on the test database and the Redis broker."""
    from tests.faults.harness import Worker

    w = Worker(broker, tmp_path, name="worker", application_name="e2e-worker")
    w.start()
    yield w
    w.stop()


def _wait_for(predicate, timeout=90.0, what="condition", log_path=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    tail = Path(log_path).read_text()[-3000:] if log_path else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_turns_an_article_into_claims_with_evidence(worker, tmp_path):
    from django.core.management import call_command

    from workers import ingest

    assert connection.vendor == "postgresql"
    call_command("seed_demo", "--no-article", "--force", stdout=open(os.devnull, "w"))
    raw, fmt = ingest.read_path(str(SEED_ARTICLE))
    parsed = ingest.parse_article(
        raw, fmt=fmt, outlet="dagens.com", published="2025-01-31T09:25:00+01:00"
    )
    article, created = ingest.ingest_article(parsed)
    assert created
    log = tmp_path / "worker.log"

    def done():
        a = Article.objects.get(pk=article.pk)
        if a.status == Article.Status.FAILED:
            raise AssertionError(f"article failed: {a.last_error}\n{log.read_text()[-3000:]}")
        claims = Claim.objects.filter(article=article)
        return (
            a.status == Article.Status.PROCESSED
            and claims.exists()
            and not claims.filter(corroborated_at__isnull=True).exists()
        )

    _wait_for(done, what="the worker to process and corroborate the article", log_path=log)
    claims = Claim.objects.filter(article=article)
    assert claims.count() >= 8
    assert set(claims.values_list("state", flat=True)) == {ClaimState.CORROBORATING}
    assert Evidence.objects.filter(claim__article=article).exists()
    assert "succeeded" in log.read_text()


@pytest.mark.slow
def test_the_embedded_default_checks_the_seed_article(tmp_path):
    """Nothing configured: SQLite + FTS5, tasks in-process, exactly as `make demo` runs it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
        )
    }
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    for step in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "--no-article"]):
        result = manage(*step)
        assert result.returncode == 0, result.stderr
    result = manage("check_article", str(SEED_ARTICLE), "--json", *SEED_META)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (tmp_path / "factcheck.sqlite3").exists()
    body = report["article"]["body"]
    assert len(report["claims"]) >= 8
    for claim in report["claims"]:
        assert body[claim["start"] : claim["end"]] == claim["text"]
        assert claim["state"] == "corroborating"
    # The FTS5 index answers (its triggers survive the migrations that rebuild the table):
    # the seed's claims find the demo corpus.
    with_evidence = [c for c in report["claims"] if c["evidence"]]
    assert len(with_evidence) >= len(report["claims"]) // 2
    table = manage("check_article", str(SEED_ARTICLE), *SEED_META)
    assert table.returncode == 0, table.stderr
    assert "claims" in table.stdout and "attribution:" in table.stdout
