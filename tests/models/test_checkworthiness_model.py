"""The check-worthiness model: training on a tiny dataset, loading errors, determinism.

A tiny dataset (a few dozen made-up lines) is trained end to end in a temporary folder,
so these tests need no shared data. The shipped model's behaviour on whole articles is
tested through the extractor in tests/extraction/test_checkworthiness_patterns.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis.models import checkworthiness as cw

POS = [
    "Unemployment fell to 4 percent last year.",
    "We created 2.4 million jobs since January.",
    "The deficit has doubled in the last eight years.",
    "Chrysler is moving a plant from Mexico to Michigan.",
    "Taxes went up 30 percent under the governor.",
    "He voted 23 times against alternative fuels.",
    "The state spent $4 billion on prisons in 2015.",
    "Crime dropped by half in the city after 2010.",
    "Our exports to China rose 12 percent.",
    "Medicare costs grew faster than wages last decade.",
    "She cut the education budget by 10 percent.",
    "Ninety-four million Americans are out of the labor force.",
]
NEG = [
    "Thank you very much.",
    "I think we need to do better.",
    "Good evening and welcome.",
    "What would you do about that?",
    "I believe in this country.",
    "Let me finish, please.",
    "That is a great question.",
    "We have to come together.",
    "I want to thank my family.",
    "Well, look, I hope so.",
    "You know what I mean?",
    "It's a pleasure to be here.",
    "We will make it great.",
    "I feel very strongly about that.",
]


def _write_tiny(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    with open(d / "claimbuster-train.jsonl", "w", encoding="utf-8") as f:
        for i, t in enumerate(POS + NEG):
            f.write(
                json.dumps(
                    {
                        "id": f"cb:{i}",
                        "text": t,
                        "label": int(i < len(POS)),
                        "doc": None,
                        "speaker": None,
                    }
                )
                + "\n"
            )
    with open(d / "clef2019-train.jsonl", "w", encoding="utf-8") as f:
        n = 0
        for doc in ("deb_a", "deb_b"):
            for j, t in enumerate(NEG[:8] + POS[:3]):
                n += 1
                f.write(
                    json.dumps(
                        {
                            "id": f"clef:{n}",
                            "text": t + ("" if doc == "deb_a" else " Indeed."),
                            "label": int(j >= 8),
                            "doc": doc,
                            "speaker": "X",
                        }
                    )
                    + "\n"
                )


@pytest.fixture(scope="module")
def shipped() -> Path:
    from analysis.models import model_dir

    return model_dir()


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    pytest.importorskip("sklearn", reason="training needs the train extra (make test installs it)")
    from analysis.models import train_checkworthiness as tr

    root = tmp_path_factory.mktemp("cw")
    _write_tiny(root / "data")
    assert tr.main(["--data", str(root / "data"), "--out", str(root / "model")]) == 0
    return root / "model"


@pytest.mark.slow
def test_tiny_training_writes_loadable_model(tiny_model: Path) -> None:
    m = cw.load(tiny_model)
    s = m.score(POS[:3] + NEG[:3])
    assert s.shape == (6,) and np.all((s >= 0) & (s <= 1))
    assert (tiny_model / "checkworthiness.cv.json").is_file()
    assert 0.0 < m.threshold < 1.0


def test_scores_are_deterministic_and_batch_independent(shipped: Path) -> None:
    m = cw.load(shipped)
    batch = POS + NEG
    a = m.score(batch)
    b = cw.load(shipped).score(batch)
    assert np.array_equal(a, b)
    one = np.array([m.score([t])[0] for t in batch])
    assert np.allclose(a, one, atol=1e-12)


def test_edge_inputs(shipped: Path) -> None:
    m = cw.load(shipped)
    assert m.score([]).shape == (0,)
    s = m.score(
        [
            "",
            "   ",
            "?",
            "\u201cQuoted\u201d \u2014 text\x00 with NUL",
            "x" * 5000,
            "Über 50 % der Bürger.",
        ]
    )
    assert s.shape == (6,) and np.all(np.isfinite(s))
    assert isinstance(m.reason("Unemployment fell to 4 percent."), str)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_missing_file_is_named(shipped: Path, tmp_path: Path) -> None:
    d = _copy(shipped, tmp_path / "m")
    (d / "checkworthiness.npz").unlink()
    with pytest.raises(cw.ModelFileError, match="checkworthiness.npz"):
        cw.load(d)


def test_corrupt_json_is_named(shipped: Path, tmp_path: Path) -> None:
    d = _copy(shipped, tmp_path / "m")
    (d / "checkworthiness.json").write_text("{not json")
    with pytest.raises(cw.ModelFileError, match="checkworthiness.json"):
        cw.load(d)


def test_corrupt_npz_is_named(shipped: Path, tmp_path: Path) -> None:
    d = _copy(shipped, tmp_path / "m")
    (d / "checkworthiness.npz").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(cw.ModelFileError, match="checkworthiness.npz"):
        cw.load(d)


def test_vocabulary_mismatch_is_detected(shipped: Path, tmp_path: Path) -> None:
    d = _copy(shipped, tmp_path / "m")
    meta = json.loads((d / "checkworthiness.json").read_text())
    meta["vocab"] = meta["vocab"][:-1]
    (d / "checkworthiness.json").write_text(json.dumps(meta))
    with pytest.raises(cw.ModelFileError, match="checkworthiness"):
        cw.load(d)


def test_wrong_format_is_rejected(shipped: Path, tmp_path: Path) -> None:
    d = _copy(shipped, tmp_path / "m")
    meta = json.loads((d / "checkworthiness.json").read_text())
    meta["format"] = "something-else"
    (d / "checkworthiness.json").write_text(json.dumps(meta))
    with pytest.raises(cw.ModelFileError, match="not a"):
        cw.load(d)
