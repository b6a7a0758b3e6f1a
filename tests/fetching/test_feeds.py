"""Feed parsing (RSS 2.0, Atom), the XML-entity screen, and conditional polling."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import feedparser
import pytest

from workers.feeds import FeedError, fetch_feed, parse_feed
from workers.fetching import BadContentType

from .localserver import make_policy, respond

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Kyiv Desk</title>
    <link>https://news.example/</link>
    <item>
      <title>Troops withdrawn from Kursk front</title>
      <link>/2025/01/31/troops</link>
      <guid isPermaLink="false">urn:example:1</guid>
      <pubDate>Fri, 31 Jan 2025 14:30:00 +0200</pubDate>
      <description>&lt;p&gt;About &lt;b&gt;11,000&lt;/b&gt; troops, officials said.&lt;/p&gt;</description>
      <dc:creator>Jane Reporter</dc:creator>
    </item>
    <item>
      <title>No date, no guid</title>
      <link>https://news.example/b</link>
    </item>
  </channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire Service</title>
  <link href="https://wire.example/"/>
  <id>urn:wire</id>
  <updated>2025-02-01T10:00:00Z</updated>
  <entry>
    <title>Pentagon: “not yet confirmed”</title>
    <link href="https://wire.example/item/7"/>
    <id>tag:wire.example,2025:7</id>
    <published>2025-02-01T09:15:00-05:00</published>
    <updated>2025-02-01T10:00:00Z</updated>
    <author><name>Sam Wire</name></author>
    <summary type="html">&lt;p&gt;Reports &lt;i&gt;suggest&lt;/i&gt; a pull-back.&lt;/p&gt;</summary>
  </entry>
</feed>""".encode()


def test_rss2_items_are_parsed():
    feed = parse_feed(RSS, base_url="https://news.example/feed.xml")

    assert feed.title == "Kyiv Desk"
    assert feed.link == "https://news.example/"
    first, second = feed.items
    assert first.title == "Troops withdrawn from Kursk front"
    assert first.link == "https://news.example/2025/01/31/troops"
    assert first.guid == "urn:example:1"
    assert first.published == datetime(2025, 1, 31, 12, 30, tzinfo=UTC)
    assert first.published.tzinfo is not None
    assert first.summary == "About 11,000 troops, officials said."
    assert first.author == "Jane Reporter"
    assert second.guid == "https://news.example/b"
    assert second.published is None


def test_atom_entries_are_parsed():
    feed = parse_feed(ATOM)

    assert feed.title == "Wire Service"
    (entry,) = feed.items
    assert entry.title == "Pentagon: “not yet confirmed”"
    assert entry.link == "https://wire.example/item/7"
    assert entry.guid == "tag:wire.example,2025:7"
    assert entry.published == datetime(2025, 2, 1, 14, 15, tzinfo=UTC)
    assert entry.summary == "Reports suggest a pull-back."
    assert entry.author == "Sam Wire"


def test_rss091_with_its_standard_external_dtd_is_still_read():
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>http://old.example/</link>
<item><title>One</title><link>http://old.example/1</link></item></channel></rss>"""

    assert [i.title for i in parse_feed(doc).items] == ["One"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title></item></channel></rss>"""


def test_billion_laughs_is_refused_without_expanding(monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("feedparser saw a document that declares entities")

    monkeypatch.setattr(feedparser, "parse", must_not_run)
    started = time.monotonic()

    with pytest.raises(FeedError) as caught:
        parse_feed(BILLION_LAUGHS)

    assert str(caught.value) == (
        "refused: the feed declares XML entities (a common way to attack XML readers); "
        "it was not read"
    )
    assert time.monotonic() - started < 1


def test_the_screen_matters_because_feedparser_alone_expands_entities():
    small = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "expanded">]>
<rss version="2.0"><channel><title>&x;</title><item><title>a</title></item></channel></rss>"""

    assert feedparser.parse(small).feed.title == "expanded"
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(small)


def test_billion_laughs_in_utf16_is_refused():
    doc = BILLION_LAUGHS.decode().replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')

    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(doc.encode("utf-16"))


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "passwd"
    path.write_text("root:TOPSECRET:0:0\n")
    return path


def test_external_entity_pointing_at_a_local_file_is_refused(secret_file, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("feedparser saw a document that declares entities")

    monkeypatch.setattr(feedparser, "parse", must_not_run)
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret_file}">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>""".encode()

    with pytest.raises(FeedError) as caught:
        parse_feed(doc)

    assert "declares an XML entity that points outside the document" in caught.value.reason
    assert f"file://{secret_file}" in caught.value.reason
    assert "TOPSECRET" not in caught.value.reason


def test_external_etc_passwd_entity_is_refused():
    doc = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""

    with pytest.raises(FeedError, match="file:///etc/passwd"):
        parse_feed(doc)


def test_external_parameter_entity_is_refused(secret_file):
    dtd = secret_file.with_suffix(".dtd")
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret_file}">')
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "file://{dtd}"> %remote;]>
<rss version="2.0"><channel><title>&leak;</title></channel></rss>""".encode()

    with pytest.raises(FeedError, match="points outside the document"):
        parse_feed(doc)


def test_external_dtd_subset_is_never_loaded(secret_file):
    dtd = secret_file.with_suffix(".dtd")
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{secret_file}">')
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "file://{dtd}">
<rss version="2.0"><channel><title>t &leak; t</title>
<item><title>&leak;</title><description>&leak;</description></item></channel></rss>""".encode()

    try:
        feed = parse_feed(doc)
    except FeedError:
        return
    assert "TOPSECRET" not in repr(feed)


