"""Sort PyGithub's and requests' exceptions into the PublishError types of errors.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import requests
from github import GithubException
from github.GithubException import BadCredentialsException, RateLimitExceededException

from digest.publish.github.errors import (
    EmptyRepositoryError,
    GithubApiError,
    GithubAuthError,
    GithubNetworkError,
    GithubNotFoundError,
    GithubPermissionError,
    GithubRateLimitError,
    GithubServerError,
    ProtectedBranchError,
    PublishError,
    Scene,
)

# GitHub's limits reset within the hour: a reset further off than this is no time to name.
_PLAUSIBLE_RESET = timedelta(days=1)
# Epoch seconds in ASCII digits (str.isdigit also takes "²").
_EPOCH_SECONDS = re.compile(r"[0-9]{1,12}")
# urllib3 2.x words an exhausted status retry as "too many 503 error responses"
_RETRY_STATUS = re.compile(r"too many (\d{3}) error responses")
_NOT_FAST_FORWARD = "not a fast forward"
# GitHub's wording for branch protection and rulesets varies by rule; these cover the known ones
_PROTECTION_HINTS = (
    "protected branch",
    "status check",
    "pull request",
    "signature",
    "repository rule",
    "ruleset",
    "not authorized to push",
)


@contextmanager
def explained(scene: Scene) -> Iterator[None]:
    """Turn PyGithub's and requests' exceptions into a one-line PublishError."""
    try:
        yield
    except PublishError:
        raise
    except GithubException as exc:
        raise from_github(scene, exc) from None
    except requests.RequestException as exc:
        raise from_network(scene, exc) from None


def is_not_fast_forward(exc: GithubException) -> bool:
    """The branch moved since we read it: GitHub's plain 422 for a refused ref update."""
    return exc.status == 422 and _NOT_FAST_FORWARD in server_message(exc).lower()


def from_github(scene: Scene, exc: GithubException) -> GithubApiError:
    """Sort a GitHub error answer by what the operator has to change."""
    status, text = exc.status, server_message(exc)
    lowered = text.lower()
    if isinstance(exc, BadCredentialsException) or status == 401:
        return GithubAuthError(scene, status, text)
    if _is_rate_limited(exc):
        return GithubRateLimitError(scene, status, text, reset=_reset_time(exc))
    if status == 403 and "not accessible by integration" in lowered:
        return GithubPermissionError(scene, status, text)
    if status in (403, 409, 422) and any(hint in lowered for hint in _PROTECTION_HINTS):
        return ProtectedBranchError(scene, status, text)
    if status == 403:
        return GithubPermissionError(scene, status, text)
    if status == 404:
        return GithubNotFoundError(scene, status, text)
    if status == 409 and "empty" in lowered:  # GitHub: 409 "Git Repository is empty."
        return EmptyRepositoryError(scene, status, text)
    if status >= 500:
        return GithubServerError(scene, status, text)
    return GithubApiError(scene, status, text)


def from_network(scene: Scene, exc: requests.RequestException) -> PublishError:
    """Sort a failure where PyGithub's retries ran out or no answer came."""
    if isinstance(exc, requests.exceptions.RetryError):
        # PyGithub raises requests' RetryError, not a GithubException, once retries run out
        found = _RETRY_STATUS.search(str(exc))
        status = int(found.group(1)) if found else None
        if status in (403, 429):
            return GithubRateLimitError(scene, status)
        return GithubServerError(scene, status)
    unanswered = isinstance(exc, requests.Timeout | requests.ConnectionError)
    return GithubNetworkError(scene, type(exc).__name__, unanswered=unanswered)


def server_message(exc: GithubException) -> str:
    """GitHub's own `message` (error bodies are JSON objects; a proxy may send text)."""
    data = exc.data
    text = data.get("message") if isinstance(data, dict) else data
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return str(text) if text else ""


def _is_rate_limited(exc: GithubException) -> bool:
    """PyGithub types only primary limits; secondary ones are a 403 with these headers, or 429."""
    if isinstance(exc, RateLimitExceededException) or exc.status == 429:
        return True
    headers = _headers(exc)
    return exc.status == 403 and (
        headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
    )


def _reset_time(exc: GithubException) -> datetime | None:
    """When the primary rate limit resets, if GitHub said (x-ratelimit-reset, epoch seconds)
    and said something plausible: None for a value no clock can show or a day away."""
    value = _headers(exc).get("x-ratelimit-reset", "").strip()
    if not _EPOCH_SECONDS.fullmatch(value):
        return None
    now = datetime.now(UTC)
    try:
        reset = datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):  # beyond the platform's time_t or year 9999
        return None
    return reset if abs(reset - now) <= _PLAUSIBLE_RESET else None


def _headers(exc: GithubException) -> dict[str, str]:
    """The answer's headers by lower-case name (PyGithub passes them as the server cased them)."""
    return {str(key).lower(): str(value) for key, value in (exc.headers or {}).items()}
