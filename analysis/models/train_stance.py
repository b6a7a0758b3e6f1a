"""Train the relatedness + stance model (reproducible, fixed seeds).

    python -m analysis.models.train_stance --data ../shared/datasets --out analysis/models/data

1. Dev run: FNC-1 split by body (20% of bodies, seed 1), Emergent split by claim (20% of
   claims, seed 1); tables (IDF, vocabulary) and the MLP ensemble are fitted on the train
   parts only; dev metrics are printed.
2. Final run (unless --dev-only): the same recipe on all rows; written to
   `<out>/stance.npz` + `<out>/stance.json` (+ `dev_metrics.json`).

Features are computed by `stance.pair_features`, the very function `judge` uses, one call
per claim against all of its documents, so training and serving cannot drift apart.
Training needs numpy + scipy only (sparse bag-of-words input); inference needs numpy.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from analysis.models import stance
from analysis.models.stance import LABELS, PassageFeatures
from analysis.passages import split_passages

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1].parent / "shared" / "datasets"

LABEL_ID = {lab: i for i, lab in enumerate(LABELS)}
SEED = 1


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Row:
    id: str
    claim: str
    body: str
    label: str
    source: str  # "fnc" or "emergent"


def read_rows(data_dir: Path) -> tuple[list[Row], list[Row]]:
    """FNC-1 (gzip) and Emergent training rows; either file may be absent (fixtures)."""
    fnc: list[Row] = []
    emergent: list[Row] = []
    f = data_dir / "fnc1-train.jsonl.gz"
    if f.exists():
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            fnc = [
                Row(d["id"], d["claim"], d["body"], d["label"], "fnc") for d in map(json.loads, fh)
            ]
    e = data_dir / "emergent-train.jsonl"
    if e.exists():
        with e.open(encoding="utf-8") as fh:
            emergent = [
                Row(d["id"], d["claim"], d["body"], d["label"], "emergent")
                for d in map(json.loads, fh)
                if d
            ]
    if not fnc and not emergent:
        raise SystemExit(f"no training data in {data_dir}")
    for r in fnc + emergent:
        if r.label not in LABEL_ID:
            raise SystemExit(f"{r.id}: unknown label {r.label!r}")
    return fnc, emergent


def group_split(
    rows: Sequence[Row], key: str, frac: float, seed: int
) -> tuple[list[Row], list[Row]]:
    """Hold out `frac` of the distinct `key` values (body or claim), shuffled by seed."""
    groups = sorted({getattr(r, key) for r in rows})
    rng = np.random.RandomState(seed)
    rng.shuffle(groups)
    n_dev = int(round(len(groups) * frac)) if len(groups) > 1 else 0
    dev = set(groups[:n_dev])
    return [r for r in rows if getattr(r, key) not in dev], [
        r for r in rows if getattr(r, key) in dev
    ]


def topic_split(
    fnc: Sequence[Row], emergent: Sequence[Row], frac: float, seed: int
) -> tuple[list[Row], list[Row], list[Row]]:
    """Harder FNC dev split that mimics the competition test's new topics: topics are the
    connected components of related (claim, body) pairs; dev bodies are the bodies of a
    `frac` share of topics; training drops every row that uses a dev topic's claim or body
    (also Emergent rows whose article headline is a dev claim)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in fnc:
        find("c" + r.claim), find("b" + r.body)
        if r.label != "unrelated":
            parent[find("c" + r.claim)] = find("b" + r.body)
    topics = sorted({find(x) for x in parent})
    rng = np.random.RandomState(seed)
    rng.shuffle(topics)
    dev_topics = set(topics[: int(round(len(topics) * frac))])
    dev_bodies = {r.body for r in fnc if find("b" + r.body) in dev_topics}
    dev_claims = {r.claim for r in fnc if find("c" + r.claim) in dev_topics}
    dev = [r for r in fnc if r.body in dev_bodies]
    train = [r for r in fnc if r.body not in dev_bodies and r.claim not in dev_claims]
    em_train = [r for r in emergent if r.body not in dev_claims and r.claim not in dev_claims]
    return train, dev, em_train


