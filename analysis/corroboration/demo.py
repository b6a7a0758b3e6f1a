"""Loader for the demo corpus in `seeds/sources/`.

Each file is a short paraphrase with a front-matter block between `---` lines of
`Key: value` pairs (title, outlet, published, url, relays, note), then the body.
`relays` lists the origins the document relays, separated by ";".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

REQUIRED = ("title", "outlet", "published", "note")


class DemoSourceError(ValueError):
    """A demo source file is malformed; the message names the file."""


def parse_demo_source(text: str, name: str = "<text>") -> dict:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise DemoSourceError(f"{name}: missing front matter (first line must be ---)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DemoSourceError(f"{name}: front matter is not closed with ---") from None
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise DemoSourceError(f"{name}:{n}: expected 'Key: value', got {line!r}")
        meta[key.strip().lower()] = value.strip()
    missing = [k for k in REQUIRED if not meta.get(k)]
    if missing:
        raise DemoSourceError(f"{name}: missing {', '.join(missing)}")
    try:
        published_at = datetime.fromisoformat(meta["published"])
    except ValueError:
        raise DemoSourceError(
            f"{name}: published is not an ISO date: {meta['published']!r}"
        ) from None
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=UTC)
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    return {
        "name": name,
        "title": meta["title"],
        "outlet": meta["outlet"],
        "published": meta["published"],
        "published_at": published_at,
        "url": meta.get("url", ""),
        "relays": [r.strip() for r in meta.get("relays", "").split(";") if r.strip()],
        "note": meta["note"],
        "fictional": meta.get("fictional", "").lower() in ("yes", "true", "1"),
        "body": body,
    }


def load_demo_sources(folder: str | Path) -> list[dict]:
    """Every `*.md` / `*.txt` file in `folder`, parsed, in file-name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DemoSourceError(f"{folder}: not a directory")
    files = sorted(
        p for p in folder.iterdir() if p.suffix in (".md", ".txt") and p.name.lower() != "readme.md"
    )
    return [parse_demo_source(p.read_text(encoding="utf-8"), p.name) for p in files]
