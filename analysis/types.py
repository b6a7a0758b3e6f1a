"""The service's one vocabulary, and the plain data passed between the analysis steps.

The string values and their labels are defined here once: the ORM's choices
(`claims.models`: ClaimType, FlagKind, Recommendation, Evidence.Stance) are built from
these tables, so a new flag kind is added in one place. The dataclasses are the contract
between `analysis.extraction` (article in, claim candidates out),
`analysis.corroboration` (claim + passages in, judgements out) and the worker services
that turn them into rows (`workers.ingest`, `workers.corroborate`). Everything here is
plain Python and JSON-serialisable through `dataclasses.asdict`, so the analysis code is
testable without Django or Celery and the same dicts land in the Claim's JSON fields and
in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Claim types (Claim.claim_type).
STATISTICAL = "statistical"
EVENT = "event"
STATEMENT = "statement"
PREDICTION = "prediction"
OPINION = "opinion"
CLAIM_TYPE_LABELS = {
    STATISTICAL: "Statistical",
    EVENT: "Event",
    STATEMENT: "Statement / quote",
    PREDICTION: "Prediction",
    OPINION: "Opinion / characterization",
}
CLAIM_TYPES = tuple(CLAIM_TYPE_LABELS)

# Attribution kinds.
ATTR_PERSON = "named_person"
ATTR_BODY = "named_body"
ATTR_OUTLET = "named_outlet"
ATTR_ANONYMOUS = "anonymous"
ATTR_VAGUE = "vague"
ATTR_NONE = "none"
ATTRIBUTION_KINDS = (ATTR_PERSON, ATTR_BODY, ATTR_OUTLET, ATTR_ANONYMOUS, ATTR_VAGUE, ATTR_NONE)

# Flag kinds (Flag.kind); the brief's table.
UNCONFIRMED = "unconfirmed"
ANONYMOUS_SOURCE = "anonymous_source"
VAGUE_ATTRIBUTION = "vague_attribution"
NUMERIC_DISCREPANCY = "numeric_discrepancy"
CONTRADICTED = "contradicted"
LATER_UPDATE = "later_update"
SINGLE_ORIGIN = "single_origin"
NO_EVIDENCE = "no_evidence"
INTERNAL_INCONSISTENCY = "internal_inconsistency"
ALREADY_CHECKED = "already_checked"
FLAG_LABELS = {
    UNCONFIRMED: "Unconfirmed",
    ANONYMOUS_SOURCE: "Anonymous source",
    VAGUE_ATTRIBUTION: "Vague attribution",
    NUMERIC_DISCREPANCY: "Numeric discrepancy",
    CONTRADICTED: "Contradicted",
    LATER_UPDATE: "Later update",
    SINGLE_ORIGIN: "Single origin",
    NO_EVIDENCE: "No evidence",
    INTERNAL_INCONSISTENCY: "Internal inconsistency",
    ALREADY_CHECKED: "Already checked elsewhere",
}
FLAG_KINDS = tuple(FLAG_LABELS)
# How much a flag kind pushes a claim up the work queues (higher first).
FLAG_SEVERITY = {
    CONTRADICTED: 5,
    LATER_UPDATE: 4,
    NUMERIC_DISCREPANCY: 4,
    INTERNAL_INCONSISTENCY: 4,
    UNCONFIRMED: 3,
    # A published fact-check matches: a day's work may already be done (or needs citing).
    ALREADY_CHECKED: 3,
    SINGLE_ORIGIN: 2,
    ANONYMOUS_SOURCE: 2,
    VAGUE_ATTRIBUTION: 2,
    NO_EVIDENCE: 1,
}
# Flags a new piece of evidence can raise that overturn a ruling.
REOPENING_FLAGS = frozenset({CONTRADICTED, LATER_UPDATE, NUMERIC_DISCREPANCY})

# Evidence stances.
SUPPORTS = "supports"
CONTRADICTS = "contradicts"
MENTIONS = "mentions"
STANCE_LABELS = {SUPPORTS: "Supports", CONTRADICTS: "Contradicts", MENTIONS: "Mentions"}
STANCES = tuple(STANCE_LABELS)

# Recommended verdicts.
REC_VERIFIED = "verified"
REC_DISPUTED = "disputed"
REC_UNCLEAR = "unclear"
REC_NO_EVIDENCE = "no_evidence"
RECOMMENDATION_LABELS = {
    REC_VERIFIED: "Verified",
    REC_DISPUTED: "Disputed",
    REC_UNCLEAR: "Unclear",
    REC_NO_EVIDENCE: "No evidence",
}
RECOMMENDATIONS = tuple(RECOMMENDATION_LABELS)


@dataclass
class ParsedArticle:
    """An article read from text, HTML or JSON: metadata plus the body claims point into."""

    body: str
    title: str = ""
    byline: str = ""
    outlet: str = ""
    url: str = ""
    published_at: datetime | None = None  # timezone-aware when known
    # (start, end) spans of `body` recognised as boilerplate (captions, "Trending Now", ...)
    boilerplate: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class AttributionPart:
    speaker: str
    kind: str  # one of ATTRIBUTION_KINDS


@dataclass
class Attribution:
    speaker: str = ""  # who says it, "" when nobody is named
    kind: str = ATTR_NONE
    # The relay chain, outermost first: "The New York Times, citing Ukrainian and US
    # officials" -> [NYT (named_outlet), Ukrainian officials (anonymous), US officials (anonymous)]
    chain: list[AttributionPart] = field(default_factory=list)
    cue: str = ""  # the words that carried it ("according to", "said")


@dataclass
class Hedge:
    text: str
    start: int  # offsets into the article body
    end: int


@dataclass
class Quantity:
    text: str  # as written: "around 11,000 North Korean troops"
    start: int
    end: int
    value: float | None  # the central value; 0.5 for "half", 50 for "50%"
    low: float | None = None  # bounds the qualifier allows, when it allows a range
    high: float | None = None
    qualifier: str = ""  # around / over / more than / nearly / up to / exactly / ""
    unit: str = ""  # the noun or unit counted: "troops", "%", "% of ammunition"
    kind: str = "count"  # count | percent | fraction | change | money | other


@dataclass
class TimeRef:
    text: str  # as written: "last November"
    start: int
    end: int
    kind: str  # date | month | year | range | duration | relative
    start_date: str | None = None  # ISO dates, resolved against publication
    end_date: str | None = None


@dataclass
class ClaimFlag:
    """A flag raised from the article alone (unconfirmed, anonymous_source, ...)."""

    kind: str
    message: str
    start: int | None = None  # the span of the sentence that justifies it, if any
    end: int | None = None


@dataclass
class ClaimCandidate:
    text: str  # == body[start:end]
    start: int
    end: int
    normalized: str  # for de-duplication across articles
    checkworthiness: float  # in [0, 1]
    claim_type: str  # one of CLAIM_TYPES
    attribution: Attribution = field(default_factory=Attribution)
    hedges: list[Hedge] = field(default_factory=list)
    certainty: str = "asserted"  # asserted | hedged | unconfirmed | speculative
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    flags: list[ClaimFlag] = field(default_factory=list)
    # Every (start, end) where this claim appears in the body; the first is (start, end).
    appearances: list[tuple[int, int]] = field(default_factory=list)
    recheck_after: str | None = None  # ISO date, for predictions


@dataclass
class Passage:
    """A sentence window of a corpus document, as the search returns it."""

    source_id: int
    text: str
    start: int
    end: int
    outlet: str = ""
    title: str = ""
    url: str = ""
    published_at: datetime | None = None
    relays: list[str] = field(default_factory=list)  # origins the document cites
    origin: str = ""  # outlet plus the origin it relays; copies share one
    rank: float = 0.0
    passage_id: int | None = None  # the indexed Passage row, when it came from the corpus
    source_kind: str = ""  # "article" for a document under check, "source" otherwise


@dataclass
class Judgement:
    stance: str  # one of STANCES
    reason: str  # readable: "source says about three weeks; claim says two weeks"
    flags: list[ClaimFlag] = field(
        default_factory=list
    )  # numeric_discrepancy, contradicted, later_update
    strength: float = 0.5
    # A document that carries the claim as someone else's report ("X reported that ...",
    # a wire relay) without taking a position: not support, but it carries that origin,
    # so several such relays of one newspaper are one origin (single_origin).
    relays_claim: bool = False
    # About the same people or places, not this claim: stored, shown, never evidence of it.
    topic_only: bool = False


@dataclass
class Recommendation:
    verdict: str  # one of RECOMMENDATIONS
    confidence: float
    reason: str
    flags: list[ClaimFlag] = field(default_factory=list)  # single_origin, no_evidence
