"""Reading articles from text, HTML and JSON, and refusing bad input with a named field."""

from __future__ import annotations

import json

import pytest

from analysis.extraction import ArticleError, read_article

HTML_PAGE = """<!doctype html>
<html><head>
<title>Bridge closure extended | Riverside Courier</title>
<meta property="og:site_name" content="Riverside Courier">
<meta name="author" content="Ana Lopes">
<meta property="article:published_time" content="2025-02-10T08:30:00+01:00">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Bridge closure extended by three months</h1>
<p>The Old Mill bridge will stay closed until the end of May, the city council said on Monday, after inspectors found cracks in two of its four supporting piers.</p>
<p>About 14,000 vehicles crossed the bridge every day before it was closed in November, according to the council's transport department.</p>
<p>Repairs are expected to cost up to 2.4 million euros, council officials said.</p>
</article>
<footer>Copyright 2025 Riverside Courier. All rights reserved.</footer>
</body></html>"""


def test_html_is_read_with_trafilatura_main_text_and_metadata():
    a = read_article(HTML_PAGE, url="https://courier.example/bridge")
    assert "14,000 vehicles" in a.body
    assert "Copyright" not in a.body and "Home" not in a.body.split("\n")[0]
    assert a.title.startswith("Bridge closure extended")
    assert a.byline == "Ana Lopes"
    assert a.outlet == "Riverside Courier"
    assert a.published_at.isoformat() == "2025-02-10T08:30:00+01:00"
    assert a.url == "https://courier.example/bridge"


def test_json_article_is_read_with_its_fields():
    raw = json.dumps(
        {
            "title": "T",
            "byline": "B",
            "outlet": "O",
            "url": "https://o.example/a",
            "published_at": "2025-01-31T09:25:00Z",
            "body": "The council said 40 people were evacuated on Monday.",
        }
    )
    a = read_article(raw)
    assert (a.title, a.byline, a.outlet, a.url) == ("T", "B", "O", "https://o.example/a")
    assert a.published_at.isoformat() == "2025-01-31T09:25:00+00:00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "x"}, "body"),
        ({"body": ""}, "body"),
        ({"body": 42}, "body"),
        (
            {"body": "Some text here that is long enough.", "published_at": "31st of Smarch"},
            "published_at",
        ),
        ({"body": "Some text here that is long enough.", "published_at": 20250131}, "published_at"),
        ({"body": "Some text here that is long enough.", "url": "javascript:alert(1)"}, "url"),
        ({"body": "Some text here that is long enough.", "title": ["a"]}, "title"),
    ],
)
def test_json_errors_name_the_field(payload, field):
    with pytest.raises(ArticleError) as exc:
        read_article(json.dumps(payload), fmt="json")
    assert exc.value.field == field
    assert exc.value.message
    assert isinstance(exc.value, ValueError)


def test_malformed_json_is_a_body_error():
    with pytest.raises(ArticleError) as exc:
        read_article('{"body": "unterminated', fmt="json")
    assert exc.value.field == "body"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("text\x00with NUL", "binary"),
        ("\x01\x02\x03\x04\x05\x06\x07\x08" * 100, "binary"),
        ("caf\xe9 au lait is popular in Paris, officials said.".encode("latin-1"), "UTF-8"),
        ("Trending Now\n\nPhoto: Reuters\n\nAdvertisement\n", "boilerplate"),
    ],
)
def test_bad_input_is_refused_with_a_clear_reason(raw, reason):
    with pytest.raises(ArticleError) as exc:
        read_article(raw)
    assert exc.value.field == "body"
    assert reason.lower() in exc.value.message.lower()


@pytest.mark.parametrize(
    "url",
    ["not a url", "ftp://example.com/a", "http://", "https://exa mple.com/", "http://h:99999/"],
)
def test_malformed_url_is_refused(url):
    with pytest.raises(ArticleError) as exc:
        read_article("The council said 40 people were evacuated on Monday.", url=url)
    assert exc.value.field == "url"


def test_unknown_format_is_refused():
    with pytest.raises(ArticleError) as exc:
        read_article("text", fmt="pdf")
    assert exc.value.field == "format"


def test_plain_text_without_header_keeps_the_whole_body():
    text = "The council said 40 people were evacuated on Monday after the river burst its banks."
    a = read_article(text, fmt="text")
    assert a.body == text and a.title == "" and a.published_at is None


def test_utf8_bom_and_crlf_are_normalised():
    a = read_article(
        "\ufeffTitle line here\r\n\r\nBy Jo Bloggs\r\n\r\nThe council said 40 people were evacuated.\r\n".encode()
    )
    assert a.title == "Title line here" and a.byline == "Jo Bloggs"
    assert "\r" not in a.body
