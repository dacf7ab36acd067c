"""The portal served by gunicorn, and a small HTTP client for it (the standard library's)."""

from __future__ import annotations

import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: Message

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Streamed:
    """A long answer read as it arrives, never held whole: its size, lines and timing."""

    status: int
    size: int
    lines: int
    first_byte: float
    seconds: float


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """One browser (its own cookies) or one API caller (a bearer token)."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.jar = CookieJar()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Answer:
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers={**self.headers, **(headers or {})}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=600) as response:
                data = response.read()
                status, answer_headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            data = error.read()
            status, answer_headers = error.code, error.headers
        return Answer(status, data, time.perf_counter() - started, answer_headers)

    def stream(
        self,
        path: str,
        each_chunk: Callable[[int], None] | None = None,
        chunk_size: int = 1 << 20,
    ) -> Streamed:
        """GET ``path`` and read its body a chunk at a time, counting lines (each ends in "\\n",
        after a "\\r" from csv.writer or none from PostgreSQL's COPY; the benchmark's names hold
        no line breaks); ``each_chunk`` is called with the lines so far after each."""
        request = urllib.request.Request(self.base + path, headers=self.headers)
        started = time.perf_counter()
        first_byte = math.nan
        size = lines = 0
        try:
            response = self.opener.open(request, timeout=600)
        except urllib.error.HTTPError as error:
            error.read()
            return Streamed(error.code, 0, 0, math.nan, time.perf_counter() - started)
        with response:
            while chunk := response.read1(chunk_size):
                if not size:
                    first_byte = time.perf_counter() - started
                size += len(chunk)
                lines += chunk.count(b"\n")
                if each_chunk is not None:
                    each_chunk(lines)
            return Streamed(response.status, size, lines, first_byte, time.perf_counter() - started)

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.request("GET", path, headers=headers)

    def post_json(self, path: str, body: bytes) -> Answer:
        return self.request("POST", path, body, {"Content-Type": "application/json"})

    def sign_in(self, path: str, email: str, password: str) -> None:
        """Through the sign-in form, as a person would: the session is then in the cookies."""
        page = self.get(path)
        match = CSRF_FIELD.search(page.body)
        if page.status != 200 or match is None:
            raise CommandError(f"No sign-in form at {path} (HTTP {page.status}).")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": email,
                "password": password,
            }
        ).encode()
        answer = self.request(
            "POST",
            path,
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path},
        )
        if answer.status != 302:
            raise CommandError(f"Signing in {email} at {path} failed (HTTP {answer.status}).")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the portal on a free localhost port: development settings with DEBUG
    off, the benchmark's anchors on, the same database and signing key as this process."""

    def __init__(self, workers: int):
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_ENV": "development",
            "DEBUG": "0",
            "BENCH_ANCHORS": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_BASE_URL": self.base,
            # WhiteNoise's note that nothing was collected: no static file is requested here.
            "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
        }
        command = [
            sys.executable, "-m", "gunicorn", "portal.wsgi",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            # The slow pages this benchmark exists to show take seconds at a million customers.
            "--timeout", "600",
            "--graceful-timeout", "5",
            "--log-level", "warning",
            "--error-logfile", str(self.log),
        ]  # fmt: skip
        # The workers' own output (Django logs a 500's traceback there) goes to the log too.
        self.output = self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        probe = Client(self.base)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn exited at start:\n{self.tail()}")
            try:
                if probe.get("/login/").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise CommandError(f"gunicorn did not answer within 90 s:\n{self.tail()}")

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if hasattr(self, "output"):
            self.output.close()

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the processes whose parent is its master."""
        if self.process is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                # "pid (command) state ppid …": the command may hold spaces, not ")".
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def errors(self) -> list[str]:
        """The server's error lines (a traceback's last line each), for the report."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return []
        return [
            line
            for line in text.splitlines()
            if line.startswith(("Internal Server Error", "django.", "psycopg.")) or "Error:" in line
        ]


def memory_mb(pid: int) -> dict[str, float]:
    """A process's resident set now (VmRSS) and at its peak so far (VmHWM), in MB."""
    found = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _colon, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found[name] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU time so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime: fields 14 and 15 of proc(5), 12 and 13 after "(command)".
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
