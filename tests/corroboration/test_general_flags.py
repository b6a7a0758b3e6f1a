"""Every flag kind, raised and not raised, on sentences from outside the war domain.

Each case runs what a worker runs for one claim: the claim read from its sentence the way
extraction reads it, the source documents split into passages as the corpus splits them,
`judge_documents` (the shipped stance model, then the exact rules) and `recommend`. The
article-side flags (anonymous / vague attribution, internal inconsistency, unconfirmed in
the article) run through `extract`. No Django, no database: this is the plain-Python
judgement.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analysis.corroboration import recommend
from analysis.corroboration.documents import Document, judge_documents
from analysis.extraction import extract
from analysis.models.evaluate import claim_candidate
from analysis.models.stance import featurise_passages
from analysis.passages import split_passages
from analysis.types import (
    ANONYMOUS_SOURCE,
    CONTRADICTED,
    CONTRADICTS,
    INTERNAL_INCONSISTENCY,
    LATER_UPDATE,
    NO_EVIDENCE,
    NUMERIC_DISCREPANCY,
    REC_DISPUTED,
    REC_NO_EVIDENCE,
    REC_VERIFIED,
    SINGLE_ORIGIN,
    UNCONFIRMED,
    VAGUE_ATTRIBUTION,
    Passage,
)

AT = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


def source(body, sid, outlet, when=AT, relays=()):
    spans = split_passages(body)
    passages = [
        Passage(
            source_id=sid,
            text=body[s:e],
            start=s,
            end=e,
            passage_id=sid * 100 + i,
            outlet=outlet,
            published_at=when,
            relays=list(relays),
        )
        for i, (s, e) in enumerate(spans)
    ]
    return Document(
        passages, featurise_passages([p.text for p in passages]), list(range(len(passages)))
    )


class Outcome:
    def __init__(self, claim_text, docs, at=AT):
        self.claim = claim_candidate(claim_text, at)
        self.decided = judge_documents(self.claim, docs, claim_published_at=at)
        self.evidence = [
            (d.passage, d.judgement)
            for d in self.decided
            if d.judgement is not None and d.passage is not None
        ]
        self.recommendation = recommend(self.claim, self.evidence)

    @property
    def flags(self) -> set[str]:
        kinds = {f.kind for _, j in self.evidence for f in j.flags}
        return kinds | {f.kind for f in self.recommendation.flags}

    @property
    def stances(self) -> list[str]:
        return [d.label for d in self.decided]

    @property
    def verdict(self) -> str:
        return self.recommendation.verdict


DEAL = "Acme agreed to buy Widget Inc for $300 million, the companies said on Monday."


# --- numeric_discrepancy -------------------------------------------------------------------


def test_a_different_price_for_the_same_deal_is_a_numeric_discrepancy():
    got = Outcome(
        DEAL,
        [
            source(
                "Acme has agreed to buy Widget Inc for $450 million, the companies said in a "
                "statement on Monday. The deal needs regulatory approval.",
                1,
                "Daily Ledger",
            )
        ],
    )
    assert NUMERIC_DISCREPANCY in got.flags
    assert got.stances == [CONTRADICTS] and got.verdict == REC_DISPUTED
    reason = got.evidence[0][1].reason
    assert "$450 million" in reason and "$300 million" in reason


def test_the_same_price_in_two_independent_reports_verifies():
    got = Outcome(
        DEAL,
        [
            source(
                "Acme has agreed to buy Widget Inc for $300 million, the companies said in a "
                "statement on Monday.",
                1,
                "Daily Ledger",
            ),
            source(
                "Widget Inc will be sold to Acme in a $300 million deal announced on Monday, "
                "a regulatory filing shows.",
                2,
                "Market Wire",
            ),
        ],
    )
    assert not got.flags & {NUMERIC_DISCREPANCY, CONTRADICTED, SINGLE_ORIGIN}
    assert got.verdict == REC_VERIFIED


@pytest.mark.parametrize(
    "body",
    [
        # another role: injured, not killed
        "The storm injured 40 people in the town on Sunday, officials said.",
        # another role: the town's population
        "The town, home to 30,000 people, was hit by the storm on Sunday.",
        # another currency is another thing
        "The storm caused 12 million euros of damage in the town on Sunday.",
    ],
)
def test_counts_of_different_things_are_not_compared(body):
    got = Outcome("The storm killed 12 people in the town on Sunday.", [source(body, 1, "Herald")])
    assert NUMERIC_DISCREPANCY not in got.flags and CONTRADICTED not in got.flags


def test_a_figure_in_an_unrelated_report_is_not_evidence_however_it_compares():
    got = Outcome(
        "Acme agreed to buy Widget Inc for $300 million.",
        [
            source(
                "The city council voted to repave the high street next spring, at a cost of "
                "$2 million.",
                1,
                "Town Crier",
            )
        ],
    )
    assert got.stances == ["unrelated"] and got.evidence == []
    assert got.flags == {NO_EVIDENCE} and got.verdict == REC_NO_EVIDENCE


# --- later_update --------------------------------------------------------------------------

MEASLES = "Health officials confirmed 120 cases of measles in the county."
REVISED = (
    "By Friday, health officials said confirmed measles cases in the county had risen to "
    "180, up from 120 earlier in the week."
)


def test_a_later_revised_figure_is_a_later_update_not_a_contradiction():
    got = Outcome(MEASLES, [source(REVISED, 1, "County News", when=AT + timedelta(days=4))])
    assert LATER_UPDATE in got.flags
    assert NUMERIC_DISCREPANCY not in got.flags and CONTRADICTED not in got.flags
    assert got.stances != [CONTRADICTS] and got.verdict != REC_DISPUTED
    message = next(f.message for _, j in got.evidence for f in j.flags if f.kind == LATER_UPDATE)
    assert "180" in message and "120" in message and "2024-03-08" in message


def test_the_same_figure_reported_before_the_claim_is_no_update():
    got = Outcome(MEASLES, [source(REVISED, 1, "County News", when=AT - timedelta(days=4))])
    assert LATER_UPDATE not in got.flags


# --- unconfirmed ---------------------------------------------------------------------------

OUTBREAK = (
    "The ministry said 120 people had been infected in the outbreak. The figure has not been "
    "independently confirmed. The ministry employs 300 inspectors in the region."
)


def test_an_unconfirmed_figure_flags_the_claim_about_it():
    got = Outcome(
        "The outbreak has infected 120 people, the ministry said.",
        [source(OUTBREAK, 1, "Gazette")],
    )
    assert UNCONFIRMED in got.flags


def test_an_unconfirmed_figure_does_not_flag_a_claim_about_another_figure():
    got = Outcome(
        "The ministry employs 300 inspectors in the region.", [source(OUTBREAK, 1, "Gazette")]
    )
    assert UNCONFIRMED not in got.flags


# --- contradicted --------------------------------------------------------------------------


def test_a_hoax_report_contradicts_the_claim():
    got = Outcome(
        "The singer died in a car crash on Tuesday.",
        [
            source(
                "The singer is not dead. A death hoax claiming she died in a car crash spread "
                "online on Tuesday; her publicist said she is alive and well.",
                1,
                "Showbiz Today",
            )
        ],
    )
    assert CONTRADICTED in got.flags and got.verdict == REC_DISPUTED
    assert "hoax" in got.evidence[0][1].reason


def test_a_denial_about_another_matter_does_not_contradict():
    got = Outcome(
        "The senator is campaigning in Ohio this week.",
        [
            source(
                "Rumours that the senator had taken bribes were untrue, his office said. He is "
                "campaigning in Ohio this week.",
                1,
                "Capitol Daily",
            )
        ],
    )
    assert CONTRADICTED not in got.flags and CONTRADICTS not in got.stances


# --- single_origin and independent origins ------------------------------------------------


def test_two_mastheads_carrying_one_wire_story_are_a_single_origin():
    wire = (
        "Acme has agreed to buy Widget Inc for $300 million, the companies said on Monday, "
        "in a deal that needs regulatory approval."
    )
    got = Outcome(
        DEAL,
        [
            source(wire, 1, "Daily Ledger", relays=["AFP"]),
            source(wire + " Shares rose.", 2, "Evening Star", relays=["AFP"]),
        ],
    )
    assert SINGLE_ORIGIN in got.flags
    assert got.verdict != REC_VERIFIED


def test_one_first_hand_report_is_not_single_origin_nor_verified():
    got = Outcome(
        DEAL,
        [
            source(
                "Acme has agreed to buy Widget Inc for $300 million, the companies said in a "
                "statement on Monday.",
                1,
                "Daily Ledger",
            )
        ],
    )
    assert SINGLE_ORIGIN not in got.flags and got.verdict != REC_VERIFIED


# --- no_evidence ---------------------------------------------------------------------------


def test_only_unrelated_sources_mean_no_evidence():
    got = Outcome(
        "The central bank raised its main interest rate to 5.25 percent on Thursday.",
        [
            source(
                "The football club signed a new goalkeeper on a three-year contract.", 1, "Sport"
            ),
            source("Heavy snow closed two mountain passes overnight.", 2, "Weather Desk"),
        ],
    )
    assert got.evidence == [] and NO_EVIDENCE in got.flags


def test_a_related_source_is_evidence_so_no_no_evidence():
    got = Outcome(
        "The central bank raised its main interest rate to 5.25 percent on Thursday.",
        [
            source(
                "The central bank lifted its main interest rate to 5.25 percent on Thursday, "
                "its highest level in 15 years.",
                1,
                "Finance Daily",
            )
        ],
    )
    assert got.evidence and NO_EVIDENCE not in got.flags


# --- the article's own flags --------------------------------------------------------------


def _article_flags(body: str) -> dict[str, set[str]]:
    claims = extract(body, published_at=AT).claims
    return {c.text: {f.kind for f in c.flags} for c in claims}


def test_anonymous_and_vague_attribution_outside_war():
    flags = _article_flags(
        "Acme plans to cut 1,200 jobs next year, according to people familiar with the "
        "matter.\n\nSome say the company will also close its plant in Ohio by 2026.\n\n"
        "Acme's chief executive Jane Doe said the company would hire 300 engineers in 2025."
    )
    by_start = {text.split()[0] + text.split()[1]: kinds for text, kinds in flags.items()}
    assert ANONYMOUS_SOURCE in by_start["Acmeplans"]
    assert VAGUE_ATTRIBUTION in by_start["Somesay"]
    named = by_start["Acme'schief"]
    assert not named & {ANONYMOUS_SOURCE, VAGUE_ATTRIBUTION}


def test_internal_inconsistency_outside_war():
    flags = _article_flags(
        "The museum welcomed 2.1 million visitors in 2023, the director said.\n\n"
        "Later in the report, the museum said it welcomed 1.4 million visitors in 2023."
    )
    assert all(INTERNAL_INCONSISTENCY in kinds for kinds in flags.values()), flags


def test_consistent_figures_raise_no_inconsistency():
    flags = _article_flags(
        "The museum welcomed 2.1 million visitors in 2023, the director said.\n\n"
        "The museum's 2.1 million visitors in 2023 were a record."
    )
    assert not any(INTERNAL_INCONSISTENCY in kinds for kinds in flags.values()), flags