# --------------------------------------------------------------------------- featurisation


class Featurised:
    """Passage features of every distinct body and claim, computed once."""

    def __init__(self, rows: Sequence[Row]):
        bodies = sorted({r.body for r in rows})
        claims = sorted({r.claim for r in rows})
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for b in bodies:
            ps = split_passages(b)
            spans.append((len(texts), len(texts) + len(ps)))
            texts.extend(b[s:e] for s, e in ps)
        emb = stance.embed(texts)
        self.body: dict[str, PassageFeatures] = {}
        for b, (s, e) in zip(bodies, spans, strict=False):
            self.body[b] = stance.featurise_passages(texts[s:e], emb[s:e])
        cemb = stance.embed(claims)
        self.claim = {
            c: stance.featurise_passages([c], cemb[i : i + 1]) for i, c in enumerate(claims)
        }
        self.n_passages = len(texts)


def fit_tables(
    rows: Sequence[Row], vocab_size: int, n_bow: int, cues: dict[str, list[str]]
) -> tuple[stance.Tables, dict[str, Any]]:
    """IDF over distinct claims and bodies (each one document); bag-of-words vocabulary:
    the most frequent non-stop-word tokens (as in the UCL model, which used 5,000)."""
    docs = sorted({r.claim for r in rows} | {r.body for r in rows})
    df: Counter[str] = Counter()
    tf: Counter[str] = Counter()
    for d in docs:
        toks = [t for t in stance.tokenize(d) if t != "?"]
        df.update(set(toks))
        tf.update(t for t in toks if t not in stance.STOP_STEMS and len(t) > 1)
    n = len(docs)
    # keep tokens seen in >= 2 documents (others get the OOV IDF anyway)
    words = sorted(w for w, c in df.items() if c >= 2) or sorted(df)
    idf = np.array([math.log((n + 1) / (df[w] + 1)) + 1.0 for w in words], np.float32)
    oov = math.log((n + 1) / 1.0) + 1.0
    vocab = [w for w, _ in sorted(tf.items(), key=lambda kv: (-kv[1], kv[0]))[:vocab_size]]
    tab = stance.make_tables(words, idf, oov, vocab, cues, n_bow)
    return tab, {"_idf_words": words, "_idf_vals_by_word": idf, "_cues": cues}


@dataclass
class Matrix:
    dense: np.ndarray  # float32 [N, F]
    bow: sp.csr_matrix  # [N, n_bow * V]
    y: np.ndarray  # int64 [N]
    is_emergent: np.ndarray  # bool [N]
    rows: list[Row]


def featurise_pairs(tab: stance.Tables, rows: Sequence[Row], feats: Featurised) -> Matrix:
    by_claim: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_claim[r.claim].append(i)
    n_dense = len(stance.dense_feature_names(tab))
    dense = np.zeros((len(rows), n_dense), np.float32)
    bow_parts: list[sp.csr_matrix] = []
    order: list[int] = []
    for claim, idx in by_claim.items():
        docs = [feats.body[rows[i].body] for i in idx]
        stacked, doc_ptr = stance.stack(docs)
        pf = stance.pair_features(tab, claim, feats.claim[claim], stacked, doc_ptr)
        dense[idx] = pf.dense
        if pf.bow:
            bow_parts.append(sp.csr_matrix(np.hstack(pf.bow)))
        order.extend(idx)
    if bow_parts:
        bow = sp.vstack(bow_parts).tocsr()
        inv = np.empty(len(order), np.int64)
        inv[np.array(order)] = np.arange(len(order))
        bow = bow[inv]
    else:
        bow = sp.csr_matrix((len(rows), 0), dtype=np.float32)
    y = np.array([LABEL_ID[r.label] for r in rows], np.int64)
    em = np.array([r.source == "emergent" for r in rows], bool)
    return Matrix(dense, bow.astype(np.float32), y, em, list(rows))


# --------------------------------------------------------------------------- MLP training


