"""Stance model, part 1: the claim-independent features of a passage.

Computed once per passage when a source is indexed (`featurise_passages`): hashed stemmed
unigram and bigram counts and a WordLlama-256 embedding. They depend on
`FEATURISER_VERSION` only, never on a trained model, so retraining does not invalidate
the stored features. `analysis.models.stance` is the entry point."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.passages import split_passages

FEATURISER_VERSION = "stance-feat-1"
EMB_DIM = 256

# --------------------------------------------------------------------------- passages


# --------------------------------------------------------------------------- tokens

# Stop words are part of the featuriser (not learned): they decide which tokens count as
# "key terms" of a claim and which bigrams are content bigrams. Negations ("not", "no",
# "never") are stop words for overlap but remain tokens, so cue features still see them.
STOPWORDS: frozenset[str] = frozenset(
    """a an the and or but if then than that this these those there here of in on at to
    for from by with without into onto over under about around after before during since
    until as is are was were be been being am has have had having do does did done will
    would shall should can could may might must not no nor so such too very just only also
    it its they them their theirs he him his she her hers we us our ours you your yours
    i me my mine who whom whose which what when where why how all any both each few more
    most other some own same up down out off again further once now still even yet
    said say says told tell according while per via among between through upon within
    whether though although ca wo s t d ll re ve m don isn wasn didn doesn aren weren
    hasn haven hadn won wouldn couldn shouldn mustn get got go going went like
    one two new news report reports reported reporting""".split()
)

_NEG_CONTRACTION = re.compile(r"n['\u2019]t\b")
_TOKEN = re.compile(r"[^\W_]+|\?")


def stem(word: str) -> str:
    """A light, deterministic suffix stripper: enough to match "denies/denied/deny",
    "reports/reported" and plurals without a stemming library at runtime."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5),
        ("ied", "y", 5),
        ("sses", "ss", 5),
        ("xes", "x", 5),
        ("ches", "ch", 6),
        ("shes", "sh", 6),
        ("ing", "", 6),
        ("ed", "", 5),
    ):
        if word.endswith(suffix) and len(word) >= min_len:
            return word[: -len(suffix)] + repl
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) >= 4:
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens; "n't" becomes "not"; "?" is kept as a token
    (a question headline is a strong "mentions" cue)."""
    lowered = _NEG_CONTRACTION.sub(" not", text.lower())
    return [stem(w) for w in _TOKEN.findall(lowered)]


_MASK63 = (1 << 63) - 1


def key_of(token: str) -> int:
    """Stable 63-bit key of a token or space-joined bigram (crc32 and adler32 together:
    Python's `hash` is salted per process, and a 32-bit hash alone would collide)."""
    b = token.encode("utf-8")
    return ((zlib.crc32(b) << 32) | zlib.adler32(b)) & _MASK63


STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)
STOP_KEYS = np.array(sorted({key_of(w) for w in STOP_STEMS}), dtype=np.int64)
QMARK_KEY = key_of("?")


# --------------------------------------------------------------------------- passage features


