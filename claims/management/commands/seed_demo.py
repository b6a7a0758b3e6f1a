"""python manage.py seed_demo: the demo corpus, the seed article, demo users, the
five-point example rating scale and the demo ClaimReview feed (fictional fact-checks)."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from analysis.corroboration.demo import load_demo_sources
from claims import ratings
from claims.roles import EDITORS, FACT_CHECKERS, REVIEWERS, ensure_roles
from workers import factchecks, ingest

SEEDS = Path(settings.BASE_DIR) / "seeds"
# Demo data: fictional fact-checks in the shape of the Data Commons feed (see its description).
DEMO_FACTCHECKS = SEEDS / "factchecks" / "demo-claimreview-feed.json"
SEED_ARTICLE = SEEDS / "north-korean-troops-disappear.txt"
SEED_METADATA = {
    "outlet": "dagens.com",
    "byline": "Camilla Jessen",
    "published": "2025-01-31T09:25:00+01:00",
}

# Demo logins, printed by this command and the README. Demo data only: the command
# refuses to run with DEBUG off unless --force, so these never reach a deployment by accident.
DEMO_USERS = [
    (
        "factchecker",
        "factcheck-demo",
        FACT_CHECKERS,
        "fact-checker: works the queues and rules claims",
    ),
    ("reviewer", "review-demo", REVIEWERS, "reviewer: reads, comments, suggests a verdict"),
    ("editor", "editor-demo", EDITORS, "editor: everything, plus users"),
]


class Command(BaseCommand):
    help = (
        "Load the demo corpus and the seed article, and create demo users (printing their logins)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument("--no-article", action="store_true", help="load sources and users only")
        parser.add_argument(
            "--logins-only", action="store_true", help="print the demo logins and stop"
        )

    def handle(self, *args, **opts):
        if opts["logins_only"]:
            self._print_logins()
            return
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "seed_demo creates users with known passwords; use --force outside DEBUG"
            )
        added = 0
        for doc in load_demo_sources(SEEDS / "sources"):
            _, created = ingest.add_source(
                body=doc["body"],
                title=doc.get("title", ""),
                outlet=doc.get("outlet", ""),
                url=doc.get("url", "") if ingest.is_url(doc.get("url", "")) else "",
                published_at=ingest.parse_published(doc.get("published") or None),
                relays=doc.get("relays") or [],
                note=doc.get("note", ""),
                match=True,
            )
            added += created
        self.stdout.write(f"demo corpus: {added} new sources from {SEEDS / 'sources'}")
        # A newsroom's own scale (five points, "Missing context" among them); the two-value
        # default stays in the database, retired, for rulings that used it.
        scale = ratings.install_scale(ratings.FIVE_POINT_SCALE, retire_others=True)
        self.stdout.write("rating scale: " + ", ".join(f"{r.label} ({r.value})" for r in scale))
        text, hint = factchecks.read_target(str(DEMO_FACTCHECKS))
        report = factchecks.import_document(
            text, hint=hint, origin=str(DEMO_FACTCHECKS.relative_to(SEEDS.parent))
        )
        self.stdout.write(f"published fact-checks (demo data): {report.summary()}")
        if not opts["no_article"]:
            parsed = ingest.read_submission(str(SEED_ARTICLE), **SEED_METADATA)
            article, created = ingest.ingest_article(parsed)
            self.stdout.write(
                f"seed article {article.pk}: {article.title} ({'queued' if created else 'already there'})"
            )
        ensure_roles()
        User = get_user_model()
        for username, password, group_name, _role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            user.is_staff = True
            if group_name == EDITORS:
                user.is_superuser = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write("demo logins (admin at /admin/, API at /api/):")
        for username, password, _group, role in DEMO_USERS:
            self.stdout.write(f"  {username} / {password}   {role}")
