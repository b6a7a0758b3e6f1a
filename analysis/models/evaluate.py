"""Evaluate the service's judgements on anyone's labelled data (the datasets' formats).

Stance (`{"id", "claim", "body", "label"}` per line, optional `claim_published` and
`body_published`): each body is split into passages exactly as the corpus splits a
document, and the pair takes the label the service itself gives that document for the
claim (`analysis.corroboration.documents.judge_documents`: the stance model, then the
exact number, date and time-order rules): unrelated when it would not be evidence,
otherwise the stance of the evidence it would record.

Check-worthiness (`{"id", "text", "label", "doc", "speaker"}` per line, see
`../shared/datasets/README.md`): the lines of one `doc` are read as one document, in
order, exactly as the service reads an article (each line a paragraph of the body), so
the extractor sees them in context; a line without a `doc` is a document of its own. A
line scores the highest check-worthiness of the sentences in it, as the service gives
them (the model's score, put below the threshold for questions, fragments, opinions with
no figure and run-on quotes), and counts as predicted check-worthy when that score
reaches the service's threshold.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from analysis import metrics
from analysis.corroboration.documents import Document, judge_documents
from analysis.extraction import Scorer, extract
from analysis.passages import split_passages
from analysis.types import ClaimCandidate
from analysis.types import Passage as PassageHit

PARAGRAPH = "\n\n"


class DataError(ValueError):
    """A line of an evaluation file is not in the expected format (names file and line)."""


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """The objects of a JSON-lines file (gzip when it ends in .gz), with clear errors."""
    p = Path(path)
    opener = gzip.open if p.suffix == ".gz" else open
    try:
        with opener(p, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise DataError(f"{p}:{n}: not JSON ({exc})") from None
                if not isinstance(row, dict):
                    raise DataError(f"{p}:{n}: each line must be a JSON object")
                yield row | {"_line": n}
    except OSError as exc:
        raise DataError(f"{p}: {exc.strerror or exc}") from None


@dataclass
class Line:
    id: str
    text: str
    label: int
    doc: str | None


def checkworthiness_lines(rows: Iterable[dict], source: str = "") -> list[Line]:
    out = []
    for row in rows:
        where = f"{source}:{row.get('_line', '?')}"
        text, label = row.get("text"), row.get("label")
        if not isinstance(text, str):
            raise DataError(f'{where}: "text" must be a string')
        if label not in (0, 1, True, False):
            raise DataError(f'{where}: "label" must be 0 or 1')
        doc = row.get("doc")
        if doc is not None and not isinstance(doc, str):
            raise DataError(f'{where}: "doc" must be a string or null')
        out.append(Line(str(row.get("id", where)), text, int(label), doc))
    return out


def _documents(lines: list[Line]) -> list[list[int]]:
    """Indices of lines per document: consecutive lines of one doc; a doc-less line alone."""
    docs: list[list[int]] = []
    for i, line in enumerate(lines):
        if line.doc is not None and docs and lines[docs[-1][0]].doc == line.doc:
            docs[-1].append(i)
        else:
            docs.append([i])
    return docs


def score_lines(
    lines: list[Line], *, scorer: Scorer | None = None, threshold: float | None = None
) -> tuple[list[float], float]:
    """Each line's check-worthiness as the service gives it, and the threshold used."""
    scores = [0.0] * len(lines)
    used = threshold
    for indices in _documents(lines):
        parts, spans, at = [], [], 0
        for i in indices:
            text = " ".join(lines[i].text.split())
            parts.append(text)
            spans.append((at, at + len(text)))
            at += len(text) + len(PARAGRAPH)
        body = PARAGRAPH.join(parts)
        extraction = extract(body, boilerplate=[], scorer=scorer, threshold=threshold)
        used = extraction.threshold
        for sentence in extraction.sentences:
            for i, (a, b) in zip(indices, spans, strict=True):
                if sentence.start < b and sentence.end > a:
                    scores[i] = max(scores[i], sentence.checkworthiness)
    assert used is not None
    return scores, used


