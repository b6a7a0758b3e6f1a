"""The fact-checkers' work queues: which claims are in which queue, in what order, and
how healthy the queues are.

Everything here is a queryset or a single query, so the admin pages that use it cost a
fixed number of queries whatever their size, and little time: the priority is a stored
column (Claim.priority, kept by the code that raises and resolves flags) with an index in
the queue order; the evidence counts are correlated subqueries computed for the one page
shown; the per-queue counts are counted up to a cap, each on an index, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
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

# A claim is in the flagged queue when its worst open flag is one of those kinds: they
# are exactly the kinds at or above this severity, so the queue is a range of the
# priority index rather than a search through the flags.
FLAGGED_PRIORITY = min(FLAG_SEVERITY[k] for k in CONTRADICTION_KINDS)
assert {k for k, sev in FLAG_SEVERITY.items() if sev >= FLAGGED_PRIORITY} == set(
    CONTRADICTION_KINDS
), "the flagged queue's kinds must be the most severe ones"

DEFAULT_QUEUE = "todo"

# Queue sizes are counted up to a cap, each on an index, never by a scan of every claim:
# the tabs and the list itself up to 1,000 ("1,000+ claims", 10 pages of the queue's
# most urgent claims; further down, filter or search). A count reads up to cap + 1 rows
# on every page view: at 10,000 that was the page's dearest query (13 ms at 100,000 claims).
TAB_COUNT_CAP = 1_000
LIST_COUNT_CAP = 1_000


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
    Queue(
        "signoff",
        "Awaiting sign-off",
        "rulings proposed, waiting for a second fact-checker to sign them off or return them",
    ),
    Queue("reopened", "Reopened", "ruled once, sent back by new evidence"),
    Queue(
        "watched",
        "New from watched outlets",
        "open claims nobody has taken from articles that watched feeds brought in, "
        "most check-worthy first",
    ),
    Queue("ruled_today", "Ruled today", "verified or disputed since midnight"),
    Queue("all", "All claims", "every claim in every state"),
]
QUEUE_KEYS = {q.key for q in QUEUES}


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
        return is_open & Q(priority__gte=FLAGGED_PRIORITY)
    if key == "awaiting":
        return Q(state=ClaimState.CORROBORATING)
    if key == "signoff":
        return Q(state=ClaimState.PROPOSED)
    if key == "reopened":
        return Q(state=ClaimState.CORROBORATING, reopened=True)
    if key == "watched":
        return is_open & Q(assignee__isnull=True, article__feed__isnull=False)
    if key == "ruled_today":
        return Q(state__in=list(RULED_STATES), ruled_at__gte=start_of_today())
    if key == "all":
        return Q()
    raise ValueError(f"unknown queue {key!r}")


class QueueCount(int):
    """How many claims a queue holds: exact up to `cap`, else cap + 1, shown "1,000+"."""

    cap: int

    def __new__(cls, n: int, cap: int):
        count = super().__new__(cls, n)
        count.cap = cap
        return count

    @property
    def capped(self) -> bool:
        return self > self.cap

    @property
    def label(self) -> str:
        return f"{self.cap:,}+" if self.capped else f"{int(self):,}"


def capped_count_sql(qs: QuerySet, cap: int) -> tuple[str, tuple]:
    """SQL counting the rows of `qs`, stopping at cap + 1 (so it reads at most that many)."""
    inner = qs.order_by().values("pk")[: cap + 1]
    sql, params = inner.query.get_compiler(using=qs.db).as_sql()
    return f"SELECT COUNT(*) FROM ({sql}) AS capped", tuple(params)


def capped_count(qs: QuerySet, cap: int | None = None) -> QueueCount:
    cap = LIST_COUNT_CAP if cap is None else cap
    sql, params = capped_count_sql(qs, cap)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return QueueCount(cursor.fetchone()[0], cap)


def queue_counts(
    user, base: QuerySet | None = None, cap: int | None = None
) -> dict[str, QueueCount]:
    """How many claims each queue holds, in one query.

    Each queue is counted on its own index up to `cap` (TAB_COUNT_CAP), reading at most
    cap + 1 index entries per queue, not by scanning every claim: exact for the queues
    people work through, "1,000+" for the big ones.
    """
    base = Claim.objects.all() if base is None else base
    cap = TAB_COUNT_CAP if cap is None else cap
    parts = [capped_count_sql(base.filter(queue_q(q.key, user)), cap) for q in QUEUES]
    sql = "SELECT " + ", ".join(f"({part})" for part, _ in parts)
    params = tuple(p for _, ps in parts for p in ps)
    with connections[base.db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {q.key: QueueCount(n, cap) for q, n in zip(QUEUES, row, strict=True)}


def _count(qs: QuerySet) -> Coalesce:
    counted = qs.values("claim").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_priority(qs: QuerySet) -> QuerySet:
    """Annotate what the queue shows besides the stored priority: the evidence counts.

    Correlated subqueries in the select list: the database computes them for the rows of
    the page only (after the ORDER BY ... LIMIT, which the priority index answers).
    """
    return qs.annotate(
        n_supporting=_count(
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.SUPPORTS)
        ),
        n_contradicting=_count(
            Evidence.objects.filter(claim=OuterRef("pk"), stance=Evidence.Stance.CONTRADICTS)
        ),
    )


# Highest priority first: the worst open flag, then check-worthiness, then the oldest.
# The indexes claim_open_queue_idx and claim_queue_idx are in this order.
PRIORITY_ORDER = ("-priority", "-checkworthiness", "created_at", "pk")
# "New from watched outlets" is ranked by check-worthiness alone: it is where a checker
# picks what to take on next from what the outlets published.
CHECKWORTHINESS_ORDER = ("-checkworthiness", "created_at", "pk")


def queue_order(key: str | None) -> tuple[str, ...]:
    return CHECKWORTHINESS_ORDER if key == "watched" else PRIORITY_ORDER


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
