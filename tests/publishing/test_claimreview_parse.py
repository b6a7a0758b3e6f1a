"""Reading ClaimReview: every accepted format, and hostile JSON-LD (the </script>
breakout, huge, nested, wrong types). Plain Python: no database."""

from __future__ import annotations

import json

import pytest

from analysis.claimreview import (
    MAX_DEPTH,
    ClaimReviewError,
    parse_document,
    parse_factcheck_tools,
)
from tests.publishing.conftest import claim_review

ONE = claim_review("https://fc.example/one", "The moon is made of cheese.")
TWO = claim_review("https://fc.example/two", "Water boils at 50 degrees.", rating="Mostly false")


def _page(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<!doctype html><html><head><title>A check</title>{scripts}</head><body>x</body></html>"


def test_an_html_page_with_claimreview_and_other_json_ld():
    org = json.dumps({"@type": "Organization", "name": "A newsroom"})
    graph = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, TWO]})
    doc = parse_document(_page(org, json.dumps(ONE), graph))
    assert doc.format == "html"
    assert [i.review_url for i in doc.items] == ["https://fc.example/one", "https://fc.example/two"]
    assert doc.skipped == []  # the Organization is not a fact-check, and not an error
    one = doc.items[0]
    assert (one.publisher, one.rating_text, one.rating_value, one.best_rating) == (
        "PolitiFact",
        "False",
        1.0,
        5.0,
    )
    assert one.review_date.isoformat() == "2024-05-01"
    assert one.claimant == "A politician"
    assert one.appearances == [{"url": "https://news.example/where", "headline": ""}]


def test_a_datafeed_of_datafeeditems_as_data_commons_publishes_it():
    feed = {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [ONE]},
            {"@type": "DataFeedItem", "item": TWO},
            {"@type": "DataFeedItem", "item": []},
        ],
    }
    doc = parse_document(json.dumps(feed))
    assert doc.format == "datafeed" and len(doc.items) == 2
    assert [str(s) for s in doc.skipped] == [
        "item 3: the DataFeedItem holds no ClaimReview in its item"
    ]


def test_an_array_an_object_and_json_lines():
    assert parse_document(json.dumps([ONE, TWO])).format == "array"
    assert len(parse_document(json.dumps(ONE)).items) == 1
    lines = json.dumps(ONE) + "\n\nnot json\n" + json.dumps(TWO) + "\n"
    doc = parse_document(lines)
    assert doc.format == "jsonl" and len(doc.items) == 2
    assert doc.skipped[0].position == "line 3" and "not JSON" in doc.skipped[0].reason


def test_schema_org_types_are_read_in_every_spelling():
    spelled = [
        {**ONE, "@type": "schema:ClaimReview", "url": "https://fc.example/a"},
        {**ONE, "@type": "http://schema.org/ClaimReview", "url": "https://fc.example/b"},
        {**ONE, "@type": ["CreativeWork", "ClaimReview"], "url": "https://fc.example/c"},
    ]
    assert len(parse_document(json.dumps(spelled)).items) == 3


def test_the_script_breakout_ends_the_block_and_nothing_after_it_is_read():
    # In HTML a script ends at the first </script>, whatever the JSON says: the block is
    # cut short (invalid JSON, skipped) and the <script> that follows is not JSON-LD.
    hostile = json.dumps(ONE)[:-1] + ', "x": "</script><script>alert(1)</script>"}'
    doc = parse_document(_page(hostile, json.dumps(TWO)))
    assert [i.review_url for i in doc.items] == ["https://fc.example/two"]
    assert doc.skipped[0].position == "block 1"
    assert "not valid JSON" in doc.skipped[0].reason


