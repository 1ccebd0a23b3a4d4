"""Why publishing to GitHub failed: one exception type per thing to fix, each with its wording.

Every message is one line naming the cause and the fix, and never holds the token. This module
imports nothing from PyGithub, urllib3 or requests, so a local run can catch PublishError without
paying for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from digest.errors import DigestError, SettingsError
from digest.words import counted

REDACTED = "***"
_MIN_SECRET = 8
_STATUS_PAGE = "https://www.githubstatus.com"


def scrub(text: str, secret: str) -> str:
    """Hide the token; a few characters are no secret and would garble every word instead."""
    return text.replace(secret, REDACTED) if len(secret) >= _MIN_SECRET else text


def one_line(text: str) -> str:
    return " ".join(text.split())


class PublishError(DigestError):
    """Publishing failed and nothing was published; str() is one line, never the token."""

    def __init__(self, message: str, *, secret: str = "") -> None:
        super().__init__(one_line(scrub(message, secret)))


class GithubSettingsError(PublishError):
    """An environment variable (`setting`) holds a value the bot cannot use (exit code 2)."""

    exit_code = SettingsError.exit_code

    def __init__(
        self,
        setting: str,
        expected: str,
        *,
        shown: str | None = None,
        fix: str = "unset it to let GitHub Actions provide it, or fix the value",
        secret: str = "",
    ) -> None:
        self.setting = setting
        got = "" if shown is None else f", got {shown!r}"
        super().__init__(f"{setting} must be {expected}{got}: {fix}", secret=secret)


class InvalidPathError(PublishError):
    """A file path GitHub would refuse; found before any request is made."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"cannot publish {path!r}: paths must be relative, '/'-separated and without "
            "empty, '.', '..' or '.git' parts (a bug in the caller)"
        )


@dataclass(frozen=True)
class Scene:
    """Where a request failed and what it was doing, to word the failure."""

    repository: str
    branch: str
    api_url: str
    retries: int
    doing: str = ""
    secret: str = field(default="", repr=False)

    def at(self, doing: str) -> Scene:
        return replace(self, doing=doing)

    @property
    def retried(self) -> str:
        return "1 retry" if self.retries == 1 else f"{self.retries} retries"


class GithubApiError(PublishError):
    """GitHub answered with an error; `status` is None when retries ran out without one."""

    def __init__(self, scene: Scene, status: int | None = None, server_message: str = "") -> None:
        self.repository, self.branch, self.doing = scene.repository, scene.branch, scene.doing
        self.api_url = scene.api_url
        self.status = status
        # scrubbed before it is shortened: a cut could split the token
        self.server_message = one_line(scrub(server_message, scene.secret))[:300]
        super().__init__(self._words(scene), secret=scene.secret)

    @property
    def said(self) -> str:
        return f"{self.status or ''} {self.server_message}".strip()

    def _words(self, scene: Scene) -> str:
        return (
            f"GitHub answered {self.said} while {self.doing} in {self.repository}: re-run the "
            "workflow, and report it if it persists"
        )


class GithubAuthError(GithubApiError):
    """401: the token is missing, wrong or expired."""

    def _words(self, scene: Scene) -> str:
        return (
            f"GitHub rejected the token ({self.said}) while {self.doing}: check that the workflow "
            "passes GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) and that the "
            "token is valid and not expired"
        )


class GithubPermissionError(GithubApiError):
    """403: the token may read but not write; `integration` when the workflow withheld it."""

    @property
    def integration(self) -> bool:
        return "not accessible by integration" in self.server_message.lower()

    def _words(self, scene: Scene) -> str:
        if self.integration:
            return (
                f"the token may not write to {self.repository} ({self.said}) while {self.doing}: "
                "add 'permissions: contents: write' to the job, or set Settings → Actions → "
                "General → Workflow permissions to 'Read and write permissions'"
            )
        return (
            f"GitHub refused access to {self.repository} ({self.said}) while {self.doing}: give "
            "the token 'contents: write' on this repository"
        )


class ProtectedBranchError(GithubApiError):
    """A branch protection rule or ruleset refused the bot's commit."""

    def _words(self, scene: Scene) -> str:
        return (
            f"branch protection on '{self.branch}' blocks the bot ({self.said}): allow GitHub "
            "Actions to bypass the rule (or drop required status checks, pull requests and "
            "signed commits for this branch), or publish to an unprotected branch"
        )


