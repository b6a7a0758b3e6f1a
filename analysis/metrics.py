"""The evaluation metrics of the learned judgements, in plain Python.

Check-worthiness is a ranking with a threshold: precision, recall and F1 at the
service's threshold, the best F1 over all thresholds, average precision, and the mean of
per-document average precision (MAP, CLEF CheckThat!'s measure). Stance is a four-way
labelling: the confusion matrix, per-class and macro F1, accuracy, and the FNC-1
weighted score.

Ties: sentences with equal scores are one step of the ranking (they enter the predicted
set together, at one threshold), as scikit-learn's `average_precision_score` treats them.
So a metric never depends on the order in which tied sentences happen to be listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def prf_at(scores: Sequence[float], labels: Sequence[int], threshold: float) -> PRF:
    """Precision, recall and F1 of label 1, predicting 1 where score >= threshold."""
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return PRF(p, r, _f1(p, r))


def _steps(scores: Sequence[float], labels: Sequence[int]) -> list[tuple[float, int, int]]:
    """(threshold, true positives, predicted positives) at each distinct score, best first."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda x: -x[0])
    out: list[tuple[float, int, int]] = []
    tp = n = 0
    i = 0
    while i < len(pairs):
        s = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == s:
            tp += 1 if pairs[i][1] else 0
            n += 1
            i += 1
        out.append((s, tp, n))
    return out


def best_f1(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """The best F1 of label 1 over all thresholds, and the (highest) threshold giving it."""
    positives = sum(1 for y in labels if y)
    best, at = 0.0, 1.0
    for threshold, tp, n in _steps(scores, labels):
        f1 = _f1(tp / n, tp / positives) if positives and n else 0.0
        if f1 > best:
            best, at = f1, threshold
    return best, at


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Sum over the ranking's steps of (recall gained) x (precision there); None when there
    is no positive to find."""
    positives = sum(1 for y in labels if y)
    if not positives:
        return None
    ap, last_tp = 0.0, 0
    for _threshold, tp, n in _steps(scores, labels):
        ap += (tp - last_tp) / positives * (tp / n)
        last_tp = tp
    return ap


def mean_average_precision(
    scores: Sequence[float], labels: Sequence[int], docs: Sequence[str]
) -> tuple[float | None, dict[str, float]]:
    """MAP over documents (each document's lines ranked on their own); documents with no
    positive line have no average precision and are left out of the mean."""
    by_doc: dict[str, tuple[list[float], list[int]]] = {}
    for s, y, d in zip(scores, labels, docs, strict=True):
        by_doc.setdefault(d, ([], []))
        by_doc[d][0].append(s)
        by_doc[d][1].append(y)
    per_doc = {}
    for d, (doc_scores, doc_labels) in by_doc.items():
        ap = average_precision(doc_scores, doc_labels)
        if ap is not None:
            per_doc[d] = ap
    if not per_doc:
        return None, {}
    return sum(per_doc.values()) / len(per_doc), per_doc


# --- stance ---------------------------------------------------------------------------

STANCE_LABELS = ("unrelated", "supports", "contradicts", "mentions")


def confusion(
    gold: Sequence[str], predicted: Sequence[str], labels=STANCE_LABELS
) -> list[list[int]]:
    """rows: gold label, columns: predicted label, in the order of `labels`."""
    index = {label: i for i, label in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        m[index[g]][index[p]] += 1
    return m


def per_class_f1(matrix: list[list[int]], labels=STANCE_LABELS) -> dict[str, float | None]:
    """F1 of each label; None for a label that is neither in the gold nor predicted."""
    out: dict[str, float | None] = {}
    for i, label in enumerate(labels):
        tp = matrix[i][i]
        gold_n = sum(matrix[i])
        pred_n = sum(row[i] for row in matrix)
        if gold_n == 0 and pred_n == 0:
            out[label] = None
            continue
        p = tp / pred_n if pred_n else 0.0
        r = tp / gold_n if gold_n else 0.0
        out[label] = _f1(p, r)
    return out


def macro_f1(per_class: dict[str, float | None]) -> float:
    values = [v for v in per_class.values() if v is not None]
    return sum(values) / len(values) if values else 0.0


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The FNC-1 weighted score as a percentage of the best possible: 0.25 for getting
    related/unrelated right, and 0.75 more for the right stance of a related pair."""
    got = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        if g == "unrelated":
            best += 0.25
            got += 0.25 if p == "unrelated" else 0.0
        else:
            best += 1.0
            if p != "unrelated":
                got += 0.25
                got += 0.75 if p == g else 0.0
    return 100.0 * got / best if best else 0.0
