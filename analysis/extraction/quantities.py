"""Quantities in a sentence: value, qualifier, the bounds it allows, and what is counted.

Handles digits with separators ("11,000", "3.5"), scale words ("2.4 million"), number
words ("eleven", "twenty-five", "a dozen"), percentages ("over 50%", "12 percent"),
fractions ("half", "a third", "two-thirds", "one in five"), changes ("cut in half",
"halved", "doubled", "fell by 20%"), ranges ("between 10 and 20", "10-20") and money.
The unit is the counted noun ("troops") or "% of <noun phrase>".
"""

from __future__ import annotations

import re

from analysis.numbers import SMALL, TENS, read_number
from analysis.types import Quantity

_SMALL = dict(SMALL)
_TENS = dict(TENS)
_SCALE = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1e12,
    "bn": 1e9,
    "m": 1e6,
    "k": 1e3,
    "mn": 1e6,
    "tn": 1e12,
}
_FRACTIONS = {
    "half": 0.5,
    "a half": 0.5,
    "one half": 0.5,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "one-third": 1 / 3,
    "two-thirds": 2 / 3,
    "two thirds": 2 / 3,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "one-quarter": 0.25,
    "three-quarters": 0.75,
    "three quarters": 0.75,
    "a fifth": 0.2,
    "one-fifth": 0.2,
    "one fifth": 0.2,
    "two-fifths": 0.4,
    "a tenth": 0.1,
    "one-tenth": 0.1,
    "a majority": None,
    "the majority": None,
}

_SMALLW = "|".join(sorted(_SMALL, key=len, reverse=True))
_TENSW = "|".join(_TENS)
_WORDNUM = rf"(?:(?:{_TENSW})(?:[-\s](?:{_SMALLW}))?|{_SMALLW}|a dozen|dozens|hundreds|thousands|millions|billions|a hundred|a thousand|a million)"
_DIGITS = r"\d{1,3}+(?:,\d{3})++(?:\.\d++)?+|\d++(?:\.\d++)?+"
_SCALEW = r"(?:\s*(?:hundred|thousand|million|billion|trillion|bn|mn|tn)\b|(?:m|k|bn)\b)"
_QUAL = (
    r"(?P<qual>an estimated|estimated|approximately|about|around|roughly|some|nearly|almost|close to|just over|"
    r"just under|well over|over|more than|at least|upwards of|up to|as many as|as much as|at most|no more than|"
    r"less than|fewer than|under|below|exactly|precisely|only|just)\s+"
)
_CURRENCY = r"(?P<cur>[$\u20ac\u00a3\u00a5]|US\$|USD\s?|EUR\s?|GBP\s?)"
_NUMBER_RE = re.compile(
    rf"(?:{_QUAL})?(?:between\s+)?{_CURRENCY}?(?<![\w.,])(?P<num>{_DIGITS}|{_WORDNUM}\b)(?P<scale>{_SCALEW})?"
    rf"(?:\s*(?:-|\u2013|to|and)\s*(?:[$\u20ac\u00a3\u00a5])?(?P<num2>{_DIGITS})(?P<scale2>{_SCALEW})?)?"
    rf"(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b|\s+percentage points?\b)?",
    re.I,
)
_FRACTION_RE = re.compile(
    r"(?:(?P<qual>nearly|almost|about|around|roughly|more than|over|less than|under|just over|just under|some)\s+)?"
    r"\b(?P<frac>two-thirds|two thirds|three-quarters|three quarters|one-third|one third|a third|one-quarter|one quarter|"
    r"a quarter|one-fifth|one fifth|a fifth|two-fifths|one-tenth|a tenth|one half|a half|half)\b"
    r"(?:\s+of\b)?",
    re.I,
)
_ONE_IN_RE = re.compile(
    r"\b(?P<a>one|two|three|\d{1,2})\s+(?:in|out of)\s+(?P<b>two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\b",
    re.I,
)
_CHANGE_RE = re.compile(
    r"\b(?P<verb>cut in half|halved|cut by half|reduced by half|fell by half|dropped by half|doubled|tripled|trebled|"
    r"quadrupled|cut by (?:a third|two-thirds|a quarter)|(?:rose|risen|rise|rises|rising|increased|increases|increasing|grew|"
    r"grown|growing|jumped|climbed|gained|expanded|expanding|edged (?:up|higher|down|lower)|fell|fallen|falling|dropped|"
    r"dropping|declined|declining|decreased|decreases|decreasing|slipped|slid|plunged|tumbled|surged|soared|cut|reduced|"
    r"contracted|contracting|contracts|shrank|shrunk|shrinking)\s+(?:by\s+)?"
    r"(?:(?P<qual>about|around|nearly|almost|more than|over|roughly|some)\s+)?(?P<num>\d+(?:\.\d+)?)\s?(?:%|per\s?cent|percent)"
    r"(?:age points?)?)",
    re.I,
)
_CHANGE_WORDS = {
    "cut in half": 0.5,
    "halved": 0.5,
    "cut by half": 0.5,
    "reduced by half": 0.5,
    "fell by half": 0.5,
    "dropped by half": 0.5,
    "doubled": 2.0,
    "tripled": 3.0,
    "trebled": 3.0,
    "quadrupled": 4.0,
    "cut by a third": 2 / 3,
    "cut by two-thirds": 1 / 3,
    "cut by a quarter": 0.75,
}
_DOWN = re.compile(
    r"^(?:fell|fall|drop|declin|decreas|slip|slid|plung|tumbl|cut|reduc|contract|shr|edged (?:down|lower))",
    re.I,
)
# Clock times and ages are not claimed quantities: "at 11:47 p.m.", "Darnell Whitfield, 52, was".
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.m\.|[ap]m\b)|\b\d{1,2}:\d{2}\b", re.I)
_AGE = re.compile(r"\b[A-Z][\w\u00c0-\u017f'\u2019\-]+,\s(\d{1,3}),\s")
# Past-tense verbs that are not -ed forms, so a counted noun stops before them ("6.4 quake hit").
_IRREGULAR_PAST = frozenset(
    """hit struck fell rose grew left came went began took made told held ran cut put set led met won lost paid
    sold built sent kept brought spent fled fought shot stood became""".split()
)

