"""Archived evidence: keep what an untrusted URL answered, serve it back safely, prune it.

- `keep(result)`: after a fetch through the hardened client (`workers.fetching`), store
  the response body gzip-compressed in Django's storage API (`STORAGES["archive"]`: the
  filesystem under MEDIA_ROOT by default, any django-storages backend such as S3 by
  setting), with its headers, the redirect chain, the final URL, the fetch time and the
  SHA-256 of the body; optionally (FACTCHECK_ARCHIVE_WARC) also a WARC file written with
  warcio, so the capture replays in standard tools (pywb, ReplayWeb.page).
  Idempotent: one row per (url, sha256), and the stored names are derived from the digest,
  so a redelivered task or a re-fetch of an unchanged page writes nothing new.
- `download(archive)`: the archived copy as a download, never as a page of our origin:
  `Content-Disposition: attachment`, `text/plain` (or `application/warc`),
  `X-Content-Type-Options: nosniff` and a sandboxing CSP, whatever the page was.
- `prune(days)`: delete the bytes of copies older than the retention period, keeping the
  row (hash, final URL, headers) on record; copies a ruling rests on are pinned and kept.

The hash is of the body as the server sent it with any Content-Encoding undone (the
client decodes gzip/deflate): what a reader of the page got, byte for byte.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from http import HTTPStatus

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from claims.models import Archive
from workers.fetching import FetchResult

log = logging.getLogger(__name__)

STORAGE = "archive"
WARC_CONTENT_TYPE = "application/warc"
CHUNK = 64 * 1024
# Hop-by-hop and encoding headers describe the transfer, not the body we keep (decoded).
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


def storage():
    return storages[STORAGE]


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _names(url: str, sha: str) -> tuple[str, str]:
    # Content-addressed and per URL: the same bytes from the same URL is the same name.
    key = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    stem = f"{sha[:2]}/{sha[2:4]}/{sha}-{key}"
    return f"{stem}.body.gz", f"{stem}.warc.gz"


def _write(name: str, data: bytes) -> str:
    store = storage()
    if store.exists(name):
        return name
    return store.save(name, ContentFile(data))


def keep(result: FetchResult) -> Archive:
    """Archive one fetch result (a 2xx with a body); returns its row, new or not."""
    sha = digest(result.body)
    url = result.url[:2000]
    existing = Archive.objects.filter(url=url, sha256=sha).first()
    if existing is not None and existing.available:
        return existing
    now = timezone.now()
    body_name, warc_name = _names(url, sha)
    # mtime=0: the same bytes always compress to the same file.
    body_name = _write(body_name, gzip.compress(result.body, mtime=0))
    if settings.FACTCHECK_ARCHIVE_WARC:
        warc_name = _write(warc_name, warc_bytes(result, now))
    else:
        warc_name = ""
    fields = {
        "final_url": result.final_url[:2000],
        "status": result.status,
        "content_type": (result.content_type or "")[:200],
        "headers": dict(result.headers),
        "redirects": [
            {"status": r.status, "url": r.url, "location": r.location} for r in result.redirects
        ],
        "address": result.address or "",
        "fetched_at": now,
        "size": len(result.body),
        "body_name": body_name,
        "warc_name": warc_name,
        "pruned_at": None,
    }
    if existing is not None:
        # Pruned once and fetched again with the same bytes: the copy is back.
        Archive.objects.filter(pk=existing.pk).update(**fields)
        existing.refresh_from_db()
        return existing
    try:
        with transaction.atomic():
            return Archive.objects.create(url=url, sha256=sha, **fields)
    except IntegrityError:  # the same fetch archived concurrently
        return Archive.objects.get(url=url, sha256=sha)


def warc_bytes(result: FetchResult, fetched_at) -> bytes:
    """The fetch as a gzipped WARC file: a response record per redirect hop, then the final
    response with its body (Content-Encoding undone, so the payload is what we hashed)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.timeutils import datetime_to_iso_date
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    date = datetime_to_iso_date(fetched_at)

    def status_line(code: int) -> str:
        try:
            return f"{code} {HTTPStatus(code).phrase}"
        except ValueError:
            return str(code)

    for hop in result.redirects:
        headers = StatusAndHeaders(
            status_line(hop.status),
            [("Location", hop.location), ("Content-Length", "0")],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                hop.url,
                "response",
                payload=io.BytesIO(b""),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
        )
    kept = [(k, v) for k, v in result.headers.items() if k.lower() not in _TRANSFER_HEADERS]
    kept.append(("Content-Length", str(len(result.body))))
    warc_headers = {"WARC-Date": date}
    if result.address:
        warc_headers["WARC-IP-Address"] = result.address
    writer.write_record(
        writer.create_warc_record(
            result.final_url,
            "response",
            payload=io.BytesIO(result.body),
            http_headers=StatusAndHeaders(status_line(result.status), kept, protocol="HTTP/1.1"),
            warc_headers_dict=warc_headers,
        )
    )
    return out.getvalue()


