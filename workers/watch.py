"""Keeping watch: registered feeds polled on a schedule, new items fetched in.

Beat runs `poll_due_feeds` every minute (and `manage.py poll_feeds` does the same on
demand); each due feed is polled with a conditional request (ETag / Last-Modified), and
each item not seen before (unique per feed and guid) is fetched according to the feed's
purpose:

- `sources` feeds: the item becomes a SourceRequest that the fetch queue turns into a
  corpus document, which is then matched against existing claims
  (workers.corroborate.match_source);
- `articles` feeds (watched outlets): the item is fetched through the hardened client
  (`fetch_feed_item`, on the fetch queue), its page archived, read as an article with the
  title, byline and date the feed gives and the feed's outlet, and queued like a submitted
  article. Idempotent per item (the FeedItem row records the article it became; the same
  text twice is one article); a failed fetch is recorded on the item with its reason and
  retried with backoff by the task, then marked failed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from analysis.extraction import ArticleError
from claims.models import Feed, FeedItem, SourceRequest
from factcheck import queue
from workers import archive
from workers.feeds import FeedError, fetch_feed
from workers.fetching import FetchError, fetch
from workers.fetchpolicy import fetch_policy
from workers.ingest import add_source, fmt_for, ingest_article, parse_article
from workers.outcome import Outcome, Status
from workers.sources import queue_fetch

log = logging.getLogger(__name__)


def due_feeds(now=None) -> list[int]:
    now = now or timezone.now()
    due = Feed.objects.filter(active=True).filter(
        Q(last_polled_at__isnull=True)
        | Q(last_polled_at__lte=now - F("poll_interval_minutes") * timezone.timedelta(minutes=1))
    )
    return list(due.values_list("id", flat=True))


def poll(feed_id: int, *, policy=None) -> dict:
    """Poll one feed; returns what happened. Fetch and parse errors are recorded on the feed."""
    feed = Feed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return {"feed": feed_id, "skipped": True}
    try:
        poll = fetch_feed(
            feed.url,
            policy or fetch_policy(),
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
        )
    except (FetchError, FeedError) as exc:
        Feed.objects.filter(pk=feed.pk).update(
            last_polled_at=timezone.now(), last_error=str(exc)[:2000]
        )
        if isinstance(exc, FetchError) and getattr(exc, "transient", False):
            raise
        return {"feed": feed_id, "error": str(exc)}
    updates = {"last_polled_at": timezone.now(), "last_error": ""}
    if poll.not_modified:
        Feed.objects.filter(pk=feed.pk).update(**updates)
        return {"feed": feed_id, "not_modified": True, "new_items": 0}
    watched = feed.purpose == Feed.Purpose.ARTICLES
    outlet = feed.outlet or poll.feed.title
    new_requests: list[int] = []
    new_items: list[int] = []
    with transaction.atomic():
        for item in poll.feed.items:
            guid = (item.guid or item.link or item.title)[:1000]
            if not guid:
                continue
            try:
                with transaction.atomic():
                    row = FeedItem.objects.create(
                        feed=feed,
                        guid=guid,
                        link=item.link[:2000],
                        title=item.title[:500],
                        author=item.author[:300],
                        published_at=item.published,
                        status=FeedItem.Status.PENDING if watched else "",
                        updated_at=timezone.now() if watched else None,
                    )
            except IntegrityError:
                continue  # seen on an earlier poll
            if watched:
                if item.link:
                    new_items.append(row.pk)
                elif item.summary.strip():
                    article_from_summary(row, item.summary, outlet)
                else:
                    record_item_failure(row.pk, "the feed item has no link and no text")
            elif item.link:
                request, _ = SourceRequest.objects.get_or_create(url=item.link[:2000], claim=None)
                FeedItem.objects.filter(pk=row.pk).update(request=request)
                new_requests.append(request.pk)
            elif item.summary.strip():
                add_source(
                    body=item.summary,
                    title=item.title,
                    outlet=outlet,
                    published_at=item.published,
                    byline=item.author,
                )
        updates.update(
            etag=(poll.etag or "")[:300],
            last_modified=(poll.last_modified or "")[:100],
            title=feed.title or poll.feed.title[:300],
        )
        Feed.objects.filter(pk=feed.pk).update(**updates)
        for request_id in new_requests:
            queue_fetch(request_id)
        for item_id in new_items:
            queue.later(queue.FETCH_FEED_ITEM, item_id)
    return {"feed": feed_id, "new_items": len(new_requests) + len(new_items)}


def article_from_summary(row: FeedItem, summary: str, outlet: str) -> None:
    """An item with text but no link: the text is the article (it cannot be fetched)."""
    try:
        parsed = parse_article(
            summary,
            fmt="text",
            title=row.title,
            outlet=outlet,
            byline=row.author,
            published=row.published_at,
        )
        article, _ = ingest_article(parsed, feed=row.feed)
    except ArticleError as exc:
        record_item_failure(row.pk, f"the item's text could not be read: {exc.message}")
        return
    FeedItem.objects.filter(pk=row.pk).update(
        status=FeedItem.Status.FETCHED, article=article, updated_at=timezone.now()
    )


def record_item_failure(item_id: int, reason: str, *, pending: bool = False) -> None:
    FeedItem.objects.filter(pk=item_id).update(
        status=FeedItem.Status.PENDING if pending else FeedItem.Status.FAILED,
        last_error=reason[:5000],
        updated_at=timezone.now(),
    )


def fetch_feed_item(item_id: int, *, final_attempt: bool = False, policy=None) -> Outcome:
    """One attempt at turning a watched feed's item into an article, recorded on the item.

    The page is fetched through the hardened client and archived; the article gets the
    title, byline and date the feed gives (the page's when the feed has none) and the
    feed's outlet. A transient failure is RETRY unless `final_attempt`; a page that cannot
    be read is FAILED at once, with its reason.
    """
    item = FeedItem.objects.select_related("feed").filter(pk=item_id).first()
    if item is None:
        return Outcome(Status.GONE)
    if item.article_id:
        return Outcome(Status.DONE)  # a redelivered task: the article is there
    feed = item.feed
    FeedItem.objects.filter(pk=item.pk).update(
        attempts=item.attempts + 1, updated_at=timezone.now()
    )
    try:
        result = fetch(
            item.link,
            policy or fetch_policy(max_bytes=settings.FACTCHECK_MAX_ARTICLE_BYTES),
        )
        copy = archive.keep(result)
        parsed = parse_article(
            result.body,
            fmt=fmt_for(result.final_url, result.content_type or ""),
            url=result.final_url,
            title=item.title,
            outlet=feed.outlet or feed.title,
            byline=item.author,
            published=item.published_at,
        )
        with transaction.atomic():
            article, _ = ingest_article(parsed, feed=feed, archive=copy)
            FeedItem.objects.filter(pk=item.pk).update(
                status=FeedItem.Status.FETCHED,
                article=article,
                last_error="",
                updated_at=timezone.now(),
            )
    except FetchError as exc:
        retry = exc.transient and not final_attempt
        record_item_failure(item.pk, exc.reason, pending=retry)
        return Outcome(Status.RETRY if retry else Status.FAILED, exc.reason)
    except ArticleError as exc:
        reason = f"{item.link} could not be read as an article: {exc.message}"
        record_item_failure(item.pk, reason)
        return Outcome(Status.FAILED, reason)
    return Outcome(Status.DONE)


def item_failed(item_id: int, reason: str) -> None:
    """The task gave up on an item (an error no attempt recorded): mark it failed."""
    record_item_failure(item_id, reason)


def pending_items(cutoff) -> list[int]:
    """Items of watched feeds still pending past `cutoff` (a lost enqueue): for the sweeper."""
    return list(
        FeedItem.objects.filter(
            status=FeedItem.Status.PENDING, updated_at__lt=cutoff, article__isnull=True
        ).values_list("id", flat=True)[:1000]
    )
