"""Fixtures for the plain-Python extraction tests (no database, no Django)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.extraction import extract_claims, read_article  # noqa: E402

SEED = ROOT / "seeds" / "north-korean-troops-disappear.txt"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def seed_article():
    return read_article(SEED.read_bytes())


@pytest.fixture(scope="session")
def seed_claims(seed_article):
    return extract_claims(
        seed_article.body,
        published_at=seed_article.published_at,
        boilerplate=seed_article.boilerplate,
    )


@pytest.fixture(scope="session")
def find_claim(seed_claims):
    def find(fragment: str):
        for c in seed_claims:
            if fragment in c.text or any(fragment in seed_claims_body(c) for _ in [0]):
                return c
        raise AssertionError(f"no claim containing {fragment!r}")

    return find


def seed_claims_body(c):
    return c.text
