"""Publish the rewritten pages as one commit through GitHub's Git Data API.

The bot runs in GitHub Actions without pushing through git: it builds a tree and a commit from the
files' new text and then moves the branch, so a run publishes everything or nothing, and GitHub can
attribute (and sign) the commit as the Actions bot. A file that changed on the branch after the
run read it is never overwritten: the caller's change is redone on the branch's text, or the run
fails and the next one starts from it.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import requests
from github import Auth, Consts, Github, GithubException, GithubRetry, InputGitTreeElement
from github.GitCommit import GitCommit
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededExceedsMaxWait,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.GitTreeElement import GitTreeElement
from github.Repository import Repository

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse

DEFAULT_API_URL = "https://api.github.com"
Rebase = Callable[[str | None], str]
REDACTED = "***"

log = logging.getLogger(__name__)

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_RETRY_STATUS = re.compile(r"too many (\d{3}) error responses")
_NOT_FAST_FORWARD = "not a fast forward"
_PROTECTION_HINTS = (
    "protected branch",
    "status check",
    "pull request",
    "signature",
    "repository rule",
    "ruleset",
    "not authorized to push",
)
_PYGITHUB_LOGGERS = ("github.Requester", "github.GithubRetry", "urllib3.connectionpool")
_KEPT_MODES = ("100644", "100755")
_MIN_SECRET = 8


class PublishError(Exception):
    """Publishing failed; str() is one line naming the cause and the fix, never the token.

    `kind` sorts failures for callers and tests: config, auth, permission, protected, not_found,
    empty, rate_limit, server, network, conflict, github.
    """

    def __init__(self, message: str, *, kind: str = "github", secret: str = "") -> None:
        self.kind = kind
        super().__init__(_one_line(_scrub(message, secret)))


@dataclass(frozen=True)
class GithubTarget:
    """Where to publish: API root, `owner/name`, branch (None = default branch) and token."""

    api_url: str
    repository: str
    branch: str | None
    token: str = field(repr=False)


@dataclass(frozen=True)
class _Run:
    """What every step needs to call GitHub and to word its failures."""

    target: GithubTarget
    repo: Repository
    branch: str
    retries: int

    def fail(self, kind: str, message: str) -> PublishError:
        return PublishError(message, kind=kind, secret=self.target.token)


class _CappedRetry(GithubRetry):
    """GithubRetry that will not sleep on a Retry-After longer than max_rate_limit_wait.

    GithubRetry caps waits it derives from rate-limit bodies, but urllib3 obeys any Retry-After
    (up to hours); a daily bot should rather fail fast and be re-run.
    """

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
        if len(self._secret) >= _MIN_SECRET and self._secret in text:
            record.msg = text.replace(self._secret, REDACTED)
            record.args = None
        return True


def target_from_env(env: Mapping[str, str]) -> GithubTarget | None:
    """The publish target from the Actions environment, or None to run locally (no publishing)."""
    token = env.get("GITHUB_TOKEN", "").strip()
    repository = env.get("GITHUB_REPOSITORY", "").strip()
    if not token or not repository:
        return None
    if not _REPOSITORY.fullmatch(repository) or {".", ".."} & set(repository.split("/")):
        raise PublishError(
            f"GITHUB_REPOSITORY must be 'owner/name', got {repository!r}: unset it to let "
            "GitHub Actions provide it, or fix the value",
            kind="config",
            secret=token,
        )
    api_url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    parsed = urlparse(api_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise PublishError(
            f"GITHUB_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, got {api_url!r}: "
            "unset it to let GitHub Actions provide it, or fix the value",
            kind="config",
            secret=token,
        )
    branch = env.get("GITHUB_REF_NAME", "").strip() or None
    return GithubTarget(api_url.rstrip("/"), repository, branch, token)


def git_blob_sha(data: bytes) -> str:
    """The sha git (and GitHub) gives a blob with these bytes, to skip unchanged files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def publish_commit(
    target: GithubTarget,
    files: Mapping[str, str],
    message: str,
    *,
    base: Mapping[str, str | None] | None = None,
    rebase: Mapping[str, Rebase] | None = None,
    attempts: int = 5,
    timeout_seconds: int = 30,
    retries: int = 3,
    backoff_factor: float = 1.0,
    max_rate_limit_wait: int = 120,
    throttle: bool = True,
) -> str | None:
    """Commit every changed file in one commit on the target branch; return its sha.

    Returns None when no file differs from the branch (no empty commit is made). The branch is
    moved only at the end and never forced, so a failure publishes nothing. `base` holds the text
    each file had when the run read it (None: absent); a file the branch changed since is redone
    on the branch's text by its `rebase` function, or else is a conflict. Raises PublishError.
    """
    changes = _checked_files(files, target.token)
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if not changes:
        return None
    _check_token(target.token)
    client = _client(
        target, timeout_seconds, retries, backoff_factor, max_rate_limit_wait, throttle
    )
    with client, _redacted_logs(target.token):
        run = _Run(target, client.get_repo(target.repository), target.branch or "", retries)
        run = replace(run, branch=_resolve_branch(run))
        return _publish(run, changes, base or {}, rebase or {}, message, attempts)


