"""The recommended verdict for a claim from its judged evidence.

Rules, in order:

- no evidence at all -> `no_evidence` verdict and a `no_evidence` flag (never support);
- any passage that contradicts firmly (strength >= FIRM: a denial quoted, figures that
  differ, a confident model) -> `disputed`; a weak contradiction is only noted;
- support from at least two independent origins (`origin_key`), each with firm support
  (strength >= judge.FIRM, i.e. not hedged or unconfirmed), no contradiction and no
  later update -> `verified`;
- otherwise `unclear`. When all the support traces back to one origin and either more
  than one outlet carries it or that origin is the claim's own cited source, a
  `single_origin` flag names the origin and the relaying outlets.

Confidence says how well the evidence backs the recommended verdict, in [0, 1]:
verified 0.55 + 0.1 per extra origin + 0.2 x mean strength (max 0.95); disputed the
strongest contradiction, lowered by 0.15 when firm support exists too; unclear at most
0.4; no_evidence 0 (there is nothing to go on).
"""

from __future__ import annotations

from collections import OrderedDict

from analysis.types import (
    ATTR_OUTLET,
    CONTRADICTS,
    LATER_UPDATE,
    NO_EVIDENCE,
    NUMERIC_DISCREPANCY,
    REC_DISPUTED,
    REC_NO_EVIDENCE,
    REC_UNCLEAR,
    REC_VERIFIED,
    SINGLE_ORIGIN,
    SUPPORTS,
    UNCONFIRMED,
    ClaimCandidate,
    ClaimFlag,
    Judgement,
    Passage,
    Recommendation,
)

from .judge import FIRM
from .origins import canonical_outlet, origin_key, origin_label


def passage_origin(p: Passage) -> tuple[str, str]:
    """(key, label) of the origin a passage traces back to."""
    if p.origin:
        return canonical_outlet(p.origin), p.origin
    return origin_key(p.outlet, p.relays), origin_label(p.outlet, p.relays)


def claim_origin(claim: ClaimCandidate) -> tuple[str, str] | None:
    """The outlet the claim's own article relays ("according to The New York Times")."""
    for part in claim.attribution.chain:
        if part.kind in (ATTR_OUTLET,) and part.speaker:
            return canonical_outlet(part.speaker), part.speaker
    if claim.attribution.kind == ATTR_OUTLET and claim.attribution.speaker:
        return canonical_outlet(claim.attribution.speaker), claim.attribution.speaker
    return None


def _names(ps: list[Passage]) -> str:
    seen = OrderedDict((p.outlet or p.title or f"source {p.source_id}", None) for p in ps)
    return ", ".join(seen)


