"""Test helpers: a real threaded HTTP server on loopback, a test policy, a DNS stub."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from workers.fetching import FetchPolicy, InProcessHostRateLimiter, RobotsCache

Handler = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class LocalServer:
    host: str
    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def route(self, path: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.routes[path] = fn
            return fn

        return register


def respond(
    h: http.server.BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(body)


def start_server(host: str = "127.0.0.1", wrap: Callable | None = None) -> tuple:
    state = LocalServer(host)

    class RequestHandler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            state.requests.append(
                Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            )
            handler = state.routes.get(path)
            try:
                if handler is None:
                    respond(self, 404, b"not found", "text/plain")
                else:
                    handler(self)
            except (BrokenPipeError, ConnectionResetError, TimeoutError, OSError):
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        daemon_threads = True
        block_on_close = False

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    server = Server((host, 0), RequestHandler)
    if wrap is not None:
        server.socket = wrap(server.socket)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, state


def make_policy(**overrides: object) -> FetchPolicy:
    """A fast policy for tests: short timeouts, fresh limiter and robots cache."""
    settings: dict[str, object] = dict(
        connect_timeout=1.0,
        read_timeout=2.0,
        total_deadline=3.0,
        per_host_interval=0.0,
        allow_private_addresses=True,
        rate_limiter=InProcessHostRateLimiter(),
        robots_cache=RobotsCache(),
    )
    settings.update(overrides)
    return FetchPolicy(**settings)  # type: ignore[arg-type]


class StubResolver:
    """DNS for test names: a fixed answer, or a sequence of answers per lookup."""

    def __init__(self, answers: dict[str, list[str] | list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        answer = self.answers.get(host)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer and isinstance(answer[0], list):
            index = min(self.calls.count(host) - 1, len(answer) - 1)
            return list(answer[index])  # type: ignore[arg-type]
        return list(answer)  # type: ignore[arg-type]