def _checked_files(files: Mapping[str, str], token: str) -> dict[str, str]:
    """Reject paths GitHub would refuse, before any request is made."""
    for path in files:
        parts = path.split("/")
        if not path or "\\" in path or any(part in ("", ".", "..", ".git") for part in parts):
            raise PublishError(
                f"cannot publish {path!r}: paths must be relative, '/'-separated and without "
                "empty, '.', '..' or '.git' parts (a bug in the caller)",
                kind="config",
                secret=token,
            )
    return dict(files)


def _check_token(token: str) -> None:
    """A token with whitespace would make requests echo it in an InvalidHeader error."""
    if any(char.isspace() for char in token) or not token.isprintable():
        raise PublishError(
            "GITHUB_TOKEN contains whitespace or control characters: re-create the secret "
            "without a trailing newline, or pass ${{ secrets.GITHUB_TOKEN }} unchanged",
            kind="config",
            secret=token,
        )


def _client(
    target: GithubTarget,
    timeout_seconds: int,
    retries: int,
    backoff_factor: float,
    max_rate_limit_wait: int,
    throttle: bool,
) -> Github:
    """A client with bounded retries and waits (PyGithub's defaults can wait for an hour)."""
    retry = _CappedRetry(
        total=retries, backoff_factor=backoff_factor, max_rate_limit_wait=max_rate_limit_wait
    )
    return Github(
        auth=Auth.Token(target.token),
        base_url=target.api_url,
        lazy=True,
        timeout=max(1, int(timeout_seconds)),
        retry=retry,
        seconds_between_requests=Consts.DEFAULT_SECONDS_BETWEEN_REQUESTS if throttle else None,
        seconds_between_writes=Consts.DEFAULT_SECONDS_BETWEEN_WRITES if throttle else None,
    )


@contextmanager
def _redacted_logs(token: str) -> Iterator[None]:
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


def _publish(
    run: _Run,
    changes: Mapping[str, str],
    base: Mapping[str, str | None],
    rebase: Mapping[str, Rebase],
    message: str,
    attempts: int,
) -> str | None:
    """Build on the current head and move the branch; rebuild when it moved meanwhile."""
    failure = _kept_moving(run)
    for attempt in range(1, attempts + 1):
        ref, head = _read_head(run)
        elements = _changed_elements(run, head, changes, base, rebase)
        if not elements:
            log.info(
                "%s@%s already has this content; nothing to commit",
                run.target.repository,
                run.branch,
            )
            return None
        tree = _create_tree(run, elements, head)
        if tree.sha == head.tree.sha:
            log.info(
                "the new tree equals %s@%s's; nothing to commit", run.target.repository, run.branch
            )
            return None
        commit = _create_commit(run, message, tree, head)
        retry_reason = _move_ref(run, ref, commit.sha)
        if retry_reason is None:
            log.info(
                "published %d file(s) to %s@%s as %s",
                len(elements),
                run.target.repository,
                run.branch,
                commit.sha,
            )
            return commit.sha
        failure = retry_reason
        log.warning(
            "attempt %d/%d did not land (%s); rebuilding on the new head",
            attempt,
            attempts,
            failure,
        )
    raise failure


