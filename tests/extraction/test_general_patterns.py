"""General behaviours added after the blind2 evaluation (tests/gold/blind2-eval-output.md):
relayed reports, attribution forms, date headers, tense-aware dates, wire boilerplate,
key-figure lines, quantity edge cases and claim types. Every sentence here is made up for
the test; none is copied from the evaluated articles."""

from __future__ import annotations

import time
from datetime import date

import pytest

from analysis.extraction import extract_claims, read_article
from analysis.extraction.attribution import attribute
from analysis.extraction.boilerplate import boilerplate_spans, is_boilerplate_line
from analysis.extraction.quantities import find_quantities
from analysis.extraction.times import find_times
from analysis.models import checkworthiness_model

# The service's threshold: the learned model's own.
CHECKWORTHY_THRESHOLD = checkworthiness_model().threshold

PUB = date(2025, 6, 11)  # a Wednesday


def claims_of(body, pub=PUB):
    return extract_claims(body, published_at=pub)


def worthy(body, pub=PUB):
    return [c for c in claims_of(body, pub) if c.checkworthiness >= CHECKWORTHY_THRESHOLD]


def claim_with(claims, fragment):
    for c in claims:
        if fragment in c.text:
            return c
    raise AssertionError(f"no claim containing {fragment!r}: {[c.text for c in claims]}")


def times_of(sentence, pub=PUB, previous=None):
    return [
        (t.text, t.start_date, t.end_date) for t in find_times(sentence, 0, pub, None, previous)
    ]


def quantities_of(sentence):
    return find_quantities(sentence, 0, [])


# -- 1. relayed reports ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, inner",
    [
        (
            "The navy has withdrawn 12 frigates from the northern port, the Daily Courier reported on Monday, "
            "citing people familiar with the matter.",
            "people familiar with the matter",
        ),
        (
            "The minister will resign next week, the Evening Herald reported, citing sources.",
            "sources",
        ),
        (
            "The plant was closed after the leak, The Harbour Times reported late on Tuesday, citing officials "
            "who spoke on condition of anonymity.",
            "officials",
        ),
    ],
)
def test_outlet_citing_anonymous_people_is_a_relay_chain(sentence, inner):
    c = claim_with(claims_of(sentence), sentence[:20])
    chain = c.attribution.chain
    assert chain[0].kind == "named_outlet", c.attribution
    assert chain[-1].kind == "anonymous" and inner in chain[-1].speaker, c.attribution
    assert c.attribution.kind == "anonymous"
    assert any(f.kind == "anonymous_source" for f in c.flags)


def test_according_to_the_report_resolves_to_the_last_named_outlet():
    body = (
        "The airline grounded 14 jets after the inspection, the Coastal Gazette reported on Monday, citing people "
        "familiar with the matter.\n\n"
        "Photos taken on June 2 showed only three jets at the hangar, compared with 19 in May, according to the report.\n\n"
        "The grounding will cost about $40 million, the report said.\n"
    )
    claims = worthy(body)
    for frag in ("Photos taken", "The grounding"):
        c = claim_with(claims, frag)
        assert c.attribution.kind == "named_outlet", c.attribution
        assert "Coastal Gazette" in c.attribution.speaker


@pytest.mark.parametrize(
    "line",
    [
        "The report could not be independently verified.",
        "The claims could not immediately be verified.",
        "Northwind Air did not immediately respond to a request for comment.",
        "Regional officials have not publicly commented on the newspaper's report.",
    ],
)
def test_verification_and_no_comment_lines_are_not_claims(line):
    body = f"The airline grounded 14 jets on Monday, the Coastal Gazette reported, citing sources.\n\n{line}\n"
    assert not any(line in c.text for c in worthy(body))


def test_could_not_be_verified_marks_the_relayed_claims_unconfirmed():
    body = (
        "The army moved 40 tanks to the border on Sunday, the Valley Chronicle reported, citing people familiar "
        "with the matter.\n\n"
        "The ministry did not immediately respond to a request for comment. The report could not be independently "
        "verified.\n"
    )
    c = claim_with(worthy(body), "The army moved 40 tanks")
    assert any(f.kind == "unconfirmed" for f in c.flags)
    assert c.certainty == "unconfirmed"


