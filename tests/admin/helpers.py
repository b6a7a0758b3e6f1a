"""Building claims with flags and evidence for the admin tests."""

from __future__ import annotations

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
    return Flag.objects.create(
        claim=claim,
        kind=kind,
        message=message or f"{kind} flag on claim {claim.pk}",
        evidence=evidence,
        key=key or f"test:{kind}",
    )