_UNIT_STOP = frozenset(
    """a an the of in on at for from to by with and or but that which who whom whose as than
    is are was were be been being have has had do does did will would could should may might must can
    now also still just only already reportedly said say says told according since during after before
    while when where whereas if this these those it its their his her our your my
    per each every last next this year years month months week weeks day days percent over under into across
    them they us we you him me whom one two three four five six seven eight nine ten eleven twelve twenty
    thirty forty fifty hundred thousand million billion some many most all several
    above below beyond within without among between across along against toward towards through near
    off out up down away back around""".split()
)
# Lowercase only: "10,000 hectares north of Athens" but "11,000 North Korean troops".
_DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest near nearly around".split()
)
# Names with digits in them are not quantities: "Su-24", "F-16s", "COVID-19", "Boeing 737",
# "S&P 500", "FTSE 100". The first alternative also keeps them one token for unit words.
_MODEL = re.compile(
    r"\b[A-Z][A-Za-z]{0,5}-\d{1,4}(?:[A-Za-z]{1,3}\d{0,2})?\b|"
    r"\b(?:Boeing|Airbus|Embraer|Bombardier|Tupolev|Ilyushin|Antonov|Sukhoi|iPhone|Galaxy|Pixel|Model|Type|Patriot|"
    r"Leopard|Abrams|Challenger)\s[A-Z]?\d{1,4}(?:-\d{1,3})?[A-Za-z]{0,3}\b|"
    r"\bS&P\s?500\b|\b(?:FTSE|Nasdaq|NASDAQ|Stoxx|STOXX|Nikkei|Russell|CAC|DAX|Hang Seng|ASX|Sensex|Nifty|MSCI World)\s\d{2,4}\b"
)
_WORD_RE = re.compile(
    r"[A-Z][A-Za-z]{0,5}-\d{1,4}[A-Za-z]{0,3}\d{0,2}|[A-Za-z][A-Za-z\-'\u2019]*|\S"
)
# A counted time span ("within 15 days", "has 30 days to"): the unit is the time word.
_TIME_UNIT = re.compile(r"\s(?P<u>days?|weeks?|months?|years?|hours?|minutes?|decades?)\b", re.I)
_POSSESSIVE = re.compile(r"^[A-Z][\w\-]*(?:'s|\u2019s)$")


