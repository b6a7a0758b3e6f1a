"""The evidence set frozen into a ruling: what a published verdict rested on.

`claims.workflow.rule` calls `freeze(claim)` inside the ruling's transaction and stores
the result on the ruling's Transition row (`Transition.evidence`). Each entry names the
evidence (stance, reason, the passage quoted) and its source as it was at that moment:
title, outlet, URL, the SHA-256 of its text (`Source.content_hash`) and, when the source
was fetched, its archived copy (id, SHA-256 of the bytes, final URL, fetch time). Those
archived copies are pinned, so pruning by age never removes what a verdict rests on.
A source changing later is a new Source with a new hash; the frozen set still names the
old one.
"""

from __future__ import annotations

from claims.models import Archive, Evidence

PASSAGE_MAX = 1000  # characters of the quoted passage kept in the snapshot


def freeze(claim) -> list[dict]:
    """The claim's evidence now, as JSON, and its archived copies pinned (one query each)."""
    rows = list(
        Evidence.objects.filter(claim_id=claim.pk)
        .select_related("source", "source__archive", "passage")
        .order_by("-rank", "id")
    )
    snapshot = [_entry(ev) for ev in rows]
    pinned = {ev.source.archive_id for ev in rows if ev.source.archive_id}
    if pinned:
        Archive.objects.filter(pk__in=pinned, pinned=False).update(pinned=True)
    return snapshot


def _entry(ev: Evidence) -> dict:
    source = ev.source
    archive = source.archive
    return {
        "evidence": ev.pk,
        "stance": ev.stance,
        "reason": ev.reason,
        "passage": ev.passage.text[:PASSAGE_MAX],
        "source": {
            "id": source.pk,
            "title": source.title,
            "outlet": source.outlet,
            "url": source.url,
            "published_at": source.published_at.isoformat() if source.published_at else None,
            "content_hash": source.content_hash,
            "archive": None
            if archive is None
            else {
                "id": archive.pk,
                "sha256": archive.sha256,
                "final_url": archive.final_url,
                "fetched_at": archive.fetched_at.isoformat(),
            },
        },
    }
