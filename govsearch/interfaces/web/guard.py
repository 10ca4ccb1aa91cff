"""What stands in front of the web app, before any route runs.

- RequestGuard (ASGI middleware): refuses uploads (the app takes none: Gradio's upload route would store any
  file and serve it back), refuses request bodies over MAX_BODY_BYTES with 413 before they are read, and
  slows down a client that keeps sending wrong passwords (429 with Retry-After, doubling after each failure).
- HeaderTimeoutProtocol: the HTTP protocol uvicorn runs, with a limit on how long a client may take to send
  a request's headers (a connection that trickles them is closed), which uvicorn itself does not have.
"""
from __future__ import annotations

import json
import os
import threading
import time

from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_BODY_BYTES = 64 * 1024  # a search, compare or ask request is a few hundred bytes; Gradio's own are a few kB
HEADER_TIMEOUT = float(os.environ.get("GOVSEARCH_HEADER_TIMEOUT", "10"))  # seconds to send a request's headers
FREE_FAILURES = 3  # wrong passwords a client may send before it is slowed down
MAX_LOCKOUT = 300.0  # seconds
FORGET_AFTER = 3600.0  # a client's failures are forgotten after this long without one


class RequestGuard:
    def __init__(self, app, max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body = max_body
        self._failures: dict[str, tuple[int, float]] = {}  # client host → (failures, time of the last)
        self._lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("?", 0))[0]
        if scope["method"] in ("POST", "PUT") and scope["path"].rstrip("/").endswith("/upload"):
            return await _answer(send, 403, {"error": "this app takes no uploads"})
        if (wait := self._locked_out(client)) > 0:
            return await _answer(send, 429, {"error": "too many wrong passwords; try again later"},
                                 [(b"retry-after", str(int(wait) + 1).encode())])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await self._too_large(send)
        if scope["method"] in ("POST", "PUT", "PATCH"):
            body = await _read_body(receive, self.max_body)
            if body is None:  # a chunked body that grew past the limit
                return await self._too_large(send)
            receive = _replay(body, receive)
        status = 0

        async def watched_send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched_send)
        # only requests that carry a password count: Gradio's login form (a wrong one answers 400 or 401) and
        # the JSON routes' Basic credentials (401); a first request without any, as a browser makes, is not a
        # guess, and a page fetched between guesses does not reset the count
        login = scope["path"].rstrip("/").endswith("/login")
        if login or b"authorization" in dict(scope["headers"]):
            self._record(client, failed=status in ((400, 401) if login else (401,)), succeeded=200 <= status < 300)

    async def _too_large(self, send) -> None:
        await _answer(send, 413, {"error": f"the request body is over the {self.max_body // 1024} kB limit"})

    def _locked_out(self, client: str) -> float:
        with self._lock:
            failures, last = self._failures.get(client, (0, 0.0))
            if failures <= FREE_FAILURES:
                return 0.0
            return last + min(MAX_LOCKOUT, 2.0 ** (failures - FREE_FAILURES)) - time.monotonic()

    def _record(self, client: str, failed: bool, succeeded: bool) -> None:
        with self._lock:
            now = time.monotonic()
            self._failures = {c: (n, t) for c, (n, t) in self._failures.items() if now - t < FORGET_AFTER}
            if failed:
                failures, _ = self._failures.get(client, (0, 0.0))
                self._failures[client] = (failures + 1, now)
            elif succeeded and client in self._failures:
                del self._failures[client]


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it passes `limit` bytes (the rest is never read)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > limit:
            return None
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    """A receive callable that hands the app the body already read, then listens for the disconnect."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replayed


async def _answer(send, status: int, body: dict, headers: list | None = None) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers have not all arrived in
    HEADER_TIMEOUT seconds (a slow-header client would otherwise hold the connection for ever)."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._header_timer = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and self._header_timer is None:
            self._arm()
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before and self._header_timer is not None:  # the headers are in
            self._header_timer.cancel()
            self._header_timer = None

    def connection_lost(self, exc) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._too_slow)

    def _too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()