class GithubNotFoundError(GithubApiError):
    """404 for something other than the repository or the branch itself."""

    def _words(self, scene: Scene) -> str:
        return (
            f"GitHub answered 404 while {self.doing} in {self.repository}: check "
            "GITHUB_REPOSITORY, GITHUB_REF_NAME and that the token can access the repository"
        )


class RepositoryNotFoundError(GithubNotFoundError):
    """The repository does not exist at the API root, or the token cannot see it."""

    def _words(self, scene: Scene) -> str:
        return (
            f"repository '{self.repository}' was not found at {self.api_url} (404): check "
            "GITHUB_REPOSITORY and that the token can access it (a workflow's GITHUB_TOKEN "
            "reaches only its own repository)"
        )


class BranchNotFoundError(GithubNotFoundError):
    """The repository exists but the branch does not."""

    def _words(self, scene: Scene) -> str:
        return (
            f"branch '{self.branch}' was not found in {self.repository} (404): check "
            "GITHUB_REF_NAME (the workflow must run on a branch, not a tag or pull-request ref) "
            "and that the branch exists"
        )


class EmptyRepositoryError(GithubApiError):
    """409: the repository has no commit to build on."""

    def _words(self, scene: Scene) -> str:
        return (
            f"{self.repository} has no commits yet ({self.said}): push an initial commit (a "
            "README.md will do) to the default branch, then re-run"
        )


class GithubRateLimitError(GithubApiError):
    """A primary or secondary rate limit; `reset` is when it lifts, if GitHub said."""

    def __init__(
        self,
        scene: Scene,
        status: int | None = None,
        server_message: str = "",
        *,
        reset: datetime | None = None,
    ) -> None:
        self.reset = reset
        super().__init__(scene, status, server_message)

    def _words(self, scene: Scene) -> str:
        when = f" after {self.reset:%H:%M} UTC" if self.reset else " later"
        return (
            f"GitHub rate-limited the bot while {self.doing}: re-run the workflow{when} (runs and "
            "tools sharing the token share its limit)"
        )


class GithubServerError(GithubApiError):
    """5xx after PyGithub's retries (it never retries a PATCH): GitHub's trouble, not ours."""

    def _words(self, scene: Scene) -> str:
        return (
            f"GitHub failed with {self.said or 'errors'} while {self.doing}: GitHub may be having "
            f"trouble ({_STATUS_PAGE}); re-run the workflow later"
        )


class GithubNetworkError(PublishError):
    """No usable answer from the API root; `reason` names the transport error."""

    def __init__(self, scene: Scene, reason: str, *, unanswered: bool) -> None:
        self.api_url, self.doing, self.reason = scene.api_url, scene.doing, reason
        self.unanswered = unanswered
        if unanswered:
            words = (
                f"no answer from {self.api_url} while {self.doing} ({reason}, after "
                f"{scene.retried}): check GITHUB_API_URL and the runner's network, or re-run later"
            )
        else:
            words = (
                f"the request to {self.api_url} failed while {self.doing} ({reason}): check "
                "GITHUB_API_URL, or re-run later"
            )
        super().__init__(words, secret=scene.secret)


class PublishConflictError(PublishError):
    """The branch changed under the run in a way the bot must not paper over."""

    def __init__(self, message: str, *, branch: str) -> None:
        self.branch = branch
        super().__init__(message)


class ChangedSinceReadError(PublishConflictError):
    """`path` changed on the branch after the run read it, and there is no way to redo on it."""

    def __init__(self, path: str, *, branch: str) -> None:
        self.path = path
        super().__init__(
            f"{path} changed on branch '{branch}' after this run read it; nothing was published, "
            "and the next run will start from the new content",
            branch=branch,
        )


class BranchKeptMovingError(PublishConflictError):
    """Every one of `attempts` fast-forwards lost the race against other commits."""

    def __init__(self, *, branch: str, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(
            f"branch '{branch}' kept moving while the bot published (422 Update is not a fast "
            f"forward; gave up after {counted(attempts, 'attempt')}): re-run the workflow, and "
            "give it a 'concurrency:' group so runs do not overlap",
            branch=branch,
        )


class TruncatedListingError(PublishError):
    """GitHub listed `folder` only in part, so whether `path` exists is unknown."""

    def __init__(self, path: str, *, folder: str, branch: str) -> None:
        self.path, self.folder, self.branch = path, folder, branch
        super().__init__(
            f"GitHub listed only part of {folder or 'the top folder'} on branch '{branch}' (the "
            f"listing was truncated), so the bot cannot tell whether {path} exists; nothing was "
            "published: move files out of that folder so it holds fewer entries"
        )