def parse_number(text: str) -> float | None:
    """A number as the extractor's patterns match it (analysis.numbers.read_number)."""
    return read_number(text)


def bounds(
    value: float | None, qualifier: str, *, percent: bool = False
) -> tuple[float | None, float | None]:
    """The interval a qualifier allows around a stated value."""
    if value is None:
        return None, None
    q = qualifier.lower()
    cap = 100.0 if percent else None
    lo: float | None
    hi: float | None
    if q in ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated"):
        lo, hi = value * 0.9, value * 1.1
    elif q in ("nearly", "almost", "close to", "just under"):
        lo, hi = value * 0.9, value
    elif q in ("over", "more than", "at least", "upwards of", "just over", "well over"):
        lo, hi = value, cap
    elif q in ("up to", "as many as", "as much as", "at most", "no more than"):
        lo, hi = None, value
    elif q in ("less than", "fewer than", "under", "below"):
        lo, hi = (0.0 if percent else None), value
    else:
        lo, hi = value, value
    if hi is not None and cap is not None:
        hi = min(hi, cap)
    return (round(lo, 6) if lo is not None else None), (round(hi, 6) if hi is not None else None)


def find_quantities(sentence: str, offset: int, exclude: list[tuple[int, int]]) -> list[Quantity]:
    """Quantities in `sentence`; `exclude` are sentence-relative spans (times) to skip."""
    out: list[Quantity] = []
    value: float | None
    m: re.Match[str] | None
    taken = list(exclude)
    taken.extend(m.span() for m in _CLOCK.finditer(sentence))
    taken.extend(m.span(1) for m in _AGE.finditer(sentence))
    taken.extend(m.span() for m in _MODEL.finditer(sentence))

    def free(s: int, e: int) -> bool:
        return not any(a < e and s < b for a, b in taken)

    for m in _CHANGE_RE.finditer(sentence):
        s, e = m.span()
        verb = m.group("verb").lower()
        if verb in _CHANGE_WORDS:
            value = _CHANGE_WORDS[verb]
            unit = _subject_noun(sentence, s)
            q = Quantity(
                text=m.group(0),
                start=offset + s,
                end=offset + e,
                value=value,
                low=value,
                high=value,
                qualifier="",
                unit=unit,
                kind="change",
            )
        else:
            v = float(m.group("num"))
            qual = (m.group("qual") or "").lower()
            lo, hi = bounds(v, qual, percent=True)
            if _DOWN.match(verb):
                v = -v
                lo, hi = (-hi if hi is not None else None), (-lo if lo is not None else None)
            q = Quantity(
                text=m.group(0),
                start=offset + s,
                end=offset + e,
                value=v,
                low=lo,
                high=hi,
                qualifier=qual,
                unit="%",
                kind="change",
            )
        out.append(q)
        taken.append((s, e))

    for m in _FRACTION_RE.finditer(sentence):
        s, e = m.span()
        if not free(s, e):
            continue
        frac = m.group("frac").lower()
        value = _FRACTIONS.get(frac)
        qual = (m.group("qual") or "").lower()
        lo, hi = bounds(value, qual)
        unit = _noun_after(sentence, e) if m.group(0).lower().endswith(" of") else ""
        if re.match(
            r"\s+an?\s+(?:century|decade|year|month|week|day|hour|minute|dozen|mile|kilometre|kilometer)",
            sentence[e : e + 16],
            re.I,
        ):
            continue
        if frac == "half" and re.search(
            r"\b(?:first|second|latter|former|other|back|front)\s+$",
            sentence[max(0, s - 12) : s],
            re.I,
        ):
            continue  # "the first half of the year" is a period, not a share
        if frac == "half" and not m.group(0).lower().endswith(" of") and not qual:
            # "half" alone ("in half", "second half") is not a quantity by itself.
            continue
        out.append(
            Quantity(
                text=sentence[s:e] + (" " + unit if unit else ""),
                start=offset + s,
                end=offset + e,
                value=value,
                low=lo,
                high=hi,
                qualifier=qual,
                unit=unit,
                kind="fraction",
            )
        )
        taken.append((s, e))

    for m in _ONE_IN_RE.finditer(sentence):
        s, e = m.span()
        if not free(s, e):
            continue
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a and b:
            out.append(
                Quantity(
                    text=m.group(0),
                    start=offset + s,
                    end=offset + e,
                    value=a / b,
                    low=a / b,
                    high=a / b,
                    unit=_noun_after(sentence, e),
                    kind="fraction",
                )
            )
            taken.append((s, e))

    pos, n = 0, len(sentence)
    while pos < n:
        m = _NUMBER_RE.search(sentence, pos)
        if m is None:
            break
        pos = max(m.end(), pos + 1)
        if m.group("num2") and _bad_range(m):
            # "in 2026 to 1.3 per cent", "5 to 3": not a range; read the second number on its own.
            nxt = _NUMBER_RE.match(sentence, m.start("num2"))
            if nxt is not None and nxt.end() > m.start("num2"):
                pos = m.start("num2")
                m = _NUMBER_RE.match(sentence, m.start(), m.start("num2"))
                if m is None:
                    continue
        s, e = m.span()
        ns = m.start("num")
        if not free(ns, m.end("num")):
            continue
        raw = m.group("num")
        value = parse_number(raw)
        if value is None:
            continue
        lowered = raw.lower()
        if lowered in ("one",) and not (m.group("pct") or m.group("scale")):
            continue  # "one of the", "one day": rarely a checkable count
        scale = (m.group("scale") or "").strip().lower()
        if scale:
            value *= _SCALE.get(scale, 1)
        qual = (m.group("qual") or "").lower()
        if qual in ("only", "just"):
            qual = "" if qual == "just" else qual
        pct = bool(m.group("pct"))
        cur = m.group("cur")
        value2 = None
        if m.group("num2"):
            value2 = parse_number(m.group("num2"))
            sc2 = (m.group("scale2") or "").strip().lower()
            if value2 is not None and sc2:
                value2 *= _SCALE.get(sc2, 1)
            elif value2 is not None and scale and not sc2:
                value2 *= _SCALE.get(scale, 1)
            if value2 is not None and value2 < value:
                value2 = None  # "2024-25"-like or "5 to 3": not a range
        # Skip things that are not quantities: ordinal-ish numbers glued to letters, times.
        glued = re.match(
            r"(?:\u00b0\s?[CF]|[CF]|km|kg|mm|cm|mph|kph|kmh|mw|gw|kwh|t)\b",
            sentence[e : e + 5],
            re.I,
        )
        if e < len(sentence) and sentence[e : e + 1].isalpha() and not pct and not glued:
            continue
        if _looks_like_year(raw, sentence, ns) and not pct and not cur:
            continue
        kind = "percent" if pct else ("money" if cur else "count")
        unit = ""
        if pct:
            unit = "%"
            of = _percent_of(sentence, e)
            if of:
                unit = "% of " + of
        elif cur:
            unit = cur.strip()
        elif glued:
            unit = glued.group(0)
            e += len(unit)
        else:
            tu = _TIME_UNIT.match(sentence, e)
            unit = (
                tu.group("u").lower()
                if tu
                else (_noun_after(sentence, e) or _unit_before(sentence, s))
            )
        if (
            value2 is not None
            and re.search(r"\bfrom\s*$", sentence[max(0, s - 8) : s], re.I)
            and not pct
        ):
            lo, hi = value, value2
            central = value2
            qual = "from"
            kind = "change"
        elif value2 is not None:
            lo, hi = value, value2
            central = (value + value2) / 2
            qual = qual or "range"
        else:
            central = value
            lo, hi = bounds(value, qual, percent=pct)
        end = e
        text = sentence[s:end]
        if unit and kind == "count":
            ue = _unit_end(sentence, e, unit)
            if ue:
                end = ue
                text = sentence[s:end]
        out.append(
            Quantity(
                text=text,
                start=offset + s,
                end=offset + end,
                value=central,
                low=lo,
                high=hi,
                qualifier=qual,
                unit=unit,
                kind=kind,
            )
        )
        taken.append((s, e))

    for q in out:
        if q.kind != "count":
            continue
        rel_s, rel_e = q.start - offset, q.end - offset
        if re.fullmatch(r"(?:people|persons)?\s*(?:killed|dead|deaths?|fatalities)", q.unit, re.I):
            q.unit = "deaths"
        elif q.unit in ("people", "persons") and (
            _KILLED_BEFORE.search(sentence[max(0, rel_s - 24) : rel_s])
            or _KILLED_AFTER.match(sentence, rel_e)
        ):
            q.unit = "deaths"
    out.sort(key=lambda q: q.start)
    return out


