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


def claim_dict(claim: Claim) -> dict:
    """The claim object. Expects evidence/flags prefetched (see `claims_for_report`)."""
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
        "recommendation": {
            "verdict": claim.recommended_verdict or None,
            "confidence": claim.recommendation_confidence,
            "reason": claim.recommendation_reason,
        },
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "rationale": claim.rationale,
        "same_as": claim.same_as_id,
    }


def claims_for_report(article: Article):
    return (
        Claim.objects.filter(article=article)
        .select_related("assignee")
        .prefetch_related("flags", "evidence__passage", "evidence__source")
        .order_by("start")
    )


def report_dict(article: Article) -> dict:
    return {"article": article_dict(article), "claims": [claim_dict(c) for c in claims_for_report(article)]}


def render_table(article: Article, width: int = 100) -> str:
    """The readable report: one block per claim, flags and evidence counts underneath."""
    claims = list(claims_for_report(article))
    lines = [
        f"Article {article.pk}: {article.title or '(untitled)'}",
        f"  {article.byline or 'no byline'} · {article.outlet or 'no outlet'} · "
        f"{article.published_at:%Y-%m-%d %H:%M %Z}" if article.published_at else f"  {article.byline or 'no byline'} · {article.outlet or 'no outlet'} · no date",
        f"  status: {article.status}" + (f" ({article.last_error})" if article.last_error else ""),
        f"  {len(claims)} claims",
        "",
    ]
    for n, c in enumerate(claims, 1):
        attr = c.attribution or {}
        who = attr.get("speaker") or "—"
        chain = " ← ".join(p.get("speaker", "") for p in attr.get("chain", []) or [])
        evidence = list(c.evidence.all())
        support = sum(e.stance == "supports" for e in evidence)
        contra = sum(e.stance == "contradicts" for e in evidence)
        lines.append(f"{n:>2}. [{c.state}] {c.claim_type} · check-worthiness {c.checkworthiness:.2f} · chars {c.start}-{c.end}")
        lines += textwrap.wrap(c.text, width, initial_indent="    “", subsequent_indent="     ")
        lines[-1] += "”"
        lines.append(f"    attribution: {who} ({attr.get('kind', 'none')})" + (f"  chain: {chain}" if chain else ""))
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
        for f in c.flags.all():
            mark = "✓" if f.resolved_at else "⚑"
            lines += textwrap.wrap(f"{mark} {f.kind}: {f.message}", width, initial_indent="    ", subsequent_indent="      ")
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
