"""The full-text query a claim is searched with.

Terms are the claim's names (as phrases), numbers (as written, and in digits when
written in words) and content words. Rendering quotes every term, so text from an
article can never inject query syntax (FTS5 operators, NEAR, column filters, tsquery
operators); anything outside letters and digits is dropped from a term first.

Weighting: names weigh 6, numbers 4, other words 2, words added by query expansion 1
(`SearchQuery.weights`). SQLite FTS5's
bm25() sums a score per query phrase, so the FTS5 rendering repeats a term as many times
as its weight. PostgreSQL ranks with ts_rank on the document side only, so the tsquery
renderings are plain ORs and a caller that wants term weights can use `weights`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.types import ClaimCandidate

from .lexicon import STOPWORDS
from .quantities import read_quantities
from .text import WORD_RE, fmt_number, names

MAX_TERMS = 14
# Query expansion: the first RELATED_FROM content words bring at most MAX_RELATED others.
# Words about who said it are not what the claim is about: they are not expanded.
SOURCING_WORDS = frozenset(
    """said says spoke speak speaking told tell telling reported reports reporting report
    according officials official sources source condition anonymity anonymous confirmed
    confirm denied statement spokesman spokeswoman spokesperson interview added claimed
    announced described believe believed quoted citing cited""".split()
)
RELATED_FROM, MAX_RELATED = 6, 4
NAME_WEIGHT, NUMBER_WEIGHT, WORD_WEIGHT, RELATED_WEIGHT = 6, 4, 2, 1
# Words too common in news to narrow a search.
GENERIC = STOPWORDS | {
    "people",
    "time",
    "first",
    "last",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "many",
    "much",
    "well",
    "made",
    "make",
    "amid",
    "including",
    "later",
    "earlier",
    "despite",
    "like",
    "around",
}
_SAFE = re.compile(r"[^\w\s,.'-]", re.UNICODE)


def _clean(term: str) -> str:
    t = _SAFE.sub(" ", term)
    t = re.sub(r"[_'\u2019]+", " ", t)
    return " ".join(t.split())


@dataclass
class SearchQuery:
    terms: list[str] = field(default_factory=list)  # single words and numbers, in order
    phrases: list[str] = field(default_factory=list)  # multi-word names
    weights: dict[str, int] = field(default_factory=dict)
    # Words reports use for the claim's words ("died" for "deaths"; analysis.models.neighbours)
    related: list[str] = field(default_factory=list)

    def all_terms(self) -> list[str]:
        return self.phrases + self.terms + self.related

    def to_fts5(self) -> str:
        """An SQLite FTS5 MATCH expression: OR of quoted phrases, weighted by repetition."""
        parts = []
        for t in self.all_terms():
            q = '"' + _clean(t).replace('"', '""') + '"'
            if q == '""':
                continue
            parts.extend([q] * max(1, self.weights.get(t, 1)))
        return " OR ".join(parts)

    def to_tsquery(self) -> str:
        """For PostgreSQL to_tsquery(config, ...): OR of quoted lexemes; a multi-word
        phrase becomes a <-> chain because to_tsquery splits a quoted value itself."""
        parts = []
        for t in self.all_terms():
            c = _clean(t)
            if not c:
                continue
            words = [w.replace("\\", "\\\\").replace("'", "''") for w in c.split()]
            parts.append(
                "(" + " <-> ".join(f"'{w}'" for w in words) + ")"
                if len(words) > 1
                else f"'{words[0]}'"
            )
        return " | ".join(parts)

    def to_websearch(self) -> str:
        """For PostgreSQL websearch_to_tsquery(config, ...): quoted terms joined by "or"."""
        parts = ['"' + _clean(t).replace('"', " ") + '"' for t in self.all_terms() if _clean(t)]
        return " or ".join(parts)


_PRONOUN_SUBJECT = re.compile(
    r"^(?:\W*\w+\W+){0,6}?(?:their|they|its|it|this|these|those|he|she|his|her|the group|the units?)\b",
    re.IGNORECASE,
)
# A change in a group's size is reported as casualties, losses or a fall in numbers.
REDUCTION_TERMS = ("casualties", "killed", "wounded", "losses")


def build_query(
    claim: ClaimCandidate, *, context: str | None = None, expand: bool = True
) -> SearchQuery:
    """The claim's search terms. With `context` (the article body), a claim whose subject
    is a pronoun ("their numbers have been cut in half") also gets the names of the
    sentence before it, which is what the pronoun stands for. With `expand`, the first
    content words also bring the words reports use for them instead (`related`, at most
    MAX_RELATED: "died" and "fatal" for "deaths", "bought" for "purchase")."""
    text = claim.text
    q = SearchQuery()
    seen: set[str] = set()

    def add(term: str, weight: int, phrase: bool = False) -> None:
        term = _clean(term)
        key = term.lower()
        if not term or key in seen or len(q.terms) + len(q.phrases) >= MAX_TERMS:
            return
        seen.add(key)
        (q.phrases if phrase else q.terms).append(term)
        q.weights[term] = weight

    for n in names(text):
        if n.lower() in GENERIC:
            continue
        add(n, NAME_WEIGHT, phrase=" " in n)
        for w in n.split():
            seen.add(w.lower())  # the phrase covers its words
    for m in read_quantities(text):
        if m.parts:
            continue
        raw = re.search(r"\d[\d,.]*", m.text)
        if raw:
            add(raw.group(0).rstrip(",."), NUMBER_WEIGHT)
        elif m.kind != "date":
            v = m.value / 7 if m.unit.lower().startswith("week") else m.value
            v = v / 30 if m.unit.lower().startswith("month") else v
            add(fmt_number(v).replace(",", ""), NUMBER_WEIGHT)
            word = re.search(
                r"[A-Za-z]+(?:[- ][A-Za-z]+)*",
                re.sub(r"^(?:about|around|some|over|nearly|more than)\s+", "", m.text.lower()),
            )
            if word:
                add(word.group(0).split()[0], NUMBER_WEIGHT)
    if context and claim.start > 0 and _PRONOUN_SUBJECT.match(text):
        before = context[max(0, claim.start - 600) : claim.start]
        previous = re.split(r"(?<=[.!?])\s+", before.strip())[-1] if before.strip() else ""
        for n in names(previous):
            if n.lower() not in GENERIC:
                add(n, NAME_WEIGHT, phrase=" " in n)
        for m in read_quantities(previous):
            raw = re.search(r"\d[\d,.]*", m.text)
            if raw and m.kind != "date":
                add(raw.group(0).rstrip(",."), NUMBER_WEIGHT)
    if any(getattr(m, "reduction", False) for m in read_quantities(text)) or re.search(
        r"\b(?:cut|fell|dropped|reduced|halved|shrunk)\b", text, re.IGNORECASE
    ):
        for term in REDUCTION_TERMS:
            add(term, WORD_WEIGHT)
    for w in WORD_RE.findall(text):
        lw = w.lower()
        if w[0].isdigit() or lw in GENERIC or len(lw) < 3:
            continue
        add(lw, WORD_WEIGHT)
    if expand:
        from analysis.models.neighbours import related_words

        content = [
            t for t in q.terms if q.weights.get(t) == WORD_WEIGHT and t not in SOURCING_WORDS
        ]
        for base in content[:RELATED_FROM]:
            for other in related_words(base):
                if other not in seen and len(q.related) < MAX_RELATED:
                    seen.add(other)
                    q.related.append(other)
                    q.weights[other] = RELATED_WEIGHT
    return q
