"""Where the `arxiv` client asks (the endpoint, ARXIV_API_URL) and the HTTP session it fetches
through: time limits that hold, answers checked (digest.fetch.answer).

The client alone has no timeout. This session bounds the time of each whole answer, refuses
answers the client would misread, and says what failed in words a reader can act on.
"""

from __future__ import annotations

import errno
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from digest.config.settings import ConfigError
from digest.fetch.answer import Page, RequestFailedError, check_response

_CHUNK_BYTES = 65536
_UNREACHABLE_ERRNOS = (errno.ENETUNREACH, errno.EHOSTUNREACH)
DEFAULT_ENDPOINT = "https://export.arxiv.org/api/query"


def endpoint_from_env(env: Mapping[str, str]) -> str:
    """arXiv's query endpoint, or the mirror or local server ARXIV_API_URL names."""
    url = env.get("ARXIV_API_URL", "").strip() or DEFAULT_ENDPOINT
    if "@" in url:  # user:pass@ would reach every warning and error message
        raise ConfigError(
            f"ARXIV_API_URL must be the URL of a query endpoint such as {DEFAULT_ENDPOINT}, "
            "without a user name or password: remove the 'user:password@' part (not shown here)"
        )
    problem = _url_problem(url)
    if problem:
        raise ConfigError(
            f"ARXIV_API_URL must be the full http(s) URL of a query endpoint such as "
            f"{DEFAULT_ENDPOINT}, got {url!r} ({problem}); fix it or unset it"
        )
    return url


def _url_problem(url: str) -> str:
    try:
        parsed = urlsplit(url)
        parsed.port  # noqa: B018 (parses the port: ValueError when not a number in 0-65535)
    except ValueError as error:
        return str(error)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return "no http(s) scheme or host"
    if any(char.isspace() for char in url):
        return "it contains a space"
    if parsed.query or parsed.fragment or url.endswith(("?", "#")):
        return "it has a query or fragment; give the endpoint alone"
    return ""


class CheckedSession(requests.Session):
    """A session whose every answer, body included, ends within `timeout_seconds`, and whose
    answers are checked before the client sees them. It counts its requests."""

    def __init__(self, timeout_seconds: float) -> None:
        super().__init__()
        self.timeout_seconds = timeout_seconds
        self.last_page: Page | None = None
        self.requests = 0
        self.last_good = time.monotonic()

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        self.requests += 1
        self.last_page = None
        deadline = time.monotonic() + self.timeout_seconds
        kwargs["timeout"] = self.timeout_seconds
        kwargs["stream"] = True  # read the body ourselves, against the deadline
        try:
            response = self._headers_by(deadline, method, url, *args, **kwargs)
        except requests.RequestException as error:
            raise connection_failure(error, self.timeout_seconds) from error
        with response:
            # requests has no public way to hand a streamed response its body; .content reads this
            response._content = _read_body(response, deadline, self.timeout_seconds)
        self.last_page = check_response(response)
        self.last_good = time.monotonic()
        return response

    def _headers_by(
        self, deadline: float, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Send the request and wait for the status line and headers until `deadline` at most.

        requests bounds each socket read only, so headers sent a byte at a time could hold a
        run for hours: the request runs in a daemon thread that is abandoned at the deadline
        (its connection then ends with the server or the next read time-out; nothing reuses it).
        """
        outcome: dict[str, Any] = {}

        def send() -> None:
            try:
                outcome["response"] = requests.Session.request(self, method, url, *args, **kwargs)
            except BaseException as error:
                outcome["error"] = error

        worker = threading.Thread(target=send, name="arxiv-request", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            raise RequestFailedError(
                "time-out", f"no complete answer within {self.timeout_seconds:g} s", answered=True
            )
        if "error" in outcome:
            raise outcome["error"]
        response: requests.Response = outcome["response"]
        return response


def _read_body(response: requests.Response, deadline: float, timeout: float) -> bytes:
    """The whole body, or a time-out once `deadline` passes, however slowly bytes trickle in.

    requests' own timeout bounds each socket read, not the answer: a few bytes a second pass it.
    """
    body = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RequestFailedError(
                "time-out", f"no complete answer within {timeout:g} s", answered=True
            )
        _limit_socket_wait(response.raw, left)
        try:
            # read1 returns what one socket read gives; read(n) would wait for n bytes
            chunk = response.raw.read1(_CHUNK_BYTES, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError:
            raise RequestFailedError(
                "time-out", f"no complete answer within {timeout:g} s", answered=True
            ) from None
        except (urllib3.exceptions.HTTPError, OSError):
            raise RequestFailedError(
                "connection lost", "the answer broke off", answered=True
            ) from None
        if not chunk:
            return bytes(body)
        body += chunk


def _limit_socket_wait(raw: urllib3.HTTPResponse, seconds: float) -> None:
    """Make the next socket read give up at the deadline, not one whole timeout later."""
    sock = getattr(raw.connection, "sock", None)  # urllib3 keeps the connection while streaming
    if sock is not None:
        sock.settimeout(seconds)


def connection_failure(error: requests.RequestException, timeout: float) -> RequestFailedError:
    """Name what stopped a request before any answer, and whether retrying can help."""
    causes = list(_causes(error))
    if isinstance(error, requests.Timeout) or _has(causes, socket.timeout):
        return RequestFailedError("time-out", f"no answer within {timeout:g} s", answered=False)
    if _has(causes, socket.gaierror, urllib3.exceptions.NameResolutionError):
        return RequestFailedError("name not resolved", answered=False, permanent=True)
    if _has(causes, ConnectionRefusedError):
        return RequestFailedError("connection refused", answered=False, permanent=True)
    if any(isinstance(c, OSError) and c.errno in _UNREACHABLE_ERRNOS for c in causes):
        return RequestFailedError("network unreachable", answered=False, permanent=True)
    if _has(causes, ssl.SSLCertVerificationError):
        return RequestFailedError("TLS", "certificate not accepted", answered=False, permanent=True)
    if isinstance(error, requests.exceptions.SSLError) or _has(causes, ssl.SSLError):
        return RequestFailedError("TLS", "handshake failed", answered=False)
    if isinstance(error, requests.ConnectionError):
        return RequestFailedError("connection failed", "closed without an answer", answered=False)
    return RequestFailedError(
        "request failed", type(error).__name__, answered=False, permanent=True
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error and everything it wraps: requests and urllib3 nest the socket error deep."""
    pending, seen = [error], set[int]()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        reason = getattr(current, "reason", None)
        wrapped = [*current.args, reason, current.__cause__, current.__context__]
        pending += [item for item in wrapped if isinstance(item, BaseException)]


def _has(causes: list[BaseException], *kinds: type[BaseException]) -> bool:
    return any(isinstance(cause, kinds) for cause in causes)
