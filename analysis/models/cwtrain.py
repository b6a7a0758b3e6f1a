"""Training-side feature plumbing (numpy/scipy/sklearn; never imported at runtime).

Raw occurrences are computed once for all rows with the runtime featuriser's own
functions (`checkworthiness`); each CV fold then prunes the vocabulary (min_df) and fits
IDF and signal standardisation on its training rows only, and builds CSR matrices with
the runtime `tfidf`, so cross-validation measures exactly what the exported model
computes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from analysis.models import checkworthiness as cw


@dataclass
class Row:
    id: str
    text: str
    label: int
    doc: str | None
    speaker: str | None
    source: str  # "cb" | "clef"


def read_rows(data_dir: str | Path) -> list[Row]:
    """ClaimBuster + CLEF-2019 training rows; either file may be absent (not both)."""
    d = Path(data_dir)
    rows: list[Row] = []
    for fname, src in (("claimbuster-train.jsonl", "cb"), ("clef2019-train.jsonl", "clef")):
        f = d / fname
        if not f.exists():
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                rows.append(
                    Row(
                        str(r["id"]),
                        str(r["text"]),
                        int(r["label"]),
                        r.get("doc"),
                        r.get("speaker"),
                        src,
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise SystemExit(f"{f}:{n}: bad row: {e}") from e
    if not rows:
        raise SystemExit(f"no claimbuster-train.jsonl / clef2019-train.jsonl rows in {d}")
    return rows


def news_keys(data_dir: str | Path, min_count: int) -> set[str]:
    """Vocabulary keys seen >= min_count times in the stance files' news headlines and
    bodies (unlabelled use only). They extend the embedding table so that news words
    unseen in the debates still get a WordLlama vector at runtime."""
    d = Path(data_dir)
    texts: set[str] = set()
    f = d / "fnc1-train.jsonl.gz"
    if f.exists():
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                texts.add(r["body"])
                texts.add(r["claim"])
    f = d / "emergent-train.jsonl"
    if f.exists():
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                texts.add(r["body"])
                texts.add(r["claim"])
    counts: dict[str, int] = {}
    for t in sorted(texts):
        tk = cw.tokenise_batch([t])
        for k in tk.keys:
            counts[k] = counts.get(k, 0) + 1
    return {k for k, c in counts.items() if c >= min_count}


@dataclass
class RawFeatures:
    """Occurrences of every feature for every row, before pruning/IDF."""

    n: int
    keys: list[str]  # global key list (all training keys + extra keys)
    word_row: np.ndarray
    word_col: np.ndarray  # < len(keys): unigram id; else len(keys) + index into bigram_keys
    bigram_keys: np.ndarray  # sorted id1 * len(keys) + id2
    char_row: np.ndarray
    char_col: np.ndarray
    signals: np.ndarray  # (n, N_SIGNALS) raw hand signals
    key_counts: sp.csr_matrix  # (n, len(keys)) token counts per row (for embedding means)


def raw_features(
    texts: Sequence[str], extra_keys: set[str], char_range: tuple[int, int], n_buckets: int
) -> RawFeatures:
    tk = cw.tokenise_batch(texts)
    keys = sorted(set(tk.keys) | set(extra_keys))
    vocab = {k: i for i, k in enumerate(keys)}
    ids = cw.lookup_ids(tk, vocab)
    V = len(keys)
    same = tk.sent[:-1] == tk.sent[1:]
    bk = np.unique(ids[:-1][same] * V + ids[1:][same])
    wr, wc = cw.word_occurrences(tk, ids, V, bk)
    cr, cc = cw.char_occurrences(tk.texts, char_range[0], char_range[1], n_buckets)
    sig = cw.signal_matrix(tk, ids, cw.build_class_table(keys))
    counts = sp.csr_matrix((np.ones(ids.size), (tk.sent, ids)), shape=(len(texts), V))
    return RawFeatures(len(texts), keys, wr, wc, bk, cr, cc, sig, counts)


def wordllama_vectors(keys: Sequence[str]) -> np.ndarray:
    """256-d WordLlama vector of each key (mean of its sub-word token embeddings)."""
    import wordllama
    from wordllama import WordLlama

    wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    out = np.zeros((len(keys), 256), np.float32)
    step = 4096
    for i in range(0, len(keys), step):
        out[i : i + step] = wl.embed(list(keys[i : i + step]), norm=False)
    return out


@dataclass
class FoldFeaturiser:
    """Vocabulary pruning, IDF and standardisation fitted on training rows."""

    word_idf: np.ndarray  # over global word columns (0 = pruned)
    char_idf: np.ndarray
    sig_mean: np.ndarray
    sig_std: np.ndarray
    known: np.ndarray  # (len(keys),) bool: key has an embedding at runtime
    emb_mean: np.ndarray
    emb_std: np.ndarray


def _df(row: np.ndarray, col: np.ndarray, n_cols: int) -> np.ndarray:
    return np.bincount(np.unique(row * n_cols + col) % n_cols, minlength=n_cols)


def fit_featuriser(
    raw: RawFeatures, train: np.ndarray, hp: dict, extra_keys: set[str], emb: np.ndarray | None
) -> FoldFeaturiser:
    mask = np.zeros(raw.n, bool)
    mask[train] = True
    n_tr = int(mask.sum())
    V = len(raw.keys)
    n_word = V + raw.bigram_keys.size
    wm = mask[raw.word_row]
    df_w = _df(raw.word_row[wm], raw.word_col[wm], n_word)
    min_df = np.where(np.arange(n_word) < V, hp["min_df_uni"], hp["min_df_bi"])
    word_idf = np.log((1.0 + n_tr) / (1.0 + df_w)) + 1.0  # sklearn's smooth IDF
    word_idf[df_w < min_df] = 0.0
    cm = mask[raw.char_row]
    df_c = _df(raw.char_row[cm], raw.char_col[cm], hp["char_buckets"])
    char_idf = np.log((1.0 + n_tr) / (1.0 + df_c)) + 1.0
    char_idf[df_c < hp["min_df_char"]] = 0.0
    sig = raw.signals[train]
    sig_std = sig.std(0)
    sig_std[sig_std < 1e-6] = 1.0
    # Keys with an embedding at runtime: seen in training rows, or in the news vocabulary.
    seen = np.asarray(raw.key_counts[train].sum(0)).ravel() > 0
    known = seen | np.isin(np.asarray(raw.keys, dtype=object), list(extra_keys))
    ff = FoldFeaturiser(word_idf, char_idf, sig.mean(0), sig_std, known, np.zeros(1), np.ones(1))
    if emb is not None:
        e = embedding_means(raw, ff, emb, train)
        ff.emb_mean = e.mean(0)
        ff.emb_std = np.maximum(e.std(0), 1e-6)
    return ff


def embedding_means(
    raw: RawFeatures, ff: FoldFeaturiser, emb: np.ndarray, sel: np.ndarray
) -> np.ndarray:
    """Mean WordLlama vector over each row's known tokens (as `cw.mean_rows` at runtime)."""
    C = raw.key_counts[sel] @ sp.diags(ff.known.astype(np.float64))
    cnt = np.asarray(C.sum(1)).ravel()
    return np.asarray(C @ emb) / np.maximum(cnt, 1.0)[:, None]


