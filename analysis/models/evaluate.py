"""Evaluate the service's judgements on anyone's labelled data (the datasets' formats).

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
from pathlib import Path

from analysis import metrics
from analysis.extraction import Scorer, extract

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
