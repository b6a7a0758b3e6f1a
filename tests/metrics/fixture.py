"""A fixed history of claims, with hand-computed turnaround figures (hours from extraction).

Two full weeks before this one: week A (Monday A) and week B (A + 7 days). Offsets in hours
from Monday A 00:00 (local time):

    claim  extracted  first assigned  first ruled (by)        signed off
    c1     9          +2   (11)       +10  (19, alice)        +24 (33)
    c2     33         +4   (37)       +30  (63, alice)        +48 (81)
    c3     48         +1   (49)       +50  (98, alice)        -
    c4     90         +8   (98)       +72  (162, alice)       -
    c5     176 (B)    +3   (179)      +6   (182, fiona) ; reopened 190, ruled again 200
    c6     202 (B)    +2   (204) fiona; open
    c7     -240       never; open, unassigned: the oldest claim waiting

Week A: extracted 4 (c1-c4), ruled 4: to ruling [10, 30, 50, 72] -> median 40,
    p90 = 50 + 0.7 * (72 - 50) = 65.4; to assignment [1, 2, 4, 8] -> median 3,
    p90 = 4 + 0.7 * 4 = 6.8; signed off 2: [24, 48] -> median 36, p90 = 24 + 0.9 * 24 = 45.6.
Week B: extracted 2 (c5, c6), ruled 1 (c5 counts once, at its first ruling): [6] -> 6, 6;
    to assignment [3, 2] -> median 2.5, p90 = 2 + 0.9 * 1 = 2.9.
Overall: to ruling [6, 10, 30, 50, 72] -> median 30, p90 = 50 + 0.6 * 22 = 63.2;
    to assignment [1, 2, 2, 3, 4, 8] -> median 2.5, p90 = 4 + 0.5 * 4 = 6.0.
Per checker: alice 4 rulings, 0 open; fiona 2 rulings (c5 twice: work done), 1 open (c6).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from claims import metrics
from claims.models import Claim, ClaimState, Transition
from tests.factories import ClaimFactory

S = ClaimState


def monday_a():
    _, _, mondays = metrics.window(3)
    return timezone.make_aware(timezone.datetime.combine(mondays[0], timezone.datetime.min.time()))


def build(alice, fiona, *, sign_off: bool = True) -> dict[str, Claim]:
    a = monday_a()

    def at(h: float):
        return a + timedelta(hours=h)

    def claim(name, extracted, state, assignee=None, assigned=None):
        c = ClaimFactory()
        Claim.objects.filter(pk=c.pk).update(
            created_at=at(extracted),
            state=state,
            assignee=assignee,
            assigned_at=at(assigned) if assigned is not None else None,
            first_assigned_at=at(assigned) if assigned is not None else None,
        )
        return Claim.objects.get(pk=c.pk)

    def tr(c, from_state, to_state, hour, actor=None):
        Transition.objects.create(
            claim=c, from_state=from_state, to_state=to_state, actor=actor, created_at=at(hour)
        )

    claims = {
        "c1": claim("c1", 9, S.VERIFIED, alice, 11),
        "c2": claim("c2", 33, S.DISPUTED, alice, 37),
        "c3": claim("c3", 48, S.VERIFIED, alice, 49),
        "c4": claim("c4", 90, S.VERIFIED, alice, 98),
        "c5": claim("c5", 176, S.VERIFIED, fiona, 179),
        "c6": claim("c6", 202, S.CORROBORATING, fiona, 204),
        "c7": claim("c7", -240, S.EXTRACTED),
    }
    signed_at = {"c1": 33, "c2": 81} if sign_off else {}
    for name, extracted, ruled in (("c1", 9, 19), ("c2", 33, 63), ("c3", 48, 98), ("c4", 90, 162)):
        c = claims[name]
        tr(c, S.EXTRACTED, S.CORROBORATING, extracted + 0.1)
        if name in signed_at:
            # With sign-off: alice proposes the ruling, fiona signs it off (workflow.sign_off).
            tr(c, S.CORROBORATING, S.PROPOSED, ruled, alice)
            tr(c, S.PROPOSED, c.state, signed_at[name], fiona)
        else:
            tr(c, S.CORROBORATING, c.state, ruled, alice)
    c5 = claims["c5"]
    tr(c5, S.EXTRACTED, S.CORROBORATING, 176.1)
    tr(c5, S.CORROBORATING, S.DISPUTED, 182, fiona)
    tr(c5, S.DISPUTED, S.CORROBORATING, 190)
    tr(c5, S.CORROBORATING, S.VERIFIED, 200, fiona)
    tr(claims["c6"], S.EXTRACTED, S.CORROBORATING, 202.1)
    return claims
