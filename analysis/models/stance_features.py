"""Stance model, part 2: the model's tables and the (claim, documents) features.

`Tables` hold what training learned about words (IDF, bag-of-words vocabulary, cue
lexicon); `pair_features` turns one claim and its candidate documents' passage features
(`stance_text`) into the dense and bag-of-words inputs of the MLP, with array operations
only (no loop per passage or per document). `analysis.models.stance` is the entry point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.models.stance_text import (
    QMARK_KEY,
    STOP_KEYS,
    STOP_STEMS,
    PassageFeatures,
    key_of,
    tokenize,
)

# --------------------------------------------------------------------------- model tables


@dataclass
class Tables:
    """Everything the features need from training: IDF, bag-of-words vocabulary, cues."""

    idf_keys: np.ndarray  # int64 [K] sorted
    idf_vals: np.ndarray  # float32 [K]
    idf_oov: float  # IDF of a token never seen in training (a rare word: names, places)
    voc_keys: np.ndarray  # int64 [V] sorted: bag-of-words vocabulary keys
    voc_cols: np.ndarray  # int64 [V] column of each sorted key
    cue_keys: np.ndarray  # int64 [C] sorted (unigram or full-bigram keys)
    cue_cols: np.ndarray  # int64 [C] cue index of each sorted key
    cue_group: np.ndarray  # int64 [n_cues] group of each cue
    cue_words: list[str]  # display form of each cue, by cue index
    groups: list[str]  # group names
    vocab_words: list[str]  # display form of each vocabulary column
    n_bow: int  # how many bag-of-words blocks (claim, body[, top passages])

    _lex: tuple[np.ndarray, ...] | None = None  # merged look-up table, built on first use

    @property
    def n_cues(self) -> int:
        return len(self.cue_words)

    def lexicon(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(is_content, idf, vocabulary column or -1, cue index or -1) of unigram keys with
        one `searchsorted` over a merged table (the passages' unigrams are the largest
        array a query touches; four separate look-ups were a third of the cost)."""
        if self._lex is None:
            lk = np.unique(
                np.concatenate(
                    [self.idf_keys, self.voc_keys, self.cue_keys, STOP_KEYS, [QMARK_KEY]]
                )
            )
            stop = _member(STOP_KEYS, lk) | (lk == QMARK_KEY)
            idf = _lookup(self.idf_keys, self.idf_vals, lk, np.float32(self.idf_oov)).astype(
                np.float64
            )
            vcol = _lookup(self.voc_keys, self.voc_cols, lk, -1)
            ccol = _lookup(self.cue_keys, self.cue_cols, lk, -1)
            self._lex = (lk, ~stop, idf, vcol, ccol)
        lk, content, idf, vcol, ccol = self._lex
        pos = np.minimum(np.searchsorted(lk, keys), lk.size - 1)
        found = lk[pos] == keys
        return (
            np.where(found, content[pos], True),
            np.where(found, idf[pos], self.idf_oov),
            np.where(found, vcol[pos], -1),
            np.where(found, ccol[pos], -1),
        )

    @property
    def n_vocab(self) -> int:
        return len(self.vocab_words)


def _lookup(
    sorted_keys: np.ndarray, values: np.ndarray, keys: np.ndarray, missing: Any
) -> np.ndarray:
    """values[k] for each key (vectorised dictionary look-up), `missing` where absent."""
    if sorted_keys.size == 0:
        return np.full(keys.shape, missing, dtype=values.dtype)
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, sorted_keys.size - 1)
    found = sorted_keys[pos] == keys
    return np.where(found, values[pos], missing)


