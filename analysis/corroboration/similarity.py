"""Claims seen before: do two normalized claims state the same truth conditions?

similarity = Dice overlap of content stems, times a penalty when the numbers differ
(different numbers are different truth conditions: "two weeks" vs "three weeks") and
when one side is negated and the other is not. Thresholds:

- SIMILARITY_LINK = 0.8: treat as the same claim; link it to the earlier one.
- SIMILARITY_SUGGEST = 0.55: show the earlier claim to the fact-checker as a possible
  match, do not link.
"""

from __future__ import annotations

import functools
import re

from .quantities import read_dates, read_quantities
from .text import content_stems

SIMILARITY_LINK = 0.8
SIMILARITY_SUGGEST = 0.55
NUMBER_MISMATCH = 0.45  # factor when both sides carry numbers and they differ
NUMBER_ONE_SIDED = 0.85  # factor when only one side carries a number
NEGATION_MISMATCH = 0.5

_NEG = re.compile(r"\b(?:not|no|never|none|nobody|neither|nor|without|n't|cannot)\b|n't\b", re.I)


@functools.lru_cache(maxsize=8192)
def _numbers(text: str) -> frozenset[tuple[str, float]]:
    return frozenset(
        (m.kind, round(m.value, 3)) for m in read_quantities(text) + read_dates(text) if not m.parts
    )


def similarity(a_normalized: str, b_normalized: str) -> float:
    a, b = a_normalized or "", b_normalized or ""
    if not a.strip() or not b.strip():
        return 0.0
    sa, sb = content_stems(a), content_stems(b)
    if not sa or not sb:
        base = 1.0 if a.strip().lower() == b.strip().lower() else 0.0
    else:
        base = 2 * len(sa & sb) / (len(sa) + len(sb))
    na, nb = _numbers(a), _numbers(b)
    if na and nb and na != nb:
        base *= NUMBER_MISMATCH if not (na & nb) else 0.75
    elif bool(na) != bool(nb):
        base *= NUMBER_ONE_SIDED
    if bool(_NEG.search(a)) != bool(_NEG.search(b)):
        base *= NEGATION_MISMATCH
    return round(max(0.0, min(1.0, base)), 4)
