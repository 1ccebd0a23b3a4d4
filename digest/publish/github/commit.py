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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import requests
from github import GithubException, InputGitTreeElement
from github.GitCommit import GitCommit
from github.GithubException import UnknownObjectException
from github.GitRef import GitRef
from github.GitTree import GitTree
from github.GitTreeElement import GitTreeElement
from github.Repository import Repository

from digest.layout import check_relative_path
from digest.publish.github.client import ClientSettings, make_client, redacted_logs
from digest.publish.github.errors import (
    BranchKeptMovingError,
    BranchNotFoundError,
    ChangedSinceReadError,
    InvalidPathError,
    PublishError,
    RepositoryNotFoundError,
    Scene,
)
from digest.publish.github.failures import explained, from_github, from_network, is_not_fast_forward
from digest.publish.github.target import GithubTarget, check_token
from digest.publish.github.tree import TreeReader

Rebase = Callable[[str | None], str]

log = logging.getLogger(__name__)

# we write text, so a symlink (120000) or submodule (160000) at a published path becomes a file
_KEPT_MODES = ("100644", "100755")


@dataclass(frozen=True)
class Landed:
    """A commit that landed, and the files it changed: a file the branch already held as written,
    or had already removed, is not among them, so the run's report names only real changes."""

    sha: str
    written: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class _Run:
    """What every step needs: the repository, the branch, its tree reader and failure wording."""

    repo: Repository
    scene: Scene
    reader: TreeReader

    @property
    def branch(self) -> str:
        return self.scene.branch

    def at(self, doing: str) -> Scene:
        return self.scene.at(doing)


