"""Finding 6: a fresh install could crash on HTML intake (jusText imports lxml.html.clean,
which lives in lxml_html_clean since lxml 5.2, and the lxml[html_clean] extra does not
always resolve)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def declared() -> set[str]:
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    return {re.split(r"[<>=~!\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def test_lxml_html_clean_is_a_direct_dependency():
    assert "lxml-html-clean" in declared()


def test_an_html_article_is_read():
    import lxml.html.clean  # noqa: F401

    from analysis.extraction.reader import read_article

    html = (Path(__file__).resolve().parents[1] / "gold" / "heldout-tram-html.html").read_text(
        encoding="utf-8"
    )
    assert read_article(html, fmt="html").body.strip()
