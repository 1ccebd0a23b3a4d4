"""Where the `arxiv` client asks (the endpoint, ARXIV_API_URL) and the HTTP session it fetches
through: time limits that hold, answers checked.

The client alone has no timeout, and turns an HTML error page or a truncated feed into zero
results without a word. This session bounds the time of each whole answer, refuses answers the
client would misread, and says what failed in words a reader can act on.
"""

from __future__ import annotations

import email.utils
import errno
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import msgspec
import requests
import urllib3
from lxml import etree

from digest.config import ConfigError
from digest.errors import DigestError, SettingsError

_ATOM = "{http://www.w3.org/2005/Atom}"
_TOTAL = "{http://a9.com/-/spec/opensearch/1.1/}totalResults"
_CHUNK_BYTES = 65536
_UNREACHABLE_ERRNOS = (errno.ENETUNREACH, errno.EHOSTUNREACH)
DEFAULT_ENDPOINT = "https://export.arxiv.org/api/query"


class FetchError(DigestError):
    """arXiv could not be read completely; the run must change nothing.

    `url` is the endpoint that was asked, `cause` the last failure in a few words.
    """

    def __init__(self, message: str, *, url: str, cause: str) -> None:
        super().__init__(message)
        self.url = url
        self.cause = cause


class ArxivUnreachableError(FetchError):
    """No answer came at all: name not resolved, connection refused, TLS failure, time-out."""


class QueryError(SettingsError):
    """arXiv rejected the query itself (HTTP 400): a config problem, not a transient one."""


class RequestFailedError(Exception):
    """One failed request. `answered`: an HTTP answer arrived; `permanent`: retrying cannot fix
    it; `retry_after`: arXiv's own hint in seconds, if it sent one."""

    def __init__(
        self,
        cause: str,
        detail: str = "",
        *,
        answered: bool,
        permanent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{cause} ({detail})" if detail else cause)
        self.cause = cause
        self.answered = answered
        self.permanent = permanent
        self.retry_after = retry_after


class Page(msgspec.Struct, frozen=True):
    """What one good answer held: its entries and the total arXiv claims for the query."""

    entries: int
    total: int


def endpoint_from_env(env: Mapping[str, str]) -> str:
    """arXiv's query endpoint, or the mirror or local server ARXIV_API_URL names."""
    url = env.get("ARXIV_API_URL", "").strip() or DEFAULT_ENDPOINT
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


def check_response(response: requests.Response) -> Page:
    """A good page, or the reason the answer cannot be trusted."""
    status = response.status_code
    if status == 400:
        raise QueryError(f"arXiv rejected the query: {_error_message(response.content)}")
    if status == 429 or status >= 500:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        raise RequestFailedError(f"HTTP {status}", answered=True, retry_after=retry_after)
    if status != 200:
        endpoint = (response.url or "").split("?", 1)[0]
        raise FetchError(
            f"arXiv answered HTTP {status} for {endpoint}; "
            "check ARXIV_API_URL (unset it to use arXiv itself)",
            url=endpoint,
            cause=f"HTTP {status}",
        )
    try:
        root = etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise RequestFailedError(
            "invalid XML", "truncated or an error page", answered=True
        ) from None
    if root.tag != f"{_ATOM}feed":
        raise RequestFailedError("not an Atom feed", "an error page?", answered=True)
    total_text = root.findtext(_TOTAL)
    if total_text is None or not total_text.strip().isdigit():
        raise RequestFailedError("no opensearch:totalResults in the feed", answered=True)
    return Page(entries=len(root.findall(f"{_ATOM}entry")), total=int(total_text))


def _error_message(content: bytes) -> str:
    """arXiv explains a bad query in the summary of a single entry titled 'Error'."""
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return "HTTP 400 (no explanation given); check the 'query' setting in config.yml"
    summary = root.findtext(f"{_ATOM}entry/{_ATOM}summary") or "HTTP 400"
    return f"{' '.join(summary.split())}; check the 'query' setting in config.yml"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header, given either as seconds or as an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
