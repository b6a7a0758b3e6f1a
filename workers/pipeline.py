"""The ORM glue between the plain text analysis and the database.

Tasks call these functions with primary keys. Every write here is idempotent, keyed on
a unique constraint (claim span, evidence passage, flag kind+key, content hash),
because Celery on Redis delivers at least once and a crashed worker's task runs again.
The analysis itself (`workers.extraction`, `workers.corroboration`) never touches the ORM.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError

from claims import workflow
from claims.models import (
    NORMALIZED_MAX,
    Article,
    Claim,
    ClaimState,
    Evidence,
    Flag,
    Passage,
    Source,
    content_hash,
    refresh_priority,
)
from workers import corpus
from workers import types as t
from workers.corroboration import (
    SIMILARITY_LINK,
    SIMILARITY_SUGGEST,
    build_query,
    judge,
    origin_key,
    recommend,
    similarity,
)
from workers.extraction import ArticleError, extract_claims

log = logging.getLogger(__name__)

MAX_MENTIONS = 3

# Flags a new piece of evidence can raise that overturn a ruling.
REOPENING_FLAGS = frozenset({t.CONTRADICTED, t.LATER_UPDATE, t.NUMERIC_DISCREPANCY})


# --- ingest -----------------------------------------------------------------------------


def ingest_article(parsed: t.ParsedArticle, *, submitted_by=None) -> tuple[Article, bool]:
    """Store an article (or find the same text already stored) and queue it for the workers.

    Returns (article, created). The same content twice gives the same article. An
    article that is not processed yet is queued again, which is harmless: processing
    is idempotent.
    """
    if not parsed.body.strip():
        raise ArticleError("body", "the article has no text")
    digest = content_hash(parsed.body)
    created = False
    with transaction.atomic():
        article = Article.objects.filter(content_hash=digest).first()
        if article is None:
            try:
                with transaction.atomic():
                    article = Article.objects.create(
                        title=parsed.title[:500],
                        byline=parsed.byline[:300],
                        outlet=parsed.outlet[:200],
                        url=parsed.url,
                        published_at=parsed.published_at,
                        body=parsed.body,
                        content_hash=digest,
                        boilerplate=[list(span) for span in parsed.boilerplate],
                        submitted_by=submitted_by,
                    )
                    created = True
            except IntegrityError:  # the same text arrived concurrently
                article = Article.objects.get(content_hash=digest)
        if article.source_id is None:
            source, _ = _store_source(
                body=article.body,
                kind=Source.Kind.ARTICLE,
                title=article.title,
                byline=article.byline,
                outlet=article.outlet,
                url=article.url,
                published_at=article.published_at,
            )
            Article.objects.filter(pk=article.pk).update(source=source)
            article.source = source
        if article.status == Article.Status.FAILED and not created:
            # Submitted again after failing: a fresh set of attempts.
            Article.objects.filter(pk=article.pk).update(
                status=Article.Status.RECEIVED, attempts=0, updated_at=timezone.now()
            )
            article.status = Article.Status.RECEIVED
        if article.status != Article.Status.PROCESSED:
            enqueue_article(article.pk)
    return article, created


def enqueue_article(article_id: int, *, force: bool = False) -> None:
    from workers.tasks import process_article

    if force:
        transaction.on_commit(lambda: _safe_enqueue(process_article, article_id, True))
    else:
        transaction.on_commit(lambda: _safe_enqueue(process_article, article_id))


def enqueue_claims(claim_ids: Iterable[int]) -> None:
    """Queue claims for corroboration after commit, in batches (see corroborate_claims)."""
    from workers.tasks import corroborate_claims

    batches = claim_batches(list(claim_ids), settings.FACTCHECK_CORROBORATION_BATCH)
    transaction.on_commit(lambda: [_safe_enqueue(corroborate_claims, b) for b in batches])


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


def _safe_enqueue(task, *args) -> None:
    # The row is committed; if the broker is down the sweeper re-queues it later, so a
    # broker outage delays work but never loses it.
    try:
        task.delay(*args)
    except (KombuError, OSError) as exc:
        log.warning("could not enqueue %s%s (%s); the sweeper will retry", task.name, args, exc)


def _store_source(*, body: str, **fields) -> tuple[Source, bool]:
    digest = content_hash(body)
    relays = fields.pop("relays", None) or []
    outlet = fields.get("outlet", "")
    url = fields.get("url", "")
    canonical = canonical_url(url)
    existing = Source.objects.filter(content_hash=digest).first()
    if existing is None and canonical:
        existing = Source.objects.filter(canonical_url=canonical).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            source = Source.objects.create(
                body=body,
                content_hash=digest,
                canonical_url=canonical,
                relays=relays,
                origin=origin_key(outlet, relays),
                **{k: v for k, v in fields.items() if v is not None},
            )
    except IntegrityError:
        return Source.objects.get(content_hash=digest), False
    return source, True


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no fragment, no tracking parameters, no trailing slash."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query)
        if not k.lower().startswith(("utm_", "fbclid", "gclid"))
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def add_source(
    *,
    body: str,
    title: str = "",
    outlet: str = "",
    url: str = "",
    published_at=None,
    byline: str = "",
    relays: list[str] | None = None,
    note: str = "",
    added_by=None,
    match: bool = True,
) -> tuple[Source, bool]:
    """Add a document to the corpus, index it, and (once) match it against existing claims."""
    if not body.strip():
        raise ArticleError("body", "the source has no text")
    with transaction.atomic():
        source, created = _store_source(
            body=body,
            kind=Source.Kind.SOURCE,
            title=title[:500],
            byline=byline[:300],
            outlet=outlet[:200],
            url=url,
            published_at=published_at,
            relays=relays or [],
            note=note,
            added_by=added_by,
        )
        if created:
            corpus.index_source(source)
            if match:
                from workers.tasks import match_source

                transaction.on_commit(lambda: _safe_enqueue(match_source, source.pk))
    return source, created


# --- process an article -----------------------------------------------------------------


def process_article(article_id: int, *, force: bool = False) -> list[int]:
    """Extract an article's claims and queue each for corroboration. Returns claim ids.

    A redelivered task for an article already processed does nothing (unless `force`,
    for an explicit re-run); a failed article stays failed until it is submitted again.
    """
    article = Article.objects.filter(pk=article_id).select_related("source").first()
    if article is None or article.status == Article.Status.FAILED:
        return []
    if article.status == Article.Status.PROCESSED and not force:
        return list(Claim.objects.filter(article=article).values_list("id", flat=True))
    if article.attempts >= settings.FACTCHECK_TASK_MAX_ATTEMPTS:
        # Redelivered after crashes (a worker killed mid-task each time): a poison article.
        mark_article_failed(
            article.pk,
            f"gave up after {article.attempts} attempts; the last one did not finish "
            "(the worker died or timed out while processing it)",
        )
        return []
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PROCESSING, attempts=article.attempts + 1, updated_at=timezone.now()
    )
    if article.source is not None:
        corpus.index_source(article.source)
    candidates = extract_claims(
        article.body,
        published_at=article.published_at,
        boilerplate=[tuple(span) for span in article.boilerplate or []],
    )
    with transaction.atomic():
        claim_ids = save_claims(article, candidates)
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PROCESSED,
            last_error="",
            processed_at=timezone.now(),
            updated_at=timezone.now(),
        )
        enqueue_claims(claim_ids)
    return claim_ids


MACHINE_FIELDS = (
    "text",
    "normalized",
    "appearances",
    "checkworthiness",
    "claim_type",
    "attribution",
    "attribution_kind",
    "hedges",
    "certainty",
    "quantities",
    "times",
    "recheck_after",
)


def _claim_row(article: Article, c: t.ClaimCandidate) -> Claim:
    attribution = dataclasses.asdict(c.attribution)
    recheck = date.fromisoformat(c.recheck_after) if c.recheck_after else None
    return Claim(
        article=article,
        text=c.text,
        start=c.start,
        end=c.end,
        normalized=c.normalized[:NORMALIZED_MAX],
        appearances=[list(a) for a in (c.appearances or [(c.start, c.end)])],
        checkworthiness=min(1.0, max(0.0, float(c.checkworthiness))),
        claim_type=c.claim_type,
        attribution=attribution,
        attribution_kind=attribution.get("kind", ""),
        hedges=[dataclasses.asdict(h) for h in c.hedges],
        certainty=c.certainty,
        quantities=[dataclasses.asdict(q) for q in c.quantities],
        times=[dataclasses.asdict(x) for x in c.times],
        recheck_after=recheck,
    )


def save_claims(article: Article, candidates: list[t.ClaimCandidate]) -> list[int]:
    """Upsert claims by (article, start, end) and their article-internal flags.

    A re-run rewrites the machine fields with the same values and never touches the
    workflow fields (state, assignee, ruling).
    """
    rows = [_claim_row(article, c) for c in candidates]
    Claim.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["article", "start", "end"],
        update_fields=list(MACHINE_FIELDS),
    )
    # values_list, not .only(): a Claim instance loads its deferred FSM state with one
    # query per claim (ConcurrentTransitionMixin reads it on init).
    by_span = {
        (start, end): pk
        for pk, start, end in Claim.objects.filter(article=article).values_list(
            "id", "start", "end"
        )
    }
    flags = []
    for cand in candidates:
        claim_id = by_span[(cand.start, cand.end)]
        for f in cand.flags:
            key = f"span:{f.start}-{f.end}" if f.start is not None else "article"
            flags.append(
                Flag(
                    claim_id=claim_id,
                    kind=f.kind,
                    message=f.message,
                    span_start=f.start,
                    span_end=f.end,
                    key=key,
                )
            )
    Flag.objects.bulk_create(flags, ignore_conflicts=True)
    refresh_priority({f.claim_id for f in flags})
    return [by_span[(c.start, c.end)] for c in candidates]


def mark_article_failed(article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, last_error=reason[:5000], updated_at=timezone.now()
    )


# --- corroborate a claim ----------------------------------------------------------------


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
    workflow.start_corroboration_many(ids, worker=worker)
    claims = list(
        Claim.objects.filter(pk__in=ids)
        .exclude(state=ClaimState.DISMISSED)
        .select_related("article")
        .order_by("pk")
    )
    if not claims:
        return [results[i] for i in ids]
    work = []
    for claim in claims:
        try:
            candidate = candidate_from_claim(claim)
            terms = build_query(candidate, context=claim.article.body).all_terms()
        except Exception as exc:  # one claim's bad record must not hold up its batch
            _analysis_failed(results, claim, exc)
            continue
        work.append((claim, candidate, terms))
    own = [[c.article.source_id] for c, _, _ in work]
    _link_seen_before_many([(c, terms) for c, _, terms in work])
    searched = corpus.search_many(
        [terms for _, _, terms in work],
        exclude=own,
        limit=settings.FACTCHECK_EVIDENCE_PER_CLAIM,
    )
    # Passages already attached stay part of the picture (a reviewer's URL, an earlier run).
    attached: dict[int, list[t.Passage]] = {}
    for ev in (
        Evidence.objects.filter(claim_id__in=[c.pk for c in claims])
        .select_related("passage__source")
        .only("claim_id", *corpus.hit_fields("passage__"))
    ):
        attached.setdefault(ev.claim_id, []).append(corpus.passage_hit(ev.passage))

    plans = []
    for (claim, candidate, _terms), hits in zip(work, searched, strict=True):
        seen = {hit.passage_id for hit in hits}
        extra = [h for h in attached.get(claim.pk, []) if h.passage_id not in seen]
        article = claim.article
        try:
            judged = [
                (
                    hit,
                    judge(
                        candidate,
                        hit,
                        claim_published_at=article.published_at,
                        context=article.body,
                    ),
                )
                for hit in [*hits, *extra]
            ]
            plans.append((claim, candidate, judged, recommend(candidate, judged)))
        except Exception as exc:
            _analysis_failed(results, claim, exc)
    if not plans:
        return [results[i] for i in ids]

    with transaction.atomic():
        evidence_rows: list[Evidence] = []
        flag_requests: list[tuple[Claim, t.ClaimFlag, Evidence | None, str]] = []
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
        new_flags = _raise_flags(flag_requests, refresh=False)
        now = timezone.now()
        found = [c.pk for c, _, _, rec in plans if rec.verdict != t.REC_NO_EVIDENCE]
        verified = [c.pk for c, _, _, rec in plans if rec.verdict == t.REC_VERIFIED]
        resolved: set[int] = set()
        # Evidence turned up: an earlier "nothing found" no longer holds; independent
        # support answers "single origin".
        for kind, claim_pks, note in (
            (t.NO_EVIDENCE, found, "evidence found by a later search"),
            (t.SINGLE_ORIGIN, verified, "independent support found"),
        ):
            if not claim_pks:
                continue
            open_flags = Flag.objects.filter(
                claim_id__in=claim_pks, kind=kind, resolved_at__isnull=True
            )
            hit_claims = set(open_flags.values_list("claim_id", flat=True))
            if hit_claims:
                open_flags.update(resolved_at=now, resolution_note=note)
                resolved |= hit_claims
        # New open flags and resolved ones move claims in the work queues: one refresh.
        refresh_priority(resolved | {f.claim_id for f in new_flags})
        for claim, _candidate, _judged, rec in plans:
            claim.recommended_verdict = rec.verdict
            claim.recommendation_confidence = rec.confidence
            claim.recommendation_reason = rec.reason
            claim.corroborated_at = now
        Claim.objects.bulk_update(
            [c for c, _, _, _ in plans],
            [
                "recommended_verdict",
                "recommendation_confidence",
                "recommendation_reason",
                "corroborated_at",
            ],
        )
        by_claim: dict[int, list[Flag]] = {}
        for f in new_flags:
            by_claim.setdefault(f.claim_id, []).append(f)
        for claim, _candidate, _judged, rec in plans:
            reopening = [f for f in by_claim.get(claim.pk, []) if f.kind in REOPENING_FLAGS]
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
    return [results[i] for i in ids]


def _analysis_failed(results: dict, claim: Claim, exc: Exception) -> None:
    # A defect, not bad luck: logged with its traceback; the claim stays uncorroborated
    # (the sweeper offers it again) and the rest of the batch goes on.
    log.exception("claim %s: corroboration failed: %s", claim.pk, exc)
    results[claim.pk] = {"claim": claim.pk, "failed": f"{type(exc).__name__}: {exc}"}


def _link_seen_before_many(batch: list[tuple[Claim, list[str]]]) -> None:
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
    Claim.objects.bulk_update(updates, ["same_as", "similar"])


def _raise_flag(claim: Claim, f: t.ClaimFlag, *, evidence: Evidence | None, key: str) -> list[Flag]:
    """Create a flag once; returns [flag] only when it is new (so callers can react once)."""
    return _raise_flags([(claim, f, evidence, key)])


def _raise_flags(
    requests: list[tuple[Claim, t.ClaimFlag, Evidence | None, str]], *, refresh: bool = True
) -> list[Flag]:
    """Create each flag once (unique on claim, kind and key); returns the new ones.

    An open flag raised again with a new message gets the new message. New flags record a
    `claim.flagged` webhook event each, in this transaction (an outbox row), delivered
    after commit, and update their claims' priority (their place in the work queues)
    unless `refresh` is off because the caller refreshes once for all it changed.
    """
    if not requests:
        return []
    claim_ids = {claim.pk for claim, _, _, _ in requests}
    existing = {
        (fl.claim_id, fl.kind, fl.key): fl
        for fl in Flag.objects.filter(claim_id__in=claim_ids).only(
            "id", "claim_id", "kind", "key", "message", "resolved_at"
        )
    }
    fresh: dict[tuple[int, str, str], tuple[Claim, Flag]] = {}
    for claim, f, evidence, key in requests:
        ident = (claim.pk, f.kind, key)
        if ident in fresh:
            continue
        old = existing.get(ident)
        if old is None:
            fresh[ident] = (
                claim,
                Flag(
                    claim=claim,
                    kind=f.kind,
                    key=key,
                    message=f.message,
                    evidence=evidence,
                    span_start=f.start,
                    span_end=f.end,
                ),
            )
        elif old.message != f.message and old.resolved_at is None:
            Flag.objects.filter(pk=old.pk).update(message=f.message, evidence=evidence)
    if not fresh:
        return []
    try:
        with transaction.atomic():
            created = Flag.objects.bulk_create([flag for _, flag in fresh.values()])
    except IntegrityError:
        # A concurrent worker raised some of them first: one at a time, keeping its rows.
        created = []
        for _, flag in fresh.values():
            _obj, new = Flag.objects.get_or_create(
                claim=flag.claim,
                kind=flag.kind,
                key=flag.key,
                defaults={
                    "message": flag.message,
                    "evidence": flag.evidence,
                    "span_start": flag.span_start,
                    "span_end": flag.span_end,
                },
            )
            if new:
                created.append(_obj)
    if not created:
        return []
    if refresh:
        # New open flags may be their claims' worst: their place in the work queues.
        refresh_priority({flag.claim_id for flag in created})
    from workers import webhooks

    hooks = webhooks.subscribed("claim.flagged")
    if hooks:
        claims = {claim.pk: claim for claim, _ in fresh.values()}
        for flag in created:
            webhooks.emit(
                "claim.flagged",
                claims[flag.claim_id],
                key=f"flag:{flag.pk}",
                extra={"flag": {"id": flag.pk, "kind": flag.kind, "message": flag.message}},
                hooks=hooks,
            )
    return created


# --- keep watch -------------------------------------------------------------------------


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


def sweep_stuck(*, older_than_seconds: int = 600) -> dict:
    """Re-queue work stuck in an intermediate state (a lost enqueue, a killed worker)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    max_attempts = settings.FACTCHECK_TASK_MAX_ATTEMPTS
    stuck_articles = list(
        Article.objects.filter(
            Q(status=Article.Status.RECEIVED) | Q(status=Article.Status.PROCESSING),
            updated_at__lt=cutoff,
        ).values_list("id", "attempts")
    )
    requeued, failed = [], []
    for article_id, attempts in stuck_articles:
        if attempts >= max_attempts:
            mark_article_failed(
                article_id, f"gave up after {attempts} attempts (stuck in processing)"
            )
            failed.append(article_id)
        else:
            Article.objects.filter(pk=article_id).update(updated_at=timezone.now())
            requeued.append(article_id)
            enqueue_article(article_id)
    stuck_claims = list(
        Claim.objects.filter(
            Q(state=ClaimState.EXTRACTED)
            | Q(state=ClaimState.CORROBORATING, corroborated_at__isnull=True),
            created_at__lt=cutoff,
        ).values_list("id", flat=True)[:1000]
    )
    enqueue_claims(stuck_claims)
    # The same outbox reading for fetches and webhook deliveries: rows still pending past
    # the deadline were never picked up (a lost enqueue) and go back on the queue.
    from claims.models import SourceRequest, WebhookDelivery
    from workers.tasks import deliver_webhook, fetch_source_request

    stuck_requests = list(
        SourceRequest.objects.filter(
            status=SourceRequest.Status.PENDING, updated_at__lt=cutoff
        ).values_list("id", flat=True)[:1000]
    )
    stuck_deliveries = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, created_at__lt=cutoff
        ).values_list("id", flat=True)[:1000]
    )
    SourceRequest.objects.filter(pk__in=stuck_requests).update(updated_at=timezone.now())
    for request_id in stuck_requests:
        transaction.on_commit(lambda i=request_id: _safe_enqueue(fetch_source_request, i))
    for delivery_id in stuck_deliveries:
        transaction.on_commit(lambda i=delivery_id: _safe_enqueue(deliver_webhook, i))
    return {
        "articles_requeued": requeued,
        "articles_failed": failed,
        "claims_requeued": stuck_claims,
        "source_requests_requeued": stuck_requests,
        "deliveries_requeued": stuck_deliveries,
    }
