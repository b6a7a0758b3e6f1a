"""Flags: the one module that raises, resolves and ranks them.

- `raise_flags`: workers raise flags found by corroboration, once each (unique on claim,
  kind and key); each new flag records a `claim.flagged` event and the followers' alerts
  (`claims.alerts`) in the same transaction.
- `add_article_flags`: the flags extraction found in the article itself, saved with the
  claims.
- `resolve_open`: a worker resolves flags that no longer hold (evidence turned up).
- `resolve_by_hand`: a fact-checker resolves one flag with a note (compare-and-swap, so
  two people resolving at once keep the first note).
- `refresh_priority`: every function above keeps Claim.priority, the worst open flag's
  severity, in step, because that is what the work queues sort by.
Healthchecks' `Check.create_flip` is the model: one owner for one concept.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from analysis import types as t
from claims import alerts, events
from claims.models import FLAG_SEVERITY, Claim, Evidence, Flag

# A request to raise one flag: the claim, what was found, the evidence behind it (if
# any), and the key that makes it the same flag when a worker raises it again.
FlagRequest = tuple[Claim, t.ClaimFlag, Evidence | None, str]


def severity_case() -> models.Case:
    """A flag's severity in SQL (FLAG_SEVERITY; 1 for a kind not in it)."""
    return models.Case(
        *[models.When(kind=kind, then=models.Value(sev)) for kind, sev in FLAG_SEVERITY.items()],
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


def open_flags(kinds: Iterable[str] | None = None) -> models.QuerySet[Flag]:
    """Open flags of the outer claim (for Exists()/Subquery in a claim queryset)."""
    flags = Flag.objects.filter(claim=OuterRef("pk"), resolved_at__isnull=True)
    if kinds is not None:
        flags = flags.filter(kind__in=list(kinds))
    return flags


def with_open_flag(qs: models.QuerySet[Claim], kinds: Iterable[str] | None = None):
    """Claims of `qs` with an open flag (of one of `kinds`)."""
    return qs.filter(Exists(open_flags(kinds)))


def refresh_priority(claim_ids: Iterable[int]) -> int:
    """Recompute Claim.priority (the worst open flag's severity) for these claims.

    The one place the priority is computed: called after raising or resolving flags,
    in the same transaction. Two queries whatever the number of claims: the claims are
    locked first (in id order) so that the UPDATE, a statement of its own, sees the flags
    of a concurrent transaction that held the lock and committed; on its own, an UPDATE
    that waited for a row lock would recompute from its older snapshot and lose them.
    """
    ids = sorted({int(i) for i in claim_ids})
    if not ids:
        return 0
    worst = (
        Flag.objects.filter(claim=models.OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("claim")
        .annotate(worst=models.Max(severity_case()))
        .values("worst")
    )
    with transaction.atomic(savepoint=False):
        locked = Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        list(locked.values_list("pk"))
        return Claim.objects.filter(pk__in=ids).update(
            priority=Coalesce(
                models.Subquery(worst, output_field=models.IntegerField()), models.Value(0)
            )
        )


def add_article_flags(rows: list[Flag]) -> None:
    """Save the flags extraction found in the article (idempotent on claim, kind, key)."""
    Flag.objects.bulk_create(rows, ignore_conflicts=True)
    refresh_priority({f.claim_id for f in rows})


def raise_flags(requests: list[FlagRequest], *, refresh: bool = True) -> list[Flag]:
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
            obj, new = Flag.objects.get_or_create(
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
                created.append(obj)
    if not created:
        return []
    if refresh:
        # New open flags may be their claims' worst: their place in the work queues.
        refresh_priority({flag.claim_id for flag in created})
    hooks = events.subscribed("claim.flagged")
    if hooks:
        claims = {claim.pk: claim for claim, _ in fresh.values()}
        for flag in created:
            events.emit(
                "claim.flagged",
                claims[flag.claim_id],
                key=f"flag:{flag.pk}",
                extra={"flag": {"id": flag.pk, "kind": flag.kind, "message": flag.message}},
                hooks=hooks,
            )
    # People following these claims hear of the new flags (alert rows, this transaction).
    alerts.claims_flagged(created)
    return created


def resolve_open(claim_ids: Iterable[int], kind: str, note: str) -> set[int]:
    """A worker resolves the open flags of `kind` on these claims; returns the claims
    whose flags it resolved. The caller refreshes their priority (once for all it did)."""
    ids = list(claim_ids)
    if not ids:
        return set()
    flags = Flag.objects.filter(claim_id__in=ids, kind=kind, resolved_at__isnull=True)
    hit = set(flags.values_list("claim_id", flat=True))
    if hit:
        flags.update(resolved_at=timezone.now(), resolution_note=note)
    return hit


def resolve_by_hand(flag: Flag, *, user, note: str) -> bool:
    """A person resolves one flag with a note. False when it was already resolved (by a
    worker or someone else first): compare-and-swap on "still open", so the first note
    stays. The caller checks the permission (`claims.resolve_flag`)."""
    with transaction.atomic():
        resolved = Flag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=user, resolution_note=note
        )
        if resolved:
            # The claim's worst open flag may have been this one: its queue position.
            refresh_priority([flag.claim_id])
    return bool(resolved)