def recommend(claim: ClaimCandidate, evidence: list[tuple[Passage, Judgement]]) -> Recommendation:
    # A document about the same people but not this claim is shown, never weighed.
    evidence = [(p, j) for p, j in evidence if not j.topic_only]
    if not evidence:
        return Recommendation(
            verdict=REC_NO_EVIDENCE,
            confidence=0.0,
            reason="No related source was found; absence of evidence is not support.",
            flags=[
                ClaimFlag(
                    kind=NO_EVIDENCE,
                    message="No related source was found in the corpus for this claim.",
                )
            ],
        )
    flags: list[ClaimFlag] = []
    supports = [(p, j) for p, j in evidence if j.stance == SUPPORTS]
    # A contradiction counts when it is firm (a denial quoted, figures that differ, or a
    # confident model); a weak one (a tone, no denial named) is reported, not ruled on.
    weak = [(p, j) for p, j in evidence if j.stance == CONTRADICTS and j.strength < FIRM]
    contradicts = [(p, j) for p, j in evidence if j.stance == CONTRADICTS and j.strength >= FIRM]
    later = [(p, j) for p, j in evidence if any(f.kind == LATER_UPDATE for f in j.flags)]
    numeric = [
        (p, j)
        for p, j in evidence
        if j.stance != CONTRADICTS and any(f.kind == NUMERIC_DISCREPANCY for f in j.flags)
    ]
    unconfirmed = [(p, j) for p, j in evidence if any(f.kind == UNCONFIRMED for f in j.flags)]

    groups: OrderedDict[str, list[tuple[Passage, Judgement]]] = OrderedDict()
    labels: dict[str, str] = {}
    for p, j in supports:
        key, label = passage_origin(p)
        groups.setdefault(key, []).append((p, j))
        labels.setdefault(key, label)
    firm = [k for k, items in groups.items() if any(j.strength >= FIRM for _, j in items)]
    # Relays carry an origin without supporting it: they count for single_origin only.
    carried: OrderedDict[str, list[tuple[Passage, Judgement]]] = OrderedDict(
        (k, list(v)) for k, v in groups.items()
    )
    for p, j in evidence:
        if j.relays_claim and j.stance != SUPPORTS:
            key, label = passage_origin(p)
            carried.setdefault(key, []).append((p, j))
            labels.setdefault(key, label)
    own = claim_origin(claim)

    notes: list[str] = []
    if later:
        notes.append("a later source reports a change: " + _names([p for p, _ in later]))
    if numeric:
        notes.append("figures differ in " + _names([p for p, _ in numeric]))
    if weak:
        notes.append("seems disputed, with no denial named, by " + _names([p for p, _ in weak]))
    if unconfirmed:
        notes.append("not officially confirmed per " + _names([p for p, _ in unconfirmed]))

    if carried and len(carried) == 1:
        key = next(iter(carried))
        outlets = [p for p, _ in carried[key]]
        distinct = {canonical_outlet(p.outlet) for p in outlets if p.outlet}
        is_own = own is not None and own[0] == key
        if len(distinct) > 1 or is_own:
            msg = (
                f"All support traces back to one origin, {labels[key]}: "
                f"{_names(outlets)} {'relay' if len(distinct) > 1 else 'relays'} it"
            )
            if is_own:
                msg += "; it is also the claim's own cited source"
            flags.append(
                ClaimFlag(kind=SINGLE_ORIGIN, message=msg + ". Not independent corroboration.")
            )
    elif len(groups) > 1 and len(firm) == 1:
        key = firm[0]
        flags.append(
            ClaimFlag(
                kind=SINGLE_ORIGIN,
                message=(
                    f"Firm support traces back to one origin, {labels[key]} ({_names([p for p, _ in groups[key]])}); "
                    f"other support is hedged or unconfirmed ({_names([p for k, items in groups.items() if k != key for p, _ in items])})."
                ),
            )
        )

    def support_summary() -> str:
        parts = [f"{labels[k]} ({_names([p for p, _ in items])})" for k, items in groups.items()]
        return f"supported by {len(groups)} origin{'s' if len(groups) != 1 else ''}: " + "; ".join(
            parts
        )

    if contradicts:
        top = max(j.strength for _, j in contradicts)
        conf = top - (0.15 if firm else 0.0)
        reason = "Contradicted by " + "; ".join(
            f"{p.outlet or p.title or p.source_id}: {j.reason}" for p, j in contradicts
        )
        if groups:
            reason += "; also " + support_summary()
        verdict = REC_DISPUTED
    elif len(firm) >= 2 and not later:
        strengths = [max(j.strength for _, j in groups[k]) for k in firm]
        conf = min(0.95, 0.55 + 0.1 * (len(firm) - 2) + 0.2 * sum(strengths) / len(strengths))
        reason = (
            f"Supported by {len(firm)} independent origins ("
            + "; ".join(f"{labels[k]}: {_names([p for p, _ in groups[k]])}" for k in firm)
            + "), no contradiction"
        )
        verdict = REC_VERIFIED
    else:
        verdict = REC_UNCLEAR
        if not groups:
            reason = "Related sources found, but none states the claim"
            conf = 0.2
        else:
            why = []
            if len(firm) < 2:
                why.append(f"needs two independent origins with firm support, has {len(firm)}")
            if later and len(firm) >= 2:
                why.append("a later report overtakes it")
            reason = "Not verified: " + "; ".join(why) + "; " + support_summary()
            conf = min(0.4, 0.2 + 0.1 * len(firm))
    if notes:
        reason += "; " + "; ".join(notes)
    return Recommendation(
        verdict=verdict,
        confidence=round(max(0.0, min(1.0, conf)), 2),
        reason=reason + ".",
        flags=flags,
    )
