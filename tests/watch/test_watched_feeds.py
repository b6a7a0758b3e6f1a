"""Watched outlets: an `articles` feed on a real local server becomes articles with claims."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from claims import queues
from claims.models import Article, Claim, Feed, FeedItem, SourceRequest
from tests.fetching.localserver import respond
from tests.watch.conftest import KURSK, SHELLS, rss, serve
from workers import archive, sweep, watch

pytestmark = pytest.mark.django_db


def _watched(outlet, items, **fields) -> Feed:
    serve(outlet, "/feed.xml", rss(items), "application/rss+xml")
    return Feed.objects.create(
        url=outlet.url("/feed.xml"),
        outlet="Example Wire",
        purpose=Feed.Purpose.ARTICLES,
        **fields,
    )


TWO_ITEMS = [
    {"title": "Troops pulled back (feed title)", "link": "/kursk.html", "guid": "urn:wire:1"},
    {
        "title": "Shells from Pyongyang",
        "link": "/shells.html",
        "guid": "urn:wire:2",
        "author": "Sam Wire",
        "date": "Mon, 03 Feb 2025 10:30:00 +0000",
    },
]


def test_an_articles_feed_becomes_articles_with_claims(outlet, django_capture_on_commit_callbacks):
    serve(outlet, "/kursk.html", KURSK)
    serve(outlet, "/shells.html", SHELLS)
    feed = _watched(outlet, TWO_ITEMS)

    with django_capture_on_commit_callbacks(execute=True):
        result = watch.poll(feed.pk)

    assert result == {"feed": feed.pk, "new_items": 2}
    kursk = Article.objects.get(url=outlet.url("/kursk.html"))
    shells = Article.objects.get(url=outlet.url("/shells.html"))
    # Read as an article: title, byline and date from the feed, outlet from the feed.
    assert kursk.title == "Troops pulled back (feed title)"
    assert kursk.byline == "Jane Reporter" and shells.byline == "Sam Wire"
    assert kursk.outlet == shells.outlet == "Example Wire"
    assert shells.published_at == datetime(2025, 2, 3, 10, 30, tzinfo=UTC)
    assert "11,000 North Korean soldiers" in kursk.body
    assert kursk.feed_id == shells.feed_id == feed.pk
    assert kursk.status == shells.status == Article.Status.PROCESSED
    assert Claim.objects.filter(article=kursk).count() >= 2
    assert Claim.objects.filter(article=shells).count() >= 1
    # Each item records the article it became, and the page is archived with its hash.
    items = {i.guid: i for i in FeedItem.objects.filter(feed=feed)}
    assert items["urn:wire:1"].status == FeedItem.Status.FETCHED
    assert items["urn:wire:1"].article_id == kursk.pk
    assert kursk.archive.sha256 == hashlib.sha256(KURSK).hexdigest()
    assert archive.read_body(kursk.archive) == KURSK
    # The watched feed's items never became source requests.
    assert not SourceRequest.objects.exists()


def test_the_new_claims_fill_the_watched_queue_most_check_worthy_first(
    outlet, alice, django_capture_on_commit_callbacks
):
    serve(outlet, "/kursk.html", KURSK)
    serve(outlet, "/shells.html", SHELLS)
    feed = _watched(outlet, TWO_ITEMS)
    with django_capture_on_commit_callbacks(execute=True):
        watch.poll(feed.pk)
    from tests.factories import ClaimFactory

    submitted = ClaimFactory(checkworthiness=0.99)  # submitted by hand: not watched

    watched = list(
        Claim.objects.filter(queues.queue_q("watched", alice)).order_by(
            *queues.queue_order("watched")
        )
    )

    assert watched and submitted not in watched
    assert {c.article.feed_id for c in watched} == {feed.pk}
    worth = [c.checkworthiness for c in watched]
    assert worth == sorted(worth, reverse=True)
    # Taking one off the queue: it is no longer "new".
    from claims import workflow

    workflow.assign(watched[0], assignee=alice, by=alice)
    assert not Claim.objects.filter(queues.queue_q("watched", alice), pk=watched[0].pk).exists()


def test_the_admin_shows_the_watched_queue(
    outlet, alice, client, django_capture_on_commit_callbacks
):
    serve(outlet, "/kursk.html", KURSK)
    feed = _watched(outlet, TWO_ITEMS[:1])
    with django_capture_on_commit_callbacks(execute=True):
        watch.poll(feed.pk)
    client.force_login(alice)

    page = client.get("/admin/claims/claim/?queue=watched")

    assert page.status_code == 200
    html = page.content.decode()
    assert "New from watched outlets" in html and "Most check-worthy first" in html
    for claim in Claim.objects.filter(article__feed=feed):
        assert f"/admin/claims/claim/{claim.pk}/change/" in html
    index = client.get("/admin/").content.decode()
    assert 'data-queue="watched"' in index


def test_the_same_item_twice_is_one_article(outlet, django_capture_on_commit_callbacks):
    serve(outlet, "/kursk.html", KURSK)
    feed = _watched(outlet, TWO_ITEMS[:1])
    with django_capture_on_commit_callbacks(execute=True):
        watch.poll(feed.pk)
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    item = FeedItem.objects.get(feed=feed)

    # Polled again, the task redelivered, and a second feed listing the same page.
    with django_capture_on_commit_callbacks(execute=True):
        again = watch.poll(feed.pk)
    assert watch.fetch_feed_item(item.pk).status == "done"
    other = Feed.objects.create(
        url=outlet.url("/other.xml"), outlet="Example Wire", purpose=Feed.Purpose.ARTICLES
    )
    serve(
        outlet,
        "/other.xml",
        rss([{"title": "Same story", "link": "/kursk.html", "guid": "other:1"}]),
        "application/rss+xml",
    )
    with django_capture_on_commit_callbacks(execute=True):
        watch.poll(other.pk)

    assert again["new_items"] == 0
    assert Article.objects.count() == 1
    article = Article.objects.get()
    assert article.feed_id == feed.pk  # the first feed that brought it keeps it
    assert FeedItem.objects.filter(article=article).count() == 2
    assert outlet.paths.count("/kursk.html") == 2  # fetched once per feed item, not per poll


def test_a_failing_item_is_retried_with_backoff_and_then_recorded(
    outlet, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from workers.tasks import fetch_feed_item

    settings.FACTCHECK_TASK_MAX_ATTEMPTS = 3
    # Eager mode runs each retry at once (the countdown is for real workers).
    monkeypatch.setitem(fetch_feed_item.app.conf, "task_eager_propagates", False)
    outlet.routes["/kursk.html"] = lambda h: respond(h, 503, b"busy", "text/plain")
    feed = _watched(outlet, TWO_ITEMS[:1])
    with django_capture_on_commit_callbacks(execute=False):
        watch.poll(feed.pk)
    item = FeedItem.objects.get(feed=feed)
    assert item.status == FeedItem.Status.PENDING

    fetch_feed_item.apply(args=[item.pk])

    item.refresh_from_db()
    assert item.status == FeedItem.Status.FAILED
    assert item.attempts == 3
    assert "503" in item.last_error and item.article_id is None
    assert outlet.paths.count("/kursk.html") == 3
    assert not Article.objects.exists()


def test_a_flaky_item_lands_on_a_later_attempt(
    outlet, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from workers.tasks import fetch_feed_item

    monkeypatch.setitem(fetch_feed_item.app.conf, "task_eager_propagates", False)
    answers = [503, 500]

    def flaky(h):
        if answers:
            respond(h, answers.pop(0), b"try later", "text/plain")
        else:
            respond(h, 200, KURSK)

    outlet.routes["/kursk.html"] = flaky
    feed = _watched(outlet, TWO_ITEMS[:1])
    with django_capture_on_commit_callbacks(execute=False):
        watch.poll(feed.pk)
    item = FeedItem.objects.get(feed=feed)

    with django_capture_on_commit_callbacks(execute=True):
        fetch_feed_item.apply(args=[item.pk])

    item.refresh_from_db()
    assert item.status == FeedItem.Status.FETCHED and item.attempts == 3
    assert item.article.claims.exists()


def test_the_task_backs_off_exponentially_with_jitter():
    from workers.tasks import fetch_feed_item

    assert fetch_feed_item.retry_backoff and fetch_feed_item.retry_jitter
    assert fetch_feed_item.retry_backoff_max == 300
    assert "TryAgain" in {e.__name__ for e in fetch_feed_item.autoretry_for}


@pytest.mark.parametrize(
    ("status", "body", "ctype", "reason"),
    [
        (404, b"gone", "text/plain", "404"),
        (200, b"%PDF-1.4", "application/pdf", "application/pdf"),
        (200, b"   ", "text/plain", "empty"),
    ],
)
def test_an_item_that_cannot_be_read_fails_at_once_with_its_reason(
    outlet, status, body, ctype, reason, django_capture_on_commit_callbacks
):
    outlet.routes["/kursk.html"] = lambda h: respond(h, status, body, ctype)
    feed = _watched(outlet, TWO_ITEMS[:1])
    with django_capture_on_commit_callbacks(execute=False):
        watch.poll(feed.pk)
    item = FeedItem.objects.get(feed=feed)

    outcome = watch.fetch_feed_item(item.pk)

    item.refresh_from_db()
    assert outcome.status == "failed"
    assert item.status == FeedItem.Status.FAILED and item.attempts == 1
    assert reason in item.last_error
    assert not Article.objects.exists()


def test_a_sources_feed_still_feeds_the_corpus(outlet, django_capture_on_commit_callbacks):
    serve(outlet, "/kursk.html", KURSK)
    serve(outlet, "/feed.xml", rss(TWO_ITEMS[:1]), "application/rss+xml")
    feed = Feed.objects.create(url=outlet.url("/feed.xml"))
    assert feed.purpose == Feed.Purpose.SOURCES

    with django_capture_on_commit_callbacks(execute=True):
        watch.poll(feed.pk)

    request = SourceRequest.objects.get()
    assert request.status == SourceRequest.Status.FETCHED
    assert request.source.archive.sha256 == hashlib.sha256(KURSK).hexdigest()
    assert not Article.objects.exists()


def test_the_sweeper_requeues_an_item_whose_fetch_was_never_picked_up(outlet):
    from django.utils import timezone

    feed = _watched(outlet, TWO_ITEMS[:1])
    item = FeedItem.objects.create(
        feed=feed,
        guid="lost",
        link=outlet.url("/kursk.html"),
        status=FeedItem.Status.PENDING,
        updated_at=timezone.now() - timezone.timedelta(hours=1),
    )

    result = sweep.sweep_stuck()

    assert result["feed_items_requeued"] == [item.pk]


def test_poll_feeds_polls_every_due_feed_now(outlet, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.utils import timezone

    serve(outlet, "/kursk.html", KURSK)
    due = _watched(outlet, TWO_ITEMS[:1])
    not_due = Feed.objects.create(url=outlet.url("/later.xml"), last_polled_at=timezone.now())
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("poll_feeds", stdout=out)

    assert f"feed {due.pk} (Example Wire, articles): 1 new item(s)" in out.getvalue()
    assert f"feed {not_due.pk}" not in out.getvalue()
    assert Article.objects.filter(feed=due).count() == 1


def test_poll_feeds_with_a_feed_id_polls_it_even_when_not_due(outlet):
    from io import StringIO

    from django.utils import timezone

    serve(outlet, "/kursk.html", KURSK)
    feed = _watched(outlet, TWO_ITEMS[:1], last_polled_at=timezone.now())
    FeedItem.objects.create(feed=feed, guid="urn:wire:1")  # seen before
    out = StringIO()

    call_command("poll_feeds", "--feed", str(feed.pk), stdout=out)

    assert f"feed {feed.pk}" in out.getvalue() and "0 new item(s)" in out.getvalue()
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_poll_feeds_says_what_went_wrong(outlet):
    outlet.routes["/feed.xml"] = lambda h: respond(h, 200, b"<html>not a feed</html>")
    feed = Feed.objects.create(url=outlet.url("/feed.xml"))

    with pytest.raises(CommandError, match="could not be polled"):
        call_command("poll_feeds", "--feed", str(feed.pk), stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="no feed with id 999"):
        call_command("poll_feeds", "--feed", "999")
    feed.refresh_from_db()
    assert "not a readable RSS or Atom feed" in feed.last_error


def test_the_api_takes_and_shows_a_feeds_purpose(alice):
    from tests.api.conftest import client_for

    api = client_for(alice)
    created = api.post(
        "/api/feeds/",
        {"url": "https://wire.example/feed.xml", "purpose": "articles"},
        format="json",
    )
    bad = api.post(
        "/api/feeds/", {"url": "https://wire.example/b.xml", "purpose": "gossip"}, format="json"
    )
    default = api.post("/api/feeds/", {"url": "https://wire.example/c.xml"}, format="json")

    assert created.status_code == 201 and created.json()["purpose"] == "articles"
    assert bad.status_code == 400 and "purpose" in bad.json()["fields"]
    assert default.json()["purpose"] == "sources"
    listed = api.get("/api/feeds/").json()["results"]
    assert {f["purpose"] for f in listed} == {"articles", "sources"}


def test_the_admin_feed_form_has_the_purpose(alice, client):
    client.force_login(alice)

    page = client.get("/admin/claims/feed/add/").content.decode()

    assert 'name="purpose"' in page and "Articles: items are articles to check" in page
