"""`eval_stance`: the metrics against figures worked out by hand, the reading of the file,
and the service's real decision on a few pairs.

For the metric tests the decision is replaced by a fixed label per pair (through the
model seam `judge_documents` uses, the stance model's `judge`), so the confusion matrix,
F1, accuracy and the FNC-1 score can be computed on paper; the reading of the file, the
passage split and the rules on top are the real thing.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analysis.models import evaluate

# (claim, body, gold, what the stubbed model says)
PAIRS = [
    ("The mayor resigned.", "Body one about the mayor.", "unrelated", "unrelated"),
    ("The mayor resigned.", "Body two about the mayor.", "unrelated", "mentions"),
    ("The mayor resigned.", "Body three about the mayor.", "supports", "supports"),
    ("The mayor resigned.", "Body four about the mayor.", "supports", "mentions"),
    ("The mayor resigned.", "Body five about the mayor.", "contradicts", "contradicts"),
    ("The mayor resigned.", "Body six about the mayor.", "contradicts", "unrelated"),
    ("The mayor resigned.", "Body seven about the mayor.", "mentions", "mentions"),
    ("The mayor resigned.", "Body eight about the mayor.", "mentions", "supports"),
]


class _FixedModel:
    """The stance model's interface, answering a fixed label per document body."""

    def __init__(self, by_body: dict[str, str]):
        self.by_body = by_body

    def judge(self, claim, docs):
        out = []
        for features in docs:
            label = self.by_body[features.text]
            probs = {k: 0.0 for k in ("unrelated", "supports", "contradicts", "mentions")}
            # confident, so a contradiction is flagged without needing a cue word
            probs[label] = 0.97
            out.append({"label": label, "probs": probs, "key_passage": 0, "top_passages": [0]})
        return out


class _Features:
    def __init__(self, text):
        self.text = text


@pytest.fixture
def fixed_model(monkeypatch):
    model = _FixedModel({body: said for _, body, _, said in PAIRS})
    monkeypatch.setattr("analysis.models.stance_model", lambda: model)
    monkeypatch.setattr(
        "analysis.models.stance.featurise_passages", lambda texts: _Features(" ".join(texts))
    )
    return model


def _write(path, pairs):
    with path.open("w", encoding="utf-8") as fh:
        for n, (claim, body, gold, _) in enumerate(pairs):
            fh.write(
                json.dumps({"id": f"p{n}", "claim": claim, "body": body, "label": gold}) + "\n"
            )