def read_body(archive: Archive) -> bytes:
    """The archived body (for checks and tests; downloads stream instead)."""
    if not archive.available:
        raise FileNotFoundError(f"archive {archive.pk} was pruned")
    with storage().open(archive.body_name, "rb") as fh, gzip.GzipFile(fileobj=fh) as gz:
        return gz.read()


def _stream(name: str, *, decompress: bool) -> Iterator[bytes]:
    with storage().open(name, "rb") as fh:
        reader = gzip.GzipFile(fileobj=fh) if decompress else fh
        while chunk := reader.read(CHUNK):
            yield chunk


def download(archive: Archive | None, *, warc: bool = False) -> StreamingHttpResponse:
    """The archived copy as an attachment that no browser renders as a page of ours."""
    if archive is None:
        raise Http404("This document has no archived copy.")
    if not archive.available:
        raise Http404(f"The archived copy was pruned on {archive.pruned_at:%Y-%m-%d}.")
    if warc and not archive.warc_name:
        raise Http404("No WARC record was written for this copy (FACTCHECK_ARCHIVE_WARC).")
    if warc:
        response = StreamingHttpResponse(
            _stream(archive.warc_name, decompress=False), content_type=WARC_CONTENT_TYPE
        )
        filename = f"archive-{archive.pk}-{archive.sha256[:12]}.warc.gz"
    else:
        response = StreamingHttpResponse(
            _stream(archive.body_name, decompress=True), content_type="text/plain"
        )
        response["Content-Length"] = str(archive.size)
        filename = f"archive-{archive.pk}-{archive.sha256[:12]}.txt"
        # RFC 9530: the digest of the bytes sent, for anyone checking the copy.
        b64 = base64.b64encode(bytes.fromhex(archive.sha256)).decode("ascii")
        response["Repr-Digest"] = f"sha-256=:{b64}:"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Belt and braces: even a browser that ignored the rest would run nothing of it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Archive-SHA256"] = archive.sha256
    response["Cache-Control"] = "private, no-store"
    return response


def retention_cutoff(days: int | None = None, now=None):
    """The fetch time before which copies are pruned; None when retention is off (0)."""
    days = settings.FACTCHECK_ARCHIVE_RETENTION_DAYS if days is None else days
    if not days:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def prune(days: int | None = None, *, dry_run: bool = False, now=None) -> dict:
    """Delete the bytes of copies fetched before the retention period; keep their rows.

    Pinned copies (a ruling rests on them) are kept. Returns what was (or, with
    `dry_run`, would be) pruned.
    """
    cutoff = retention_cutoff(days, now)
    if cutoff is None:
        return {"cutoff": None, "pruned": 0, "bytes": 0, "kept_pinned": 0}
    now = now or timezone.now()
    due = Archive.objects.filter(fetched_at__lt=cutoff, pruned_at__isnull=True)
    pinned = due.filter(pinned=True).count()
    pruned = freed = 0
    store = storage()
    for pk, body_name, warc_name, size in (
        due.filter(pinned=False).values_list("pk", "body_name", "warc_name", "size").iterator()
    ):
        pruned += 1
        freed += size
        if dry_run:
            continue
        for name in (body_name, warc_name):
            if not name:
                continue
            # Another URL with the same bytes has its own name, so this file is this row's.
            try:
                store.delete(name)
            except OSError as exc:
                log.warning("archive %s: could not delete %s (%s)", pk, name, exc)
        Archive.objects.filter(pk=pk).update(body_name="", warc_name="", pruned_at=now)
    return {"cutoff": cutoff.isoformat(), "pruned": pruned, "bytes": freed, "kept_pinned": pinned}
