#!/usr/bin/env python3
"""Train the check-worthiness model and report cross-validated metrics.

    python -m analysis.models.train_checkworthiness --data ../shared/datasets --out analysis/models/data

Reads claimbuster-train.jsonl and clef2019-train.jsonl (and, for vocabulary only, the
stance files' news text), cross-validates, fits the final model on all training rows and
writes checkworthiness.{npz,json} (+ checkworthiness.cv.json) to --out. Deterministic: fixed
seeds, single-threaded solvers.

CV protocol (the public test splits are never touched):
* ClaimBuster: stratified 5-fold (seed). Any training row whose normalised text equals a
  dev-fold text is dropped from that fold's training set (the 2016 debates are in both
  datasets).
* CLEF-2019: by debate (leave-one-debate-out, or grouped k-fold with --clef-folds k).
  ClaimBuster rows whose text occurs in the held-out debate are dropped likewise.
* The 2-input stacker (blend + calibration) is cross-fitted on the out-of-fold member
  logits, so the reported stacked metrics are out-of-fold too.

Training-only dependencies: scikit-learn, scipy, wordllama (for the word vectors).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # shared 2-core machine; also determinism
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import warnings  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold, StratifiedKFold  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from analysis.models import checkworthiness as cw  # noqa: E402
from analysis.models import cwtrain as T  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "datasets"
DEFAULT_OUT = Path(__file__).resolve().parent / "data"

DEFAULTS: dict = {
    "seed": 0,
    "cb_folds": 5,
    "char_nmin": 1,
    "char_nmax": 5,
    "char_buckets": 2**18,
    "min_df_uni": 1,
    "min_df_bi": 2,
    "min_df_char": 2,
    "lr_C": 3.0,
    "sig_weight": 0.3,
    "mlp_hidden": 64,
    "mlp_alpha": 3.0,
    "mlp_max_iter": 400,
    "news_min_count": 3,
    # How CLEF rows enter training; 0 = CLEF is used for evaluation only. CLEF negatives
    # contradict ClaimBuster's "check-worthy factual claim" (CLEF marks only what
    # factcheck.org chose to check), and CLEF positives alone teach "debate-transcript
    # style = positive", which wrecks the within-debate ranking (CV: MAP 0.24 -> 0.14).
    # REPORT.md has the numbers.
    "clef_pos_weight": 0.0,
    "clef_neg_weight": 0.0,
}

# The MLP is stopped by early stopping or max_iter on purpose (regularisation).
warnings.filterwarnings("ignore", category=ConvergenceWarning)

_NORM_RE = re.compile(r"[^a-z0-9]+")


def norm_text(t: str) -> str:
    return _NORM_RE.sub(" ", t.lower()).strip()


def log(*a: object) -> None:
    print(*a, flush=True)


class Trainer:
    """Holds raw features for all rows and fits members on index sets."""

    def __init__(self, rows: list[T.Row], hp: dict, extra_keys: set[str]) -> None:
        self.rows = rows
        self.hp = hp
        self.extra = extra_keys
        self.y = np.array([r.label for r in rows], np.int64)
        self.src = np.array([r.source for r in rows])
        self.doc = np.array([r.doc or "" for r in rows], dtype=object)
        self.norm = np.array([norm_text(r.text) for r in rows], dtype=object)
        t0 = time.time()
        self.raw = T.raw_features(
            [r.text for r in rows],
            extra_keys,
            (hp["char_nmin"], hp["char_nmax"]),
            hp["char_buckets"],
        )
        log(
            f"features: {len(rows)} rows, {len(self.raw.keys)} keys, {self.raw.bigram_keys.size} bigrams ({time.time() - t0:.1f}s)"
        )
        t0 = time.time()
        self.emb = T.wordllama_vectors(self.raw.keys).astype(np.float64)
        log(f"word vectors: {self.emb.shape} ({time.time() - t0:.1f}s)")

    def train_weights(self, idx: np.ndarray) -> np.ndarray:
        """Sample weights: ClaimBuster rows 1, CLEF rows by label (0 drops the row)."""
        w = np.ones(idx.size)
        clef = self.src[idx] == "clef"
        w[clef] = np.where(
            self.y[idx][clef] == 1, self.hp["clef_pos_weight"], self.hp["clef_neg_weight"]
        )
        return w

    def usable(self, train: np.ndarray) -> bool:
        """True if the weighted training set has both labels."""
        w = self.train_weights(train)
        return len(set(self.y[train][w > 0].tolist())) == 2

    def fit(self, train: np.ndarray) -> dict:
        w = self.train_weights(train)
        train = train[w > 0]
        w = w[w > 0]
        if len(set(self.y[train].tolist())) < 2:
            raise SystemExit("training set has only one label (after CLEF weighting)")
        hp = self.hp
        ff = T.fit_featuriser(self.raw, train, hp, self.extra, self.emb)
        y = self.y[train]
        lr = LogisticRegression(
            C=hp["lr_C"], solver="liblinear", max_iter=5000, random_state=hp["seed"]
        )
        lr.fit(T.lin_matrix(self.raw, ff, train, hp["sig_weight"]), y, sample_weight=w)
        X = T.mlp_matrix(self.raw, ff, self.emb, train)
        # sklearn's MLP has no sample weights: repeat rows with integer weight > 1, and
        # keep fractional-weight rows once (weights here are 0/1 by default).
        rep = np.maximum(np.rint(w).astype(int), 1)
        Xr, yr = np.repeat(X, rep, axis=0), np.repeat(y, rep)
        big = len(yr) >= 200 and len(set(yr.tolist())) == 2
        mlp = MLPClassifier(
            hidden_layer_sizes=(hp["mlp_hidden"],),
            alpha=hp["mlp_alpha"],
            max_iter=hp["mlp_max_iter"],
            early_stopping=big,
            random_state=hp["seed"],
        )
        mlp.fit(Xr, yr)
        return {"ff": ff, "lr": lr, "mlp": mlp}

    def logits(self, m: dict, sel: np.ndarray) -> np.ndarray:
        """(len(sel), 2) member logits [linear, mlp]."""
        zl = m["lr"].decision_function(T.lin_matrix(self.raw, m["ff"], sel, self.hp["sig_weight"]))
        X = T.mlp_matrix(self.raw, m["ff"], self.emb, sel)
        mlp = m["mlp"]
        h = np.maximum(X @ mlp.coefs_[0] + mlp.intercepts_[0], 0.0)
        zm = (h @ mlp.coefs_[1] + mlp.intercepts_[1]).ravel()
        return np.column_stack([zl, zm])

    def without_texts(self, idx: np.ndarray, texts: set) -> np.ndarray:
        return idx[np.array([self.norm[i] not in texts for i in idx], bool)] if idx.size else idx


# -- cross-validation ------------------------------------------------------------------


def cv_claimbuster(tr: Trainer, hp: dict) -> tuple[np.ndarray, np.ndarray] | None:
    cb = np.flatnonzero(tr.src == "cb")
    clef = np.flatnonzero(tr.src == "clef")
    y = tr.y[cb]
    k = min(hp["cb_folds"], int(np.bincount(y, minlength=2).min()))
    if k < 2:
        log("ClaimBuster CV skipped: too few rows of one class")
        return None
    out = np.zeros((cb.size, 2))
    for f, (a, b) in enumerate(
        StratifiedKFold(k, shuffle=True, random_state=hp["seed"]).split(cb, y)
    ):
        dev = cb[b]
        train = np.concatenate([cb[a], tr.without_texts(clef, set(tr.norm[dev]))])
        if not tr.usable(train):
            log(f"ClaimBuster CV skipped: fold {f + 1} has one label only")
            return None
        out[b] = tr.logits(tr.fit(train), dev)
        log(f"  ClaimBuster fold {f + 1}/{k} done")
    return cb, out


def cv_clef(tr: Trainer, hp: dict, n_folds: int) -> tuple[np.ndarray, np.ndarray] | None:
    clef = np.flatnonzero(tr.src == "clef")
    cb = np.flatnonzero(tr.src == "cb")
    docs = tr.doc[clef]
    ud = sorted(set(docs.tolist()))
    if len(ud) < 2:
        log("CLEF CV skipped: fewer than two debates")
        return None
    k = len(ud) if n_folds <= 0 else min(n_folds, len(ud))
    groups = np.array([ud.index(d) for d in docs])
    out = np.zeros((clef.size, 2))
    uses_clef = hp["clef_pos_weight"] > 0 or hp["clef_neg_weight"] > 0
    cache: dict[tuple, dict] = {}
    for f, (a, b) in enumerate(GroupKFold(k).split(clef, groups=groups)):
        dev = clef[b]
        texts = set(tr.norm[dev])
        cb_tr = tr.without_texts(cb, texts)
        train = np.concatenate([cb_tr, clef[a]]) if uses_clef else cb_tr
        if not tr.usable(train):
            log(f"CLEF CV skipped: fold {f + 1} has one label only")
            return None
        key = tuple(train.tolist()) if not uses_clef else None
        # Without CLEF training rows most folds share one training set: fit it once.
        m = cache.get(key) if key is not None else None
        if m is None:
            m = tr.fit(train)
            if key is not None:
                cache[key] = m
        out[b] = tr.logits(m, dev)
        log(f"  CLEF fold {f + 1}/{k} done")
    return clef, out


def fit_stacker(Z: np.ndarray, y: np.ndarray, seed: int) -> LogisticRegression:
    """Blend + calibrate the member logits. class_weight='balanced' makes the output a
    probability under a 50/50 prior (the hidden ClaimBuster test is balanced)."""
    st = LogisticRegression(
        C=1.0, class_weight="balanced", solver="lbfgs", max_iter=1000, random_state=seed
    )
    return st.fit(Z, y)


def stacked_oof(Z: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    k = min(5, int(np.bincount(y, minlength=2).min()))
    if k < 2:
        return fit_stacker(Z, y, seed).predict_proba(Z)[:, 1]
    p = np.zeros(len(y))
    for a, b in StratifiedKFold(k, shuffle=True, random_state=seed + 1).split(Z, y):
        p[b] = fit_stacker(Z[a], y[a], seed).predict_proba(Z[b])[:, 1]
    return p


def cb_metrics(y: np.ndarray, s: np.ndarray, threshold: float) -> dict:
    nw = y.sum() / max(len(y) - y.sum(), 1)  # re-weight negatives to a balanced prior
    p, r, f = T.prf_at(y, s, threshold)
    pb, rb, fb = T.prf_at(y, s, threshold, nw)
    bf, bt = T.best_f1(y, s)
    bbf, bbt = T.best_f1(y, s, nw)
    return {
        "threshold": threshold,
        "natural": {"P": p, "R": r, "F1": f, "best_F1": bf, "best_threshold": bt},
        "balanced": {"P": pb, "R": rb, "F1": fb, "best_F1": bbf, "best_threshold": bbt},
        "AP": T.average_precision(y, s),
        "AUC": T.roc_auc(y, s),
        "n": int(len(y)),
        "positives": int(y.sum()),
    }


def fmt_cb(name: str, m: dict) -> str:
    n, b = m["natural"], m["balanced"]
    return (
        f"{name:18s} AUC {m['AUC']:.4f} AP {m['AP']:.4f} | @t={m['threshold']:.3f} natural P/R/F1 "
        f"{n['P']:.3f}/{n['R']:.3f}/{n['F1']:.4f} balanced P/R/F1 {b['P']:.3f}/{b['R']:.3f}/{b['F1']:.4f} "
        f"| best F1 natural {n['best_F1']:.4f}@{n['best_threshold']:.3f} balanced {b['best_F1']:.4f}@{b['best_threshold']:.3f}"
    )


# -- export ----------------------------------------------------------------------------


def export(
    tr: Trainer, m: dict, stacker: LogisticRegression, threshold: float, hp: dict, extra_meta: dict
) -> tuple[dict, dict]:
    """Prune and remap the global vocabulary; fold the MLP's first layer into a
    per-word table; return (meta, arrays) for cw.save."""
    raw, ff = tr.raw, m["ff"]
    V = len(raw.keys)
    bi_idf = ff.word_idf[V:]
    keep_bi = np.flatnonzero(bi_idf > 0)
    bk = raw.bigram_keys[keep_bi]
    comp = np.unique(np.concatenate([bk // V, bk % V])) if bk.size else np.zeros(0, np.int64)
    keep_uni = np.flatnonzero((ff.word_idf[:V] > 0) | ff.known)
    keep_uni = np.union1d(keep_uni, comp)
    vocab = [raw.keys[i] for i in keep_uni]
    newid = np.full(V, -1, np.int64)
    newid[keep_uni] = np.arange(keep_uni.size)
    nV = keep_uni.size
    nbk = newid[bk // V] * nV + newid[bk % V]
    order = np.argsort(nbk)
    nbk = nbk[order]
    coef = m["lr"].coef_.ravel()
    n_word = V + raw.bigram_keys.size
    nb = hp["char_buckets"]
    w_word_g, w_char, w_sig = (
        coef[:n_word],
        coef[n_word : n_word + nb],
        coef[n_word + nb :] * hp["sig_weight"],
    )
    word_idf = np.concatenate([ff.word_idf[keep_uni], bi_idf[keep_bi][order]])
    w_word = np.concatenate([w_word_g[keep_uni], w_word_g[V:][keep_bi][order]])
    # MLP: x = [(mean_emb - mu)/sd, sig_std]; h = relu(x @ W1 + b1).
    mlp = m["mlp"]
    W1, b1 = mlp.coefs_[0], mlp.intercepts_[0]
    E = W1.shape[0] - cw.N_SIGNALS
    W1e, W1s = W1[:E], W1[E:]
    table = tr.emb[keep_uni] @ (W1e / ff.emb_std[:, None])
    table[~ff.known[keep_uni]] = 0.0  # runtime treats these as known; training did not
    b1f = b1 - (ff.emb_mean / ff.emb_std) @ W1e
    known_kept = ff.known[keep_uni]
    if not known_kept.all():
        # A kept key without an embedding would be averaged in at runtime as a zero row;
        # training excluded it. Only happens for pruning-only keys; keep exact by
        # construction: every kept key is "known" (seen in training or news).
        raise SystemExit("internal: exported vocabulary has keys without embeddings")
    arrays = {
        "bigram_keys": nbk.astype(np.int64),
        "word_idf": word_idf.astype(np.float32),
        "w_word": w_word.astype(np.float32),
        "char_idf": ff.char_idf.astype(np.float32),
        "w_char": w_char.astype(np.float32),
        "sig_mean": ff.sig_mean.astype(np.float64),
        "sig_scale": ff.sig_std.astype(np.float64),
        "w_sig": w_sig.astype(np.float64),
        "mlp_table": table.astype(np.float16),
        "mlp_w1_sig": W1s.astype(np.float32),
        "mlp_b1": b1f.astype(np.float64),
        "mlp_w2": mlp.coefs_[1].ravel().astype(np.float32),
    }
    meta = {
        "vocab": vocab,
        "hyper": {k: hp[k] for k in sorted(hp)},
        "lin_bias": float(m["lr"].intercept_[0]),
        "mlp_b2": float(mlp.intercepts_[1][0]),
        "stacker": {
            "c_lin": float(stacker.coef_[0, 0]),
            "c_mlp": float(stacker.coef_[0, 1]),
            "c0": float(stacker.intercept_[0]),
        },
        "threshold": threshold,
    }
    meta.update(extra_meta)
    return meta, arrays


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--data", default=str(DEFAULT_DATA), help="folder with the training .jsonl files"
    )
    ap.add_argument(
        "--out", default=str(DEFAULT_OUT), help="output folder for checkworthiness.{npz,json}"
    )
    ap.add_argument(
        "--clef-folds",
        type=int,
        default=0,
        help="CLEF CV folds by debate; 0 = leave-one-debate-out",
    )
    ap.add_argument("--no-cv", action="store_true", help="skip CV (threshold falls back to 0.5)")
    ap.add_argument("--cv-only", action="store_true", help="report CV, write no model")
    ap.add_argument(
        "--oof", default="", help="save out-of-fold member logits to this .npz (analysis)"
    )
    ap.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override a hyper-parameter"
    )
    args = ap.parse_args(argv)
    hp = dict(DEFAULTS)
    for kv in args.set:
        k, _, v = kv.partition("=")
        if k not in hp:
            ap.error(f"unknown hyper-parameter {k}")
        hp[k] = type(hp[k])(float(v)) if isinstance(hp[k], (int, float)) else v
    np.random.seed(hp["seed"])
    t_start = time.time()
    rows = T.read_rows(args.data)
    extra = T.news_keys(args.data, hp["news_min_count"])
    log(
        f"rows: {len(rows)} ({sum(r.source == 'cb' for r in rows)} ClaimBuster, {sum(r.source == 'clef' for r in rows)} CLEF); news vocabulary {len(extra)} keys"
    )
    tr = Trainer(rows, hp, extra)

    metrics: dict = {"hyper": hp}
    threshold = 0.5
    stacker = None
    if not args.no_cv:
        cbres = cv_claimbuster(tr, hp)
        clres = cv_clef(tr, hp, args.clef_folds)
        if cbres is not None:
            cb_idx, Z = cbres
            y = tr.y[cb_idx]
            p_stack = stacked_oof(Z, y, hp["seed"])
            # The default threshold: F1-optimal on out-of-fold scores re-weighted to a
            # balanced prior (the deployment/test prior we expect), rounded to 0.01.
            _, t_bal = T.best_f1(y, p_stack, y.sum() / max(len(y) - y.sum(), 1))
            threshold = round(float(t_bal), 2)
            stacker = fit_stacker(Z, y, hp["seed"])
            sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
            # Members are reported through a balanced Platt fit of their own logit.
            for name, col in (("linear", 0), ("mlp", 1)):
                pl = stacked_oof(Z[:, [col]], y, hp["seed"])
                _, tb = T.best_f1(y, pl, y.sum() / max(len(y) - y.sum(), 1))
                mm = cb_metrics(y, pl, round(tb, 2))
                metrics[f"cb_{name}"] = mm
                log(fmt_cb(f"CB {name}", mm))
            mm = cb_metrics(y, p_stack, threshold)
            metrics["cb_blend"] = mm
            log(fmt_cb("CB blend", mm))
            del sig
        if clres is not None:
            cl_idx, Zc = clres
            yc, dc = tr.y[cl_idx], tr.doc[cl_idx]
            st = stacker if stacker is not None else None
            res = {}
            for name, s in (
                ("linear", Zc[:, 0]),
                ("mlp", Zc[:, 1]),
                ("blend", st.decision_function(Zc) if st is not None else Zc.sum(1)),
            ):
                mp, per = T.doc_map(yc, s, dc)
                res[name] = {"MAP": mp, "per_debate_AP": per}
                log(f"CLEF {name:8s} MAP {mp:.4f}")
            metrics["clef"] = res
    if args.oof and not args.no_cv:
        np.savez(
            args.oof,
            cb_idx=cbres[0] if cbres else np.zeros(0, int),
            cb_Z=cbres[1] if cbres else np.zeros((0, 2)),
            clef_idx=clres[0] if clres else np.zeros(0, int),
            clef_Z=clres[1] if clres else np.zeros((0, 2)),
        )
    if args.cv_only:
        log(json.dumps({k: v for k, v in metrics.items() if k != "hyper"}, default=float)[:2000])
        return 0

    log("fitting final model on all training rows")
    all_idx = np.arange(len(rows))
    m = tr.fit(all_idx)
    if stacker is None:
        # No CV possible (tiny data): identity blend, balanced Platt fit on training logits.
        Z = tr.logits(m, all_idx)
        stacker = fit_stacker(Z, tr.y, hp["seed"]) if len(set(tr.y.tolist())) == 2 else None
        if stacker is None:
            raise SystemExit("need both labels to train")
    meta, arrays = export(
        tr,
        m,
        stacker,
        threshold,
        hp,
        {
            "trained_on": {
                "claimbuster_rows": int((tr.src == "cb").sum()),
                "clef_rows": int((tr.src == "clef").sum()),
                "data": str(args.data),
            },
            "command": "python train_checkworthiness.py "
            + " ".join(argv if argv is not None else sys.argv[1:]),
            "cv": {k: v for k, v in metrics.items() if k != "hyper"},
        },
    )
    out = Path(args.out)
    npz, js = cw.save(out, meta, arrays)
    # Consistency: the runtime module must reproduce the training-side pipeline.
    model = cw.load(out)
    sample = all_idx[:: max(1, len(all_idx) // 2000)]
    want = stacker.predict_proba(tr.logits(m, sample))[:, 1]
    got = model.score([rows[i].text for i in sample])
    diff = float(np.max(np.abs(want - got)))
    log(f"runtime vs training score max |diff| over {sample.size} rows: {diff:.2e}")
    if diff > 2e-3:
        raise SystemExit(f"runtime model disagrees with training pipeline (max diff {diff})")
    metrics["runtime_consistency_max_diff"] = diff
    (out / "checkworthiness.cv.json").write_text(
        json.dumps(metrics, indent=1, default=float), encoding="utf-8"
    )
    size = npz.stat().st_size + js.stat().st_size
    log(
        f"wrote {npz} ({npz.stat().st_size / 1e6:.2f} MB) and {js} ({js.stat().st_size / 1e6:.2f} MB); total {size / 1e6:.2f} MB; {time.time() - t_start:.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
