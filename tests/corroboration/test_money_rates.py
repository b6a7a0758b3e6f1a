"""Money is compared like with like: a qualifier before the currency symbol counts, a
per-unit rate is not a total, a bar to clear is not a tally, and a role cue is a word,
not the start of a longer one. Found on the real stories (tests/stories); sentences here
are made up for the test."""

from __future__ import annotations

import pytest

from analysis.corroboration import judge, read_quantities
from analysis.types import NUMERIC_DISCREPANCY, SUPPORTS, Passage
from tests.corroboration.helpers import claim


def p(text):
    return Passage(source_id=1, text=text, start=0, end=len(text), outlet="Test Wire")


def kinds(j):
    return [f.kind for f in j.flags]


def money(text):
    (m,) = [m for m in read_quantities(text) if m.family.startswith("money:")]
    return m


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("Halden agreed to buy the brewer for nearly $7 billion.", "nearly"),
        ("The club paid about €48 million for the goalkeeper.", "about"),
        ("The stake is worth more than £2bn.", "over"),
    ],
)
def test_a_qualifier_before_the_currency_symbol_is_read(text, qualifier):
    assert money(text).qualifier == qualifier


def test_nearly_seven_billion_agrees_with_six_point_eight():
    c = claim("Halden will buy Ostmark Breweries for $6.8 billion in cash.")
    j = judge(c, p("Halden is buying Ostmark Breweries for nearly $7 billion, the company said."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


@pytest.mark.parametrize(
    "text, family",
    [
        ("Halden will pay $41 a share in cash.", "money:USD/share"),
        ("Halden will pay $41 per share in cash.", "money:USD/share"),
        ("The goalkeeper will earn €9 million a year.", "money:EUR/year"),
        ("The tickets were sold for £80 each.", "money:GBP/each"),
        ("Halden will pay $6.8 billion for the brewer.", "money:USD"),
    ],
)
def test_a_per_unit_amount_is_a_rate_not_a_total(text, family):
    assert money(text).family == family


def test_a_price_per_share_is_not_compared_with_the_deal_value():
    c = claim("Halden will pay $41 per share for Ostmark Breweries.")
    j = judge(c, p("Halden agreed to buy Ostmark Breweries for $6.8 billion, or $41 a share."))
    assert NUMERIC_DISCREPANCY not in kinds(j)
    assert j.stance == SUPPORTS
    total = claim("Halden agreed to buy Ostmark Breweries for $6.8 billion.")
    j = judge(total, p("Halden will pay $41 a share in cash for Ostmark Breweries."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_a_yearly_wage_is_not_compared_with_a_transfer_fee():
    c = claim("The goalkeeper will earn €9 million a year at his new club.")
    j = judge(c, p("The club signed the goalkeeper for a fee of €48 million."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_the_seats_needed_for_a_majority_are_not_the_seats_won():
    (m,) = read_quantities("She cleared the 326 seats needed for a majority.")
    assert m.family.startswith("threshold:")
    c = claim("Her party won more than the 326 seats needed for a majority.")
    j = judge(c, p("Her party won 411 seats in the election, the final count showed."))
    assert NUMERIC_DISCREPANCY not in kinds(j)


def test_a_role_cue_is_not_the_start_of_a_longer_word():
    # "bid" is a price cue; "Bidwell" is a name, and "deadline" is not "dead".
    (m,) = read_quantities("Bidwell won 52 seats.")
    assert m.role == ""
    (m,) = read_quantities("The deadline passed for 40 applicants.")
    assert m.role != "killed"
    (m,) = read_quantities("The firm is buying 12 stores.")
    assert m.role == "price"


def test_a_figure_the_sentence_calls_previous_is_not_the_claims_own():
    (m,) = read_quantities("It tops the previous record, the £31 million paid for a defender.")
    assert m.family == "previous:money:GBP"
    c = claim("The fee beats the previous record, the £31 million paid for a defender in 2019.")
    j = judge(c, p("The club signed the winger for a record £52 million on Friday."))
    assert NUMERIC_DISCREPANCY not in kinds(j)
    # both sides speaking of the previous record still compare
    j = judge(c, p("The previous record was the £35 million paid for a defender in 2019."))
    assert NUMERIC_DISCREPANCY in kinds(j)


def test_former_names_a_person_and_leaves_the_figure_alone():
    (m,) = read_quantities("The former chief executive said 300 jobs would go.")
    assert not m.family.startswith("previous:")


@pytest.mark.parametrize(
    "text",
    [
        "The merger has been called off, two sources told the Courier.",
        "The merger has been called off, according to three officials.",
        "The merger has been called off, two people familiar with the talks said.",
    ],
)
def test_the_count_of_speakers_is_not_a_figure(text):
    assert read_quantities(text) == []


def test_people_who_say_something_of_their_own_are_still_counted():
    (m,) = read_quantities("Some 300 people said they had lost their homes.")
    assert m.value == 300


def test_two_sources_do_not_make_a_relay_support_by_figure():
    c = claim("The merger has been called off, according to two sources familiar with the talks.")
    j = judge(c, p("Two sources told the Courier that the merger talks were continuing."))
    assert "same figure" not in j.reason
