"""The seed article: what the extraction must show on it (the product's acceptance)."""

from __future__ import annotations

from datetime import date

from analysis.models import checkworthiness_model
from analysis.types import ATTR_ANONYMOUS, ATTR_OUTLET, ATTR_PERSON, ATTR_VAGUE, PREDICTION

# The service's threshold: the learned model's own.
CHECKWORTHY_THRESHOLD = checkworthiness_model().threshold


def test_header_block_gives_title_byline_and_zoned_date(seed_article):
    assert seed_article.title.startswith("North Korean Troops Disappear")
    assert seed_article.byline == "Camilla Jessen"
    assert seed_article.published_at.isoformat() == "2025-01-31T09:25:00+01:00"
    assert not seed_article.body.startswith("North Korean Troops Disappear")


def test_every_claim_text_is_its_body_span(seed_article, seed_claims):
    for c in seed_claims:
        assert seed_article.body[c.start : c.end] == c.text
        assert c.appearances[0] == (c.start, c.end)
        for h in c.hedges:
            assert seed_article.body[h.start : h.end] == h.text
        for q in c.quantities:
            assert seed_article.body[q.start : q.end] == q.text or q.kind == "fraction"
        for t in c.times:
            assert seed_article.body[t.start : t.end] == t.text


def test_withdrawal_claim_carries_relay_chain_hedge_date_and_unconfirmed_flag(
    seed_article, find_claim
):
    c = find_claim("pulled from the front lines")
    chain = [(p.speaker, p.kind) for p in c.attribution.chain]
    assert chain == [
        ("The New York Times", ATTR_OUTLET),
        ("Ukrainian officials", ATTR_ANONYMOUS),
        ("US officials", ATTR_ANONYMOUS),
    ]
    assert c.attribution.speaker == "The New York Times"
    assert c.attribution.kind == ATTR_ANONYMOUS  # the innermost origin decides the kind
    assert "reportedly" in [h.text for h in c.hedges]
    assert any(t.start_date == t.end_date == "2025-01-30" for t in c.times)
    flag = next(f for f in c.flags if f.kind == "unconfirmed")
    assert seed_article.body[flag.start : flag.end].startswith(
        "Ukraine has not yet officially confirmed the withdrawal"
    )
    assert "Ukraine has not yet officially confirmed the withdrawal" in flag.message


def test_lede_restating_the_withdrawal_is_merged_as_an_appearance(seed_article, find_claim):
    c = find_claim("pulled from the front lines")
    lede = seed_article.body.index("After suffering massive battlefield losses")
    assert any(start == lede for start, _ in c.appearances)


def test_officials_on_condition_of_anonymity_are_anonymous_for_two_weeks(find_claim):
    c = find_claim("near the front for two weeks")
    assert c.attribution.kind == ATTR_ANONYMOUS
    assert any(f.kind == "anonymous_source" for f in c.flags)
    weeks = next(t for t in c.times if "two weeks" in t.text)
    start, end = date.fromisoformat(weeks.start_date), date.fromisoformat(weeks.end_date)
    assert abs((start - date(2025, 1, 16)).days) <= 2
    assert abs((end - date(2025, 1, 30)).days) <= 1


def test_around_11000_troops_last_november(find_claim):
    c = find_claim("11,000")
    q = next(q for q in c.quantities if q.value == 11000)
    assert q.unit == "troops" and q.qualifier == "around"
    assert q.low < 11000 < q.high
    nov = next(t for t in c.times if "November" in t.text)
    assert (nov.start_date, nov.end_date) == ("2024-11-01", "2024-11-30")


def test_cut_in_half_is_a_change_attributed_to_syrsky(find_claim):
    c = find_claim("cut in half")
    assert c.attribution.kind == ATTR_PERSON
    assert "Oleksandr Syrsky" in c.attribution.speaker
    q = next(q for q in c.quantities if q.kind == "change")
    assert q.value == 0.5


def test_ammunition_percentages_with_unit_and_vague_attribution(find_claim):
    c = find_claim("ammunition and artillery shells")
    by_value = {q.value: q for q in c.quantities}
    assert by_value[50].qualifier == "over" and by_value[70].qualifier == "more than"
    for v in (50, 70):
        assert by_value[v].kind == "percent"
        assert by_value[v].unit.startswith("% of ammunition")
    assert c.attribution.kind == ATTR_VAGUE
    assert any(f.kind == "vague_attribution" and "Reports suggest" in f.message for f in c.flags)


def test_redeployment_is_a_prediction_by_us_officials(find_claim):
    c = find_claim("could be redeployed")
    assert c.claim_type == PREDICTION
    assert c.attribution.speaker == "US officials"
    assert c.recheck_after and c.recheck_after > "2025-01-31"


def test_no_claim_from_boilerplate_or_the_heading_question(seed_article, seed_claims):
    texts = [seed_article.body[s:e] for c in seed_claims for s, e in c.appearances]
    for junk in (
        "Trending Now",
        "TRENDING NOW",
        "Photo: Wikimedia Commons",
        "Will North Korean Troops Return?",
    ):
        assert not any(junk in t for t in texts)
    assert not any(t.strip() == "News" for t in texts)
    labels = {seed_article.body[s:e] for s, e in seed_article.boilerplate}
    assert {
        "News",
        "Trending Now",
        "TRENDING NOW",
        "Photo: Wikimedia Commons",
        "Will North Korean Troops Return?",
    } <= labels


def test_at_least_eight_checkworthy_claims(seed_claims):
    assert len([c for c in seed_claims if c.checkworthiness >= CHECKWORTHY_THRESHOLD]) >= 8
    assert all(0.0 <= c.checkworthiness <= 1.0 for c in seed_claims)
