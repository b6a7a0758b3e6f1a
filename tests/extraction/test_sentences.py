"""Sentence splitting: exact spans, abbreviations, quotes, numbers."""

from __future__ import annotations

from analysis.extraction import split_sentences


def texts(body):
    out = split_sentences(body)
    for s in out:
        assert body[s.start : s.end] == s.text
    return [s.text for s in out]


def test_abbreviations_do_not_end_sentences():
    body = (
        "U.S. officials met Dr. Kim on Jan. 31 in Seoul. Gen. Lee was there. The U.S. The end came."
    )
    assert texts(body) == [
        "U.S. officials met Dr. Kim on Jan. 31 in Seoul.",
        "Gen. Lee was there.",
        "The U.S.",
        "The end came.",
    ]


def test_numbers_with_separators_and_glued_dates_stay_whole():
    body = "About 11,000 troops arrived, a 3.5% rise. The dateline read Jan.31 - 2025 as usual."
    assert texts(body) == [
        "About 11,000 troops arrived, a 3.5% rise.",
        "The dateline read Jan.31 - 2025 as usual.",
    ]


def test_quotes_and_em_dashes():
    body = '"We will not leave," she said. "Is it over?" he asked. Over 50%\u2014and more than 70%\u2014came from there.'
    assert texts(body) == [
        '"We will not leave," she said.',
        '"Is it over?" he asked.',
        "Over 50%\u2014and more than 70%\u2014came from there.",
    ]


def test_newlines_are_hard_boundaries_and_initials_are_kept():
    body = "Trending Now\nJohn F. Kennedy was shot in Dallas.\n\nPhoto: AP"
    assert texts(body) == ["Trending Now", "John F. Kennedy was shot in Dallas.", "Photo: AP"]
