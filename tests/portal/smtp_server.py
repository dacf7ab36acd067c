"""A real SMTP server on a local port, for tests of what the outbox does with SMTP's answers.

Django's SMTP backend talks to it over TCP like to any mail server. ``replies`` scripts the
answers: each entry is consumed by one connection, e.g. ``{"MAIL": "421 4.7.0 Try again"}``;
once the script is used up every command succeeds. ``"GREETING": None`` hangs up at once;
``"DATA": "STALL"`` takes the message into ``held``, sets ``stalled`` and answers nothing until
``unstall`` (a server that got the message and never said whether it took it).
"""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class SmtpState:
    replies: list[dict[str, str | None]] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    held: list[bytes] = field(default_factory=list)
    connections: int = 0
    stalled: threading.Event = field(default_factory=threading.Event)
    unstall: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script_for_next_connection(self) -> dict[str, str | None]:
        with self.lock:
            self.connections += 1
            return self.replies.pop(0) if self.replies else {}


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        script = self.server.state.script_for_next_connection()
        greeting = script.get("GREETING", "220 localhost test SMTP")
        if greeting is None:
            return
        self.reply(greeting)
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].split(b":", 1)[0].strip().upper().decode()
            if verb in ("EHLO", "HELO"):
                self.reply(script.get("EHLO") or "250 localhost")
            elif verb in ("MAIL", "RCPT"):
                self.reply(script.get(verb) or "250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    data += chunk
                answer = script.get("DATA") or "250 OK queued"
                if answer == "STALL":
                    with self.server.state.lock:
                        self.server.state.held.append(data)
                    self.server.state.stalled.set()
                    self.server.state.unstall.wait(60)
                    return
                if answer.startswith("250"):
                    with self.server.state.lock:
                        self.server.state.received.append(data)
                self.reply(answer)
            elif verb == "RSET":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: SmtpState


@contextmanager
def smtp_server() -> Iterator[tuple[int, SmtpState]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = SmtpState()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.state
    finally:
        server.state.unstall.set()
        server.shutdown()
        server.server_close()