def test_not_acknowledged_is_unconfirmed():
    c = claim_with(
        claims_of(
            "The pullback, which reportedly started in early May, has not been acknowledged by "
            "the government.\n"
        ),
        "The pullback",
    )
    assert c.certainty == "unconfirmed"
    assert any(f.kind == "unconfirmed" for f in c.flags)


# -- 2. attribution patterns -------------------------------------------------------------


def att(sentence, people=None):
    return attribute(sentence, None, "", {} if people is None else people)


@pytest.mark.parametrize(
    "sentence, kind, speaker",
    [
        (
            "Monitors from the Council for Democratic Elections and Human Rights said the count was orderly.",
            "named_body",
            "Council for Democratic Elections and Human Rights",
        ),
        (
            "The team inspected 48 schools in the valley, said its leader, Marta Okonjo, adding that most were safe.",
            "named_person",
            "Marta Okonjo",
        ),
        (
            "The Farmers Alliance rejected the plan, saying it would block the vote in parliament.",
            "named_body",
            "Farmers Alliance",
        ),
        (
            "The national disaster agency (NDA) said on Tuesday that 30 bridges had collapsed.",
            "named_body",
            "national disaster agency",
        ),
        (
            "The country's military intelligence agency (MIA) said its drones had struck two depots.",
            "named_body",
            "military intelligence agency",
        ),
        (
            "At least 12 people died, according to the Institute for Flood Research and Prevention.",
            "named_body",
            "Institute for Flood Research and Prevention",
        ),
        (
            "Green Future Watch (GFW) said on Monday that emissions rose 4% last year.",
            "named_body",
            "Green Future Watch",
        ),
    ],
)
def test_named_bodies_in_less_common_forms(sentence, kind, speaker):
    a = att(sentence)
    assert a.kind == kind, a
    assert speaker.lower() in a.speaker.lower(), a


@pytest.mark.parametrize(
    "subject", ["Aid groups", "Rights activists", "Humanitarian organisations", "Campaigners"]
)
def test_unnamed_groups_are_vague_and_flagged(subject):
    c = claim_with(
        claims_of(
            f"{subject} said more than 2,000 families had been displaced by the floods in the north.\n"
        ),
        subject,
    )
    assert c.attribution.kind == "vague"
    assert any(f.kind == "vague_attribution" for f in c.flags)


def test_the_company_resolves_to_the_company_named_earlier():
    body = (
        "Lumora Biotech reported quarterly revenue of $2.1 billion on Tuesday.\n\n"
        "The company also said it would close two plants in Ohio by December, cutting 600 jobs.\n"
    )
    c = claim_with(claims_of(body), "The company also said")
    assert c.attribution.kind == "named_body"
    assert "Lumora" in c.attribution.speaker


def test_the_commissions_figures_resolve_to_the_named_commission():
    body = (
        "The National Voting Commission said on Monday that the Green List won 41.2% of the vote.\n\n"
        "With 97% of ballots counted, the Green List was on course for 38 seats, according to the commission's figures.\n"
    )
    c = claim_with(claims_of(body), "With 97% of ballots")
    assert c.attribution.kind == "named_body"
    assert "National Voting Commission" in c.attribution.speaker


def test_citing_a_document_keeps_the_issuer_as_the_source():
    a = att(
        "The opposition won 44% of the vote, the electoral board said on Monday, citing preliminary results."
    )
    assert a.kind == "named_body" and "electoral board" in a.speaker.lower()


# -- 3. reader date headers --------------------------------------------------------------