_TOLL = re.compile(
    r"\b(?:death toll|toll|deaths?|dead|killed|fatalities|number of (?:people )?(?:killed|dead|deaths))\b",
    re.I,
)


_KILLED_BEFORE = re.compile(
    r"\b(?:killed|killing|left|claimed the lives of)\s+(?:at least |more than |about |nearly |some |over )?$",
    re.I,
)
_KILLED_AFTER = re.compile(
    r"\s+(?:were|have been|had been|was)\s+(?:\w+ly\s+)?killed\b|\s+(?:died|dead)\b", re.I
)


def _unit_before(sentence: str, pos: int) -> str:
    """A bare number after "the death toll has risen to": count it as deaths."""
    if _TOLL.search(sentence, max(0, pos - 90), pos):
        return "deaths"
    return ""


def _bad_range(m: re.Match[str]) -> bool:
    a, b = parse_number(m.group("num")), parse_number(m.group("num2"))
    if a is None or b is None:
        return True
    if re.fullmatch(r"(?:19|20)\d{2}", m.group("num")) and not re.fullmatch(
        r"(?:19|20)\d{2}", m.group("num2")
    ):
        return True
    sa = _SCALE.get((m.group("scale") or "").strip().lower(), 1)
    sb = _SCALE.get((m.group("scale2") or "").strip().lower(), sa)
    return b * sb < a * sa


