"""Reading RSS and Atom feeds that newsroom systems register for polling.

This module owns turning feed bytes into plain :class:`Feed` / :class:`FeedItem`
values, and polling a feed URL through the hardened client in
:mod:`workers.fetching` with conditional requests (ETag / Last-Modified).

Feed documents are untrusted XML. feedparser's strict mode hands them to expat,
which expands internal entities (the "billion laughs" bomb) and would happily read
DTD declarations, so every document is screened with defusedxml FIRST: one that
declares any entity (internal or external) or references an external entity is
refused before feedparser ever sees it. Plain Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from workers.fetching import FetchPolicy, fetch

__all__ = ["Feed", "FeedError", "FeedItem", "FeedPoll", "fetch_feed", "parse_feed"]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


class FeedError(Exception):
    """A document that is not a feed we will read; ``reason`` is human-readable."""

    def __init__(self, reason: str, url: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str
    published: datetime | None  # timezone-aware (UTC) when the feed gives a date
    summary: str  # plain text
    author: str


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    items: list[FeedItem] = field(default_factory=list)


@dataclass(frozen=True)
class FeedPoll:
    url: str
    final_url: str
    not_modified: bool
    feed: Feed | None
    etag: str | None
    last_modified: str | None


# Belt and braces for documents expat cannot parse at all (so the defusedxml screen
# never reached their DTD): any entity declaration, in UTF-8/ASCII or UTF-16.
_ENTITY_DECL = re.compile(rb"<!\s*ENTITY|<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y|\x00<\x00!\x00E\x00N")


def _screen(content: bytes, where: str) -> None:
    """Refuse entity declarations and external references before feedparser runs."""
    try:
        defusedxml.ElementTree.fromstring(
            content, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden as exc:
        if exc.sysid:
            raise FeedError(
                f"refused: the feed{where} declares an XML entity that points outside the "
                f"document ({exc.sysid}); it was not read"
            ) from None
        raise FeedError(
            f"refused: the feed{where} declares XML entities (a common way to attack "
            "XML readers); it was not read"
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise FeedError(
            f"refused: the feed{where} references external XML entities; it was not read"
        ) from None
    except ParseError:
        # Malformed XML: feedparser's lenient parser may still read it, but only if
        # it declares no entities we could not screen.
        if _ENTITY_DECL.search(content):
            raise FeedError(
                f"refused: the feed{where} declares XML entities (a common way to attack "
                "XML readers); it was not read"
            ) from None
    except defusedxml.DefusedXmlException as exc:
        raise FeedError(f"refused: the feed{where} uses unsafe XML ({exc})") from None


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain_text(html: str) -> str:
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def _aware(parsed: object) -> datetime | None:
    # feedparser normalises every date it understands to a UTC struct_time.
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def parse_feed(content: bytes, *, base_url: str = "") -> Feed:
    """Parse RSS 0.9x/1.0/2.0 or Atom bytes into a :class:`Feed`.

    Relative links resolve against ``base_url``. Raises :class:`FeedError` for a
    document that declares XML entities, or that is not a readable feed.
    """
    if not isinstance(content, bytes | bytearray):
        # feedparser treats a str as a URL or file path and would go and read it.
        raise TypeError("parse_feed takes the feed's bytes")
    where = f" at {base_url}" if base_url else ""
    if not content.strip():
        raise FeedError(f"the document{where} is empty, not an RSS or Atom feed", base_url)
    _screen(bytes(content), where)
    headers = {"content-location": base_url} if base_url else {}
    parsed = feedparser.parse(bytes(content), response_headers=headers, sanitize_html=True)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise FeedError(f"the document{where} is not a readable RSS or Atom feed{detail}", base_url)
    meta = parsed.feed
    items = []
    for entry in parsed.entries:
        link = entry.get("link", "") or ""
        if base_url and link:
            link = urljoin(base_url, link)
        summary = entry.get("summary", "") or ""
        if not summary and entry.get("content"):
            summary = entry.content[0].get("value", "")
        items.append(
            FeedItem(
                title=_plain_text(entry.get("title", "") or ""),
                link=link,
                guid=entry.get("id", "") or link,
                published=_aware(entry.get("published_parsed") or entry.get("updated_parsed")),
                summary=_plain_text(summary),
                author=_plain_text(entry.get("author", "") or ""),
            )
        )
    feed_link = meta.get("link", "") or ""
    if base_url and feed_link:
        feed_link = urljoin(base_url, feed_link)
    return Feed(title=_plain_text(meta.get("title", "") or ""), link=feed_link, items=items)


def fetch_feed(
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedPoll:
    """Fetch a feed conditionally through the hardened client and parse it.

    Returns ``not_modified=True`` (and no feed) on a 304. Raises
    :class:`workers.fetching.FetchError` for fetch problems and :class:`FeedError`
    for documents that are not safe, readable feeds.
    """
    result = fetch(url, policy, etag=etag, last_modified=last_modified, accept=FEED_ACCEPT)
    if result.not_modified:
        return FeedPoll(
            url=url,
            final_url=result.final_url,
            not_modified=True,
            feed=None,
            etag=result.etag or etag,
            last_modified=result.last_modified or last_modified,
        )
    try:
        feed = parse_feed(result.body, base_url=result.final_url)
    except FeedError as exc:
        exc.url = exc.url or result.final_url
        raise
    return FeedPoll(
        url=url,
        final_url=result.final_url,
        not_modified=False,
        feed=feed,
        etag=result.etag,
        last_modified=result.last_modified,
    )