@dataclass
class Config:
    mode: str = "joint"  # "joint" (4-way) or "two_stage"
    vocab: int = 5000
    n_bow: int = 3  # 0 = no bag-of-words, 2 = claim + body TF, 3 = + top-3 passages TF
    hidden: tuple[int, ...] = (100,)
    epochs: int = 25
    batch: int = 500
    lr: float = 1e-3
    l2: float = 1e-5
    dropout: float = 0.4
    input_dropout: float = 0.0  # on the bag-of-words block only
    class_weight: float = 0.5  # 0 = none, 1 = inverse frequency ("balanced"), between = power
    emergent_weight: float = 10.0
    members: int = 3
    # Emergent has no "unrelated" pair, so a short (headline) document would never be
    # called unrelated; this many off-topic headlines per Emergent claim are added as
    # unrelated examples (0 = off).
    synthetic_unrelated: int = 2
    seed: int = SEED
    use_dense: bool = True
    dense_subset: tuple[str, ...] = ()  # ablations: keep only these dense features
    cues: dict[str, list[str]] = field(default_factory=lambda: stance.DEFAULT_CUES)


def _init(rng: np.random.Generator, fan_in: int, fan_out: int) -> tuple[np.ndarray, np.ndarray]:
    lim = math.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, (fan_in, fan_out)).astype(np.float32), np.zeros(
        fan_out, np.float32
    )


