"""Independence of sources: which origin a document's report comes from.

Five outlets relaying one newspaper's anonymous officials are one origin (the relayed
newspaper); a wire story printed under several mastheads is one origin (the wire). The
key is the first relayed origin when the document relays one, else the outlet itself,
normalised ("The New York Times", "NYT" and "new york times" are one key).
"""

from __future__ import annotations

import re

from .lexicon import OUTLET_ALIASES

_PAREN = re.compile(r"\(([^)]*)\)")


# Agencies whose credit in parentheses ("The Moscow Times (AFP)") marks a wire copy.
WIRES = {
    "afp",
    "ap",
    "reuters",
    "dpa",
    "efe",
    "ansa",
    "yonhap",
    "xinhua",
    "tass",
    "interfax",
    "ria novosti",
    "kyodo",
    "bloomberg",
    "ukrinform",
    "unian",
    "pa",
}


def _wire_credit(outlet: str) -> str:
    m = _PAREN.search(outlet or "")
    if m and canonical_outlet(m.group(1)) in WIRES:
        return m.group(1).strip()
    return ""


def canonical_outlet(name: str) -> str:
    n = " ".join(name.replace("\u2019", "'").split()).strip().lower()
    n = re.sub(r"^the\s+", "", n)
    n = re.sub(r"[\"'.,:;]+", "", n).strip()
    n = re.sub(r"\s*[-\u2013\u2014]\s*", "-", n)
    return OUTLET_ALIASES.get(n, OUTLET_ALIASES.get(n.replace("-", " "), n))


def origin_key(outlet: str, relays: list[str]) -> str:
    """The origin a report traces back to.

    `relays` lists the origins the document cites, outermost first; the first non-empty
    one is the origin. A wire credit in the outlet's name ("The Moscow Times (AFP)") is
    read as a relay when `relays` is empty.
    """
    for relay in relays or []:
        if relay and relay.strip():
            return canonical_outlet(relay)
    wire = _wire_credit(outlet)
    if wire:
        return canonical_outlet(wire)
    return canonical_outlet(_PAREN.sub("", outlet or "")) or "unknown"


def origin_label(outlet: str, relays: list[str]) -> str:
    """The origin as people write it, for messages."""
    for relay in relays or []:
        if relay and relay.strip():
            return relay.strip()
    wire = _wire_credit(outlet)
    if wire:
        return wire
    return _PAREN.sub("", outlet or "").strip() or "an unnamed source"
