"""`make train`: rebuild every committed model from the training data, with fixed seeds.

    python -m analysis.models.train [--data ../shared/datasets] [--out analysis/models/data]
                                    [--only checkworthiness|stance]

Each trainer cross-validates on the training files (the public test splits are never
read), prints its dev metrics, writes them beside its model (`<name>.cv.json`) and
writes the model files the service loads. Needs the `train` extra (scikit-learn, scipy,
WordLlama); the service itself needs none of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis.models import DATA_DIR

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
TRAINERS = ("checkworthiness", "stance")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="the training files' folder")
    ap.add_argument("--out", default=str(DATA_DIR), help="where the model files go")
    ap.add_argument("--only", choices=TRAINERS, action="append", help="train only this model")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not data.is_dir():
        print(
            f"no training data at {data}: pass --data (make train DATA=path); the datasets' "
            "README says what the files are",
            file=sys.stderr,
        )
        return 2
    for name in args.only or TRAINERS:
        started = time.time()
        print(f"== training {name} from {data}", flush=True)
        if name == "checkworthiness":
            from analysis.models import train_checkworthiness

            status = train_checkworthiness.main(["--data", str(data), "--out", args.out])
        else:
            from analysis.models import train_stance

            status = train_stance.main(["--data", str(data), "--out", args.out])
        if status:
            return status
        print(f"== {name}: done in {time.time() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
