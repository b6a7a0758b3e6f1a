"""`manage.py eval_checkworthiness FILE.jsonl [--json] [--predictions OUT]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from analysis.models import ModelFileError
from analysis.models.evaluate import (
    DataError,
    checkworthiness_lines,
    evaluate_checkworthiness,
    read_jsonl,
)


class Command(BaseCommand):
    # Pure text analysis: no database involved, so skip the project-wide checks.
    requires_system_checks = []
    help = (
        "Score the service's check-worthiness on a labelled JSON-lines file "
        '({"id", "text", "label": 0|1, "doc": str|null, ...} per line). Lines of one doc '
        "are read as one document, in order, as the service reads an article; a line "
        "scores the highest check-worthiness of its sentences and counts as check-worthy "
        "when that reaches the service's threshold (FACTCHECK_CHECKWORTHY_THRESHOLD, or "
        "the model's own). Prints P/R/F1 at that threshold, the best F1 and its threshold, "
        "average precision, and MAP over documents when lines carry a doc."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON-lines file (.jsonl or .jsonl.gz)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--predictions", metavar="OUT", help="write each line's id, score and label here"
        )
        parser.add_argument(
            "--threshold", type=float, default=None, help="override the service's threshold"
        )

    def handle(self, *args, **opts):
        path = opts["file"]
        threshold = opts["threshold"]
        if threshold is None:
            threshold = settings.FACTCHECK_CHECKWORTHY_THRESHOLD
        try:
            lines = checkworthiness_lines(read_jsonl(path), source=path)
            if not lines:
                raise CommandError(f"{path}: no lines to score")
            result = evaluate_checkworthiness(lines, threshold=threshold)
        except (DataError, ModelFileError) as exc:
            raise CommandError(str(exc)) from None
        scores = result.pop("scores")
        if opts["predictions"]:
            with Path(opts["predictions"]).open("w", encoding="utf-8") as out:
                for line, score in zip(lines, scores, strict=True):
                    out.write(
                        json.dumps({"id": line.id, "score": round(score, 6), "label": line.label})
                        + "\n"
                    )
        if opts["json"]:
            result.pop("documents", None)
            self.stdout.write(json.dumps(result, sort_keys=True))
            return
        self.stdout.write(f"{path}: {result['lines']} lines, {result['positives']} check-worthy")
        self.stdout.write(
            f"  at the service's threshold {result['threshold']:.2f}: "
            f"P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}"
        )
        self.stdout.write(
            f"  best F1 {result['best_f1']:.3f} at threshold {result['best_threshold']:.3f}"
        )
        ap = result["average_precision"]
        self.stdout.write(f"  average precision {'-' if ap is None else format(ap, '.3f')}")
        if "map" in result:
            m = result["map"]
            docs = result.get("documents", {})
            self.stdout.write(
                f"  MAP over {len(docs)} documents {'-' if m is None else format(m, '.3f')}"
            )
            for doc, value in sorted(docs.items()):
                self.stdout.write(f"    {doc:40s} AP {value:.3f}")
