"""Reviewers' words on a claim: comments, and suggested verdicts (advisory, never a ruling).

Registered as models of the claims app by `claims.models`, like the alerts and archives.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Comment(models.Model):
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Suggestion(models.Model):
    """A reviewer's suggested verdict; advisory, never a ruling."""

    class Verdict(models.TextChoices):
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} suggests {self.verdict}"
