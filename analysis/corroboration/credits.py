"""Reading a document's origins from its own text: wire credits, wire bylines, citations.

A story printed from a news agency says so in its text, whatever the submitter
declared: a dateline credit ("PARIS (AFP) —", "KYIV, Jan 31 (Reuters) -"), a closing
credit ("— Reuters", "(with AFP)", "AP contributed to this report", Reuters' "Reporting
by …; Editing by …"), a copyright line ("© 2025 The Associated Press"), or a wire byline
("By Jane Doe, Associated Press"). `wire_credits` reads them into canonical wire names
(WIRE_SPELLINGS: "AFP", "Reuters", "AP", …); `workers.ingest` adds them to the relays a
source declares, so two outlets printing one AFP story count as one origin
(`origins.origin_key`).

A wire named in another sense is no credit: "a Reuters Institute report", "a
Reuters/Ipsos poll", "he told Reuters". Every pattern needs the credit's position (a
dateline, a line of its own, a byline) or its wording ("contributed", "Editing by").

`cited_outlets` reads "X reported" / "according to X" / "reported by X" / "citing X" for
known outlet names (KNOWN_OUTLETS and the wires) in one passage; the judge applies it
only to the passage its judgement rests on (`with_cited_origin`), since a document may
cite an outlet about something other than the claim.

Typography does not matter: no-break, narrow and thin spaces, curly quotes and every
dash are read as their plain forms first.
"""

from __future__ import annotations

import dataclasses
import re

from analysis.types import Passage

from .origins import canonical_outlet, origin_key

# Canonical wire name -> the spellings its credits use. Acronyms match as written (so
# "ap" in running text is nothing); names match in any case ("REUTERS" in a dateline).
WIRE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "A.F.P.", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "AP": ("AP", "A.P.", "Associated Press"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "Tass"),
    "Interfax": ("Interfax",),
    "RIA Novosti": ("RIA Novosti",),
    "PA": ("PA", "PA Media", "Press Association"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "PTI": ("PTI", "Press Trust of India"),
    "AAP": ("AAP", "Australian Associated Press"),
    "UPI": ("UPI", "United Press International"),
    "ANI": ("ANI", "Asian News International"),
}

# Outlets whose "X reported" / "according to X" names an origin (besides the wires).
KNOWN_OUTLETS: tuple[str, ...] = (
    "The New York Times", "NYT", "The Washington Post", "The Wall Street Journal", "WSJ",
    "Financial Times", "The Guardian", "The Times", "The Sunday Times", "The Telegraph",
    "The Independent", "The Economist", "BBC", "BBC News", "CNN", "NBC News", "CBS News",
    "ABC News", "Fox News", "NPR", "Politico", "Axios", "Sky News", "Al Jazeera", "NHK",
    "Le Monde", "Le Figaro", "Der Spiegel", "Spiegel", "Die Zeit", "Bild", "El País",
    "Corriere della Sera", "Deutsche Welle", "DW", "Radio Free Europe", "RFE/RL",
    "The Moscow Times", "Meduza", "Kommersant", "Kyiv Independent", "The Kyiv Independent",
    "Ukrainska Pravda", "RBC-Ukraine", "Kyiv Post", "Nikkei", "South China Morning Post",
    "The Hindu", "Haaretz", "The Times of Israel", "Yomiuri Shimbun", "Asahi Shimbun",
)  # fmt: skip

_TYPOGRAPHY = str.maketrans(
    {
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u2002": " ", "\u2003": " ",
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-",
    }
)  # fmt: skip


def _plain(text: str) -> str:
    return (text or "").translate(_TYPOGRAPHY)


def _spelling_pattern(spelling: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s-]+", spelling) if w]
    pattern = r"[\s-]+".join(words)
    acronym = spelling.replace(".", "").isupper() or spelling in ("dpa",)
    return pattern if acronym else f"(?i:{pattern})"


def _key(name: str) -> str:
    return " ".join(re.split(r"[\s.-]+", name.lower())).strip()


