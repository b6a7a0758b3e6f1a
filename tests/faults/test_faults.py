"""Fault injection with real processes: workers SIGKILLed, Redis restarted or down,
database connections dropped, a poison article. After each, count what was lost or
duplicated: the answer must be zero.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from analysis.extraction import extract_claims
from claims.models import Article, Claim, Evidence, Flag, Transition
from tests.faults.harness import RedisServer, Worker, celery_broker, wait_for_progress, wait_until
from workers import ingest, sweep

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

# Short limits so redelivery after a kill happens within the test (the settings insist the
# visibility timeout exceeds the hard limit, as in production).
FAST_REDELIVERY = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "CELERY_TASK_TIME_LIMIT": "10",
    "CELERY_VISIBILITY_TIMEOUT": "12",
}

PLACES = [
    "Kalmar",
    "Ostrava",
    "Tartu",
    "Gdynia",
    "Braga",
    "Lecce",
    "Zadar",
    "Kaunas",
    "Varna",
    "Tromso",
]


def article_text(n: int) -> str:
    place = PLACES[n % len(PLACES)]
    return (
        f"Officials said around {1000 + n * 7:,} troops arrived in {place} on Monday, according to the defence ministry.\n\n"
        f"The ministry confirmed that {20 + n} armoured vehicles were sent to {place} last week.\n\n"
        f"Reports suggest that more than {30 + n % 50}% of the supplies in {place} came from abroad (batch {n})."
    )


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """This process enqueues to the private Redis, as the web process would."""
    with celery_broker(redis_server.url, settings):
        yield redis_server


@pytest.fixture
def workers(broker, tmp_path):
    started: list[Worker] = []

    def make(name: str, **kwargs) -> Worker:
        w = Worker(broker.url, tmp_path, name=name, **kwargs)
        started.append(w)
        return w

    yield make
    for w in started:
        w.stop()


def submit(n: int) -> Article:
    parsed = ingest.parse_article(
        article_text(n).encode(),
        fmt="text",
        outlet=f"Outlet {n % 7}",
        published="2025-01-20T12:00:00+00:00",
    )
    article, created = ingest.ingest_article(parsed)
    assert created
    return article


def expected_claims(articles) -> int:
    return sum(
        len(extract_claims(a.body, published_at=a.published_at, boilerplate=a.boilerplate))
        for a in articles
    )


def all_done(article_ids) -> bool:
    processed = Article.objects.filter(pk__in=article_ids, status=Article.Status.PROCESSED).count()
    pending = Claim.objects.filter(
        article_id__in=article_ids, corroborated_at__isnull=True
    ).exists()
    return processed == len(article_ids) and not pending


def assert_exactly_once(articles) -> dict:
    ids = [a.pk for a in articles]
    claims = Claim.objects.filter(article_id__in=ids)
    spans = list(claims.values_list("article_id", "start", "end"))
    assert len(spans) == len(set(spans))
    assert claims.count() == expected_claims(Article.objects.filter(pk__in=ids))
    # one extracted -> corroborating row per claim, never two
    assert Transition.objects.filter(claim__in=claims).count() == claims.count()
    ev = list(Evidence.objects.filter(claim__in=claims).values_list("claim_id", "passage_id"))
    assert len(ev) == len(set(ev))
    flags = list(Flag.objects.filter(claim__in=claims).values_list("claim_id", "kind", "key"))
    assert len(flags) == len(set(flags))
    return {
        "articles": len(ids),
        "claims": claims.count(),
        "evidence": len(ev),
        "flags": len(flags),
    }


def add_corpus():
    for n in range(12):
        place = PLACES[n % len(PLACES)]
        ingest.add_source(
            body=f"The defence ministry said about {1000 + n * 70:,} troops reached {place}. Local officials denied that vehicles were sent.",
            outlet=f"Wire {n}",
            published_at=ingest.parse_published("2025-01-22T10:00:00+00:00"),
            match=False,
        )


def progress(article_ids) -> tuple[int, int]:
    """Articles processed and claims corroborated: what a working worker moves."""
    return (
        Article.objects.filter(pk__in=article_ids, status=Article.Status.PROCESSED).count(),
        Claim.objects.filter(article_id__in=article_ids, corroborated_at__isnull=False).count(),
    )


def test_worker_killed_mid_batch_loses_and_duplicates_nothing(workers):
    add_corpus()
    articles = [submit(n) for n in range(40)]
    ids = [a.pk for a in articles]
    w = workers("killed", env=FAST_REDELIVERY)
    w.start()
    wait_for_progress(
        lambda: progress(ids),
        done=lambda: progress(ids)[0] >= 8,
        stall=90,
        what="the first 8 articles",
        log=w.log,
    )
    w.kill()
    done_at_kill = Article.objects.filter(pk__in=ids, status=Article.Status.PROCESSED).count()
    assert done_at_kill < len(ids), "the batch finished before the kill; nothing was tested"
    w.start()
    # Bounded by progress, not a fixed time: the redelivered tasks come back after the
    # visibility timeout, then the articles move again.
    wait_for_progress(
        lambda: progress(ids),
        done=lambda: all_done(ids),
        stall=120,
        what="every article after the restart",
        log=w.log,
    )
    counts = assert_exactly_once(articles)
    assert not Article.objects.filter(pk__in=ids, status=Article.Status.FAILED).exists()
    print(f"killed after {done_at_kill}/{len(ids)} processed; after restart: {counts}")


def test_redis_restarted_with_work_queued_completes_everything(workers, broker):
    articles = [submit(n) for n in range(30)]
    ids = [a.pk for a in articles]
    assert broker.queued() == 30
    broker.stop()  # Redis here keeps nothing on disk: the queue is gone
    broker.start()
    assert broker.queued() == 0
    w = workers("after-restart")
    w.start()
    # The beat sweeper finds articles still `received` and queues them again.
    result = sweep.sweep_stuck(older_than_seconds=0)
    assert sorted(result["articles_requeued"]) == sorted(ids)
    wait_until(
        lambda: all_done(ids),
        timeout=180,
        what="every article after the Redis restart",
        log=w.log(),
    )
    assert_exactly_once(articles)


def test_an_article_submitted_while_redis_is_down_is_processed_when_it_returns(workers, broker):
    broker.stop()
    started = time.monotonic()
    article = submit(7)
    assert time.monotonic() - started < 15, "submission must not hang on a dead broker"
    article.refresh_from_db()
    assert article.status == Article.Status.RECEIVED  # accepted and stored; nothing lost
    broker.start()
    w = workers("after-outage")
    w.start()
    sweep.sweep_stuck(older_than_seconds=0)
    wait_until(
        lambda: all_done([article.pk]),
        timeout=120,
        what="the article after Redis returned",
        log=w.log(),
    )
    assert_exactly_once([article])


def test_database_connections_dropped_under_running_tasks_are_retried(workers):
    add_corpus()
    articles = [submit(n) for n in range(40)]
    ids = [a.pk for a in articles]
    w = workers("db-drops", application_name="fault-db")
    terminated = []
    stop = threading.Event()

    def drop_connections():
        import psycopg

        s = connection.settings_dict
        with psycopg.connect(
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            user=s["USER"],
            dbname=s["NAME"],
            autocommit=True,
        ) as conn:
            while not stop.is_set():
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'fault-db' AND state <> 'idle'"
                ).fetchall()
                terminated.extend(r for r in rows if r[0])
                time.sleep(0.05)

    dropper = threading.Thread(target=drop_connections, daemon=True)
    dropper.start()
    w.start()
    try:
        wait_until(
            lambda: len(terminated) >= 3, timeout=60, what="connections to drop", log=w.log()
        )
    finally:
        stop.set()
        dropper.join(timeout=5)
    wait_until(
        lambda: all_done(ids), timeout=240, what="every article after the drops", log=w.log()
    )
    counts = assert_exactly_once(articles)
    assert not Article.objects.filter(pk__in=ids, status=Article.Status.FAILED).exists()
    assert "Retry in" in w.log()
    print(f"dropped {len(terminated)} busy connections; after recovery: {counts}")


def test_a_poison_article_fails_with_its_reason_and_the_rest_go_through(workers):
    from claims.models import content_hash

    good = [submit(n) for n in range(10)]
    body = "Officials said 500 troops left the city on Monday."
    # A row the extractor cannot work with (a corrupted boilerplate span): it fails every time.
    poison = Article.objects.create(
        body=body, content_hash=content_hash(body), boilerplate=[["not", "a", "span"]]
    )
    ingest.enqueue_article(poison.pk)
    w = workers("poison", env={"FACTCHECK_TASK_MAX_ATTEMPTS": "3"})
    w.start()
    ids = [a.pk for a in good]
    wait_until(
        lambda: all_done(ids) and Article.objects.get(pk=poison.pk).status == Article.Status.FAILED,
        timeout=120,
        what="the good articles and the poison article's failure",
        log=w.log(),
    )
    poison.refresh_from_db()
    assert "after 3 attempts" in poison.last_error
    assert poison.attempts == 3
    assert not Claim.objects.filter(article=poison).exists()
    assert_exactly_once(good)
