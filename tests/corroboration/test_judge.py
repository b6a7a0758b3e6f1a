"""judge(): stances, reasons and flags, on the seed claims and the demo corpus, plus
general cases that do not come from the seed."""

from datetime import UTC, datetime

from analysis.corroboration import judge
from analysis.types import (
    CONTRADICTED,
    CONTRADICTS,
    LATER_UPDATE,
    MENTIONS,
    NUMERIC_DISCREPANCY,
    SUPPORTS,
    UNCONFIRMED,
    Passage,
)
from tests.corroboration.helpers import (
    ARTICLE_AT,
    SEED,
    arrival_claim,
    claim,
    halved_claim,
    passage,
    shells_claim,
    two_weeks_claim,
    withdrawal_claim,
)


def kinds(j):
    return [f.kind for f in j.flags]


def p(text, outlet="Test Outlet", published=None, relays=()):
    return Passage(
        source_id=1,
        text=text,
        start=0,
        end=len(text),
        outlet=outlet,
        published_at=published,
        relays=list(relays),
    )


AFTER = datetime(2025, 2, 7, tzinfo=UTC)
BEFORE = datetime(2025, 1, 20, tzinfo=UTC)

# ---------------------------------------------------------------- seed targets


def test_two_weeks_claim_against_about_three_weeks_is_a_numeric_discrepancy():
    j = judge(two_weeks_claim(), passage("Reuters"), claim_published_at=ARTICLE_AT)
    assert NUMERIC_DISCREPANCY in kinds(j)
    msg = next(f.message for f in j.flags if f.kind == NUMERIC_DISCREPANCY)
    assert "about three weeks" in msg and "two weeks" in msg and "Reuters" in msg
    assert "source says about three weeks; claim says two weeks" in j.reason
    assert j.stance == MENTIONS  # a different time frame for the same event is not a denial


def test_two_weeks_claim_against_about_two_weeks_supports():
    j = judge(two_weeks_claim(), passage("RBC-Ukraine"), claim_published_at=ARTICLE_AT)
    assert j.stance == SUPPORTS and NUMERIC_DISCREPANCY not in kinds(j)
    assert "about two weeks" in j.reason


def test_arrival_last_november_against_entered_the_war_in_october_flags_the_dates():
    j = judge(arrival_claim(), passage("Reuters", "entered the war"), claim_published_at=ARTICLE_AT)
    assert NUMERIC_DISCREPANCY in kinds(j)
    assert "October 2024" in j.reason and "November 2024" in j.reason
    assert j.stance == MENTIONS


def test_arrival_of_around_11000_supported_by_the_same_figure():
    j = judge(
        arrival_claim(), passage("RBC-Ukraine", "around 11,000"), claim_published_at=ARTICLE_AT
    )
    assert j.stance == SUPPORTS and "11,000" in j.reason
    assert not kinds(j)


def test_cut_in_half_against_nis_casualties_is_a_numeric_discrepancy():
    j = judge(
        halved_claim(), passage("Yonhap", "300 killed"), claim_published_at=ARTICLE_AT, context=SEED
    )
    assert NUMERIC_DISCREPANCY in kinds(j)
    assert j.stance == CONTRADICTS
    assert "3,000 casualties" in j.reason and "27%" in j.reason and "cut in half" in j.reason


def test_cut_in_half_without_a_base_is_not_compared_with_casualties():
    j = judge(halved_claim(), passage("Yonhap", "300 killed"), claim_published_at=ARTICLE_AT)
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_cut_in_half_agrees_with_fell_by_half():
    j = judge(
        halved_claim(),
        passage("RBC-Ukraine", "fell by half"),
        claim_published_at=ARTICLE_AT,
        context=SEED,
    )
    assert j.stance == SUPPORTS and NUMERIC_DISCREPANCY not in kinds(j)


def test_over_50_percent_of_shells_is_not_borne_out_by_about_half():
    j = judge(shells_claim(), passage("Kyiv Independent"), claim_published_at=ARTICLE_AT)
    assert NUMERIC_DISCREPANCY in kinds(j)
    message = next(f.message for f in j.flags if f.kind == NUMERIC_DISCREPANCY)
    assert "half" in message and "50%" in message