def _member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if sorted_keys.size == 0:
        return np.zeros(keys.shape, bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return sorted_keys[pos] == keys


# --------------------------------------------------------------------------- features

# Names of the dense (non bag-of-words) features, in column order; built once per
# cue lexicon by `dense_feature_names`.
_BASE_FEATURES = [
    "cos_max",
    "cos_mean",
    "cos_top3",
    "cov_max",
    "cov_mean",
    "cov_top3",
    "covn_max",
    "bcov_max",
    "bcov_top3",
    "emb_max",
    "emb_mean",
    "emb_top3",
    "lead_cov",
    "lead_emb",
    "lead_cos",
    "doc_cov",
    "doc_covn",
    "doc_bcov",
    "doc_cos",
    "doc_emb",
    "frac_cov50",
    "missing_idf_max",
    "found_idf_max",
    "claim_len",
    "claim_nterms",
    "doc_log_passages",
    "doc_log_tokens",
    "short_doc",
    "key_pos",
    "claim_q",
    "jaccard",
]


def dense_feature_names(tab: Tables) -> list[str]:
    names = list(_BASE_FEATURES)
    for where in ("top1", "top3", "any", "claim"):
        names += [f"grp_{where}_{g}" for g in tab.groups]
    for where in ("top1", "top3", "any", "claim"):
        names += [f"cue_{where}_{w}" for w in tab.cue_words]
    return names


@dataclass
class PairFeatures:
    dense: np.ndarray  # float32 [D, F_dense]
    bow: list[np.ndarray]  # each float32 [D, V] (claim TF broadcast, body TF, ...)
    key_passage: np.ndarray  # int64 [D] index of the best passage within its document
    top3: np.ndarray  # int64 [D, 3] passage indices within document (-1 = none)
    relevance: np.ndarray  # float32 [P] per-passage relevance
    passage_cues: np.ndarray  # bool [P, n_cues]
    claim_terms: list[str]  # claim key terms, by decreasing IDF
    claim_term_keys: np.ndarray  # int64 [Kc] aligned with claim_terms
    term_in_passage: np.ndarray  # bool [P, Kc]
    doc_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))


def _seg(ptr: np.ndarray) -> np.ndarray:
    """Row index of every CSR entry."""
    return np.repeat(np.arange(ptr.size - 1), np.diff(ptr))


def _pad(
    values: np.ndarray, pdoc: np.ndarray, pos: np.ndarray, n_docs: int, width: int, fill: float
) -> np.ndarray:
    out = np.full((n_docs, max(width, 1)), fill, np.float64)
    out[pdoc, pos] = values
    return out


def claim_terms_of(text: str) -> list[str]:
    """Claim key terms as displayed (stemmed forms, deduplicated, in claim order)."""
    seen: dict[str, None] = {}
    for t in tokenize(text):
        if t not in STOP_STEMS and t != "?":
            seen.setdefault(t, None)
    return list(seen)


