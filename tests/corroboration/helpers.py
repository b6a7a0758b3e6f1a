"""Hand-built claims from the seed article and passages from the demo corpus.

Claims are built by hand as ClaimCandidate objects (the extraction package is written
separately); offsets point into the seed article body."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from analysis.corroboration import load_demo_sources
from analysis.types import (
    ATTR_ANONYMOUS,
    ATTR_OUTLET,
    ATTR_PERSON,
    EVENT,
    STATISTICAL,
    Attribution,
    AttributionPart,
    ClaimCandidate,
    Passage,
    Quantity,
    TimeRef,
)

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "seeds" / "north-korean-troops-disappear.txt").read_text(encoding="utf-8")
SOURCES = ROOT / "seeds" / "sources"
ARTICLE_AT = datetime(2025, 1, 31, 9, 25, tzinfo=timezone(timedelta(hours=1)))

NYT_CHAIN = Attribution(
    speaker="The New York Times",
    kind=ATTR_OUTLET,
    chain=[
        AttributionPart("The New York Times", ATTR_OUTLET),
        AttributionPart("Ukrainian officials", ATTR_ANONYMOUS),
        AttributionPart("US officials", ATTR_ANONYMOUS),
    ],
    cue="according to",
)


def claim(sentence: str, **kw) -> ClaimCandidate:
    """A claim on one sentence of the seed article (or free text when not found)."""
    start = SEED.find(sentence)
    if start < 0:
        start = 0
    kw.setdefault("claim_type", EVENT)
    kw.setdefault("checkworthiness", 0.8)
    return ClaimCandidate(
        text=sentence,
        start=start,
        end=start + len(sentence),
        normalized=" ".join(sentence.lower().split()),
        **kw,
    )


def q(c: ClaimCandidate, text: str, value, **kw) -> Quantity:
    s = c.start + c.text.index(text)
    return Quantity(text=text, start=s, end=s + len(text), value=value, **kw)


def t(c: ClaimCandidate, text: str, kind: str, start_date=None, end_date=None) -> TimeRef:
    s = c.start + c.text.index(text)
    return TimeRef(
        text=text, start=s, end=s + len(text), kind=kind, start_date=start_date, end_date=end_date
    )


def withdrawal_claim() -> ClaimCandidate:
    return claim(
        "North Korean soldiers sent to fight alongside Russian forces in Ukraine have reportedly been "
        "pulled from the front lines after suffering devastating casualties, according to The New York "
        "Times, citing Ukrainian and US officials on January 30.",
        attribution=NYT_CHAIN,
        certainty="hedged",
    )


def two_weeks_claim() -> ClaimCandidate:
    c = claim(
        "Officials, who spoke on condition of anonymity, said no North Korean troops have been seen near "
        "the front for two weeks.",
        attribution=Attribution(
            speaker="Officials",
            kind=ATTR_ANONYMOUS,
            chain=[AttributionPart("Officials", ATTR_ANONYMOUS)],
        ),
    )
    c.times = [t(c, "for two weeks", "range", "2025-01-16", "2025-01-30")]
    return c


def arrival_claim() -> ClaimCandidate:
    c = claim(
        "The arrival of around 11,000 North Korean troops in Russia last November raised alarm among "
        "Ukraine and its Western allies, fueling concerns about an escalation.",
        claim_type=STATISTICAL,
    )
    c.quantities = [
        q(
            c,
            "around 11,000 North Korean troops",
            11000,
            low=10450,
            high=11550,
            qualifier="around",
            unit="troops",
        )
    ]
    c.times = [t(c, "last November", "month", "2024-11-01", "2024-11-30")]
    return c


def halved_claim() -> ClaimCandidate:
    c = claim(
        "But just three months later, their numbers have reportedly been cut in half, according to "
        "Ukraine\u2019s Commander-in-Chief Oleksandr Syrsky.",
        claim_type=STATISTICAL,
        attribution=Attribution(
            speaker="Oleksandr Syrsky",
            kind=ATTR_PERSON,
            chain=[AttributionPart("Oleksandr Syrsky", ATTR_PERSON)],
        ),
    )
    c.quantities = [q(c, "cut in half", 0.5, qualifier="", unit="", kind="change")]
    return c


def shells_claim() -> ClaimCandidate:
    c = claim(
        "Reports suggest that over 50%\u2014and in some areas more than 70%\u2014of Russia\u2019s ammunition and "
        "artillery shells now come from North Korea.",
        claim_type=STATISTICAL,
    )
    c.quantities = [
        q(c, "over 50%", 50, qualifier="over", unit="% of ammunition", kind="percent"),
        q(c, "more than 70%", 70, qualifier="more than", unit="% of ammunition", kind="percent"),
    ]
    return c


def sources() -> dict[str, dict]:
    return {d["outlet"]: d for d in load_demo_sources(SOURCES)}


def passage(outlet: str, contains: str | None = None, source_id: int = 0) -> Passage:
    """A passage from one demo source: its whole body, or the sentence containing `contains`."""
    docs = sources()
    d = docs[outlet]
    body = d["body"]
    if contains is None:
        start, end = 0, len(body)
    else:
        i = body.index(contains)
        start = max(body.rfind(". ", 0, i) + 2, body.rfind("\n", 0, i) + 1, 0)
        end_dot = body.find(".", i + len(contains))
        end = len(body) if end_dot < 0 else end_dot + 1
    return Passage(
        source_id=source_id or (list(docs).index(outlet) + 1),
        text=body[start:end].strip(),
        start=start,
        end=end,
        outlet=d["outlet"],
        title=d["title"],
        url=d["url"],
        published_at=d["published_at"],
        relays=d["relays"],
    )
