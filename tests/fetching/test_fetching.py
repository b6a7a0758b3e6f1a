"""The hardened client against a real HTTP server on loopback: the happy paths and the
limits (deadline, size cap, content type, robots.txt, politeness, status handling)."""

from __future__ import annotations

import gzip
import pickle
import socket
import time
import tracemalloc
import zlib

import pytest

from workers.fetching import (
    DEFAULT_USER_AGENT,
    BadContentType,
    ConnectError,
    DeadlineExceeded,
    HTTPStatusError,
    InProcessHostRateLimiter,
    RobotsDisallowed,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    fetch,
)

from .localserver import make_policy, respond, start_server

MB = 1024 * 1024


def test_fetch_returns_body_status_headers_and_charset(server):
    @server.route("/page")
    def page(h):
        respond(
            h,
            200,
            "Ça va".encode("latin-1"),
            "text/html; charset=ISO-8859-1",
            {"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
        )

    result = fetch(server.url("/page"), make_policy())

    assert result.status == 200
    assert result.url == result.final_url == server.url("/page")
    assert result.content_type == "text/html"
    assert result.charset == "iso-8859-1"
    assert result.text == "Ça va"
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert result.headers["etag"] == '"v1"'
    assert result.not_modified is False
    assert result.redirects == []
    assert 0 < result.elapsed < 3


def test_sends_a_clear_user_agent_and_asks_only_for_encodings_it_can_bound(server):
    server.routes["/"] = lambda h: respond(h, 200, b"ok", "text/plain")

    fetch(server.url("/"), make_policy())

    (seen,) = [r for r in server.requests if r.path == "/"]
    assert seen.headers["user-agent"] == DEFAULT_USER_AGENT
    assert seen.headers["user-agent"].startswith("FactcheckBot/")
    assert seen.headers["accept-encoding"] == "gzip, deflate"
    assert seen.headers["host"] == f"127.0.0.1:{server.port}"


def test_gzip_body_is_decoded(server):
    body = b"<p>" + b"compressible " * 1000 + b"</p>"
    server.routes["/"] = lambda h: respond(
        h, 200, gzip.compress(body), headers={"Content-Encoding": "gzip"}
    )

    assert fetch(server.url("/"), make_policy()).body == body


def test_raw_deflate_body_is_decoded(server):
    body = b"deflated " * 100
    raw = zlib.compressobj(wbits=-15)
    data = raw.compress(body) + raw.flush()
    server.routes["/"] = lambda h: respond(h, 200, data, headers={"Content-Encoding": "deflate"})

    assert fetch(server.url("/"), make_policy()).body == body


def test_redirects_are_followed_and_recorded(server):
    server.routes["/old"] = lambda h: respond(h, 301, headers={"Location": "/middle"})
    server.routes["/middle"] = lambda h: respond(h, 302, headers={"Location": server.url("/new")})
    server.routes["/new"] = lambda h: respond(h, 200, b"here")

    result = fetch(server.url("/old"), make_policy(respect_robots=False))

    assert result.body == b"here"
    assert result.url == server.url("/old")
    assert result.final_url == server.url("/new")
    assert [(r.status, r.url, r.location) for r in result.redirects] == [
        (301, server.url("/old"), server.url("/middle")),
        (302, server.url("/middle"), server.url("/new")),
    ]
    assert server.paths == ["/old", "/middle", "/new"]


def test_redirects_are_bounded(server):
    for i in range(10):
        server.routes[f"/r{i}"] = lambda h, i=i: respond(h, 302, headers={"Location": f"/r{i + 1}"})

    with pytest.raises(TooManyRedirects) as caught:
        fetch(server.url("/r0"), make_policy(max_redirects=3, respect_robots=False))

    assert "more than 3 times" in caught.value.reason
    assert caught.value.transient is False
    assert server.paths == ["/r0", "/r1", "/r2", "/r3"]


def test_redirect_loop_is_refused(server):
    server.routes["/a"] = lambda h: respond(h, 302, headers={"Location": "/b"})
    server.routes["/b"] = lambda h: respond(h, 302, headers={"Location": "/a"})

    with pytest.raises(TooManyRedirects, match="loop"):
        fetch(server.url("/a"), make_policy(respect_robots=False))


def test_conditional_request_returns_not_modified(server):
    @server.route("/feed")
    def feed(h):
        if h.headers.get("If-None-Match") == '"abc"':
            respond(h, 304, content_type=None, headers={"ETag": '"abc"'})
        else:
            respond(h, 200, b"<rss/>", "application/rss+xml", {"ETag": '"abc"'})

    first = fetch(server.url("/feed"), make_policy())
    second = fetch(
        server.url("/feed"),
        make_policy(),
        etag=first.etag,
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
    )

    assert first.not_modified is False and first.body == b"<rss/>"
    assert second.not_modified is True
    assert second.status == 304
    assert second.body == b""
    assert second.etag == '"abc"'
    last = server.requests[-1]
    assert last.headers["if-none-match"] == '"abc"'
    assert last.headers["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_server_sending_one_byte_per_second_is_cut_off_at_the_deadline(server):
    @server.route("/slow")
    def slow(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.flush()
        for _ in range(20):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.5)

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as caught:
        fetch(server.url("/slow"), make_policy(read_timeout=1.0, total_deadline=1.5))
    took = time.monotonic() - started

    assert 1.4 < took < 2.5
    assert caught.value.transient is True
    assert "1.5 s deadline" in caught.value.reason


def test_server_trickling_headers_is_cut_off_at_the_deadline(server):
    @server.route("/slowheaders")
    def slow_headers(h):
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(20):
            h.wfile.write(f"X-Pad-{i}: y\r\n".encode())
            h.wfile.flush()
            time.sleep(0.3)

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        fetch(server.url("/slowheaders"), make_policy(read_timeout=1.0, total_deadline=1.2))
    assert time.monotonic() - started < 2.2


def test_silent_server_hits_the_read_timeout(server):
    @server.route("/stall")
    def stall(h):
        time.sleep(2)

    with pytest.raises(TimedOut) as caught:
        fetch(server.url("/stall"), make_policy(read_timeout=0.3, total_deadline=3))

    assert not isinstance(caught.value, DeadlineExceeded)
    assert caught.value.transient is True


def _stream(h, total: int, chunk: bytes, content_type: str = "text/plain") -> None:
    h.send_response(200)
    h.send_header("Content-Type", content_type)
    h.end_headers()  # no Content-Length: read until close
    h.close_connection = True
    sent = 0
    while sent < total:
        h.wfile.write(chunk)
        sent += len(chunk)


def test_fifty_megabyte_body_is_cut_off_at_the_cap_with_flat_memory(server):
    server.routes["/big"] = lambda h: _stream(h, 50 * MB, b"x" * 65536)

    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as caught:
            fetch(server.url("/big"), make_policy(max_bytes=5 * MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "5 MB limit" in caught.value.reason
    assert caught.value.transient is False
    assert peak < 12 * MB


def test_declared_oversized_body_is_refused_before_reading(server):
    @server.route("/declared")
    def declared(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Length", str(50 * MB))
        h.end_headers()
        time.sleep(2)  # would hit the deadline if the client tried to read

    started = time.monotonic()
    with pytest.raises(TooLarge):
        fetch(server.url("/declared"), make_policy(max_bytes=MB))
    assert time.monotonic() - started < 1


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 200 KB of gzip that expands to 200 MB of zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MB)
    parts = [compressor.compress(zeros) for _ in range(200)]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_gzip_bomb_is_cut_off_at_the_decoded_cap_with_flat_memory(server, gzip_bomb):
    assert len(gzip_bomb) < MB
    server.routes["/bomb"] = lambda h: respond(
        h, 200, gzip_bomb, "text/html", {"Content-Encoding": "gzip"}
    )

    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            fetch(server.url("/bomb"), make_policy(max_bytes=5 * MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 12 * MB


def test_endless_chunked_body_is_cut_off_at_the_cap(server):
    @server.route("/endless")
    def endless(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b"y" * 8192
        while True:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    with pytest.raises(TooLarge):
        fetch(server.url("/endless"), make_policy(max_bytes=MB))


def test_wrong_content_type_is_refused_before_the_body_is_read(server):
    server.routes["/image"] = lambda h: _stream(h, 50 * MB, b"\x89PNG" * 16384, "image/png")

    started = time.monotonic()
    with pytest.raises(BadContentType) as caught:
        fetch(server.url("/image"), make_policy())

    assert time.monotonic() - started < 1
    assert "image/png" in caught.value.reason
    assert caught.value.transient is False


def test_missing_content_type_is_refused(server):
    server.routes["/untyped"] = lambda h: respond(h, 200, b"what am I", content_type=None)

    with pytest.raises(BadContentType, match="no content type"):
        fetch(server.url("/untyped"), make_policy())


def test_robots_txt_disallow_is_honoured_and_cached(server):
    server.routes["/robots.txt"] = lambda h: respond(
        h,
        200,
        b"User-agent: *\nDisallow: /\n\nUser-agent: FactcheckBot\nDisallow: /private\n",
        "text/plain",
    )
    server.routes["/public"] = lambda h: respond(h, 200, b"fine")
    policy = make_policy()

    with pytest.raises(RobotsDisallowed) as caught:
        fetch(server.url("/private/page"), policy)
    assert fetch(server.url("/public"), policy).body == b"fine"

    assert "robots.txt asks FactcheckBot not to fetch" in caught.value.reason
    assert caught.value.transient is False
    assert server.paths == ["/robots.txt", "/public"]


def test_robots_txt_checked_again_after_a_redirect(server):
    server.routes["/robots.txt"] = lambda h: respond(
        h, 200, b"User-agent: *\nDisallow: /private\n", "text/plain"
    )
    server.routes["/go"] = lambda h: respond(h, 302, headers={"Location": "/private/x"})

    with pytest.raises(RobotsDisallowed):
        fetch(server.url("/go"), make_policy())
    assert "/private/x" not in server.paths


def test_unreachable_robots_txt_means_not_yet(server):
    server.routes["/robots.txt"] = lambda h: respond(h, 503, b"down", "text/plain")

    with pytest.raises(RobotsDisallowed) as caught:
        fetch(server.url("/page"), make_policy())

    assert caught.value.transient is True
    assert "/page" not in server.paths


def test_politeness_interval_between_requests_to_one_host(server):
    server.routes["/"] = lambda h: respond(h, 200, b"ok")
    policy = make_policy(per_host_interval=0.4, respect_robots=False)

    for _ in range(3):
        fetch(server.url("/"), policy)

    times = [r.at for r in server.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2
    assert all(gap >= 0.35 for gap in gaps), gaps


def test_politeness_wait_that_would_pass_the_deadline_gives_up(server):
    server.routes["/"] = lambda h: respond(h, 200, b"ok")
    limiter = InProcessHostRateLimiter()
    policy = make_policy(
        per_host_interval=10, total_deadline=0.5, respect_robots=False, rate_limiter=limiter
    )
    fetch(server.url("/"), policy)

    with pytest.raises(DeadlineExceeded, match="waiting our turn"):
        fetch(server.url("/"), policy)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("status", "transient"),
    [(500, True), (502, True), (503, True), (429, True), (404, False), (403, False), (410, False)],
)
def test_server_errors_are_transient_and_client_errors_permanent(server, status, transient):
    server.routes["/x"] = lambda h: respond(h, status, b"nope", headers={"Retry-After": "120"})

    with pytest.raises(HTTPStatusError) as caught:
        fetch(server.url("/x"), make_policy())

    assert caught.value.status == status
    assert caught.value.transient is transient
    assert caught.value.retry_after == 120
    assert f"HTTP {status}" in caught.value.reason


def test_connection_refused_is_a_transient_connect_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(ConnectError) as caught:
        fetch(f"http://127.0.0.1:{port}/", make_policy())
    assert caught.value.transient is True
    assert "could not connect to 127.0.0.1" in caught.value.reason


def test_ipv6_loopback_server_when_private_addresses_are_allowed():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        srv, state = start_server("::1")
    except OSError:
        pytest.skip("cannot bind ::1 on this machine")
    try:
        state.routes["/"] = lambda h: respond(h, 200, b"six")
        result = fetch(state.url("/"), make_policy())
        assert result.body == b"six"
        assert state.requests[-1].headers["host"] == f"[::1]:{state.port}"
    finally:
        srv.shutdown()
        srv.server_close()


def test_fetch_errors_survive_pickling_for_celery():
    error = HTTPStatusError("the server had a server error", "http://x.test/", True, status=503)

    copy = pickle.loads(pickle.dumps(error))

    assert (copy.reason, copy.url, copy.transient, copy.status) == (
        "the server had a server error",
        "http://x.test/",
        True,
        503,
    )
    assert str(copy) == "the server had a server error"
    assert TooLarge(*TooLarge("too big", "http://x.test/").args).transient is False
