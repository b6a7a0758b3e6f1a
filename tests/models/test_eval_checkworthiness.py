"""`eval_checkworthiness` on a small file, against metrics worked out by hand.

The model is replaced by a fixed score per sentence (through the extractor's one seam,
`default_scorer`), so the figures below can be computed on paper; everything else (the
reading of the file, documents in order, the extractor, the metrics) is the real thing.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from analysis.extraction import claims as extraction

SCORES = {
    "Alpha line number one here.": 0.9,
    "Beta line number two here.": 0.5,
    "Gamma line number three here.": 0.1,
    "Delta line number four here.": 0.8,
    "Epsilon line number five here.": 0.7,
    "Zeta line number six here.": 0.3,
    "Eta line number seven here.": 0.6,
    "Theta line number eight here.": 0.4,
    "Iota line number nine here.": 0.4,
}
LINES = [
    ("Alpha line number one here.", 0, "a"),
    ("Beta line number two here.", 1, "a"),
    ("Gamma line number three here.", 0, "a"),
    ("Delta line number four here.", 1, "b"),
    ("Epsilon line number five here.", 0, "b"),
    ("Zeta line number six here.", 1, "b"),
    ("Eta line number seven here.", 0, "c"),  # a document with no positive line
    ("Theta line number eight here.", 1, "d"),  # d: two lines tied at 0.4
    ("Iota line number nine here.", 0, "d"),
]


@pytest.fixture
def fixed_scores(monkeypatch):
    def scorer(texts):
        return [SCORES[t] for t in texts]

    monkeypatch.setattr(extraction, "default_scorer", lambda: (scorer, 0.5))


def _write(path, lines, with_docs=True):
    with path.open("w", encoding="utf-8") as fh:
        for n, (text, label, doc) in enumerate(lines):
            row = {"id": f"t:{n}", "text": text, "label": label, "doc": doc if with_docs else None}
            fh.write(json.dumps(row) + "\n")


def _run(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("eval_checkworthiness", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_metrics_at_the_threshold_best_f1_and_average_precision(tmp_path, fixed_scores):
    path = tmp_path / "lines.jsonl"
    _write(path, LINES)
    got = _run(str(path))
    # >= 0.5: .9(0) .5(1) .8(1) .7(0) .6(0): tp 2, fp 3, fn 2
    assert got["threshold"] == 0.5
    assert got["precision"] == pytest.approx(0.4)
    assert got["recall"] == pytest.approx(0.5)
    assert got["f1"] == pytest.approx(4 / 9)
    # best at 0.3: tp 4 of 8 predicted, recall 1 -> F1 2/3
    assert got["best_f1"] == pytest.approx(2 / 3) and got["best_threshold"] == 0.3
    # steps: .8 R+.25 P.5; .5 R+.25 P.4; .4 (two tied) R+.25 P3/7; .3 R+.25 P.5
    assert got["average_precision"] == pytest.approx(0.25 * (0.5 + 0.4 + 3 / 7 + 0.5))


def test_map_over_documents_with_ties(tmp_path, fixed_scores):
    path = tmp_path / "lines.jsonl"
    _write(path, LINES)
    got = _run(str(path))
    # a: .9(0) .5(1) .1(0) -> 1/2; b: .8(1) .7(0) .3(1) -> (1 + 2/3)/2;
    # c: no positive, left out; d: .4 and .4 tied, one positive -> 1/2
    assert got["map"] == pytest.approx((0.5 + 5 / 6 + 0.5) / 3)


def test_lines_without_a_doc_have_no_map(tmp_path, fixed_scores):
    path = tmp_path / "lines.jsonl"
    _write(path, LINES, with_docs=False)
    got = _run(str(path))
    assert "map" not in got
    assert got["f1"] == pytest.approx(4 / 9)  # the same lines, read one by one


def test_predictions_are_written_per_line(tmp_path, fixed_scores):
    path, out = tmp_path / "lines.jsonl", tmp_path / "pred.jsonl"
    _write(path, LINES)
    _run(str(path), "--predictions", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["score"] for r in rows] == [SCORES[t] for t, _, _ in LINES]
    assert [r["label"] for r in rows] == [label for _, label, _ in LINES]


def test_a_line_scores_the_best_of_its_sentences(tmp_path, monkeypatch):
    scores = {"The first part is here.": 0.2, "The second part is here.": 0.7}
    monkeypatch.setattr(
        extraction, "default_scorer", lambda: (lambda ts: [scores[t] for t in ts], 0.5)
    )
    path = tmp_path / "lines.jsonl"
    path.write_text(
        json.dumps(
            {"id": "x", "text": "The first part is here. The second part is here.", "label": 1}
        )
        + "\n"
    )
    got = _run(str(path))
    assert got["recall"] == 1.0 and got["average_precision"] == 1.0


def test_bad_input_is_refused_with_the_line_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "fine", "label": 1}\n{"text": 3, "label": 1}\n')
    with pytest.raises(CommandError, match=r"bad.jsonl:2"):
        call_command("eval_checkworthiness", str(path))
    path.write_text("not json\n")
    with pytest.raises(CommandError, match=r"bad.jsonl:1: not JSON"):
        call_command("eval_checkworthiness", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("eval_checkworthiness", str(tmp_path / "missing.jsonl"))
