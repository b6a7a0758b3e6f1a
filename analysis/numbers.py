"""The one number reader: English number words and figures to a value.

Shared by the claim extractor (`analysis.extraction.quantities`, `times`) and the passage
reader (`analysis.corroboration.quantities`), so "eleven thousand" in a claim and in a
source mean the same number. Only the reading of the number itself lives here; what it
counts, its qualifier and its interval belong to the readers.
"""

from __future__ import annotations

import re

SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# Multipliers inside a number phrase: "two hundred", "eleven thousand", "a dozen".
SCALES = {
    "dozen": 12,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Vague plurals read as twice the unit: "hundreds of" is more than one hundred, and any
# comparison against them is loose anyway (the readers give them wide intervals).
VAGUE_PLURALS = {
    "dozens": 24.0,
    "hundreds": 200.0,
    "thousands": 2_000.0,
    "millions": 2_000_000.0,
    "billions": 2_000_000_000.0,
}
_SPLIT = re.compile(r"[-\s]+")


def read_number(text: str) -> float | None:
    """The value of a figure ("2,700", "3.5") or a number phrase ("eleven thousand",
    "twenty-one", "a hundred", "a dozen", "hundreds"); None when it is not a number."""
    t = text.lower().strip().replace(",", "")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    if t in VAGUE_PLURALS:
        return VAGUE_PLURALS[t]
    words = [w for w in _SPLIT.split(t) if w and w != "and"]
    if not words:
        return None
    if words[0] in ("a", "an"):
        if len(words) == 1:
            return 1.0
        words[0] = "one"
    total = current = 0.0
    for w in words:
        if w in SMALL:
            current += SMALL[w]
        elif w in TENS:
            current += TENS[w]
        elif w in ("dozen", "hundred"):
            current = (current or 1) * SCALES[w]
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0.0
        else:
            return None
    return float(total + current)
