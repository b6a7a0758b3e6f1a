"""The fact-checkers' work queues: which claims are in which queue, in what order, and
how healthy the queues are.

Everything here is a queryset or an aggregate, so the admin pages that use it cost a
fixed number of queries whatever their size: the priority and the evidence counts are
correlated subqueries (not joins, which would multiply rows and need DISTINCT), and
the per-queue counts are one conditional aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from claims.models import (
    FLAG_SEVERITY,
    OPEN_STATES,
    RULED_STATES,
    Claim,
    ClaimState,
    Evidence,
    Flag,
    FlagKind,
    Transition,
)
from claims.roles import FACT_CHECKERS

# The kinds that mean a source (or the article itself) says something else: the
# "flagged contradictions" queue.
CONTRADICTION_KINDS = (
    FlagKind.CONTRADICTED,
    FlagKind.NUMERIC_DISCREPANCY,
    FlagKind.LATER_UPDATE,
    FlagKind.INTERNAL_INCONSISTENCY,
)

DEFAULT_QUEUE = "todo"


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    help: str


QUEUES = [
    Queue("todo", "My queue", "open claims assigned to me or to nobody"),
    Queue("mine", "My claims", "open claims assigned to me"),
    Queue("unassigned", "Unassigned", "open claims nobody has taken"),
    Queue(
        "flagged",
        "Flagged contradictions",
        "open claims a source contradicts, updates or gives other numbers for",
    ),
    Queue("awaiting", "Awaiting ruling", "corroborated, waiting for a fact-checker's ruling"),
    Queue("reopened", "Reopened", "ruled once, sent back by new evidence"),
    Queue("ruled_today", "Ruled today", "verified or disputed since midnight"),
    Queue("all", "All claims", "every claim in every state"),
]
QUEUE_KEYS = {q.key for q in QUEUES}


def _open_flags(kinds=None):
    flags = Flag.objects.filter(claim=OuterRef("pk"), resolved_at__isnull=True)
    if kinds is not None:
        flags = flags.filter(kind__in=list(kinds))
    return flags


def start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def queue_q(key: str, user) -> Q:
    """The filter for one queue, as a Q so it works in .filter() and in Count(filter=)."""
    is_open = Q(state__in=list(OPEN_STATES))
    if key == "todo":
        return is_open & (Q(assignee=user) | Q(assignee__isnull=True))
    if key == "mine":
        return is_open & Q(assignee=user)
    if key == "unassigned":
        return is_open & Q(assignee__isnull=True)
    if key == "flagged":
        return is_open & Q(Exists(_open_flags(CONTRADICTION_KINDS)))
    if key == "awaiting":
        return Q(state=ClaimState.CORROBORATING)
    if key == "reopened":
        return Q(state=ClaimState.CORROBORATING, reopened=True)
    if key == "ruled_today":
        return Q(state__in=list(RULED_STATES), ruled_at__gte=start_of_today())
    if key == "all":
        return Q()
    raise ValueError(f"unknown queue {key!r}")


def queue_counts(user, base: QuerySet | None = None) -> dict[str, int]:
    """How many claims each queue holds, in one query."""
    base = Claim.objects.all() if base is None else base
    return base.aggregate(**{q.key: Count("pk", filter=queue_q(q.key, user)) for q in QUEUES})


def severity_case() -> Case:
    return Case(
        *[When(kind=kind, then=Value(sev)) for kind, sev in FLAG_SEVERITY.items()],
        default=Value(1),
        output_field=IntegerField(),
    )


def _count(qs: QuerySet) -> Coalesce:
    counted = qs.values("claim").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_priority(qs: QuerySet) -> QuerySet:
    """Annotate what the queue shows and sorts by: the worst open flag, evidence counts."""
    worst = _open_flags().values("claim").annotate(worst=Max(severity_case())).values("worst")
    return qs.annotate(
        flag_severity=Coalesce(Subquery(worst, output_field=IntegerField()), Value(0)),
        n_supporting=_count(
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.SUPPORTS)
        ),
        n_contradicting=_count(
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.CONTRADICTS)
        ),
    )


# Highest priority first: the worst open flag, then check-worthiness, then the oldest.
PRIORITY_ORDER = ("-flag_severity", "-checkworthiness", "created_at", "pk")


def fact_checkers() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name=FACT_CHECKERS) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


@dataclass
class Health:
    per_state: list[tuple[str, str, int]]
    oldest_awaiting: Claim | None
    oldest_awaiting_age: timedelta | None
    open_per_checker: list[tuple[str, int]]
    unassigned_open: int
    ruled_per_day: list[tuple[object, int]]


def queue_health(days: int = 14) -> Health:
    """The queue-health numbers for the dashboard; five queries whatever the volume."""
    counts = dict(Claim.objects.values_list("state").annotate(n=Count("pk")).order_by())
    per_state = [(s.value, s.label, counts.get(s.value, 0)) for s in ClaimState]
    oldest = (
        Claim.objects.filter(state=ClaimState.CORROBORATING)
        .select_related("article")
        .order_by("created_at", "pk")
        .first()
    )
    age = timezone.now() - oldest.created_at if oldest else None
    open_claims = Claim.objects.filter(state__in=list(OPEN_STATES))
    per_checker = list(
        open_claims.filter(assignee__isnull=False)
        .values_list("assignee__username")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignee__username")
    )
    unassigned = open_claims.filter(assignee__isnull=True).count()
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
    # Counted from the transition log, so a claim ruled, reopened and ruled again counts
    # on both days: this is work done, not claims standing.
    by_day = dict(
        Transition.objects.filter(to_state__in=list(RULED_STATES), created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ruled = [
        (first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0)) for i in range(days)
    ]
    return Health(per_state, oldest, age, per_checker, unassigned, ruled)