_WIRE_OF = {_key(s): canon for canon, spellings in WIRE_SPELLINGS.items() for s in spellings}
_ALL_WIRES = sorted({s for ss in WIRE_SPELLINGS.values() for s in ss}, key=len, reverse=True)
_WIRE_NAME = "(?:" + "|".join(_spelling_pattern(s) for s in _ALL_WIRES) + ")"
# A wire name, whole: not the start of "Reuters Institute" nor "APnews", nor "AP's"; a
# slash only between two wires ("AFP/Reuters", never "Reuters/Ipsos").
_W = (
    rf"(?<!\w)(?:(?i:the)\s+)?{_WIRE_NAME}(?![\w'-])(?!\s*/\s*(?!{_WIRE_NAME}(?![\w'-])))"
    r"(?!\s+(?:Institute|Foundation|Trust|Ipsos|poll|survey)\b)"
)
_W_ONE = re.compile(_W)
_W_LIST = rf"{_W}(?:\s*(?:/|,|&|\band\b)\s*{_W})*"
_DASH = r"-{1,2}"

_CREDITS = [
    # Dateline: "PARIS (AFP) - ", "KYIV, Ukraine, Jan 31 (Reuters) -", "(AP) -" opening a line.
    re.compile(
        rf"(?m)^[ \t]*(?:[A-Z][A-Za-z.' \t]{{0,30}}(?:,[A-Za-z0-9.' \t]{{1,25}}){{0,2}})?"
        rf"\(\s*{_W_LIST}\s*\)\s*(?:{_DASH}|:|$)"
    ),
    # A credit line of its own: "- Reuters", "(AFP)", "(with AFP)", "With AP", "-- AFP".
    re.compile(
        rf"(?m)^[ \t]*(?:(?:{_DASH}|\()[ \t]*(?:(?i:with)\s+)?|(?i:with)\s+){_W_LIST}[ \t]*\)?[ \t.]*$"
    ),
    # Closing a paragraph: 'he said. - Reuters', 'he said. (AFP)', '... (with AFP)'.
    re.compile(
        rf"(?m)[.!?\"][ \t]*(?:{_DASH}[ \t]*(?:(?i:with)\s+)?|\([ \t]*(?:(?i:with)\s+)?){_W_LIST}[ \t]*\)?[ \t.]*$"
    ),
    # "AP contributed to this report", "Reuters and AFP contributed reporting".
    re.compile(rf"{_W_LIST}\s+(?:also\s+)?contributed\b"),
    # "Additional reporting by AFP", "Reporting by Reuters".
    re.compile(rf"(?i:(?:additional\s+)?reporting\s+by)\s+{_W_LIST}"),
    # "Copyright 2025 The Associated Press", "© AFP 2025".
    re.compile(rf"(?:\u00a9|\((?i:c)\)|(?i:copyright))\s*(?:\d{{4}}\s*)?{_W_LIST}"),
]
# A word each credit needs (lower case), checked before its scan; () for none.
_CREDIT_WORDS: list[tuple[str, ...]] = [
    ("(",),
    (),
    (),
    ("contributed",),
    ("reporting",),
    ("\u00a9", "(c)", "copyright"),
]
# Reuters' closing credit: "(Reporting by Jane Doe; Editing by John Roe)".
_REUTERS_STYLE = re.compile(
    r"(?i:\b(?:reporting|writing)\s+by)\s+[^;()\n]{2,200};\s*(?:[^;()\n]{2,200};\s*)*?"
    r"(?i:(?:editing|edited)\s+by)\b"
)
_BYLINE_ROLE = (
    r"(?:\s+(?:[A-Z][a-z]+\s+)?(?i:staff(?:\s+writer)?|writer|reporter|correspondent|editor))?"
)
_BYLINE_PART = re.compile(rf"^\s*(?:(?i:by)\s+)?{_W}{_BYLINE_ROLE}\s*$")
# "JANE DOE AP Business Writer", "Jane Doe Associated Press Writer"
_BYLINE_TAIL = re.compile(rf"{_W}(?:\s+[A-Z][A-Za-z]+)?\s+(?i:writer|correspondent|reporter)\s*$")
_BYLINE_SPLIT = re.compile(r"\s*(?:[,|/;]|\s-+\s|\bfor\b|\band\b)\s*")
_BYLINE_LINE = re.compile(r"(?m)^[ \t]*(?i:by)\s+([^\n]{1,120})$")
# Lines of the text read for a byline ("By Jane Doe, Associated Press" under the title).
BYLINE_LINES = 6


def _wires_in(span: str) -> list[str]:
    return [_WIRE_OF[_key(re.sub(r"^(?i:the)\s+", "", m.group(0)))] for m in _W_ONE.finditer(span)]


def _byline_wires(byline: str) -> list[str]:
    found: list[str] = []
    for part in _BYLINE_SPLIT.split(byline.strip()):
        if _BYLINE_PART.match(part):
            found += _wires_in(part)
        elif tail := _BYLINE_TAIL.search(part):
            found += _wires_in(tail.group(0))
    return found


