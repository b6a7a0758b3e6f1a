"""recommend() and origin_key(): independence, single origin, disputes, no evidence."""

from analysis.corroboration import judge, origin_key, recommend
from analysis.types import (
    CONTRADICTED,
    CONTRADICTS,
    MENTIONS,
    NO_EVIDENCE,
    REC_DISPUTED,
    REC_NO_EVIDENCE,
    REC_UNCLEAR,
    REC_VERIFIED,
    SINGLE_ORIGIN,
    SUPPORTS,
    ClaimFlag,
    Judgement,
    Passage,
)
from tests.corroboration.helpers import (
    ARTICLE_AT,
    SEED,
    halved_claim,
    passage,
    sources,
    withdrawal_claim,
)

from .test_judge import WITHDRAWN, p


def kinds(r):
    return [f.kind for f in r.flags]


def support(outlet, relays=(), strength=0.8):
    return (
        p("...", outlet=outlet, relays=relays),
        Judgement(stance=SUPPORTS, reason="same event", strength=strength),
    )


# ---------------------------------------------------------------- origin_key


def test_relays_of_one_newspaper_share_its_origin():
    keys = {
        origin_key(o, ["The New York Times"])
        for o in ("RBC-Ukraine", "Demo Wire Relay", "Another Site")
    }
    assert keys == {origin_key("The New York Times", [])} == {origin_key("NYT", [])}


def test_a_wire_copy_under_several_mastheads_is_one_origin():
    assert (
        origin_key("The Moscow Times (AFP)", [])
        == origin_key("Yahoo News", ["AFP"])
        == origin_key("AFP", [])
    )
    assert origin_key("Reuters", []) != origin_key("AFP", [])


def test_a_non_wire_parenthesis_is_not_an_origin():
    assert origin_key("Demo Wire Relay (fictional)", []) != origin_key(
        "Demo Daily Digest (fictional)", []
    )


# ---------------------------------------------------------------- independence


def test_three_relays_of_one_newspaper_are_single_origin_not_verified():
    evidence = [
        support(o, ["The New York Times"]) for o in ("RBC-Ukraine", "Relay Two", "Relay Three")
    ]
    r = recommend(WITHDRAWN, evidence)
    assert r.verdict == REC_UNCLEAR
    assert SINGLE_ORIGIN in kinds(r)
    msg = next(f.message for f in r.flags if f.kind == SINGLE_ORIGIN)
    assert "The New York Times" in msg and "RBC-Ukraine" in msg and "Relay Three" in msg


def test_two_independent_agencies_verify():
    r = recommend(WITHDRAWN, [support("Reuters"), support("AFP")])
    assert r.verdict == REC_VERIFIED and SINGLE_ORIGIN not in kinds(r)
    assert 0.5 < r.confidence <= 1 and "Reuters" in r.reason and "AFP" in r.reason


def test_one_agency_in_two_mastheads_does_not_verify():
    r = recommend(WITHDRAWN, [support("Reuters"), support("Some Paper", ["Reuters"])])
    assert r.verdict == REC_UNCLEAR and SINGLE_ORIGIN in kinds(r)


def test_hedged_support_does_not_count_as_an_independent_origin():
    r = recommend(WITHDRAWN, [support("Reuters"), support("AFP", strength=0.3)])
    assert r.verdict == REC_UNCLEAR
    assert SINGLE_ORIGIN in kinds(r)


def test_a_single_first_hand_source_is_not_single_origin():
    r = recommend(WITHDRAWN, [support("Reuters")])
    assert r.verdict == REC_UNCLEAR and SINGLE_ORIGIN not in kinds(r)


def test_any_contradiction_disputes():
    deny = (
        p("...", outlet="AP"),
        Judgement(
            stance=CONTRADICTS,
            reason="source denies it",
            strength=0.8,
            flags=[ClaimFlag(CONTRADICTED, "AP denies")],
        ),
    )
    r = recommend(WITHDRAWN, [support("Reuters"), support("AFP"), deny])
    assert r.verdict == REC_DISPUTED and "AP" in r.reason and 0 <= r.confidence <= 1


def test_nothing_found_is_no_evidence_never_support():
    r = recommend(WITHDRAWN, [])
    assert r.verdict == REC_NO_EVIDENCE and kinds(r) == [NO_EVIDENCE] and r.confidence == 0.0


def test_found_material_is_not_no_evidence():
    r = recommend(
        WITHDRAWN, [(p("..."), Judgement(stance=MENTIONS, reason="on topic only", strength=0.1))]
    )
    assert r.verdict == REC_UNCLEAR and NO_EVIDENCE not in kinds(r)


# ---------------------------------------------------------------- on the demo corpus


def _judge_all(c, **kw):
    out = []
    for outlet in sources():
        pas = passage(outlet)
        j = judge(c, pas, claim_published_at=ARTICLE_AT, **kw)
        if j.stance != MENTIONS or j.flags:
            out.append((pas, j))
    return out


def test_withdrawal_claim_support_all_traces_to_the_nyt():
    c = withdrawal_claim()
    r = recommend(c, _judge_all(c))
    assert r.verdict != REC_VERIFIED
    assert SINGLE_ORIGIN in kinds(r)
    msg = next(f.message for f in r.flags if f.kind == SINGLE_ORIGIN)
    assert (
        "The New York Times" in msg and "RBC-Ukraine" in msg and "claim's own cited source" in msg
    )
    assert "The Moscow Times" in r.reason  # the later update is named


def test_halved_claim_is_disputed_by_casualty_figures():
    c = halved_claim()
    r = recommend(c, _judge_all(c, context=SEED))
    assert r.verdict == REC_DISPUTED and "Yonhap" in r.reason


def test_passage_origin_field_wins_over_outlet():
    pas = Passage(
        source_id=1, text="...", start=0, end=3, outlet="Site A", origin="The New York Times"
    )
    r = recommend(
        WITHDRAWN, [(pas, Judgement(SUPPORTS, "x", strength=0.8)), support("Site B", ["NYT"])]
    )
    assert SINGLE_ORIGIN in kinds(r)
