"""What the learned check-worthiness, with the claim-type checks, does on the patterns
that the old hand-weighted score got wrong (issue 13). Each test names the behaviour."""

from __future__ import annotations

from datetime import UTC, datetime

from analysis.extraction import extract
from analysis.extraction.attribution import attribute
from analysis.types import ATTR_NONE

PUBLISHED = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


def scored(text: str):
    extraction = extract(text, boilerplate=[], published_at=PUBLISHED)
    [sentence] = extraction.sentences
    return sentence, extraction


def is_claim(text: str) -> bool:
    sentence, _ = scored(text)
    return sentence.claim


def test_a_counting_word_does_not_outweigh_an_opinion():
    assert not is_claim("Two points I think are important: jobs and schools.")


def test_i_think_and_i_dont_are_not_named_speakers():
    for text in ("Two points I think are important.", "I don't think the deficit matters."):
        assert attribute(text, None, "", {}).kind == ATTR_NONE, text


def test_an_anecdote_with_an_age_ranks_low():
    assert not is_claim("At the age of eight, Elvin told his dad he wanted to be a pilot.")


def test_first_person_is_not_disqualifying():
    assert is_claim("We have cut inflation by better than half.")


def test_short_claims_are_not_dropped():
    assert is_claim("We're up 400,000 jobs.")
    assert is_claim("Walls work 100 percent.")


def test_figure_words_count_as_figures():
    assert is_claim("Half of the county's schools closed after the storm.")
    assert is_claim("The trillion-dollar stimulus bill passed the Senate on Tuesday.")


def test_a_concrete_claim_without_a_figure_is_check_worthy():
    assert is_claim("Chrysler is moving a major plant from Mexico to Michigan.")


def test_a_reported_event_without_a_number_becomes_a_claim():
    for text in (
        "The president flew into Warsaw on Sunday.",
        "Many drowned when the ferry capsized off the coast.",
    ):
        sentence, _ = scored(text)
        assert sentence.claim, text
        assert "reported event" in sentence.note


def test_an_opinion_with_no_figure_ranks_below_the_threshold():
    sentence, extraction = scored("I think we need to do better.")
    assert not sentence.claim
    assert sentence.checkworthiness < extraction.threshold


def test_a_question_is_scored_but_never_a_claim():
    sentence, extraction = scored("Did the deficit really triple to $4 trillion last year?")
    assert not sentence.claim and sentence.note == "a question"
    assert sentence.checkworthiness < extraction.threshold


def test_every_sentence_of_an_article_gets_a_score(seed_text):
    extraction = extract(seed_text, published_at=PUBLISHED)
    claimed = {(c.start, c.end) for c in extraction.claims}
    assert len(extraction.sentences) > len(extraction.claims)
    assert all(0.0 <= s.checkworthiness <= 1.0 for s in extraction.sentences)
    for s in extraction.sentences:
        if s.claim:
            assert (s.start, s.end) in claimed or any(
                (s.start, s.end) in c.appearances for c in extraction.claims
            )


def test_the_threshold_is_a_parameter():
    text = "Officials said the new terminal would open within months."
    score = scored(text)[0].checkworthiness
    assert 0.05 < score < 0.95
    low = extract(text, boilerplate=[], threshold=score - 0.04)
    high = extract(text, boilerplate=[], threshold=score + 0.04)
    assert low.claims and not high.claims
    assert low.sentences[0].checkworthiness == high.sentences[0].checkworthiness


def test_scores_are_deterministic(seed_text):
    a = [s.checkworthiness for s in extract(seed_text).sentences]
    b = [s.checkworthiness for s in extract(seed_text).sentences]
    assert a == b
