"""Corroboration: search a claim, judge passages, recommend a verdict.

Plain Python, no Django or Celery. `workers.corroborate` turns the results into rows.

- `build_query(claim)` -> SearchQuery (FTS5 / PostgreSQL renderings, injection-safe)
- `judge(claim, passage, claim_published_at=..., context=...)` -> Judgement
- `recommend(claim, evidence)` -> Recommendation
- `origin_key(outlet, relays)` -> str, for independence
- `wire_credits(text, byline)` -> the wires a document's text credits ("AFP", "Reuters");
  `cited_outlets(passage_text)` -> the outlets a passage cites ("according to the BBC")
- `similarity(a, b)` -> float, with SIMILARITY_LINK / SIMILARITY_SUGGEST
- `read_quantities(text, published_at)` / `read_dates(...)`: the compact passage reader.
  It overlaps with the claim extractor's richer reader in `analysis.extraction`; the two
  should be unified (this one is used on both sides of a comparison so that a unit
  means the same thing on each side; extractor quantities fill gaps).
"""

from .credits import cited_outlets, wire_credits
from .demo import load_demo_sources
from .judge import FIRM, judge
from .origins import origin_key
from .quantities import Mention, read_dates, read_quantities
from .query import SearchQuery, build_query
from .recommend import recommend
from .similarity import SIMILARITY_LINK, SIMILARITY_SUGGEST, similarity

__all__ = [
    "FIRM",
    "SIMILARITY_LINK",
    "SIMILARITY_SUGGEST",
    "Mention",
    "SearchQuery",
    "build_query",
    "cited_outlets",
    "judge",
    "load_demo_sources",
    "origin_key",
    "read_dates",
    "read_quantities",
    "recommend",
    "similarity",
    "wire_credits",
]
