"""Is a claim the one a published fact-check reviewed? The one place that decides.

`match_score` is the service's claim similarity (`analysis.corroboration.similarity`:
Dice overlap of content stems, discounted when the numbers differ or one side is
negated), and `match_keys` are the words a candidate is looked up by. A learned
similarity (sentence embeddings) replaces these two functions and nothing else: the
workers store the keys, look candidates up by them, and keep what `match_score` puts at
or above the suggest threshold.

Thresholds, both overridable in the settings (FACTCHECK_MATCH_SUGGEST / _AUTO):

- MATCH_AUTO (SIMILARITY_LINK): the same claim; the flag says "a matching claim".
- MATCH_SUGGEST (SIMILARITY_SUGGEST): possibly the same claim; the flag says so, with
  the score, for the fact-checker to judge.
"""

from __future__ import annotations

import math

from analysis.corroboration.similarity import SIMILARITY_LINK, SIMILARITY_SUGGEST, similarity
from analysis.corroboration.text import content_stems
from analysis.extraction import normalize

MATCH_AUTO = SIMILARITY_LINK
MATCH_SUGGEST = SIMILARITY_SUGGEST
MAX_KEYS = 48  # a claim or a claimReviewed has a few dozen content words at most
NORMALIZED_MAX = 500  # the same cap as Claim.normalized


def normalize_claim(text: str) -> str:
    """The form both sides are compared in (the extractor's normalisation)."""
    return normalize(text or "")[:NORMALIZED_MAX]


def match_keys(normalized: str) -> list[str]:
    """The lookup keys of a normalized claim: its content stems, sorted, at most MAX_KEYS."""
    return sorted(content_stems(normalized or ""))[:MAX_KEYS]


def match_score(claim_normalized: str, factcheck_normalized: str) -> float:
    """How likely the two normalized texts state the same claim, in [0, 1]."""
    return similarity(claim_normalized, factcheck_normalized)


def min_shared_keys(n_keys: int, threshold: float) -> int:
    """Fewest keys a candidate must share with a text of `n_keys` keys to reach `threshold`.

    Dice = 2·shared / (n + m) with m >= 1 and the penalties only lower it, so a candidate
    sharing fewer keys than this can never score `threshold`: skipping it loses nothing.
    """
    if n_keys <= 0:
        return 1
    return max(1, math.ceil(threshold * (n_keys + 1) / 2))
