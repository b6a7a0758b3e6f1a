"""Small text helpers shared by the corroboration modules: tokens, crude stems, names,
sentences, cue and event-family matching. No dependencies beyond the standard library."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from analysis.extraction.sentences import split_sentences

from .lexicon import EVENT_FAMILIES, STOPWORDS, UNIT_WORDS

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d[\d,.]*\d|\d")
# Capitalised runs ("North Korean", "Oleksandr Syrsky", "The New York Times").
NAME_RE = re.compile(
    r"\b(?:[A-Z][a-z\u00C0-\u024F'\u2019-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z\u00C0-\u024F'\u2019-]+|[A-Z]{2,}))*"
)
NAME_STOP = {
    "the",
    "a",
    "an",
    "but",
    "and",
    "in",
    "on",
    "at",
    "after",
    "although",
    "while",
    "despite",
    "officials",
    "will",
    "some",
    "many",
    "just",
    "reports",
    "colonel",
    "president",
    "mr",
    "ms",
    "chief",
}


def stem(word: str) -> str:
    """A deliberately crude stem: lowercase, drop possessives, the plural "s", and cut to
    five letters, so that Korea/Korean, Russia/Russian and troop/troops meet."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if UNIT_WORDS.get(w) == "personnel":
        return "personnel"  # troops, soldiers, forces, ... are one concept for overlap
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w[:5] if len(w) > 5 else w


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


# The readings below are pure functions of the text, and one passage is read for every
# claim it is a hit for (an article's claims share their hits), so each is cached per
# process, bounded, and returns an immutable value.
@functools.lru_cache(maxsize=4096)
def content_stems(text: str) -> frozenset[str]:
    return frozenset(
        stem(w)
        for w in words(text)
        if w.lower() not in STOPWORDS and not w[0].isdigit() and len(w) > 2
    )


@functools.lru_cache(maxsize=4096)
def names(text: str) -> tuple[str, ...]:
    """Capitalised word runs, without a leading sentence word that is a stopword."""
    out: list[str] = []
    for m in NAME_RE.finditer(text):
        runs: list[list[str]] = [[]]
        for w in m.group(0).split():
            w = w.strip("-")
            possessive = re.search(r"['\u2019]s?$", w)
            runs[-1].append(w[: possessive.start()] if possessive else w)
            if possessive or "-" in w:
                runs.append([])  # "Ukraine's Commander-in-Chief": two names
        for parts in runs:
            parts = [p for p in parts if p and "-" not in p]
            while parts and parts[0].lower() in NAME_STOP:
                parts.pop(0)
            if parts and not (len(parts) == 1 and parts[0].lower() in STOPWORDS):
                out.append(" ".join(parts))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, text) for each sentence of a passage, from the extractor's splitter
    (linear time; knows initials, abbreviations, quotes and line breaks)."""
    out = tuple((s.start, s.end, s.text) for s in split_sentences(text) if s.text.strip())
    return out or ((0, len(text), text),)


@functools.lru_cache(maxsize=512)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def find_cue(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    """The earliest match of any of `patterns` in `text`; at equal starts, the first listed.

    One search of one alternation (compiled once per list), not a search per pattern:
    the regex engine prefers the leftmost match and, at that position, the first
    alternative, which is exactly that rule.
    """
    patterns = tuple(patterns)
    if not patterns:
        return None
    return _alternation(patterns).search(text)


@functools.lru_cache(maxsize=4096)
def event_families(text: str) -> frozenset[str]:
    return frozenset(fam for fam, pats in EVENT_FAMILIES.items() if find_cue(pats, text))


def snippet(text: str, start: int, end: int, width: int = 60) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    s = " ".join(text[a:b].split())
    return ("\u2026" if a > 0 else "") + s + ("\u2026" if b < len(text) else "")


def fmt_number(v: float) -> str:
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.1f}"
