"""python manage.py read_origins: read the wire credits of the sources already stored."""

from django.core.management.base import BaseCommand

from workers.sources import reread_origins


class Command(BaseCommand):
    help = (
        "Read every stored source's text again for wire credits ('(AFP)', '— Reuters', a wire "
        "byline), add them to its relays, and re-corroborate the claims their evidence serves. "
        "New sources get this when they are added; run it once for older ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="source bodies read at once")

    def handle(self, *args, **opts):
        changed = reread_origins(batch=opts["batch"])
        self.stdout.write(f"{len(changed)} source(s) with new relays from their text")