def pair_features(
    tab: Tables, claim_text: str, claim: PassageFeatures, docs: PassageFeatures, doc_ptr: np.ndarray
) -> PairFeatures:
    """Features of (claim, document) for every document in `docs` (stacked by `stack`)."""
    D = doc_ptr.size - 1
    P = docs.n
    pdoc = np.repeat(np.arange(D), np.diff(doc_ptr))
    ppos = np.arange(P) - doc_ptr[pdoc]
    n_pass = np.diff(doc_ptr)
    width = int(n_pass.max()) if D else 1
    has = n_pass > 0

    # ---- claim side: key terms (content unigrams) with IDF weights
    ck_all, cc_all = (
        claim.u_key[claim.u_ptr[0] : claim.u_ptr[1]],
        claim.u_cnt[claim.u_ptr[0] : claim.u_ptr[1]],
    )
    c_content = ~_member(STOP_KEYS, ck_all) & (ck_all != QMARK_KEY)
    ck = ck_all[c_content]  # sorted (keys are sorted within a passage)
    cidf = _lookup(tab.idf_keys, tab.idf_vals, ck, np.float32(tab.idf_oov)).astype(np.float64)
    cw = cc_all[c_content] * cidf
    cnorm = float(np.sqrt((cw**2).sum())) or 1.0
    cidf_sum = float(cidf.sum()) or 1.0
    Kc = ck.size
    cb = claim.b_key[claim.b_ptr[0] : claim.b_ptr[1]]

    # ---- passage unigrams against the claim
    key, cnt = docs.u_key, docs.u_cnt.astype(np.float64)
    seg = _seg(docs.u_ptr)
    content, idf, vcol_all, cue_all = tab.lexicon(key)
    pw = np.where(content, cnt * idf, 0.0)
    pnorm = np.sqrt(np.bincount(seg, pw**2, P))
    if Kc:
        cpos = np.minimum(np.searchsorted(ck, key), Kc - 1)
        hit = content & (ck[cpos] == key)
    else:
        cpos = np.zeros(key.shape, np.int64)
        hit = np.zeros(key.shape, bool)
    cw_at = np.where(hit, cw[cpos] if Kc else 0.0, 0.0)
    cidf_at = np.where(hit, cidf[cpos] if Kc else 0.0, 0.0)
    cos_p = np.bincount(seg, pw * cw_at, P) / np.maximum(pnorm * cnorm, 1e-9)
    cov_p = np.bincount(seg, cidf_at, P) / cidf_sum
    covn_p = np.bincount(seg, hit.astype(np.float64), P) / max(Kc, 1)
    term_in_passage = np.zeros((P, max(Kc, 1)), bool)
    term_in_passage[seg[hit], cpos[hit]] = True
    term_in_passage = term_in_passage[:, :Kc]

    # content bigrams
    bseg = _seg(docs.b_ptr)
    bhit = _member(np.sort(cb), docs.b_key) if cb.size else np.zeros(docs.b_key.shape, bool)
    bcov_p = np.bincount(bseg, bhit.astype(np.float64), P) / max(cb.size, 1)
    doc_bpres = np.zeros((D, max(cb.size, 1)))
    if cb.size:
        cbs = np.sort(cb)
        bpos = np.searchsorted(cbs, docs.b_key[bhit])
        doc_bpres[pdoc[bseg[bhit]], bpos] = 1.0

    # embeddings
    cemb = claim.emb[0].astype(np.float64)
    emb_p = docs.emb.astype(np.float64) @ cemb
    ind = np.zeros((D, P))
    ind[pdoc, np.arange(P)] = 1.0  # document x passage incidence: sums without add.at
    doc_emb_sum = ind @ docs.emb.astype(np.float64)
    dn = np.linalg.norm(doc_emb_sum, axis=1)
    doc_emb = (doc_emb_sum @ cemb) / np.maximum(dn, 1e-9)

    # ---- per-document aggregates: max, mean and top-3 mean of each per-passage score,
    # all scores at once on a [D, width, k] padded array (no loop over documents)
    per_p = np.column_stack([cos_p, cov_p, covn_p, bcov_p, emb_p])
    m = np.full((D, width, per_p.shape[1]), -np.inf)
    m[pdoc, ppos] = per_p
    srt = -np.sort(-m, axis=1)
    valid = np.isfinite(srt)
    z = np.where(valid, srt, 0.0)
    a_max = np.where(has[:, None], srt[:, 0], 0.0)
    a_mean = z.sum(axis=1) / np.maximum(n_pass, 1)[:, None]
    a_top3 = z[:, :3].sum(axis=1) / np.maximum(np.minimum(n_pass, 3), 1)[:, None]
    cos_max, cos_mean, cos_top3 = a_max[:, 0], a_mean[:, 0], a_top3[:, 0]
    cov_max, cov_mean, cov_top3 = a_max[:, 1], a_mean[:, 1], a_top3[:, 1]
    covn_max = a_max[:, 2]
    bcov_max, bcov_top3 = a_max[:, 3], a_top3[:, 3]
    emb_max, emb_mean, emb_top3 = a_max[:, 4], a_mean[:, 4], a_top3[:, 4]
    first = doc_ptr[:-1]
    safe_first = np.minimum(first, max(P - 1, 0))
    lead_cov = np.where(has, cov_p[safe_first] if P else 0.0, 0.0)
    lead_emb = np.where(has, emb_p[safe_first] if P else 0.0, 0.0)
    lead_cos = np.where(has, cos_p[safe_first] if P else 0.0, 0.0)

    # whole body: which claim terms occur anywhere, TF-IDF cosine of the summed body
    pres = np.zeros((D, max(Kc, 1)))
    if Kc:
        pres[pdoc[seg[hit]], cpos[hit]] = 1.0
        pres = pres[:, :Kc]
    doc_cov = (pres @ cidf) / cidf_sum if Kc else np.zeros(D)
    doc_covn = pres.mean(axis=1) if Kc else np.zeros(D)
    doc_bcov = doc_bpres.sum(axis=1) / max(cb.size, 1)
    kdoc = pdoc[seg]
    order = np.lexsort((key, kdoc))
    ks, ds, ws = key[order], kdoc[order], pw[order]
    if ks.size:
        start = np.ones(ks.size, bool)
        start[1:] = (ks[1:] != ks[:-1]) | (ds[1:] != ds[:-1])
        idx = np.flatnonzero(start)
        run_w = np.add.reduceat(ws, idx)
        body_norm = np.sqrt(np.bincount(ds[idx], run_w**2, D))
    else:
        body_norm = np.zeros(D)
    doc_dot = np.bincount(kdoc, pw * cw_at, D) if key.size else np.zeros(D)
    doc_cos = doc_dot / np.maximum(body_norm * cnorm, 1e-9)
    frac_cov50 = np.bincount(pdoc, (cov_p >= 0.5).astype(np.float64), D) / np.maximum(n_pass, 1)
    if Kc:
        missing_idf = np.where(pres > 0, 0.0, cidf[None, :]).max(axis=1) / tab.idf_oov
        found_idf = np.where(pres > 0, cidf[None, :], 0.0).max(axis=1) / tab.idf_oov
    else:
        missing_idf = found_idf = np.zeros(D)
    tok_doc = np.bincount(pdoc, docs.ntok.astype(np.float64), D)
    # Jaccard of content-term sets, claim vs whole body (the FNC baseline's word overlap)
    doc_terms = np.zeros(D)
    if ks.size:
        doc_terms = np.bincount(ds[idx], (ws[idx] > 0).astype(np.float64), D)  # type: ignore[assignment]
    jaccard = (
        pres.sum(axis=1) / np.maximum(doc_terms + Kc - pres.sum(axis=1), 1.0) if Kc else np.zeros(D)
    )

    # ---- relevance: lexical coverage first, embedding and bigrams to break ties
    relevance = cov_p + 0.5 * bcov_p + 0.5 * np.maximum(emb_p, 0.0)
    rel_m = _pad(relevance, pdoc, ppos, D, width, -np.inf)
    order_rel = np.argsort(-rel_m, axis=1, kind="stable")[:, :3]
    top3 = np.where(np.take_along_axis(rel_m, order_rel, axis=1) > -np.inf, order_rel, -1)
    if top3.shape[1] < 3:
        top3 = np.pad(top3, ((0, 0), (0, 3 - top3.shape[1])), constant_values=-1)
    key_passage = top3[:, 0].copy()
    key_pos = np.where(has, np.maximum(key_passage, 0) / np.maximum(n_pass - 1, 1), 0.0)

    # ---- cues: presence per passage (unigram or full-bigram match)
    C = tab.n_cues
    G = len(tab.groups)
    fseg = _seg(docs.f_ptr)

    def cue_matrix(pf_keys: np.ndarray, pf_seg: np.ndarray, rows: int) -> np.ndarray:
        pos = np.minimum(np.searchsorted(tab.cue_keys, pf_keys), tab.cue_keys.size - 1)
        m = tab.cue_keys[pos] == pf_keys
        flat = pf_seg[m] * C + tab.cue_cols[pos[m]]
        return np.bincount(flat, minlength=rows * C).reshape(rows, C) > 0

    okc_ = cue_all >= 0
    pcue = (
        np.bincount(seg[okc_] * C + cue_all[okc_], minlength=P * C).reshape(P, C) > 0
    ) | cue_matrix(docs.f_key, fseg, P)
    cseg_u = np.zeros(ck_all.size, np.int64)
    cf = claim.f_key[claim.f_ptr[0] : claim.f_ptr[1]]
    ccue = (cue_matrix(ck_all, cseg_u, 1) | cue_matrix(cf, np.zeros(cf.size, np.int64), 1))[0]
    pc_pad = np.vstack([pcue, np.zeros((1, C), bool)])  # row P = "no passage"
    abs_top = np.where(top3 >= 0, top3 + first[:, None], P)
    cue_top1 = pc_pad[abs_top[:, 0]].astype(np.float64)
    cue_top3 = pc_pad[abs_top].any(axis=1).astype(np.float64)
    cue_any = (ind @ pcue.astype(np.float64) > 0).astype(np.float64)
    cue_claim = np.broadcast_to(ccue.astype(np.float64), (D, C))
    onehot = np.zeros((C, G))
    onehot[np.arange(C), tab.cue_group] = 1.0
    grp = [(x @ onehot > 0).astype(np.float64) for x in (cue_top1, cue_top3, cue_any, cue_claim)]

    claim_q = float(np.any(ck_all == QMARK_KEY))
    dense = np.column_stack(
        [
            cos_max,
            cos_mean,
            cos_top3,
            cov_max,
            cov_mean,
            cov_top3,
            covn_max,
            bcov_max,
            bcov_top3,
            emb_max,
            emb_mean,
            emb_top3,
            lead_cov,
            lead_emb,
            lead_cos,
            doc_cov,
            doc_covn,
            doc_bcov,
            doc_cos,
            doc_emb,
            frac_cov50,
            missing_idf,
            found_idf,
            np.full(D, np.log1p(claim.ntok[0])),
            np.full(D, np.log1p(Kc)),
            np.log1p(n_pass),
            np.log1p(tok_doc),
            (tok_doc <= 40).astype(np.float64),
            key_pos,
            np.full(D, claim_q),
            jaccard,
        ]
        + grp
        + [cue_top1, cue_top3, cue_any, cue_claim]
    ).astype(np.float32)

    # ---- bag-of-words blocks (UCL-style): claim TF and body TF, each L2-normalised
    V = tab.n_vocab
    bow: list[np.ndarray] = []
    if tab.n_bow:
        vcol_c = _lookup(tab.voc_keys, tab.voc_cols, ck_all, -1)
        ctf = np.zeros(V)
        okc = vcol_c >= 0
        np.add.at(ctf, vcol_c[okc], cc_all[okc])
        ctf /= max(float(np.linalg.norm(ctf)), 1e-9)
        bow.append(np.broadcast_to(ctf.astype(np.float32), (D, V)))
        vcol = vcol_all
        ok = vcol >= 0
        # float64 even when no term is in the vocabulary (bincount of nothing gives ints)
        btf = np.bincount(kdoc[ok] * V + vcol[ok], cnt[ok], D * V).reshape(D, V).astype(np.float64)
        btf /= np.maximum(np.linalg.norm(btf, axis=1, keepdims=True), 1e-9)
        bow.append(btf.astype(np.float32))
        if tab.n_bow >= 3:  # TF of the top-3 relevant passages only
            in_top = np.zeros(P + 1, bool)
            in_top[abs_top.ravel()] = True
            ok3 = ok & in_top[:P][seg]
            ttf = (
                np.bincount(kdoc[ok3] * V + vcol[ok3], cnt[ok3], D * V)
                .reshape(D, V)
                .astype(np.float64)
            )
            ttf /= np.maximum(np.linalg.norm(ttf, axis=1, keepdims=True), 1e-9)
            bow.append(ttf.astype(np.float32))

    # claim terms by decreasing IDF, for the reason ("shares: kim, jong, dead")
    terms = claim_terms_of(claim_text)
    tk = np.array([key_of(t) for t in terms], np.int64)
    # align display terms with the sorted key order used above
    tpos = np.searchsorted(ck, tk) if Kc else np.zeros(0, np.int64)
    ok_t = (tpos < Kc) & (ck[np.minimum(tpos, max(Kc - 1, 0))] == tk) if Kc else np.zeros(0, bool)
    terms = [t for t, o in zip(terms, ok_t, strict=False) if o]
    tpos = tpos[ok_t] if Kc else tpos
    by_idf = np.argsort(-cidf[tpos], kind="stable") if Kc else np.zeros(0, np.int64)
    terms = [terms[i] for i in by_idf]
    tpos = tpos[by_idf]
    return PairFeatures(
        dense=dense,
        bow=bow,
        key_passage=key_passage,
        top3=top3,
        relevance=relevance.astype(np.float32),
        passage_cues=pcue,
        claim_terms=terms,
        claim_term_keys=ck[tpos] if Kc else np.zeros(0, np.int64),
        term_in_passage=term_in_passage[:, tpos] if Kc else np.zeros((P, 0), bool),
        doc_ptr=doc_ptr,
    )


