"""python manage.py prune_archives [--days N] [--dry-run]: prune archived copies past retention."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workers import archive


class Command(BaseCommand):
    help = (
        "Delete the stored bytes (and WARC) of archived fetches older than the retention "
        "period (FACTCHECK_ARCHIVE_RETENTION_DAYS, or --days). The rows stay, with their "
        "hash, final URL and headers; copies a ruling rests on are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="retention in days (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, **opts):
        days = (
            opts["days"] if opts["days"] is not None else settings.FACTCHECK_ARCHIVE_RETENTION_DAYS
        )
        if days < 0:
            raise CommandError("--days must be 0 or more")
        if days == 0:
            self.stdout.write(
                "retention is off (FACTCHECK_ARCHIVE_RETENTION_DAYS=0): nothing pruned; "
                "give --days N to prune copies older than N days"
            )
            return
        result = archive.prune(days, dry_run=opts["dry_run"])
        verb = "would prune" if opts["dry_run"] else "pruned"
        self.stdout.write(
            f"{verb} {result['pruned']} archived cop{'y' if result['pruned'] == 1 else 'ies'} "
            f"fetched before {result['cutoff']} ({result['bytes']:,} bytes); "
            f"kept {result['kept_pinned']} that rulings rest on"
        )
