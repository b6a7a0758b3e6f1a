"""Check-worthiness scoring: is a sentence worth fact-checking?

Runtime module: numpy only (no sklearn, no pickle, no model download). The training
script (`train_checkworthiness.py`) imports the *same* featuriser from here, so training
and serving features cannot drift apart.

The model has two members whose logits are blended by a fitted 2-input logistic
"stacker", which also calibrates the result to a probability under a *balanced* (50/50)
prior (see MODEL_CARD.md for why balanced):

* ``lin``: logistic regression over word uni+bigrams (vocabulary, sublinear TF-IDF, L2),
  hashed character 1-5-grams within word boundaries (TF-IDF, L2) and ~40 hand signals
  (figures, figure words, names, first person, opinion frames, modality, question...).
* ``mlp``: a one-hidden-layer ReLU network over the mean of per-word WordLlama vectors
  and the same hand signals. The word vectors were computed once at training time from
  WordLlama's 256-d model and *folded* through the first layer, so the model file holds
  a (vocabulary x hidden) table and runtime needs neither WordLlama nor its tokenizer.

Scoring a list of sentences is vectorised: the only per-sentence Python work is
normalising and regex-tokenising each sentence; every feature block is then computed
for the whole list at once with numpy (cumulative sums, bincount, searchsorted).

Files: ``checkworthiness.npz`` (arrays) + ``checkworthiness.json`` (vocabulary,
hyper-parameters, metadata). `load()` validates both and raises `ModelFileError`
naming the offending file.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.models.errors import ModelFileError

FORMAT = "checkworthiness-blend"
FORMAT_VERSION = 1
MODEL_BASENAME = "checkworthiness"

# --------------------------------------------------------------------------------------
# Tokenisation
# --------------------------------------------------------------------------------------

# Words (inner apostrophes kept: "don't", "we're"), numbers with separators, currency and
# percent signs, and any other single punctuation mark. Punctuation is kept because "?"
# and "--" (a speaker breaking off) are informative in transcripts.
_TOKEN_RE = re.compile(
    r"[^\W\d_]+(?:'[^\W\d_]+)*"  # words
    r"|\d+(?:[.,:/]\d+)*"  # 400,000  2.4  9/11
    r"|[$%\u20ac\u00a3]"  # money and percent signs
    r"|[^\w\s]"  # any other punctuation mark
)
_DIGIT_RE = re.compile(r"\d")
_WS_RE = re.compile(r"\s+")
_SEP = "\x00"  # never produced by normalise_text, never inside a token
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', _SEP: " "})


def normalise_text(text: str) -> str:
    """NFKC, curly quotes to straight, dashes spaced, whitespace collapsed."""
    t = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    t = t.replace("\u2014", " -- ").replace("\u2013", " - ")
    return _WS_RE.sub(" ", t).strip()


def word_key(tok: str) -> str:
    """Vocabulary key of a token: lower case, digits collapsed to '0' so figures generalise
    ("$4,000" and "$6,000" share '0,000') while years ('0000') stay distinct from '0'."""
    return _DIGIT_RE.sub("0", tok.lower())


# --------------------------------------------------------------------------------------
# Hand signals
# --------------------------------------------------------------------------------------

# Word-class lexicons over vocabulary keys. Membership is precomputed per vocabulary
# entry into a (V, N_LEX) 0/1 table, so counting the classes of a whole article is one
# fancy-index plus one cumulative sum, not a loop over classes or sentences.
LEXICONS: dict[str, frozenset[str]] = {
    "num_word": frozenset(
        """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
        fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
        eighty ninety hundred hundreds thousand thousands million millions billion billions
        trillion trillions dozen dozens half quarter third thirds twice double doubled
        tripled triple quadrupled percent percentage majority minority""".split()
    ),
    "scale_word": frozenset(
        "million millions billion billions trillion trillions thousand thousands hundred hundreds".split()
    ),
    "money": frozenset(
        "$ \u20ac \u00a3 dollar dollars cents cent budget deficit debt tax taxes spending spend spent cost costs".split()
    ),
    "percent": frozenset("% percent percentage".split()),
    "first_sg": frozenset("i me my mine myself i'm i've i'd i'll".split()),
    "first_pl": frozenset("we us our ours ourselves we're we've we'd we'll".split()),
    "second": frozenset("you your yours yourself you're you've you'd you'll".split()),
    "opinion_verb": frozenset("think believe feel hope wish guess suppose opinion".split()),
    "modal_should": frozenset("should must ought need needs shouldn't mustn't".split()),
    "future": frozenset("will won't 'll gonna going would shall i'll we'll".split()),
    "past_aux": frozenset("was were had did didn't wasn't weren't hadn't".split()),
    "have_aux": frozenset("has have hasn't haven't i've we've".split()),
    "compar": frozenset(
        "more less fewer most least than higher lower larger largest biggest highest lowest worst best record".split()
    ),
    "change_verb": frozenset(
        """cut cuts raised raise increased increase decreased decrease doubled lost created
        added dropped fell rose grew reduced voted signed passed spent paid killed died
        moved moving closed opened built hired fired""".split()
    ),
    "negation": frozenset(
        "not no never don't doesn't didn't isn't aren't wasn't won't can't cannot nobody nothing".split()
    ),
    "filler": frozenset("uh um er ah mm hmm".split()),
    "courtesy": frozenset(
        """thank thanks applause laughter crosstalk cheers booing welcome congratulations
        appreciate honored honoured pleasure please""".split()
    ),
    "time_word": frozenset(
        """year years ago since last today yesterday month months week weeks decade decades
        century january february march april june july august september october november
        december""".split()
    ),
    "quantifier": frozenset("every all none only each nearly almost approximately roughly".split()),
    "question_word": frozenset("what why how who whom whose which where".split()),
    "discourse": frozenset("and but so well now look oh yes yeah okay ok".split()),
    "subject_ip": frozenset("i we".split()),  # used with opinion_verb for "I think" frames
}
LEXICON_NAMES: tuple[str, ...] = tuple(LEXICONS)
N_LEX = len(LEXICON_NAMES)
# Token-shape classes that are a function of the vocabulary key alone; they live in the
# same per-key table as the lexicons (OOV keys get their row computed on the fly).
_ED_RE = re.compile(r"[a-z]{3,}ed")
KEY_CLASSES: tuple[str, ...] = (
    "number",
    "four_digit",
    "ed_word",
    "question",
    "exclaim",
    "quote",
    "dash",
)


def key_classes(key: str) -> list[float]:
    """0/1 row of KEY_CLASSES for one vocabulary key."""
    return [
        float(key[:1] == "0"),
        float(key == "0000"),  # years mostly
        float(_ED_RE.fullmatch(key) is not None),
        float(key == "?"),
        float(key == "!"),
        float(key == '"'),
        float(key == "-"),  # "--" (broken-off speech) and hyphenation
    ]


TOKEN_CLASSES: tuple[str, ...] = LEXICON_NAMES + KEY_CLASSES
N_TOK_CLASSES = len(TOKEN_CLASSES)
_TC = {name: j for j, name in enumerate(TOKEN_CLASSES)}
# Case classes come from the surface bytes, not the key.
CASE_CLASSES: tuple[str, ...] = ("capitalised", "acronym")
SENTENCE_SIGNALS: tuple[str, ...] = (
    "log_tokens",
    "short_le5",
    "long_ge25",
    "starts_first_person",
    "opinion_frame",  # "I think", "we believe"
    "hyphen_num",  # "trillion-dollar", "100-percent"
)
SIGNAL_NAMES: tuple[str, ...] = TOKEN_CLASSES + CASE_CLASSES + SENTENCE_SIGNALS
N_SIGNALS = len(SIGNAL_NAMES)


@functools.lru_cache(maxsize=1 << 16)
def class_row(key: str) -> tuple[float, ...]:
    """Token classes of one key. Cached: at runtime it is only called for
    out-of-vocabulary keys, which repeat across articles (names, numbers)."""
    return tuple([float(key in LEXICONS[name]) for name in LEXICON_NAMES] + key_classes(key))


def build_class_table(vocab: Sequence[str]) -> np.ndarray:
    """0/1 (V+1, N_TOK_CLASSES) classes of each vocabulary key; last row: OOV placeholder."""
    tab = np.zeros((len(vocab) + 1, N_TOK_CLASSES), np.float32)
    for i, w in enumerate(vocab):
        tab[i] = class_row(w)
    return tab


@dataclass
class Tokenised:
    """Flattened token arrays of a batch of sentences."""

    n: int  # sentences
    texts: list[str]  # normalised sentences
    keys: list[str]  # (T,) vocabulary keys of all tokens, sentence after sentence
    sent: np.ndarray  # (T,) sentence index of each token
    starts: np.ndarray  # (n+1,) token offsets: sentence i is tokens starts[i]:starts[i+1]
    case: np.ndarray  # (T, 2) capitalised / acronym flags per token


def tokenise_batch(sentences: Sequence[str]) -> Tokenised:
    texts = [normalise_text(s) for s in sentences]
    n = len(texts)
    toks = [_TOKEN_RE.findall(t) for t in texts]
    lens = np.fromiter((len(x) for x in toks), np.int64, count=n)
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(lens, out=starts[1:])
    sent = np.repeat(np.arange(n), lens)
    T = int(starts[-1])
    if T == 0:
        return Tokenised(n, texts, [], sent, starts, np.zeros((0, 2), np.float32))
    joined = _SEP.join(w for x in toks for w in x)
    # Keys for all tokens in one string operation (tokens never contain _SEP).
    keys = _DIGIT_RE.sub("0", joined.lower()).split(_SEP)
    # Case shape per token from the UTF-8 bytes (ASCII letters; other letters count as
    # lower case): "capitalised" = first byte A-Z and exactly one upper-case letter;
    # "acronym" = two or more letters, all upper case.
    b = np.frombuffer(joined.encode("utf-8"), np.uint8)
    sep = b == 0
    tok_of_byte = np.cumsum(sep)
    upper = (b >= 65) & (b <= 90)
    letter = upper | ((b >= 97) & (b <= 122)) | (b >= 128)
    n_up = np.bincount(tok_of_byte, weights=upper, minlength=T)
    n_let = np.bincount(tok_of_byte, weights=letter, minlength=T)
    first = np.zeros(T, np.int64)
    first[1:] = np.flatnonzero(sep) + 1
    cap = upper[first] & (n_up == 1) & (n_let >= 2)
    acr = (n_up >= 2) & (n_up == n_let)
    cap[starts[:-1][lens > 0]] = False  # a sentence's first word is capitalised anyway
    return Tokenised(n, texts, keys, sent, starts, np.column_stack([cap, acr]).astype(np.float32))


def lookup_ids(tk: Tokenised, vocab: dict[str, int]) -> np.ndarray:
    """Vocabulary id of each token, len(vocab) for out-of-vocabulary."""
    oov = len(vocab)
    get = vocab.get
    return np.fromiter((get(k, oov) for k in tk.keys), np.int64, count=len(tk.keys))


def _segment_sums(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per-sentence sums of 0/1 token rows x (T, F) given token offsets (empty
    sentences -> 0). float32 is exact for these integer counts."""
    c = np.zeros((x.shape[0] + 1, x.shape[1]), np.float32)
    np.cumsum(x, axis=0, out=c[1:])
    return (c[starts[1:]] - c[starts[:-1]]).astype(np.float64)