def evaluate_checkworthiness(
    lines: list[Line], *, scorer: Scorer | None = None, threshold: float | None = None
) -> dict:
    """P/R/F1 at the service's threshold, the best F1 and its threshold, average precision
    and, when the lines carry documents, MAP over documents."""
    scores, used = score_lines(lines, scorer=scorer, threshold=threshold)
    labels = [line.label for line in lines]
    at = metrics.prf_at(scores, labels, used)
    best, best_at = metrics.best_f1(scores, labels)
    result: dict[str, object] = {
        "lines": len(lines),
        "positives": sum(labels),
        "threshold": round(used, 4),
        "precision": at.precision,
        "recall": at.recall,
        "f1": at.f1,
        "best_f1": best,
        "best_threshold": best_at,
        "average_precision": metrics.average_precision(scores, labels),
    }
    if any(line.doc is not None for line in lines):
        docs = [line.doc or f"line:{line.id}" for line in lines]
        value, per_doc = metrics.mean_average_precision(scores, labels, docs)
        result["map"] = value
        result["documents"] = per_doc
    result["scores"] = scores
    return result


# --- stance -------------------------------------------------------------------------------

STANCE_LABELS = metrics.STANCE_LABELS


@dataclass
class Pair:
    id: str
    claim: str
    body: str
    label: str
    claim_published: datetime | None = None
    body_published: datetime | None = None


def _when(value, where: str, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DataError(f'{where}: "{name}" must be an ISO 8601 date-time string')
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DataError(f'{where}: "{name}" is not an ISO 8601 date-time: {value!r}') from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def stance_pairs(rows: Iterable[dict], source: str = "") -> list[Pair]:
    out = []
    for row in rows:
        where = f"{source}:{row.get('_line', '?')}"
        for name in ("claim", "body", "label"):
            if not isinstance(row.get(name), str):
                raise DataError(f'{where}: "{name}" must be a string')
        if row["label"] not in STANCE_LABELS:
            raise DataError(f'{where}: "label" must be one of {", ".join(STANCE_LABELS)}')
        out.append(
            Pair(
                str(row.get("id", where)),
                row["claim"],
                row["body"],
                row["label"],
                _when(row.get("claim_published"), where, "claim_published"),
                _when(row.get("body_published"), where, "body_published"),
            )
        )
    return out


def claim_candidate(text: str, published: datetime | None) -> ClaimCandidate:
    """A claim read from its text the way extraction reads a sentence (quantities, times,
    attribution, type), whatever its check-worthiness."""
    extraction = extract(
        text,
        boilerplate=[],
        published_at=published,
        scorer=lambda ts: [1.0] * len(ts),
        threshold=0.5,
    )
    if extraction.candidates:
        return extraction.candidates[0]
    return ClaimCandidate(
        text=text,
        start=0,
        end=len(text),
        normalized=text.lower(),
        checkworthiness=1.0,
        claim_type="event",
    )


def decide_stance(pairs: list[Pair], *, model=None) -> list[str]:
    """The service's decision for each pair: the body split into passages as the corpus
    splits documents, judged as one document (`judge_documents`: the stance model, then
    the exact rules on the passages nearest the claim)."""
    from analysis.models import stance_model
    from analysis.models.stance import featurise_passages

    model = model or stance_model()
    documents: dict[str, Document] = {}
    for pair in pairs:
        key = f"{pair.body_published}|{pair.body}"
        if key in documents:
            continue
        spans = split_passages(pair.body)
        passages = [
            PassageHit(
                source_id=0,
                text=pair.body[s:e],
                start=s,
                end=e,
                published_at=pair.body_published,
                passage_id=i,
            )
            for i, (s, e) in enumerate(spans)
        ]
        documents[key] = Document(passages, featurise_passages([p.text for p in passages]))
    by_claim: dict[tuple[str, datetime | None], list[int]] = {}
    for i, pair in enumerate(pairs):
        by_claim.setdefault((pair.claim, pair.claim_published), []).append(i)
    out = [""] * len(pairs)
    for (text, published), indices in by_claim.items():
        candidate = claim_candidate(text, published)
        docs = [documents[f"{pairs[i].body_published}|{pairs[i].body}"] for i in indices]
        for i, decided in zip(
            indices,
            judge_documents(candidate, docs, claim_published_at=published, model=model),
            strict=True,
        ):
            out[i] = decided.label
    return out


def evaluate_stance(pairs: list[Pair], *, model=None) -> dict:
    """Confusion matrix, per-class F1, macro-F1, accuracy and the FNC-1 weighted score."""
    predicted = decide_stance(pairs, model=model)
    gold = [p.label for p in pairs]
    matrix = metrics.confusion(gold, predicted)
    per_class = metrics.per_class_f1(matrix)
    return {
        "pairs": len(pairs),
        "labels": list(STANCE_LABELS),
        "confusion": matrix,
        "f1": per_class,
        "macro_f1": metrics.macro_f1(per_class),
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True)) / max(len(pairs), 1),
        "fnc_score": metrics.fnc_score(gold, predicted),
        "predicted": predicted,
    }