# --------------------------------------------------------------------------- cue lexicon

# Default cue lexicon (one or two tokens each; matched after `tokenize`, so inflections
# like "denies/denied" match "deny"). Groups feed group-level features that generalise to
# words the training data rarely shows; each cue also has its own features. The groups
# also name the reason shown to the fact-checker ("says it was a hoax").
DEFAULT_CUES: dict[str, list[str]] = {
    "denial": """hoax fake false falsely deny denial debunk debunked refute refuted untrue
        satire satirical parody prank fabricated bogus myth baseless unfounded nonsense
        retract retracted retraction misleading photoshopped doctored fraud scam dismissed
        rejected incorrect wrong fiction fictional joke spoof
        not+true no+evidence not+dead still+alive is+alive not+real no+truth not+confirmed
        never+happened no+plan""".split(),
    "hedge": """reportedly allegedly alleged claim rumor rumour rumored rumoured unconfirmed
        unverified purportedly apparently appear may might could possibly suggest believed
        speculation speculate unclear supposedly if+true said+to could+be may+be""".split(),
    # who says it: "Report: ...", "sources say", "according to" mark a relayed claim
    "attribution": """report said say told according source citing insider spokesman
        spokeswoman spokesperson tabloid tweet""".split(),
    "confirm": """confirmed confirm announced official officially revealed verified statement
        indeed true proof proven evidence""".split(),
    "negation": "not no never nothing none nor neither".split(),
    "question": "? whether really".split(),
    "refute_fnc": "despite nope doubt doubts pranks".split(),
}


