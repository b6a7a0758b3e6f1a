"""The real parts: a `celery worker` on Redis polls a watched feed served by a real local
server into articles with claims, and delivers the alerts it raises by email (Django's
file backend, read back here) and to a Slack-format receiver."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from claims import workflow
from claims.models import Alert, AlertPreference, Article, Claim, Feed, FeedItem
from tests.api.receiver import receiver
from tests.watch.conftest import KURSK, SHELLS, rss, serve

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def broker(settings):
    import redis

    from tests.faults.harness import celery_broker

    url = settings.TEST_REDIS_URL
    redis.Redis.from_url(url).flushdb()
    with celery_broker(url, settings):
        yield url


@pytest.fixture
def mailbox(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(broker, tmp_path, mailbox):
    from tests.faults.harness import Worker

    w = Worker(
        broker,
        tmp_path,
        name="watch",
        application_name="watch-e2e-worker",
        env={
            "FACTCHECK_FETCH_ALLOW_PRIVATE": "1",
            "FACTCHECK_FETCH_HOST_INTERVAL": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mailbox),
        },
    )
    w.start()
    yield w
    w.stop()


def _wait_for(predicate, what: str, log: Path, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{log.read_text()[-3000:]}")


def test_a_real_worker_turns_a_watched_feed_into_articles_and_alerts_people(
    worker, tmp_path, mailbox, alice, fiona, outlet
):
    from factcheck import queue

    assert connection.vendor == "postgresql" and not settings.CELERY_TASK_ALWAYS_EAGER
    serve(outlet, "/kursk.html", KURSK)
    serve(outlet, "/shells.html", SHELLS)
    serve(
        outlet,
        "/feed.xml",
        rss(
            [
                {"title": "Troops pulled back", "link": "/kursk.html", "guid": "w:1"},
                {"title": "Shells", "link": "/shells.html", "guid": "w:2"},
            ]
        ),
        "application/rss+xml",
    )
    feed = Feed.objects.create(
        url=outlet.url("/feed.xml"), outlet="Example Wire", purpose=Feed.Purpose.ARTICLES
    )
    log = tmp_path / "watch.log"

    queue.send(queue.POLL_DUE_FEEDS)  # what beat sends every minute

    def corroborated():
        claims = Claim.objects.filter(article__feed=feed)
        return (
            Article.objects.filter(feed=feed, status=Article.Status.PROCESSED).count() == 2
            and claims.exists()
            and not claims.filter(corroborated_at__isnull=True).exists()
        )

    _wait_for(corroborated, "the worker to fetch, read and corroborate both items", log)
    assert set(FeedItem.objects.filter(feed=feed).values_list("status", flat=True)) == {"fetched"}
    assert Article.objects.filter(feed=feed, archive__isnull=False).count() == 2

    # An assignment made in the web process is delivered by the worker, on both channels.
    fiona.email = "fiona@desk.example"
    fiona.save()
    claim = Claim.objects.filter(article__feed=feed).order_by("-checkworthiness").first()
    with receiver() as rx:
        AlertPreference.objects.create(user=fiona, slack_webhook_url=rx.url("/hook"))
        workflow.assign(claim, assignee=fiona, by=alice)
        _wait_for(lambda: Alert.objects.filter(status="sent").exists(), "the alert", log)
    (sent,) = [p.read_text() for p in mailbox.iterdir()]
    assert "To: fiona@desk.example" in sent and f"Claim {claim.pk} was assigned to you" in sent
    (posted,) = rx.received
    assert claim.text in json.loads(posted.body)["text"]
