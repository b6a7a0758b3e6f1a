"""python manage.py import_factchecks PATH_OR_URL: fact-checks published elsewhere, in.

Reads an HTML page with ClaimReview JSON-LD (fetched through the hardened client), a
schema.org DataFeed (the Data Commons fact-check feed), a JSON array, a single object,
or JSON lines; or, with --google QUERY, Google's Fact Check Tools. Stores each
fact-check once per review URL, matches the new and changed ones against the open
claims, and prints what it imported, updated, left unchanged, skipped (with reasons)
and matched.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from workers import factcheck_tools, factchecks


class Command(BaseCommand):
    help = "Import published fact-checks (ClaimReview) and match them against the open claims."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="a file path or an http(s) URL")
        parser.add_argument("--google", metavar="QUERY", help="search Google Fact Check Tools")
        parser.add_argument("--language", default="", help="with --google: a language code")
        parser.add_argument("--pages", type=int, default=5, help="with --google: pages at most")
        parser.add_argument(
            "--no-match", action="store_true", help="store only; match against claims later"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--reasons", type=int, default=20, help="skipped items to list (default 20)"
        )

    def handle(self, *args, **opts):
        target, google = opts["target"], opts["google"]
        if bool(target) == bool(google):
            raise CommandError("give a PATH_OR_URL, or --google QUERY (one of them)")
        match = "none" if opts["no_match"] else "inline"
        try:
            if google:
                doc = factcheck_tools.search(
                    google, language=opts["language"], max_pages=opts["pages"]
                )
                report = factchecks.import_parsed(doc, origin=f"google: {google}", match=match)
            else:
                text, hint = factchecks.read_target(target)
                report = factchecks.import_document(text, hint=hint, origin=target, match=match)
        except factchecks.FactCheckImportError as exc:
            raise CommandError(exc.message) from None
        except factcheck_tools.FactCheckToolsError as exc:
            raise CommandError(f"Fact Check Tools: {exc.reason}") from None
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(max_reasons=opts["reasons"]), indent=2))
            return
        self.stdout.write(f"{report.origin} ({report.format}): {report.summary()}")
        for skipped in report.skipped[: opts["reasons"]]:
            self.stdout.write(f"  skipped {skipped}")
        if len(report.skipped) > opts["reasons"]:
            self.stdout.write(f"  … and {len(report.skipped) - opts['reasons']} more skipped")
