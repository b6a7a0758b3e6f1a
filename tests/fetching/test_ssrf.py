"""Server-side request forgery: the client refuses non-public destinations BEFORE it
connects, on every redirect, whatever the spelling, and dials only what it checked.

Test names resolve through a stub; nothing here sends traffic beyond loopback (the
autouse ``loopback_only`` guard fails any test that tries)."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from workers.fetching import (
    BadScheme,
    BlockedAddress,
    ConnectError,
    InvalidURL,
    address_problem,
    fetch,
)

from .localserver import StubResolver, make_policy, respond


def strict_policy(resolver, **overrides):
    """Production rules (public addresses only) with a stubbed DNS."""
    return make_policy(allow_private_addresses=False, resolver=resolver, **overrides)


PRIVATE_ANSWERS = [
    ("127.0.0.1", "a loopback address"),
    ("127.8.9.10", "a loopback address"),
    ("10.0.0.1", "a private address"),
    ("172.16.5.4", "a private address"),
    ("192.168.1.1", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("100.64.0.1", "a carrier-grade NAT (shared) address"),
    ("0.0.0.0", "the unspecified address"),
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("255.255.255.255", "a reserved address"),
    ("192.0.2.10", "not publicly routable"),
    ("::1", "a loopback address"),
    ("::", "the unspecified address"),
    ("fe80::1", "a link-local address"),
    ("fc00::1", "a private (unique local) address"),
    ("ff02::1", "a multicast address"),
    ("::ffff:127.0.0.1", "an IPv4-mapped form of 127.0.0.1, a loopback address"),
    ("::ffff:10.0.0.1", "an IPv4-mapped form of 10.0.0.1, a private address"),
    ("::ffff:169.254.169.254", "a link-local address"),
    ("2002:7f00:1::1", "a 6to4 form of 127.0.0.1, a loopback address"),
    ("2002:a00:1::1", "a 6to4 form of 10.0.0.1, a private address"),
    ("64:ff9b::a9fe:a9fe", "a NAT64 form of 169.254.169.254, a link-local address"),
    ("::7f00:1", "reserved"),
]


@pytest.mark.parametrize(("answer", "phrase"), PRIVATE_ANSWERS)
def test_name_resolving_to_a_non_public_address_is_refused_before_connecting(
    server, loopback_only, answer, phrase
):
    server.routes["/"] = lambda h: respond(h, 200, b"secret")
    resolver = StubResolver({"victim.test": [answer]})

    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://victim.test:{server.port}/", strict_policy(resolver))

    reason = caught.value.reason
    shown = ipaddress.ip_address(answer)  # ::ffff:127.0.0.1 prints as ::ffff:7f00:1
    assert reason.startswith(f"refused: host victim.test resolves to {shown}, ")
    assert phrase in reason
    assert caught.value.transient is False
    assert server.requests == []
    assert loopback_only.addresses == []


def test_refusal_reads_well_to_a_fact_checker(server):
    resolver = StubResolver({"example.test": ["10.0.0.1"]})

    with pytest.raises(BlockedAddress) as caught:
        fetch("http://example.test/article", strict_policy(resolver))

    assert str(caught.value) == (
        "refused: host example.test resolves to 10.0.0.1, a private address; "
        "only public addresses are fetched"
    )
    assert caught.value.url == "http://example.test/article"


def test_one_private_address_among_public_ones_refuses_the_host(server, loopback_only):
    resolver = StubResolver({"mixed.test": ["93.184.216.34", "10.0.0.1"]})

    with pytest.raises(BlockedAddress, match="10.0.0.1, a private address"):
        fetch(f"http://mixed.test:{server.port}/", strict_policy(resolver))
    assert loopback_only.addresses == []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "169.254.169.254", "0.0.0.0"],
)
def test_literal_non_public_addresses_are_refused(server, loopback_only, host):
    resolver = StubResolver({})

    with pytest.raises(BlockedAddress, match="only public addresses"):
        fetch(f"http://{host}:{server.port}/", strict_policy(resolver))

    assert resolver.calls == []
    assert server.requests == []
    assert loopback_only.addresses == []


@pytest.mark.parametrize(
    ("host", "read_as"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("167772161", "10.0.0.1"),
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_non_canonical_numeric_hosts_are_refused_outright(
    server, loopback_only, host, read_as, allow_private
):
    server.routes["/"] = lambda h: respond(h, 200, b"secret")
    resolver = StubResolver({})
    policy = make_policy(allow_private_addresses=allow_private, resolver=resolver)

    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://{host}:{server.port}/", policy)

    assert f"non-canonical numeric address (the system would read it as {read_as})" in str(
        caught.value
    )
    assert resolver.calls == []
    assert server.requests == []
    assert loopback_only.addresses == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "ftp://example.test/file",
        "data:text/html,<p>hi</p>",
        "javascript:alert(1)",
        "//example.test/no-scheme",
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_only_http_and_https_are_fetched(loopback_only, url, allow_private):
    resolver = StubResolver({"example.test": ["127.0.0.1"]})

    with pytest.raises(BadScheme, match="only http and https URLs are fetched"):
        fetch(url, make_policy(allow_private_addresses=allow_private, resolver=resolver))

    assert resolver.calls == []
    assert loopback_only.addresses == []


def test_credentials_in_the_url_are_refused(server):
    with pytest.raises(InvalidURL, match="user name or password"):
        fetch(f"http://user:pw@127.0.0.1:{server.port}/", make_policy())
    assert server.requests == []


def test_multicast_and_unspecified_are_refused_even_when_private_is_allowed(server):
    resolver = StubResolver({"zero.test": ["0.0.0.0"], "multi.test": ["224.0.0.1"]})
    policy = make_policy(allow_private_addresses=True, resolver=resolver)

    for name in ("zero.test", "multi.test"):
        with pytest.raises(BlockedAddress):
            fetch(f"http://{name}:{server.port}/", policy)
    assert server.requests == []


def only_named_host_may_use_loopback(name):
    """Test-only widening: treat 127.0.0.1 as public for ``name`` alone."""

    def allow(host, ip):
        return host == name and ip == ipaddress.ip_address("127.0.0.1")

    return allow


def test_public_page_redirecting_to_a_private_address_is_refused(server, loopback_only):
    server.routes["/start"] = lambda h: respond(
        h, 302, headers={"Location": f"http://internal.test:{server.port}/secret"}
    )
    server.routes["/secret"] = lambda h: respond(h, 200, b"secret")
    resolver = StubResolver({"public.test": ["127.0.0.1"], "internal.test": ["10.0.0.1"]})
    policy = strict_policy(resolver, allow_address=only_named_host_may_use_loopback("public.test"))

    with pytest.raises(BlockedAddress) as caught:
        fetch(f"http://public.test:{server.port}/start", policy)

    assert "host internal.test resolves to 10.0.0.1, a private address" in caught.value.reason
    assert [p for p in server.paths if p != "/robots.txt"] == ["/start"]
    assert {address for address, _ in loopback_only.addresses} == {"127.0.0.1"}


def test_redirect_to_a_literal_loopback_address_is_refused(server):
    server.routes["/start"] = lambda h: respond(
        h, 301, headers={"Location": f"http://[::ffff:127.0.0.1]:{server.port}/secret"}
    )
    resolver = StubResolver({"public.test": ["127.0.0.1"]})
    policy = strict_policy(resolver, allow_address=only_named_host_may_use_loopback("public.test"))

    with pytest.raises(BlockedAddress, match="IPv4-mapped form of 127.0.0.1"):
        fetch(f"http://public.test:{server.port}/start", policy)
    assert "/secret" not in server.paths


def test_redirect_to_a_file_url_is_refused(server):
    server.routes["/start"] = lambda h: respond(h, 302, headers={"Location": "file:///etc/passwd"})

    with pytest.raises(BadScheme):
        fetch(server.url("/start"), make_policy())


def test_dns_rebinding_cannot_move_the_connection(server, loopback_only, monkeypatch):
    """The name answers "public" to our check and "private" to any later lookup: the
    client must dial the address it checked and never ask again."""
    server.routes["/robots.txt"] = lambda h: respond(
        h, 200, b"User-agent: *\nAllow: /\n", "text/plain"
    )
    server.routes["/page"] = lambda h: respond(h, 200, b"the public page")
    resolver = StubResolver({"rebind.test": [["127.0.0.1"], ["10.0.0.1"]]})
    policy = strict_policy(resolver, allow_address=only_named_host_may_use_loopback("rebind.test"))
    system_lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def watching_getaddrinfo(host, *args, **kwargs):
        system_lookups.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", watching_getaddrinfo)

    result = fetch(f"http://rebind.test:{server.port}/page", policy)

    assert result.body == b"the public page"
    assert result.address == "127.0.0.1"
    assert resolver.calls == ["rebind.test"]  # robots.txt and the page share one lookup
    assert "rebind.test" not in system_lookups  # the HTTP library never resolved it
    assert loopback_only.addresses == [("127.0.0.1", server.port)] * 2
    assert {r.headers["host"] for r in server.requests} == {f"rebind.test:{server.port}"}


def test_dns_rebinding_towards_private_on_the_first_answer_is_refused(server, loopback_only):
    resolver = StubResolver({"rebind.test": [["10.0.0.1"], ["127.0.0.1"]]})
    policy = strict_policy(resolver, allow_address=only_named_host_may_use_loopback("rebind.test"))

    with pytest.raises(BlockedAddress):
        fetch(f"http://rebind.test:{server.port}/page", policy)
    assert resolver.calls == ["rebind.test"]
    assert loopback_only.addresses == []


def test_unknown_name_is_a_permanent_connect_error(loopback_only):
    with pytest.raises(ConnectError) as caught:
        fetch("http://nowhere.test/", strict_policy(StubResolver({})))
    assert caught.value.transient is False
    assert "could not resolve nowhere.test" in caught.value.reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450::1"]
)
def test_public_addresses_pass_the_rule(address):
    assert address_problem(ipaddress.ip_address(address)) is None