@pytest.mark.parametrize(
    "header, iso",
    [
        ("Tue 4 Mar 2025 09.15 GMT", "2025-03-04T09:15:00+00:00"),
        ("Updated 14:05 GMT, 3 March 2025", "2025-03-03T14:05:00+00:00"),
        ("March 3, 2025 at 2:05 p.m. EST", "2025-03-03T14:05:00-05:00"),
        ("2025-03-03T14:05:00Z", "2025-03-03T14:05:00+00:00"),
        ("Published: 03/03/2025", "2025-03-03T00:00:00"),
        ("Last modified on Mon 3 Mar 2025 18.40 GMT", "2025-03-03T18:40:00+00:00"),
    ],
)
def test_more_date_header_formats(header, iso):
    a = read_article(
        f"Floods Close Roads Across the Valley\n\nBy Ana Ruiz\n\n{header}\n\n"
        "The regional council said 40 roads were closed on Monday after heavy rain.\n"
    )
    assert a.published_at is not None and a.published_at.isoformat() == iso
    assert header not in a.body


def test_guardian_style_byline_without_by_before_the_date():
    a = read_article(
        "Floods Close Roads Across the Valley\n\nAna Ruiz in Valencia\n\nTue 4 Mar 2025 09.15 GMT\n\n"
        "The regional council said 40 roads were closed on Monday after heavy rain.\n"
    )
    assert a.byline == "Ana Ruiz"
    assert a.published_at.isoformat() == "2025-03-04T09:15:00+00:00"
    assert a.body.lstrip().startswith("The regional council")


def test_article_without_a_date_still_works():
    a = read_article(
        "Floods Close Roads Across the Valley\n\nThe regional council said 40 roads were closed on "
        "Monday after heavy rain in the north of the province.\n"
    )
    assert a.published_at is None
    claims = extract_claims(a.body, published_at=a.published_at, boilerplate=a.boilerplate)
    assert claims and claims[0].times and claims[0].times[0].start_date is None


# -- 4. tense-aware and anchored times ----------------------------------------------------


@pytest.mark.parametrize(
    "sentence, iso",
    [
        ("The health minister said a vaccination drive will begin on Monday.", "2025-06-16"),
        ("The minister said, adding that a vaccination drive would begin on Monday.", "2025-06-16"),
        ("Final results are expected on Thursday.", "2025-06-12"),
        ("Health officials said on Monday that 40 wards had been closed.", "2025-06-09"),
        ("The results were published on Wednesday.", "2025-06-11"),
    ],
)
def test_weekday_follows_the_tense_of_its_clause(sentence, iso):
    refs = times_of(sentence)
    assert any(lo == iso for _, lo, _ in refs), refs


def test_past_tense_month_is_the_most_recent_one():
    refs = times_of(
        "The firm said it would finish the layoffs it announced in August, which will cut 900 jobs."
    )
    assert ("in August", "2024-08-01", "2024-08-31") in refs


def test_future_tense_month_is_the_next_one():
    refs = times_of("The new line will open in March, the mayor said.")
    assert ("in March", "2026-03-01", "2026-03-31") in refs


def test_a_week_earlier_counts_from_the_previous_sentences_event_date():
    body = (
        "The toll rose to 52, officials said on Monday.\n\n"
        "More than 900 cases have been logged since the outbreak was declared on 3 May, up from 600 a week earlier.\n"
    )
    c = claim_with(claims_of(body), "More than 900 cases")
    refs = {t.text: (t.start_date, t.end_date) for t in c.times}
    assert refs["a week earlier"] == ("2025-06-02", "2025-06-02")


def test_the_same_day_is_the_previous_event_date():
    body = (
        "The army said on June 3 that it had downed two drones near the plant.\n\n"
        "The claim could not be independently verified.\n\n"
        "The air force said the same day that 14 missiles had been intercepted.\n"
    )
    c = claim_with(claims_of(body), "the same day")
    refs = {t.text: (t.start_date, t.end_date) for t in c.times}
    assert refs["the same day"] == ("2025-06-03", "2025-06-03")


def test_same_day_without_a_nearby_date_stays_unresolved():
    refs = times_of("The air force said the same day that 14 missiles had been intercepted.")
    assert ("the same day", None, None) in refs


def test_this_year_through_a_weekday_ends_on_that_day():
    refs = times_of("The stock had gained 12% this year through Monday's close.")
    assert any(lo == "2025-01-01" and hi == "2025-06-09" for _, lo, hi in refs), refs


