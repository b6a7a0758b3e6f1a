"""Claim extraction: article in, check-worthy claim candidates out. Plain Python, no ORM.

Public API (stable; the worker services call only these):

    read_article(raw, *, fmt="auto", url="") -> ParsedArticle
        fmt: "auto" | "text" | "html" | "json". Raises ArticleError(field, message)
        (a ValueError) on empty, binary, non-UTF-8, boilerplate-only input, a
        malformed JSON "published_at" or a malformed URL.
    extract(body, *, published_at=None, boilerplate=None, scorer=None, threshold=None)
        -> Extraction(claims, sentences, candidates, threshold)
        Every sentence scored by the check-worthiness model (`scorer`: any function
        from a list of texts to scores; default the bundled model, threshold its own)
        and the claims in body order; `text == body[start:end]`. Everything with
        checkworthiness >= threshold is check-worthy; attributed
        opinions/characterisations are also returned, typed "opinion", with a lower
        score, so filter on the threshold if you only want check-worthy claims.
    extract_claims(...) -> list[ClaimCandidate]: `extract(...).claims`.

Integration note: call `extract_claims(article.body, published_at=article.published_at,
boilerplate=article.boilerplate)`; all offsets (claims, hedges, quantities, times,
flags, appearances) index `article.body`, not the raw input (the text reader drops the
title/byline/date header lines from the body). `normalized` is the cross-article
de-duplication key. Attribution `kind` is the innermost (original) source's kind,
`speaker` the outermost relay; see `attribution` for why.

Modules: reader (input -> ParsedArticle), sentences (linear-time splitter),
boilerplate, attribution, quantities, times, cues (lexicons), claims (scoring,
merging, flags), evaluate (gold-file scoring).
"""

from __future__ import annotations

from .claims import Extraction, ScoredSentence, Scorer, extract, extract_claims, normalize
from .errors import ArticleError
from .reader import read_article
from .sentences import split_sentences

__all__ = [
    "Extraction",
    "ScoredSentence",
    "Scorer",
    "extract",
    "ArticleError",
    "extract_claims",
    "normalize",
    "read_article",
    "split_sentences",
]
