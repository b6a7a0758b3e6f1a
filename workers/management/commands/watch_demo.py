"""python manage.py watch_demo: a watched demo feed, served locally, polled into articles.

For `make demo`. Serves seeds/watched/ (an RSS feed of two fictional articles) from a
loopback HTTP server inside this process, registers it as the "Demo Wire" feed with the
purpose `articles`, polls it as beat would, and prints what came in: the articles, their
claims, and the "New from watched outlets" queue. The tasks run in-process (the embedded
default has no broker), so the items are fetched, archived, read, extracted and
corroborated before it prints. No network: the server is on 127.0.0.1, which the fetcher
only reaches with FACTCHECK_FETCH_ALLOW_PRIVATE=1 (the Makefile sets it for this command).

The feed is paused afterwards, since its server is gone; run the command again to serve
and poll it again (its items are idempotent: nothing is added twice).
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import queues
from claims.models import Claim, Feed, FeedItem
from workers import watch

WATCHED = Path(settings.BASE_DIR) / "seeds" / "watched"
DEMO_TITLE = "Demo Wire (fictional outlet)"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Command(BaseCommand):
    help = "Serve the watched demo feed locally and poll it into articles (for make demo)."

    def handle(self, *args, **opts):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "watch_demo serves its feed from this process, so it needs the embedded "
                "default (no CELERY_BROKER_URL): a separate worker could not reach it"
            )
        if not settings.FACTCHECK_FETCH_ALLOW_PRIVATE:
            raise CommandError(
                "the demo feed is served on 127.0.0.1; run with FACTCHECK_FETCH_ALLOW_PRIVATE=1 "
                "(make demo does)"
            )
        handler = functools.partial(QuietHandler, directory=str(WATCHED))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
            feed = Feed.objects.filter(title=DEMO_TITLE, purpose=Feed.Purpose.ARTICLES).first()
            if feed is None:
                feed = Feed.objects.create(
                    url=url, title=DEMO_TITLE, outlet="Demo Wire", purpose=Feed.Purpose.ARTICLES
                )
            else:
                Feed.objects.filter(pk=feed.pk).update(
                    url=url, active=True, etag="", last_modified="", last_polled_at=None
                )
            result = watch.poll(feed.pk)
        finally:
            Feed.objects.filter(title=DEMO_TITLE).update(active=False)
            server.shutdown()
            server.server_close()
        if "error" in result:
            raise CommandError(f"the demo feed could not be polled: {result['error']}")
        self.stdout.write(
            f"watched feed {feed.pk} '{DEMO_TITLE}' (purpose: articles): "
            f"{result['new_items']} new item(s) this poll"
        )
        for item in FeedItem.objects.filter(feed=feed).select_related("article").order_by("pk"):
            if item.article_id:
                n = Claim.objects.filter(article_id=item.article_id).count()
                self.stdout.write(
                    f"  article {item.article_id}: {item.article.title} ({n} claims)"
                    + (
                        f", archived copy {item.article.archive_id}"
                        if item.article.archive_id
                        else ""
                    )
                )
            else:
                self.stdout.write(f"  {item.title}: {item.status} {item.last_error}")
        watched = Claim.objects.filter(queues.queue_q("watched", None)).order_by(
            *queues.CHECKWORTHINESS_ORDER
        )
        self.stdout.write(
            f"'New from watched outlets' queue: {watched.count()} claims "
            "(/admin/claims/claim/?queue=watched), most check-worthy first:"
        )
        for claim in watched[:5]:
            self.stdout.write(f"  {claim.checkworthiness:.2f}  {claim.text[:100]}")
        self.stdout.write("(the demo feed is paused now that its local server has stopped)")
