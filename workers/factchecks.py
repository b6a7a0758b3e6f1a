"""Fact-checks published elsewhere, in: files, URLs, API bodies, feeds, Fact Check Tools.

- `read_target(path_or_url)`: the document's text, size-capped before it is read (a file
  by its size on disk, a URL by the hardened client's decoded-byte cap).
- `import_document(text)`: parse it (`analysis.claimreview`), store every readable
  fact-check, and match the new and changed ones against the open claims.
- `store_factchecks(items)`: idempotent on the review URL, in one transaction, so an
  import either writes all its readable items or nothing. A re-import of the same item
  writes nothing; a changed one is updated and matched again.
- `poll_feed` / `due_feeds`: registered fact-check feeds, polled conditionally
  (ETag / Last-Modified) through the hardened client by beat.

Malformed items are skipped, counted and reported with their reason (ImportReport); a
document that cannot be read at all, or is over FACTCHECK_IMPORT_MAX_BYTES, raises
FactCheckImportError and writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis import matching as match_text
from analysis.claimreview import (
    ClaimReviewError,
    ParsedDocument,
    PublishedFactCheck,
    Skipped,
    parse_document,
    parse_json_value,
)
from claims.models import FactCheck, FactCheckFeed
from claims.publishing import review_url_key
from factcheck import queue
from workers import matching
from workers.fetching import DEFAULT_CONTENT_TYPES, FetchError, TooLarge, fetch
from workers.fetchpolicy import fetch_policy

log = logging.getLogger(__name__)

CONTENT_TYPES = (
    *DEFAULT_CONTENT_TYPES,
    "application/ld+json",
    "application/x-ndjson",
    "application/jsonl",
    "application/json-lines",
)
ACCEPT = "application/json, application/ld+json, application/x-ndjson, text/html;q=0.9, */*;q=0.1"
MATCH_BATCH = 200  # fact-checks per reverse-matching task


class FactCheckImportError(Exception):
    """A document refused as a whole (nothing written); `message` says why."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.message = message
        self.transient = transient


@dataclass
class ImportReport:
    origin: str
    format: str = ""
    imported: int = 0  # new fact-checks
    updated: int = 0  # known review URLs whose content changed
    unchanged: int = 0  # known review URLs, same content: nothing written
    skipped: list[Skipped] = field(default_factory=list)
    matched: int | None = None  # claim matches found (None: not run here)
    matching: str = "inline"  # inline (counted in `matched`), queue, or none
    factcheck_ids: list[int] = field(default_factory=list)  # new and changed

    def as_dict(self, max_reasons: int = 200) -> dict:
        return {
            "origin": self.origin,
            "format": self.format,
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "skipped_items": [
                {"position": s.position, "reason": s.reason} for s in self.skipped[:max_reasons]
            ],
            "matched": self.matched,
            "matching": self.matching,
            "factchecks": self.factcheck_ids,
        }

    def summary(self) -> str:
        if self.matched is not None:
            matched = f"{self.matched} matched"
        else:
            matched = "matching queued" if self.matching == "queue" else "not matched"
        return (
            f"{self.imported} imported, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped, {matched}"
        )


# --- reading -------------------------------------------------------------------------------


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def hint_for(name: str, content_type: str = "") -> str:
    lowered, ctype = name.lower().split("?")[0], content_type.lower()
    if "html" in ctype or lowered.endswith((".html", ".htm")):
        return "html"
    if "ndjson" in ctype or "jsonl" in ctype or "json-lines" in ctype:
        return "jsonl"
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if "json" in ctype or lowered.endswith(".json"):
        return "json"
    return ""