def _resolve_branch(run: _Run) -> str:
    """The configured branch, else the repository's default branch (GET /repos/o/r)."""
    if run.target.branch:
        return run.target.branch
    with _explained(run, "reading the repository's default branch"):
        try:
            return run.repo.default_branch
        except UnknownObjectException:
            raise _repository_missing(run) from None


def _read_head(run: _Run) -> tuple[GitRef, GitCommit]:
    """The branch's ref (to move later) and the commit it points at."""
    with _explained(run, f"reading branch '{run.branch}'"):
        ref = run.repo.get_git_ref(f"heads/{run.branch}")
        try:
            sha = ref.object.sha
        except UnknownObjectException:
            raise _branch_or_repository_missing(run) from None
        return ref, run.repo.get_git_commit(sha)


def _changed_elements(
    run: _Run,
    head: GitCommit,
    changes: Mapping[str, str],
    base: Mapping[str, str | None],
    rebase: Mapping[str, Rebase],
) -> list[InputGitTreeElement]:
    """Tree entries for the files whose content differs from the head's."""
    with _explained(run, "reading the current files"):
        tree = run.repo.get_git_tree(head.tree.sha, recursive=True)
        entries = {entry.path: entry for entry in tree.tree if entry.type == "blob"}
        if tree.truncated:
            log.info("GitHub truncated the file list; sending every file, unchanged ones included")
    elements = []
    for path, planned in sorted(changes.items()):
        entry = entries.get(path)
        text = planned
        if path in base and not _unchanged_since_read(entry, base[path]):
            if path not in rebase:
                raise run.fail(
                    "conflict",
                    f"{path} changed on branch '{run.branch}' after this run read it; nothing "
                    "was published, and the next run will start from the new content",
                )
            text = rebase[path](_read_text(run, entry))
        if entry is not None and entry.sha == git_blob_sha(text.encode("utf-8")):
            continue
        mode = entry.mode if entry is not None and entry.mode in _KEPT_MODES else "100644"
        elements.append(InputGitTreeElement(path, mode, "blob", content=text))
    return elements


def _unchanged_since_read(entry: GitTreeElement | None, read: str | None) -> bool:
    """Overwriting a file someone changed after the run read it would lose their commit."""
    expected = None if read is None else git_blob_sha(read.encode("utf-8"))
    return (entry.sha if entry is not None else None) == expected


def _read_text(run: _Run, entry: GitTreeElement | None) -> str | None:
    """The branch's current text of a file, to redo our change on top of someone else's."""
    if entry is None:
        return None
    with _explained(run, f"reading {entry.path} from the branch"):
        blob = run.repo.get_git_blob(entry.sha)
        return base64.b64decode(blob.content).decode("utf-8")


def _create_tree(run: _Run, elements: list[InputGitTreeElement], head: GitCommit) -> GitTree:
    with _explained(run, "creating the new file tree"):
        return run.repo.create_git_tree(elements, base_tree=head.tree)


def _create_commit(run: _Run, message: str, tree: GitTree, head: GitCommit) -> GitCommit:
    """No author/committer: GitHub then attributes the commit to the token's bot and signs it."""
    with _explained(run, "creating the commit"):
        return run.repo.create_git_commit(message, tree, [head])


