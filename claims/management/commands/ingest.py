"""python manage.py ingest PATH_OR_URL [--source] [--url U] [--outlet O] [--published ISO]"""

from django.core.management.base import BaseCommand, CommandError

from analysis.extraction import ArticleError
from workers import ingest


class Command(BaseCommand):
    help = "Add an article to check (queued for the workers at once) or, with --source, a corpus document."

    def add_arguments(self, parser):
        parser.add_argument("path_or_url")
        parser.add_argument(
            "--source", action="store_true", help="add to the source corpus instead"
        )
        parser.add_argument("--url", default="", help="the article's address, if read from a file")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--byline", default="")
        parser.add_argument("--published", default="", help="ISO 8601 date or date-time")
        parser.add_argument(
            "--relays", default="", help="with --source: comma-separated origins it relays"
        )

    def handle(self, *args, **opts):
        target = opts["path_or_url"]
        try:
            parsed = ingest.read_submission(
                target,
                url=opts["url"],
                title=opts["title"],
                outlet=opts["outlet"],
                byline=opts["byline"],
                published=opts["published"] or None,
            )
            if opts["source"]:
                relays = [r.strip() for r in opts["relays"].split(",") if r.strip()]
                source, created = ingest.add_source(
                    body=parsed.body,
                    title=parsed.title,
                    outlet=parsed.outlet,
                    url=parsed.url,
                    published_at=parsed.published_at,
                    byline=parsed.byline,
                    relays=relays,
                )
                verb = "added" if created else "already in the corpus as"
                self.stdout.write(f"source {source.pk} {verb}: {source}")
            else:
                article, created = ingest.ingest_article(parsed)
                verb = "queued" if created else "already ingested as"
                self.stdout.write(f"article {article.pk} {verb}: {article} [{article.status}]")
        except ArticleError as exc:
            raise CommandError(f"refused ({exc.field}): {exc.message}") from None
