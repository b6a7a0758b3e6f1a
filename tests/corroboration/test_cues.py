"""find_cue searches one alternation of a cue list; it must find what searching each
pattern and keeping the earliest (first listed on a tie) finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.corroboration import lexicon
from analysis.corroboration.text import find_cue
from analysis.extraction import split_sentences

ROOT = Path(__file__).resolve().parents[2]


def reference(patterns, text):
    best = None
    for p in patterns:
        m = re.compile(p, re.I).search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _sentences() -> list[str]:
    files = [*(ROOT / "seeds").rglob("*.txt"), *(ROOT / "seeds").rglob("*.md")]
    files += (ROOT / "tests" / "gold").glob("*.txt")  # other stories, other cues
    texts = [p.read_text() for p in sorted(files)]
    out = [s.text for t in texts for s in split_sentences(t)]
    assert len(out) > 100
    return out


CUE_LISTS = {
    name: value
    for name, value in vars(lexicon).items()
    if name.endswith("_CUES") and isinstance(value, list | tuple)
} | {f"EVENT_FAMILIES[{k}]": v for k, v in lexicon.EVENT_FAMILIES.items()}


@pytest.mark.parametrize("name", sorted(CUE_LISTS))
def test_find_cue_matches_the_per_pattern_search(name):
    patterns = CUE_LISTS[name]
    found = 0
    for text in _sentences():
        ours, ref = find_cue(patterns, text), reference(patterns, text)
        assert (ours and (ours.start(), ours.end())) == (ref and (ref.start(), ref.end())), text
        found += ours is not None
    if name in ("DENIAL_CUES", "UNCONFIRMED_CUES"):
        assert found, f"no sentence of the seeds has a {name} cue"


def test_ties_go_to_the_first_listed_pattern():
    assert find_cue([r"troops", r"troops pulled"], "the troops pulled back").group(0) == "troops"
    assert find_cue([r"troops pulled", r"troops"], "the troops pulled back").group(0) == (
        "troops pulled"
    )
    assert find_cue([], "anything") is None