def _move_ref(run: _Run, ref: GitRef, sha: str) -> PublishError | None:
    """Fast-forward the branch to `sha`; None when it landed, else why it is worth retrying."""
    doing = f"moving branch '{run.branch}' to the new commit"
    try:
        ref.edit(sha, force=False)
    except GithubException as exc:
        if exc.status == 422 and _NOT_FAST_FORWARD in _server_message(exc, "").lower():
            return _kept_moving(run)
        if exc.status < 500:
            raise _from_github(run, exc, doing) from None
        unanswered = _from_github(run, exc, doing)
    except (requests.Timeout, requests.ConnectionError) as exc:
        unanswered = _from_network(run, exc, doing)
    except requests.RequestException as exc:
        raise _from_network(run, exc, doing) from None
    else:
        return None
    return None if _landed(run, sha) else unanswered


def _landed(run: _Run, sha: str) -> bool:
    """After an unanswered update: does the branch now hold our commit (maybe with one on top)?"""
    with _explained(run, f"re-reading branch '{run.branch}' after an unanswered update"):
        current = run.repo.get_git_ref(f"heads/{run.branch}").object.sha
        if current == sha:
            return True
        return any(parent.sha == sha for parent in run.repo.get_git_commit(current).parents)


@contextmanager
def _explained(run: _Run, doing: str) -> Iterator[None]:
    """Turn PyGithub's and requests' exceptions into a one-line PublishError."""
    try:
        yield
    except PublishError:
        raise
    except GithubException as exc:
        raise _from_github(run, exc, doing) from None
    except requests.RequestException as exc:
        raise _from_network(run, exc, doing) from None


def _from_github(run: _Run, exc: GithubException, doing: str) -> PublishError:
    """Word a GitHub error answer by what the operator has to change."""
    status, text = exc.status, _server_message(exc, run.target.token)
    said = f"{status} {text}".strip()
    if isinstance(exc, BadCredentialsException) or status == 401:
        return run.fail(
            "auth",
            f"GitHub rejected the token ({said}) while {doing}: check that the workflow passes "
            "GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}) and that the token is "
            "valid and not expired",
        )
    if _is_rate_limited(exc):
        return _rate_limited(run, doing, exc)
    if status == 403 and "not accessible by integration" in text.lower():
        return run.fail(
            "permission",
            f"the token may not write to {run.target.repository} ({said}) while {doing}: add "
            "'permissions: contents: write' to the job, or set Settings → Actions → General → "
            "Workflow permissions to 'Read and write permissions'",
        )
    if status in (403, 409, 422) and any(hint in text.lower() for hint in _PROTECTION_HINTS):
        return run.fail(
            "protected",
            f"branch protection on '{run.branch}' blocks the bot ({said}): allow GitHub Actions to "
            "bypass the rule (or drop required status checks, pull requests and signed commits "
            "for this branch), or publish to an unprotected branch",
        )
    if status == 403:
        return run.fail(
            "permission",
            f"GitHub refused access to {run.target.repository} ({said}) while {doing}: give the "
            "token 'contents: write' on this repository",
        )
    if status == 404:
        return run.fail(
            "not_found",
            f"GitHub answered 404 while {doing} in {run.target.repository}: check "
            "GITHUB_REPOSITORY, GITHUB_REF_NAME and that the token can access the repository",
        )
    if status == 409 and "empty" in text.lower():
        return run.fail(
            "empty",
            f"{run.target.repository} has no commits yet ({said}): push an initial commit (a "
            "README.md will do) to the default branch, then re-run",
        )
    if status >= 500:
        return run.fail(
            "server",
            f"GitHub failed with {said} while {doing}, even after retrying: GitHub may be "
            "having trouble (https://www.githubstatus.com); re-run the workflow later",
        )
    return run.fail(
        "github",
        f"GitHub answered {said} while {doing} in {run.target.repository}: re-run the "
        "workflow, and report it if it persists",
    )


