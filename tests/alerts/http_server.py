"""A real HTTP server on a local port, for tests of what the webhooks do with a receiver's
answers — the portal's HTTP client talks to it over TCP like to any integrator.

``answers`` scripts it: each request takes the next entry, a status code, or ``"stall"``
(read the request, then answer nothing until the test releases ``unstall``); once the script
is used up every request gets 200. ``received`` holds each request (headers and raw body)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpState:
    answers: list[int | str] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stalled: threading.Event = field(default_factory=threading.Event)
    unstall: threading.Event = field(default_factory=threading.Event)

    def next_answer(self) -> int | str:
        with self.lock:
            return self.answers.pop(0) if self.answers else 200


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        state = self.server.state
        with state.lock:
            state.received.append(Received(self.path, dict(self.headers.items()), body))
        answer = state.next_answer()
        if answer == "stall":
            state.stalled.set()
            state.unstall.wait(60)
            return
        assert isinstance(answer, int)
        text = b'{"ok": true}' if answer < 300 else b"receiver says no"
        self.send_response(answer)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: HttpState


@contextmanager
def http_server(tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, HttpState]]:
    """The server's base URL (http://127.0.0.1:PORT, or https://localhost:PORT with ``tls``, a
    server context) and its state."""
    server = _Server(("127.0.0.1", 0), _Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.state = HttpState()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        base = f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"
        yield base, server.state
    finally:
        server.state.unstall.set()
        server.shutdown()
        server.server_close()
