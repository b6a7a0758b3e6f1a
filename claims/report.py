"""The claim report: one JSON shape for `check_article --json` and the REST API.

`claim_dict` is the canonical claim object; serializers in claims/api reuse it so the
CLI and the API never drift apart.
"""

from __future__ import annotations

import textwrap

from claims.models import Article, Claim


def article_dict(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "byline": article.byline,
        "outlet": article.outlet,
        "url": article.url,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "status": article.status,
        "last_error": article.last_error,
        "content_hash": article.content_hash,
        "body": article.body,
    }


def evidence_dict(ev) -> dict:
    source = ev.source
    return {
        "id": ev.pk,
        "stance": ev.stance,
        "reason": ev.reason,
        "strength": round(ev.strength, 3),
        "passage": ev.passage.text,
        "passage_start": ev.passage.start,
        "passage_end": ev.passage.end,
        "origin": ev.origin,
        "source": {
            "id": source.pk,
            "title": source.title,
            "outlet": source.outlet,
            "url": source.url,
            "published_at": source.published_at.isoformat() if source.published_at else None,
            "relays": source.relays,
        },
    }


def flag_dict(flag) -> dict:
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "message": flag.message,
        "evidence": flag.evidence_id,
        "span": [flag.span_start, flag.span_end] if flag.span_start is not None else None,
        "resolved": flag.resolved_at is not None,
        "resolved_at": flag.resolved_at.isoformat() if flag.resolved_at else None,
        "resolution_note": flag.resolution_note,
    }


def comment_dict(comment) -> dict:
    """A comment; `body_html` is the body sanitised for display (no script survives)."""
    import nh3
    from django.utils.html import escape, linebreaks

    return {
        "id": comment.pk,
        "claim": comment.claim_id,
        "author": comment.author.get_username(),
        "body": comment.body,
        # Escape first, then let only paragraph markup through: whatever the reviewer
        # typed is shown as text, never interpreted as HTML.
        "body_html": nh3.clean(linebreaks(escape(comment.body)), tags={"p", "br"}),
        "created_at": comment.created_at.isoformat(),
        "updated_at": comment.updated_at.isoformat(),
    }


def transition_dict(tr) -> dict:
    return {
        "id": tr.pk,
        "from_state": tr.from_state,
        "to_state": tr.to_state,
        "by": tr.by,
        "actor": tr.actor.get_username() if tr.actor_id else None,
        "worker": tr.worker or None,
        "reason": tr.reason,
        "at": tr.created_at.isoformat(),
        # A ruling's evidence as it stood when it was made (claims.frozen); [] otherwise.
        "evidence": list(tr.evidence or []),
    }


def suggestion_dict(s) -> dict:
    return {
        "id": s.pk,
        "claim": s.claim_id,
        "author": s.author.get_username(),
        "verdict": s.verdict,
        "note": s.note,
        "created_at": s.created_at.isoformat(),
    }


def similar_claims(claim: Claim, limit: int = 10) -> list[dict]:
    """Other claims that say the same thing, one query.

    `relation` says how we know: "same_as" (linked as a repeat), "same_text" (same
    normalized form), "suggested" (the workers' similarity suggestion, with its score).
    """
    from django.db.models import Q

    suggested = {
        int(s["claim"]): s.get("score")
        for s in (getattr(claim, "similar", None) or [])
        if isinstance(s, dict) and str(s.get("claim", "")).isdigit()
    }
    q = Q(same_as_id=claim.pk) | Q(pk__in=list(suggested))
    if claim.normalized:
        q |= Q(normalized=claim.normalized)
    if claim.same_as_id:
        q |= Q(pk=claim.same_as_id) | Q(same_as_id=claim.same_as_id)
    # Plain values, not instances: building ten claims with every JSON column decoded
    # cost the claim object more than the rest of it.
    rows = (
        Claim.objects.filter(q)
        .exclude(pk=claim.pk)
        .order_by("created_at", "id")
        .values_list(
            "id", "article_id", "article__outlet", "text", "state", "same_as_id", "normalized"
        )[:limit]
    )
    out = []
    for pk, article_id, outlet, text, state, same_as_id, normalized in rows:
        linked = pk == claim.same_as_id or same_as_id in (claim.pk, claim.same_as_id or -1)
        if linked:
            relation = "same_as"
        elif claim.normalized and normalized == claim.normalized:
            relation = "same_text"
        else:
            relation = "suggested"
        out.append(
            {
                "id": pk,
                "article": article_id,
                "outlet": outlet,
                "text": text,
                "state": state,
                "relation": relation,
                "score": suggested.get(pk),
            }
        )
    return out


def rating_dict(ruling) -> dict | None:
    """A ruling's rating as published (label and value as they were then)."""
    if ruling is None:
        return None
    return {"slug": ruling.rating.slug, "label": ruling.rating_label, "value": ruling.rating_value}


