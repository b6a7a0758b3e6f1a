"""Sources asked for by URL: fetch one SourceRequest into the corpus and judge it for its claim.

A reviewer (or a feed) asks for a URL; the API records a SourceRequest and queues
`fetch_source_request` after commit (`queue_fetch`). This module fetches it through the hardened client,
archives the response (workers.archive: bytes, headers, final URL, SHA-256),
reads it, adds it to the corpus (idempotent on content), and, when the request names a
claim, judges the new source's passages for that claim and re-runs the claim's
corroboration so its evidence, flags and recommendation take the source into account.
Failures are recorded on the request with a reason a reviewer can read.

`reread_origins` (`manage.py read_origins`) reads the wire credits of sources stored
before the text was read for them, and re-corroborates the claims they serve.
"""

from __future__ import annotations

import dataclasses
import logging
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from analysis.corroboration import origin_key
from analysis.corroboration.credits import relays_with_credits
from analysis.corroboration.documents import judge_documents
from analysis.extraction import ArticleError, read_article
from claims.models import Claim, Evidence, Passage, Source, SourceRequest
from factcheck import queue
from workers import archive, corpus
from workers.corroborate import candidate_from_claim, corroborate_claim, enqueue_claims
from workers.fetching import FetchError, fetch
from workers.fetchpolicy import fetch_policy
from workers.ingest import add_source
from workers.outcome import Outcome, Status

log = logging.getLogger(__name__)


def reread_origins(*, batch: int = 500) -> list[int]:
    """Read the wire credits of every stored source again (`credits.wire_credits`), add the
    relays they name to the declared ones, and queue for corroboration the claims whose
    evidence comes from a source whose origin changed. Idempotent: a second run changes
    nothing. Reads bodies `batch` at a time. Returns the ids of the sources changed."""
    changed: list[int] = []
    rows = Source.objects.only("id", "body", "byline", "outlet", "relays", "origin").order_by("id")
    for source in rows.iterator(chunk_size=batch):
        relays = relays_with_credits(list(source.relays or []), source.body, source.byline)
        origin = origin_key(source.outlet, relays)
        if relays != list(source.relays or []) or origin != source.origin:
            Source.objects.filter(pk=source.pk).update(relays=relays, origin=origin)
            changed.append(source.pk)
    if changed:
        claims = Evidence.objects.filter(source_id__in=changed).values_list("claim_id", flat=True)
        with transaction.atomic():
            enqueue_claims(sorted(set(claims)))
    return changed


def queue_fetch(request_id: int) -> None:
    """Queue the fetch once the request row is committed."""
    queue.later(queue.FETCH_SOURCE_REQUEST, request_id)


def fetch_source_request(request_id: int, *, final_attempt: bool = False, policy=None) -> Outcome:
    """One attempt at fetching a requested URL into the corpus, recorded on the request.

    A transient failure is RETRY unless `final_attempt`; a page that cannot be read is
    FAILED at once, with a reason a reviewer can read.
    """
    req = (
        SourceRequest.objects.filter(pk=request_id).select_related("claim", "requested_by").first()
    )
    if req is None:
        return Outcome(Status.GONE)
    if req.status == SourceRequest.Status.FETCHED and req.source_id:
        return Outcome(Status.DONE, source_id=req.source_id)
    attempts = req.attempts + 1
    SourceRequest.objects.filter(pk=req.pk).update(attempts=attempts, updated_at=timezone.now())
    try:
        result = fetch(req.url, policy or fetch_policy())
        copy = archive.keep(result)
        fmt = "text" if result.content_type == "text/plain" else "html"
        parsed = read_article(result.body, fmt=fmt, url=result.final_url)
        source, _ = add_source(
            body=parsed.body,
            title=parsed.title,
            outlet=parsed.outlet or (urlsplit(result.final_url).hostname or ""),
            url=parsed.url or result.final_url,
            published_at=parsed.published_at,
            byline=parsed.byline,
            added_by=req.requested_by,
            archive=copy,
        )
    except FetchError as exc:
        retry = exc.transient and not final_attempt
        _record_failure(req, exc.reason, pending=retry)
        return Outcome(Status.RETRY if retry else Status.FAILED, exc.reason)
    except ArticleError as exc:
        reason = f"{req.url} could not be read: {exc.message}"
        _record_failure(req, reason, pending=False)
        return Outcome(Status.FAILED, reason)
    SourceRequest.objects.filter(pk=req.pk).update(
        status=SourceRequest.Status.FETCHED, source=source, last_error="", updated_at=timezone.now()
    )
    if req.claim_id:
        attach_source_to_claim(source.pk, req.claim_id)
    return Outcome(Status.DONE, source_id=source.pk)


def _record_failure(req: SourceRequest, reason: str, *, pending: bool) -> None:
    SourceRequest.objects.filter(pk=req.pk).update(
        status=SourceRequest.Status.PENDING if pending else SourceRequest.Status.FAILED,
        last_error=reason[:5000],
        updated_at=timezone.now(),
    )


def attach_source_to_claim(source_id: int, claim_id: int) -> dict:
    """Judge a source as a document for one claim, keep what speaks to it, re-corroborate.

    The corpus search may rank a reviewer's source below the evidence cap; attaching the
    passage the judge shows as Evidence first means corroboration always weighs the
    document (it reads every attached evidence's source). A document the judge finds
    unrelated to the claim is not attached: it says so in the result.
    """
    claim = Claim.objects.filter(pk=claim_id).select_related("article").first()
    if claim is None:
        return {"claim": claim_id, "skipped": True}
    candidate = candidate_from_claim(claim)
    doc = corpus.documents([source_id]).get(source_id)
    if doc is None:
        return {"claim": claim_id, "skipped": True, "reason": "the source has no passages"}
    terms = set(corpus.query_terms(claim.text, limit=64))
    overlap = [len(terms & set(corpus.query_terms(p.text, limit=64))) for p in doc.passages]
    focus = [i for i, n in enumerate(overlap) if n and n >= max(overlap) / 2]
    (decided,) = judge_documents(
        candidate,
        [dataclasses.replace(doc, focus=focus)],
        claim_published_at=claim.article.published_at,
        context=claim.article.body,
    )
    kept = []
    if decided.passage is not None and decided.judgement is not None:
        shown = Passage.objects.select_related("source").get(pk=decided.passage.passage_id)
        i = next(i for i, p in enumerate(doc.passages) if p.passage_id == shown.pk)
        kept.append((shown, decided.judgement, float(overlap[i])))
    with transaction.atomic():
        for p, j, rank in kept:
            Evidence.objects.update_or_create(
                claim=claim,
                passage=p,
                defaults={
                    "source_id": p.source_id,
                    "stance": j.stance,
                    "reason": j.reason,
                    "strength": j.strength,
                    "origin": p.source.origin,
                    "rank": rank,
                },
            )
    result = corroborate_claim(claim.pk, worker="fetch_source_request")
    result["attached"] = len(kept)
    if not kept:
        result["unrelated"] = True
    return result
