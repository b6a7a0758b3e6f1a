"""A compact reader of numbers, durations and dates in source passages.

A passage is raw text from a source document, not an extracted claim, so the claim
extractor's richer reader is not run on it; this one is deliberately small. It knows:
digits ("2,700", "3 million", "50%", "50 percent"), number words ("eleven thousand",
"three weeks", "a week"), word fractions ("half", "a third", "halved"), qualifiers
("about", "some", "over", "nearly", "up to", ...), the noun counted (mapped to a family
in `lexicon.UNIT_FAMILIES`), durations in days, and month/day/year dates resolved
against the passage's publication date. "300 killed and 2,700 wounded" also yields a
casualties total of 3,000.

Every value comes with the interval its qualifier allows (`tolerance.interval`).
Overlap: `analysis.extraction` reads claims with its own, richer reader; the two should
be unified later (see the report in the corroboration package docstring).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from analysis.numbers import read_number

from .lexicon import (
    DURATION_DAYS,
    FRACTION_WORDS,
    MONTHS,
    QUALIFIERS,
    SCOPE_CUES,
    STOPWORDS,
    UNIT_WORDS,
)
from .tolerance import interval

COUNT, PERCENT, DURATION, DATE = "count", "percent", "duration", "date"


@dataclass
class Mention:
    """One number in a text, in comparable form.

    kind: count | percent (fractions are stored as percent, 0-100) | duration (days) |
    date (value is the ordinal of the first day; low/high bound the named period).
    """

    text: str
    start: int
    end: int
    kind: str
    value: float
    low: float
    high: float
    qualifier: str = ""  # normalised: about | nearly | over | up_to | under | exact | ""
    unit: str = ""  # the noun as written ("troops", "artillery shells", "weeks")
    family: str = ""  # lexicon family, or "noun:<stem>" for an unknown noun
    modifier: str = ""  # capitalised words before the noun ("North Korean")
    scoped: bool = False  # "in some areas": applies to part of the whole
    reduction: bool = False  # "cut in half", "fell by a third": a change, not a share
    parts: list[Mention] = field(default_factory=list)  # killed + wounded for a total
    role: str = ""  # what the count is of: killed, injured, population, usual, ... (ROLE_CUES)

    def describe(self) -> str:
        return " ".join(self.text.split())


_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion)"
)
# "two-thirds", "two thirds", typeset with a no-break space or hyphen too.
_FRACTION = r"(?:(?:two|three)[-\u2011\s]thirds|three[-\u2011\s]quarters|(?:a|one)[-\u2011\s](?:half|third|quarter|fifth|tenth)|half|halved)"
# Thousands grouped by commas, or by a no-break, narrow no-break or thin space ("11 000",
# typeset): never by a plain space, where "in 2024 300 people" is two numbers.
_THOUSANDS_SPACE = "\u00a0\u202f\u2009"
_DIGITS = (
    rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:[{_THOUSANDS_SPACE}]\d{{3}})+(?!\d)(?:\.\d+)?"
    r"|\d+(?:\.\d+)?"
)
_SCALE = r"(?:\s*(?:million|billion|thousand|bn|mln)\b)?"
_PCT = r"(?:\s*(?:%|per\s?cent\b|percent\b))?"
NUMBER_RE = re.compile(
    rf"\b(?P<frac>{_FRACTION})\b"
    rf"|(?P<dig>{_DIGITS}){_SCALE}{_PCT}"
    rf"|\b(?P<word>{_NUMWORD}(?:(?:\s+|-|\s+and\s+){_NUMWORD})*|a\s+(?:hundred|thousand|million|dozen)|an?(?=\s+(?:day|week|month|year|fortnight)\b))\b{_PCT}",
    re.I,
)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_RE = re.compile(
    rf"\b(?:(?P<pos>early|mid|late|last|this|next|end of|start of|beginning of)[- ]+)?"
    rf"(?:(?P<day1>\d{{1,2}})\s+)?(?P<month>{_MONTH_NAMES})\.?(?!\w)(?:\s+(?P<day2>\d{{1,2}})(?!\d))?(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    rf"|\b(?:in|since|during|of|by)\s+(?P<yonly>(?:19|20)\d\d)\b",
    re.I,
)
_QUAL_BEFORE = re.compile(
    r"(?:" + "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True)) + r")\s+$",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def _qualifier(text: str, start: int) -> tuple[str, int]:
    m = _QUAL_BEFORE.search(text[max(0, start - 24) : start])
    if not m:
        return "", start
    q = " ".join(m.group(0).lower().split())
    return QUALIFIERS.get(q, ""), start - len(m.group(0))


def _unit_after(text: str, end: int, percent: bool) -> tuple[str, str, str, int]:
    """The counted noun after a number: (unit, family, modifier, end offset)."""
    window = text[end : end + 80]
    tokens = list(_WORD.finditer(window))
    if percent:
        # "50% of Russia's ammunition", "half of the artillery shells"
        m = re.match(r"\s*(?:[-\u2013\u2014,]\s*)?of\s+", window, re.I)
        if not m:
            return "", "", "", end
        tokens = [t for t in tokens if t.start() >= m.end()]
    modifier: list[str] = []
    for i, tok in enumerate(tokens[:5]):
        w = tok.group(0).lower().rstrip("'\u2019")
        if w.endswith("'s") or w.endswith("\u2019s"):
            continue  # "Russia's"
        if w in UNIT_WORDS:
            unit, uend = tok.group(0), tok.end()
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and UNIT_WORDS.get(nxt.group(0).lower()) == UNIT_WORDS[w]
                and not window[uend : nxt.start()].strip()
            ):
                unit, uend = window[tok.start() : nxt.end()], nxt.end()  # "artillery shells"
            return unit, UNIT_WORDS[w], " ".join(modifier), end + uend
        if w in DURATION_DAYS:
            return tok.group(0), "duration", "", end + tok.end()
        if tok.group(0)[0].isupper():
            modifier.append(tok.group(0))
            continue
        if i == 0 and w not in STOPWORDS and not percent and w not in ("and", "or"):
            # Unknown noun right after the number: comparable only with the same noun.
            from .text import stem

            return tok.group(0), "noun:" + stem(w), "", end + tok.end()
        if w in STOPWORDS and not percent:
            break
    return "", "", " ".join(modifier), end


_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<code>US\$|A\$|C\$|USD|EUR|GBP|JPY|CHF|INR)\s?|(?P<sym>[$\u20ac\u00a3\u00a5\u20b9]))$"
)
_CURRENCY_AFTER = re.compile(
    r"\s*(?:(?:US|U\.S\.|Australian|Canadian)\s+)?(?P<word>dollars?|euros?|pounds?(?:\s+sterling)?|yen|rupees?)\b",
    re.I,
)
_PER_UNIT = re.compile(
    r"\s*(?:(?:a|an|per)\s+|-a-|/)(?P<per>share|year|annum|season|month|week|day|hour|head|"
    r"person|barrel|tonne|ton|unit)\b|\s+(?:each|apiece)\b",
    re.I,
)
_THRESHOLD_WORDS = ("needed", "required", "necessary")
_THRESHOLD_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:needed|required|necessary)\b", re.I)
# "previous" or "prior" shortly before a figure, with no other figure between ("former"
# is left out: it names people, "the former chief executive said 300 jobs would go")
_PREVIOUS_BEFORE = re.compile(r"\b(?:previous|prior)\b[^\d]{0,45}$", re.I)


# "Two sources told CNN", "three officials said"; "people" only with an anonymity cue,
# since "300 people said they had lost their homes" is the event's own figure.
_SPEAKER_HEADS = frozenset(
    "source sources official officials aide aides insider insiders diplomat diplomats".split()
)
_PEOPLE_HEADS = frozenset("people person persons".split())
_ANONYMOUS_AFTER = (
    r"familiar\s+with|close\s+to|with\s+(?:direct\s+)?knowledge|briefed|speaking\s+on|"
    r"who\s+(?:spoke|asked|requested|declined)"
)
_SPEAKER_AFTER = re.compile(rf"\s*,?\s*(?:told|said|say|says|{_ANONYMOUS_AFTER})\b", re.I)
_PEOPLE_AFTER = re.compile(rf"\s*,?\s*(?:{_ANONYMOUS_AFTER})\b", re.I)
_SPEAKER_BEFORE = re.compile(r"\b(?:according\s+to|citing|quoting)\s+$", re.I)


def _speaker_count(text: str, start: int, end: int, unit: str) -> bool:
    """'two sources told CNN', 'according to three officials': the count of speakers."""
    head = unit.lower()
    if head in _PEOPLE_HEADS:
        return bool(_PEOPLE_AFTER.match(text, end))
    if head not in _SPEAKER_HEADS:
        return False
    return bool(_SPEAKER_AFTER.match(text, end) or _SPEAKER_BEFORE.search(text[:start]))


def _clause_before(text: str, start: int) -> str:
    """The words before `start` back to the sentence's start (at most 60 characters)."""
    before = text[max(0, start - 60) : start]
    return re.split(r"[.;:!?]\s", before)[-1]