def _looks_like_year(raw: str, sentence: str, pos: int) -> bool:
    if not re.fullmatch(r"(?:19|20)\d{2}", raw):
        return False
    return True


def _tokens_after(sentence: str, pos: int, limit: int = 8) -> list[re.Match[str]]:
    toks = []
    for t in _WORD_RE.finditer(sentence, pos, min(len(sentence), pos + 120)):
        toks.append(t)
        if len(toks) >= limit:
            break
    return toks


def _noun_after(sentence: str, pos: int) -> str:
    """The head noun of the phrase that follows a number: "11,000 North Korean troops" -> "troops"."""
    head = ""
    toks = _tokens_after(sentence, pos, 6)
    for i, t in enumerate(toks):
        w = t.group(0)
        if not w[0].isalpha():
            break
        lw = w.lower()
        if w.islower() and lw in _DIRECTIONS:
            break
        if lw in _UNIT_STOP or lw in _POST_MODIFIERS:
            if head:
                break
            if lw in _POST_MODIFIERS:
                break
            if lw in ("of", "the", "a", "an", "its", "their", "his", "her"):
                continue
            break
        if head and (lw in _IRREGULAR_PAST or (lw.endswith(("ed", "ing", "ly")) and len(lw) > 4)):
            break  # "45 economists surveyed": the participle is not the noun
        if not head and lw.endswith("ly") and len(lw) > 4:
            break
        if (
            not head
            and (lw in _IRREGULAR_PAST or (lw.endswith("ed") and len(lw) > 4))
            and _verb_position(toks, i)
        ):
            break  # "under 15 accounted for", "Sept. 30 rose 14%": a verb follows the number, no unit
        if _POSSESSIVE.match(w):
            continue
        # "14 polling stations", "30 working days": a gerund modifier stays with its noun.
        gerund = (
            head
            if head.islower()
            and head.endswith("ing")
            and len(head) > 5
            and head not in _NOT_GERUND_MODIFIERS
            else ""
        )
        head = f"{gerund} {w}" if gerund and w.islower() else w
    return head.lower() if head and not head[0].isupper() else head