def _csr(
    row: np.ndarray, col: np.ndarray, n: int, n_cols: int, idf: np.ndarray, sel: np.ndarray
) -> sp.csr_matrix:
    """TF-IDF CSR for rows `sel` (renumbered 0..len(sel)-1) via the runtime `tfidf`."""
    pos = np.full(n, -1, np.int64)
    pos[sel] = np.arange(sel.size)
    m = pos[row] >= 0
    b = cw.tfidf(pos[row[m]], col[m], sel.size, n_cols, idf)
    return sp.csr_matrix((b.val, (b.row, b.col)), shape=(sel.size, n_cols))


def sig_std(raw: RawFeatures, ff: FoldFeaturiser, sel: np.ndarray) -> np.ndarray:
    return (raw.signals[sel] - ff.sig_mean) / ff.sig_std


def lin_matrix(
    raw: RawFeatures, ff: FoldFeaturiser, sel: np.ndarray, sig_weight: float
) -> sp.csr_matrix:
    """[word TF-IDF | char TF-IDF | sig_weight * standardised signals] for rows sel.
    sig_weight sets the signal block's scale relative to the L2-normalised TF-IDF
    blocks under the single shared L2 penalty."""
    w = _csr(raw.word_row, raw.word_col, raw.n, ff.word_idf.size, ff.word_idf, sel)
    c = _csr(raw.char_row, raw.char_col, raw.n, ff.char_idf.size, ff.char_idf, sel)
    s = sp.csr_matrix(sig_std(raw, ff, sel) * sig_weight)
    return sp.hstack([w, c, s]).tocsr()


