"""A PyGithub client with bounded waits, and logs that never show the token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from github import Auth, Consts, Github, GithubRetry
from github.GithubException import RateLimitExceededExceedsMaxWait
from urllib3.exceptions import InvalidHeader

from digest.publish.github.errors import scrub

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse

_PYGITHUB_LOGGERS = ("github.Requester", "github.GithubRetry", "urllib3.connectionpool")


@dataclass(frozen=True)
class ClientSettings:
    """How long to wait and how often to retry; PyGithub's defaults can wait for an hour."""

    timeout_seconds: int = 30
    retries: int = 3
    backoff_factor: float = 1.0
    max_rate_limit_wait: int = 120
    throttle: bool = True


class _CappedRetry(GithubRetry):
    """GithubRetry that will not sleep on a Retry-After longer than max_rate_limit_wait.

    PyGithub 2.10's GithubRetry caps only the waits it derives from rate-limit bodies; urllib3's
    Retry.sleep_for_retry obeys any Retry-After (up to hours). A daily bot should rather fail fast.
    """

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Retry-After in seconds, or None (the retry's own backoff) when it cannot be read:
        urllib3 raises InvalidHeader for "²" or "-5", which ended as a network failure."""
        try:
            return super().get_retry_after(response)
        except (InvalidHeader, ValueError, OverflowError):
            return None

    def sleep_for_retry(self, response: BaseHTTPResponse) -> bool:
        wait = self.get_retry_after(response)
        cap = self.max_rate_limit_wait
        if wait is not None and cap is not None and wait > cap:
            headers = {key: str(value) for key, value in response.headers.items()}
            raise RateLimitExceededExceedsMaxWait(response.status, None, headers, wait=wait)
        return super().sleep_for_retry(response)


class _Redact(logging.Filter):
    """Replace the token in PyGithub's and urllib3's log records (they may echo server text)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        scrubbed = scrub(text, self._secret)
        if scrubbed != text:
            record.msg, record.args = scrubbed, None
        return True


def make_client(api_url: str, token: str, settings: ClientSettings) -> Github:
    """A client whose retries and waits are bounded by `settings`."""
    retry = _CappedRetry(
        total=settings.retries,
        backoff_factor=settings.backoff_factor,
        max_rate_limit_wait=settings.max_rate_limit_wait,
    )
    throttle = settings.throttle
    return Github(
        auth=Auth.Token(token),
        base_url=api_url,
        lazy=True,  # get_repo sends no request: a missing repository shows on the first call
        timeout=max(1, int(settings.timeout_seconds)),  # PyGithub 2.10 asserts an int
        retry=retry,
        seconds_between_requests=Consts.DEFAULT_SECONDS_BETWEEN_REQUESTS if throttle else None,
        seconds_between_writes=Consts.DEFAULT_SECONDS_BETWEEN_WRITES if throttle else None,
    )


@contextmanager
def redacted_logs(token: str) -> Iterator[None]:
    """Scrub the token from the HTTP libraries' log records while we publish."""
    redact = _Redact(token)
    loggers = [logging.getLogger(name) for name in _PYGITHUB_LOGGERS]
    for logger in loggers:
        logger.addFilter(redact)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(redact)


class _RequestCounter(logging.Filter):
    """Counts the requests PyGithub sends. Nothing in PyGithub 2.10 counts them, but its
    Requester logs every answered request once at DEBUG with this format (Requester.__log);
    those records are counted and dropped here, so nothing prints them."""

    FORMAT = "%s %s://%s%s %s %s ==> %i %s %s"

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == self.FORMAT:
            self.count += 1
        return record.levelno > logging.DEBUG


@contextmanager
def counted_requests() -> Iterator[_RequestCounter]:
    """Count PyGithub's requests while the block runs (the count stays readable after it)."""
    logger = logging.getLogger("github.Requester")
    counter = _RequestCounter()
    level = logger.level
    logger.addFilter(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.setLevel(level)
        logger.removeFilter(counter)
