"""The relatedness and stance model: loading errors, determinism, edge inputs, the decision
the service takes on documents from outside the war domain, and training end to end on a
tiny made-up dataset (so none of this needs the shared training data)."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis.corroboration.documents import Document, judge_documents
from analysis.models import ModelFileError, stance_model
from analysis.models import stance as st
from analysis.models.evaluate import claim_candidate
from analysis.passages import split_passages
from analysis.types import Passage


@pytest.fixture(scope="module")
def shipped() -> Path:
    from analysis.models import model_dir

    return model_dir() / "stance"


def _copy(shipped: Path, tmp_path: Path) -> Path:
    for suffix in (".json", ".npz"):
        shutil.copy(shipped.with_suffix(suffix), tmp_path / f"stance{suffix}")
    return tmp_path / "stance"


def _doc(body: str) -> Document:
    spans = split_passages(body)
    passages = [
        Passage(source_id=1, text=body[s:e], start=s, end=e, passage_id=i)
        for i, (s, e) in enumerate(spans)
    ]
    return Document(passages, st.featurise_passages([p.text for p in passages]))


# --- loading errors: each names the file at fault -----------------------------------------


def test_missing_file_is_named(shipped: Path, tmp_path: Path) -> None:
    path = _copy(shipped, tmp_path)
    path.with_suffix(".npz").unlink()
    with pytest.raises(ModelFileError, match=r"stance\.npz"):
        st.load(path)


def test_corrupt_json_is_named(shipped: Path, tmp_path: Path) -> None:
    path = _copy(shipped, tmp_path)
    path.with_suffix(".json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"stance\.json"):
        st.load(path)


def test_corrupt_npz_is_named(shipped: Path, tmp_path: Path) -> None:
    path = _copy(shipped, tmp_path)
    path.with_suffix(".npz").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(ModelFileError, match=r"stance\.npz"):
        st.load(path)


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda m: m.update(format="checkworthiness"), "not a stance model"),
        (lambda m: m.update(featuriser="old"), "featuriser"),
        (lambda m: m.update(labels=["a", "b", "c", "d"]), "labels"),
        (lambda m: m["dense_features"].pop(), "dense feature list"),
        (lambda m: m.update(mode="three_stage"), "unknown mode"),
        (lambda m: m.pop("vocab"), "missing field"),
    ],
)
def test_description_mismatch_is_refused(shipped, tmp_path, change, message) -> None:
    path = _copy(shipped, tmp_path)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    change(meta)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelFileError, match=message):
        st.load(path)


def test_weight_shape_mismatch_is_refused(shipped: Path, tmp_path: Path) -> None:
    path = _copy(shipped, tmp_path)
    with np.load(path.with_suffix(".npz"), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["m0_w0"] = arrays["m0_w0"][:-1]
    np.savez(path.with_suffix(".npz"), **arrays)
    with pytest.raises(ModelFileError, match="first layer"):
        st.load(path)


def test_the_service_refuses_to_start_on_a_broken_model(monkeypatch, tmp_path, shipped) -> None:
    from analysis import models

    for f in shipped.parent.glob("checkworthiness.*"):
        shutil.copy(f, tmp_path / f.name)
    path = _copy(shipped, tmp_path)
    path.with_suffix(".npz").write_bytes(b"")
    monkeypatch.setenv(models.MODEL_DIR_ENV, str(tmp_path))
    models.checkworthiness_model.cache_clear()
    models.stance_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match=r"stance\.npz"):
            models.check_models()
    finally:
        models.checkworthiness_model.cache_clear()
        models.stance_model.cache_clear()


# --- determinism and edge inputs -----------------------------------------------------------


def test_judging_is_deterministic_and_independent_of_the_other_documents() -> None:
    model = stance_model()
    claim = "Microsoft agreed to buy the Minecraft maker Mojang for $2.5 billion."
    docs = [
        _doc("Microsoft has bought Mojang, the Swedish studio behind Minecraft, for $2.5bn."),
        _doc("The city council voted to repave the high street next spring."),
        _doc("Shares of the chip maker rose after strong quarterly results."),
    ]
    together = model.judge(claim, [d.features for d in docs])
    again = stance_model().judge(claim, [d.features for d in docs])
    alone = [model.judge(claim, [d.features])[0] for d in docs]
    for a, b, c in zip(together, again, alone, strict=True):
        assert a["label"] == b["label"] == c["label"]
        for label in st.LABELS:
            assert a["probs"][label] == pytest.approx(c["probs"][label], abs=1e-5)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "?",
        "\u201cQuoted\u201d \u2014 text\x00 with NUL",
        "x" * 20000,
        "Über 50 % der Bürger stimmten zu.",
        "1 2 3 4 5 6 7 8 9",
    ],
)
def test_edge_inputs_give_a_decision(text: str) -> None:
    body = text or " "
    decision = judge_documents(
        claim_candidate("The minister resigned on Friday.", None), [_doc(body)]
    )
    assert decision[0].label in st.LABELS


# --- the decision on documents outside the war domain -------------------------------------

CLAIM = "Microsoft is buying Mojang, the maker of Minecraft, for $2.5 billion."


def _decide(body: str, claim: str = CLAIM) -> str:
    return judge_documents(claim_candidate(claim, None), [_doc(body)])[0].label


def test_an_unrelated_report_is_not_evidence() -> None:
    assert (
        _decide(
            "Heavy rain flooded parts of the valley overnight, and the regional council "
            "opened two shelters for families who had to leave their homes."
        )
        == "unrelated"
    )


def test_a_report_of_the_same_deal_is_related() -> None:
    label = _decide(
        "Microsoft said on Monday it would buy Mojang, the Swedish studio behind the hit "
        "game Minecraft, for $2.5 billion. The deal is expected to close by the end of the "
        "year, Microsoft said."
    )
    assert label in ("supports", "mentions")


def test_a_different_price_for_the_same_deal_contradicts() -> None:
    label = _decide(
        "Microsoft said on Monday it would buy Mojang, the Swedish studio behind the hit "
        "game Minecraft, for $4.8 billion. The deal is expected to close by the end of the "
        "year."
    )
    assert label == "contradicts"


def test_a_hoax_report_is_a_contradiction() -> None:
    label = _decide(
        "The singer is not dead. A death hoax claiming she died in a car crash spread on "
        "social media on Tuesday; her publicist said she is alive and well and on tour.",
        claim="The singer died in a car crash on Tuesday.",
    )
    assert label == "contradicts"


# --- training end to end, on a tiny made-up dataset ----------------------------------------

TOPICS = [
    ("The mayor of Springfield resigned on Monday.", "mayor springfield resigned", "council"),
    ("Acme Corp will buy Widget Inc for $300 million.", "acme widget buy", "merger"),
    ("A new flu strain was found in pigs in Ohio.", "flu strain pigs ohio", "health"),
    ("The river Thames froze over in London.", "thames froze london", "weather"),
    ("Scientists found water on the planet Mars.", "water mars scientists", "space"),
]


def _tiny(folder: Path) -> None:
    folder.mkdir(parents=True)
    fnc, emergent = [], []
    n = 0
    for i, (claim, words, _) in enumerate(TOPICS):
        w = words.split()
        bodies = {
            "supports": f"Officials confirmed it: {claim} {' '.join(w)} was confirmed today.",
            "contradicts": f"It is a hoax. Reports that {w[0]} {w[1]} were false and denied.",
            "mentions": f"It is reported that {w[0]} and {w[1]} may be involved, unconfirmed.",
            "unrelated": f"{TOPICS[(i + 1) % len(TOPICS)][0]} Nothing else happened.",
        }
        for copy in range(4):
            for label, body in bodies.items():
                n += 1
                row = {"id": f"t{n}", "claim": claim, "body": f"{body} Day {copy}.", "label": label}
                fnc.append(row)
                if label != "unrelated":
                    emergent.append({**row, "id": f"e{n}", "body": body.split(".")[0] + "."})
    with gzip.open(folder / "fnc1-train.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in fnc)
    with open(folder / "emergent-train.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in emergent)


@pytest.mark.slow
def test_tiny_training_writes_a_model_that_loads_and_judges(tmp_path: Path) -> None:
    from analysis.models import train_stance

    _tiny(tmp_path / "data")
    out = tmp_path / "model"
    config = json.dumps({"epochs": 3, "members": 1, "vocab": 200})
    assert (
        train_stance.main(["--data", str(tmp_path / "data"), "--out", str(out), "--config", config])
        == 0
    )
    model = st.load(out / "stance")
    assert (out / "stance.cv.json").is_file()
    decided = model.judge(TOPICS[0][0], [_doc("Officials confirmed the mayor resigned.").features])
    assert decided[0]["label"] in st.LABELS
    assert sum(decided[0]["probs"].values()) == pytest.approx(1.0, abs=1e-4)
