"""Keeping watch: registered feeds polled on a schedule, new items fetched into the corpus.

Beat runs `poll_due_feeds` every minute; each due feed is polled with a conditional
request (ETag / Last-Modified), and each item not seen before (unique per feed and guid)
becomes a SourceRequest that the fetch queue turns into a corpus document, which is then
matched against existing claims (workers.corroborate.match_source).
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.models import Feed, FeedItem, SourceRequest
from workers.feeds import FeedError, fetch_feed
from workers.fetching import FetchError
from workers.fetchpolicy import fetch_policy
from workers.ingest import add_source
from workers.sources import queue_fetch

log = logging.getLogger(__name__)


def due_feeds(now=None) -> list[int]:
    now = now or timezone.now()
    due = Feed.objects.filter(active=True).filter(
        Q(last_polled_at__isnull=True)
        | Q(last_polled_at__lte=now - F("poll_interval_minutes") * timezone.timedelta(minutes=1))
    )
    return list(due.values_list("id", flat=True))


def poll(feed_id: int) -> dict:
    """Poll one feed; returns what happened. Fetch and parse errors are recorded on the feed."""
    feed = Feed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return {"feed": feed_id, "skipped": True}
    try:
        poll = fetch_feed(
            feed.url,
            fetch_policy(),
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
    new_requests: list[int] = []
    with transaction.atomic():
        for item in poll.feed.items:
            guid = (item.guid or item.link or item.title)[:1000]
            if not guid:
                continue
            try:
                with transaction.atomic():
                    row = FeedItem.objects.create(
                        feed=feed, guid=guid, link=item.link[:2000], title=item.title[:500]
                    )
            except IntegrityError:
                continue  # seen on an earlier poll
            if item.link:
                request, _ = SourceRequest.objects.get_or_create(url=item.link[:2000], claim=None)
                FeedItem.objects.filter(pk=row.pk).update(request=request)
                new_requests.append(request.pk)
            elif item.summary.strip():
                add_source(
                    body=item.summary,
                    title=item.title,
                    outlet=feed.outlet or poll.feed.title,
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
    return {"feed": feed_id, "new_items": len(new_requests)}