def test_entity_declaration_in_a_malformed_document_is_refused():
    doc = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y"> <oops]>
<rss version="2.0"><channel><title>&x;</title></channel></rss>"""

    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(doc)


@pytest.mark.parametrize(
    "doc",
    [b"", b"   ", b"this is not xml", b"<html><body><p>a web page</p></body></html>", b"<rss"],
)
def test_documents_that_are_not_feeds_raise_a_readable_error(doc):
    with pytest.raises(FeedError, match="not a readable RSS or Atom feed|empty"):
        parse_feed(doc, base_url="https://x.example/feed")


def test_parse_feed_refuses_a_string_because_feedparser_would_open_it_as_a_url():
    with pytest.raises(TypeError):
        parse_feed("file:///etc/passwd")  # type: ignore[arg-type]


def test_fetch_feed_is_conditional(server):
    @server.route("/feed.xml")
    def feed(h):
        if h.headers.get("If-None-Match") == '"rev-7"':
            respond(h, 304, content_type=None, headers={"ETag": '"rev-7"'})
        else:
            respond(
                h,
                200,
                RSS,
                "application/rss+xml; charset=utf-8",
                {"ETag": '"rev-7"', "Last-Modified": "Fri, 31 Jan 2025 13:00:00 GMT"},
            )

    policy = make_policy()
    first = fetch_feed(server.url("/feed.xml"), policy)
    second = fetch_feed(
        server.url("/feed.xml"), policy, etag=first.etag, last_modified=first.last_modified
    )

    assert first.not_modified is False
    assert first.feed is not None and len(first.feed.items) == 2
    assert first.feed.items[0].link == server.url("/2025/01/31/troops")  # relative to the feed
    assert (first.etag, first.last_modified) == ('"rev-7"', "Fri, 31 Jan 2025 13:00:00 GMT")
    assert second.not_modified is True
    assert second.feed is None
    assert (second.etag, second.last_modified) == ('"rev-7"', "Fri, 31 Jan 2025 13:00:00 GMT")
    sent = server.requests[-1].headers
    assert sent["if-none-match"] == '"rev-7"'
    assert sent["if-modified-since"] == "Fri, 31 Jan 2025 13:00:00 GMT"
    assert "application/rss+xml" in sent["accept"]


def test_fetch_feed_follows_a_moved_feed_and_resolves_links_against_it(server):
    server.routes["/old.xml"] = lambda h: respond(h, 301, headers={"Location": "/new/feed.xml"})
    server.routes["/new/feed.xml"] = lambda h: respond(
        h,
        200,
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>item/1</link></item></channel></rss>",
        "application/xml",
    )

    poll = fetch_feed(server.url("/old.xml"), make_policy())

    assert poll.final_url == server.url("/new/feed.xml")
    assert poll.feed.items[0].link == server.url("/new/item/1")


def test_fetch_feed_refuses_a_hostile_feed(server):
    server.routes["/evil.xml"] = lambda h: respond(h, 200, BILLION_LAUGHS, "application/rss+xml")

    with pytest.raises(FeedError) as caught:
        fetch_feed(server.url("/evil.xml"), make_policy())
    assert caught.value.url == server.url("/evil.xml")


def test_fetch_feed_refuses_a_wrong_content_type(server):
    server.routes["/feed.pdf"] = lambda h: respond(h, 200, b"%PDF-1.4", "application/pdf")

    with pytest.raises(BadContentType):
        fetch_feed(server.url("/feed.pdf"), make_policy())