def ruling_dict(r, *, current: int | None = None) -> dict:
    """One version of a claim's ruling (GET claims/{id}/rulings/)."""

    def who(user):
        return user.get_username() if user is not None else None

    def at(dt):
        return dt.isoformat() if dt else None

    return {
        "number": r.number,
        "status": r.status,
        "current": r.pk == current,
        "rating": rating_dict(r),
        "verdict": r.verdict,
        "rationale": r.rationale,
        "correction_note": r.correction_note,
        "proposed_by": who(r.proposed_by),
        "proposed_at": at(r.created_at),
        "signed_off_by": who(r.signed_off_by),
        "signed_off_at": at(r.signed_off_at),
        "signoff_note": r.signoff_note,
        "returned_by": who(r.returned_by),
        "returned_at": at(r.returned_at),
        "return_note": r.return_note,
        "published_at": at(r.published_at),
    }


def checked_elsewhere_dict(match) -> dict:
    """A fact-check published elsewhere that matches the claim, with the similarity."""
    fc = match.factcheck
    return {
        "factcheck": fc.pk,
        "publisher": fc.publisher,
        "review_url": fc.review_url,
        "claim_reviewed": fc.claim_reviewed,
        "rating": fc.rating_text,
        "rating_value": fc.rating_value,
        "review_date": fc.review_date.isoformat() if fc.review_date else None,
        "language": fc.language,
        "score": round(match.score, 3),
        "match": match.kind,
        "flag": match.flag_id,
    }


def publishing_prefetch() -> list:
    """The claim object's publishing parts in two queries: an open proposal, and the
    fact-checks published elsewhere that match (see `claim_dict`)."""
    from django.db.models import Prefetch

    from claims.models import FactCheckMatch, Ruling

    return [
        Prefetch(
            "rulings",
            queryset=Ruling.objects.filter(status=Ruling.Status.PROPOSED).select_related(
                "rating", "proposed_by", "signed_off_by", "returned_by"
            ),
            to_attr="open_proposals",
        ),
        Prefetch(
            "factcheck_matches",
            queryset=FactCheckMatch.objects.select_related("factcheck").order_by("-score", "id"),
            to_attr="checked_elsewhere",
        ),
    ]


def claim_dict(claim: Claim, *, detail: bool = False) -> dict:
    """The claim object. Expects evidence/flags prefetched (see `claims_for_report`).

    `detail=True` adds comments, suggestions, transitions (expects them prefetched with
    their authors, see `claims_for_detail`) and similar claims (one query).
    """
    data = _claim_core(claim)
    if detail:
        data["comments"] = [comment_dict(c) for c in claim.comments.all()]
        data["suggestions"] = [suggestion_dict(s) for s in claim.suggestions.all()]
        data["transitions"] = [transition_dict(t) for t in claim.transitions.all()]
        data["similar"] = similar_claims(claim)
    return data


def evidence_prefetch():
    """The claim's evidence for `evidence_dict`: one query, passage and source joined.

    Only the columns the claim object shows: never `Source.body` (a whole document per row).
    """
    from django.db.models import Prefetch

    from claims.models import Evidence

    return Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("passage", "source").only(
            "id",
            "claim_id",
            "stance",
            "reason",
            "strength",
            "origin",
            "passage__id",
            "passage__text",
            "passage__start",
            "passage__end",
            "source__id",
            "source__title",
            "source__outlet",
            "source__url",
            "source__published_at",
            "source__relays",
        ),
    )


def claims_for_detail():
    """Claims ready for `claim_dict(detail=True)`: the claim and its assignee, then one query
    each for flags, evidence (with passage and source), comments, suggestions and
    transitions (each with its user)."""
    from django.db.models import Prefetch

    from claims.models import Comment, Suggestion, Transition

    return Claim.objects.select_related("assignee", "ruling__rating").prefetch_related(
        "flags",
        evidence_prefetch(),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
        Prefetch("suggestions", queryset=Suggestion.objects.select_related("author")),
        Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
        *publishing_prefetch(),
    )


def _claim_core(claim: Claim) -> dict:
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "appearances": claim.appearances,
        "normalized": claim.normalized,
        "state": claim.state,
        "checkworthiness": round(claim.checkworthiness, 3),
        "type": claim.claim_type,
        "attribution": claim.attribution,
        "hedges": claim.hedges,
        "certainty": claim.certainty,
        "quantities": claim.quantities,
        "times": claim.times,
        "recheck_after": claim.recheck_after.isoformat() if claim.recheck_after else None,
        "flags": [flag_dict(f) for f in claim.flags.all()],
        "evidence": [evidence_dict(e) for e in claim.evidence.all()],
        "recommended_verdict": claim.recommended_verdict or None,
        # Why the analysis failed (or skipped a source); "" when it ran.
        "analysis_error": claim.analysis_error,
        "recommendation": {
            "verdict": claim.recommended_verdict or None,
            "confidence": claim.recommendation_confidence,
            "reason": claim.recommendation_reason,
        },
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "rationale": claim.rationale,
        "same_as": claim.same_as_id,
        # Publishing: the rating on the newsroom's scale as published, a proposal awaiting
        # sign-off, and fact-checks published elsewhere that match this claim.
        "rating": rating_dict(claim.ruling if claim.ruling_id else None),
        "proposal": _proposal(claim),
        "checked_elsewhere": [checked_elsewhere_dict(m) for m in _matches(claim)],
    }


