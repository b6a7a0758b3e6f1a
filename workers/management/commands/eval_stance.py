"""`manage.py eval_stance FILE.jsonl [--json] [--predictions OUT]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analysis.models import ModelFileError
from analysis.models.evaluate import (
    STANCE_LABELS,
    DataError,
    evaluate_stance,
    read_jsonl,
    stance_pairs,
)


class Command(BaseCommand):
    # Pure text analysis: no database involved, so skip the project-wide checks.
    requires_system_checks = []
    help = (
        "Score the service's relatedness and stance on a labelled JSON-lines file "
        '({"id", "claim", "body", "label": unrelated|supports|contradicts|mentions, '
        'optional "claim_published" and "body_published" as ISO 8601} per line). Each body '
        "is split into passages exactly as the corpus splits a source, and the pair takes "
        "the label the service gives that source for the claim: the stance model over its "
        "passages, then the exact number, date, time-order and denial rules on the passages "
        "nearest the claim. 'unrelated' means it would not be recorded as evidence; "
        "otherwise the label is the stance of the evidence it would record (a later revised "
        "figure is recorded as 'mentions'). Prints the confusion matrix, per-class F1, "
        "macro-F1, accuracy and the FNC-1 weighted score (0.25 for related/unrelated right, "
        "0.75 more for the right stance among related, as a percentage of the best possible)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON-lines file (.jsonl or .jsonl.gz)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--predictions", metavar="OUT", help="write each pair's id, gold and predicted label"
        )

    def handle(self, *args, **opts):
        path = opts["file"]
        try:
            pairs = stance_pairs(read_jsonl(path), source=path)
            if not pairs:
                raise CommandError(f"{path}: no pairs to judge")
            result = evaluate_stance(pairs)
        except (DataError, ModelFileError) as exc:
            raise CommandError(str(exc)) from None
        predicted = result.pop("predicted")
        if opts["predictions"]:
            with Path(opts["predictions"]).open("w", encoding="utf-8") as out:
                for pair, label in zip(pairs, predicted, strict=True):
                    out.write(
                        json.dumps({"id": pair.id, "label": pair.label, "predicted": label}) + "\n"
                    )
        if opts["json"]:
            self.stdout.write(json.dumps(result, sort_keys=True))
            return
        self.stdout.write(f"{path}: {result['pairs']} pairs")
        width = max(len(label) for label in STANCE_LABELS) + 2
        self.stdout.write(
            "  gold \\ predicted".ljust(width + 2)
            + "".join(label.rjust(width) for label in STANCE_LABELS)
        )
        for label, row in zip(STANCE_LABELS, result["confusion"], strict=True):
            self.stdout.write(
                f"  {label}".ljust(width + 2) + "".join(str(n).rjust(width) for n in row)
            )
        for label in STANCE_LABELS:
            f1 = result["f1"][label]
            self.stdout.write(f"  F1 {label:12s} {'-' if f1 is None else format(f1, '.3f')}")
        self.stdout.write(f"  macro-F1 {result['macro_f1']:.3f}")
        self.stdout.write(f"  accuracy {result['accuracy']:.3f}")
        self.stdout.write(f"  FNC-1 score {result['fnc_score']:.2f}")
