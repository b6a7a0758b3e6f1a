"""Articles and sources in: intake, storage, and extraction into claims.

- Intake (`read_submission`): raw input (text, HTML, a file, a URL) to a ParsedArticle,
  with the same clear errors for the API and both commands: oversized, empty, binary or
  non-UTF-8 input, a malformed date or URL, each naming the field.
- Storage: `ingest_article` stores an article and queues it; `add_source` adds a
  document to the corpus and queues its matching against existing claims. Both are
  idempotent on content (the same text twice is one row).
- Processing (`process_article`): extract an article's claims, upsert them, and queue
  them for corroboration (`workers.corroborate`).

Every write here is idempotent, keyed on a unique constraint (claim span, flag kind and
key, content hash), because Celery on Redis delivers at least once and a crashed
worker's task runs again.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from analysis import types as t
from analysis.corroboration import origin_key
from analysis.corroboration.credits import relays_with_credits
from analysis.extraction import ArticleError, Extraction, extract, read_article
from claims import flags as flags_of
from claims import workflow
from claims.models import NORMALIZED_MAX, Article, Claim, ClaimState, Flag, Source, content_hash
from factcheck import queue, stagetimes
from workers import corpus
from workers.archive import keep as keep_archive
from workers.corroborate import enqueue_claims
from workers.fetching import FetchError, fetch
from workers.fetchpolicy import fetch_policy

# --- intake -----------------------------------------------------------------------------

_url_validator = URLValidator(schemes=["http", "https"])


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def validate_url(value: str, field: str = "url") -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        raise ArticleError(field, f"{value!r} is not a valid http(s) URL") from None
    return value


def parse_published(value: str | datetime | None, field: str = "published_at") -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(value.strip())
            if parsed is None:
                parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ArticleError(
                field,
                f"{value!r} is not an ISO 8601 date or date-time (e.g. 2025-01-31T09:25:00+01:00)",
            ) from None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def check_size(raw: bytes | str, field: str = "body") -> None:
    size = len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    if size > limit:
        raise ArticleError(field, f"the input is {size:,} bytes; the limit is {limit:,} bytes")
    if size == 0:
        raise ArticleError(field, "the input is empty")


def fmt_for(name: str, content_type: str = "") -> str:
    lowered = name.lower()
    if "html" in content_type or lowered.endswith((".html", ".htm")):
        return "html"
    if "json" in content_type or lowered.endswith(".json"):
        return "json"
    if content_type.startswith("text/plain") or lowered.endswith((".txt", ".md")):
        return "text"
    return "auto"


def read_path(path: str) -> tuple[bytes, str]:
    p = Path(path)
    if not p.is_file():
        raise ArticleError("path", f"{path}: no such file")
    limit = settings.FACTCHECK_MAX_ARTICLE_BYTES
    with p.open("rb") as fh:
        raw = fh.read(limit + 1)
    check_size(raw, "path")
    return raw, fmt_for(p.name)


def fetch_url(url: str) -> tuple[bytes, str, str]:
    """Fetch an article URL through the hardened client: (body, fmt, final url)."""
    validate_url(url, "url")
    try:
        result = fetch(url, fetch_policy(max_bytes=settings.FACTCHECK_MAX_ARTICLE_BYTES))
    except FetchError as exc:
        raise ArticleError("url", f"could not fetch {url}: {exc}") from None
    # Every fetch of an untrusted URL keeps its bytes (workers.archive).
    keep_archive(result)
    return result.body, fmt_for(result.final_url, result.content_type or ""), result.final_url


def parse_article(
    raw: bytes | str,
    *,
    fmt: str = "auto",
    url: str = "",
    title: str = "",
    outlet: str = "",
    byline: str = "",
    published: str | datetime | None = None,
) -> t.ParsedArticle:
    """Read an article and apply explicit metadata over what the reader found."""
    check_size(raw)
    url = validate_url(url)
    published_at = parse_published(published, "published") if published else None
    parsed = read_article(raw, fmt=fmt, url=url)
    if title:
        parsed.title = title
    if outlet:
        parsed.outlet = outlet
    if byline:
        parsed.byline = byline
    if url:
        parsed.url = url
    if published_at:
        parsed.published_at = published_at
    elif parsed.published_at is not None and timezone.is_naive(parsed.published_at):
        parsed.published_at = timezone.make_aware(
            parsed.published_at, timezone.get_default_timezone()
        )
    if parsed.url:
        parsed.url = validate_url(parsed.url)
    return parsed


def read_submission(
    target: str | None = None,
    *,
    text: str | bytes | None = None,
    html: str | bytes | None = None,
    url: str = "",
    title: str = "",
    outlet: str = "",
    byline: str = "",
    published: str | datetime | None = None,
) -> t.ParsedArticle:
    """The one intake: an article given as `html`, as `text`, or as a `target` that is a
    file path or an http(s) URL (fetched through the hardened client).

    `url` is the article's own address (for a fetched target, the address it ended at
    unless `url` says otherwise). Raises ArticleError naming the field at fault.
    """
    if html is not None:
        raw, fmt = html, "html"
    elif text is not None:
        raw, fmt = text, "text"
    elif target and is_url(target):
        raw, fmt, final_url = fetch_url(target)
        url = url or final_url
    elif target:
        raw, fmt = read_path(target)
    else:
        raise ArticleError("body", "give the article's text, its HTML, a file or a URL")
    return parse_article(
        raw, fmt=fmt, url=url, title=title, outlet=outlet, byline=byline, published=published
    )


# --- storage ----------------------------------------------------------------------------


def ingest_article(
    parsed: t.ParsedArticle, *, submitted_by=None, feed=None, archive=None
) -> tuple[Article, bool]:
    """Store an article (or find the same text already stored) and queue it for the workers.

    Returns (article, created). The same content twice gives the same article. An
    article that is not processed yet is queued again, which is harmless: processing
    is idempotent. `feed`: the watched feed it came from; `archive`: the archived copy of
    the page it was read from (both kept on an article that had none).
    """
    if not parsed.body.strip():
        raise ArticleError("body", "the article has no text")
    digest = content_hash(parsed.body)
    created = False
    with stagetimes.stage("store"), transaction.atomic():
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
                        feed=feed,
                        archive=archive,
                    )
                    created = True
            except IntegrityError:  # the same text arrived concurrently
                article = Article.objects.get(content_hash=digest)
        provenance = {
            name: value
            for name, value in (("feed", feed), ("archive", archive))
            if value is not None and getattr(article, f"{name}_id") is None
        }
        if provenance:
            Article.objects.filter(pk=article.pk).update(**provenance)
            for name, value in provenance.items():
                setattr(article, name, value)
        if article.source_id is None:
            source, _ = store_source(
                body=article.body,
                kind=Source.Kind.ARTICLE,
                title=article.title,
                byline=article.byline,
                outlet=article.outlet,
                url=article.url,
                published_at=article.published_at,
                archive_id=article.archive_id,
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
    """Queue an article for processing once the transaction commits (`force`: re-run it)."""
    if force:
        queue.later(queue.PROCESS_ARTICLE, article_id, True)
    else:
        queue.later(queue.PROCESS_ARTICLE, article_id)


def store_source(*, body: str, **fields) -> tuple[Source, bool]:
    digest = content_hash(body)
    # The relays declared, then the wires the text itself credits ("(AFP)", "— Reuters").
    relays = relays_with_credits(fields.pop("relays", None) or [], body, fields.get("byline", ""))
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
    archive=None,
) -> tuple[Source, bool]:
    """Add a document to the corpus, index it, and (once) match it against existing claims.

    `archive`: the archived copy of the fetch it was read from; kept on a document that
    had none (the same text fetched again keeps its first copy)."""
    if not body.strip():
        raise ArticleError("body", "the source has no text")
    with transaction.atomic():
        source, created = store_source(
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
            archive=archive,
        )
        if not created and archive is not None and source.archive_id is None:
            Source.objects.filter(pk=source.pk).update(archive=archive)
            source.archive = archive
        if created:
            corpus.index_source(source)
            if match:
                queue.later(queue.MATCH_SOURCE, source.pk)
    return source, created


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no fragment, no tracking parameters, no trailing slash."""
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