def _proposal(claim: Claim) -> dict | None:
    proposals = getattr(claim, "open_proposals", None)
    if proposals is None:
        proposals = list(claim.rulings.filter(status="proposed"))
    return ruling_dict(proposals[0]) if proposals else None


def _matches(claim: Claim) -> list:
    matches = getattr(claim, "checked_elsewhere", None)
    if matches is None:
        matches = list(claim.factcheck_matches.select_related("factcheck").order_by("-score"))
    return matches


def claims_for_report(article: Article):
    return (
        Claim.objects.filter(article=article)
        .select_related("assignee", "ruling__rating")
        .prefetch_related("flags", "evidence__passage", "evidence__source")
        .prefetch_related(*publishing_prefetch())
        .order_by("start")
    )


def report_dict(article: Article) -> dict:
    return {
        "article": article_dict(article),
        "claims": [claim_dict(c) for c in claims_for_report(article)],
    }


def render_table(article: Article, width: int = 100) -> str:
    """The readable report: one block per claim, flags and evidence counts underneath."""
    claims = list(claims_for_report(article))
    lines = [
        f"Article {article.pk}: {article.title or '(untitled)'}",
        f"  {article.byline or 'no byline'} · {article.outlet or 'no outlet'} · "
        f"{article.published_at:%Y-%m-%d %H:%M %Z}"
        if article.published_at
        else f"  {article.byline or 'no byline'} · {article.outlet or 'no outlet'} · no date",
        f"  status: {article.status}" + (f" ({article.last_error})" if article.last_error else ""),
        f"  {len(claims)} claims",
        *(
            [f"  analysis failed for claims {', '.join(str(n) for n in failed)}"]
            if (failed := [n for n, c in enumerate(claims, 1) if c.analysis_error])
            else []
        ),
        "",
    ]
    for n, c in enumerate(claims, 1):
        attr = c.attribution or {}
        who = attr.get("speaker") or "—"
        chain = " ← ".join(p.get("speaker", "") for p in attr.get("chain", []) or [])
        evidence = list(c.evidence.all())
        support = sum(e.stance == "supports" for e in evidence)
        contra = sum(e.stance == "contradicts" for e in evidence)
        lines.append(
            f"{n:>2}. [{c.state}] {c.claim_type} · check-worthiness {c.checkworthiness:.2f} · chars {c.start}-{c.end}"
        )
        lines += textwrap.wrap(c.text, width, initial_indent="    “", subsequent_indent="     ")
        lines[-1] += "”"
        lines.append(
            f"    attribution: {who} ({attr.get('kind', 'none')})"
            + (f"  chain: {chain}" if chain else "")
        )
        if c.hedges:
            lines.append("    hedges: " + ", ".join(h["text"] for h in c.hedges))
        if c.quantities:
            lines.append("    quantities: " + "; ".join(_quantity(q) for q in c.quantities))
        if c.times:
            lines.append("    times: " + "; ".join(_time(x) for x in c.times))
        lines.append(
            f"    evidence: {support} supporting, {contra} contradicting, {len(evidence) - support - contra} mentioning"
            f" · recommended: {c.recommended_verdict or '—'}"
        )
        if c.analysis_error:
            lines += textwrap.wrap(
                f"✗ analysis failed: {c.analysis_error}",
                width,
                initial_indent="    ",
                subsequent_indent="      ",
            )
        for f in c.flags.all():
            mark = "✓" if f.resolved_at else "⚑"
            lines += textwrap.wrap(
                f"{mark} {f.kind}: {f.message}",
                width,
                initial_indent="    ",
                subsequent_indent="      ",
            )
        lines.append("")
    return "\n".join(lines)


def _quantity(q: dict) -> str:
    qual = f"{q.get('qualifier')} " if q.get("qualifier") else ""
    value = q.get("value")
    value_s = f"{value:g}" if isinstance(value, int | float) else "?"
    return f"{qual}{value_s} {q.get('unit', '')}".strip() + f" [{q.get('kind', '')}]"


def _time(x: dict) -> str:
    span = x.get("start_date") or "?"
    if x.get("end_date") and x.get("end_date") != x.get("start_date"):
        span += f"..{x['end_date']}"
    return f"“{x.get('text', '')}” → {span}"