def wire_credits(text: str, byline: str = "") -> list[str]:
    """The wires `text` (and its `byline`) credit, canonical names in order of appearance."""
    plain = _plain(text)
    hits: list[tuple[int, str]] = []
    low = plain.lower()
    for pattern, needs in zip(_CREDITS, _CREDIT_WORDS, strict=True):
        if needs and not any(word in low for word in needs):
            continue  # a megabyte page is scanned only for the credits it can hold
        for m in pattern.finditer(plain):
            hits += [(m.start(), w) for w in _wires_in(m.group(0))]
    if "editing" in low or "edited" in low:
        hits += [(m.start(), "Reuters") for m in _REUTERS_STYLE.finditer(plain)]
    head = "\n".join(plain.splitlines()[:BYLINE_LINES])
    for m in _BYLINE_LINE.finditer(head):
        hits += [(m.start(), w) for w in _byline_wires(m.group(1))]
    found = [w for _, w in sorted(hits, key=lambda h: h[0])]
    found = _byline_wires(_plain(byline)) + found
    return list(dict.fromkeys(found))


def relays_with_credits(declared: list[str], text: str, byline: str = "") -> list[str]:
    """The declared relays, then the wires the text credits that none of them names."""
    out = [r for r in declared or [] if r and r.strip()]
    keys = {canonical_outlet(r) for r in out}
    for wire in wire_credits(text, byline):
        if canonical_outlet(wire) not in keys:
            keys.add(canonical_outlet(wire))
            out.append(wire)
    return out


def _outlet_pattern(name: str) -> str:
    bare = re.sub(r"^The\s+", "", name)
    return r"(?:[Tt]he\s+)?" + r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", bare))


_OUTLETS = sorted(
    {*KNOWN_OUTLETS, *(s for ss in WIRE_SPELLINGS.values() for s in ss)},
    key=len,
    reverse=True,
)
_O = (
    r"(?P<outlet>"
    + "|".join(_outlet_pattern(o) for o in _OUTLETS)
    + r")(?![\w/'-])(?!\s+(?:Institute|Foundation|Trust|Ipsos|poll|survey|journalists?)\b)"
)
_CITING = re.compile(rf"(?i:\baccording\s+to|\breported\s+by|\bciting)\s+{_O}")
# "Reuters reported": the verb is found first, then the outlet just before it; a scan that
# tried every outlet name at every offset would cost milliseconds a passage.
_REPORTED = re.compile(r"\b(?:reported|reports|was\s+reporting)\b")
_TELLER = re.compile(
    rf"(?<![\w/]){_O}\s+(?:(?i:news\s+agency|newspaper)\s+)?"
    r"(?:(?:has|had|first|also|earlier)\s+)?$"
)
# How far before "reported" the outlet's name may start.
_TELLER_REACH = 80


def cited_outlets(text: str) -> list[str]:
    """Known outlets `text` cites as the teller ("Reuters reported", "according to the
    BBC"), as written, in order of appearance; a poll or institute named after one is not."""
    plain = _plain(text)
    matches = list(_CITING.finditer(plain))
    for verb in _REPORTED.finditer(plain):
        m = _TELLER.search(plain, max(0, verb.start() - _TELLER_REACH), verb.start())
        if m:
            matches.append(m)
    hits = sorted(
        (m.start("outlet"), " ".join(m.group("outlet").split()))
        for m in matches
        if not _inside_a_name(plain, m.start("outlet"))
    )
    return list(dict.fromkeys(name for _, name in hits))


def _inside_a_name(text: str, start: int) -> bool:
    """Whether a capitalised word runs into the match: "Times" in "Los Angeles Times"."""
    before = text[max(0, start - 40) : start].split()
    return bool(before) and before[-1][:1].isupper() and before[-1][-1:] not in ".,;:!?\"'"


def with_cited_origin(p: Passage) -> Passage:
    """The passage with the outlet it cites (not its own) as its origin, when it cites one:
    what "Reuters reported" carries comes from Reuters, whoever prints it."""
    own = canonical_outlet(p.outlet) if p.outlet else ""
    cited = [c for c in cited_outlets(p.text) if canonical_outlet(c) != own]
    if not cited:
        return p
    first = cited[0]
    relays = [first, *(r for r in p.relays if canonical_outlet(r) != canonical_outlet(first))]
    return dataclasses.replace(p, relays=relays, origin=origin_key(p.outlet, relays))