def train_mlp(
    xd: np.ndarray,
    xs: sp.csr_matrix,
    y: np.ndarray,
    w: np.ndarray,
    n_out: int,
    cfg: Config,
    seed: int,
    log: Any = None,
    on_epoch: Any = None,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Adam-trained ReLU MLP with dropout and L2; first layer takes dense + sparse input.
    Pure numpy/scipy so training is deterministic and uses the same maths as inference."""
    rng = np.random.default_rng(seed)
    fd, fs = xd.shape[1], xs.shape[1]
    sizes = [fd + fs, *cfg.hidden, n_out]
    layers = [_init(rng, a, b) for a, b in zip(sizes, sizes[1:], strict=False)]
    params = [p for wb in layers for p in wb]
    m1 = [np.zeros_like(p) for p in params]
    m2 = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    step = 0
    n = xd.shape[0]
    onehot = np.eye(n_out, dtype=np.float32)[y]
    for epoch in range(cfg.epochs):
        perm = rng.permutation(n)
        total = 0.0
        for s in range(0, n, cfg.batch):
            bi = perm[s : s + cfg.batch]
            xb_d, xb_s = xd[bi], xs[bi]
            if cfg.input_dropout > 0 and fs:
                xb_s = xb_s.copy()
                keep = rng.random(xb_s.data.shape[0]) >= cfg.input_dropout
                xb_s.data = xb_s.data * keep / (1 - cfg.input_dropout)
            wb = w[bi] / w[bi].sum()
            # forward
            W, B = layers[0]
            h = xb_d @ W[:fd] + B
            if fs:
                h = h + xb_s @ W[fd:]
            acts, masks, pres = [], [], []
            x = h
            for li in range(1, len(layers)):
                pres.append(x)
                a = np.maximum(x, 0)
                mk = (
                    (rng.random(a.shape) >= cfg.dropout).astype(np.float32) / (1 - cfg.dropout)
                    if cfg.dropout > 0
                    else np.ones_like(a)
                )
                a = a * mk
                acts.append(a)
                masks.append(mk)
                W, B = layers[li]
                x = a @ W + B
            x = x - x.max(axis=1, keepdims=True)
            p = np.exp(x)
            p /= p.sum(axis=1, keepdims=True)
            total += float(-(wb * np.log(np.maximum((p * onehot[bi]).sum(1), 1e-12))).sum())
            # backward
            g = (p - onehot[bi]) * wb[:, None]
            grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
            for li in range(len(layers) - 1, 0, -1):
                W, _ = layers[li]
                grads[2 * li] = acts[li - 1].T @ g + cfg.l2 * W
                grads[2 * li + 1] = g.sum(0)
                g = (g @ W.T) * masks[li - 1] * (pres[li - 1] > 0)
            W0, _ = layers[0]
            gw = np.empty_like(W0)
            gw[:fd] = xb_d.T @ g
            if fs:
                gw[fd:] = np.asarray(xb_s.T @ g)
            grads[0] = gw + cfg.l2 * W0
            grads[1] = g.sum(0)
            step += 1
            lr_t = cfg.lr * math.sqrt(1 - b2**step) / (1 - b1**step)
            for k, (pk, gk) in enumerate(zip(params, grads, strict=False)):
                m1[k] *= b1
                m1[k] += (1 - b1) * gk
                m2[k] *= b2
                m2[k] += (1 - b2) * gk * gk
                pk -= (lr_t * m1[k] / (np.sqrt(m2[k]) + eps)).astype(np.float32)
        if log:
            log(f"    epoch {epoch + 1}: loss {total / max(1, math.ceil(n / cfg.batch)):.4f}")
        if on_epoch is not None:  # experiments: dev curve per epoch
            on_epoch(epoch + 1, [(params[2 * i], params[2 * i + 1]) for i in range(len(layers))])
    return [(params[2 * i], params[2 * i + 1]) for i in range(len(layers))]


def sample_weights(y: np.ndarray, is_em: np.ndarray, n_out: int, cfg: Config) -> np.ndarray:
    counts = np.bincount(y, minlength=n_out).astype(np.float64)
    cw = (counts.sum() / np.maximum(counts, 1) / n_out) ** cfg.class_weight
    w = cw[y] * np.where(is_em, cfg.emergent_weight, 1.0)
    return (w / w.mean()).astype(np.float32)


def fit(
    train: Matrix, tab: stance.Tables, cfg: Config, log: Any = None, on_epoch: Any = None
) -> stance.StanceModel:
    mean = train.dense.mean(axis=0)
    std = train.dense.std(axis=0)
    std = np.where(std > 1e-6, std, 1.0).astype(np.float32)
    xd = ((train.dense - mean) / std).astype(np.float32)
    if not cfg.use_dense:
        xd = np.zeros_like(xd)
    elif cfg.dense_subset:  # ablation: other dense features are held at their mean
        keep = np.isin(stance.dense_feature_names(tab), list(cfg.dense_subset))
        xd[:, ~keep] = 0.0
        mean = np.where(keep, mean, 0.0)
        std = np.where(keep, std, 1e12).astype(np.float32)
    xs = train.bow
    members: list[stance.Member] = []
    stance_members: list[stance.Member] = []
    for k in range(cfg.members):
        seed = cfg.seed * 1000 + k
        if cfg.mode == "joint":
            w = sample_weights(train.y, train.is_emergent, 4, cfg)
            members.append(
                stance.Member(train_mlp(xd, xs, train.y, w, 4, cfg, seed, log, on_epoch))
            )
        else:
            yr = (train.y != 0).astype(np.int64)
            wr = sample_weights(yr, train.is_emergent, 2, replace(cfg, class_weight=0.0))
            members.append(stance.Member(train_mlp(xd, xs, yr, wr, 2, cfg, seed, log)))
            rel = np.flatnonzero(train.y != 0)
            ys = train.y[rel] - 1
            ws = sample_weights(ys, train.is_emergent[rel], 3, cfg)
            stance_members.append(
                stance.Member(train_mlp(xd[rel], xs[rel], ys, ws, 3, cfg, seed + 500, log))
            )
    hyper = {
        k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(cfg).items() if k != "cues"
    }
    return stance.StanceModel(
        tab, mean.astype(np.float32), std, cfg.mode, members, stance_members, hyper
    )


def predict_matrix(model: stance.StanceModel, m: Matrix) -> np.ndarray:
    """Probabilities for a featurised matrix (same maths as StanceModel.predict_features)."""
    V = model.tables.n_vocab
    out = np.zeros((m.dense.shape[0], 4))
    for s in range(0, m.dense.shape[0], 4096):
        sl = slice(s, s + 4096)
        bow_dense = (
            m.bow[sl].toarray()
            if m.bow.shape[1]
            else np.zeros((m.dense[sl].shape[0], 0), np.float32)
        )
        bow = [bow_dense[:, i * V : (i + 1) * V] for i in range(model.tables.n_bow)]
        pf = stance.PairFeatures(m.dense[sl], bow, *(None,) * 7)  # type: ignore[arg-type]
        if not model.hyper.get("use_dense", True):
            pf.dense = model.mean[None, :].repeat(pf.dense.shape[0], 0)
        out[sl] = model.predict_features(pf)
    return out


# --------------------------------------------------------------------------- metrics


def metrics(gold: Sequence[str] | np.ndarray, pred: Sequence[str] | np.ndarray) -> dict[str, Any]:
    """Confusion matrix (rows gold, columns predicted, LABELS order), per-class F1,
    macro-F1 over the 4 classes, accuracy and the FNC-1 weighted score."""
    g = np.array([LABEL_ID[x] if isinstance(x, str) else int(x) for x in gold])
    p = np.array([LABEL_ID[x] if isinstance(x, str) else int(x) for x in pred])
    cm = np.zeros((4, 4), np.int64)
    np.add.at(cm, (g, p), 1)
    f1 = {}
    present = []
    for i, lab in enumerate(LABELS):
        tp = cm[i, i]
        prec = tp / max(cm[:, i].sum(), 1)
        rec = tp / max(cm[i, :].sum(), 1)
        f1[lab] = float(2 * prec * rec / max(prec + rec, 1e-12))
        present.append(cm[i, :].sum() > 0)
    score = 0.25 * ((g == 0) == (p == 0)) + 0.75 * ((g != 0) & (g == p))
    best = 0.25 + 0.75 * (g != 0)
    return {
        "n": int(g.size),
        "confusion": cm.tolist(),
        "f1": f1,
        "macro_f1": float(np.mean(list(f1.values()))),
        "macro_f1_present": float(
            np.mean([f for f, ok in zip(f1.values(), present, strict=False) if ok])
        )
        if any(present)
        else 0.0,
        "accuracy": float((g == p).mean()) if g.size else 0.0,
        "fnc_score": float(100 * score.sum() / max(best.sum(), 1e-12)),
    }


def format_metrics(name: str, m: dict[str, Any]) -> str:
    lines = [
        f"{name}: n={m['n']}  FNC score {m['fnc_score']:.2f}  macro-F1 {m['macro_f1']:.4f}  accuracy {m['accuracy']:.4f}"
    ]
    lines.append("  gold \\ pred  " + " ".join(f"{lab[:11]:>11}" for lab in LABELS))
    for lab, row in zip(LABELS, m["confusion"], strict=False):
        lines.append(f"  {lab:<12} " + " ".join(f"{v:>11d}" for v in row))
    lines.append("  F1: " + "  ".join(f"{k} {v:.3f}" for k, v in m["f1"].items()))
    return "\n".join(lines)


def evaluate_split(
    model: stance.StanceModel, fnc_dev: Matrix | None, em_dev: Matrix | None
) -> dict[str, Any]:
    res: dict[str, Any] = {}
    if fnc_dev is not None and fnc_dev.y.size:
        pred = predict_matrix(model, fnc_dev).argmax(1)
        res["fnc"] = metrics(fnc_dev.y, pred)
    if em_dev is not None and em_dev.y.size:
        pred = predict_matrix(model, em_dev).argmax(1)
        res["emergent"] = metrics(em_dev.y, pred)
        res["emergent"]["accuracy3"] = res["emergent"]["accuracy"]  # "unrelated" counts as wrong
    return res


# --------------------------------------------------------------------------- main


def synthetic_unrelated(em_rows: Sequence[Row], per_claim: int, seed: int) -> list[Row]:
    """Pair each Emergent claim with headlines of other claims (fixed seed) as unrelated."""
    if per_claim <= 0 or not em_rows:
        return []
    rng = np.random.RandomState(seed)
    claims = sorted({r.claim for r in em_rows})
    heads = sorted({(r.claim, r.body) for r in em_rows})
    out: list[Row] = []
    for c in claims:
        others = [h for oc, h in heads if oc != c]
        if not others:
            continue
        for k in rng.choice(len(others), size=min(per_claim, len(others)), replace=False):
            out.append(
                Row(f"synthetic-unrelated:{len(out)}", c, others[int(k)], "unrelated", "emergent")
            )
    return out


def run(
    fnc_train: list[Row],
    fnc_dev: list[Row],
    em_train: list[Row],
    em_dev: list[Row],
    feats: Featurised,
    cfg: Config,
    log: Any = None,
) -> tuple[stance.StanceModel, dict[str, Any], dict[str, Any]]:
    em_train = list(em_train) + synthetic_unrelated(em_train, cfg.synthetic_unrelated, cfg.seed)
    tab, meta = fit_tables(fnc_train + em_train, cfg.vocab, cfg.n_bow, cfg.cues)
    train = featurise_pairs(tab, fnc_train + em_train, feats)
    model = fit(train, tab, cfg, log)
    res = evaluate_split(
        model,
        featurise_pairs(tab, fnc_dev, feats) if fnc_dev else None,
        featurise_pairs(tab, em_dev, feats) if em_dev else None,
    )
    return model, res, meta


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=HERE / "data")
    ap.add_argument("--dev-only", action="store_true", help="skip the final fit on all rows")
    ap.add_argument("--config", type=str, default="", help="JSON object overriding Config fields")
    ap.add_argument(
        "--write-dev",
        action="store_true",
        help="also write the dev-phase model and the dev rows to <out>/dev/ (for evaluate.py)",
    )
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    overrides = json.loads(args.config) if args.config else {}
    if "hidden" in overrides:
        overrides["hidden"] = tuple(overrides["hidden"])
    cfg = replace(Config(), **overrides)
    log = (lambda s: print(s, flush=True)) if args.verbose else None
    t0 = time.time()
    fnc, emergent = read_rows(args.data)
    fnc_tr, fnc_dev = group_split(fnc, "body", 0.2, SEED)
    em_tr, em_dev = group_split(emergent, "claim", 0.2, SEED)
    feats = Featurised(fnc + emergent)  # synthetic pairs reuse these texts
    print(
        f"featurised {feats.n_passages} passages of {len(feats.body)} bodies in {time.time() - t0:.1f}s",
        flush=True,
    )
    dev_model, res, dev_meta = run(fnc_tr, fnc_dev, em_tr, em_dev, feats, cfg, log)
    if "fnc" in res:
        print(format_metrics("FNC-1 dev (by body, 20%)", res["fnc"]))
    if "emergent" in res:
        print(format_metrics("Emergent dev (by claim, 20%)", res["emergent"]))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "stance.cv.json").write_text(json.dumps(res, indent=1))
    if args.write_dev:
        dev_dir = args.out / "dev"
        dev_dir.mkdir(exist_ok=True)
        stance.save(dev_model, dev_dir / "stance", dev_meta)
        for name, rows in (("fnc1-dev.jsonl.gz", fnc_dev), ("emergent-dev.jsonl", em_dev)):
            opener = gzip.open if name.endswith(".gz") else open  # FNC bodies repeat: compress
            with opener(dev_dir / name, "wt", encoding="utf-8") as fh:
                fh.writelines(
                    json.dumps({"id": r.id, "claim": r.claim, "body": r.body, "label": r.label})
                    + "\n"
                    for r in rows
                )
    if args.dev_only:
        return 0
    all_rows = fnc + emergent + synthetic_unrelated(emergent, cfg.synthetic_unrelated, cfg.seed)
    tab, meta = fit_tables(all_rows, cfg.vocab, cfg.n_bow, cfg.cues)
    model = fit(featurise_pairs(tab, all_rows, feats), tab, cfg, log)
    meta["trained_on"] = {"fnc1-train": len(fnc), "emergent-train": len(emergent)}
    meta["dev_metrics"] = res
    stance.save(model, args.out / "stance", meta)
    size = sum((args.out / f"stance.{x}").stat().st_size for x in ("npz", "json"))
    print(f"wrote {args.out / 'stance'}.npz/.json ({size / 1e6:.1f} MB) in {time.time() - t0:.0f}s")
    # the written files must load and agree with the in-memory model
    stance.load(args.out / "stance")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
