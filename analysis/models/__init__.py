"""The learned models: check-worthiness and stance, trained by `make train`, committed.

Each model is two files in `analysis/models/data/`: `<name>.npz` (arrays) and
`<name>.json` (vocabulary, hyper-parameters, metrics), with a model card
`<name>.md` beside them. Never pickle. Loading checks the format, the shapes and the
vocabulary and raises ModelFileError naming the file: a missing, corrupt or mismatched
model stops the process at start (`check_models`, run by a Django system check and by
every worker process), never a silent fallback to rules.

Inference is numpy only (plus WordLlama's bundled embeddings for stance); the training
code and its libraries (scikit-learn) live in `analysis.models.train_*` and the `train`
extra.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from analysis.models.errors import ModelFileError

DATA_DIR = Path(__file__).resolve().parent / "data"
# Where the service looks for its models; a deployment may point elsewhere.
MODEL_DIR_ENV = "FACTCHECK_MODEL_DIR"

__all__ = [
    "DATA_DIR",
    "ModelFileError",
    "check_models",
    "checkworthiness_model",
    "model_dir",
    "stance_model",
]


def model_dir() -> Path:
    return Path(os.environ.get(MODEL_DIR_ENV) or DATA_DIR)


@functools.cache
def checkworthiness_model():
    """The check-worthiness model the service scores sentences with (loaded once)."""
    from analysis.models.checkworthiness import load

    return load(model_dir())


@functools.cache
def stance_model():
    """The relatedness and stance model corroboration judges documents with."""
    from analysis.models.stance import load

    return load(model_dir() / "stance")


def check_models() -> list[str]:
    """Load every model the service needs; raises ModelFileError naming the file."""
    from analysis.models.stance import embed

    checkworthiness_model()
    stance_model()
    try:
        embed(["a sentence"])  # WordLlama's bundled weights: a broken install fails here
        from analysis.models.neighbours import related_words

        related_words("deaths")  # the query-expansion table, built once per process
    except Exception as exc:  # ImportError, a missing weights file, a bad tokenizer
        raise ModelFileError(
            f"WordLlama (the stance model's embeddings) did not load: {exc}"
        ) from exc
    return ["checkworthiness", "stance"]