def mlp_matrix(
    raw: RawFeatures, ff: FoldFeaturiser, emb: np.ndarray, sel: np.ndarray
) -> np.ndarray:
    e = (embedding_means(raw, ff, emb, sel) - ff.emb_mean) / ff.emb_std
    return np.hstack([e, sig_std(raw, ff, sel)])


# -- metrics ---------------------------------------------------------------------------


def best_f1(y: np.ndarray, s: np.ndarray, neg_weight: float = 1.0) -> tuple[float, float]:
    """(best F1, its threshold) over all cut points; negatives weighted by neg_weight
    (neg_weight = n_pos / n_neg re-weights the sample to a balanced prior)."""
    o = np.argsort(-s, kind="stable")
    ys, ss = y[o], s[o]
    tp = np.cumsum(ys)
    fp = np.cumsum(1 - ys) * neg_weight
    # only cut between distinct scores
    last = np.r_[ss[1:] != ss[:-1], True]
    p = tp / np.maximum(tp + fp, 1e-12)
    r = tp / max(ys.sum(), 1)
    f = np.where(last, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    i = int(np.argmax(f))
    return float(f[i]), float(ss[i])


def prf_at(
    y: np.ndarray, s: np.ndarray, t: float, neg_weight: float = 1.0
) -> tuple[float, float, float]:
    pred = s >= t
    tp = float(np.sum(pred & (y == 1)))
    fp = float(np.sum(pred & (y == 0))) * neg_weight
    fn = float(np.sum(~pred & (y == 1)))
    p = tp / max(tp + fp, 1e-12)
    r = tp / max(tp + fn, 1e-12)
    return p, r, 2 * p * r / max(p + r, 1e-12)


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    """AP as in the CLEF-2019 scorer / sklearn: mean precision at each positive's rank.
    Ties broken by document order (stable sort), which is deterministic."""
    if y.sum() == 0:
        return 0.0
    o = np.argsort(-s, kind="stable")
    ys = y[o]
    hits = np.cumsum(ys)
    ranks = np.arange(1, ys.size + 1)
    return float(np.sum((hits / ranks)[ys == 1]) / ys.sum())


def roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    from scipy.stats import rankdata

    r = rankdata(s)
    npos = y.sum()
    nneg = y.size - npos
    if npos == 0 or nneg == 0:
        return float("nan")
    return float((r[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def doc_map(y: np.ndarray, s: np.ndarray, docs: np.ndarray) -> tuple[float, dict[str, float]]:
    per = {d: average_precision(y[docs == d], s[docs == d]) for d in sorted(set(docs.tolist()))}
    return float(np.mean(list(per.values()))) if per else float("nan"), per


Fitter = Callable[[np.ndarray, np.ndarray], np.ndarray]