def test_since_month_followed_by_when_also_gives_the_month():
    refs = times_of(
        "The port has been attacked often since May 2023, when a strike sank two ships."
    )
    assert any(lo == "2023-05-01" and hi == "2023-05-31" for _, lo, hi in refs), refs


# -- 5. boilerplate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Firefighters battle a blaze near the port in Valencia, Spain, June 9, 2025. REUTERS/Ana Ruiz Purchase Licensing Rights, opens new tab",
        "A nurse treats a child at a clinic in the north on Monday. Photograph: Jo Bloggs/AFP/Getty Images",
        "Protesters gather outside parliament on Tuesday. (AP Photo/Jane Doe)",
        "The minister speaks at a summit in Brussels, Belgium, on June 2, 2025. Jo Bloggs | Bloomberg | Getty Images",
        "Here's how the company did, compared with what analysts expected, according to a survey by DataCo:",
        "Most read",
        "Most viewed",
        "Related: The valley's flood defences, explained",
        "Follow us on Telegram and X for the latest updates.",
        "Follow TradeWire on X and LinkedIn.",
        "\u00a9 2025 Example News Ltd. All rights reserved.",
        "We've been covering this story from the start. Support our independent journalism by becoming a member.",
    ],
)
def test_wire_captions_and_page_furniture_are_boilerplate(line):
    assert is_boilerplate_line(line), line
    body = f"The council said 40 roads were closed on Monday.\n\n{line}\n\nThe council said 45 roads were closed on Tuesday.\n"
    spans = boilerplate_spans(body)
    assert not any(line in c.text for c in extract_claims(body, boilerplate=spans))


# -- 6. key-figure lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, values",
    [
        ("Earnings per share: $2.10 adjusted vs. $1.95 expected", [2.10, 1.95]),
        ("Revenue: $7.3 billion vs. $7.1 billion expected", [7.3e9, 7.1e9]),
        ("Gross margin: 41.5% vs. 40.2% estimated", [41.5, 40.2]),
    ],
)
def test_key_figure_lines_are_statistical_claims(line, values):
    body = f"Lumora Biotech beat forecasts on Tuesday.\n\n{line}\n\nShares rose 5% in late trading on Tuesday.\n"
    assert not is_boilerplate_line(line)
    c = claim_with(worthy(body), line)
    assert c.claim_type == "statistical"
    got = [q.value for q in c.quantities]
    for v in values:
        assert any(abs(g - v) < 1e-6 * max(1, v) for g in got), got


def test_summary_bullet_restating_a_body_sentence_is_one_claim():
    body = (
        "Key Points\nShares rose as much as 7% in late trading.\nThe company raised its outlook.\n\n"
        "Shares of the Denver-based company jumped as much as 7% in late trading after the results.\n"
    )
    claims = worthy(body)
    hits = [c for c in claims if "as much as 7%" in c.text]
    assert len(hits) == 1 and len(hits[0].appearances) == 2


# -- 7. quantities -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, not_values",
    [
        ("The jets included several Su-27 fighters.", [27]),
        ("Pilots flew F-16s over the city.", [16]),
        ("The airline ordered a Boeing 787 for the route.", [787]),
        ("The S&P 500 closed higher on Friday.", [500]),
        ("Hospitals treated patients with COVID-19 in the ward.", [19]),
    ],
)
def test_model_designations_are_not_quantities(sentence, not_values):
    values = [q.value for q in quantities_of(sentence)]
    assert not any(v in values for v in not_values), values


def test_count_before_a_model_designation_keeps_the_noun():
    qs = quantities_of("Its drones hit three Tu-22 bombers at the base.")
    assert [(q.value, q.unit) for q in qs] == [(3, "bombers")]


@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        (
            "The mission sent 180 monitors across the country, said its chief, Ola Berg.",
            180,
            "monitors",
        ),
        ("The firm won 12 contracts worth more than $5 million each.", 12, "contracts"),
        ("Voters cast ballots at 240 polling stations.", 240, "polling stations"),
        ("The court then has 30 days to rule.", 30, "days"),
    ],
)
def test_counted_nouns(sentence, value, unit):
    qs = quantities_of(sentence)
    assert any(q.value == value and q.unit == unit for q in qs), [(q.value, q.unit) for q in qs]