@dataclass(frozen=True)
class PassageFeatures:
    """Model-independent features of a run of passages (CSR layout: passage i owns
    entries `ptr[i]:ptr[i+1]` of the key/count arrays, keys sorted within a passage)."""

    emb: np.ndarray  # float32 [P, 256], unit length (zeros for an empty passage)
    ntok: np.ndarray  # int32 [P], number of tokens
    u_ptr: np.ndarray  # int64 [P+1] unigrams (all tokens, stop words included)
    u_key: np.ndarray  # int64
    u_cnt: np.ndarray  # float32
    b_ptr: np.ndarray  # int64 [P+1] content bigrams (stop words removed first)
    b_key: np.ndarray
    b_cnt: np.ndarray
    f_ptr: np.ndarray  # int64 [P+1] full bigrams (for cue phrases like "not true")
    f_key: np.ndarray
    f_cnt: np.ndarray

    @property
    def n(self) -> int:
        return int(self.ntok.shape[0])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """For storage next to the passages (e.g. one npz blob per document)."""
        return {k: getattr(self, k) for k in _PF_FIELDS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> PassageFeatures:
        return cls(**{k: np.asarray(arrays[k]) for k in _PF_FIELDS})


_PF_FIELDS = (
    "emb",
    "ntok",
    "u_ptr",
    "u_key",
    "u_cnt",
    "b_ptr",
    "b_key",
    "b_cnt",
    "f_ptr",
    "f_key",
    "f_cnt",
)

_WL: Any = None


def wordllama() -> Any:
    """The WordLlama 256-d model shipped inside the wordllama package (never downloads)."""
    global _WL
    if _WL is None:
        import wordllama
        from wordllama import WordLlama

        _WL = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return _WL


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length WordLlama embeddings; an empty text gets a zero vector (no NaN)."""
    if not texts:
        return np.zeros((0, EMB_DIM), np.float32)
    e = np.asarray(wordllama().embed(list(texts), norm=False), dtype=np.float32)
    norm = np.linalg.norm(e, axis=1, keepdims=True)
    return np.where(norm > 0, e / np.maximum(norm, 1e-12), 0.0).astype(np.float32)


def _csr(rows: list[dict[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ptr = np.zeros(len(rows) + 1, np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    keys = np.empty(int(ptr[-1]), np.int64)
    cnts = np.empty(int(ptr[-1]), np.float32)
    for i, r in enumerate(rows):
        items = sorted(r.items())
        keys[ptr[i] : ptr[i + 1]] = [k for k, _ in items]
        cnts[ptr[i] : ptr[i + 1]] = [c for _, c in items]
    return ptr, keys, cnts


def featurise_passages(
    texts: Sequence[str], embeddings: np.ndarray | None = None
) -> PassageFeatures:
    """Claim-independent features of passages (or of one claim). Run at indexing time.

    `embeddings` may be passed when they were computed in a larger batch already."""
    uni: list[dict[int, int]] = []
    big: list[dict[int, int]] = []
    full: list[dict[int, int]] = []
    ntok = np.zeros(len(texts), np.int32)
    for i, text in enumerate(texts):
        toks = tokenize(text)
        ntok[i] = len(toks)
        u: dict[int, int] = {}
        for t in toks:
            k = key_of(t)
            u[k] = u.get(k, 0) + 1
        f: dict[int, int] = {}
        for a, b in zip(toks, toks[1:], strict=False):
            k = key_of(a + " " + b)
            f[k] = f.get(k, 0) + 1
        content = [t for t in toks if t not in STOP_STEMS and t != "?"]
        g: dict[int, int] = {}
        for a, b in zip(content, content[1:], strict=False):
            k = key_of(a + " " + b)
            g[k] = g.get(k, 0) + 1
        uni.append(u)
        big.append(g)
        full.append(f)
    u_ptr, u_key, u_cnt = _csr(uni)
    b_ptr, b_key, b_cnt = _csr(big)
    f_ptr, f_key, f_cnt = _csr(full)
    emb = embed(texts) if embeddings is None else np.asarray(embeddings, np.float32)
    return PassageFeatures(emb, ntok, u_ptr, u_key, u_cnt, b_ptr, b_key, b_cnt, f_ptr, f_key, f_cnt)


def featurise_document(body: str) -> tuple[list[tuple[int, int]], PassageFeatures]:
    """Split a body the way the corpus does and featurise its passages."""
    spans = split_passages(body)
    return spans, featurise_passages([body[s:e] for s, e in spans])


def stack(docs: Sequence[PassageFeatures]) -> tuple[PassageFeatures, np.ndarray]:
    """Concatenate documents' passages; returns the stacked features and `doc_ptr`
    (document j owns passages doc_ptr[j]:doc_ptr[j+1])."""
    doc_ptr = np.zeros(len(docs) + 1, np.int64)
    doc_ptr[1:] = np.cumsum([d.n for d in docs])

    def cat_ptr(name: str) -> np.ndarray:
        parts, offset = [np.zeros(1, np.int64)], 0
        for d in docs:
            p = getattr(d, name)
            parts.append(p[1:] + offset)
            offset += int(p[-1])
        return np.concatenate(parts)

    def cat(name: str, dtype: Any) -> np.ndarray:
        arrs = [getattr(d, name) for d in docs]
        return np.concatenate(arrs).astype(dtype, copy=False) if arrs else np.zeros(0, dtype)

    emb = np.concatenate([d.emb for d in docs]) if docs else np.zeros((0, EMB_DIM), np.float32)
    return (
        PassageFeatures(
            emb.astype(np.float32, copy=False),
            cat("ntok", np.int32),
            cat_ptr("u_ptr"),
            cat("u_key", np.int64),
            cat("u_cnt", np.float32),
            cat_ptr("b_ptr"),
            cat("b_key", np.int64),
            cat("b_cnt", np.float32),
            cat_ptr("f_ptr"),
            cat("f_key", np.int64),
            cat("f_cnt", np.float32),
        ),
        doc_ptr,
    )