def token_classes(tk: Tokenised, ids: np.ndarray, class_table: np.ndarray) -> np.ndarray:
    """(T, N_TOK_CLASSES) class rows; OOV tokens get theirs computed from the key (the
    per-OOV-token work is part of tokenising; OOV tokens are rare on in-domain text)."""
    rows = class_table[ids]
    oov = np.flatnonzero(ids == class_table.shape[0] - 1)
    if oov.size:
        rows[oov] = [class_row(tk.keys[i]) for i in oov.tolist()]
    return rows


def signal_matrix(tk: Tokenised, ids: np.ndarray, class_table: np.ndarray) -> np.ndarray:
    """(n, N_SIGNALS) raw hand signals: class counts (log1p) and sentence flags."""
    n = tk.n
    lens = np.diff(tk.starts).astype(np.float64)
    if ids.size == 0:
        out = np.zeros((n, N_SIGNALS))
        j = N_TOK_CLASSES + len(CASE_CLASSES)
        out[:, j] = np.log1p(lens)
        out[:, j + 1] = lens <= 5
        return out
    cls = token_classes(tk, ids, class_table)
    counts = _segment_sums(np.hstack([cls, tk.case]), tk.starts)
    nonempty = lens > 0
    firsts = tk.starts[:-1][nonempty]
    first_person = np.zeros(n)
    first_person[nonempty] = (cls[firsts, _TC["first_sg"]] + cls[firsts, _TC["first_pl"]]) > 0
    same = tk.sent[:-1] == tk.sent[1:]
    # "I think", "we believe": subject directly followed by an opinion verb.
    frame = cls[:-1, _TC["subject_ip"]] * cls[1:, _TC["opinion_verb"]] * same
    # "trillion-dollar", "100-percent": a figure, then a hyphen, in one sentence.
    figure = np.maximum(cls[:-1, _TC["number"]], cls[:-1, _TC["num_word"]])
    hyph = figure * cls[1:, _TC["dash"]] * same
    pair = np.bincount(tk.sent[:-1], weights=frame, minlength=n)
    hyp = np.bincount(tk.sent[:-1], weights=hyph, minlength=n)
    sentence = np.column_stack(
        [np.log1p(lens), lens <= 5, lens >= 25, first_person, pair > 0, hyp > 0]
    )
    return np.hstack([np.log1p(counts), sentence.astype(np.float64)])


