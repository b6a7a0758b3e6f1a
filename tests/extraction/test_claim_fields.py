"""Behaviour of the per-claim fields: times, quantities, attribution, flags, duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

from analysis.extraction import extract_claims, normalize
from analysis.extraction.quantities import find_quantities
from analysis.extraction.times import find_times

PUB = datetime(2025, 1, 31, 9, 25, tzinfo=UTC)


def one(body, **kw):
    claims = extract_claims(body, published_at=PUB, **kw)
    assert claims, body
    return claims[0]


def test_last_november_resolves_to_previous_year():
    (t,) = find_times("They arrived last November.", 0, PUB.date())
    assert (t.start_date, t.end_date) == ("2024-11-01", "2024-11-30")


def test_explicit_date_without_year_takes_the_publication_year():
    (t,) = find_times("The report came out on January 30.", 0, PUB.date())
    assert t.start_date == t.end_date == "2025-01-30"


def test_december_date_in_a_january_article_is_last_year():
    (t,) = find_times("The attack happened on December 28.", 0, PUB.date())
    assert t.start_date == "2024-12-28"


def test_for_two_weeks_counts_back_from_the_sentence_date():
    refs = find_times(
        "No troops were seen for two weeks.", 0, PUB.date(), anchor=datetime(2025, 1, 30).date()
    )
    assert (refs[0].start_date, refs[0].end_date) == ("2025-01-16", "2025-01-30")


def test_three_months_later_shifts_the_previous_reference_but_not_past_publication():
    prev = find_times("in November", 0, PUB.date())[0]
    (t,) = find_times("Three months later, half were gone.", 0, PUB.date(), previous=prev)
    assert t.kind == "relative" and t.end_date <= "2025-01-31"


def test_yesterday_and_last_week_resolve():
    refs = find_times(
        "Yesterday officials said the strikes of last week had stopped.", 0, PUB.date()
    )
    got = {r.text.lower(): (r.start_date, r.end_date) for r in refs}
    assert got["yesterday"] == ("2025-01-30", "2025-01-30")
    assert got["last week"] == ("2025-01-20", "2025-01-26")


def test_modal_may_is_not_a_month():
    assert find_times("The withdrawal may not be permanent.", 0, PUB.date()) == []


def test_quantity_qualifiers_give_bounds():
    qs = {
        q.qualifier: q
        for q in find_quantities(
            "nearly 200 homes, up to 40 people, at least 127 deaths, about 3,000 jobs", 0, []
        )
    }
    assert (qs["nearly"].low, qs["nearly"].high) == (180, 200)
    assert (qs["up to"].low, qs["up to"].high) == (None, 40)
    assert (qs["at least"].low, qs["at least"].high) == (127, None)
    assert (qs["about"].low, qs["about"].high) == (2700, 3300)


def test_word_numbers_fractions_ranges_and_money():
    qs = find_quantities(
        "Eleven soldiers, two-thirds of the voters, between 10 and 20 boats and $2.4 million in aid.",
        0,
        [],
    )
    by_kind = {}
    for q in qs:
        by_kind.setdefault(q.kind, []).append(q)
    assert any(q.value == 11 and q.unit == "soldiers" for q in by_kind["count"])
    assert any(abs(q.value - 2 / 3) < 1e-9 and q.unit == "voters" for q in by_kind["fraction"])
    assert any(q.low == 10 and q.high == 20 for q in by_kind["count"])
    assert any(q.value == 2_400_000 for q in by_kind["money"])


def test_halved_and_doubled_are_changes():
    qs = find_quantities("Exports halved while imports doubled.", 0, [])
    assert sorted(q.value for q in qs if q.kind == "change") == [0.5, 2.0]


def test_reports_suggest_is_vague_and_flagged():
    c = one("Reports suggest that 300 drones were launched from the coast on Sunday.")
    assert c.attribution.kind == "vague"
    assert [f.kind for f in c.flags] == ["vague_attribution"]


def test_pronoun_carries_the_previous_speaker():
    body = (
        "Finance Minister Helena Varga said the bill would pass next month. "
        "She said the retirement age would rise from 65 to 67 over ten years."
    )
    claims = extract_claims(body, published_at=PUB)
    assert claims[1].attribution.speaker == "Helena Varga"


def test_anonymity_remark_in_previous_sentence_makes_they_anonymous():
    body = (
        "Two officials spoke on condition of anonymity. "
        "They said 40 soldiers were killed near Pokrovsk on Tuesday."
    )
    c = [c for c in extract_claims(body, published_at=PUB) if "40 soldiers" in c.text][0]
    assert c.attribution.kind == "anonymous"
    assert any(f.kind == "anonymous_source" for f in c.flags)


def test_not_confirmed_flags_the_claims_about_that_event():
    body = (
        "Russian forces have withdrawn from the village of Krynky, according to a Ukrainian military blogger. "
        "The army spokesman said 12 soldiers were wounded in shelling on Monday. "
        "The military has not confirmed the withdrawal."
    )
    claims = extract_claims(body, published_at=PUB)
    withdrawn = next(c for c in claims if "withdrawn" in c.text)
    wounded = next(c for c in claims if "wounded" in c.text)
    assert any(f.kind == "unconfirmed" for f in withdrawn.flags)
    assert not any(f.kind == "unconfirmed" for f in wounded.flags)


def test_same_toll_given_two_ways_is_an_internal_inconsistency():
    body = (
        "The earthquake killed at least 127 people, the interior ministry said on Tuesday. "
        "Rescuers kept digging through the night in the worst-hit towns. "
        "Provincial officials put the number of people killed at 121 on Tuesday evening."
    )
    claims = extract_claims(body, published_at=PUB)
    flagged = [c for c in claims if any(f.kind == "internal_inconsistency" for f in c.flags)]
    assert len(flagged) == 2


def test_a_revision_is_not_an_inconsistency():
    body = (
        "The death toll rose to 127 from 98 a day earlier, the interior ministry said on Tuesday. "
        "The earthquake killed at least 127 people across three provinces, officials said."
    )
    claims = extract_claims(body, published_at=PUB)
    assert not any(f.kind == "internal_inconsistency" for c in claims for f in c.flags)


def test_verbatim_repeat_is_one_claim_with_two_appearances():
    s = "The ministry said 40 people were evacuated from Lyman on Monday."
    body = f"{s}\n\nOther news followed about the weather in the region today.\n\n{s}"
    claims = [c for c in extract_claims(body, published_at=PUB) if c.text == s]
    assert len(claims) == 1 and len(claims[0].appearances) == 2


def test_prediction_gets_a_recheck_date():
    c = one(
        "The central bank will cut interest rates by 0.25 percentage points next month, the governor said."
    )
    assert c.claim_type == "prediction"
    assert c.recheck_after == "2025-03-01"


def test_normalized_form_ignores_case_punctuation_and_separators():
    a = one("Around 11,000 North Korean troops arrived in Russia last November, officials said.")
    assert a.normalized == normalize(
        "around 11000 north korean troops arrived in Russia last November officials said"
    )
    assert a.normalized == "around 11000 north korean troops arrived russia last november officials"


def test_unattributed_opinion_is_not_returned():
    body = "The government should be ashamed of this terrible and reckless policy."
    assert extract_claims(body, published_at=PUB) == []
