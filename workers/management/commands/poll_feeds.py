"""python manage.py poll_feeds [--feed ID]: poll every due feed now, as beat does."""

from django.core.management.base import BaseCommand, CommandError

from claims.models import Feed
from workers import watch
from workers.fetching import FetchError


class Command(BaseCommand):
    help = (
        "Poll every due feed now (what beat's poll_due_feeds does each minute), or one feed "
        "with --feed, due or not. New items are queued for the workers (run in-process "
        "without a broker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, help="poll this feed (by id) even if not due")

    def handle(self, *args, **opts):
        if opts["feed"] is not None:
            feed = Feed.objects.filter(pk=opts["feed"]).first()
            if feed is None:
                raise CommandError(f"no feed with id {opts['feed']}")
            if not feed.active:
                raise CommandError(f"feed {feed.pk} ({feed}) is paused; resume it first")
            ids = [feed.pk]
        else:
            ids = watch.due_feeds()
        if not ids:
            self.stdout.write("no feed is due")
            return
        failed = 0
        for feed_id in ids:
            feed = Feed.objects.get(pk=feed_id)
            try:
                result = watch.poll(feed_id)
            except FetchError as exc:  # transient: recorded on the feed; beat tries again
                result = {"error": f"{exc} (will be tried again)"}
            feed.refresh_from_db()  # a first poll names the feed after its title
            if "error" in result:
                failed += 1
                self.stdout.write(f"feed {feed_id} ({feed}, {feed.purpose}): {result['error']}")
            elif result.get("not_modified"):
                self.stdout.write(f"feed {feed_id} ({feed}, {feed.purpose}): not modified")
            else:
                self.stdout.write(
                    f"feed {feed_id} ({feed}, {feed.purpose}): {result['new_items']} new item(s)"
                )
        if failed:
            raise CommandError(f"{failed} feed(s) could not be polled")