_NOT_GERUND_MODIFIERS = frozenset(
    "including during according following remaining existing missing leading rising "
    "falling growing increasing declining fighting being having".split()
)


# Words that end a counted noun phrase rather than continue it: "38 contracts worth more".
_POST_MODIFIERS = frozenset("worth more less fewer each apiece total combined apart alone".split())


def _verb_position(toks: list[re.Match[str]], i: int) -> bool:
    """The -ed word at `i` acts as a verb: it is followed by a preposition, a number or punctuation."""
    if i + 1 >= len(toks):
        return True
    nxt = toks[i + 1].group(0)
    return not nxt[0].isalpha() or nxt.lower() in _UNIT_STOP


def _unit_end(sentence: str, pos: int, unit: str) -> int | None:
    idx = sentence.find(unit, pos, pos + 120)
    return idx + len(unit) if idx >= 0 else None


def _percent_of(sentence: str, pos: int) -> str:
    """ "% of <noun phrase>", skipping a dash or bracket aside: "50%\u2014and in some areas more
    than 70%\u2014of Russia's ammunition" -> "ammunition and artillery shells"."""
    rest = sentence[pos : pos + 200]
    direct = re.match(r"\s*(?:[\u2014\u2013]|--)?\s*(?=of\s)", rest)
    if direct:
        rest = rest[direct.end() :]
    m = None if direct else re.match(r"\s*(?:[\u2014\u2013]|--|\s-\s|\()", rest)
    if m:
        close = re.search(r"[\u2014\u2013)]|--|\s-\s", rest[m.end() :])
        if not close:
            return ""
        rest = rest[m.end() + close.end() :]
    m = re.match(r"\s*of\s+", rest)
    if not m:
        return ""
    words: list[str] = []
    for t in _WORD_RE.finditer(rest, m.end()):
        w = t.group(0)
        if not w[0].isalpha():
            break
        lw = w.lower()
        if lw in ("the", "a", "an", "all", "its", "their", "his", "her") or _POSSESSIVE.match(w):
            if not words:
                continue
        if lw in _UNIT_STOP and lw not in ("and", "of"):
            break
        words.append(lw)
        if len(words) >= 6:
            break
    while words and words[-1] in ("and", "of"):
        words.pop()
    return " ".join(words)


def _subject_noun(sentence: str, pos: int) -> str:
    """The noun before a change verb: "their numbers have reportedly been cut in half" -> "numbers"."""
    words = re.findall(r"[A-Za-z][A-Za-z\-']*", sentence[max(0, pos - 80) : pos])
    aux = {
        "have",
        "has",
        "had",
        "been",
        "was",
        "were",
        "is",
        "are",
        "be",
        "reportedly",
        "allegedly",
        "nearly",
        "almost",
        "being",
        "now",
        "since",
        "already",
        "effectively",
        "roughly",
        "more",
        "than",
    }
    for w in reversed(words):
        if w.lower() in aux:
            continue
        return w.lower()
    return ""