def test_escaped_markup_inside_json_ld_is_kept_as_text():
    sneaky = {**ONE, "claimReviewed": "<\\/script><img src=x onerror=alert(1)> is safe?"}
    text = json.dumps(sneaky).replace("<\\\\/script>", "<\\/script>")
    doc = parse_document(_page(text))
    assert doc.items[0].claim_reviewed == "</script><img src=x onerror=alert(1)> is safe?"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"claimReviewed": ["a", "list"]}, "claimReviewed is a list, not text"),
        ({"claimReviewed": 42}, "claimReviewed is a number, not text"),
        ({"claimReviewed": "   "}, "claimReviewed is empty"),
        ({"url": 7}, "url is a number, not a URL"),
        ({"url": "javascript:alert(1)"}, "is not an http(s) URL"),
        ({"url": None, "@id": None}, "no review URL"),
        ({"reviewRating": "False"}, "reviewRating is a string, not an object"),
        ({"reviewRating": {"ratingValue": "abc"}}, "is 'abc', not a number"),
        ({"reviewRating": {"ratingValue": True}}, "boolean, not a number"),
        ({"reviewRating": {"@type": "Rating"}}, "neither a name"),
        ({"reviewRating": None}, "no reviewRating"),
        ({"author": {"name": {"nested": "object"}}}, "author.name is an object, not text"),
        ({"claimReviewed": "x" * 6000}, "limit is 5,000"),
    ],
)
def test_wrong_types_skip_the_item_with_its_reason(change, reason):
    bad = {**ONE, **change}
    doc = parse_document(json.dumps([bad, TWO]))
    assert [i.review_url for i in doc.items] == ["https://fc.example/two"]
    assert doc.skipped[0].position == "item 1"
    assert reason in doc.skipped[0].reason


def test_a_huge_item_is_skipped_and_the_rest_are_read():
    huge = {**ONE, "reviewBody": "words " * 20_000}  # 120 KB of JSON-LD
    doc = parse_document(json.dumps([huge, TWO]))
    assert len(doc.items) == 1 and "bytes of JSON-LD; the limit is" in doc.skipped[0].reason


def test_nesting_too_deep_for_the_reader_refuses_the_document():
    with pytest.raises(ClaimReviewError, match="nested too deeply"):
        parse_document("[" * 100_000 + "]" * 100_000)


def test_a_claimreview_buried_deeper_than_the_search_is_reported_not_read():
    buried: dict = ONE
    for _ in range(MAX_DEPTH + 2):
        buried = {"@type": "Thing", "about": buried}
    doc = parse_document(json.dumps([buried, TWO]))
    assert len(doc.items) == 1
    assert "nested deeper than" in doc.skipped[0].reason


def test_an_item_nested_too_deeply_inside_is_skipped():
    deep: dict = {"x": 1}
    for _ in range(40):
        deep = {"y": deep}
    doc = parse_document(json.dumps([{**ONE, "mentions": deep}, TWO]))
    assert len(doc.items) == 1 and "nested deeper than 32 levels" in doc.skipped[0].reason


def test_nul_and_lone_surrogates_are_replaced_everywhere():
    text = json.dumps({**ONE, "claimReviewed": "a\u0000b", "\u0000key": "\ud800"})
    item = parse_document(text).items[0]
    assert item.claim_reviewed == "a\ufffdb"
    assert "\ufffdkey" in item.raw and item.raw["\ufffdkey"] == "\ufffd"


@pytest.mark.parametrize("text", ["", "   ", "42", '"a string"', "{not json", "<html></html>"])
def test_documents_that_hold_nothing_readable(text):
    if text.startswith("<"):
        doc = parse_document(text)  # a page with no JSON-LD: nothing to import, no error
        assert doc.items == [] and doc.skipped == []
        return
    with pytest.raises(ClaimReviewError):
        parse_document(text)


def test_a_fact_check_tools_page():
    page = {
        "claims": [
            {
                "text": "The moon is made of cheese.",
                "claimant": "A blog",
                "claimDate": "2024-04-30T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "PolitiFact", "site": "politifact.com"},
                        "url": "https://politifact.example/moon",
                        "title": "No, the moon is rock",
                        "reviewDate": "2024-05-01T00:00:00Z",
                        "textualRating": "False",
                        "languageCode": "en",
                    },
                    {"publisher": {"name": "X"}, "url": "https://x.example/1"},  # no rating
                ],
            },
            "not a claim",
        ],
        "nextPageToken": "CAE",
    }
    doc = parse_factcheck_tools(page)
    assert doc.next_page_token == "CAE"
    (item,) = doc.items
    assert (item.publisher, item.rating_text, item.language, item.claimant) == (
        "PolitiFact",
        "False",
        "en",
        "A blog",
    )
    assert item.publisher_url == "https://politifact.com"
    assert [str(s) for s in doc.skipped] == [
        "claim 1 review 2: the review has no textualRating",
        "claim 2: a string, not a claim object",
    ]
