"""The one hardened HTTP client that every untrusted URL goes through.

This module owns outbound HTTP for the workers: article URLs a newsroom submits,
sources a reviewer attaches to a claim, RSS/Atom feeds, and their robots.txt. None
of those URLs is trusted, so every request here:

* accepts only ``http`` and ``https`` URLs without credentials in them;
* resolves the host name ONCE, refuses it unless every address is public (no
  loopback, private, link-local, carrier-grade NAT, multicast, reserved or
  unspecified address, also when hidden inside IPv4-mapped, 6to4, Teredo or NAT64
  IPv6 forms), and then dials exactly the address it checked. The HTTP library never
  looks the name up again: the Host header, TLS SNI and certificate check still use
  the original name. A name that answers "public" to the check and "private" to a
  second lookup (DNS rebinding) therefore cannot steer the connection;
* refuses numeric hosts in any non-canonical spelling (``2130706433``,
  ``0x7f000001``, ``0177.0.0.1``, ``127.1``): the OS would read them as addresses
  that a string check would miss;
* follows a bounded number of redirects by hand, each hop checked like the first;
* applies connect and read timeouts and a total deadline to every socket operation
  (a server that trickles one byte per second is cut off at the deadline);
* checks the Content-Type against an allow-list before reading the body, then
  streams and decodes the body itself with a cap on the DECODED size, so a 50 MB
  body, a gzip bomb or an endless chunked stream stop at the cap with flat memory;
* waits a minimum interval between requests to one host (in-process limiter, with a
  hook for a shared one), and honours robots.txt for our user agent, fetched
  through this same path and cached per host.

It is plain Python (no Django): configuration comes in as a :class:`FetchPolicy`.
Errors are :class:`FetchError` subclasses whose ``reason`` reads well to a
fact-checker and whose ``transient`` flag tells a Celery task whether to retry.

Built on ``httpcore`` (the engine under httpx) through its public
``network_backend`` hook: our backend ignores the host name httpcore asks for and
dials the validated address, while httpcore still does TLS with
``server_hostname`` set to the original name.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import ipaddress
import re
import socket
import ssl
import threading
import time
import typing
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

__all__ = [
    "DEFAULT_CONTENT_TYPES",
    "DEFAULT_USER_AGENT",
    "BadContentType",
    "BadScheme",
    "BlockedAddress",
    "ConnectError",
    "DeadlineExceeded",
    "FetchError",
    "FetchPolicy",
    "FetchResult",
    "HTTPStatusError",
    "HostRateLimiter",
    "InProcessHostRateLimiter",
    "InvalidURL",
    "NetworkError",
    "Redirect",
    "RobotsCache",
    "RobotsDisallowed",
    "TimedOut",
    "TooLarge",
    "TooManyRedirects",
    "address_problem",
    "fetch",
    "post",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_USER_AGENT = (
    "FactcheckBot/0.1 (+https://github.com/factcheck/factcheck; fact-check workflow service)"
)

DEFAULT_CONTENT_TYPES: tuple[str, ...] = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/json",
    "application/feed+json",
)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# RFC 9309: crawlers must parse at least the first 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
# Size of each decompression step: bounds memory above the cap whatever the ratio.
_DECODE_STEP = 64 * 1024


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """A fetch that did not produce a usable response.

    ``reason`` is written for a human fact-checker; ``transient`` says whether trying
    again later may succeed (so a task retries with backoff) or not (record and stop).
    """

    default_transient = False

    def __init__(self, reason: str, url: str = "", transient: bool | None = None) -> None:
        self.reason = reason
        self.url = url
        self.transient = self.default_transient if transient is None else transient
        # Full args, so the error survives pickling and Celery's JSON serialisation.
        super().__init__(reason, url, self.transient)

    def __reduce__(self) -> tuple[typing.Any, ...]:
        return (type(self), (self.reason, self.url, self.transient), self.__dict__)

    def __str__(self) -> str:
        return self.reason

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.reason!r}, url={self.url!r}, transient={self.transient})"
        )


class InvalidURL(FetchError):
    """The URL cannot be parsed, or carries credentials."""


class BadScheme(InvalidURL):
    """Only http and https are fetched (no file://, gopher://, ftp://, data:...)."""


class BlockedAddress(FetchError):
    """The host is, or resolves to, an address that is not public."""


class TooLarge(FetchError):
    """The body (after decompression) is larger than the policy allows."""


class TimedOut(FetchError):
    """The server went quiet for longer than the read timeout."""

    default_transient = True


class DeadlineExceeded(TimedOut):
    """The whole fetch (redirects, robots.txt, waiting, body) ran past its deadline."""


class BadContentType(FetchError):
    """The server says the body is of a type we do not read."""


class TooManyRedirects(FetchError):
    """More redirects than the policy allows, or a redirect loop."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks our user agent not to fetch this URL."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (5xx, 429 and 408 are transient)."""

    def __init__(
        self,
        reason: str,
        url: str = "",
        transient: bool | None = None,
        *,
        status: int = 0,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, url, transient)
        self.status = status
        self.retry_after = retry_after


class NetworkError(FetchError):
    """The connection failed part-way (reset, malformed HTTP)."""

    default_transient = True


class ConnectError(NetworkError):
    """Could not resolve or connect to the host (or the TLS handshake failed)."""


# --------------------------------------------------------------------------- policy


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system, returning unique IP strings."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in seen:
            seen.append(ip)
    return seen


class HostRateLimiter(typing.Protocol):
    """Politeness between requests to one host; a Redis-backed one can be plugged in."""

    def acquire(self, host: str, interval: float, timeout: float) -> bool:
        """Block until a request to ``host`` may start, at most ``timeout`` seconds.

        Return False (without taking a slot) when the wait would exceed ``timeout``.
        """
        ...


class InProcessHostRateLimiter:
    """Minimum interval between request starts per host, within this process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def acquire(self, host: str, interval: float, timeout: float) -> bool:
        if interval <= 0:
            return True
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(host, now))
            wait = slot - now
            if wait > timeout:
                return False
            # Reserve the slot before sleeping so concurrent callers queue behind it.
            self._next_slot[host] = slot + interval
            if len(self._next_slot) > 10_000:
                self._next_slot = {h: t for h, t in self._next_slot.items() if t > now}
        if wait > 0:
            time.sleep(wait)
        return True


class RobotsCache:
    """robots.txt rules per origin, kept for ``ttl`` seconds (thread-safe)."""

    def __init__(self, ttl: float = 3600.0, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}

    _MISSING = object()

    def get(self, origin: str) -> typing.Any:
        """The cached parser, None for "allow everything", or RobotsCache._MISSING."""
        with self._lock:
            entry = self._entries.get(origin)
            if entry is None or entry[0] < time.monotonic():
                return self._MISSING
            return entry[1]

    def put(self, origin: str, rules: urllib.robotparser.RobotFileParser | None) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                now = time.monotonic()
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
            self._entries[origin] = (time.monotonic() + self.ttl, rules)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_DEFAULT_LIMITER = InProcessHostRateLimiter()
_DEFAULT_ROBOTS_CACHE = RobotsCache()


@dataclass(frozen=True)
class FetchPolicy:
    """How carefully to fetch. Build one from Django settings; tests build their own."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_deadline: float = 30.0
    # Cap on the DECODED body; the raw (possibly compressed) bytes are capped too.
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allowed_content_types: tuple[str, ...] = DEFAULT_CONTENT_TYPES
    user_agent: str = DEFAULT_USER_AGENT
    # Only tests and the local demo set this. Scheme, credentials, numeric-host
    # spelling, multicast and unspecified addresses are still refused.
    allow_private_addresses: bool = False
    # Widens the address rule for named exceptions: called with (host, address) for
    # an address the rule refuses; True lets it through. Tests use it to make a
    # name resolving to 127.0.0.1 count as "public" for that one name.
    allow_address: Callable[[str, IPAddress], bool] | None = None
    per_host_interval: float = 1.0
    respect_robots: bool = True
    resolver: Resolver = system_resolver
    rate_limiter: HostRateLimiter = _DEFAULT_LIMITER
    robots_cache: RobotsCache = _DEFAULT_ROBOTS_CACHE
    # None: the system trust store (certifi when installed). Tests pass their own CA.
    ssl_context: ssl.SSLContext | None = None


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Redirect:
    status: int
    url: str
    location: str


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    headers: dict[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    redirects: list[Redirect] = field(default_factory=list)
    elapsed: float = 0.0
    # The IP address actually dialled for the final response (for the audit trail).
    address: str | None = None

    @property
    def text(self) -> str:
        """The body as text, decoded with the declared charset (UTF-8 otherwise)."""
        encoding = self.charset or "utf-8"
        try:
            return self.body.decode(encoding, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- addresses

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPAT = ipaddress.ip_network("::/96")
_ULA = ipaddress.ip_network("fc00::/7")


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address, as a phrase ("a private address"), or None."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            inner = address_problem(ip.ipv4_mapped)
            return f"an IPv4-mapped form of {ip.ipv4_mapped}, {inner}" if inner else None
        if ip in _NAT64:
            v4 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            inner = address_problem(v4)
            return f"a NAT64 form of {v4}, {inner}" if inner else None
        if ip.sixtofour is not None:
            inner = address_problem(ip.sixtofour)
            if inner:
                return f"a 6to4 form of {ip.sixtofour}, {inner}"
        if ip.teredo is not None:
            server, client = ip.teredo
            for v4 in (client, server):
                inner = address_problem(v4)
                if inner:
                    return f"a Teredo form of {v4}, {inner}"
        if ip.is_unspecified:
            return "the unspecified address"
        if ip.is_loopback:
            return "a loopback address"
        if ip.is_link_local:
            return "a link-local address"
        if ip.is_site_local:
            return "a site-local address"
        if ip.is_multicast:
            return "a multicast address"
        if ip in _IPV4_COMPAT:
            return "a reserved (IPv4-compatible) address"
        if ip in _ULA:
            return "a private (unique local) address"
        if ip.is_reserved:
            return "a reserved address"
        if not ip.is_global:
            return "a special-purpose address that is not publicly routable"
        return None
    if ip in _THIS_NETWORK:
        return "the unspecified address" if int(ip) == 0 else "a 'this network' address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip in _CGNAT:
        return "a carrier-grade NAT (shared) address"
    if ip.is_multicast:
        return "a multicast address"
    if ip == ipaddress.IPv4Address("255.255.255.255") or ip.is_reserved:
        return "a reserved address"
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"):
        if ip in ipaddress.ip_network(net):
            return "a private address"
    if not ip.is_global:
        return "a special-purpose address that is not publicly routable"
    return None


def _never_dialable(ip: IPAddress) -> bool:
    """Addresses refused even when private addresses are allowed."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_unspecified or ip.is_multicast or ip in _THIS_NETWORK


_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


def _numeric_host_problem(host: str) -> str | None:
    """Refuse numeric hosts the OS would read as an address in a non-canonical form.

    Follows the URL standard: a host whose last label is a number is an IPv4 address;
    only the canonical dotted quad is accepted.
    """
    if ":" in host:  # IPv6 literal, parsed strictly by ipaddress later
        return None
    labels = host.rstrip(".").split(".")
    if not labels or not _NUMERIC_LABEL.match(labels[-1]):
        return None
    try:
        ipaddress.IPv4Address(host)
        return None
    except ValueError:
        pass
    try:
        read_as = socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
        return (
            f"refused: host {host} is a non-canonical numeric address "
            f"(the system would read it as {read_as})"
        )
    except OSError:
        return f"refused: host {host} looks numeric but is not a valid IPv4 address"


# --------------------------------------------------------------------------- transport


class _DeadlineStream(httpcore.NetworkStream):
    """Clips every socket timeout to what is left of the total deadline."""

    def __init__(self, inner: httpcore.NetworkStream, call: _Call) -> None:
        self._inner = inner
        self._call = call

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._call.clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._call.clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        # server_hostname is the ORIGINAL host name (httpcore passes origin.host), so
        # SNI and certificate verification are for the name even though we dialled
        # an address.
        inner = self._inner.start_tls(
            ssl_context, server_hostname, self._call.clip(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner, self._call)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Dials only the addresses validated for the expected host; never resolves."""

    def __init__(self, host: str, port: int, addresses: list[str], call: _Call) -> None:
        self._host = host
        self._port = port
        self._addresses = addresses
        self._call = call
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        if host != self._host or port != self._port:
            raise httpcore.ConnectError(f"no validated address for {host}:{port}")
        last: Exception | None = None
        for address in self._addresses:
            try:
                stream = self._sync.connect_tcp(
                    address,
                    port,
                    timeout=self._call.clip(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                last = exc
                continue
            self._call.dialled = address
            return _DeadlineStream(stream, self._call)
        raise last or httpcore.ConnectError("no address to connect to")

    def connect_unix_socket(self, *args: typing.Any, **kwargs: typing.Any) -> typing.NoReturn:
        raise httpcore.ConnectError("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


_RESOLVER_POOL = concurrent.futures.ThreadPoolExecutor(
    max_workers=8, thread_name_prefix="fetch-dns"
)


def _default_ssl_context() -> ssl.SSLContext:
    try:
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with httpx
        return ssl.create_default_context()


_SSL_CONTEXT: ssl.SSLContext | None = None


def _ssl_context(policy: FetchPolicy) -> ssl.SSLContext:
    global _SSL_CONTEXT
    if policy.ssl_context is not None:
        return policy.ssl_context
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = _default_ssl_context()
    return _SSL_CONTEXT


# --------------------------------------------------------------------------- a call


@dataclass
class _Target:
    url: httpx.URL
    host: str  # ASCII (IDNA) host, lower case, no brackets
    port: int
    addresses: list[str]


class _Call:
    """State of one fetch() call: its deadline and the addresses it has validated."""

    def __init__(self, policy: FetchPolicy, start_url: str) -> None:
        self.policy = policy
        self.start_url = start_url
        self.started = time.monotonic()
        self.deadline = self.started + policy.total_deadline
        # Each host is resolved once per call, so robots.txt and the page agree.
        self.resolved: dict[tuple[str, int], list[str]] = {}
        self.dialled: str | None = None
        self.clipped_by_deadline = False

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def clip(self, timeout: float | None, exc: type[Exception]) -> float:
        remaining = self.remaining()
        if remaining <= 0:
            self.clipped_by_deadline = True
            raise exc("total deadline reached")
        if timeout is None or remaining < timeout:
            self.clipped_by_deadline = True
            return remaining
        self.clipped_by_deadline = False
        return timeout

    def check_deadline(self, url: str) -> None:
        if self.remaining() <= 0:
            raise self.deadline_error(url)

    def deadline_error(self, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"gave up: fetching {url} took longer than the "
            f"{self.policy.total_deadline:g} s deadline",
            url,
        )

    # -- checks -------------------------------------------------------------

    def target(self, url: str) -> _Target:
        """Check a URL and its host, resolving the host once. Raises before any I/O."""
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            raise InvalidURL(f"refused: {url!r} is not a valid URL ({exc})", url) from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            shown = f"{scheme}://" if scheme else "no scheme"
            raise BadScheme(
                f"refused: only http and https URLs are fetched, not {shown} ({url})", url
            )
        try:
            raw_host = parts.hostname or ""
        except ValueError:
            raw_host = ""
        if raw_host and (problem := _numeric_host_problem(raw_host)):
            raise BlockedAddress(problem, url)
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise InvalidURL(f"refused: {url!r} is not a valid URL ({exc})", url) from None
        if parsed.scheme not in ("http", "https"):
            raise BadScheme(
                f"refused: only http and https URLs are fetched, not {parsed.scheme}:// ({url})",
                url,
            )
        if parsed.userinfo:
            raise InvalidURL(f"refused: the URL {url} carries a user name or password", url)
        host = parsed.raw_host.decode("ascii").lower()
        if not host:
            raise InvalidURL(f"refused: the URL {url} has no host", url)
        if problem := _numeric_host_problem(host):
            raise BlockedAddress(problem, url)
        port = parsed.port or (443 if scheme == "https" else 80)
        return _Target(parsed, host, port, self._addresses(host, port, url))

    def _addresses(self, host: str, port: int, url: str) -> list[str]:
        key = (host, port)
        if key in self.resolved:
            return self.resolved[key]
        if "%" in host:
            raise BlockedAddress(f"refused: host {host} is a scoped (link-local) address", url)
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            strings = [str(literal)]
        else:
            strings = self._resolve(host, port, url)
        addresses: list[IPAddress] = []
        for text in strings:
            try:
                addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
            except ValueError:
                raise ConnectError(
                    f"could not resolve {host}: the resolver returned {text!r}", url, False
                ) from None
        for ip in addresses:
            self._check_address(host, ip, url, literal is not None)
        validated = [str(ip) for ip in addresses]
        self.resolved[key] = validated
        return validated

    def _resolve(self, host: str, port: int, url: str) -> list[str]:
        timeout = min(self.policy.connect_timeout, self.remaining())
        if timeout <= 0:
            raise self.deadline_error(url)
        future = _RESOLVER_POOL.submit(self.policy.resolver, host, port)
        try:
            found = list(future.result(timeout=timeout))
        except concurrent.futures.TimeoutError:
            raise ConnectError(f"could not resolve {host} within {timeout:.1f} s", url) from None
        except socket.gaierror as exc:
            permanent = exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5))
            raise ConnectError(
                f"could not resolve {host}: {exc.strerror or exc}", url, not permanent
            ) from None
        except OSError as exc:
            raise ConnectError(f"could not resolve {host}: {exc}", url) from None
        if not found:
            raise ConnectError(f"could not resolve {host}: no addresses", url)
        return found

    def _check_address(self, host: str, ip: IPAddress, url: str, literal: bool) -> None:
        if _never_dialable(ip):
            problem = address_problem(ip) or "not a unicast address"
            raise BlockedAddress(self._phrase(host, ip, problem, literal), url)
        if self.policy.allow_private_addresses:
            return
        problem = address_problem(ip)
        if problem is None:
            return
        if self.policy.allow_address is not None and self.policy.allow_address(host, ip):
            return
        raise BlockedAddress(self._phrase(host, ip, problem, literal), url)

    @staticmethod
    def _phrase(host: str, ip: IPAddress, problem: str, literal: bool) -> str:
        if literal:
            return f"refused: {host} is {problem}; only public addresses are fetched"
        return (
            f"refused: host {host} resolves to {ip}, {problem}; only public addresses are fetched"
        )


# --------------------------------------------------------------------------- fetch


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
) -> FetchResult:
    """GET an untrusted URL under ``policy``; see the module docstring for the rules.

    Sends If-None-Match / If-Modified-Since when ``etag`` / ``last_modified`` are
    given; a 304 answer comes back as ``FetchResult(not_modified=True, body=b"")``.
    Raises a :class:`FetchError` subclass for everything else that is not a 2xx.
    """
    call = _Call(policy, url)
    return _fetch(
        call,
        url,
        etag=etag,
        last_modified=last_modified,
        accept=accept,
        content_types=policy.allowed_content_types,
        max_bytes=policy.max_bytes,
        robots=policy.respect_robots,
    )


def post(
    url: str,
    policy: FetchPolicy,
    *,
    body: bytes,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> FetchResult:
    """POST ``body`` to an untrusted URL (webhook deliveries) under the same address rules.

    Redirects are not followed (a redirected POST is an error to the sender), robots.txt
    does not apply (nothing is crawled), and any response content type is accepted.
    """
    call = _Call(dataclasses.replace(policy, max_redirects=0), url)
    extra = [(b"Content-Type", content_type.encode("latin-1"))]
    extra += [(b"Content-Length", str(len(body)).encode("ascii"))]
    extra += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return _fetch(
        call,
        url,
        etag=None,
        last_modified=None,
        accept="*/*",
        content_types=None,
        max_bytes=policy.max_bytes,
        robots=False,
        method="POST",
        content=body,
        extra_headers=extra,
    )


def _fetch(
    call: _Call,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    accept: str | None,
    content_types: tuple[str, ...] | None,
    max_bytes: int,
    robots: bool,
    method: str = "GET",
    content: bytes | None = None,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
) -> FetchResult:
    policy = call.policy
    redirects: list[Redirect] = []
    seen: set[str] = set()
    current = url
    while True:
        call.check_deadline(current)
        target = call.target(current)
        current = str(target.url)
        seen.add(current)
        if robots:
            _check_robots(call, target, current)
        _wait_politely(call, target, current)
        headers = _request_headers(policy, target, etag, last_modified, accept, content_types)
        headers += extra_headers or []
        pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(policy),
            max_connections=1,
            max_keepalive_connections=0,
            network_backend=_PinnedBackend(target.host, target.port, target.addresses, call),
        )
        try:
            with pool, _mapped_errors(call, current, target.host):
                response_url = httpcore.URL(
                    scheme=target.url.raw_scheme,
                    host=target.host.encode("ascii"),
                    port=target.port,
                    target=target.url.raw_path,
                )
                timeouts = {
                    "connect": policy.connect_timeout,
                    "read": policy.read_timeout,
                    "write": policy.read_timeout,
                    "pool": max(call.remaining(), 0.001),
                }
                with pool.stream(
                    method,
                    response_url,
                    headers=headers,
                    content=content,
                    extensions={"timeout": timeouts},
                ) as response:
                    status = response.status
                    resp_headers = _header_dict(response.headers)
                    if status in REDIRECT_STATUSES:
                        location = resp_headers.get("location")
                        if not location:
                            raise HTTPStatusError(
                                f"the server at {current} answered {status} (a redirect) "
                                "without saying where to",
                                current,
                                False,
                                status=status,
                            )
                        try:
                            next_url = str(target.url.join(location.strip()))
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise InvalidURL(
                                f"refused: {current} redirects to an invalid URL "
                                f"{location!r} ({exc})",
                                current,
                            ) from None
                        redirects.append(Redirect(status, current, next_url))
                        if len(redirects) > policy.max_redirects:
                            raise TooManyRedirects(
                                f"gave up: {url} redirected more than {policy.max_redirects} times",
                                url,
                            )
                        if next_url in seen:
                            raise TooManyRedirects(
                                f"gave up: {url} redirects in a loop (back to {next_url})",
                                url,
                            )
                        current = next_url
                        continue
                    common = dict(
                        url=url,
                        final_url=current,
                        status=status,
                        headers=resp_headers,
                        etag=resp_headers.get("etag"),
                        last_modified=resp_headers.get("last-modified"),
                        redirects=redirects,
                        address=call.dialled,
                    )
                    if status == 304:
                        return FetchResult(
                            content_type="",
                            charset=None,
                            body=b"",
                            not_modified=True,
                            elapsed=time.monotonic() - call.started,
                            **common,
                        )
                    if not 200 <= status < 300:
                        raise _status_error(status, current, resp_headers)
                    media_type, charset = _parse_content_type(resp_headers.get("content-type"))
                    if content_types is not None and media_type not in content_types:
                        shown = media_type or "no content type"
                        raise BadContentType(
                            f"refused: {current} is {shown}, not a type we read "
                            f"({', '.join(content_types)})",
                            current,
                        )
                    body = _read_body(call, response, resp_headers, current, max_bytes)
                    return FetchResult(
                        content_type=media_type,
                        charset=charset,
                        body=body,
                        elapsed=time.monotonic() - call.started,
                        **common,
                    )
        finally:
            pool.close()


def _request_headers(
    policy: FetchPolicy,
    target: _Target,
    etag: str | None,
    last_modified: str | None,
    accept: str | None,
    content_types: tuple[str, ...] | None,
) -> list[tuple[bytes, bytes]]:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default_port = 443 if target.url.scheme == "https" else 80
    if target.port != default_port:
        host = f"{host}:{target.port}"
    if accept is None:
        accept = ", ".join(content_types) if content_types else "*/*"
    headers = [
        (b"Host", host.encode("ascii")),
        (b"User-Agent", policy.user_agent.encode("ascii", "replace")),
        (b"Accept", accept.encode("latin-1", "replace")),
        (b"Accept-Encoding", b"gzip, deflate"),
        (b"Connection", b"close"),
    ]
    if etag:
        headers.append((b"If-None-Match", etag.encode("latin-1", "replace")))
    if last_modified:
        headers.append((b"If-Modified-Since", last_modified.encode("latin-1", "replace")))
    return headers


def _header_dict(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("'\"").lower() or None
    return media_type.strip().lower(), charset


def _status_error(status: int, url: str, headers: dict[str, str]) -> HTTPStatusError:
    transient = status >= 500 or status in (408, 429)
    retry_after = None
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        retry_after = float(value)
    if status == 429:
        what = "is rate-limiting us (HTTP 429)"
    elif status >= 500:
        what = f"had a server error (HTTP {status})"
    elif status == 404:
        what = "says the page does not exist (HTTP 404)"
    elif status == 410:
        what = "says the page is gone (HTTP 410)"
    elif status in (401, 403):
        what = f"refused access (HTTP {status})"
    else:
        what = f"answered HTTP {status}"
    retry = "; will retry later" if transient else ""
    return HTTPStatusError(
        f"the server at {url} {what}{retry}", url, transient, status=status, retry_after=retry_after
    )


class _mapped_errors:
    """Turn httpcore exceptions into readable FetchErrors."""

    def __init__(self, call: _Call, url: str, host: str) -> None:
        self.call = call
        self.url = url
        self.host = host

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: typing.Any, exc: BaseException | None, tb: typing.Any) -> bool:
        if exc is None or isinstance(exc, FetchError):
            return False
        call, url, host = self.call, self.url, self.host
        if isinstance(exc, httpcore.TimeoutException):
            if call.clipped_by_deadline or call.remaining() <= 0:
                raise call.deadline_error(url) from None
            if isinstance(exc, httpcore.ConnectTimeout):
                raise ConnectError(
                    f"could not connect to {host} within {call.policy.connect_timeout:g} s",
                    url,
                ) from None
            raise TimedOut(
                f"gave up: {host} sent nothing for {call.policy.read_timeout:g} s", url
            ) from None
        if isinstance(exc, httpcore.ConnectError):
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in str(exc):
                raise ConnectError(
                    f"refused: the TLS certificate of {host} could not be verified "
                    f"({getattr(cause, 'verify_message', None) or exc})",
                    url,
                    False,
                ) from None
            raise ConnectError(f"could not connect to {host}: {exc}", url) from None
        if isinstance(exc, (httpcore.NetworkError, httpcore.ProtocolError)):
            raise NetworkError(f"the connection to {host} failed: {exc}", url) from None
        if isinstance(exc, httpcore.UnsupportedProtocol):
            raise BadScheme(f"refused: {url} uses an unsupported protocol", url) from None
        return False


def _read_body(
    call: _Call,
    response: httpcore.Response,
    headers: dict[str, str],
    url: str,
    max_bytes: int,
) -> bytes:
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        decoder: _Decoder | None = None
    elif encoding in ("gzip", "x-gzip"):
        decoder = _Decoder(zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        decoder = _Decoder(zlib.MAX_WBITS, raw_fallback=True)
    else:
        raise NetworkError(
            f"the server at {url} sent an unsupported content encoding {encoding!r}",
            url,
            False,
        )
    too_large = TooLarge(f"refused: {url} is larger than the {_size(max_bytes)} limit", url)
    declared = headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    parts: list[bytes] = []
    raw_total = 0
    total = 0
    stream = typing.cast(Iterable[bytes], response.stream)
    for chunk in stream:
        call.check_deadline(url)
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise too_large
        pieces = [chunk] if decoder is None else decoder.feed(chunk, url)
        for piece in pieces:
            total += len(piece)
            if total > max_bytes:
                raise too_large
            parts.append(piece)
    if decoder is not None:
        tail = decoder.flush()
        total += len(tail)
        if total > max_bytes:
            raise too_large
        parts.append(tail)
    return b"".join(parts)


class _Decoder:
    """Incremental zlib/gzip decoding in bounded steps (a bomb cannot balloon memory)."""

    def __init__(self, wbits: int, raw_fallback: bool = False) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def feed(self, data: bytes, url: str) -> Iterator[bytes]:
        try:
            while data:
                out = self._obj.decompress(data, _DECODE_STEP)
                self._started = True
                if out:
                    yield out
                data = self._obj.unconsumed_tail
        except zlib.error as exc:
            if self._raw_fallback and not self._started:
                # Some servers send raw deflate without the zlib header.
                self._raw_fallback = False
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                yield from self.feed(data, url)
                return
            raise NetworkError(
                f"the server at {url} sent a corrupt compressed body ({exc})", url, False
            ) from None

    def flush(self) -> bytes:
        try:
            return self._obj.flush(_DECODE_STEP)
        except zlib.error:
            return b""


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


# --------------------------------------------------------------------------- politeness


def _wait_politely(call: _Call, target: _Target, url: str) -> None:
    interval = call.policy.per_host_interval
    if interval <= 0:
        return
    remaining = call.remaining()
    if remaining <= 0 or not call.policy.rate_limiter.acquire(target.host, interval, remaining):
        raise DeadlineExceeded(
            f"gave up: waiting our turn for {target.host} (at most one request every "
            f"{interval:g} s) would pass the {call.policy.total_deadline:g} s deadline",
            url,
        )


# --------------------------------------------------------------------------- robots.txt


def _check_robots(call: _Call, target: _Target, url: str) -> None:
    policy = call.policy
    origin = f"{target.url.scheme}://{target.host}:{target.port}"
    rules = policy.robots_cache.get(origin)
    if rules is RobotsCache._MISSING:
        rules = _load_robots(call, target, origin)
    if rules is None:
        return
    agent = policy.user_agent.split("/", 1)[0].strip() or policy.user_agent
    if not rules.can_fetch(agent, url):
        raise RobotsDisallowed(
            f"not fetched: {target.host}/robots.txt asks {agent} not to fetch {url}", url
        )


def _load_robots(
    call: _Call, target: _Target, origin: str
) -> urllib.robotparser.RobotFileParser | None:
    host = f"[{target.host}]" if ":" in target.host else target.host
    robots_url = f"{target.url.scheme}://{host}:{target.port}/robots.txt"
    try:
        result = _fetch(
            call,
            robots_url,
            etag=None,
            last_modified=None,
            accept="text/plain",
            content_types=None,
            max_bytes=ROBOTS_MAX_BYTES,
            robots=False,
        )
    except HTTPStatusError as exc:
        if not exc.transient:
            # RFC 9309: an unavailable (4xx) robots.txt means no restrictions.
            call.policy.robots_cache.put(origin, None)
            return None
        # RFC 9309: an unreachable (5xx) robots.txt means "disallow everything" for now.
        raise RobotsDisallowed(
            f"not fetched yet: {target.host}/robots.txt is unreachable (HTTP {exc.status}); "
            "will retry later",
            call.start_url,
            True,
        ) from None
    except TooLarge:
        call.policy.robots_cache.put(origin, None)
        return None
    parser = urllib.robotparser.RobotFileParser(robots_url)
    parser.parse(result.text.splitlines())
    call.policy.robots_cache.put(origin, parser)
    return parser
