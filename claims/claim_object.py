"""The claim object of GET /api/claims/{id}/ read in one PostgreSQL statement.

`report.claim_dict(detail=True)` over `report.claims_for_detail()` costs nine queries,
and most of a request's time went to the ORM compiling them (select_related with every
column of the user table, eight prefetches) and building model instances. Here one
hand-written statement reads the claim, its assignee, its ruling's rating and, as JSON
arrays, its flags, evidence (passage and source), comments, suggestions, transitions,
open proposal and matching fact-checks. The rows become light records with the
attributes the `report` functions read, and `claim_dict` itself builds the object, so
the two paths give the same JSON (tests/api/test_claim_object.py compares them).
Other databases (the embedded SQLite default) use the ORM path.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection

from claims.models import Claim, Comment, Evidence, Flag, Passage, Source, Suggestion, Transition
from claims.publishing import FactCheck, FactCheckMatch, Rating, Ruling


def available() -> bool:
    return connection.vendor == "postgresql"


class Rows(list):
    """A prefetched relation: `claim.flags.all()` as claim_dict reads it."""

    def all(self):
        return self


class User:
    """A user as the claim object shows one: the username."""

    def __init__(self, username: str):
        self.username = username

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return self.username


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


def _float(value) -> float | None:
    # JSON writes the double 3.0 as 3; the ORM reads a FloatField as 3.0.
    return None if value is None else float(value)


def _user(name: str | None) -> User | None:
    return None if name is None else User(name)


@cache
def _sql() -> str:
    user_model = get_user_model()
    users = _t(user_model)
    uname = connection.ops.quote_name(user_model._meta.get_field(user_model.USERNAME_FIELD).column)

    def username(fk: str) -> str:
        return f"(SELECT u.{uname} FROM {users} u WHERE u.id = {fk})"

    flags = f"""SELECT json_agg(json_build_array(f.id, f.kind, f.message, f.evidence_id,
            f.span_start, f.span_end, f.resolved_at, f.resolution_note)
            ORDER BY f.created_at, f.id) FROM {_t(Flag)} f WHERE f.claim_id = c.id"""
    evidence = f"""SELECT json_agg(json_build_array(e.id, e.stance, e.reason, e.strength,
            e.origin, p.text, p.start, p."end", s.id, s.title, s.outlet, s.url,
            s.published_at, s.relays) ORDER BY e.rank DESC, e.id)
        FROM {_t(Evidence)} e JOIN {_t(Passage)} p ON p.id = e.passage_id
        JOIN {_t(Source)} s ON s.id = e.source_id WHERE e.claim_id = c.id"""
    comments = f"""SELECT json_agg(json_build_array(m.id, {username("m.author_id")}, m.body,
            m.created_at, m.updated_at) ORDER BY m.created_at, m.id)
        FROM {_t(Comment)} m WHERE m.claim_id = c.id"""
    suggestions = f"""SELECT json_agg(json_build_array(g.id, {username("g.author_id")},
            g.verdict, g.note, g.created_at) ORDER BY g.created_at, g.id)
        FROM {_t(Suggestion)} g WHERE g.claim_id = c.id"""
    transitions = f"""SELECT json_agg(json_build_array(t.id, t.from_state, t.to_state,
            t.actor_id, {username("t.actor_id")}, t.worker, t.reason, t.created_at, t.evidence)
            ORDER BY t.created_at, t.id) FROM {_t(Transition)} t WHERE t.claim_id = c.id"""
    proposals = f"""SELECT json_agg(json_build_array(r.id, r.number, r.status, rt.slug,
            r.rating_label, r.rating_value, r.verdict, r.rationale, r.correction_note,
            {username("r.proposed_by_id")}, r.created_at, {username("r.signed_off_by_id")},
            r.signed_off_at, r.signoff_note, {username("r.returned_by_id")}, r.returned_at,
            r.return_note, r.published_at) ORDER BY r.number)
        FROM {_t(Ruling)} r JOIN {_t(Rating)} rt ON rt.id = r.rating_id
        WHERE r.claim_id = c.id AND r.status = %s"""
    matches = f"""SELECT json_agg(json_build_array(x.factcheck_id, k.publisher, k.review_url,
            k.claim_reviewed, k.rating_text, k.rating_value, k.review_date, k.language,
            x.score, x.kind, x.flag_id) ORDER BY x.score DESC, x.id)
        FROM {_t(FactCheckMatch)} x JOIN {_t(FactCheck)} k ON k.id = x.factcheck_id
        WHERE x.claim_id = c.id"""
    return f"""
    SELECT c.id, c.article_id, c.text, c.start, c."end", c.appearances::text, c.normalized,
        c.state, c.checkworthiness, c.claim_type, c.attribution::text, c.hedges::text,
        c.certainty, c.quantities::text, c.times::text, c.recheck_after,
        c.recommended_verdict, c.analysis_error, c.recommendation_confidence,
        c.recommendation_reason, c.assignee_id, {username("c.assignee_id")}, c.rationale,
        c.same_as_id, c.similar::text, c.updated_at, c.ruled_at,
        c.ruling_id, cr.rating_label, cr.rating_value, crt.slug,
        ({flags})::text, ({evidence})::text, ({comments})::text, ({suggestions})::text,
        ({transitions})::text, ({proposals})::text, ({matches})::text
    FROM {_t(Claim)} c
    LEFT JOIN {_t(Ruling)} cr ON cr.id = c.ruling_id
    LEFT JOIN {_t(Rating)} crt ON crt.id = cr.rating_id
    WHERE c.id = %s
    """


def _array(text: str | None) -> list:
    return json.loads(text) if text else []


def fetch(pk: int) -> SimpleNamespace | None:
    """The claim `pk` as a record `report.claim_dict(detail=True)` reads; None if absent."""
    with connection.cursor() as cur:
        cur.execute(_sql(), [Ruling.Status.PROPOSED, pk])
        row = cur.fetchone()
    if row is None:
        return None
    (
        cid, article_id, text, start, end, appearances, normalized, state, checkworthiness,
        claim_type, attribution, hedges, certainty, quantities, times, recheck_after,
        recommended_verdict, analysis_error, confidence, reason, assignee_id, assignee,
        rationale, same_as_id, similar, updated_at, ruled_at, ruling_id, rating_label,
        rating_value, rating_slug, flags, evidence, comments, suggestions, transitions,
        proposals, matches,
    ) = row  # fmt: skip
    ns = SimpleNamespace
    return ns(
        pk=cid,
        id=cid,
        article_id=article_id,
        text=text,
        start=start,
        end=end,
        appearances=json.loads(appearances),
        normalized=normalized,
        state=state,
        checkworthiness=checkworthiness,
        claim_type=claim_type,
        attribution=json.loads(attribution),
        hedges=json.loads(hedges),
        certainty=certainty,
        quantities=json.loads(quantities),
        times=json.loads(times),
        recheck_after=recheck_after,
        recommended_verdict=recommended_verdict,
        analysis_error=analysis_error,
        recommendation_confidence=confidence,
        recommendation_reason=reason,
        assignee_id=assignee_id,
        assignee=_user(assignee),
        rationale=rationale,
        same_as_id=same_as_id,
        similar=json.loads(similar),
        updated_at=updated_at,
        ruled_at=ruled_at,
        ruling_id=ruling_id,
        ruling=ns(rating=ns(slug=rating_slug), rating_label=rating_label, rating_value=rating_value)
        if ruling_id
        else None,
        flags=Rows(
            ns(
                pk=f[0],
                kind=f[1],
                message=f[2],
                evidence_id=f[3],
                span_start=f[4],
                span_end=f[5],
                resolved_at=_ts(f[6]),
                resolution_note=f[7],
            )  # fmt: skip
            for f in _array(flags)
        ),
        evidence=Rows(
            ns(
                pk=e[0],
                stance=e[1],
                reason=e[2],
                strength=_float(e[3]),
                origin=e[4],
                passage=ns(text=e[5], start=e[6], end=e[7]),
                source=ns(
                    pk=e[8],
                    title=e[9],
                    outlet=e[10],
                    url=e[11],
                    published_at=_ts(e[12]),
                    relays=e[13],
                ),
            )  # fmt: skip
            for e in _array(evidence)
        ),
        comments=Rows(
            ns(
                pk=m[0],
                claim_id=cid,
                author=User(m[1]),
                body=m[2],
                created_at=_ts(m[3]),
                updated_at=_ts(m[4]),
            )  # fmt: skip
            for m in _array(comments)
        ),
        suggestions=Rows(
            ns(
                pk=g[0],
                claim_id=cid,
                author=User(g[1]),
                verdict=g[2],
                note=g[3],
                created_at=_ts(g[4]),
            )  # fmt: skip
            for g in _array(suggestions)
        ),
        transitions=Rows(
            ns(
                pk=t[0],
                from_state=t[1],
                to_state=t[2],
                actor_id=t[3],
                actor=_user(t[4]),
                by=t[4] if t[3] else (f"worker {t[5]}" if t[5] else "system"),
                worker=t[5],
                reason=t[6],
                created_at=_ts(t[7]),
                evidence=t[8],
            )  # fmt: skip
            for t in _array(transitions)
        ),
        open_proposals=[
            ns(
                pk=r[0],
                number=r[1],
                status=r[2],
                rating=ns(slug=r[3]),
                rating_label=r[4],
                rating_value=r[5],
                verdict=r[6],
                rationale=r[7],
                correction_note=r[8],
                proposed_by=_user(r[9]),
                created_at=_ts(r[10]),
                signed_off_by=_user(r[11]),
                signed_off_at=_ts(r[12]),
                signoff_note=r[13],
                returned_by=_user(r[14]),
                returned_at=_ts(r[15]),
                return_note=r[16],
                published_at=_ts(r[17]),
            )  # fmt: skip
            for r in _array(proposals)
        ],
        checked_elsewhere=[
            ns(
                factcheck=ns(
                    pk=x[0],
                    publisher=x[1],
                    review_url=x[2],
                    claim_reviewed=x[3],
                    rating_text=x[4],
                    rating_value=_float(x[5]),
                    review_date=date.fromisoformat(x[6]) if x[6] else None,
                    language=x[7],
                ),
                score=_float(x[8]),
                kind=x[9],
                flag_id=x[10],
            )  # fmt: skip
            for x in _array(matches)
        ],
    )