def build_cue_tables(
    cues: dict[str, list[str]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[str]]:
    """Hash the cue lexicon. A phrase is written with '+' between its two words."""
    groups = list(cues)
    words: list[str] = []
    group_of: list[int] = []
    seen: set[int] = set()
    keys: list[int] = []
    for gi, g in enumerate(groups):
        for phrase in cues[g]:
            toks = [t for w in phrase.split("+") for t in tokenize(w)] if phrase != "?" else ["?"]
            if not 1 <= len(toks) <= 2:
                raise ValueError(f"cue {phrase!r} must be one or two tokens")
            k = key_of(" ".join(toks))
            if k in seen:
                continue  # the first group that lists a stem owns it
            seen.add(k)
            keys.append(k)
            words.append(phrase.replace("+", " "))
            group_of.append(gi)
    order = np.argsort(np.array(keys, np.int64), kind="stable")
    return (
        np.array(keys, np.int64)[order],
        order.astype(np.int64),
        np.array(group_of, np.int64),
        words,
        groups,
    )


# --------------------------------------------------------------------------- files


def make_tables(
    idf_words: list[str],
    idf_vals: np.ndarray,
    idf_oov: float,
    vocab_words: list[str],
    cues: dict[str, list[str]],
    n_bow: int,
) -> Tables:
    ik = np.array([key_of(w) for w in idf_words], np.int64)
    order = np.argsort(ik, kind="stable")
    if np.any(np.diff(ik[order]) == 0):
        raise ValueError("duplicate token in IDF vocabulary (or a hash collision)")
    vk = np.array([key_of(w) for w in vocab_words], np.int64)
    vorder = np.argsort(vk, kind="stable")
    cue_keys, cue_cols, cue_group, cue_words, groups = build_cue_tables(cues)
    return Tables(
        idf_keys=ik[order],
        idf_vals=np.asarray(idf_vals, np.float32)[order],
        idf_oov=float(idf_oov),
        voc_keys=vk[vorder],
        voc_cols=vorder.astype(np.int64),
        cue_keys=cue_keys,
        cue_cols=cue_cols,
        cue_group=cue_group,
        cue_words=cue_words,
        groups=groups,
        vocab_words=list(vocab_words),
        n_bow=n_bow,
    )