# --------------------------------------------------------------------------------------
# Sparse n-gram blocks (shared by training and serving)
# --------------------------------------------------------------------------------------


@dataclass
class SparseBlock:
    """COO triplets of one feature block: value `val` at (row, col)."""

    row: np.ndarray
    col: np.ndarray
    val: np.ndarray
    n_cols: int


def tfidf(row: np.ndarray, col: np.ndarray, n: int, n_cols: int, idf: np.ndarray) -> SparseBlock:
    """Sublinear TF-IDF, L2-normalised per row, from raw (row, col) occurrences.
    Columns with idf 0 (pruned at training time) are dropped."""
    if row.size == 0:
        e = np.zeros(0, np.int64)
        return SparseBlock(e, e, np.zeros(0), n_cols)
    # Count (row, col) pairs by sorting one packed integer key (int32 when it fits:
    # sorting is the hot spot of the whole featuriser).
    key = row * n_cols + col
    if n * n_cols < 2**31:
        key = key.astype(np.int32)
    key.sort()
    first = np.empty(key.size, bool)
    first[0] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    at = np.flatnonzero(first)
    cnt = np.diff(np.append(at, key.size))
    uniq = key[at].astype(np.int64)
    r = uniq // n_cols
    c = uniq - r * n_cols
    v = (1.0 + np.log(cnt)) * idf[c]
    keep = v > 0
    r, c, v = r[keep], c[keep], v[keep]
    norm = np.sqrt(np.bincount(r, weights=v * v, minlength=n))
    return SparseBlock(r, c, v / np.maximum(norm[r], 1e-12), n_cols)