def test_over_50_percent_agrees_with_a_source_giving_60_percent():
    c = claim("Reports suggest that over 50% of the shells Russia fires come from North Korea.")
    j = judge(c, p("North Korea supplies about 60% of the shells Russia fires, officials said."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_brought_in_again_after_the_article_is_a_later_update():
    j = judge(withdrawal_claim(), passage("The Moscow Times"), claim_published_at=ARTICLE_AT)
    assert LATER_UPDATE in kinds(j)
    msg = next(f.message for f in j.flags if f.kind == LATER_UPDATE)
    assert "brought in again" in msg and "2025-02-07" in msg


def test_reuters_spokesman_who_could_not_comment_officially_raises_unconfirmed():
    j = judge(
        two_weeks_claim(), passage("Reuters", "could not comment"), claim_published_at=ARTICLE_AT
    )
    assert UNCONFIRMED in kinds(j)
    assert j.stance != CONTRADICTS  # not a denial


def test_relays_of_the_nyt_support_the_withdrawal():
    for outlet in ("RBC-Ukraine", "Demo Wire Relay (fictional)", "Demo Daily Digest (fictional)"):
        assert (
            judge(withdrawal_claim(), passage(outlet), claim_published_at=ARTICLE_AT).stance
            == SUPPORTS
        )


def test_unrelated_filler_only_mentions():
    j = judge(
        withdrawal_claim(), passage("Demo Noise Desk (fictional)"), claim_published_at=ARTICLE_AT
    )
    assert j.stance == MENTIONS and not kinds(j) and j.strength < 0.3


# ---------------------------------------------------------------- general: numbers

GENERIC = claim("Around 11,000 North Korean troops were sent to Russia, officials said.")


def test_about_11000_against_12000_is_a_discrepancy():
    j = judge(
        GENERIC, p("North Korea has sent 12,000 troops to Russia, intelligence officials said.")
    )
    assert NUMERIC_DISCREPANCY in kinds(j) and j.stance == CONTRADICTS
    assert "12,000 troops" in j.reason


def test_about_11000_against_11500_is_within_tolerance():
    j = judge(GENERIC, p("North Korea has sent 11,500 soldiers to Russia, officials said."))
    assert NUMERIC_DISCREPANCY not in kinds(j) and j.stance == SUPPORTS


def test_numbers_of_different_things_are_not_compared():
    j = judge(GENERIC, p("North Korea sent 3,000 shells and 20 tanks to Russia, officials said."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_counts_of_other_groups_are_not_compared():
    j = judge(GENERIC, p("Russia has sent 600,000 Russian troops to the front, officials said."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_fifty_percent_agrees_with_about_half_and_not_with_a_third():
    c = claim("About half of the shells Russia fires come from North Korea.")
    assert NUMERIC_DISCREPANCY not in kinds(
        judge(c, p("North Korea supplies 50% of the shells Russia fires."))
    )
    j = judge(c, p("North Korea supplies a third of the shells Russia fires."))
    assert NUMERIC_DISCREPANCY in kinds(j) and "a third" in j.reason


# ---------------------------------------------------------------- general: cues

WITHDRAWN = claim(
    "North Korean troops have been withdrawn from the front line in Kursk, officials said."
)


def test_denial_contradicts():
    j = judge(
        WITHDRAWN,
        p(
            "Kyiv said reports that North Korean troops had been withdrawn from Kursk were simply wrong."
        ),
    )
    assert j.stance == CONTRADICTS and CONTRADICTED in kinds(j)
    assert "simply wrong" in j.reason


def test_other_denial_cues_contradict():
    for text in (
        "Ukraine's army denied reports that North Korean troops were withdrawn from Kursk.",
        "There is no evidence that North Korean troops have withdrawn from the Kursk front, officials said.",
        "The claim that North Korean troops pulled out of Kursk is false, the general staff said.",
        "North Korean troops are still fighting in Kursk, a Ukrainian commander said.",
    ):
        j = judge(WITHDRAWN, p(text))
        assert j.stance == CONTRADICTS and CONTRADICTED in kinds(j), text


def test_a_negated_denial_is_not_a_denial():
    j = judge(
        WITHDRAWN,
        p("The ministry did not deny reports that North Korean troops were withdrawn from Kursk."),
    )
    assert CONTRADICTED not in kinds(j)


def test_a_denial_about_something_else_is_not_a_contradiction():
    j = judge(WITHDRAWN, p("The mayor denied that the harbour festival budget was overspent."))
    assert CONTRADICTED not in kinds(j) and j.stance == MENTIONS


def test_could_not_confirm_weakens_but_does_not_deny():
    plain = judge(
        WITHDRAWN, p("Officials said North Korean troops were withdrawn from the Kursk front.")
    )
    weak = judge(
        WITHDRAWN,
        p(
            "Officials said North Korean troops were withdrawn from the Kursk front. "
            "Reuters could not confirm the withdrawal independently."
        ),
    )
    assert (
        weak.stance == SUPPORTS and UNCONFIRMED in kinds(weak) and CONTRADICTED not in kinds(weak)
    )
    assert weak.strength < plain.strength
    assert UNCONFIRMED not in kinds(plain)


def test_hedged_passage_supports_with_lower_strength():
    firm = judge(
        WITHDRAWN,
        p("Ukrainian officials confirmed North Korean troops were withdrawn from the Kursk front."),
    )
    hedged = judge(
        WITHDRAWN,
        p("Analysts believe North Korean troops were likely withdrawn from the Kursk front."),
    )
    assert firm.stance == hedged.stance == SUPPORTS
    assert hedged.strength < firm.strength and hedged.strength < 0.5 <= firm.strength
    assert "hedged" in hedged.reason


def test_return_reported_before_the_claim_is_not_a_later_update():
    text = "North Korean troops returned to the Kursk front line, officials said."
    assert LATER_UPDATE not in kinds(
        judge(WITHDRAWN, p(text, published=BEFORE), claim_published_at=ARTICLE_AT)
    )
    assert LATER_UPDATE in kinds(
        judge(WITHDRAWN, p(text, published=AFTER), claim_published_at=ARTICLE_AT)
    )


def test_later_passage_without_a_change_is_not_a_later_update():
    j = judge(
        WITHDRAWN,
        p(
            "Officials said North Korean troops were withdrawn from the Kursk front.",
            published=AFTER,
        ),
        claim_published_at=ARTICLE_AT,
    )
    assert LATER_UPDATE not in kinds(j) and j.stance == SUPPORTS


def test_on_topic_passage_only_mentions_with_a_reason():
    j = judge(WITHDRAWN, p("North Korean troops in Kursk wear Russian uniforms, officials said."))
    assert j.stance == MENTIONS and j.reason