def _run(*args) -> dict:
    out = StringIO()
    call_command("eval_stance", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_confusion_f1_accuracy_and_fnc_score(tmp_path, fixed_model):
    path = tmp_path / "pairs.jsonl"
    _write(path, PAIRS)
    got = _run(str(path))
    # rows gold, columns predicted: unrelated, supports, contradicts, mentions
    assert got["confusion"] == [
        [1, 0, 0, 1],
        [0, 1, 0, 1],
        [1, 0, 1, 0],
        [0, 1, 0, 1],
    ]
    assert got["accuracy"] == pytest.approx(4 / 8)
    # unrelated P 1/2 R 1/2; supports P 1/2 R 1/2; contradicts P 1 R 1/2; mentions P 1/3 R 1/2
    f1 = got["f1"]
    assert f1["unrelated"] == pytest.approx(0.5)
    assert f1["supports"] == pytest.approx(0.5)
    assert f1["contradicts"] == pytest.approx(2 / 3)
    assert f1["mentions"] == pytest.approx(0.4)
    assert got["macro_f1"] == pytest.approx((0.5 + 0.5 + 2 / 3 + 0.4) / 4)
    # best: 2 unrelated x 0.25 + 6 related x 1 = 6.5; got: 0.25 (p0) + p2 1 + p3 0.25
    # + p4 1 + p5 0 + p6 1 + p7 0.25 = 3.75
    assert got["fnc_score"] == pytest.approx(100 * 3.75 / 6.5)
    assert got["pairs"] == 8


def test_predictions_are_written_per_pair(tmp_path, fixed_model):
    path, out = tmp_path / "pairs.jsonl", tmp_path / "pred.jsonl"
    _write(path, PAIRS)
    _run(str(path), "--predictions", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["predicted"] for r in rows] == [said for *_, said in PAIRS]
    assert [r["label"] for r in rows] == [gold for _, _, gold, _ in PAIRS]


def test_the_table_names_every_figure(tmp_path, fixed_model):
    path = tmp_path / "pairs.jsonl"
    _write(path, PAIRS)
    out = StringIO()
    call_command("eval_stance", str(path), stdout=out)
    text = out.getvalue()
    for needle in ("8 pairs", "macro-F1 0.517", "accuracy 0.500", "FNC-1 score 57.69"):
        assert needle in text, text


def test_the_exact_rules_apply_on_top_of_the_model(tmp_path, monkeypatch):
    """A figure that differs for the same thing is a contradiction, whatever the model
    said; the pair's body published later with a revised official figure is not."""
    body = "Acme said it will buy Widget for $300 million, the companies said."
    model = _FixedModel({body: "supports"})
    monkeypatch.setattr("analysis.models.stance_model", lambda: model)
    monkeypatch.setattr(
        "analysis.models.stance.featurise_passages", lambda texts: _Features(" ".join(texts))
    )
    pairs = evaluate.stance_pairs(
        [{"claim": "Acme will buy Widget for $450 million.", "body": body, "label": "contradicts"}]
    )
    assert evaluate.decide_stance(pairs) == ["contradicts"]


def test_the_shipped_model_end_to_end(tmp_path):
    rows = [
        {
            "id": "a",
            "claim": "Microsoft is buying Mojang, the maker of Minecraft, for $2.5 billion.",
            "body": "Microsoft said on Monday it would buy Mojang, the Swedish studio behind "
            "Minecraft, for $2.5 billion. The deal is expected to close this year.",
            "label": "supports",
        },
        {
            "id": "b",
            "claim": "Microsoft is buying Mojang, the maker of Minecraft, for $2.5 billion.",
            "body": "The regional council opened two shelters after heavy rain flooded the "
            "valley overnight.",
            "label": "unrelated",
        },
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    got = _run(str(path))
    assert got["pairs"] == 2
    assert got["confusion"][1][0] == 0  # the same deal is not called unrelated
    assert got["confusion"][0][0] == 1  # the flood is
    assert 0 <= got["fnc_score"] <= 100 and 0 <= got["macro_f1"] <= 1


def test_dates_are_read_and_bad_ones_refused(tmp_path):
    ok = evaluate.stance_pairs(
        [
            {
                "claim": "c",
                "body": "b",
                "label": "mentions",
                "claim_published": "2024-05-01T10:00:00Z",
                "body_published": "2024-05-03",
            }
        ]
    )
    assert ok[0].claim_published.year == 2024 and ok[0].body_published.tzinfo is not None
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"claim": "c", "body": "b", "label": "mentions", "body_published": "soon"})
        + "\n"
    )
    with pytest.raises(CommandError, match="body_published"):
        call_command("eval_stance", str(path))


@pytest.mark.parametrize(
    "line,message",
    [
        ('{"claim": "c", "body": "b", "label": "agree"}', "label"),
        ('{"claim": 3, "body": "b", "label": "supports"}', "claim"),
        ('{"claim": "c", "label": "supports"}', "body"),
        ("not json", "not JSON"),
    ],
)
def test_bad_input_is_refused_with_the_line_named(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"claim": "c", "body": "b", "label": "supports"}\n' + line + "\n")
    with pytest.raises(CommandError, match=rf"bad.jsonl:2.*{message}|{message}.*bad.jsonl:2"):
        call_command("eval_stance", str(path))


def test_missing_and_empty_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("eval_stance", str(tmp_path / "missing.jsonl"))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(CommandError, match="no pairs"):
        call_command("eval_stance", str(empty))
