"""Score claim extraction against hand-labelled gold files.

A gold file is JSON:

    {"article": "flood-death-toll.txt",           # path relative to the gold file
     "format": "text",                            # optional, as read_article's fmt
     "published_at": "2025-03-03T10:00:00+01:00", # optional; overrides the parsed date
     "claims": [
        {"text": "<exact substring of the article body>",
         "checkworthy": true,          # false: must NOT be returned as check-worthy
         "optional": false,            # true: matching it is neither rewarded nor punished
         "appearances": ["<another substring that restates it>"],
         "attribution": {"kind": "anonymous", "speaker": "The New York Times"},
         "hedges": ["reportedly"],
         "quantities": [{"value": 11000, "unit": "troops"}],
         "times": [{"start_date": "2024-11-01", "end_date": "2024-11-30"}],
         "flags": ["unconfirmed"],
         "claim_type": "statistical"}]}

A predicted claim counts only when its checkworthiness reaches the threshold (the
model's own unless one is given). It
matches a gold claim when one of its appearances overlaps one of the gold claim's
spans by at least half of the shorter span. Precision counts every predicted
check-worthy claim that matches no gold claim (or matches a non-check-worthy one, or
matches an already matched one) as a false positive; optional gold claims are ignored.
Field scores (attribution kind and speaker, hedges, quantities, times, flags, claim
type) are computed over matched gold claims that label the field.

`evaluate` returns plain JSON-able data with rounded floats and stable key order, so
scores can be diffed between runs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path

from .claims import default_scorer, extract
from .reader import parse_iso_datetime, read_article

ROUND = 3
TIME_TOLERANCE_DAYS = 3
_COUNTERS = (
    "tp",
    "fp",
    "fn",
    "attr_kind_ok",
    "attr_kind_n",
    "speaker_ok",
    "speaker_n",
    "hedge_found",
    "hedge_n",
    "quantity_found",
    "quantity_n",
    "time_found",
    "time_n",
    "flag_found",
    "flag_n",
    "type_ok",
    "type_n",
)


def evaluate(gold_paths: Sequence[str | Path], *, threshold: float | None = None) -> dict:
    """Scores per gold file and overall (micro-averaged)."""
    scorer, model_threshold = default_scorer()
    threshold = model_threshold if threshold is None else threshold
    total = dict.fromkeys(_COUNTERS, 0)
    articles = {}
    for path in gold_paths:
        counts, misses = _score_file(Path(path), scorer, threshold)
        for k in _COUNTERS:
            total[k] += counts[k]
        articles[Path(path).name] = {"scores": _rates(counts), "counts": counts, "misses": misses}
    return _stable(
        {
            "overall": _rates(total),
            "counts": total,
            "articles": articles,
            "threshold": threshold,
        }
    )


def _score_file(path: Path, scorer, threshold: float) -> tuple[dict, list[str]]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    raw = (path.parent / gold["article"]).read_bytes()
    article = read_article(raw, fmt=gold.get("format", "auto"), url=gold.get("url", ""))
    published = article.published_at
    if gold.get("published_at"):
        published = parse_iso_datetime(gold["published_at"], "published_at")
    body = article.body
    extraction = extract(
        body,
        published_at=published,
        boilerplate=article.boilerplate,
        scorer=scorer,
        threshold=threshold,
    )
    predicted = [c for c in extraction.claims if c.checkworthiness >= threshold]
    counts = dict.fromkeys(_COUNTERS, 0)
    misses: list[str] = []

    gold_claims = []
    for g in gold["claims"]:
        spans = []
        for snippet in [g["text"], *g.get("appearances", [])]:
            i = body.find(snippet)
            if i < 0:
                raise ValueError(f"{path.name}: gold text not found in the body: {snippet[:60]!r}")
            spans.append((i, i + len(snippet)))
        gold_claims.append((g, spans))

    matched_gold: set[int] = set()
    for c in predicted:
        hit = None
        for gi, (_g, spans) in enumerate(gold_claims):
            if any(_overlaps(a, s) for a in c.appearances for s in spans):
                hit = gi
                break
        if hit is None:
            counts["fp"] += 1
            misses.append(f"extra: {c.text[:80]}")
            continue
        g, _ = gold_claims[hit]
        if g.get("optional"):
            continue
        if not g.get("checkworthy", True):
            counts["fp"] += 1
            misses.append(f"not check-worthy: {c.text[:80]}")
            continue
        if hit in matched_gold:
            counts["fp"] += 1
            misses.append(f"duplicate: {c.text[:80]}")
            continue
        matched_gold.add(hit)
        counts["tp"] += 1
        _score_fields(g, c, counts, misses)
    for gi, (g, _) in enumerate(gold_claims):
        if gi not in matched_gold and g.get("checkworthy", True) and not g.get("optional"):
            counts["fn"] += 1
            misses.append(f"missed: {g['text'][:80]}")
    return counts, misses


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def _score_fields(g: dict, c, counts: dict, misses: list[str]) -> None:
    label = c.text[:50]
    att = g.get("attribution")
    if att:
        if "kind" in att:
            counts["attr_kind_n"] += 1
            if c.attribution.kind == att["kind"]:
                counts["attr_kind_ok"] += 1
            else:
                misses.append(f"attribution kind {c.attribution.kind} != {att['kind']}: {label}")
        if att.get("speaker"):
            counts["speaker_n"] += 1
            want, got = att["speaker"].casefold(), c.attribution.speaker.casefold()
            if got and (want in got or got in want):
                counts["speaker_ok"] += 1
            else:
                misses.append(f"speaker {c.attribution.speaker!r} != {att['speaker']!r}: {label}")
    for h in g.get("hedges", []):
        counts["hedge_n"] += 1
        if any(
            h.casefold() in x.text.casefold() or x.text.casefold() in h.casefold() for x in c.hedges
        ):
            counts["hedge_found"] += 1
        else:
            misses.append(f"hedge {h!r}: {label}")
    for q in g.get("quantities", []):
        counts["quantity_n"] += 1
        if any(_quantity_matches(q, x) for x in c.quantities):
            counts["quantity_found"] += 1
        else:
            misses.append(f"quantity {q}: {label}")
    for t in g.get("times", []):
        counts["time_n"] += 1
        if any(_time_matches(t, x) for x in c.times):
            counts["time_found"] += 1
        else:
            misses.append(f"time {t}: {label}")
    for f in g.get("flags", []):
        counts["flag_n"] += 1
        if any(x.kind == f for x in c.flags):
            counts["flag_found"] += 1
        else:
            misses.append(f"flag {f}: {label}")
    if g.get("claim_type"):
        counts["type_n"] += 1
        if c.claim_type == g["claim_type"]:
            counts["type_ok"] += 1
        else:
            misses.append(f"type {c.claim_type} != {g['claim_type']}: {label}")


def _quantity_matches(want: dict, got) -> bool:
    if got.value is None or abs(got.value - want["value"]) > 1e-6 * max(1.0, abs(want["value"])):
        return False
    unit = want.get("unit")
    if unit and unit.casefold() not in got.unit.casefold():
        return False
    return all(getattr(got, k) == want[k] for k in ("kind", "qualifier") if k in want)


def _time_matches(want: dict, got) -> bool:
    for key in ("start_date", "end_date"):
        if key not in want:
            continue
        value = getattr(got, key)
        if value is None:
            return False
        if (
            abs((date.fromisoformat(value) - date.fromisoformat(want[key])).days)
            > TIME_TOLERANCE_DAYS
        ):
            return False
    return True


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, ROUND) if den else None


def _rates(c: dict) -> dict:
    precision = _ratio(c["tp"], c["tp"] + c["fp"])
    recall = _ratio(c["tp"], c["tp"] + c["fn"])
    f1 = None
    if precision and recall:
        f1 = round(2 * precision * recall / (precision + recall), ROUND)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "attribution_kind_accuracy": _ratio(c["attr_kind_ok"], c["attr_kind_n"]),
        "speaker_accuracy": _ratio(c["speaker_ok"], c["speaker_n"]),
        "hedge_recall": _ratio(c["hedge_found"], c["hedge_n"]),
        "quantity_recall": _ratio(c["quantity_found"], c["quantity_n"]),
        "time_recall": _ratio(c["time_found"], c["time_n"]),
        "flag_recall": _ratio(c["flag_found"], c["flag_n"]),
        "claim_type_accuracy": _ratio(c["type_ok"], c["type_n"]),
    }


def _stable(data):
    """Sorted keys all the way down, so json.dumps output is byte-stable."""
    if isinstance(data, dict):
        return {k: _stable(data[k]) for k in sorted(data)}
    if isinstance(data, list):
        return [_stable(x) for x in data]
    if isinstance(data, float):
        return round(data, ROUND)
    return data


def to_json(result: dict) -> str:
    return json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False)


__all__ = ["evaluate", "to_json", "asdict"]
