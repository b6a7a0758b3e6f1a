"""Hostile input stays bounded. The bounds are guards against blow-ups (quadratic
regexes, unbounded loops), not performance targets; the benchmark measures speed."""

from __future__ import annotations

import time

import pytest

from analysis.extraction import ArticleError, extract_claims, read_article

GUARD_SECONDS = 10.0

CASES = {
    "5 MB single line of words": "word " * 1_000_000,
    "5 MB of sentences on one line": "The army said 11,000 troops arrived on January 30. "
    * 100_000,
    "abbreviations and numbers": "U.S. Dr. Jan.31 11,000.5 " * 200_000,
    "digit runs glued to letters": ("1" * 1900 + "a. ") * 2500,
    "a million label lines": "News\n" * 1_000_000,
    "long run of dots": "Officials said it. " + "." * 5_000_000,
    "long run of quotes": "Officials said it. " + '"' * 5_000_000,
    "mixed punctuation": "Officials said it. " + "?!.\u2026\u2014\"'" * 600_000,
    "percent signs": "Officials said 5 " + "50%" * 1_600_000,
    "month words": "January 30 last November for two weeks " * 120_000,
    "speech verbs": "officials said " * 330_000,
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_finishes_within_the_guard(name):
    raw = CASES[name]
    started = time.perf_counter()
    try:
        article = read_article(raw, fmt="text")
        extract_claims(
            article.body, published_at=article.published_at, boilerplate=article.boilerplate
        )
    except ArticleError:
        pass  # refusing is fine; hanging is not
    assert time.perf_counter() - started < GUARD_SECONDS
