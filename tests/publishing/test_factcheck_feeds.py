"""Registered fact-check feeds: the API, polling (conditional, errors recorded), the beat
schedule, and a real worker on Redis that polls a feed and flags a matching claim."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings

from analysis import types as t
from claims.models import FactCheck, FactCheckFeed, Flag
from tests.fetching.localserver import respond, start_server
from tests.publishing.conftest import article_claim, claim_review
from tests.publishing.test_matching import PARAPHRASE
from workers import factchecks

FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {"@type": "DataFeedItem", "item": [claim_review("https://pf.example/shells", PARAPHRASE)]},
        {
            "@type": "DataFeedItem",
            "item": [{"@type": "ClaimReview", "url": "https://pf.example/x"}],
        },
    ],
}


@pytest.fixture
def feed_server():
    srv, state = start_server()
    state.routes["/robots.txt"] = lambda h: respond(h, 404, b"", "text/plain")

    def serve(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        respond(h, 200, json.dumps(FEED).encode(), "application/json", {"ETag": '"v1"'})

    state.routes["/feed.json"] = serve
    state.routes["/broken.json"] = lambda h: respond(h, 200, b"{nope", "application/json")
    yield state
    srv.shutdown()
    srv.server_close()


@pytest.mark.django_db
def test_feeds_are_registered_by_fact_checkers(as_alice, as_bob):
    body = {"url": "https://pf.example/feed.json", "title": "PF", "poll_interval_minutes": 60}
    assert as_bob.post("/api/factcheck-feeds/", body, format="json").status_code == 403
    response = as_alice.post("/api/factcheck-feeds/", body, format="json")
    assert response.status_code == 201, response.content
    assert as_bob.get("/api/factcheck-feeds/").json()["results"][0]["title"] == "PF"
    bad = as_alice.post("/api/factcheck-feeds/", {"url": "ftp://x"}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_polling_imports_then_asks_only_for_changes_and_records_errors(feed_server):
    feed = FactCheckFeed.objects.create(url=feed_server.url("/feed.json"))
    claim = article_claim()
    result = factchecks.poll_feed(feed.pk)  # matching is queued; eager here, it runs
    assert (result["imported"], result["skipped"]) == (1, 1)
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_result["imported"] == 1 and not feed.last_error
    assert FactCheck.objects.get().feed == feed
    assert factchecks.poll_feed(feed.pk) == {"feed": feed.pk, "not_modified": True}
    broken = FactCheckFeed.objects.create(url=feed_server.url("/broken.json"))
    assert "not read" in factchecks.poll_feed(broken.pk)["error"]
    broken.refresh_from_db()
    assert broken.last_error.startswith("not read: not JSON")
    assert set(factchecks.due_feeds()) == set()  # both polled just now
    del claim


@pytest.mark.django_db
def test_matching_after_a_feed_poll_flags_the_claim(
    feed_server, django_capture_on_commit_callbacks
):
    claim = article_claim()
    feed = FactCheckFeed.objects.create(url=feed_server.url("/feed.json"))
    with django_capture_on_commit_callbacks(execute=True):
        factchecks.poll_feed(feed.pk)
    assert Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).count() == 1


def test_beat_polls_the_feeds_and_the_fetch_queue_takes_them():
    schedule = {e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "workers.tasks.poll_due_factcheck_feeds" in schedule
    assert django_settings.CELERY_TASK_ROUTES["workers.tasks.poll_factcheck_feed"] == {
        "queue": "fetch"
    }


@pytest.fixture
def real_worker(settings, tmp_path):
    import redis

    from tests.faults.harness import Worker, celery_broker

    url = settings.TEST_REDIS_URL
    redis.Redis.from_url(url).flushdb()
    with celery_broker(url, settings):
        w = Worker(
            url,
            tmp_path,
            name="factcheck-worker",
            application_name="publish-e2e",
            env={"FACTCHECK_FETCH_ALLOW_PRIVATE": "1"},
        )
        w.start()
        yield w
        w.stop()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_polls_a_feed_and_flags_the_matching_claim(feed_server, real_worker):
    from factcheck import queue
    from tests.faults.harness import wait_until

    claim = article_claim()
    feed = FactCheckFeed.objects.create(url=feed_server.url("/feed.json"))
    assert queue.send(queue.POLL_FACTCHECK_FEED, feed.pk)
    wait_until(
        lambda: Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).exists(),
        timeout=90,
        what="the worker to poll the feed, import and flag the claim",
        log=real_worker.log(),
    )
    flag = Flag.objects.get(claim=claim, kind=t.ALREADY_CHECKED)
    assert "https://pf.example/shells" in flag.message
    feed.refresh_from_db()
    assert feed.last_result["imported"] == 1 and feed.last_result["skipped"] == 1
    # Polled again (a redelivery, the next beat): nothing is written twice.
    before = feed.last_polled_at
    assert queue.send(queue.POLL_FACTCHECK_FEED, feed.pk)
    wait_until(
        lambda: FactCheckFeed.objects.get(pk=feed.pk).last_polled_at != before,
        timeout=60,
        what="the second poll",
        log=real_worker.log(),
    )
    assert FactCheck.objects.count() == 1
    assert Flag.objects.filter(claim=claim, kind=t.ALREADY_CHECKED).count() == 1