def git_blob_sha(data: bytes) -> str:
    """The sha git (and GitHub) gives a blob with these bytes, to skip unchanged files."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def publish_commit(
    target: GithubTarget,
    files: Mapping[str, str | None],
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
) -> Landed | None:
    """Commit every changed file in one commit on the target branch; return what landed.

    A file whose text is None is removed. Returns None when no file differs from the branch
    (no empty commit is made). The branch is
    moved only at the end and never forced, so a failure publishes nothing. `base` holds the text
    each file had when the run read it (None: absent); a file the branch changed since is redone
    on the branch's text by its `rebase` function, or else is a conflict. Raises PublishError.
    """
    _check_paths(files)
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if not files:
        return None
    check_token(target.token)
    settings = ClientSettings(
        timeout_seconds, retries, backoff_factor, max_rate_limit_wait, throttle
    )
    with make_client(target.api_url, target.token, settings) as client, redacted_logs(target.token):
        run = _start(target, client.get_repo(target.repository), retries)
        return _publish(run, dict(files), base or {}, rebase or {}, message, attempts)


def _check_paths(files: Mapping[str, str | None]) -> None:
    """Reject paths GitHub would refuse, before any request is made."""
    for path in files:
        if check_relative_path(path):
            raise InvalidPathError(path)


def _start(target: GithubTarget, repo: Repository, retries: int) -> _Run:
    """Settle the branch (the configured one, else the repository's default) before any write."""
    scene = Scene(target.repository, "", target.api_url, retries, secret=target.token)
    branch = target.branch
    if not branch:
        with explained(scene.at("reading the repository's default branch")):
            try:
                branch = repo.default_branch  # lazy client: this sends GET /repos/o/r
            except UnknownObjectException:
                raise RepositoryNotFoundError(scene.at("reading the repository"), 404) from None
    return _Run(repo, replace(scene, branch=branch), TreeReader(repo, branch))


def _publish(
    run: _Run,
    changes: Mapping[str, str | None],
    base: Mapping[str, str | None],
    rebase: Mapping[str, Rebase],
    message: str,
    attempts: int,
) -> Landed | None:
    """Build on the current head and move the branch; rebuild when it moved meanwhile."""
    where = f"{run.scene.repository}@{run.branch}"
    failure: PublishError = BranchKeptMovingError(branch=run.branch, attempts=attempts)
    for attempt in range(1, attempts + 1):
        ref, head = _read_head(run)
        changed = _changed_elements(run, head, changes, base, rebase)
        if not changed:
            log.info("%s already has this content; nothing to commit", where)
            return None
        tree = _create_tree(run, list(changed.values()), head)
        if tree.sha == head.tree.sha:
            log.info("the new tree equals %s's; nothing to commit", where)
            return None
        commit = _create_commit(run, message, tree, head)
        retry_reason = _move_ref(run, ref, commit.sha, attempts)
        if retry_reason is None:
            log.info("published %d file(s) to %s as %s", len(changed), where, commit.sha)
            removed = tuple(path for path in changed if changes[path] is None)
            written = tuple(path for path in changed if changes[path] is not None)
            return Landed(commit.sha, written, removed)
        failure = retry_reason
        log.warning("attempt %d/%d did not land (%s)", attempt, attempts, failure)
    raise failure


def _read_head(run: _Run) -> tuple[GitRef, GitCommit]:
    """The branch's ref (to move later) and the commit it points at."""
    with explained(run.at(f"reading branch '{run.branch}'")):
        ref = run.repo.get_git_ref(f"heads/{run.branch}")
        try:
            sha = ref.object.sha
        except UnknownObjectException:
            raise _branch_or_repository_missing(run) from None
        return ref, run.repo.get_git_commit(sha)


def _changed_elements(
    run: _Run,
    head: GitCommit,
    changes: Mapping[str, str | None],
    base: Mapping[str, str | None],
    rebase: Mapping[str, Rebase],
) -> dict[str, InputGitTreeElement]:
    """Tree entries, by path, for the files whose content differs from the head's, and for the
    files to remove that the head holds (GitHub refuses to remove a path it does not have)."""
    elements: dict[str, InputGitTreeElement] = {}
    for path, planned in sorted(changes.items()):
        with explained(run.at(f"reading {path} on branch '{run.branch}'")):
            entry = run.reader.entry(head.tree.sha, path)
        text = planned
        if text is None and entry is None:
            continue  # to be removed, and already gone from the branch
        if path in base and not _unchanged_since_read(entry, base[path]):
            if path not in rebase:
                raise ChangedSinceReadError(path, branch=run.branch)
            text = rebase[path](_read_text(run, entry))
        mode = entry.mode if entry is not None and entry.mode in _KEPT_MODES else "100644"
        if text is None:
            elements[path] = InputGitTreeElement(path, mode, "blob", sha=None)
            continue
        if entry is not None and entry.sha == git_blob_sha(text.encode("utf-8")):
            continue
        elements[path] = InputGitTreeElement(path, mode, "blob", content=text)
    return elements


def _unchanged_since_read(entry: GitTreeElement | None, read: str | None) -> bool:
    """Overwriting a file someone changed after the run read it would lose their commit."""
    expected = None if read is None else git_blob_sha(read.encode("utf-8"))
    return (entry.sha if entry is not None else None) == expected


def _read_text(run: _Run, entry: GitTreeElement | None) -> str | None:
    """The branch's current text of a file, to redo our change on top of someone else's."""
    if entry is None:
        return None
    with explained(run.at(f"reading {entry.path} from the branch")):
        blob = run.repo.get_git_blob(entry.sha)
        return base64.b64decode(blob.content).decode("utf-8")


def _create_tree(run: _Run, elements: list[InputGitTreeElement], head: GitCommit) -> GitTree:
    with explained(run.at("creating the new file tree")):
        return run.repo.create_git_tree(elements, base_tree=head.tree)


def _create_commit(run: _Run, message: str, tree: GitTree, head: GitCommit) -> GitCommit:
    """No author/committer: GitHub then attributes the commit to the token's bot and signs it."""
    with explained(run.at("creating the commit")):
        return run.repo.create_git_commit(message, tree, [head])


def _move_ref(run: _Run, ref: GitRef, sha: str, attempts: int) -> PublishError | None:
    """Fast-forward the branch to `sha`; None when it landed, else why it is worth retrying."""
    scene = run.at(f"moving branch '{run.branch}' to the new commit")
    try:
        ref.edit(sha, force=False)
    except GithubException as exc:
        if is_not_fast_forward(exc):
            return BranchKeptMovingError(branch=run.branch, attempts=attempts)
        if exc.status < 500:
            raise from_github(scene, exc) from None
        unanswered: PublishError = from_github(scene, exc)
    except (requests.Timeout, requests.ConnectionError) as exc:
        unanswered = from_network(scene, exc)
    except requests.RequestException as exc:
        raise from_network(scene, exc) from None
    else:
        return None
    # PyGithub never retries a PATCH (GithubRetry's allowed_methods), and a PATCH answered with
    # 5xx or not at all may still have landed: look before building another commit
    return None if _landed(run, sha) else unanswered


def _landed(run: _Run, sha: str) -> bool:
    """After an unanswered update: does the branch now hold our commit (maybe with one on top)?"""
    with explained(run.at(f"re-reading branch '{run.branch}' after an unanswered update")):
        current = run.repo.get_git_ref(f"heads/{run.branch}").object.sha
        if current == sha:
            return True
        return any(parent.sha == sha for parent in run.repo.get_git_commit(current).parents)


def _branch_or_repository_missing(run: _Run) -> PublishError:
    """A ref 404 does not say whether the repository or the branch is missing: ask."""
    scene = run.at("checking the repository")
    with explained(scene):
        try:
            _ = run.repo.default_branch  # not derivable from the URL: sends GET /repos/o/r
        except UnknownObjectException:
            return RepositoryNotFoundError(scene, 404)
    return BranchNotFoundError(run.at(f"reading branch '{run.branch}'"), 404)