# --- processing -------------------------------------------------------------------------


def process_article(article_id: int, *, force: bool = False) -> list[int]:
    """Extract an article's claims and queue each for corroboration. Returns claim ids.

    A redelivered task for an article already processed does nothing (unless `force`,
    for an explicit re-run); a failed article stays failed until it is submitted again.
    """
    article = Article.objects.filter(pk=article_id).select_related("source").first()
    if article is None or article.status == Article.Status.FAILED:
        return []
    if article.status == Article.Status.PROCESSED and not force:
        # A redelivery: the first run committed. Its claims were queued after that commit,
        # but a worker killed between the commit and the send lost them; queue the ones
        # still uncorroborated again (corroboration is idempotent), so nothing waits for
        # the sweeper.
        claims = Claim.objects.filter(article=article).exclude(state=ClaimState.DISMISSED)
        pending = list(claims.filter(corroborated_at__isnull=True).values_list("id", flat=True))
        if pending:
            with transaction.atomic():
                enqueue_claims(pending)
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
        with stagetimes.stage("store"):
            corpus.index_source(article.source)
    with stagetimes.stage("extraction"):
        extraction = extract_article(article)
    stagetimes.count("articles")
    with stagetimes.stage("writes"), transaction.atomic():
        claim_ids = save_claims(article, extraction.claims)
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PROCESSED,
            sentences=[[s.start, s.end, s.checkworthiness] for s in extraction.sentences],
            last_error="",
            processed_at=timezone.now(),
            updated_at=timezone.now(),
        )
        enqueue_claims(claim_ids)
    return claim_ids