def _from_network(run: _Run, exc: requests.RequestException, doing: str) -> PublishError:
    """Word a failure where PyGithub's retries ran out or no answer came."""
    if isinstance(exc, requests.exceptions.RetryError):
        found = _RETRY_STATUS.search(str(exc))
        status = int(found.group(1)) if found else None
        if status in (403, 429):
            return _rate_limited(run, doing, None)
        return run.fail(
            "server",
            f"GitHub kept failing with {status or 'errors'} while {doing}, after "
            f"{_retries(run)}: GitHub may be having trouble (https://www.githubstatus.com); "
            "re-run the workflow later",
        )
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        return run.fail(
            "network",
            f"no answer from {run.target.api_url} while {doing} ({type(exc).__name__}, after "
            f"{_retries(run)}): check GITHUB_API_URL and the runner's network, or re-run later",
        )
    return run.fail(
        "network",
        f"the request to {run.target.api_url} failed while {doing} ({type(exc).__name__}): "
        "check GITHUB_API_URL, or re-run later",
    )


def _retries(run: _Run) -> str:
    return "1 retry" if run.retries == 1 else f"{run.retries} retries"


def _rate_limited(run: _Run, doing: str, exc: GithubException | None) -> PublishError:
    reset = _reset_time(exc)
    when = f" after {reset}" if reset else " later"
    return run.fail(
        "rate_limit",
        f"GitHub rate-limited the bot while {doing}: re-run the workflow{when} (runs and "
        "tools sharing the token share its limit)",
    )


def _kept_moving(run: _Run) -> PublishError:
    return run.fail(
        "conflict",
        f"branch '{run.branch}' kept moving while the bot published (422 Update is not a fast "
        "forward on every attempt): re-run the workflow, and give it a 'concurrency:' group so "
        "runs do not overlap",
    )


def _repository_missing(run: _Run) -> PublishError:
    return run.fail(
        "not_found",
        f"repository '{run.target.repository}' was not found at {run.target.api_url} (404): "
        "check GITHUB_REPOSITORY and that the token can access it (a workflow's GITHUB_TOKEN "
        "reaches only its own repository)",
    )


def _branch_or_repository_missing(run: _Run) -> PublishError:
    """A ref 404 does not say whether the repository or the branch is missing: ask."""
    with _explained(run, "checking the repository"):
        try:
            _ = run.repo.default_branch  # not derivable from the URL: sends GET /repos/o/r
        except UnknownObjectException:
            return _repository_missing(run)
    return run.fail(
        "not_found",
        f"branch '{run.branch}' was not found in {run.target.repository} (404): check "
        "GITHUB_REF_NAME (the workflow must run on a branch, not a tag or pull-request ref) "
        "and that the branch exists",
    )


def _is_rate_limited(exc: GithubException) -> bool:
    if isinstance(exc, RateLimitExceededException) or exc.status == 429:
        return True
    headers = _headers(exc)
    return exc.status == 403 and (
        headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
    )


def _reset_time(exc: GithubException | None) -> str | None:
    """When the primary rate limit resets, as 'HH:MM UTC', if GitHub said."""
    if exc is None:
        return None
    value = _headers(exc).get("x-ratelimit-reset", "")
    if not value.isdigit():
        return None
    return datetime.fromtimestamp(int(value), UTC).strftime("%H:%M UTC")


def _headers(exc: GithubException) -> dict[str, str]:
    return {str(key).lower(): str(value) for key, value in (exc.headers or {}).items()}


def _server_message(exc: GithubException, secret: str) -> str:
    """GitHub's own `message`, scrubbed before it is shortened (a cut could split the token)."""
    data = exc.data
    text = data.get("message") if isinstance(data, dict) else data
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return _one_line(_scrub(str(text), secret))[:300] if text else ""


def _scrub(text: str, secret: str) -> str:
    """Hide the token; a few characters are no secret and would garble every word instead."""
    return text.replace(secret, REDACTED) if len(secret) >= _MIN_SECRET else text


def _one_line(text: str) -> str:
    return " ".join(text.split())
