"""Every kind of boilerplate is reported and never becomes a claim."""

from __future__ import annotations

import pytest

from analysis.extraction import extract_claims, read_article
from analysis.extraction.boilerplate import boilerplate_spans

FACT = "The ministry said 40 people were evacuated from the village of Lyman on Monday."


@pytest.mark.parametrize(
    "line",
    [
        "Trending Now",
        "TRENDING NOW",
        "News",
        "Read more: How the flood warning system works",
        "Advertisement",
        "Photo: Wikimedia Commons",
        "Photo credit: Jane Doe / Reuters",
        "(AP Photo/Evgeniy Maloletka)",
        "This article is more than 5 years old",
        "This story has been updated with new figures.",
        "Copyright 2025 Example Media. All rights reserved.",
        "Will North Korean Troops Return?",
        "What Happens Next for the Coalition",
    ],
)
def test_boilerplate_kind_is_reported_and_never_a_claim(line):
    body = f"{FACT}\n\n{line}\n\n{FACT.replace('40', '45')}"
    spans = boilerplate_spans(body)
    assert any(body[s:e] == line for s, e in spans)
    claims = extract_claims(body, boilerplate=spans)
    assert not any(line in c.text for c in claims)


def test_repeated_caption_lines_are_boilerplate():
    body = f"Rescuers at the scene in Lyman\n{FACT}\nRescuers at the scene in Lyman\n"
    spans = boilerplate_spans(body)
    assert sum(1 for s, e in spans if body[s:e] == "Rescuers at the scene in Lyman") == 2


def test_rhetorical_question_inside_a_paragraph_is_not_a_claim():
    body = "Is this the new normal? The ministry said 40 people were evacuated on Monday."
    claims = extract_claims(body)
    assert [c.text for c in claims] == ["The ministry said 40 people were evacuated on Monday."]


def test_title_block_of_a_text_article_is_not_in_the_body():
    a = read_article(
        f"A Headline About Floods\n\nWritten by Jo Bloggs\n\nMarch 4, 2025 14:10 GMT\n\n{FACT}\n"
    )
    assert a.title == "A Headline About Floods"
    assert a.byline == "Jo Bloggs"
    assert a.published_at.isoformat() == "2025-03-04T14:10:00+00:00"
    assert "Headline" not in a.body and "Written by" not in a.body
