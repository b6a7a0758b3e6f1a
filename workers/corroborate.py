"""Corroboration: claims against the corpus, evidence and flags out, verdicts recommended.

`corroborate_claims` takes a batch (usually one article's claims): it searches the
corpus, judges each candidate source document with the stance model and the exact rules
(`analysis.corroboration.documents`; an unrelated document is not evidence), writes the
evidence, raises the
flags through `claims.flags`, recommends a verdict, and reopens a ruled claim when new
evidence overturns it (`claims.workflow`). `match_source` is the reverse search: the
claims a new source may speak to, queued for corroboration again. Every write is keyed
on a unique constraint, so a redelivered batch changes nothing twice.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis import types as t
from analysis.corroboration import (
    SIMILARITY_LINK,
    SIMILARITY_SUGGEST,
    build_query,
    recommend,
    similarity,
)
from analysis.corroboration.documents import Document, describe_error, judge_documents
from claims import bulk, flags, workflow
from claims.models import Claim, ClaimState, Evidence, Flag, Passage, Source
from factcheck import queue, stagetimes
from workers import corpus, matching

log = logging.getLogger(__name__)

MAX_MENTIONS = 3
# How long a recorded analysis error may grow (several skipped sources, each with its reason).
MAX_ERROR_CHARS = 2000


def enqueue_claims(claim_ids: Iterable[int]) -> None:
    """Queue claims for corroboration after commit, in batches (see corroborate_claims)."""
    for batch in claim_batches(list(claim_ids), settings.FACTCHECK_CORROBORATION_BATCH):
        queue.later(queue.CORROBORATE_CLAIMS, batch)


def claim_batches(ids: list[int], size: int) -> list[list[int]]:
    """`ids` in ceil(len/size) batches of near-equal length (11 by 6 is 6 + 5, not 6 + 1)."""
    if not ids:
        return []
    n = -(-len(ids) // max(1, size))
    step, extra = divmod(len(ids), n)
    out, at = [], 0
    for k in range(n):
        take = step + (1 if k < extra else 0)
        out.append(ids[at : at + take])
        at += take
    return out


def candidate_from_claim(claim: Claim) -> t.ClaimCandidate:
    attribution = dict(claim.attribution or {})
    chain = [t.AttributionPart(**part) for part in attribution.pop("chain", []) or []]
    known = {f.name for f in dataclasses.fields(t.Attribution)}
    return t.ClaimCandidate(
        text=claim.text,
        start=claim.start,
        end=claim.end,
        normalized=claim.normalized,
        checkworthiness=claim.checkworthiness,
        claim_type=claim.claim_type,
        attribution=t.Attribution(
            chain=chain, **{k: v for k, v in attribution.items() if k in known}
        ),
        hedges=[_load(t.Hedge, h) for h in claim.hedges or []],
        certainty=claim.certainty,
        quantities=[_load(t.Quantity, q) for q in claim.quantities or []],
        times=[_load(t.TimeRef, x) for x in claim.times or []],
        appearances=[tuple(a) for a in claim.appearances or []],
        recheck_after=claim.recheck_after.isoformat() if claim.recheck_after else None,
    )


def _load(cls, data: dict):
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def corroborate_claim(claim_id: int, *, worker: str = "corroborate_claim") -> dict:
    """Corroborate one claim (see `corroborate_claims`); the dict describes what was done."""
    return corroborate_claims([claim_id], worker=worker)[0]


def corroborate_claims(
    claim_ids: Iterable[int], *, worker: str = "corroborate_claims"
) -> list[dict]:
    """Search the corpus for each claim, record evidence and flags, recommend a verdict.

    Moves extracted claims to corroborating. On a ruled claim (a source arrived later) a
    new contradiction reopens it, with the flag's message as the reason. Takes a batch
    (usually one article's claims) so that the round trips are per batch, not per claim:
    one statement searches the corpus for all of them, one more finds claims seen before,
    one upsert writes all the evidence, one insert the new flags. Returns one dict per id,
    in order. Every write is keyed on a unique constraint, so a redelivered batch (or the
    same claim in two batches) changes nothing twice.
    """
    ids = [int(i) for i in claim_ids]
    results: dict[int, dict] = {i: {"claim": i, "skipped": True} for i in ids}
    with stagetimes.stage("writes"):
        workflow.start_corroboration_many(ids, worker=worker)
    claims = list(
        Claim.objects.filter(pk__in=ids)
        .exclude(state=ClaimState.DISMISSED)
        .select_related("article")
        .order_by("pk")
    )
    if not claims:
        return [results[i] for i in ids]
    with stagetimes.stage("search"):
        work = _queries(claims, results)
        own = [[c.article.source_id] for c, _, _ in work]
        link_seen_before_many([(c, terms) for c, _, terms in work])
        # Fact-checks published elsewhere: an already_checked flag for a match (idempotent).
        matching.match_claims([c.pk for c, _, _ in work])
        searched = corpus.search_many(
            [terms for _, _, terms in work],
            exclude=own,
            limit=settings.FACTCHECK_EVIDENCE_PER_CLAIM,
        )
    with stagetimes.stage("judging"):
        plans, skipped = _judge(work, searched, claims, results)
    if not plans:
        return [results[i] for i in ids]
    with stagetimes.stage("writes"):
        _write(plans, skipped, results, worker)
    return [results[i] for i in ids]


def _queries(claims: list[Claim], results: dict) -> list[tuple[Claim, t.ClaimCandidate, list]]:
    """(claim, candidate, search terms) per claim; a claim whose record cannot be read is
    recorded as failed and left out."""
    work = []
    for claim in claims:
        try:
            candidate = candidate_from_claim(claim)
            terms = build_query(candidate, context=claim.article.body).all_terms()
        except Exception as exc:  # one claim's bad record must not hold up its batch
            _analysis_failed(results, claim, exc)
            continue
        work.append((claim, candidate, terms))
    return work


def _judge(work, searched, claims, results) -> tuple[list, dict[int, str]]:
    """The candidate documents of each claim, judged; one plan per claim judged."""
    # Passages already attached stay part of the picture (a reviewer's URL, an earlier run).
    attached: dict[int, list[t.Passage]] = {}
    rows = Evidence.objects.filter(claim_id__in=[c.pk for c in claims])  # Meta ordering
    for claim_id, *row in rows.values_list("claim_id", *corpus.hit_columns("passage__")):
        attached.setdefault(claim_id, []).append(corpus.hit_from_row(row))

    # Candidate documents: every source a claim's search hit (or attached evidence) comes
    # from, read whole, as the stance model judges documents, not loose sentences.
    wanted: dict[int, list[int]] = {}
    best_rank: dict[tuple[int, int], float] = {}
    found: dict[tuple[int, int], set[int]] = {}  # (claim, source) -> passages search found
    for (claim, _candidate, _terms), hits in zip(work, searched, strict=True):
        order = wanted.setdefault(claim.pk, [])
        for hit in [*hits, *attached.get(claim.pk, [])]:
            if hit.source_id not in order:
                order.append(hit.source_id)
            key = (claim.pk, hit.source_id)
            best_rank[key] = max(best_rank.get(key, 0.0), hit.rank)
            found.setdefault(key, set()).add(hit.passage_id)
    docs = corpus.documents({s for order in wanted.values() for s in order})

    def document(claim_pk: int, source: int) -> Document:
        doc, hit_ids = docs[source], found.get((claim_pk, source), set())
        focus = [i for i, p in enumerate(doc.passages) if p.passage_id in hit_ids]
        return dataclasses.replace(doc, focus=focus)

    plans = []
    # Sources that could not be judged for a claim: skipped, the rest still judged, and
    # said on the claim (Claim.analysis_error) so the verdict is not read as complete.
    skipped: dict[int, str] = {}
    for claim, candidate, _terms in work:
        article = claim.article
        order = [s for s in wanted.get(claim.pk, []) if s in docs]
        try:
            decided = judge_documents(
                candidate,
                [document(claim.pk, s) for s in order],
                claim_published_at=article.published_at,
                context=article.body,
            )
            judged = [
                (dataclasses.replace(d.passage, rank=best_rank[(claim.pk, source)]), d.judgement)
                for source, d in zip(order, decided, strict=True)
                if d.judgement is not None and d.passage is not None
            ]
            errors = [
                (source, d.error) for source, d in zip(order, decided, strict=True) if d.error
            ]
            if errors:
                skipped[claim.pk] = skipped_note(errors, len(order), docs)
            plans.append((claim, candidate, judged, recommend(candidate, judged)))
        except Exception as exc:
            _analysis_failed(results, claim, exc)
    return plans, skipped


def _write(plans: list, skipped: dict[int, str], results: dict, worker: str) -> None:
    """Evidence, flags, recommendations and reopenings of the judged claims: one transaction."""
    with transaction.atomic():
        evidence_rows: list[Evidence] = []
        flag_requests: list[flags.FlagRequest] = []
        evidence_count: dict[int, int] = {}
        for claim, _candidate, judged, rec in plans:
            by_passage: dict[int, tuple[t.Passage, t.Judgement, Evidence]] = {}
            mentions = 0
            for hit, j in judged:
                if j.stance == t.MENTIONS and not j.flags:
                    # Related passages that neither support nor contradict: keep the best
                    # few for context, not every search hit.
                    mentions += 1
                    if mentions > MAX_MENTIONS:
                        continue
                by_passage[hit.passage_id] = (
                    hit,
                    j,
                    Evidence(
                        claim=claim,
                        passage_id=hit.passage_id,
                        source_id=hit.source_id,
                        stance=j.stance,
                        reason=j.reason,
                        strength=j.strength,
                        origin=hit.origin,
                        rank=hit.rank,
                    ),
                )
            evidence_count[claim.pk] = len(by_passage)
            evidence_rows += [ev for _, _, ev in by_passage.values()]
            for hit, j, ev in by_passage.values():
                flag_requests += [(claim, f, ev, f"passage:{hit.passage_id}") for f in j.flags]
            flag_requests += [(claim, f, None, "recommendation") for f in rec.flags]
        # One upsert for all the evidence (keyed on claim + passage); PostgreSQL and
        # SQLite return the ids, which the flags below point at.
        Evidence.objects.bulk_create(
            evidence_rows,
            update_conflicts=True,
            unique_fields=["claim", "passage"],
            update_fields=[
                "source",
                "stance",
                "reason",
                "strength",
                "origin",
                "rank",
                "updated_at",
            ],
        )
        new_flags = flags.raise_flags(flag_requests, refresh=False)
        now = timezone.now()
        found = [c.pk for c, _, _, rec in plans if rec.verdict != t.REC_NO_EVIDENCE]
        verified = [c.pk for c, _, _, rec in plans if rec.verdict == t.REC_VERIFIED]
        resolved: set[int] = set()
        # Evidence turned up: an earlier "nothing found" no longer holds; independent
        # support answers "single origin".
        resolved |= flags.resolve_open(found, t.NO_EVIDENCE, "evidence found by a later search")
        resolved |= flags.resolve_open(verified, t.SINGLE_ORIGIN, "independent support found")
        # New open flags and resolved ones move claims in the work queues: one refresh.
        flags.refresh_priority(resolved | {f.claim_id for f in new_flags})
        for claim, _candidate, _judged, rec in plans:
            claim.recommended_verdict = rec.verdict
            claim.recommendation_confidence = rec.confidence
            claim.recommendation_reason = rec.reason
            claim.corroborated_at = now
            # A run that judged every source clears an earlier failure.
            claim.analysis_error = skipped.get(claim.pk, "")
        bulk.update_rows(
            Claim,
            [c for c, _, _, _ in plans],
            [
                "recommended_verdict",
                "recommendation_confidence",
                "recommendation_reason",
                "corroborated_at",
                "analysis_error",
            ],
        )
        by_claim: dict[int, list[Flag]] = {}
        for f in new_flags:
            by_claim.setdefault(f.claim_id, []).append(f)
        for claim, _candidate, _judged, rec in plans:
            reopening = [f for f in by_claim.get(claim.pk, []) if f.kind in t.REOPENING_FLAGS]
            if claim.is_ruled and reopening:
                claim.refresh_from_db()
                try:
                    workflow.reopen(
                        claim, worker=worker, reason=f"new evidence: {reopening[0].message}"
                    )
                except workflow.Conflict:
                    log.info("claim %s changed while reopening; left as it is", claim.pk)
            results[claim.pk] = {
                "claim": claim.pk,
                "evidence": evidence_count[claim.pk],
                "new_flags": [f.kind for f in by_claim.get(claim.pk, [])],
                "recommended": rec.verdict,
            }
            if claim.pk in skipped:
                results[claim.pk]["analysis_error"] = skipped[claim.pk]


def _analysis_failed(results: dict, claim: Claim, exc: Exception) -> None:
    # A defect, not bad luck: logged with its traceback and recorded on the claim, which
    # the report, the API and the admin show; the claim stays uncorroborated (the sweeper
    # offers it again) and the rest of the batch goes on.
    log.exception("claim %s: corroboration failed: %s", claim.pk, exc)
    reason = f"corroboration failed: {describe_error(exc)}"
    # Idempotent: a redelivered batch that fails the same way writes nothing.
    Claim.objects.filter(pk=claim.pk).exclude(analysis_error=reason).update(analysis_error=reason)
    results[claim.pk] = {"claim": claim.pk, "failed": reason}


def skipped_note(errors: list[tuple[int, str]], judged: int, docs: dict[int, Document]) -> str:
    """The claim's analysis error when some of its sources could not be judged."""

    def name(source_id: int) -> str:
        doc = docs.get(source_id)
        outlet = doc.passages[0].outlet if doc and doc.passages else ""
        return f"source {source_id}" + (f" ({outlet})" if outlet else "")

    note = f"{len(errors)} of {judged} sources not judged: " + "; ".join(
        f"{name(source)}: {error}" for source, error in errors
    )
    return note if len(note) <= MAX_ERROR_CHARS else note[: MAX_ERROR_CHARS - 1] + "\u2026"


def link_seen_before_many(batch: list[tuple[Claim, list[str]]]) -> None:
    """Link claims to earlier claims with the same truth conditions (other articles).

    Candidates come from the corpus index (article passages sharing terms with the claim),
    so this never scans all claims. Above SIMILARITY_LINK the earliest match becomes
    `same_as`; between SIMILARITY_SUGGEST and SIMILARITY_LINK matches are listed in
    `similar` for the fact-checker to judge. Two queries for the whole batch, plus one
    update.
    """
    if not batch:
        return
    searched = corpus.search_many(
        [terms for _, terms in batch],
        exclude=[[claim.article.source_id] for claim, _ in batch],
        source_kind=Source.Kind.ARTICLE,
        limit=20,
    )
    sources = {hit.source_id for hits in searched for hit in hits}
    others_by_source: dict[int, list[dict]] = {}
    if sources:
        for row in Claim.objects.filter(article__source_id__in=sources).values(
            "id", "normalized", "created_at", "start", "end", "article_id", "article__source_id"
        ):
            others_by_source.setdefault(row["article__source_id"], []).append(row)
    updates = []
    for (claim, _terms), hits in zip(batch, searched, strict=True):
        if not hits:
            continue  # nothing to compare with: earlier links stay as they are
        others = {
            row["id"]: row
            for hit in hits
            for row in others_by_source.get(hit.source_id, [])
            # Claims whose span overlaps the matching passage, in other articles.
            if row["start"] < hit.end
            and row["end"] > hit.start
            and row["article_id"] != claim.article_id
        }
        scored = []
        for other in others.values():
            score = similarity(claim.normalized, other["normalized"])
            if score >= SIMILARITY_SUGGEST:
                scored.append((score, other))
        linked = sorted(
            (o for s, o in scored if s >= SIMILARITY_LINK), key=lambda o: (o["created_at"], o["id"])
        )
        same_as = linked[0] if linked and linked[0]["created_at"] <= claim.created_at else None
        similar = [
            {"claim": o["id"], "score": round(s, 3)}
            for s, o in sorted(scored, key=lambda x: (-x[0], x[1]["id"]))
            if same_as is None or o["id"] != same_as["id"]
        ][:10]
        claim.same_as_id = same_as["id"] if same_as else None
        claim.similar = similar
        updates.append(claim)
    bulk.update_rows(Claim, updates, ["same_as", "similar"])


# --- keep watch: a new source against the claims we have ---------------------------------


def match_source(source_id: int, *, per_passage: int = 20, max_passages: int = 60) -> list[int]:
    """Reverse search: claims the new source may speak to, queued for corroboration again."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return []
    corpus.index_source(source)
    claim_ids: set[int] = set()
    passages = list(Passage.objects.filter(source=source).order_by("position")[:max_passages])
    for p in passages:
        hits = corpus.search(
            corpus.query_terms(p.text),
            exclude_source_ids=[source.pk],
            source_kind=Source.Kind.ARTICLE,
            limit=per_passage,
        )
        for hit in hits:
            # Claims whose span overlaps the matching passage of their article.
            claim_ids.update(
                Claim.objects.filter(
                    article__source_id=hit.source_id, start__lt=hit.end, end__gt=hit.start
                )
                .exclude(state=ClaimState.DISMISSED)
                .values_list("id", flat=True)
            )
    ids = sorted(claim_ids)
    with transaction.atomic():
        enqueue_claims(ids)
    return ids