_SYMBOL = {
    "$": "USD", "US$": "USD", "USD": "USD", "A$": "AUD", "C$": "CAD",
    "\u20ac": "EUR", "EUR": "EUR", "\u00a3": "GBP", "GBP": "GBP",
    "\u00a5": "JPY", "JPY": "JPY", "CHF": "CHF", "\u20b9": "INR", "INR": "INR",
}  # fmt: skip
_WORD_CURRENCY = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "yen": "JPY", "rupee": "INR"}


def _currency(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The currency of the number at [start, end) as an ISO code ("" if none), and the
    span that includes its symbol or word."""
    m = _CURRENCY_BEFORE.search(text[max(0, start - 4) : start])
    if m:
        return _SYMBOL[m.group("code") or m.group("sym")], start - len(m.group(0)), end
    m = _CURRENCY_AFTER.match(text, end)
    if m:
        word = m.group("word").lower().split()[0].rstrip("s")
        return _WORD_CURRENCY.get(word, ""), start, m.end()
    return "", start, end


# What a count is of, read from the words next to it. Two counts of the same noun are
# compared only when their roles agree (a death toll is not a city's population, nor a
# usual year's cases a suspected-case count). First match nearest the number wins.
ROLE_CUES: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "dead", "died", "death", "deaths", "fatalities", "lost their lives",
               "perished", "drowned", "death toll", "bodies"),
    "injured": ("injured", "wounded", "hurt", "injuries", "hospitalised", "hospitalized"),
    "missing": ("missing", "unaccounted"),
    "displaced": ("evacuated", "displaced", "homeless", "fled", "evacuation"),
    "population": ("population", "residents", "inhabitants", "home to", "people live",
                   "lives in", "live in"),
    "usual": ("usual", "usually", "average", "typical", "normally", "each year", "every year",
              "a year", "per year", "annually", "annual"),
    "cases": ("cases", "infected", "infections", "suspected", "confirmed cases", "tested positive"),
    "arrested": ("arrested", "detained", "charged", "jailed"),
    "jobs_cut": ("laid off", "layoffs", "job cuts", "redundancy", "redundancies", "cut", "cuts",
                 "axed", "shed"),
    "price": ("price", "valued", "worth", "paid", "pay", "buy", "bought", "acquire", "deal",
              "sold", "sale", "offer", "bid", "takeover", "acquisition", "purchase", "fee"),
    "severance": ("severance", "payout", "compensation", "settlement"),
}  # fmt: skip
_ROLE_RE = [
    # A cue is a whole word or takes an inflection ("buying", "offered"), never a longer
    # word it happens to begin ("bid" is not "Biden", "dead" is not "deadline").
    (
        role,
        re.compile(
            r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")(?:s|es|d|ed|ing)?\b", re.I
        ),
    )
    for role, cues in ROLE_CUES.items()
]
_CLAUSE_STOP = re.compile(r"[.;:!?]|,\s+(?:and|but|while|whereas)\b|\band\b|\bwhile\b")


def role_of(text: str, start: int, end: int) -> str:
    """The role of the count at [start, end): the nearest role cue in its clause, looking
    a few words either side ("12 people were killed", "injured 40", "a population of")."""
    before = text[max(0, start - 50) : start]
    cut = list(_CLAUSE_STOP.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    after = text[end : end + 50]
    stop = _CLAUSE_STOP.search(after)
    if stop:
        after = after[: stop.start()]
    best: tuple[int, str] | None = None
    for role, pattern in _ROLE_RE:
        for m in pattern.finditer(after):
            d = m.start()
            if best is None or d < best[0]:
                best = (d, role)
            break
        for m in pattern.finditer(before):
            d = len(before) - m.end()
            if best is None or d < best[0]:
                best = (d, role)
    return best[1] if best else ""


def _scoped(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 30) : start]
    before = re.split(r"\d", before)[-1]  # only words since the previous number
    # A dash ends the phrase however it is typed: em or en dash, "--" or a spaced hyphen.
    after = re.split(r"[,;.\u2014\u2013]|--|\s-\s|\d", text[end : end + 40])[0]
    return bool(SCOPE_CUES.search(before) or SCOPE_CUES.search(after))


def _resolve_month(
    month: int, year: int | None, pos: str, ref: date | None
) -> tuple[date, date] | None:
    if year is None:
        if ref is None:
            return None
        year = ref.year
        if pos == "next":
            if month <= ref.month:
                year += 1
        elif pos == "last":
            if month >= ref.month:
                year -= 1
        elif month > ref.month:
            year -= 1  # a bare month in news is the most recent one
    last = calendar.monthrange(year, month)[1]
    a, b = 1, last
    if pos == "early" or pos in ("start of", "beginning of"):
        b = 10
    elif pos == "mid":
        a, b = 10, 20
    elif pos in ("late", "end of"):
        a = 20
    return date(year, month, a), date(year, month, b)


def _read_dates(text: str, published_at: datetime | date | None = None) -> list[Mention]:
    ref = published_at.date() if isinstance(published_at, datetime) else published_at
    out: list[Mention] = []
    for m in DATE_RE.finditer(text):
        if m.group("yonly"):
            y = int(m.group("yonly"))
            a, b = date(y, 1, 1), date(y, 12, 31)
            s, e = m.start("yonly"), m.end("yonly")
        else:
            mon_word = m.group("month").lower()
            raw_month = text[m.start("month") : m.end("month")]
            if (
                mon_word == "may"
                and not (m.group("day1") or m.group("day2") or m.group("year"))
                and raw_month != "May"
            ):
                continue  # the verb "may"
            if (
                mon_word
                in ("mar", "jun", "jul", "sep", "oct", "nov", "dec", "jan", "feb", "apr", "aug")
                and raw_month[0].islower()
            ):
                continue
            month = MONTHS[mon_word]
            year = int(m.group("year")) if m.group("year") else None
            pos = (m.group("pos") or "").lower()
            span = _resolve_month(month, year, pos, ref)
            if span is None:
                continue
            day = m.group("day1") or m.group("day2")
            if day and 1 <= int(day) <= calendar.monthrange(span[0].year, month)[1]:
                a = b = date(span[0].year, month, int(day))
            else:
                a, b = span
            s, e = m.start(), m.end()
            while e > s and text[e - 1] in ". ,":
                e -= 1
        out.append(
            Mention(
                text=text[s:e],
                start=s,
                end=e,
                kind=DATE,
                value=a.toordinal(),
                low=a.toordinal(),
                high=b.toordinal(),
                family="date",
            )
        )
    return out


def _read_quantities(text: str, published_at: datetime | date | None = None) -> list[Mention]:
    """Counts, percentages/fractions and durations in `text` (dates: see read_dates)."""
    dates = read_dates(text, published_at)
    taken = [(d.start, d.end) for d in dates]
    out: list[Mention] = []
    for m in NUMBER_RE.finditer(text):
        s, e = m.start(), m.end()
        if any(a <= s < b for a, b in taken):
            continue
        raw = m.group(0)
        lower = raw.lower()
        percent = bool(re.search(r"%|per\s?cent|percent", lower))
        reduction = False
        if m.group("frac"):
            frac = " ".join(
                m.group("frac").lower().replace("-", " ").replace("\u2011", " ").split()
            )
            value = FRACTION_WORDS.get(frac, FRACTION_WORDS.get(frac.replace(" ", "-"), 0.5)) * 100
            kind = PERCENT
            percent = True
            verb = re.search(
                r"(?:cut|fell|fallen|dropped|reduced|declined|shrunk|down)\s+(?:\w+\s+)?(?:in|by)\s+$",
                text[max(0, s - 30) : s],
                re.I,
            )
            reduction = frac == "halved" or bool(verb)
        elif m.group("dig"):
            digits = m.group("dig")
            if re.fullmatch(r"(?:19|20)\d\d", digits) and not percent:
                continue  # a year outside a date phrase
            value = float(re.sub(rf"[,{_THOUSANDS_SPACE}]", "", digits))
            sc = re.search(r"million|billion|thousand|bn|mln", lower)
            if sc:
                value *= {"million": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "thousand": 1e3}[
                    sc.group(0)
                ]
            kind = PERCENT if percent else COUNT
        else:
            word = re.sub(r"\s*(?:%|per\s?cent|percent)$", "", m.group("word"), flags=re.I)
            v = read_number(word)
            if v is None:
                continue
            value = v
            kind = PERCENT if percent else COUNT
            if lower in ("one",) and re.match(r"\s+of\b", text[e : e + 4]):
                continue  # "one of the ..."
        currency, cstart, cend = _currency(text, s, e)
        # "nearly $70 billion": the qualifier stands before the currency symbol
        qual, qstart = _qualifier(text, cstart if kind == COUNT else s)
        if m.group("frac") and reduction and verb:
            qstart = s - len(verb.group(0))  # "cut in half", "fell by half"
        if m.group("frac") and not qual:
            qual = "about"  # word fractions are round by nature
        unit, family, modifier, uend = _unit_after(text, e, percent)
        if currency and kind == COUNT:
            # "$2.5 billion", "€300 million", "40 million euros": money, comparable only
            # with money in the same currency
            unit, family = currency, "money:" + currency
            uend = max(uend, cend)
            rate = _PER_UNIT.match(text, uend)
            if rate:
                # "$95 a share", "€30 million a year": a rate is not a total price
                per = rate.group("per") or "each"
                per = {"annum": "year", "apiece": "each"}.get(per.lower(), per.lower())
                unit, family = f"{currency}/{per}", f"money:{currency}/{per}"
                uend = rate.end()
                taken.append((rate.start(), rate.end()))
            if not qual:
                qstart = cstart
        if kind == COUNT and family and _PREVIOUS_BEFORE.search(_clause_before(text, qstart)):
            # "the previous record, the €105 million paid for ...", "its previous biggest
            # purchase, the $26.2 billion ...": an earlier figure, not the claim's own
            family = "previous:" + family
        elif kind == COUNT and (
            _THRESHOLD_AFTER.match(text, uend) or unit.lower() in _THRESHOLD_WORDS
        ):
            # "the 270 electoral votes needed to win": the bar to clear, not a tally
            family = "threshold:" + ("" if unit.lower() in _THRESHOLD_WORDS else family)
        if kind == COUNT and family == "duration":
            kind = DURATION
            # the table's key: "years’ imprisonment" is years (no apostrophe, any quote)
            value *= DURATION_DAYS[unit.lower().rstrip("'\u2019")]
        elif kind == COUNT and lower in ("a", "an"):
            continue
        if kind == COUNT and not family and value < 1000 and not m.group("dig"):
            # a bare number word without a noun ("one", "two") says too little to compare
            continue
        if kind == COUNT and _speaker_count(text, qstart, uend, unit):
            continue  # "two sources told CNN": who says it, not a figure of the event
        low, high = interval(value, qual, kind)
        mention = Mention(
            text=text[qstart:uend] if uend > e else text[qstart:e],
            start=qstart,
            end=max(e, uend),
            kind=kind,
            value=value,
            low=low,
            high=high,
            qualifier=qual,
            unit=unit,
            family=family,
            modifier=modifier,
            reduction=reduction,
        )
        mention.scoped = _scoped(text, qstart, e)
        if kind == COUNT:
            mention.role = role_of(text, qstart, max(e, uend))
        out.append(mention)
    # "over 50%, and in some areas more than 70%, of the shells": the first share counts
    # the same noun as the second.
    for a, b in zip(out, out[1:], strict=False):
        if a.kind == b.kind == PERCENT and not a.family and b.family and b.start - a.end < 60:
            a.unit, a.family, a.modifier = b.unit, b.family, b.modifier
    out.extend(_casualty_totals(text, out))
    return out


def _casualty_totals(text: str, mentions: list[Mention]) -> list[Mention]:
    """'300 killed and 2,700 wounded' -> a casualties total of 3,000."""
    totals = []
    counts = [m for m in mentions if m.kind == COUNT]
    for a, b in zip(counts, counts[1:], strict=False):
        fams = {a.family, b.family}
        if fams == {"killed", "wounded"} and re.fullmatch(
            r"[\s,]*(?:and|,)\s*", text[a.end : b.start]
        ):
            value = a.value + b.value
            qual = "about" if "about" in (a.qualifier, b.qualifier) else ""
            low, high = a.low + b.low, a.high + b.high
            totals.append(
                Mention(
                    text=text[a.start : b.end],
                    start=a.start,
                    end=b.end,
                    kind=COUNT,
                    value=value,
                    low=low,
                    high=high,
                    qualifier=qual,
                    unit="casualties",
                    family="casualties",
                    modifier=a.modifier or b.modifier,
                    parts=[a, b],
                )
            )
    return totals


# An article's claims are judged against the same passages, and every claim against the
# article's own numbers: the readings are cached per process. Callers get copies (they
# shift offsets and fill in resolved dates), so the cached ones never change.


def _copy(m: Mention) -> Mention:
    return replace(m, parts=[_copy(p) for p in m.parts])


@functools.lru_cache(maxsize=4096)
def _dates_cached(text: str, published_at: datetime | date | None) -> tuple[Mention, ...]:
    return tuple(_read_dates(text, published_at))


@functools.lru_cache(maxsize=4096)
def _quantities_cached(text: str, published_at: datetime | date | None) -> tuple[Mention, ...]:
    return tuple(_read_quantities(text, published_at))


def read_dates(text: str, published_at: datetime | date | None = None) -> list[Mention]:
    """Dates and periods in `text`, resolved against `published_at` where relative."""
    return [_copy(m) for m in _dates_cached(text, published_at)]


def read_quantities(text: str, published_at: datetime | date | None = None) -> list[Mention]:
    """Counts, percentages/fractions and durations in `text` (dates: see read_dates)."""
    return [_copy(m) for m in _quantities_cached(text, published_at)]
