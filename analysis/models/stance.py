"""Relatedness + stance of a source document towards a claim (numpy-only inference).

For one claim and a handful of candidate documents, `judge` says per document whether it
is `unrelated`, `supports`, `contradicts` or only `mentions` the claim, with the four
probabilities, the key passage to show the fact-checker and the ingredients of a
human-readable reason (shared key terms, denial/hedge/confirmation cues found).

Design (why it looks like this):

* The service indexes documents as passages (`split_passages`). Everything that does not
  depend on the claim is computed once per passage at indexing time by
  `featurise_passages(texts)`: hashed unigram and bigram counts plus a WordLlama
  embedding. These arrays do not depend on the trained model (only on
  `FEATURISER_VERSION`), so retraining the model never invalidates the stored features.
* At query time `judge` looks the hashed tokens up in the model's tables (IDF, bag-of-words
  vocabulary, cue lexicon) with `np.searchsorted`, builds per-passage claim features
  (coverage of the claim's key terms, TF-IDF cosine, embedding cosine, bigram hits),
  aggregates them per document (max / mean / top-3 / best passage / lead passage /
  whole body) and runs a small MLP ensemble. No Python loop runs per feature, per
  passage or per document: the only loops are over ensemble members.
* Model files are `.npz` (arrays) + `.json` (vocabulary strings, cue lexicon,
  hyper-parameters); `load` re-hashes the strings and checks every shape, so a model that
  does not match this code fails loudly with the file name.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.models.errors import ModelFileError
from analysis.models.stance_features import (
    DEFAULT_CUES,
    PairFeatures,
    Tables,
    build_cue_tables,
    dense_feature_names,
    make_tables,
    pair_features,
)
from analysis.models.stance_text import (
    EMB_DIM,
    FEATURISER_VERSION,
    STOP_STEMS,
    STOPWORDS,
    PassageFeatures,
    embed,
    featurise_document,
    featurise_passages,
    key_of,
    stack,
    stem,
    tokenize,
)

# The public names of the whole model (parts 1 and 2 included): callers import this module.
__all__ = [
    "DEFAULT_CUES",
    "EMB_DIM",
    "FEATURISER_VERSION",
    "LABELS",
    "Member",
    "ModelFileError",
    "PairFeatures",
    "PassageFeatures",
    "STOPWORDS",
    "STOP_STEMS",
    "StanceModel",
    "Tables",
    "build_cue_tables",
    "dense_feature_names",
    "embed",
    "explain",
    "featurise_document",
    "featurise_passages",
    "key_of",
    "load",
    "make_tables",
    "mlp_forward",
    "pair_features",
    "reason_text",
    "save",
    "stack",
    "stem",
    "tokenize",
]

LABELS: tuple[str, ...] = ("unrelated", "supports", "contradicts", "mentions")


# --------------------------------------------------------------------------- MLP


def mlp_forward(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """ReLU MLP -> softmax probabilities."""
    h = x
    for i, (w, b) in enumerate(layers):
        h = h @ w + b
        if i < len(layers) - 1:
            np.maximum(h, 0.0, out=h)
    h = h - h.max(axis=1, keepdims=True)
    e = np.exp(h)
    return e / e.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- model


@dataclass
class Member:
    """One MLP of the ensemble. `w1` rows: dense features, then each BoW block."""

    layers: list[tuple[np.ndarray, np.ndarray]]


@dataclass
class StanceModel:
    tables: Tables
    mean: np.ndarray  # float32 [F_dense] standardisation of dense features
    std: np.ndarray
    mode: str  # "joint" (4-way members) or "two_stage" (related members + stance members)
    members: list[Member]  # joint: 4 outputs in LABELS order; two_stage: relatedness, 2 outputs
    stance_members: list[Member]  # two_stage only: 3 outputs (supports, contradicts, mentions)
    hyper: dict[str, Any]

    # ---- inference
    def _member_probs(
        self, members: list[Member], xd: np.ndarray, bow: list[np.ndarray]
    ) -> np.ndarray:
        fd = xd.shape[1]
        V = self.tables.n_vocab
        # Bag-of-words blocks are sparse (a body uses a few hundred of the 5,000 words):
        # multiply only the columns some document uses; the claim block is one row for
        # every document.
        blocks = []
        for i, block in enumerate(bow):
            if block.shape[0] > 1 and block.strides[0] == 0:
                rows, shared = block[:1], True
            else:
                rows, shared = block, False
            used = np.flatnonzero(rows.any(axis=0))
            blocks.append((i * V + used, np.ascontiguousarray(rows[:, used]), shared))
        out = None
        for m in members:
            (w1, b1), rest = m.layers[0], m.layers[1:]
            h = xd @ w1[:fd] + b1
            for cols, vals, _shared in blocks:
                h = h + vals @ w1[fd + cols]  # a shared (1-row) block broadcasts
            np.maximum(h, 0.0, out=h)
            p = mlp_forward(rest, h)
            out = p if out is None else out + p
        assert out is not None
        return out / len(members)

    def predict_features(self, feats: PairFeatures) -> np.ndarray:
        """[D, 4] probabilities in LABELS order."""
        xd = (feats.dense - self.mean) / self.std
        if self.mode == "joint":
            return self._member_probs(self.members, xd, feats.bow)
        rel = self._member_probs(self.members, xd, feats.bow)  # [unrelated, related]
        st = self._member_probs(self.stance_members, xd, feats.bow)
        return np.column_stack([rel[:, 0], rel[:, 1:2] * st])

    def judge(
        self,
        claim: str,
        docs: Sequence[PassageFeatures],
        claim_features: PassageFeatures | None = None,
    ) -> list[dict[str, Any]]:
        """Judge one claim against documents (each given as its precomputed passages).

        Returns one dict per document: `label`, `probs` (label -> p), `key_passage`
        (index in the document, -1 if it has no passage), and reason ingredients:
        `shared_terms` (claim key terms in the key passage, rarest first),
        `missing_terms` (rare claim terms found nowhere in the document), `cues`
        (group -> cue words found in the key passage), `denial_passage` (a top passage
        with a denial cue, -1 if none) and `relevance` of the key passage.
        """
        cf = claim_features if claim_features is not None else featurise_passages([claim])
        stacked, doc_ptr = stack(docs)
        feats = pair_features(self.tables, claim, cf, stacked, doc_ptr)
        probs = self.predict_features(feats)
        return explain(self.tables, feats, probs)


def explain(tab: Tables, feats: PairFeatures, probs: np.ndarray) -> list[dict[str, Any]]:
    """Per-document decision and reason ingredients (a small Python loop over documents:
    it only formats results; the numbers were computed vectorised above)."""
    out: list[dict[str, Any]] = []
    labels = probs.argmax(axis=1)
    first = feats.doc_ptr[:-1]
    deny = np.asarray(tab.cue_group) == (
        tab.groups.index("denial") if "denial" in tab.groups else -1
    )
    for j in range(probs.shape[0]):
        label = LABELS[int(labels[j])]
        best = int(feats.key_passage[j])
        top = [int(p) for p in feats.top3[j] if p >= 0]
        # a contradiction is shown on the top passage that carries the denial, if any
        denial_passage = next((p for p in top if feats.passage_cues[first[j] + p][deny].any()), -1)
        kp = denial_passage if label == "contradicts" and denial_passage >= 0 else best
        shared: list[str] = []
        missing: list[str] = []
        cues: dict[str, list[str]] = {}
        nearby: list[dict[str, Any]] = []
        if kp >= 0:
            ap = int(first[j] + kp)
            tip = feats.term_in_passage
            shared = [t for t, h in zip(feats.claim_terms, tip[ap], strict=False) if h]
            anywhere = np.asarray(tip[first[j] : feats.doc_ptr[j + 1]].any(axis=0))
            missing = [
                t for t, h in zip(feats.claim_terms[:5], anywhere[:5], strict=False) if not h
            ]
            for c in np.flatnonzero(feats.passage_cues[ap]):
                cues.setdefault(tab.groups[tab.cue_group[c]], []).append(tab.cue_words[c])
            for p in top:
                for c in np.flatnonzero(feats.passage_cues[first[j] + p]):
                    nearby.append(
                        {
                            "passage": p,
                            "group": tab.groups[tab.cue_group[c]],
                            "cue": tab.cue_words[c],
                        }
                    )
        out.append(
            {
                "label": label,
                "probs": {lab: float(probs[j, i]) for i, lab in enumerate(LABELS)},
                "key_passage": kp,  # index of the passage to show (-1: document has none)
                "best_match_passage": best,  # the passage most similar to the claim
                "top_passages": top,
                "relevance": float(feats.relevance[first[j] + kp]) if kp >= 0 else 0.0,
                "shared_terms": shared,  # claim key terms in the key passage, rarest first
                "missing_terms": missing,  # rare claim terms absent from the whole document
                "cues": cues,  # group -> cue words in the key passage
                "cues_nearby": nearby,  # cues in the top-3 passages, with their passage
                "denial_passage": denial_passage,
            }
        )
    return out


def reason_text(decision: dict[str, Any]) -> str:
    """A default one-line reason; the product may phrase its own from the same fields."""
    label, p = decision["label"], decision["probs"][decision["label"]]
    shared = ", ".join(decision["shared_terms"][:6])
    if label == "unrelated":
        miss = ", ".join(decision["missing_terms"][:4])
        if miss:
            return f"unrelated (p={p:.2f}): does not mention {miss}"
        return f"unrelated (p={p:.2f}): " + (
            f"shares {shared} but reads as a different story" if shared else "different topic"
        )
    where = f"passage {decision['key_passage'] + 1}"
    if label == "contradicts":
        cue = (decision["cues"].get("denial") or decision["cues"].get("negation") or [""])[0]
        return (
            f"contradicts (p={p:.2f}): {where} "
            + (f"calls it \u201c{cue}\u201d" if cue else "disputes it")
            + (f"; shares {shared}" if shared else "")
        )
    if label == "supports":
        return f"supports (p={p:.2f}): {where} reports the same" + (
            f" ({shared})" if shared else ""
        )
    hedge = (decision["cues"].get("hedge") or decision["cues"].get("question") or [""])[0]
    return (
        f"mentions (p={p:.2f}): {where} discusses it"
        + (f" ({shared})" if shared else "")
        + (f" without confirming (\u201c{hedge}\u201d)" if hedge else "")
    )


def save(model: StanceModel, path: str | Path, meta: dict[str, Any]) -> None:
    """Write `<path>.npz` (arrays, float16 weights) and `<path>.json` (strings, hyper-parameters)."""
    path = Path(path)
    meta = dict(meta)  # the private "_" entries are consumed below; leave the caller's dict alone
    arrays: dict[str, np.ndarray] = {"mean": model.mean, "std": model.std}
    tab = model.tables
    # IDF values are stored aligned with the JSON word list (not with the sorted keys),
    # so `load` can re-hash the words and check them
    arrays["idf_vals"] = meta.pop("_idf_vals_by_word")
    for prefix, members in (("m", model.members), ("s", model.stance_members)):
        for i, m in enumerate(members):
            for li, (w, b) in enumerate(m.layers):
                arrays[f"{prefix}{i}_w{li}"] = w.astype(np.float16)
                arrays[f"{prefix}{i}_b{li}"] = b.astype(np.float32)
    np.savez_compressed(path.with_suffix(".npz"), **arrays)  # type: ignore[arg-type]
    doc = {
        "format": "stance-model",
        "featuriser": FEATURISER_VERSION,
        "labels": list(LABELS),
        "mode": model.mode,
        "n_members": len(model.members),
        "n_stance_members": len(model.stance_members),
        "n_layers": len(model.members[0].layers),
        "n_bow": tab.n_bow,
        "idf_oov": tab.idf_oov,
        "dense_features": dense_feature_names(tab),
        "cues": meta.pop("_cues"),
        "vocab": tab.vocab_words,
        "idf_words": meta.pop("_idf_words"),
        "hyper": model.hyper,
        **meta,
    }
    path.with_suffix(".json").write_text(json.dumps(doc, ensure_ascii=False, indent=0))


def load(path: str | Path) -> StanceModel:
    """Load `<path>.json` + `<path>.npz`; every mismatch raises ModelFileError naming the file."""
    path = Path(path)
    jpath, npath = path.with_suffix(".json"), path.with_suffix(".npz")

    def fail(file: Path, msg: str) -> ModelFileError:
        return ModelFileError(f"{file}: {msg}")

    try:
        doc = json.loads(jpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise fail(jpath, f"cannot read model description ({e})") from e
    try:
        with np.load(npath, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise fail(npath, f"cannot read model arrays ({e})") from e
    if doc.get("format") != "stance-model":
        raise fail(jpath, "not a stance model description")
    if doc.get("featuriser") != FEATURISER_VERSION:
        raise fail(
            jpath,
            f"featuriser {doc.get('featuriser')!r} != code's {FEATURISER_VERSION!r}; re-featurise or retrain",
        )
    if tuple(doc.get("labels", ())) != LABELS:
        raise fail(jpath, f"labels {doc.get('labels')} != {list(LABELS)}")
    try:
        tab = make_tables(
            doc["idf_words"],
            arrays["idf_vals"],
            doc["idf_oov"],
            doc["vocab"],
            doc["cues"],
            int(doc["n_bow"]),
        )
    except KeyError as e:
        raise fail(npath if e.args[0] in ("idf_vals",) else jpath, f"missing field {e}") from e
    except ValueError as e:
        raise fail(jpath, str(e)) from e
    if arrays["idf_vals"].shape != (len(doc["idf_words"]),):
        raise fail(
            npath,
            f"idf_vals shape {arrays['idf_vals'].shape} != ({len(doc['idf_words'])},) words in {jpath.name}",
        )
    names = dense_feature_names(tab)
    if doc.get("dense_features") != names:
        raise fail(
            jpath,
            "dense feature list does not match this code (cue lexicon or feature set changed)",
        )
    fd = len(names)
    for k in ("mean", "std"):
        if arrays.get(k) is None or arrays[k].shape != (fd,):
            raise fail(npath, f"{k} must have shape ({fd},)")
    n_in = fd + tab.n_bow * tab.n_vocab

    def members(prefix: str, n: int, n_out: int) -> list[Member]:
        out = []
        for i in range(n):
            layers = []
            for li in range(int(doc["n_layers"])):
                w, b = arrays.get(f"{prefix}{i}_w{li}"), arrays.get(f"{prefix}{i}_b{li}")
                if w is None or b is None:
                    raise fail(npath, f"missing {prefix}{i}_w{li}/b{li}")
                layers.append((w.astype(np.float32), b.astype(np.float32)))
            if layers[0][0].shape[0] != n_in:
                raise fail(
                    npath,
                    f"{prefix}{i}: first layer has {layers[0][0].shape[0]} inputs, features give {n_in}",
                )
            for (w, b), (w2, _) in zip(
                layers, layers[1:] + [(np.zeros((n_out, 0)), None)], strict=False
            ):
                if b.shape != (w.shape[1],) or w.shape[1] != w2.shape[0]:
                    raise fail(npath, f"{prefix}{i}: inconsistent layer shapes")
            out.append(Member(layers))
        return out

    mode = doc.get("mode")
    if mode == "joint":
        m, s = members("m", int(doc["n_members"]), 4), []
    elif mode == "two_stage":
        m, s = members("m", int(doc["n_members"]), 2), members("s", int(doc["n_stance_members"]), 3)
    else:
        raise fail(jpath, f"unknown mode {mode!r}")
    if not m:
        raise fail(npath, "no ensemble member")
    std = arrays["std"].astype(np.float32)
    if np.any(std <= 0) or not np.all(np.isfinite(arrays["mean"])):
        raise fail(npath, "invalid standardisation arrays")
    return StanceModel(
        tab, arrays["mean"].astype(np.float32), std, mode, m, s, doc.get("hyper", {})
    )