def read_target(target: str) -> tuple[str, str]:
    """(text, format hint) of a file path or an http(s) URL; FactCheckImportError if refused."""
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    if is_url(target):
        policy = fetch_policy(max_bytes=limit, allowed_content_types=CONTENT_TYPES)
        try:
            result = fetch(target, policy, accept=ACCEPT)
        except TooLarge as exc:
            raise FactCheckImportError(
                f"refused: {target} is over the import limit of {limit:,} bytes ({exc})"
            ) from None
        except FetchError as exc:
            raise FactCheckImportError(
                f"could not fetch {target}: {exc}", transient=exc.transient
            ) from None
        text = result.text if result.charset else _decode(result.body, target)
        return text, hint_for(result.final_url, result.content_type or "")
    path = Path(target)
    if not path.is_file():
        raise FactCheckImportError(f"{target}: no such file")
    size = path.stat().st_size
    if size > limit:
        raise FactCheckImportError(
            f"refused: {target} is {size:,} bytes; the import limit is {limit:,} bytes "
            "(FACTCHECK_IMPORT_MAX_BYTES)"
        )
    with path.open("rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:  # it grew while we looked
        raise FactCheckImportError(f"refused: {target} is over the import limit of {limit:,} bytes")
    return _decode(raw, target), hint_for(path.name)


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactCheckImportError(
            f"{where} is not UTF-8 text (byte {exc.start}); JSON and JSON-LD must be UTF-8"
        ) from None


def parse(text: str, hint: str = "") -> ParsedDocument:
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    size = len(text.encode("utf-8", "replace"))
    if size > limit:
        raise FactCheckImportError(
            f"refused: the document is {size:,} bytes; the import limit is {limit:,} bytes"
        )
    try:
        return parse_document(text, hint=hint, max_items=settings.FACTCHECK_IMPORT_MAX_ITEMS)
    except ClaimReviewError as exc:
        raise FactCheckImportError(f"not read: {exc.message}") from None


# --- storing -------------------------------------------------------------------------------


def import_document(
    text: str,
    *,
    hint: str = "",
    origin: str = "",
    user=None,
    feed: FactCheckFeed | None = None,
    match: str = "inline",
) -> ImportReport:
    """Parse, store and match one document. `match`: "inline" (the command: the report says
    how many claims matched), "queue" (API and feeds: after commit, in batches), "none"."""
    doc = parse(text, hint)
    report = ImportReport(origin=origin, format=doc.format, skipped=list(doc.skipped))
    store_factchecks(doc.items, report, user=user, feed=feed)
    finish_matching(report, match)
    return report


def import_value(data, *, origin: str, user=None, match: str = "queue") -> ImportReport:
    """`import_document` for a JSON value already parsed (the API's request body)."""
    try:
        doc = parse_json_value(data, max_items=settings.FACTCHECK_IMPORT_MAX_ITEMS)
    except ClaimReviewError as exc:
        raise FactCheckImportError(f"not read: {exc.message}") from None
    return import_parsed(doc, origin=origin, user=user, match=match)


def import_parsed(
    doc: ParsedDocument, *, origin: str, user=None, match: str = "inline"
) -> ImportReport:
    """`import_document` for items already parsed (Fact Check Tools pages)."""
    report = ImportReport(origin=origin, format=doc.format, skipped=list(doc.skipped))
    store_factchecks(doc.items, report, user=user)
    finish_matching(report, match)
    return report


def finish_matching(report: ImportReport, match: str) -> None:
    ids = report.factcheck_ids
    report.matching = match
    if match == "inline":
        report.matched = matching.match_factchecks(ids) if ids else 0
    elif match == "queue":
        with transaction.atomic():
            for k in range(0, len(ids), MATCH_BATCH):
                queue.later(queue.MATCH_FACTCHECKS, ids[k : k + MATCH_BATCH])
        report.matched = None if ids else 0


def store_factchecks(
    items: list[PublishedFactCheck], report: ImportReport, *, user=None, feed=None
) -> None:
    """Upsert by review URL in one transaction; fills the report's counts and ids."""
    rows: dict[str, tuple[PublishedFactCheck, str]] = {}
    for n, item in enumerate(items, 1):
        key = review_url_key(item.review_url)
        if key in rows:
            report.skipped.append(
                Skipped(f"fact-check {n}", f"the same review URL again ({item.review_url})")
            )
            continue
        rows[key] = (item, _digest(item))
    if not rows:
        return
    origin = report.origin[:2000]
    with transaction.atomic():
        existing: dict[str, FactCheck] = {}
        keys = list(rows)
        for k in range(0, len(keys), 1000):
            for fc in FactCheck.objects.filter(url_key__in=keys[k : k + 1000]).only(
                "id", "url_key", "content_hash"
            ):
                existing[fc.url_key] = fc
        new, changed = [], []
        for key, (item, digest) in rows.items():
            old = existing.get(key)
            if old is None:
                new.append(_row(FactCheck(url_key=key), item, digest, origin, user, feed))
            elif old.content_hash != digest:
                changed.append(
                    _row(FactCheck.objects.get(pk=old.pk), item, digest, origin, user, feed)
                )
            else:
                report.unchanged += 1
        # ignore_conflicts: an import of the same URL committed meanwhile keeps its row.
        FactCheck.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        for fc in changed:
            fc.save()
        created = {
            fc.url_key: fc
            for fc in FactCheck.objects.filter(url_key__in=[r.url_key for r in new]).only(
                "id", "url_key", "normalized", "content_hash"
            )
        }
        fresh = [fc for fc in created.values() if fc.content_hash == rows[fc.url_key][1]]
        matching.index_factchecks([*fresh, *changed])
        report.imported += len(fresh)
        report.unchanged += len(new) - len(fresh)
        report.updated += len(changed)
        report.factcheck_ids += sorted(fc.pk for fc in [*fresh, *changed])


FIELD_CAPS = {"publisher": 300, "title": 300, "rating_text": 300, "claimant": 300, "language": 35}


def _row(fc: FactCheck, item: PublishedFactCheck, digest: str, origin, user, feed) -> FactCheck:
    fc.review_url = item.review_url
    for name, cap in FIELD_CAPS.items():
        setattr(fc, name, (getattr(item, name) or "")[:cap])
    fc.publisher_url = item.publisher_url[:2000]
    fc.claim_reviewed = item.claim_reviewed
    fc.normalized = match_text.normalize_claim(item.claim_reviewed)
    fc.rating_value = item.rating_value
    fc.best_rating = item.best_rating
    fc.worst_rating = item.worst_rating
    fc.review_date = item.review_date
    fc.claim_date = item.claim_date
    fc.appearances = item.appearances
    fc.raw = item.raw
    fc.content_hash = digest
    fc.origin = origin
    fc.feed = feed
    fc.imported_by = user if user is not None and user.is_authenticated else None
    return fc


def _digest(item: PublishedFactCheck) -> str:
    blob = json.dumps(item.raw, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8", "replace")).hexdigest()


# --- feeds ---------------------------------------------------------------------------------


def due_feeds(now=None) -> list[int]:
    now = now or timezone.now()
    due = []
    for feed in FactCheckFeed.objects.filter(active=True).only(
        "id", "last_polled_at", "poll_interval_minutes"
    ):
        if (
            feed.last_polled_at is None
            or feed.last_polled_at + timedelta(minutes=feed.poll_interval_minutes) <= now
        ):
            due.append(feed.pk)
    return due


def poll_feed(feed_id: int) -> dict:
    """Fetch a registered feed conditionally, import what changed, queue the matching.

    Every outcome is recorded on the feed (last_result / last_error); a transient fetch
    failure is raised again for the task to retry, anything else is final for this poll.
    """
    feed = FactCheckFeed.objects.filter(pk=feed_id, active=True).first()
    if feed is None:
        return {"feed": feed_id, "skipped": True}
    limit = settings.FACTCHECK_IMPORT_MAX_BYTES
    policy = fetch_policy(max_bytes=limit, allowed_content_types=CONTENT_TYPES)
    now = timezone.now()
    try:
        result = fetch(
            feed.url,
            policy,
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
            accept=ACCEPT,
        )
    except FetchError as exc:
        FactCheckFeed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error=str(exc))
        if exc.transient:
            raise
        return {"feed": feed.pk, "error": str(exc)}
    if result.not_modified:
        FactCheckFeed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error="")
        return {"feed": feed.pk, "not_modified": True}
    try:
        text = result.text if result.charset else _decode(result.body, feed.url)
        report = import_document(
            text,
            hint=hint_for(result.final_url, result.content_type or ""),
            origin=f"feed {feed.pk}: {feed.url}",
            feed=feed,
            match="queue",
        )
    except FactCheckImportError as exc:
        FactCheckFeed.objects.filter(pk=feed.pk).update(last_polled_at=now, last_error=exc.message)
        return {"feed": feed.pk, "error": exc.message}
    FactCheckFeed.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        last_error="",
        etag=(result.etag or "")[:300],
        last_modified=(result.last_modified or "")[:100],
        last_result=report.as_dict(max_reasons=20),
    )
    return {"feed": feed.pk, **report.as_dict(max_reasons=5)}