def test_a_verb_after_the_number_is_not_its_unit():
    qs = quantities_of("Children under 12 accounted for about 40% of admissions.")
    assert all(q.unit != "accounted" for q in qs)


def test_change_keeps_its_qualifier():
    (q,) = quantities_of("The shares had risen about 24% this year.")
    assert (q.value, q.qualifier, q.kind) == (24, "about", "change")
    assert q.low < 24 < q.high


def test_abbreviated_month_with_day_is_a_date_not_a_quantity():
    body = "Revenue in the quarter ended Sept. 30 rose 9% from a year earlier to $1.2 billion.\n"
    c = claim_with(claims_of(body), "Revenue in the quarter")
    assert all(q.value != 30 for q in c.quantities)
    assert any(t.end_date == "2024-09-30" for t in c.times), c.times


def test_within_n_days_is_a_time_and_a_quantity():
    c = claim_with(
        claims_of("Under the law, parliament must meet within 10 days of the final results.\n"),
        "Under the law",
    )
    assert any(q.value == 10 and q.unit == "days" for q in c.quantities)
    assert any(t.kind == "duration" for t in c.times)


# -- 8. claim types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The agency said its drones had hit two fuel depots and a radar near the port on Sunday.",
        "Air defences shot down 23 drones over the coast overnight, the ministry said on Sunday.",
        "A local councillor was arrested at his home on Friday and charged with 9 counts of bribery.",
        "The navy moved at least 20 warships out of the harbour after the strikes, officials said.",
    ],
)
def test_a_counted_discrete_action_is_an_event(sentence):
    c = claim_with(claims_of(sentence + "\n"), sentence[:25])
    assert c.claim_type == "event", c.claim_type


@pytest.mark.parametrize(
    "sentence",
    [
        "More than 6,000 homes were destroyed or damaged by the storm, the agency said.",
        "At least 19 people were killed when the storm hit the coast on Sunday, officials said.",
        "The group has launched more than 900 drones at the region since March, according to the Centre for Security Studies.",
    ],
)
def test_tallies_stay_statistical(sentence):
    c = claim_with(claims_of(sentence + "\n"), sentence[:25])
    assert c.claim_type == "statistical", c.claim_type


def test_repeated_denial_is_a_statement():
    c = claim_with(
        claims_of(
            "The Kremlin has repeatedly denied that the strikes forced it to move its jets.\n"
        ),
        "denied",
    )
    assert c.claim_type == "statement"


def test_saying_it_would_is_a_stated_intention_not_a_prediction():
    c = claim_with(
        claims_of(
            "The Farmers Alliance rejected the result, saying it would challenge the count in 9 districts.\n"
        ),
        "Farmers",
    )
    assert c.claim_type == "statement"
    assert c.attribution.kind == "named_body"


def test_forecast_as_a_noun_is_not_a_prediction():
    c = claim_with(
        claims_of(
            "Lumora Biotech reported strong results on Tuesday and raised its full-year forecast.\n"
        ),
        "Lumora",
    )
    assert c.claim_type == "event"


def test_quote_continuation_without_figures_is_not_check_worthy():
    body = (
        '"We counted every ballot twice, and 300 of them were spoiled," spokesman Ivo Petrov told reporters on Monday. '
        '"Our voters deserve better, and they will get it."\n'
    )
    texts = [c.text for c in worthy(body)]
    assert not any(t.startswith('"Our voters') for t in texts)
    assert any("spokesman Ivo Petrov" in t for t in texts)


# -- bounded -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "The Daily Courier reported on Monday, citing " + "people " * 50_000,
        ("Su-24 " * 200_000),
        ("Earnings per share: " + "$1.52 vs. " * 20_000),
        ("said its head, " + "Anna Berg, " * 50_000),
        ("REUTERS/" + "A" * 100_000 + "\n") * 5,
        "the same day a week earlier this year through Tuesday " * 40_000,
    ],
)
def test_new_patterns_stay_bounded(raw):
    started = time.perf_counter()
    extract_claims(raw, published_at=PUB)
    assert time.perf_counter() - started < 10.0
