"""Where to publish, read from the GitHub Actions environment.

Imports nothing from PyGithub, urllib3 or requests: a local run decides it is local from here
without paying for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import msgspec

if TYPE_CHECKING:
    from digest.publish.github.errors import GithubSettingsError


DEFAULT_API_URL = "https://api.github.com"

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
# printable ASCII without space: what an HTTP header value can carry unchanged
_TOKEN = re.compile(r"[!-~]*")


class GithubTarget(msgspec.Struct, frozen=True):
    """Where to publish: API root, `owner/name`, branch (None = default branch) and token."""

    api_url: str
    repository: str
    branch: str | None
    token: str

    def __repr__(self) -> str:  # never the token, wherever the target is printed
        return f"GithubTarget({self.api_url!r}, {self.repository!r}, {self.branch!r}, token=***)"


def target_from_env(env: Mapping[str, str]) -> GithubTarget | None:
    """The publish target from the Actions environment, or None to run locally (no publishing)."""
    token = env.get("GITHUB_TOKEN", "").strip()
    repository = env.get("GITHUB_REPOSITORY", "").strip()
    if not token or not repository:
        return None
    check_token(token)
    if not _REPOSITORY.fullmatch(repository) or {".", ".."} & set(repository.split("/")):
        raise _settings_error("GITHUB_REPOSITORY", "'owner/name'", shown=repository, secret=token)
    api_url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    if "@" in api_url:  # user:pass@ would reach every error message and log line
        raise _settings_error(
            "GITHUB_API_URL",
            f"an API root without a user name or password, such as {DEFAULT_API_URL}",
            fix="remove the 'user:password@' part (not shown here): GITHUB_TOKEN authenticates",
        )
    if not _is_http_url(api_url):
        raise _settings_error(
            "GITHUB_API_URL",
            f"an http(s) URL such as {DEFAULT_API_URL}",
            shown=api_url,
            secret=token,
        )
    branch = env.get("GITHUB_REF_NAME", "").strip() or None
    return GithubTarget(api_url.rstrip("/"), repository, branch, token)


def _is_http_url(url: str) -> bool:
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 (parses the port: ValueError when not a number in 0-65535)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


def check_token(token: str) -> None:
    """Refuse a token HTTP cannot carry, without showing it.

    GitHub's tokens are ASCII. Other characters fail inside the HTTP libraries instead: requests
    2.32 raises InvalidHeader quoting 'Bearer <token>' for whitespace, CPython 3.11's http.client
    an UnicodeEncodeError holding that header for non-latin-1 text (no PublishError, no fix named).
    """
    if not _TOKEN.fullmatch(token):
        raise _settings_error(
            "GITHUB_TOKEN",
            "printable ASCII without spaces (an HTTP header carries nothing else)",
            fix="re-create the secret by pasting the token alone, without a trailing newline, "
            "or pass ${{ secrets.GITHUB_TOKEN }} unchanged",
        )


def _settings_error(setting: str, expected: str, **details: str) -> GithubSettingsError:
    """Imported on failure only: a local run never needs the GitHub error classes."""
    from digest.publish.github.errors import GithubSettingsError

    return GithubSettingsError(setting, expected, **details)
