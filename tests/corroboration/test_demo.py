"""The demo corpus: every file parses, is marked as a paraphrase or as fiction, and
names its original."""

import pytest

from analysis.corroboration import load_demo_sources, origin_key
from analysis.corroboration.demo import DemoSourceError, parse_demo_source
from tests.corroboration.helpers import SOURCES


def test_every_demo_source_parses_and_is_marked():
    docs = load_demo_sources(SOURCES)
    assert len(docs) >= 8
    for d in docs:
        assert d["published_at"].tzinfo is not None
        assert "Original:" in d["note"]
        if d["fictional"]:
            assert "fictional" in d["outlet"].lower() and "not real reporting" in d["note"]
        else:
            assert d["note"].startswith("Paraphrase for demonstration; not the outlet's text.")
        assert d["body"].strip()


def test_fact_sheet_addresses_and_relays():
    docs = {d["outlet"]: d for d in load_demo_sources(SOURCES)}
    assert docs["RBC-Ukraine"]["url"].startswith("https://newsukraine.rbc.ua/")
    assert docs["RBC-Ukraine"]["relays"] == ["The New York Times"]
    assert docs["Kyiv Independent"]["relays"] == ["The Times"]
    assert "AEN20250204006600315" in docs["Yonhap"]["url"]
    nyt = [
        o
        for o, d in docs.items()
        if origin_key(o, d["relays"]) == origin_key("The New York Times", [])
    ]
    assert len(nyt) == 3


def test_malformed_front_matter_names_the_file():
    with pytest.raises(DemoSourceError, match="bad.md"):
        parse_demo_source("no front matter", "bad.md")
    with pytest.raises(DemoSourceError, match="published"):
        parse_demo_source(
            "---\ntitle: t\noutlet: o\npublished: yesterday\nnote: n\n---\nbody", "x.md"
        )
