"""How much a qualifier lets a number move, and when two numbers agree.

Chosen tolerances (the product brief's example "about 11,000" vs "12,000" must be a
discrepancy, and "two weeks" vs "about three weeks" too):

- approximate ("about", "around", "some", "roughly", "an estimated"): +-5 % of the value
  for counts and durations; +-5 percentage points for shares. Word fractions ("half",
  "a third") count as approximate. So "about 11,000" allows 10,450-11,550 and 12,000 is a
  discrepancy (9 % off); "about three weeks" allows 20-22 days and two weeks is one.
- "nearly"/"almost"/"close to": from 5 % (or 5 points) below up to the value.
- "over"/"more than"/"at least": the value and anything above it. Against a point
  estimate ("about half") a one-sided claim ("over 50%") needs the estimate to lie
  beyond its bound: a source saying about 50% does not bear out "more than 50%".
- "up to"/"as many as": zero up to the value; "under"/"fewer than": below the value.
- no qualifier or "exactly": the value itself.

Two point-like values (no bound qualifier) agree when they differ by no more than the
larger of their two tolerances (tolerances do not add up: "about 11,000" and
"about 12,000" disagree). When either side is a bound, they agree when the intervals
overlap. Dates agree when their periods overlap ("last November" vs "October": no).
"""

from __future__ import annotations

import math

APPROX_REL = 0.05  # +-5 % for counts and durations
APPROX_POINTS = 5.0  # +-5 percentage points for shares
BOUNDS = ("over", "up_to", "under")


def _band(value: float, kind: str) -> float:
    return APPROX_POINTS if kind == "percent" else abs(value) * APPROX_REL


def interval(value: float, qualifier: str, kind: str) -> tuple[float, float]:
    band = _band(value, kind)
    if qualifier == "about":
        return value - band, value + band
    if qualifier == "nearly":
        return value - band, value
    if qualifier == "over":
        return value, math.inf
    if qualifier == "up_to":
        return 0.0, value
    if qualifier == "under":
        return 0.0, value
    return value, value


def tolerance(value: float, qualifier: str, kind: str) -> float:
    return _band(value, kind) if qualifier in ("about", "nearly") else 0.0


def agree(
    a_value: float,
    a_low: float,
    a_high: float,
    a_qual: str,
    b_value: float,
    b_low: float,
    b_high: float,
    b_qual: str,
    kind: str,
) -> bool:
    eps = 1e-9
    if kind == "date":
        return a_low <= b_high + eps and b_low <= a_high + eps
    for bound_qual, bound, other_qual, other in (
        (a_qual, a_value, b_qual, b_value),
        (b_qual, b_value, a_qual, a_value),
    ):
        if other_qual in BOUNDS:
            continue
        if bound_qual == "over":
            return other > bound + eps
        if bound_qual == "under":
            return other < bound - eps
    if a_qual in BOUNDS or b_qual in BOUNDS or a_qual == "nearly" or b_qual == "nearly":
        return a_low <= b_high + eps and b_low <= a_high + eps
    tol = max(tolerance(a_value, a_qual, kind), tolerance(b_value, b_qual, kind))
    if kind != "percent":
        # relative tolerance measured on the larger value, so the test is symmetric
        tol = max(tol, 0.0)
        if a_qual == "about" or b_qual == "about":
            tol = APPROX_REL * max(abs(a_value), abs(b_value))
    return abs(a_value - b_value) <= tol + eps
