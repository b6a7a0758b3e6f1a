"""How a document is cut into passages: the unit the corpus indexes and evidence quotes.

One function, used by the corpus when it indexes a source and by anything that must judge
a document the way the corpus sees it (the stance evaluation, the benchmark's loader).
"""

from __future__ import annotations

from analysis.extraction.sentences import split_sentences

MAX_PASSAGE = 1200  # characters: a readable window in the admin


def split_passages(body: str) -> list[tuple[int, int]]:
    """Sentence-sized (start, end) windows of a document, from the extractor's splitter
    (linear time, abbreviation- and quote-aware), with over-long runs cut to MAX_PASSAGE."""
    spans = [(sentence.start, sentence.end) for sentence in split_sentences(body)]
    out = []
    for start, end in spans:
        # trim whitespace, split over-long runs so one passage stays a readable window
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        while end - start > MAX_PASSAGE:
            cut = body.rfind(" ", start, start + MAX_PASSAGE)
            cut = cut if cut > start else start + MAX_PASSAGE
            out.append((start, cut))
            start = cut + 1
        if end - start >= 3:
            out.append((start, end))
    return out