def word_occurrences(
    tk: Tokenised, ids: np.ndarray, n_uni: int, bigram_keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of unigram and bigram occurrences. Bigram columns follow the n_uni
    unigram columns; a bigram is looked up as id1 * n_uni + id2 in the sorted
    `bigram_keys`. Out-of-vocabulary ids (== n_uni) match nothing."""
    inv = ids < n_uni
    rows = [tk.sent[inv]]
    cols = [ids[inv]]
    if ids.size > 1 and bigram_keys.size:
        a, b = ids[:-1], ids[1:]
        ok = (tk.sent[:-1] == tk.sent[1:]) & (a < n_uni) & (b < n_uni)
        k = a[ok] * n_uni + b[ok]
        pos = np.minimum(np.searchsorted(bigram_keys, k), bigram_keys.size - 1)
        hit = bigram_keys[pos] == k
        rows.append(tk.sent[:-1][ok][hit])
        cols.append(n_uni + pos[hit])
    return np.concatenate(rows), np.concatenate(cols)


_MUL = np.uint64(0x100000001B3)  # rolling-hash multiplier (FNV prime)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # final mix (golden ratio), spreads low bits


def char_occurrences(
    texts: Sequence[str], nmin: int, nmax: int, n_buckets: int
) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of hashed char n-grams within word boundaries (like sklearn's
    "char_wb"): windows over the lower-cased, space-padded bytes with no space strictly
    inside. Vectorised over the batch with a rolling uint64 hash; the loop is over the
    n-gram lengths (nmax of them), not over sentences or features."""
    joined = "\x01".join(" " + t.lower() + " " for t in texts)
    b = np.frombuffer(joined.encode("utf-8"), np.uint8)
    L = b.size
    e = np.zeros(0, np.int64)
    if L == 0:
        return e, e
    sep = b == 1
    sid = np.cumsum(sep)
    csp = np.zeros(L + 1, np.int64)
    np.cumsum(b == 32, out=csp[1:])
    cbad = np.zeros(L + 1, np.int64)
    np.cumsum(sep, out=cbad[1:])
    bu = b.astype(np.uint64)
    h = np.zeros(L, np.uint64)
    rows, cols = [], []
    for n in range(1, nmax + 1):
        m = L - n + 1
        if m <= 0:
            break
        h = h[:m] * _MUL + bu[n - 1 : n - 1 + m]  # uint64 arithmetic wraps silently
        if n < nmin:
            continue
        ok = cbad[n : n + m] == cbad[:m]
        if n == 1:
            ok &= b[:m] != 32
        elif n > 2:
            ok &= csp[n - 1 : n - 1 + m] == csp[1 : 1 + m]
        hh = (h[ok] ^ np.uint64(n)) * _MIX
        rows.append(sid[:m][ok].astype(np.int64))
        cols.append(((hh >> np.uint64(40)) % np.uint64(n_buckets)).astype(np.int64))
    if not rows:
        return e, e
    return np.concatenate(rows), np.concatenate(cols)


def mean_rows(table: np.ndarray, tk: Tokenised, ids: np.ndarray) -> np.ndarray:
    """Mean of `table` rows over each sentence's in-vocabulary tokens; the table has V+1
    rows, the last (OOV) one all zero and excluded from the count."""
    if ids.size == 0:
        return np.zeros((tk.n, table.shape[1]))
    c = np.zeros((ids.size + 1, table.shape[1]), table.dtype)
    np.cumsum(table[ids], axis=0, out=c[1:])
    s = (c[tk.starts[1:]] - c[tk.starts[:-1]]).astype(np.float64)
    known = np.bincount(tk.sent, weights=ids < table.shape[0] - 1, minlength=tk.n)
    return s / np.maximum(known, 1.0)[:, None]


# --------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


@dataclass
class Explanation:
    score: float
    terms: list[tuple[str, float]]  # (feature, contribution to the linear member's logit)


class CheckworthinessModel:
    """Blend of a linear n-gram+signal model and a small embedding MLP."""

    def __init__(self, meta: dict, a: dict[str, np.ndarray]) -> None:
        hp = meta["hyper"]
        self.meta = meta
        self.vocab_list: list[str] = list(meta["vocab"])
        self.vocab = {w: i for i, w in enumerate(self.vocab_list)}
        self.n_uni = len(self.vocab_list)
        self.threshold = float(meta["threshold"])
        self.char_range = (int(hp["char_nmin"]), int(hp["char_nmax"]))
        self.n_buckets = int(hp["char_buckets"])
        f64 = lambda k: a[k].astype(np.float64)  # noqa: E731  (float16/32 on disk)
        self.bigram_keys = a["bigram_keys"].astype(np.int64)
        self.word_idf, self.w_word = f64("word_idf"), f64("w_word")
        self.char_idf, self.w_char = f64("char_idf"), f64("w_char")
        self.sig_mean, self.sig_scale = f64("sig_mean"), f64("sig_scale")
        self.w_sig = f64("w_sig")
        self.lin_bias = float(meta["lin_bias"])
        # MLP: first layer folded into a (V+1, H) table; last row = OOV (zero).
        emb = a["mlp_table"].astype(np.float32)
        self.mlp_table = np.vstack([emb, np.zeros((1, emb.shape[1]), np.float32)])
        self.mlp_w1_sig, self.mlp_b1 = f64("mlp_w1_sig"), f64("mlp_b1")
        self.mlp_w2 = f64("mlp_w2")
        self.mlp_b2 = float(meta["mlp_b2"])
        st = meta["stacker"]
        self.c_lin, self.c_mlp, self.c0 = float(st["c_lin"]), float(st["c_mlp"]), float(st["c0"])
        self.class_table = build_class_table(self.vocab_list)

    # -- members ------------------------------------------------------------------

    def _features(self, sentences: Sequence[str]) -> tuple[Tokenised, np.ndarray, np.ndarray]:
        tk = tokenise_batch(sentences)
        ids = lookup_ids(tk, self.vocab)
        sig = (signal_matrix(tk, ids, self.class_table) - self.sig_mean) / self.sig_scale
        return tk, ids, sig

    def _lin(
        self, tk: Tokenised, ids: np.ndarray, sig: np.ndarray
    ) -> tuple[np.ndarray, SparseBlock, SparseBlock]:
        n = tk.n
        r, c = word_occurrences(tk, ids, self.n_uni, self.bigram_keys)
        word = tfidf(r, c, n, self.word_idf.size, self.word_idf)
        r, c = char_occurrences(tk.texts, *self.char_range, self.n_buckets)
        char = tfidf(r, c, n, self.n_buckets, self.char_idf)
        z = np.full(n, self.lin_bias)
        z += np.bincount(word.row, weights=word.val * self.w_word[word.col], minlength=n)
        z += np.bincount(char.row, weights=char.val * self.w_char[char.col], minlength=n)
        z += sig @ self.w_sig
        return z, word, char

    def _mlp(self, tk: Tokenised, ids: np.ndarray, sig: np.ndarray) -> np.ndarray:
        h = mean_rows(self.mlp_table, tk, ids) + sig @ self.mlp_w1_sig + self.mlp_b1
        return np.maximum(h, 0.0) @ self.mlp_w2 + self.mlp_b2

    def member_logits(self, sentences: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(linear logit, MLP logit) per sentence, before blending."""
        tk, ids, sig = self._features(sentences)
        return self._lin(tk, ids, sig)[0], self._mlp(tk, ids, sig)

    # -- public API ---------------------------------------------------------------

    def score(self, sentences: Sequence[str]) -> np.ndarray:
        """Check-worthiness in [0, 1] of each sentence; one vectorised pass per call.
        Calibrated as P(check-worthy) under a 50/50 prior; compare with `threshold`."""
        sentences = list(sentences)
        if not sentences:
            return np.zeros(0)
        zl, zm = self.member_logits(sentences)
        return _sigmoid(self.c0 + self.c_lin * zl + self.c_mlp * zm)

    def explain(self, sentence: str, k: int = 6) -> Explanation:
        """Score of one sentence and the top contributions to its linear member
        (word n-grams by name, hashed char n-grams as one lump, hand signals)."""
        tk, ids, sig = self._features([sentence])
        _, word, char = self._lin(tk, ids, sig)
        terms: list[tuple[str, float]] = []
        for c, v in zip(word.col.tolist(), word.val.tolist(), strict=True):
            if c < self.n_uni:
                name = self.vocab_list[c]
            else:
                key = int(self.bigram_keys[c - self.n_uni])
                name = f"{self.vocab_list[key // self.n_uni]} {self.vocab_list[key % self.n_uni]}"
            terms.append((name, self.c_lin * v * float(self.w_word[c])))
        terms.append(
            ("<char n-grams>", self.c_lin * float(np.sum(char.val * self.w_char[char.col])))
        )
        contrib = self.c_lin * sig[0] * self.w_sig
        terms += [("signal:" + SIGNAL_NAMES[j], float(contrib[j])) for j in range(N_SIGNALS)]
        terms.sort(key=lambda t: -abs(t[1]))
        return Explanation(float(self.score([sentence])[0]), terms[:k])

    def reason(self, sentence: str, k: int = 4) -> str:
        """Short human-readable reason, e.g. 'score 0.91: +number, +"percent", -"i think"'."""
        ex = self.explain(sentence, k)
        parts = [
            ("+" if v > 0 else "-") + (n[7:] if n.startswith("signal:") else f'"{n}"')
            for n, v in ex.terms
        ]
        return f"score {ex.score:.2f}: " + ", ".join(parts)


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------

ARRAYS = (
    "bigram_keys",
    "word_idf",
    "w_word",
    "char_idf",
    "w_char",
    "sig_mean",
    "sig_scale",
    "w_sig",
    "mlp_table",
    "mlp_w1_sig",
    "mlp_b1",
    "mlp_w2",
)


def save(model_dir: str | Path, meta: dict, arrays: dict[str, np.ndarray]) -> tuple[Path, Path]:
    """Write checkworthiness.npz + checkworthiness.json into model_dir."""
    d = Path(model_dir)
    d.mkdir(parents=True, exist_ok=True)
    meta = dict(meta, format=FORMAT, format_version=FORMAT_VERSION, signals=list(SIGNAL_NAMES))
    meta["shapes"] = {k: list(np.asarray(arrays[k]).shape) for k in ARRAYS}
    npz, js = d / f"{MODEL_BASENAME}.npz", d / f"{MODEL_BASENAME}.json"
    np.savez_compressed(npz, **{k: arrays[k] for k in ARRAYS})  # type: ignore[arg-type]
    js.write_text(
        json.dumps(meta, ensure_ascii=False, indent=0, separators=(",", ":")), encoding="utf-8"
    )
    return npz, js


def _expect(ok: bool, file: Path, msg: str) -> None:
    if not ok:
        raise ModelFileError(f"{file}: {msg}")


def load(path: str | Path) -> CheckworthinessModel:
    """Load a model from a directory holding checkworthiness.{npz,json}, or from the path
    of either file. Checks format, array shapes against the vocabulary and
    hyper-parameters, finiteness and the signal list; raises ModelFileError naming the
    file at fault."""
    p = Path(path)
    if not p.exists():
        raise ModelFileError(f"check-worthiness model missing: no folder or file {p}")
    base = p / MODEL_BASENAME if p.is_dir() else p.with_suffix("")
    js, npz = base.with_suffix(".json"), base.with_suffix(".npz")
    for f in (js, npz):
        if not f.is_file():
            raise ModelFileError(f"check-worthiness model file missing: {f}")
    try:
        meta = json.loads(js.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFileError(f"{js}: corrupt model metadata: {e}") from e
    _expect(
        isinstance(meta, dict) and meta.get("format") == FORMAT, js, f"not a {FORMAT} model file"
    )
    _expect(
        meta.get("format_version") == FORMAT_VERSION,
        js,
        f"format_version {meta.get('format_version')}, code reads {FORMAT_VERSION}",
    )
    try:
        with np.load(npz, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise ModelFileError(f"{npz}: corrupt model arrays: {e}") from e
    missing = [k for k in ARRAYS if k not in arrays]
    _expect(not missing, npz, f"missing arrays {missing}")
    try:
        hp = meta["hyper"]
        vocab = meta["vocab"]
        _expect(
            isinstance(vocab, list) and all(isinstance(w, str) for w in vocab),
            js,
            "vocab must be a list of strings",
        )
        _expect(len(set(vocab)) == len(vocab), js, "vocabulary has duplicate entries")
        _expect(
            meta["signals"] == list(SIGNAL_NAMES),
            js,
            "signal list differs from this code's; retrain or update the code",
        )
        V = len(vocab)
        nb = int(hp["char_buckets"])
        H = int(hp["mlp_hidden"])
        n_word = V + arrays["bigram_keys"].shape[0]
        want = {
            "bigram_keys": (n_word - V,),
            "word_idf": (n_word,),
            "w_word": (n_word,),
            "char_idf": (nb,),
            "w_char": (nb,),
            "sig_mean": (N_SIGNALS,),
            "sig_scale": (N_SIGNALS,),
            "w_sig": (N_SIGNALS,),
            "mlp_table": (V, H),
            "mlp_w1_sig": (N_SIGNALS, H),
            "mlp_b1": (H,),
            "mlp_w2": (H,),
        }
        for k, shape in want.items():
            _expect(
                arrays[k].shape == shape,
                npz,
                f"array {k} has shape {arrays[k].shape}; {js.name} (vocabulary/hyper) needs {shape}",
            )
            _expect(
                list(shape) == meta["shapes"][k],
                js,
                f"recorded shape of {k} {meta['shapes'][k]} != {list(shape)}",
            )
            if arrays[k].dtype.kind == "f":
                _expect(
                    bool(np.all(np.isfinite(arrays[k]))), npz, f"array {k} has non-finite values"
                )
        bk = arrays["bigram_keys"].astype(np.int64)
        _expect(
            bk.size == 0 or (bool(np.all(np.diff(bk) > 0)) and bk[0] >= 0 and bk[-1] < V * V),
            npz,
            f"bigram_keys not sorted or out of range for the {V}-word vocabulary in {js.name}",
        )
        _expect(bool(np.all(arrays["sig_scale"] > 0)), npz, "sig_scale must be positive")
        for k in ("lin_bias", "mlp_b2", "threshold"):
            float(meta[k])
        for k in ("c_lin", "c_mlp", "c0"):
            float(meta["stacker"][k])
        return CheckworthinessModel(meta, arrays)
    except KeyError as e:
        raise ModelFileError(f"{js}: missing key {e}") from e
    except (TypeError, ValueError) as e:
        if isinstance(e, ModelFileError):
            raise
        raise ModelFileError(f"{js}: bad value: {e}") from e
