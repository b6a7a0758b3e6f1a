"""python manage.py check_article PATH [--json]: ingest, run the pipeline, print the report."""

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analysis.extraction import ArticleError
from claims.models import Article, Claim, ClaimState
from claims.report import render_table, report_dict
from workers import ingest


class Command(BaseCommand):
    help = "Check an article end to end and print its claim report (a table, or JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("path_or_url")
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        parser.add_argument("--url", default="")
        parser.add_argument("--outlet", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--byline", default="")
        parser.add_argument("--published", default="")
        parser.add_argument(
            "--timeout", type=float, default=300.0, help="seconds to wait for the workers"
        )
        parser.add_argument(
            "--reprocess",
            action="store_true",
            help="run extraction and corroboration again if seen before",
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
            article, _ = ingest.ingest_article(parsed)
        except ArticleError as exc:
            raise CommandError(f"refused ({exc.field}): {exc.message}") from None
        if opts["reprocess"]:
            ingest.enqueue_article(article.pk, force=True)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self._wait(article.pk, opts["timeout"])
        article.refresh_from_db()
        if opts["json"]:
            self.stdout.write(json.dumps(report_dict(article), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(article))
        if article.status == Article.Status.FAILED:
            raise CommandError(f"article {article.pk} failed: {article.last_error}")
        failed = list(
            Claim.objects.filter(article=article)
            .exclude(analysis_error="")
            .order_by("start")
            .values_list("pk", "analysis_error")
        )
        if failed:
            raise CommandError(
                f"analysis failed for {len(failed)} claim{'s' if len(failed) != 1 else ''} of "
                f"article {article.pk}: "
                + "; ".join(f"claim {pk}: {error}" for pk, error in failed)
            )

    def _wait(self, article_id: int, timeout: float) -> None:
        """Wait for the workers: the article processed and every claim corroborated once."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = Article.objects.values_list("status", flat=True).get(pk=article_id)
            if status == Article.Status.FAILED:
                return
            if status == Article.Status.PROCESSED:
                # A claim whose analysis failed is done too: it says so (analysis_error).
                pending = Claim.objects.filter(article_id=article_id).filter(
                    state=ClaimState.EXTRACTED
                ) | Claim.objects.filter(
                    article_id=article_id,
                    state=ClaimState.CORROBORATING,
                    corroborated_at__isnull=True,
                    analysis_error="",
                )
                if not pending.exists():
                    return
            time.sleep(0.2)
        raise CommandError(
            f"the workers did not finish article {article_id} within {timeout:.0f}s; "
            "is a worker running (celery -A factcheck worker)?"
        )