def extract_article(article: Article) -> Extraction:
    """The extractor on a stored article, at the service's threshold."""
    return extract(
        article.body,
        published_at=article.published_at,
        boilerplate=[tuple(span) for span in article.boilerplate or []],
        threshold=settings.FACTCHECK_CHECKWORTHY_THRESHOLD,
    )


def promote_sentence(article: Article, start: int, end: int, *, user) -> Claim:
    """Make a sentence the extractor scored below the threshold a claim, for a person.

    The sentence is read again exactly as extraction reads it (attribution, quantities,
    times, flags), stored like any claim (idempotent on its span: promoting twice is one
    claim) and queued for corroboration. Raises workflow.Forbidden without the right to
    rule, workflow.Invalid for a span that is not a claimable sentence of the article.
    """
    if not workflow.can_rule(user):
        raise workflow.Forbidden("Only fact-checkers can promote a sentence to a claim.")
    candidate = next(
        (c for c in extract_article(article).candidates if (c.start, c.end) == (start, end)),
        None,
    )
    if candidate is None:
        raise workflow.Invalid(
            f"characters {start}-{end} are not a sentence that can be a claim (questions, "
            "boilerplate and fragments are not)."
        )
    with transaction.atomic():
        [claim_id] = save_claims(article, [candidate])
        Claim.objects.filter(pk=claim_id, promoted_by__isnull=True).update(promoted_by=user)
        enqueue_claims([claim_id])
    return Claim.objects.get(pk=claim_id)


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


def claim_row(article: Article, c: t.ClaimCandidate) -> Claim:
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
    rows = [claim_row(article, c) for c in candidates]
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
    flags_of.add_article_flags(flags)
    return [by_span[(c.start, c.end)] for c in candidates]


def mark_article_failed(article_id: int, reason: str) -> None:
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, last_error=reason[:5000], updated_at=timezone.now()
    )
