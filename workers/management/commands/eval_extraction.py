"""`manage.py eval_extraction GOLD.json [...] [--json]`: score claim extraction on gold files."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from analysis.extraction.evaluate import evaluate, to_json

_COLUMNS = (
    "precision",
    "recall",
    "f1",
    "attribution_kind_accuracy",
    "speaker_accuracy",
    "hedge_recall",
    "quantity_recall",
    "time_recall",
    "flag_recall",
    "claim_type_accuracy",
)
_SHORT = ("P", "R", "F1", "kind", "speaker", "hedges", "qty", "time", "flags", "type")


class Command(BaseCommand):
    # Pure text analysis: no models or URLs involved, so skip the project-wide checks.
    requires_system_checks = []
    help = "Score claim extraction against gold files (precision/recall of check-worthy claims and fields)."

    def add_arguments(self, parser):
        parser.add_argument(
            "gold", nargs="+", help="gold JSON files (see analysis/extraction/evaluate.py)"
        )
        parser.add_argument(
            "--json", action="store_true", help="print stable JSON instead of a table"
        )
        parser.add_argument(
            "--misses", action="store_true", help="also list what each article got wrong"
        )

    def handle(self, *args, **options):
        result = evaluate(options["gold"])
        if options["json"]:
            self.stdout.write(to_json(result))
            return
        header = f"{'article':34s}" + "".join(f"{s:>8s}" for s in _SHORT)
        self.stdout.write(header)
        rows = [(name, a["scores"]) for name, a in result["articles"].items()] + [
            ("OVERALL", result["overall"])
        ]
        for name, scores in rows:
            cells = "".join(
                f"{'-' if scores[c] is None else format(scores[c], '.3f'):>8s}" for c in _COLUMNS
            )
            self.stdout.write(f"{name[:34]:34s}{cells}")
        if options["misses"]:
            for name, a in result["articles"].items():
                for miss in a["misses"]:
                    self.stdout.write(f"  {name}: {miss}")
