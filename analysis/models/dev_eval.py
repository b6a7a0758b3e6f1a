"""`make eval`: the service's judgement on dev data, in one table.

    python -m analysis.models.dev_eval [--data ../shared/datasets] [--retrain]

- **Extraction**: the hand-labelled gold articles in `tests/gold` (precision, recall and
  field checks), with the shipped models.
- **Check-worthiness**: a dev model is trained first, with the shipped model's recipe,
  on ClaimBuster minus a dev fold (stratified, 1 of 5, seed 0) and minus every sentence
  that also occurs in the CLEF-2019 debates. It is then scored by the service's own
  evaluation (`analysis.models.evaluate`, as `manage.py eval_checkworthiness` does) on
  that ClaimBuster fold and on all 19 CLEF-2019 training debates, which the shipped model
  does not train on either. The dev model is cached in `data/dev-models/` and rebuilt
  when its training rows or the training code change (`--retrain` forces it).
- **Relatedness and stance**: a dev stance model is trained with the shipped recipe on
  FNC-1 minus 20% of its bodies and Emergent minus 20% of its claims (seed 1,
  `train_stance --dev-only --write-dev`), cached the same way, then scored by the
  service's own decision (`evaluate_stance`, as `manage.py eval_stance` does: passages
  split as the corpus splits, the model, then the exact rules) on those held-back rows.

The public test splits are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from analysis import metrics
from analysis.models.evaluate import Line, checkworthiness_lines, read_jsonl, score_lines

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets"
CACHE = ROOT / "data" / "dev-models"
SEED = 0
FOLDS = 5


def _norm(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def checkworthiness_dev_split(data: Path) -> tuple[list[dict], list[Line], list[Line]]:
    """(training rows for the dev model, ClaimBuster dev lines, CLEF dev lines)."""
    from sklearn.model_selection import StratifiedKFold

    cb = list(read_jsonl(data / "claimbuster-train.jsonl"))
    clef = list(read_jsonl(data / "clef2019-train.jsonl"))
    labels = np.array([int(r["label"]) for r in cb])
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    train_idx, dev_idx = next(folds.split(np.zeros(len(cb)), labels))
    dev_texts = {_norm(cb[i]["text"]) for i in dev_idx} | {_norm(r["text"]) for r in clef}
    train = [cb[i] for i in train_idx if _norm(cb[i]["text"]) not in dev_texts]
    return (
        train,
        checkworthiness_lines([cb[i] for i in dev_idx], "claimbuster dev"),
        checkworthiness_lines(clef, "clef2019-train"),
    )


def _dev_model(data: Path, train_rows: list[dict], retrain: bool):
    from analysis.models import checkworthiness, train_checkworthiness

    code = b"".join(
        (Path(__file__).parent / f).read_bytes()
        for f in ("checkworthiness.py", "cwtrain.py", "train_checkworthiness.py")
    )
    key = hashlib.sha256(
        code + json.dumps([r["id"] for r in train_rows]).encode("utf-8")
    ).hexdigest()[:16]
    out = CACHE / f"checkworthiness-{key}"
    if retrain or not (out / "checkworthiness.npz").is_file():
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "claimbuster-train.jsonl"), "w", encoding="utf-8") as fh:
                for r in train_rows:
                    fh.write(json.dumps({k: v for k, v in r.items() if k != "_line"}) + "\n")
            # CLEF is dev data here; the stance files only give the news vocabulary.
            Path(tmp, "clef2019-train.jsonl").write_text("", encoding="utf-8")
            for name in ("fnc1-train.jsonl.gz", "emergent-train.jsonl"):
                if (data / name).exists():
                    os.symlink((data / name).resolve(), os.path.join(tmp, name))
            print(
                f"training the dev check-worthiness model ({len(train_rows)} rows) ...", flush=True
            )
            status = train_checkworthiness.main(["--data", tmp, "--out", str(out)])
            if status:
                raise SystemExit(status)
    return checkworthiness.load(out)


def _stance_dev(data: Path, retrain: bool):
    """(dev stance model, FNC-1 dev pairs, Emergent dev pairs), trained once and cached."""
    from analysis.models import stance, train_stance
    from analysis.models.evaluate import stance_pairs

    code = b"".join(
        (Path(__file__).parent / f).read_bytes() for f in ("stance.py", "train_stance.py")
    )
    stamp = json.dumps(
        [
            [name, (data / name).stat().st_size]
            for name in ("fnc1-train.jsonl.gz", "emergent-train.jsonl")
            if (data / name).exists()
        ]
    ).encode("utf-8")
    out = CACHE / f"stance-{hashlib.sha256(code + stamp).hexdigest()[:16]}"
    dev = out / "dev"
    if retrain or not (dev / "stance.npz").is_file():
        print("training the dev stance model (about 15 minutes on 2 cores) ...", flush=True)
        status = train_stance.main(
            ["--data", str(data), "--out", str(out), "--dev-only", "--write-dev"]
        )
        if status:
            raise SystemExit(status)
    return (
        stance.load(dev / "stance"),
        stance_pairs(read_jsonl(dev / "fnc1-dev.jsonl.gz"), "fnc1 dev"),
        stance_pairs(read_jsonl(dev / "emergent-dev.jsonl"), "emergent dev"),
    )


def _balanced_f1(scores: list[float], labels: list[int], threshold: float) -> float:
    """F1 with every negative weighted so the classes weigh the same (a 50/50 test)."""
    s, y = np.asarray(scores), np.asarray(labels)
    w = np.where(y == 1, 1.0, y.sum() / max(len(y) - y.sum(), 1))
    predicted = s >= threshold
    tp = float((w * (predicted & (y == 1))).sum())
    fp = float((w * (predicted & (y == 0))).sum())
    fn = float((w * (~predicted & (y == 1))).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA))
    ap.add_argument("--retrain", action="store_true", help="rebuild the cached dev models")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    data = Path(args.data)
    rows: list[tuple[str, str, str, str]] = []

    from analysis.extraction.evaluate import evaluate

    gold = sorted(str(p) for p in (ROOT / "tests" / "gold").glob("*.json"))
    overall = evaluate(gold)["overall"]
    where = f"tests/gold ({len(gold)} articles)"
    rows.append(
        (
            "extraction",
            where,
            "P / R / F1",
            f"{overall['precision']:.3f} / {overall['recall']:.3f} / {overall['f1']:.3f}",
        )
    )
    fields = ("attribution_kind_accuracy", "hedge_recall", "quantity_recall", "time_recall")
    rows.append(
        (
            "",
            "",
            "attribution / hedges / qty / time",
            " / ".join(f"{overall[f]:.3f}" for f in fields),
        )
    )

    if not data.is_dir():
        print(f"no training data at {data}: only the extraction gold is scored", file=sys.stderr)
    else:
        train_rows, cb_dev, clef_dev = checkworthiness_dev_split(data)
        model = _dev_model(data, train_rows, args.retrain)
        threshold = model.threshold
        scores, _ = score_lines(cb_dev, scorer=model.score, threshold=threshold)
        labels = [x.label for x in cb_dev]
        at = metrics.prf_at(scores, labels, threshold)
        best, best_at = metrics.best_f1(scores, labels)
        ap_value = metrics.average_precision(scores, labels)
        name = f"ClaimBuster dev fold ({len(cb_dev)} lines)"
        rows += [
            (
                "check-worthiness",
                name,
                f"P / R / F1 at {threshold:.2f}",
                f"{at.precision:.3f} / {at.recall:.3f} / {at.f1:.3f}",
            ),
            ("", "", "F1 at a balanced prior", f"{_balanced_f1(scores, labels, threshold):.3f}"),
            ("", "", "best F1 (threshold)", f"{best:.3f} ({best_at:.2f})"),
            ("", "", "average precision", f"{ap_value:.3f}" if ap_value is not None else "-"),
        ]
        scores, _ = score_lines(clef_dev, scorer=model.score, threshold=threshold)
        value, per_doc = metrics.mean_average_precision(
            scores, [x.label for x in clef_dev], [x.doc or "" for x in clef_dev]
        )
        rows.append(
            (
                "",
                f"CLEF-2019 training debates ({len(per_doc)})",
                "MAP",
                f"{value:.3f}" if value is not None else "-",
            )
        )

        model, fnc_dev, emergent_dev = _stance_dev(data, args.retrain)
        from analysis.models.evaluate import evaluate_stance

        for task, name, pairs in (
            ("stance", f"FNC-1 dev, 20% of bodies ({len(fnc_dev)} pairs)", fnc_dev),
            ("", f"Emergent dev, 20% of claims ({len(emergent_dev)} pairs)", emergent_dev),
        ):
            result = evaluate_stance(pairs, model=model)
            f1 = " / ".join(
                "-" if result["f1"][label] is None else f"{result['f1'][label]:.3f}"
                for label in metrics.STANCE_LABELS
            )
            rows += [
                (task, name, "FNC-1 score", f"{result['fnc_score']:.2f}"),
                (
                    "",
                    "",
                    "macro-F1 / accuracy",
                    f"{result['macro_f1']:.3f} / {result['accuracy']:.3f}",
                ),
                ("", "", "F1 unrelated / supports / contradicts / mentions", f1),
            ]

    if args.json:
        print(
            json.dumps(
                [dict(zip(("task", "data", "metric", "value"), r, strict=True)) for r in rows]
            )
        )
        return 0
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    print("make eval: dev figures (the public test splits are never read)")
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
