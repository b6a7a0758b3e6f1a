"""Words used for the same thing, from the WordLlama embeddings that ship in its package.

Search finds a report only by the words it shares with the claim, so a report that says
"died" for the claim's "deaths", or "bought" for "purchase", is missed. `related_words`
gives, for one word, the whole words nearest to it in WordLlama's 256-dimension token
space (the model `analysis.models.stance` already loads for its embedding features):

- only whole English-looking words of the tokenizer (letters only, at least 4 of them);
- not the word's own inflections, fragments or misspellings (any four letters in a row
  in common: "death" for "deaths", "breaks" for "outbreak", "trasfer"): the full-text
  stemmer already matches inflections, and a fragment is a subword piece, not a synonym;
- at least `MIN_SIMILARITY` cosine, at most `PER_WORD` of them.

Measured on hand-picked news words during development: "deaths" gives died, fatal,
killed; "purchase" gives bought; "killed" gives died, murder; most words give nothing.
Below 0.6 the neighbours turn noisy ("resigned" -> "quit" at 0.53 is lost, but so is
much noise), so the threshold errs on the side of fewer, safer terms.

Cost: a 12,000 x 256 matrix (12 MB) built once per process; one matrix-vector product
per word, cached per word.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

MIN_SIMILARITY = 0.6
PER_WORD = 3
MIN_LETTERS = 4


@functools.cache
def _table() -> tuple[np.ndarray, list[str], Any]:
    from analysis.models.stance_text import wordllama  # one loader per process

    wl = wordllama()
    embedding = np.asarray(wl.embedding, dtype=np.float32)
    vocab = wl.tokenizer.get_vocab()
    rows, words = [], []
    for token, index in vocab.items():
        if token[:1] not in ("\u2581", "\u0120"):
            continue  # not a word start
        word = token[1:]
        if len(word) < MIN_LETTERS or not word.isascii() or not word.isalpha():
            continue
        if not word.islower():
            continue  # names are searched as written
        rows.append(index)
        words.append(word)
    matrix = embedding[np.array(rows, dtype=np.int64)]
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return matrix, words, wl


def _related(a: str, b: str) -> bool:
    """Inflections, fragments and misspellings of each other: four letters in a row in
    common ("killing"/"killed", "breaks"/"outbreak", "fires"/"wildfire")."""
    short, long_ = sorted((a, b), key=len)
    return any(short[i : i + 4] in long_ for i in range(len(short) - 3))


@functools.lru_cache(maxsize=20_000)
def related_words(word: str, k: int = PER_WORD) -> tuple[str, ...]:
    """Up to `k` words used for the same thing as `word` (lower case), nearest first."""
    word = word.lower()
    if len(word) < MIN_LETTERS or not word.isalpha():
        return ()
    matrix, words, wl = _table()
    vector = np.asarray(wl.embed([word]), dtype=np.float32)[0]
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return ()
    scores = matrix @ (vector / norm)
    out: list[str] = []
    for i in np.argsort(-scores)[: 8 * k + 8]:
        if scores[i] < MIN_SIMILARITY:
            break
        candidate = words[i]
        if _related(candidate, word) or any(_related(candidate, w) for w in out):
            continue
        out.append(candidate)
        if len(out) >= k:
            break
    return tuple(out)
