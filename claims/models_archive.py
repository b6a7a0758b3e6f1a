"""Archived fetches: what an untrusted URL answered, kept as evidence.

Every fetch of a source, a watched article or another page the workers read keeps the
raw response body (gzip-compressed, in Django's storage API: `STORAGES["archive"]`), its
headers, the URL it ended at after redirects, when it was fetched, and the SHA-256 of the
body. `workers.archive` writes and serves them; this module only describes the row.

A row is unique per (url, sha256): fetching an unchanged page again adds nothing, a
changed page is a new row. `pinned` marks a copy that a ruling rests on (the evidence set
frozen at ruling, claims.frozen); pruning by age (`prune_archives`) leaves those alone.
Pruning deletes the bytes and keeps the row, so the hash and final URL stay on record.
"""

from __future__ import annotations

from django.db import models


class Archive(models.Model):
    url = models.URLField(max_length=2000, help_text="The URL asked for.")
    final_url = models.URLField(max_length=2000, help_text="The URL it ended at after redirects.")
    status = models.PositiveSmallIntegerField(help_text="HTTP status of the final response.")
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="The final response's headers.")
    # The hops before it: [{"status": 301, "url": ..., "location": ...}].
    redirects = models.JSONField(default=list, blank=True)
    address = models.CharField(max_length=64, blank=True, help_text="The IP address dialled.")
    fetched_at = models.DateTimeField()
    sha256 = models.CharField(
        max_length=64,
        help_text="SHA-256 of the response body, as served (Content-Encoding undone).",
    )
    size = models.PositiveIntegerField(help_text="Bytes in the body.")
    # Storage names (STORAGES["archive"]); blank once pruned.
    body_name = models.CharField(max_length=500, blank=True)
    warc_name = models.CharField(max_length=500, blank=True)
    pinned = models.BooleanField(
        default=False, help_text="A ruling rests on this copy: never pruned by age."
    )
    pruned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["url", "sha256"], name="archive_unique_url_sha256"),
        ]
        indexes = [models.Index(fields=["fetched_at"], name="archive_fetched_at_idx")]

    def __str__(self) -> str:
        return f"{self.final_url} ({self.sha256[:12]}…, {self.fetched_at:%Y-%m-%d %H:%M})"

    @property
    def available(self) -> bool:
        return bool(self.body_name) and self.pruned_at is None
