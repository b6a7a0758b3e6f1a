"""Run one real story through the service and compare its flags with `expected.json`.

Shared by the test (`test_stories.py`) and the table printer (`report.py`). Everything
goes through the service's own seams: `ingest.add_source` for the corpus,
`ingest.ingest_article` (processed in-process on commit), `corroborate.corroborate_claims`.
Needs a database; the caller owns it (pytest-django, or `report.py`'s test database).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Issue 14's budget: at least three quarters of the expected flags on each story.
FLAG_SHARE_FLOOR = 0.75
# Raised on a claim the sources support, either of these is a hard failure.
FORBIDDEN_WHEN_SUPPORTED = ("contradicted", "numeric_discrepancy")


def story_slugs() -> list[str]:
    return sorted(p.parent.name for p in HERE.glob("*/expected.json"))


@dataclass
class ClaimOutcome:
    match: str
    expected: list[str]
    supported: bool
    expected_verdict: str | None
    extracted: bool = False
    text: str = ""
    raised: list[str] = field(default_factory=list)  # open flag kinds, sorted, unique
    messages: dict[str, list[str]] = field(default_factory=dict)
    verdict: str = ""

    @property
    def hits(self) -> list[str]:
        return [k for k in self.expected if k in self.raised]

    @property
    def extra(self) -> list[str]:
        return [k for k in self.raised if k not in self.expected]

    @property
    def forbidden(self) -> list[str]:
        return [k for k in FORBIDDEN_WHEN_SUPPORTED if self.supported and k in self.raised]


@dataclass
class StoryOutcome:
    slug: str
    claims: list[ClaimOutcome]
    other_claims: list[tuple[str, list[str]]]  # extracted claims not in expected.json

    @property
    def expected_count(self) -> int:
        return sum(len(c.expected) for c in self.claims)

    @property
    def hit_count(self) -> int:
        return sum(len(c.hits) for c in self.claims)

    @property
    def share(self) -> float:
        return self.hit_count / self.expected_count if self.expected_count else 1.0


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def load_corpus(slug: str) -> int:
    """Add the story's sources to the corpus, as `manage.py ingest --source` would."""
    from workers import ingest

    folder = HERE / slug
    for doc in load_json(folder / "sources.json"):
        text = (folder / "sources" / doc["file"]).read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        ingest.add_source(
            body=text,
            title=title.strip(),
            outlet=doc["outlet"],
            url=doc.get("url", ""),
            published_at=ingest.parse_published(doc["published"]),
            relays=doc.get("relays") or [],
        )
    return len(load_json(folder / "sources.json"))


def run_story(slug: str) -> StoryOutcome:
    """Corpus in, article in, claims corroborated; the outcome per expected claim."""
    from claims.models import Claim
    from workers import corroborate, ingest

    folder = HERE / slug
    load_corpus(slug)
    meta = load_json(folder / "meta.json")
    parsed = ingest.parse_article(
        (folder / "article.txt").read_bytes(),
        fmt="text",
        title=meta.get("title", ""),
        outlet=meta["outlet"],
        byline=meta.get("byline", ""),
        published=meta["published"],
    )
    article, _ = ingest.ingest_article(parsed)  # extracted and corroborated on commit
    ids = list(Claim.objects.filter(article=article).order_by("start").values_list("pk", flat=True))
    corroborate.corroborate_claims(ids)  # again, by hand: idempotent, as the pipeline tests do
    claims = list(Claim.objects.filter(pk__in=ids).order_by("start").prefetch_related("flags"))
    expected = load_json(folder / "expected.json")["claims"]
    used: set[int] = set()
    outcomes = []
    for item in expected:
        out = ClaimOutcome(
            match=item["match"],
            expected=list(item["flags"]),
            supported=bool(item.get("supported")),
            expected_verdict=item.get("verdict"),
        )
        claim = next((c for c in claims if item["match"] in c.text), None)
        if claim is not None:
            used.add(claim.pk)
            open_flags = [f for f in claim.flags.all() if f.resolved_at is None]
            out.extracted = True
            out.text = claim.text
            out.raised = sorted({f.kind for f in open_flags})
            for f in open_flags:
                out.messages.setdefault(f.kind, []).append(f.message)
            out.verdict = claim.recommended_verdict or ""
        outcomes.append(out)
    others = [
        (c.text, sorted({f.kind for f in c.flags.all() if f.resolved_at is None}))
        for c in claims
        if c.pk not in used
    ]
    return StoryOutcome(slug=slug, claims=outcomes, other_claims=others)


def markdown(outcome: StoryOutcome) -> str:
    """One story's table: each expected flag and whether it was raised, extras, the share."""
    lines = [
        f"### {outcome.slug}",
        "",
        f"Share of expected flags raised: **{outcome.hit_count}/{outcome.expected_count}"
        f" = {outcome.share:.0%}** (floor {FLAG_SHARE_FLOOR:.0%})",
        "",
        "| claim (match) | expected flag | raised? | extra flags raised | verdict (expected) |",
        "|---|---|---|---|---|",
    ]
    for c in outcome.claims:
        extra = ", ".join(c.extra) or "—"
        if not c.extracted:
            extra = "**claim not extracted**"
        verdict = f"{c.verdict or '—'} ({c.expected_verdict or 'any'})"
        rows = c.expected or ["(none; supported)" if c.supported else "(none)"]
        for i, kind in enumerate(rows):
            if c.expected:
                raised = "yes" if kind in c.raised else "**no**"
            else:
                raised = "—"
            if kind.startswith("(") and c.forbidden:
                raised = f"**{', '.join(c.forbidden)} raised**"
            lines.append(
                f"| {c.match if i == 0 else ''} | {kind} | {raised} "
                f"| {extra if i == 0 else ''} | {verdict if i == 0 else ''} |"
            )
    if outcome.other_claims:
        lines += ["", "Other claims extracted (not in expected.json), with their open flags:", ""]
        for text, kinds in outcome.other_claims:
            lines.append(
                f"- {text[:90]}{'…' if len(text) > 90 else ''} — {', '.join(kinds) or '—'}"
            )
    return "\n".join(lines)
