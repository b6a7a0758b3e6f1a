"""Turnaround metrics: how fast claims move from extraction to assignment, ruling, sign-off.

One function reads when each claim reached each milestone (`milestones`), so the figures
follow whatever the records hold:

- extracted: `Claim.created_at`;
- first assignment: `Claim.first_assigned_at` (kept by `claims.workflow.assign`);
- ruling: the claim's first Transition row that rules it (to verified or disputed from
  corroborating) or proposes a ruling (to proposed, when FACTCHECK_SIGNOFF_REQUIRED);
- sign-off: the claim's first Transition row from proposed to a ruled state (the second
  person's sign-off, `claims.workflow.sign_off`). Until a sign-off has been recorded,
  `sign_off_recorded` is false and those figures are null.

Per week (weeks start on Monday, in TIME_ZONE): claims extracted, ruled and signed off
that week, and the median and 90th percentile of the time from extraction to each
milestone reached that week. A week's figures count the events that happened in it, so a
closed week's figures never change. Per checker: open claims assigned (load) and rulings
made in the window. And the oldest claim still waiting for a ruling.

Percentiles interpolate linearly between the closest ranks (the usual definition:
PostgreSQL's percentile_cont, numpy's default), so the median of an even count is the
mean of the middle two. Times are in hours.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from claims.models import OPEN_STATES, RULED_STATES, Claim, ClaimState, Transition

# The two milestones as Transition filters: a ruling made (or proposed), and a proposal
# signed off by a second person.
RULING = Q(to_state=ClaimState.PROPOSED) | (
    Q(to_state__in=list(RULED_STATES)) & ~Q(from_state=ClaimState.PROPOSED)
)
SIGN_OFF = Q(from_state=ClaimState.PROPOSED, to_state__in=list(RULED_STATES))
SIGN_OFF_STATES: tuple[str, ...] = tuple(str(s) for s in RULED_STATES)
MILESTONES = ("assignment", "ruling", "sign_off")
DEFAULT_WEEKS = 12
MAX_WEEKS = 104


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0-100) with linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Spread:
    """How long claims took to reach a milestone: count, median, 90th percentile (hours)."""

    n: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None

    @classmethod
    def of(cls, hours: list[float]) -> Spread:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 2)

        return cls(len(hours), r(percentile(hours, 50)), r(percentile(hours, 90)))


@dataclass
class Week:
    week: str  # ISO date of its Monday
    extracted: int = 0
    ruled: int = 0
    signed_off: int | None = None
    to_assignment: Spread = field(default_factory=Spread)
    to_ruling: Spread = field(default_factory=Spread)
    to_sign_off: Spread | None = None


@dataclass
class Metrics:
    weeks: int
    since: str
    until: str
    timezone: str
    sign_off_recorded: bool
    sign_off_states: list[str]
    per_week: list[Week]
    overall: dict[str, Spread | None]
    per_checker: list[dict]
    oldest_waiting: dict | None

    def as_dict(self) -> dict:
        return asdict(self)


def window(weeks: int, now: datetime | None = None) -> tuple[datetime, datetime, list]:
    """[since, until) covering the last `weeks` weeks, this one included, and their Mondays."""
    now = timezone.localtime(now or timezone.now())
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    mondays = [(monday - timedelta(weeks=i)).date() for i in reversed(range(weeks))]
    since = monday - timedelta(weeks=weeks - 1)
    return since, monday + timedelta(weeks=1), mondays


def week_of(moment: datetime):
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).date()


def milestones(since: datetime, until: datetime) -> dict[str, list[tuple[datetime, datetime]]]:
    """(extracted at, reached at) for each claim that first reached each milestone in
    [since, until): the one place that reads the records (see the module docstring)."""
    assigned = list(
        Claim.objects.filter(first_assigned_at__gte=since, first_assigned_at__lt=until)
        .order_by()
        .values_list("created_at", "first_assigned_at")
    )

    def first(which: Q) -> list[tuple[datetime, datetime]]:
        # The first such transition of each claim (a claim ruled, reopened and ruled again
        # counts once, at its first ruling), when that falls in the window.
        rows = (
            Transition.objects.filter(which)
            .order_by()
            .values("claim_id", "claim__created_at")
            .annotate(at=Min("created_at"))
            .filter(at__gte=since, at__lt=until)
            .values_list("claim__created_at", "at")
        )
        return list(rows)

    return {
        "assignment": assigned,
        "ruling": first(RULING),
        "sign_off": first(SIGN_OFF),
    }


def hours(pairs: list[tuple[datetime, datetime]]) -> list[float]:
    # A clock step or a back-dated row never gives a negative turnaround.
    return [max(0.0, (reached - start).total_seconds() / 3600) for start, reached in pairs]


def compute(weeks: int = DEFAULT_WEEKS, *, now: datetime | None = None) -> Metrics:
    """Every figure of the Metrics page and `GET /api/metrics/`."""
    weeks = max(1, min(int(weeks), MAX_WEEKS))
    since, until, mondays = window(weeks, now)
    reached = milestones(since, until)
    sign_off_recorded = Transition.objects.filter(SIGN_OFF).exists()

    extracted = dict(
        Claim.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(week=TruncWeek("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("week")
        .annotate(n=Count("pk"))
    )
    extracted_by_week = {
        (w.date() if isinstance(w, datetime) else w): n for w, n in extracted.items()
    }
    by_week: dict[str, dict] = {m: {} for m in MILESTONES}
    for milestone, pairs in reached.items():
        for start, at in pairs:
            by_week[milestone].setdefault(week_of(at), []).append((start, at))

    per_week = []
    for monday in mondays:
        ruled = by_week["ruling"].get(monday, [])
        signed = by_week["sign_off"].get(monday, [])
        per_week.append(
            Week(
                week=monday.isoformat(),
                extracted=extracted_by_week.get(monday, 0),
                ruled=len(ruled),
                signed_off=len(signed) if sign_off_recorded else None,
                to_assignment=Spread.of(hours(by_week["assignment"].get(monday, []))),
                to_ruling=Spread.of(hours(ruled)),
                to_sign_off=Spread.of(hours(signed)) if sign_off_recorded else None,
            )
        )
    overall: dict[str, Spread | None] = {
        "to_assignment": Spread.of(hours(reached["assignment"])),
        "to_ruling": Spread.of(hours(reached["ruling"])),
        "to_sign_off": Spread.of(hours(reached["sign_off"])) if sign_off_recorded else None,
    }
    return Metrics(
        weeks=weeks,
        since=since.isoformat(),
        until=until.isoformat(),
        timezone=str(timezone.get_current_timezone()),
        sign_off_recorded=sign_off_recorded,
        sign_off_states=list(SIGN_OFF_STATES),
        per_week=per_week,
        overall=overall,
        per_checker=per_checker(since, until),
        oldest_waiting=oldest_waiting(now),
    )


def per_checker(since: datetime, until: datetime) -> list[dict]:
    """Open load (open claims assigned now) and rulings made in the window, per person."""
    load = dict(
        Claim.objects.filter(state__in=list(OPEN_STATES), assignee__isnull=False)
        .order_by()
        .values_list("assignee__username")
        .annotate(n=Count("pk"))
    )
    rulings = dict(
        Transition.objects.filter(
            RULING,
            actor__isnull=False,
            created_at__gte=since,
            created_at__lt=until,
        )
        .order_by()
        .values_list("actor__username")
        .annotate(n=Count("pk"))
    )
    signed = dict(
        Transition.objects.filter(
            SIGN_OFF,
            actor__isnull=False,
            created_at__gte=since,
            created_at__lt=until,
        )
        .order_by()
        .values_list("actor__username")
        .annotate(n=Count("pk"))
    )
    names = sorted(set(load) | set(rulings) | set(signed))
    rows = [
        {
            "username": name,
            "open": load.get(name, 0),
            "rulings": rulings.get(name, 0),
            "sign_offs": signed.get(name, 0),
        }
        for name in names
    ]
    return sorted(rows, key=lambda r: (-r["open"], -r["rulings"], r["username"]))


def oldest_waiting(now: datetime | None = None) -> dict | None:
    """The oldest claim not yet ruled (extracted or corroborating), with its age."""
    claim = (
        Claim.objects.filter(state__in=list(OPEN_STATES))
        .select_related("assignee")
        .order_by("created_at", "pk")
        .first()
    )
    if claim is None:
        return None
    age = (now or timezone.now()) - claim.created_at
    return {
        "id": claim.pk,
        "text": claim.text,
        "state": claim.state,
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "created_at": claim.created_at.isoformat(),
        "age_hours": round(age.total_seconds() / 3600, 2),
    }
