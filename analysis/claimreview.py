"""Reading fact-checks published elsewhere: schema.org ClaimReview in, plain values out.

Accepted documents (`parse_document`):

- an HTML page with one or more `<script type="application/ld+json">` blocks (a block
  may hold one object, an array, or an `@graph`; ClaimReviews nested in other objects
  are found too, down to MAX_DEPTH levels);
- a schema.org `DataFeed` of `DataFeedItem`s whose `item` is a ClaimReview or a list of
  them (the public Data Commons fact-check feed);
- a JSON array of ClaimReview objects, a single ClaimReview object, or JSON lines (one
  object per line);
- a page of Google's Fact Check Tools `claims:search` response (`parse_factcheck_tools`).

Everything here is untrusted input. Each item is checked on its own: a malformed one is
skipped with its position and a reason a person can read (wrong JSON types, no review
URL, no rating, text over its cap, an item over MAX_ITEM_BYTES of JSON-LD), and the rest
are read. NUL characters and lone surrogates, which PostgreSQL refuses, are replaced in
every string, keys and the kept raw JSON-LD included. A document too deeply nested for
the JSON reader is refused as a whole (ClaimReviewError); the caller caps its size
before it gets here. Plain Python, no Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

MAX_DEPTH = 12  # levels of JSON searched for ClaimReviews inside other objects
MAX_BLOCKS = 200  # JSON-LD blocks read from one HTML page
MAX_ITEM_BYTES = 64 * 1024  # JSON-LD kept per fact-check
MAX_CLAIM_CHARS = 5_000
MAX_URL_CHARS = 2_000
MAX_TEXT_CHARS = 300  # publisher, rating text, claimant, headline
MAX_APPEARANCES = 20
SCHEMA_PREFIXES = ("schema:", "http://schema.org/", "https://schema.org/")


class ClaimReviewError(ValueError):
    """A document that cannot be read at all; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class PublishedFactCheck:
    review_url: str
    claim_reviewed: str
    publisher: str = ""
    publisher_url: str = ""
    title: str = ""
    rating_text: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    review_date: date | None = None
    language: str = ""
    claimant: str = ""
    claim_date: date | None = None
    appearances: list[dict[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Skipped:
    position: str  # "item 3", "block 2", "line 7", "document"
    reason: str

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"


@dataclass
class ParsedDocument:
    format: str  # html | datafeed | array | object | jsonl | factchecktools
    items: list[PublishedFactCheck] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    next_page_token: str = ""  # Fact Check Tools paging


class ItemError(ValueError):
    """One item is malformed; the message is the reason it is skipped."""


# --- the document --------------------------------------------------------------------------


def parse_document(text: str, *, hint: str = "", max_items: int = 50_000) -> ParsedDocument:
    """Every ClaimReview in `text` (HTML, a DataFeed, an array, an object or JSON lines).

    `hint` ("html", "json", "jsonl") comes from a file extension or content type; without
    one the text decides. Raises ClaimReviewError when nothing in it can be read.
    """
    if not isinstance(text, str):
        raise TypeError("parse_document takes the document's text")
    text = clean_text(text.lstrip("\ufeff"))
    stripped = text.lstrip()
    if not stripped:
        raise ClaimReviewError("the document is empty")
    if hint == "html" or (hint not in ("json", "jsonl") and stripped.startswith("<")):
        return _parse_html(text, max_items)
    if hint != "jsonl":
        try:
            data = json.loads(text)
        except RecursionError:
            raise ClaimReviewError("the JSON is nested too deeply to read") from None
        except json.JSONDecodeError as exc:
            if hint == "json" or "\n" not in stripped.rstrip():
                raise ClaimReviewError(f"not JSON, JSON lines or HTML: {exc}") from None
        else:
            return parse_json_value(data, max_items)
    return _parse_json_lines(text, max_items)


def parse_json_value(data: Any, max_items: int = 50_000) -> ParsedDocument:
    """`parse_document` for JSON already parsed (an API request body)."""
    if isinstance(data, dict) and _is_type(data, "DataFeed"):
        out = ParsedDocument("datafeed")
        elements = data.get("dataFeedElement")
        if not isinstance(elements, list):
            raise ClaimReviewError("the DataFeed has no dataFeedElement list")
        _read_items(out, elements, "item", max_items)
        return out
    if isinstance(data, list):
        out = ParsedDocument("array")
        _read_items(out, data, "item", max_items)
        return out
    if isinstance(data, dict):
        out = ParsedDocument("object")
        _read_items(out, [data], "item", max_items)
        return out
    raise ClaimReviewError(f"the JSON is {_a_kind(data)}, not a ClaimReview, list or DataFeed")


def _parse_json_lines(text: str, max_items: int) -> ParsedDocument:
    out = ParsedDocument("jsonl")
    values: list[tuple[str, Any]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            values.append((f"line {n}", json.loads(line)))
        except RecursionError:
            out.skipped.append(Skipped(f"line {n}", "the JSON is nested too deeply to read"))
        except json.JSONDecodeError as exc:
            out.skipped.append(Skipped(f"line {n}", f"not JSON ({exc.msg})"))
    if not values and not out.skipped:
        raise ClaimReviewError("the document has no JSON lines")
    if not values and len(out.skipped) == 1:
        # One line that is not JSON: the whole document is not what we read.
        raise ClaimReviewError(f"not JSON, JSON lines or HTML: {out.skipped[0].reason}")
    _read_positioned(out, values, max_items)
    return out


def _read_items(out: ParsedDocument, elements: list, label: str, max_items: int) -> None:
    _read_positioned(out, [(f"{label} {n}", el) for n, el in enumerate(elements, 1)], max_items)


def _read_positioned(out: ParsedDocument, values: list[tuple[str, Any]], max_items: int) -> None:
    """Each value is one item: the ClaimReviews in it are read, or it is skipped."""
    for at, (position, value) in enumerate(values):
        if len(out.items) >= max_items:
            left = len(values) - at
            out.skipped.append(
                Skipped(position, f"{left:,} items not read: the limit is {max_items:,} a document")
            )
            return
        if not isinstance(value, dict):
            out.skipped.append(Skipped(position, f"{_a_kind(value)}, not a ClaimReview object"))
            continue
        reviews, too_deep = find_claim_reviews(value)
        if not reviews:
            what = _type_names(value) or "no @type"
            reason = f"not a ClaimReview ({what})"
            if _is_type(value, "DataFeedItem"):
                reason = "the DataFeedItem holds no ClaimReview in its item"
            if too_deep:
                reason += f"; parts nested deeper than {MAX_DEPTH} levels were not read"
            out.skipped.append(Skipped(position, reason))
            continue
        for k, review in enumerate(reviews, 1):
            where = position if len(reviews) == 1 else f"{position}.{k}"
            _read_one(out, where, review)


def _read_one(out: ParsedDocument, position: str, review: dict) -> None:
    try:
        out.items.append(read_claim_review(review))
    except ItemError as exc:
        out.skipped.append(Skipped(position, str(exc)))


# --- HTML pages ----------------------------------------------------------------------------


class _JSONLDBlocks(HTMLParser):
    """The text of each <script type="application/ld+json"> (script content is raw text:
    the block ends at the first </script>, whatever the JSON inside says)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._current: list[str] | None = None
        self.extra = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if kind == "application/ld+json":
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            if len(self.blocks) < MAX_BLOCKS:
                self.blocks.append("".join(self._current))
            else:
                self.extra += 1
            self._current = None


def _parse_html(text: str, max_items: int) -> ParsedDocument:
    out = ParsedDocument("html")
    parser = _JSONLDBlocks()
    parser.feed(text)
    parser.close()
    values: list[tuple[str, Any]] = []
    for n, block in enumerate(parser.blocks, 1):
        if not block.strip():
            continue
        try:
            data = json.loads(block)
        except RecursionError:
            out.skipped.append(Skipped(f"block {n}", "the JSON-LD is nested too deeply to read"))
            continue
        except json.JSONDecodeError as exc:
            out.skipped.append(
                Skipped(f"block {n}", f"the JSON-LD block is not valid JSON ({exc.msg})")
            )
            continue
        reviews, _ = find_claim_reviews(data)
        # Pages carry other JSON-LD (Organization, BreadcrumbList): only ClaimReviews count.
        values += [
            (f"block {n}" if len(reviews) == 1 else f"block {n}.{k}", r)
            for k, r in enumerate(reviews, 1)
        ]
    if parser.extra:
        out.skipped.append(
            Skipped("document", f"{parser.extra} JSON-LD blocks past the first {MAX_BLOCKS}")
        )
    for position, review in values:
        if len(out.items) >= max_items:
            out.skipped.append(Skipped(position, f"over the limit of {max_items:,} a document"))
            break
        _read_one(out, position, review)
    return out


# --- finding and reading one ClaimReview ---------------------------------------------------


def find_claim_reviews(node: Any, depth: int = 0) -> tuple[list[dict], bool]:
    """The ClaimReview objects in a JSON value (not inside one another), and whether some
    part was deeper than MAX_DEPTH and left unread."""
    if depth > MAX_DEPTH:
        return [], isinstance(node, (dict, list)) and bool(node)
    found: list[dict] = []
    too_deep = False
    children: list[Any]
    if isinstance(node, dict):
        if _is_type(node, "ClaimReview"):
            return [node], False
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return [], False
    for child in children:
        if isinstance(child, (dict, list)):
            more, deep = find_claim_reviews(child, depth + 1)
            found += more
            too_deep = too_deep or deep
    return found, too_deep


def read_claim_review(review: dict) -> PublishedFactCheck:
    """One ClaimReview object to a PublishedFactCheck; ItemError says what is wrong."""
    review = _checked(review)
    url = _url(review.get("url"), "url")
    if not url:
        url = _url(review.get("@id"), "@id")
    if not url:
        raise ItemError("no review URL (url): a fact-check is known by its address")
    item = _first_dict(review.get("itemReviewed"), "itemReviewed")
    claimed = review.get("claimReviewed")
    if claimed is None and item is not None:
        claimed = item.get("text") if isinstance(item.get("text"), str) else item.get("name")
    if claimed is None:
        raise ItemError("no claimReviewed: the claim the fact-check is about is missing")
    if not isinstance(claimed, str):
        raise ItemError(f"claimReviewed is {_a_kind(claimed)}, not text")
    claimed = " ".join(claimed.split())
    if not claimed:
        raise ItemError("claimReviewed is empty")
    if len(claimed) > MAX_CLAIM_CHARS:
        raise ItemError(
            f"claimReviewed is {len(claimed):,} characters; the limit is {MAX_CLAIM_CHARS:,}"
        )
    rating = _first_dict(review.get("reviewRating"), "reviewRating")
    if rating is None:
        raise ItemError("no reviewRating: the fact-check's verdict is missing")
    rating_text = _text(rating.get("alternateName"), "reviewRating.alternateName") or _text(
        rating.get("name"), "reviewRating.name"
    )
    value = _number(rating.get("ratingValue"), "reviewRating.ratingValue")
    if not rating_text and value is None:
        raise ItemError("the reviewRating has neither a name (alternateName) nor a ratingValue")
    publisher, publisher_url = _organization(review.get("author"), "author")
    if not publisher:
        publisher, publisher_url = _organization(review.get("publisher"), "publisher")
    if not publisher:
        publisher = urlsplit(url).hostname or ""
    claimant, claim_date, appearances = "", None, []
    if item is not None:
        claimant, _ = _organization(item.get("author"), "itemReviewed.author")
        claim_date = _date(item.get("datePublished"))
        appearances = _appearances(item.get("appearance"), item.get("firstAppearance"))
    return PublishedFactCheck(
        review_url=url,
        claim_reviewed=claimed,
        publisher=publisher,
        publisher_url=publisher_url,
        title=_text(review.get("headline"), "headline") or _text(review.get("name"), "name"),
        rating_text=rating_text,
        rating_value=value,
        best_rating=_number(rating.get("bestRating"), "reviewRating.bestRating"),
        worst_rating=_number(rating.get("worstRating"), "reviewRating.worstRating"),
        review_date=_date(review.get("datePublished")),
        language=_language(review.get("inLanguage"))
        or (_language(item.get("inLanguage")) if item is not None else ""),
        claimant=claimant,
        claim_date=claim_date,
        appearances=appearances,
        raw=review,
    )


# --- Google Fact Check Tools ---------------------------------------------------------------


def parse_factcheck_tools(data: Any) -> ParsedDocument:
    """One page of `claims:search`: {"claims": [{text, claimant, claimDate, claimReview:
    [{publisher: {name, site}, url, title, reviewDate, textualRating, languageCode}]}],
    "nextPageToken": "..."}. One fact-check per review; a claim may have several."""
    if not isinstance(data, dict):
        raise ClaimReviewError(f"the response is {_a_kind(data)}, not a JSON object")
    out = ParsedDocument("factchecktools")
    token = data.get("nextPageToken", "")
    out.next_page_token = token if isinstance(token, str) else ""
    claims = data.get("claims", [])
    if not isinstance(claims, list):
        raise ClaimReviewError("the response's claims are not a list")
    for n, claim in enumerate(claims, 1):
        position = f"claim {n}"
        if not isinstance(claim, dict):
            out.skipped.append(Skipped(position, f"{_a_kind(claim)}, not a claim object"))
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            out.skipped.append(Skipped(position, "no claimReview list"))
            continue
        for k, review in enumerate(reviews, 1):
            where = f"{position} review {k}"
            try:
                out.items.append(_read_tools_review(claim, review))
            except ItemError as exc:
                out.skipped.append(Skipped(where, str(exc)))
    return out


def _read_tools_review(claim: dict, review: Any) -> PublishedFactCheck:
    if not isinstance(review, dict):
        raise ItemError(f"the review is {_a_kind(review)}, not an object")
    text = claim.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ItemError("the claim has no text")
    text = " ".join(text.split())
    if len(text) > MAX_CLAIM_CHARS:
        raise ItemError(f"the claim is {len(text):,} characters; the limit is {MAX_CLAIM_CHARS:,}")
    url = _url(review.get("url"), "url")
    if not url:
        raise ItemError("the review has no url")
    rating = _text(review.get("textualRating"), "textualRating")
    if not rating:
        raise ItemError("the review has no textualRating")
    publisher = _first_dict(review.get("publisher"), "publisher") or {}
    site = _text(publisher.get("site"), "publisher.site")
    raw = _checked(
        {
            "claim": {k: claim.get(k) for k in ("text", "claimant", "claimDate")},
            "claimReview": review,
        }
    )
    return PublishedFactCheck(
        review_url=url,
        claim_reviewed=text,
        publisher=_text(publisher.get("name"), "publisher.name")
        or site
        or (urlsplit(url).hostname or ""),
        publisher_url=f"https://{site}" if site and "/" not in site else "",
        title=_text(review.get("title"), "title"),
        rating_text=rating,
        review_date=_date(review.get("reviewDate")),
        language=_text(review.get("languageCode"), "languageCode")[:35],
        claimant=_text(claim.get("claimant"), "claimant"),
        claim_date=_date(claim.get("claimDate")),
        raw=raw,
    )


# --- field readers -------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


MAX_ITEM_DEPTH = 32  # levels inside one fact-check's JSON-LD


def _checked(item: dict) -> dict:
    """The item with NUL and lone surrogates replaced everywhere, refused when it is too
    big or too deeply nested to keep (both checked without recursion)."""
    size = len(json.dumps(item, ensure_ascii=False, default=str).encode("utf-8", "replace"))
    if size > MAX_ITEM_BYTES:
        raise ItemError(f"the item is {size:,} bytes of JSON-LD; the limit is {MAX_ITEM_BYTES:,}")
    stack: list[tuple[Any, int]] = [(item, 1)]
    dirty = False
    while stack:
        node, depth = stack.pop()
        if depth > MAX_ITEM_DEPTH:
            raise ItemError(f"the item is nested deeper than {MAX_ITEM_DEPTH} levels")
        if isinstance(node, dict):
            for k, v in node.items():
                dirty = dirty or bool(_BAD_CHARS.search(k))
                stack.append((v, depth + 1))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and _BAD_CHARS.search(node):
            dirty = True
    if not dirty:
        return item
    # Rare: rebuild with every string cleaned (depth is bounded above, so recursion is safe).
    return _clean_value(item)


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_value(v) for v in value]
    return value


def clean_text(value: str) -> str:
    """NUL and lone surrogates out: PostgreSQL stores neither (in text or in jsonb)."""
    return _BAD_CHARS.sub("\ufffd", value) if _BAD_CHARS.search(value) else value


def _is_type(node: dict, name: str) -> bool:
    return name in _type_names(node).split(", ")


def _type_names(node: dict) -> str:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    out = []
    for n in names:
        if isinstance(n, str):
            for prefix in SCHEMA_PREFIXES:
                if n.startswith(prefix):
                    n = n[len(prefix) :]
            out.append(n[:60])
    return ", ".join(out)


def _a_kind(value: Any) -> str:
    kind = _kind(value)
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _kind(value: Any) -> str:
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _first_dict(value: Any, name: str) -> dict | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ItemError(f"{name} is {_a_kind(value)}, not an object")
    return value


def _text(value: Any, name: str, limit: int = MAX_TEXT_CHARS) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ItemError(f"{name} is {_a_kind(value)}, not text")
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ItemError(f"{name} is a boolean, not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ItemError(f"{name} is {value[:40]!r}, not a number") from None
    else:
        raise ItemError(f"{name} is {_a_kind(value)}, not a number")
    if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e9:
        raise ItemError(f"{name} is not a usable number")
    return number


def _url(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
        if value is None:
            return ""
    if not isinstance(value, str):
        raise ItemError(f"{name} is {_a_kind(value)}, not a URL")
    value = value.strip()
    if not value:
        return ""
    if len(value) > MAX_URL_CHARS:
        raise ItemError(f"{name} is {len(value):,} characters; the limit is {MAX_URL_CHARS:,}")
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in value)
    ):
        if name == "@id":
            return ""  # an @id need not be a web address
        raise ItemError(f"{name} {value[:80]!r} is not an http(s) URL")
    return value


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _organization(value: Any, name: str) -> tuple[str, str]:
    """(name, url) of an author or publisher: an object, a list of them, or a plain name."""
    if isinstance(value, str):
        return _text(value, name), ""
    node = _first_dict(value, name)
    if node is None:
        return "", ""
    url = ""
    try:
        url = _url(node.get("url"), f"{name}.url")
    except ItemError:
        url = ""  # a publisher's home page is decoration; a bad one is dropped, not fatal
    return _text(node.get("name"), f"{name}.name"), url


def _language(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return " ".join(value.split())[:35] if isinstance(value, str) else ""


def _appearances(appearance: Any, first: Any) -> list[dict[str, str]]:
    nodes = appearance if isinstance(appearance, list) else [appearance]
    if first is not None:
        nodes = [first, *nodes]
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for node in nodes:
        if isinstance(node, str):
            node = {"url": node}
        if not isinstance(node, dict):
            continue
        try:
            url = _url(node.get("url"), "appearance.url")
            headline = _text(node.get("headline") or node.get("name"), "appearance.headline")
        except ItemError:
            continue  # one bad appearance does not spoil the fact-check
        if url and url not in seen:
            seen.add(url)
            out.append({"url": url, "headline": headline})
        if len(out) >= MAX_APPEARANCES:
            break
    return out
