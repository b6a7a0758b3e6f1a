"""Building claims with flags and evidence for the admin tests."""

from __future__ import annotations

from django.utils import timezone

from claims.flags import refresh_priority
from claims.models import Evidence, Flag, Passage
from tests.factories import SourceFactory


def add_evidence(
    claim, stance: str, *, text: str = "A source passage about troops.", outlet: str = "Wire"
):
    source = SourceFactory(
        outlet=outlet, body=f"{text} ({claim.pk}, {stance}, {Evidence.objects.count()})"
    )
    passage = Passage.objects.create(source=source, position=0, start=0, end=len(text), text=text)
    return Evidence.objects.create(
        claim=claim,
        source=source,
        passage=passage,
        stance=stance,
        reason=f"{stance} the claim",
        origin=outlet,
    )


def add_flag(claim, kind: str, *, message: str = "", evidence=None, key: str = ""):
    """Raise a flag as the workers do: the flag, then the claim's priority."""
    flag = Flag.objects.create(
        claim=claim,
        kind=kind,
        message=message or f"{kind} flag on claim {claim.pk}",
        evidence=evidence,
        key=key or f"test:{kind}",
    )
    refresh_priority([claim.pk])
    return flag


def resolve_flag(flag, note: str = "resolved in a test"):
    """Resolve a flag as the admin does: the flag, then the claim's priority."""
    Flag.objects.filter(pk=flag.pk).update(resolved_at=timezone.now(), resolution_note=note)
    refresh_priority([flag.claim_id])
