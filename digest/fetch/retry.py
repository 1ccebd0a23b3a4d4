"""Retry failed arXiv requests within a time budget, and say what failed and what comes next.

arXiv fails often (503 and slow answers around announcements, 429 from shared addresses), so
transient failures are retried with doubling waits until the budget is spent; failures retrying
cannot fix (an unknown name, a refused connection) get one quick second try.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import arxiv
import msgspec

from digest.config.settings import ArxivSettings
from digest.fetch.answer import ArxivUnreachableError, FetchError, RequestFailedError
from digest.fetch.session import CheckedSession

MAX_BACKOFF_SECONDS = 300.0
QUICK_TRIES = 2
QUICK_RETRY_SECONDS = 5.0

log = logging.getLogger(__name__)


class Retrier(msgspec.Struct):
    """The failures' toll over one fetch: `spent` counts seconds of failed answers and waits,
    so with nothing but failures the fetch ends within timeout + retry budget."""

    settings: ArxivSettings
    endpoint: str
    session: CheckedSession
    sleep: Callable[[float], None]
    first_run: bool
    failures: int = 0
    quick_failures: int = 0
    spent: float = 0.0

    def run(self, action: Callable[[], None]) -> None:
        """Call `action` until it succeeds; it must resume where a failed call stopped."""
        while True:
            started = time.monotonic()
            try:
                action()
                return
            except RequestFailedError as error:
                failure = error
            except arxiv.UnexpectedEmptyPageError:
                failure = RequestFailedError(
                    "empty page", "in the middle of the results", answered=True
                )
            self.spent += time.monotonic() - max(started, self.session.last_good)
            wait = self._next_wait(failure)
            self.sleep(wait)
            self.spent += wait

    def _next_wait(self, failure: RequestFailedError) -> float:
        """Doubling waits, never shorter than what arXiv asked for or its delay between
        requests (the client does not count failed requests); or the final error."""
        settings = self.settings
        self.failures += 1
        growing = min(settings.backoff_seconds * 2.0 ** (self.failures - 1), MAX_BACKOFF_SECONDS)
        wait = max(growing, failure.retry_after or 0.0, settings.delay_seconds)
        if failure.permanent:
            self.quick_failures += 1
            if self.quick_failures >= QUICK_TRIES:
                raise self._unreachable(failure)
            wait = max(min(wait, QUICK_RETRY_SECONDS), settings.delay_seconds)
        if self.spent + wait > settings.retry_budget_seconds:
            raise self._exhausted(failure)
        if failure.permanent:
            log.warning(
                "arXiv request to %s failed (%s); trying once more in %s",
                self.endpoint,
                failure,
                _seconds(wait),
            )
        else:
            left = settings.retry_budget_seconds - self.spent + settings.timeout_seconds
            log.warning(
                "arXiv request to %s failed (%s); retrying in %s, up to %s more",
                self.endpoint,
                failure,
                _seconds(wait),
                _seconds(left),
            )
        return wait

    def _unreachable(self, failure: RequestFailedError) -> FetchError:
        return ArxivUnreachableError(
            f"cannot reach arXiv at {self.endpoint}: {failure} (tried {self.quick_failures} "
            f"times); check the network and ARXIV_API_URL; {self._outlook()}",
            url=self.endpoint,
            cause=failure.cause,
        )

    def _exhausted(self, failure: RequestFailedError) -> FetchError:
        kind = FetchError if failure.answered else ArxivUnreachableError
        left = self.settings.retry_budget_seconds - self.spent
        if failure.retry_after is not None and failure.retry_after > left:
            return kind(
                f"arXiv at {self.endpoint} answered {failure} and asked to wait "
                f"{_seconds(failure.retry_after)} (Retry-After), more than is left of the retry "
                f"budget (arxiv.retry_budget_seconds: {self.settings.retry_budget_seconds:g}); "
                f"{self._outlook()}",
                url=self.endpoint,
                cause=failure.cause,
            )
        return kind(
            f"arXiv kept failing for the whole retry budget "
            f"(arxiv.retry_budget_seconds: {self.settings.retry_budget_seconds:g}) "
            f"at {self.endpoint}; last error: {failure}; {self._outlook()}",
            url=self.endpoint,
            cause=failure.cause,
        )

    def _outlook(self) -> str:
        if self.first_run:
            return "nothing was changed; no run has succeeded yet: run again once arXiv answers"
        return "nothing was changed, and the next run will catch up"


def _seconds(value: float) -> str:
    return f"{round(value)} s" if value >= 10 else f"{value:.2g} s"
