"""'According to people familiar with ...' is an anonymous source, not a vague one.

The phrase reader stops a source phrase at "with", which left "people familiar" and
classified it as vague: the `anonymous_source` flag never fired for the commonest
anonymous-source form in business and political reporting. Sentences made up for the test.
"""

from __future__ import annotations

import pytest

from analysis.extraction import extract_claims
from analysis.extraction.attribution import attribute
from analysis.types import ANONYMOUS_SOURCE, ATTR_ANONYMOUS, ATTR_VAGUE, VAGUE_ATTRIBUTION


@pytest.mark.parametrize(
    "sentence, speaker",
    [
        (
            "The brewer will shut its Leeds plant in March, according to people familiar with "
            "the matter.",
            "people familiar with the matter",
        ),
        (
            "The striker will earn about £200,000 a week, according to people familiar with "
            "the negotiations.",
            "people familiar with the negotiations",
        ),
        (
            "The tariff will double next year, according to officials familiar with the "
            "government's plans.",
            "officials familiar with the government's plans",
        ),
    ],
)
def test_according_to_people_familiar_with_something_is_anonymous(sentence, speaker):
    att = attribute(sentence)
    assert att.kind == ATTR_ANONYMOUS
    assert att.chain[0].speaker == speaker


def test_according_to_bare_people_stays_vague():
    assert attribute("The bank will cut 500 jobs, according to people.").kind == ATTR_VAGUE


def test_the_claim_is_flagged_anonymous_not_vague():
    body = (
        "Harwick Foods will close its bakery in Dundee in June, cutting 310 jobs, according to "
        "people familiar with the company's plans."
    )
    (claim,) = [c for c in extract_claims(body) if "Dundee" in c.text]
    kinds = {f.kind for f in claim.flags}
    assert ANONYMOUS_SOURCE in kinds and VAGUE_ATTRIBUTION not in kinds
