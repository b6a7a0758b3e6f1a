"""Claims against fact-checks published elsewhere, both ways, and the already_checked flags.

- `index_factchecks`: fact-checks' lookup keys (FactCheckTerm rows, from
  `analysis.matching.match_keys`), rewritten when their claim changes.
- `match_claims`: claims (new, or corroborated again) against the stored fact-checks.
  Candidates are the fact-checks sharing enough keys to possibly reach the suggest
  threshold (an index lookup per claim, never a scan of every fact-check).
- `match_factchecks`: the reverse, for newly imported or changed fact-checks against the
  open claims. Candidates come from the corpus index (article passages sharing words with
  the claim reviewed), the way `corroborate.match_source` finds claims for a new source.

Every pair scored at or above FACTCHECK_MATCH_SUGGEST is a FactCheckMatch (unique per
claim and fact-check) and raises an `already_checked` flag through `claims.flags`
(unique per claim, kind and fact-check), so matching twice changes nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from analysis import matching
from analysis import types as t
from claims import flags
from claims.models import (
    Claim,
    ClaimState,
    FactCheck,
    FactCheckMatch,
    FactCheckTerm,
    Flag,
    Source,
)
from workers import corpus

log = logging.getLogger(__name__)

CANDIDATES_PER_CLAIM = 50
CLAIMS_PER_FACTCHECK = 30  # article passages looked at per fact-check (reverse)
# "Open claims" for the reverse match: not yet ruled, or ruled and awaiting sign-off.
OPEN_FOR_MATCHING = (ClaimState.EXTRACTED, ClaimState.CORROBORATING, ClaimState.PROPOSED)
FACTCHECK_FIELDS = (
    "id",
    "normalized",
    "publisher",
    "rating_text",
    "rating_value",
    "best_rating",
    "review_date",
    "review_url",
)


def thresholds() -> tuple[float, float]:
    """(suggest, auto) from the settings."""
    return settings.FACTCHECK_MATCH_SUGGEST, settings.FACTCHECK_MATCH_AUTO


def index_factchecks(fcs: Iterable[FactCheck]) -> int:
    """(Re)write the lookup keys of these fact-checks in two statements; idempotent."""
    fcs = list(fcs)
    if not fcs:
        return 0
    FactCheckTerm.objects.filter(factcheck_id__in=[fc.pk for fc in fcs]).delete()
    rows = [
        FactCheckTerm(factcheck_id=fc.pk, term=k)
        for fc in fcs
        for k in matching.match_keys(fc.normalized)
    ]
    FactCheckTerm.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def match_claims(claim_ids: Iterable[int]) -> int:
    """Match claims against the published fact-checks; returns how many matches it stored."""
    suggest, _ = thresholds()
    if not FactCheckTerm.objects.exists():
        return 0  # no fact-check stored yet: one query for the batch, not one per claim
    claims = list(Claim.objects.filter(pk__in=list(claim_ids)).exclude(state=ClaimState.DISMISSED))
    candidates: dict[int, list[int]] = {}
    for claim in claims:
        keys = matching.match_keys(claim.normalized)
        if not keys:
            continue
        floor = matching.min_shared_keys(len(keys), suggest)
        rows = (
            FactCheckTerm.objects.filter(term__in=keys)
            .values("factcheck_id")
            .annotate(shared=Count("id"))
            .filter(shared__gte=floor)
            .order_by("-shared", "factcheck_id")[:CANDIDATES_PER_CLAIM]
        )
        candidates[claim.pk] = [r["factcheck_id"] for r in rows]
    wanted = {i for ids in candidates.values() for i in ids}
    if not wanted:
        return 0
    factchecks = {
        fc.pk: fc for fc in FactCheck.objects.filter(pk__in=wanted).only(*FACTCHECK_FIELDS)
    }
    pairs = []
    for claim in claims:
        for fc_id in candidates.get(claim.pk, []):
            fc = factchecks.get(fc_id)
            if fc is None:
                continue
            score = matching.match_score(claim.normalized, fc.normalized)
            if score >= suggest:
                pairs.append((claim, fc, score))
    return record_matches(pairs)


def match_factchecks(factcheck_ids: Iterable[int]) -> int:
    """Match fact-checks against the open claims (reverse); returns how many matches it stored."""
    suggest, _ = thresholds()
    fcs = [
        fc
        for fc in FactCheck.objects.filter(pk__in=list(factcheck_ids)).only(
            *FACTCHECK_FIELDS, "claim_reviewed"
        )
        if fc.normalized
    ]
    if not fcs:
        return 0
    searched = corpus.search_many(
        [corpus.query_terms(fc.claim_reviewed) for fc in fcs],
        source_kind=Source.Kind.ARTICLE,
        limit=CLAIMS_PER_FACTCHECK,
    )
    sources = {hit.source_id for hits in searched for hit in hits}
    by_source: dict[int, list[Claim]] = {}
    if sources:
        for claim in Claim.objects.filter(
            article__source_id__in=sources, state__in=list(OPEN_FOR_MATCHING)
        ).select_related("article"):
            by_source.setdefault(claim.article.source_id, []).append(claim)
    pairs = []
    for fc, hits in zip(fcs, searched, strict=True):
        seen: set[int] = set()
        for hit in hits:
            for claim in by_source.get(hit.source_id, []):
                # Claims whose span overlaps the passage that matched.
                if claim.pk in seen or not (claim.start < hit.end and claim.end > hit.start):
                    continue
                seen.add(claim.pk)
                score = matching.match_score(claim.normalized, fc.normalized)
                if score >= suggest:
                    pairs.append((claim, fc, score))
    return record_matches(pairs)


def flag_message(fc: FactCheck, score: float) -> str:
    """'PolitiFact rated a matching claim “False” on 2024-05-01: https://… (similarity 0.83)'."""
    _, auto = thresholds()
    if fc.rating_text:
        rating = fc.rating_text
    elif fc.rating_value is not None:
        best = f"/{fc.best_rating:g}" if fc.best_rating is not None else ""
        rating = f"{fc.rating_value:g}{best}"
    else:
        rating = "?"
    when = f" on {fc.review_date.isoformat()}" if fc.review_date else ""
    who = fc.publisher or "A fact-checker"
    if score >= auto:
        return f"{who} rated a matching claim “{rating}”{when}: {fc.review_url} (similarity {score:.2f})"
    return (
        f"{who} rated a possibly matching claim “{rating}”{when}: {fc.review_url} "
        f"(similarity {score:.2f}, below {auto:.2f}: check that it is the same claim)"
    )


def record_matches(pairs: list[tuple[Claim, FactCheck, float]]) -> int:
    """Store the matches and raise their flags, in one transaction; idempotent."""
    if not pairs:
        return 0
    _, auto = thresholds()
    best: dict[tuple[int, int], tuple[Claim, FactCheck, float]] = {}
    for claim, fc, score in pairs:
        key = (claim.pk, fc.pk)
        if key not in best or score > best[key][2]:
            best[key] = (claim, fc, round(score, 4))
    with transaction.atomic():
        FactCheckMatch.objects.bulk_create(
            [
                FactCheckMatch(
                    claim=claim,
                    factcheck=fc,
                    score=score,
                    kind=FactCheckMatch.Kind.AUTO
                    if score >= auto
                    else FactCheckMatch.Kind.SUGGESTED,
                )
                for claim, fc, score in best.values()
            ],
            update_conflicts=True,
            unique_fields=["claim", "factcheck"],
            update_fields=["score", "kind", "updated_at"],
        )
        flags.raise_flags(
            [
                (
                    claim,
                    t.ClaimFlag(t.ALREADY_CHECKED, flag_message(fc, score)),
                    None,
                    flag_key(fc.pk),
                )
                for claim, fc, score in best.values()
            ]
        )
        # Point each match at its flag (new or raised before), in two statements.
        flag_ids = {
            (claim_id, key): pk
            for pk, claim_id, key in Flag.objects.filter(
                claim_id__in={c for c, _ in best}, kind=t.ALREADY_CHECKED
            ).values_list("pk", "claim_id", "key")
        }
        stale = [
            m
            for m in FactCheckMatch.objects.filter(
                claim_id__in={c for c, _ in best}, factcheck_id__in={f for _, f in best}
            )
            if (m.claim_id, m.factcheck_id) in best
            and m.flag_id != flag_ids.get((m.claim_id, flag_key(m.factcheck_id)))
        ]
        for m in stale:
            m.flag_id = flag_ids.get((m.claim_id, flag_key(m.factcheck_id)))
        FactCheckMatch.objects.bulk_update(stale, ["flag"])
    log.debug("fact-check matches: %d recorded", len(best))
    return len(best)


def flag_key(factcheck_id: int) -> str:
    return f"factcheck:{factcheck_id}"
