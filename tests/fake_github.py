"""A local stand-in for the GitHub REST endpoints digest.publish.github.commit uses.

It serves the Git Data API from a real bare git repository driven with the git CLI, so tests can
assert on real commits, and it can inject faults (any status/body/headers, a late answer, a hook
that runs before a request) to reproduce what github.com does under load or misconfiguration.
Only what the publisher and the stale-digest issue need is implemented (Git Data API, and
listing, opening, commenting on and closing issues); anything else answers 404 like GitHub.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"
OTHER_NAME = "Someone Else"
OTHER_EMAIL = "someone@example.com"
FAKE_TOKEN = "ghs_fakeToken0123456789"  # noqa: S105 - a test value, not a secret
DOCS = "https://docs.github.com/rest"

_SHA = "[0-9a-f]{40}"
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    # a fallback identity for ad-hoc commits in tests; commit helpers pass their own
    "GIT_AUTHOR_NAME": OTHER_NAME,
    "GIT_AUTHOR_EMAIL": OTHER_EMAIL,
    "GIT_COMMITTER_NAME": OTHER_NAME,
    "GIT_COMMITTER_EMAIL": OTHER_EMAIL,
}
_BLOB_MODES = ("100644", "100755", "120000")
DEFAULT_FILES: Mapping[str, str] = {
    "README.md": "# arXiv digest\n",
    "archive/README.md": "# Archive\n",
}


# --------------------------------------------------------------------------------------------
# git helpers (also used by tests to set up and inspect the backing repository)


class GitError(RuntimeError):
    """A git command failed; carries its stderr."""


def git(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run git against the bare repository `repo` and return its stdout (stripped of one '\\n')."""
    out = git_bytes(repo, *args, stdin=stdin, env=env).decode("utf-8", errors="surrogateescape")
    return out[:-1] if out.endswith("\n") else out


def git_bytes(
    repo: Path,
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """Run git against the bare repository `repo` and return its raw stdout."""
    done = subprocess.run(
        ["git", f"--git-dir={repo}", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **_GIT_ENV, **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _identity_env(name: str, email: str, date: str | None = None) -> dict[str, str]:
    env = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return env


def init_backing_repo(
    path: Path,
    files: Mapping[str, str] | None = DEFAULT_FILES,
    *,
    branch: str = "main",
    message: str = "Initial commit",
) -> Path:
    """Create a bare repository at `path`; with `files`, commit them on `branch`.

    `files=None` leaves the repository empty (no commit), which GitHub answers with 409.
    """
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["git", "init", "--quiet", "--bare", f"--initial-branch={branch}", str(path)],
        capture_output=True,
        env={**os.environ, **_GIT_ENV},
        check=False,
    )
    if done.returncode != 0:
        raise GitError(done.stderr.decode(errors="replace"))
    if files is not None:
        commit_files(path, branch, files, message, author=("Repo Owner", "owner@example.com"))
    return path


def commit_files(
    repo: Path,
    branch: str,
    files: Mapping[str, str | None],
    message: str,
    *,
    author: tuple[str, str] = (OTHER_NAME, OTHER_EMAIL),
) -> str:
    """Commit `files` (None deletes a path) on top of `branch` as someone else; return the sha.

    A missing branch gets a root commit. The branch moves with an old-value check, like a push.
    """
    old = branch_head(repo, branch)
    with _scratch_index(repo, old) as run:
        for path, text in files.items():
            if text is None:
                _remove(run, path)
            else:
                blob = git(repo, "hash-object", "-w", "--stdin", stdin=text.encode("utf-8"))
                run("update-index", "--add", "--replace", "--cacheinfo", f"100644,{blob},{path}")
        tree = run("write-tree")
    parents = ["-p", old] if old else []
    sha = git(
        repo,
        "commit-tree",
        tree,
        *parents,
        stdin=message.encode("utf-8"),
        env=_identity_env(*author),
    )
    git(repo, "update-ref", f"refs/heads/{branch}", sha, old or "0" * 40)
    return sha


@contextmanager
def _scratch_index(repo: Path, tree: str | None) -> Iterator[Callable[..., str]]:
    """A throw-away index holding `tree` (a tree-ish, or None for nothing) to edit nested paths."""
    with tempfile.TemporaryDirectory(prefix="fake-github-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}

        def run(*args: str, stdin: bytes | None = None) -> str:
            return git(repo, *args, stdin=stdin, env=env)

        if tree:
            run("read-tree", tree)
        else:
            run("read-tree", "--empty")
        yield run


def _remove(run: Callable[..., str], path: str) -> None:
    """Drop `path` from a scratch index (--force-remove would need a work tree)."""
    run("update-index", "--index-info", stdin=f"0 {'0' * 40}\t{path}\n".encode())


def branch_head(repo: Path, branch: str) -> str | None:
    """The sha `branch` points at, or None when it does not exist."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    except GitError:
        return None


def read_files(repo: Path, rev: str) -> dict[str, str]:
    """Every file at `rev` (a branch or sha) with its text."""
    listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", rev)
    files = {}
    for line in filter(None, listing.split("\0")):
        meta, path = line.split("\t", 1)
        _mode, kind, sha = meta.split()
        if kind == "blob":
            files[path] = git_bytes(repo, "cat-file", "blob", sha).decode("utf-8")
    return files


@dataclass(frozen=True)
class CommitInfo:
    """One commit as git stores it."""

    sha: str
    tree: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_date: str
    committer_name: str
    committer_email: str
    committer_date: str
    message: str


def read_commit(repo: Path, rev: str) -> CommitInfo:
    """Parse `git cat-file commit`: the message is exactly what was stored; dates are UTC."""
    sha = git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}")
    raw = git_bytes(repo, "cat-file", "commit", sha).decode("utf-8")
    header, _, message = raw.partition("\n\n")
    tree, parents, people = "", [], {}
    for line in header.splitlines():
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "parent":
            parents.append(value)
        elif key in ("author", "committer"):
            people[key] = _person(value)
    author, committer = people["author"], people["committer"]
    return CommitInfo(
        sha=sha,
        tree=tree,
        parents=tuple(parents),
        author_name=author[0],
        author_email=author[1],
        author_date=author[2],
        committer_name=committer[0],
        committer_email=committer[1],
        committer_date=committer[2],
        message=message,
    )


def _person(value: str) -> tuple[str, str, str]:
    found = re.fullmatch(r"(.*) <(.*)> (\d+) ([+-]\d{4})", value)
    if not found:
        raise GitError(f"unparsable identity line: {value!r}")
    name, email, seconds, _zone = found.groups()
    return name, email, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(seconds)))


def history(repo: Path, rev: str) -> list[CommitInfo]:
    """Commits reachable from `rev`, newest first."""
    shas = git(repo, "rev-list", "--topo-order", rev).split()
    return [read_commit(repo, sha) for sha in shas]


# --------------------------------------------------------------------------------------------
# the server


@dataclass
class RecordedRequest:
    """One request as the fake received it; `status` is what it answered (0 = not yet)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int = 0


@dataclass
class FakeIssue:
    """One issue as the fake stores it."""

    number: int
    title: str
    body: str
    state: str = "open"
    comments: list[str] = field(default_factory=list)
    author: str = BOT_NAME
    association: str = "NONE"  # GitHub's author_association: OWNER, MEMBER, CONTRIBUTOR, NONE…
    pull_request: bool = False  # GitHub lists pull requests among issues, with this key


@dataclass
class Fault:
    """Make requests matching `method` and the `path` regex answer differently.

    With `status`, answer it with `body` and `headers` instead of handling the request, or after
    handling it when `land` is true (an error that hides a write that happened). Without `status`,
    handle it normally. Either way answer `delay` seconds late. `times=None` means always.
    """

    method: str
    path: str
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    delay: float = 0.0
    land: bool = False
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (
            self.method.upper() == method
            and (self.times is None or self.hits < self.times)
            and re.search(self.path, path) is not None
        )


class _ReplyError(Exception):
    """Raised by a route to answer with an error (GitHub's JSON error shape)."""

    def __init__(self, status: int, message: str, docs: str = DOCS) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "documentation_url": docs, "status": str(status)}


class FakeGitHub:
    """GitHub's REST API for one repository, on 127.0.0.1, backed by the bare repo `repo_dir`.

    Use as a context manager (or start()/stop()). `base_url` is what to give PyGithub.
    """

    def __init__(
        self,
        repo_dir: Path,
        *,
        token: str = FAKE_TOKEN,
        repository: str = "octo-org/arxiv-digest",
        default_branch: str = "main",
        prefix: str = "/api/v3",
    ) -> None:
        self.repo_dir = repo_dir
        self.token = token
        self.repository = repository
        self.default_branch = default_branch
        self.prefix = prefix.rstrip("/")
        # GitHub cuts large tree listings short with "truncated": true, in an order it does not
        # document; here the files directly in the listed folder are what goes missing
        self.truncate_trees = False  # recursive listings
        self.truncate_folders: set[str] = set()  # trees (by sha) whose own listing is cut short
        self.requests: list[RecordedRequest] = []
        self.faults: list[Fault] = []
        self.issues: list[FakeIssue] = []  # Issues API: numbered from 1, in creation order
        self.before_request: Callable[[RecordedRequest], None] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        handler = type("Handler", (_Handler,), {"fake": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    @property
    def repo_path(self) -> str:
        """`/repos/owner/name`, for building fault paths."""
        return f"/repos/{self.repository}"

    # fault injection and inspection -----------------------------------------------------------

    def inject(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
        delay: float = 0.0,
        land: bool = False,
    ) -> Fault:
        """Add a Fault (see its doc); `path` is a regex searched in the path below the prefix."""
        fault = Fault(method, path, status, body, dict(headers or {}), times, delay, land)
        with self._lock:
            self.faults.append(fault)
        return fault

    def requests_to(self, method: str, path: str = "") -> list[RecordedRequest]:
        """Recorded requests with this method whose path contains the regex `path`."""
        with self._lock:
            return [
                request
                for request in self.requests
                if request.method == method.upper() and re.search(path, request.path)
            ]

    def head(self, branch: str | None = None) -> str | None:
        return branch_head(self.repo_dir, branch or self.default_branch)

    # request handling -------------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def handle(self, request: RecordedRequest) -> tuple[int, Any, dict[str, str]]:
        """Answer one request: hook, authorization, injected fault, then the route."""
        if self.before_request is not None:
            self.before_request(request)
        if not self._authorized(request.headers.get("authorization", "")):
            return 401, _error_body(401, "Bad credentials"), {}
        fault = self._take_fault(request.method, request.path)
        if fault is None or fault.status is None or fault.land:
            try:
                status, body = self._route(request)
            except _ReplyError as reply:
                status, body = reply.status, reply.body
        if fault is None:
            return status, body, {}
        self._wait(fault.delay)
        if fault.status is None:
            return status, body, dict(fault.headers)
        body = fault.body if fault.body is not None else _error_body(fault.status, None)
        return fault.status, body, dict(fault.headers)

    def _authorized(self, header: str) -> bool:
        scheme, _, value = header.partition(" ")
        return scheme.lower() in ("token", "bearer") and value.strip() == self.token

    def _route(self, request: RecordedRequest) -> tuple[int, Any]:
        path = request.path
        repo = re.escape(self.repo_path)
        if re.fullmatch(r"/repos/[^/]+/[^/]+(/.*)?", path) and not re.match(repo + r"(/|$)", path):
            raise _ReplyError(404, "Not Found", f"{DOCS}/repos/repos#get-a-repository")
        tail = path[len(self.repo_path) :]
        if request.method == "GET" and tail == "":
            return 200, self._repository_json()
        if tail.startswith("/git/") and self.head_sha_of_any_branch() is None:
            raise _ReplyError(409, "Git Repository is empty.", f"{DOCS}/git")
        routes: list[tuple[str, str, Callable[..., tuple[int, Any]]]] = [
            ("GET", r"/git/ref/(heads/.+)", self._get_ref),
            ("PATCH", r"/git/refs/(heads/.+)", self._patch_ref),
            ("GET", rf"/git/commits/({_SHA})", self._get_commit),
            ("POST", r"/git/commits", self._post_commit),
            ("GET", rf"/git/trees/({_SHA})", self._get_tree),
            ("GET", rf"/git/blobs/({_SHA})", self._get_blob),
            ("POST", r"/git/trees", self._post_tree),
            ("GET", r"/issues", self._list_issues),
            ("POST", r"/issues", self._post_issue),
            ("GET", r"/issues/(\d+)", self._get_issue),
            ("PATCH", r"/issues/(\d+)", self._patch_issue),
            ("POST", r"/issues/(\d+)/comments", self._post_comment),
        ]
        for method, pattern, route in routes:
            found = re.fullmatch(pattern, tail)
            if found and method == request.method:
                return route(request, *found.groups())
        raise _ReplyError(404, "Not Found")

    def head_sha_of_any_branch(self) -> str | None:
        refs = git(self.repo_dir, "for-each-ref", "--format=%(objectname)", "refs/heads/")
        return refs.split()[0] if refs.strip() else None

    # JSON shapes ------------------------------------------------------------------------------

    def _url(self, tail: str) -> str:
        # absolute, like GitHub's: PyGithub 2.10 asserts they share base_url's host, port, prefix
        return f"{self.base_url}{self.repo_path}{tail}"

    def _repository_json(self) -> dict[str, Any]:
        owner, name = self.repository.split("/")
        return {
            "id": 1,
            "node_id": "R_fake",
            "name": name,
            "full_name": self.repository,
            "private": False,
            "owner": {"login": owner, "id": 2, "type": "Organization"},
            "default_branch": self.default_branch,
            "url": self._url(""),
            "html_url": f"https://github.example/{self.repository}",
        }

    def _ref_json(self, ref: str, sha: str) -> dict[str, Any]:
        return {
            "ref": f"refs/{ref}",
            "node_id": "REF_fake",
            "url": self._url(f"/git/refs/{ref}"),
            "object": {"sha": sha, "type": "commit", "url": self._url(f"/git/commits/{sha}")},
        }

    def _commit_json(self, sha: str) -> dict[str, Any]:
        info = read_commit(self.repo_dir, sha)
        return {
            "sha": info.sha,
            "node_id": "C_fake",
            "url": self._url(f"/git/commits/{info.sha}"),
            "html_url": f"https://github.example/{self.repository}/commit/{info.sha}",
            "author": {
                "name": info.author_name,
                "email": info.author_email,
                "date": info.author_date,
            },
            "committer": {
                "name": info.committer_name,
                "email": info.committer_email,
                "date": info.committer_date,
            },
            "message": info.message,
            "tree": {"sha": info.tree, "url": self._url(f"/git/trees/{info.tree}")},
            "parents": [
                {"sha": parent, "url": self._url(f"/git/commits/{parent}")}
                for parent in info.parents
            ],
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
            },
        }

    def _tree_json(self, sha: str, *, recursive: bool) -> dict[str, Any]:
        args = ["ls-tree", "-l", "-z", *(["-r", "-t"] if recursive else []), sha]
        entries = []
        for line in filter(None, git(self.repo_dir, *args).split("\0")):
            meta, path = line.split("\t", 1)
            mode, kind, object_sha, size = meta.split()
            entry: dict[str, Any] = {"path": path, "mode": mode, "type": kind, "sha": object_sha}
            if kind == "blob":
                entry["size"] = int(size)
            entry["url"] = self._url(f"/git/{kind}s/{object_sha}")
            entries.append(entry)
        truncated = self.truncate_trees if recursive else sha in self.truncate_folders
        if truncated:
            entries = [e for e in entries if "/" in e["path"] or e["type"] != "blob"]
        return {
            "sha": sha,
            "url": self._url(f"/git/trees/{sha}"),
            "tree": entries,
            "truncated": truncated,
        }

    # routes -----------------------------------------------------------------------------------

    def _object_type(self, sha: str) -> str | None:
        try:
            return git(self.repo_dir, "cat-file", "-t", sha)
        except GitError:
            return None

    def _get_ref(self, request: RecordedRequest, ref: str) -> tuple[int, Any]:
        sha = branch_head(self.repo_dir, ref.removeprefix("heads/"))
        if sha is None:
            raise _ReplyError(404, "Not Found", f"{DOCS}/git/refs#get-a-reference")
        return 200, self._ref_json(ref, sha)

    def _get_commit(self, request: RecordedRequest, sha: str) -> tuple[int, Any]:
        if self._object_type(sha) != "commit":
            raise _ReplyError(404, "Not Found", f"{DOCS}/git/commits#get-a-commit-object")
        return 200, self._commit_json(sha)

    def _get_tree(self, request: RecordedRequest, sha: str) -> tuple[int, Any]:
        if self._object_type(sha) != "tree":
            raise _ReplyError(404, "Not Found", f"{DOCS}/git/trees#get-a-tree")
        recursive = request.query.get("recursive", [""])[0] not in ("", "0", "false")
        return 200, self._tree_json(sha, recursive=recursive)

    def _get_blob(self, request: RecordedRequest, sha: str) -> tuple[int, Any]:
        if self._object_type(sha) != "blob":
            raise _ReplyError(404, "Not Found", f"{DOCS}/git/blobs#get-a-blob")
        data = git_bytes(self.repo_dir, "cat-file", "blob", sha)
        return 200, {
            "sha": sha,
            "node_id": "B_fake",
            "size": len(data),
            "url": self._url(f"/git/blobs/{sha}"),
            "content": base64.encodebytes(data).decode("ascii"),
            "encoding": "base64",
        }

    def _post_tree(self, request: RecordedRequest) -> tuple[int, Any]:
        docs = f"{DOCS}/git/trees#create-a-tree"
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("tree"), list):
            raise _ReplyError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.', docs)
        base = body.get("base_tree")
        if base is not None and self._object_type(str(base)) != "tree":
            raise _ReplyError(422, "base_tree is not a valid tree oid", docs)
        with _scratch_index(self.repo_dir, base) as run:
            for element in body["tree"]:
                self._apply_element(run, element, base, docs)
            sha = run("write-tree")
        return 201, self._tree_json(sha, recursive=False)

    def _apply_element(
        self, run: Callable[..., str], element: Any, base: str | None, docs: str
    ) -> None:
        """One POST git/trees entry: content (new blob), sha (existing blob), null sha (delete)."""
        if not isinstance(element, dict) or not isinstance(element.get("path"), str):
            raise _ReplyError(422, "Invalid tree info", docs)
        path, mode = element["path"], element.get("mode")
        if any(part in ("", ".", "..") for part in path.split("/")):
            raise _ReplyError(422, "tree.path contains a malformed path component", docs)
        if element.get("type") != "blob" or mode not in _BLOB_MODES:
            raise _ReplyError(422, "this fake only supports blob entries with a file mode", docs)
        has_content, has_sha = "content" in element, "sha" in element
        if has_content == has_sha:
            raise _ReplyError(
                422,
                "Must supply either tree.sha or tree.content. "
                "Request will be rejected if both are present.",
                docs,
            )
        if has_sha and element["sha"] is None:
            if not base or not git(self.repo_dir, "ls-tree", base, "--", path):
                raise _ReplyError(422, "GitRPC::BadObjectState", docs)
            _remove(run, path)
            return
        if has_content:
            data = str(element["content"]).encode("utf-8")
            sha = git(self.repo_dir, "hash-object", "-w", "--stdin", stdin=data)
        else:
            sha = str(element["sha"])
            if self._object_type(sha) != "blob":
                raise _ReplyError(422, f"tree.sha {sha} is not a valid blob", docs)
        run("update-index", "--add", "--replace", "--cacheinfo", f"{mode},{sha},{path}")

    def _post_commit(self, request: RecordedRequest) -> tuple[int, Any]:
        docs = f"{DOCS}/git/commits#create-a-commit"
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            raise _ReplyError(422, 'Invalid request.\n\n"message" wasn\'t supplied.', docs)
        tree, parents = body.get("tree"), body.get("parents", [])
        if not isinstance(tree, str) or self._object_type(tree) != "tree":
            raise _ReplyError(422, "Tree SHA does not exist", docs)
        if not isinstance(parents, list) or any(
            not isinstance(parent, str) or self._object_type(parent) != "commit"
            for parent in parents
        ):
            raise _ReplyError(422, "Parent SHA does not exist or is not a commit object", docs)
        env = self._commit_identity(body)
        args = [arg for parent in parents for arg in ("-p", parent)]
        sha = git(
            self.repo_dir,
            "commit-tree",
            tree,
            *args,
            stdin=body["message"].encode("utf-8"),
            env=env,
        )
        return 201, self._commit_json(sha)

    @staticmethod
    def _commit_identity(body: dict[str, Any]) -> dict[str, str]:
        """Without author/committer GitHub uses the token's identity: the Actions bot here."""
        author = body.get("author") or {"name": BOT_NAME, "email": BOT_EMAIL}
        committer = body.get("committer") or author
        env = _identity_env(str(author.get("name")), str(author.get("email")), author.get("date"))
        env["GIT_COMMITTER_NAME"] = str(committer.get("name"))
        env["GIT_COMMITTER_EMAIL"] = str(committer.get("email"))
        if committer.get("date"):
            env["GIT_COMMITTER_DATE"] = str(committer["date"])
        return env

    def _patch_ref(self, request: RecordedRequest, ref: str) -> tuple[int, Any]:
        docs = f"{DOCS}/git/refs#update-a-reference"
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("sha"), str):
            raise _ReplyError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', docs)
        new, force = body["sha"], bool(body.get("force", False))
        current = branch_head(self.repo_dir, ref.removeprefix("heads/"))
        if current is None:
            raise _ReplyError(422, "Reference does not exist", docs)
        if self._object_type(new) != "commit":
            raise _ReplyError(422, "Object does not exist", docs)
        if not force and not self._is_ancestor(current, new):
            raise _ReplyError(422, "Update is not a fast forward", docs)
        try:
            git(self.repo_dir, "update-ref", f"refs/{ref}", new, current)
        except GitError:
            raise _ReplyError(422, "Update is not a fast forward", docs) from None
        return 200, self._ref_json(ref, new)

    # issues -----------------------------------------------------------------------------------

    def _issue_json(self, issue: FakeIssue) -> dict[str, Any]:
        return {
            "id": 1000 + issue.number,
            "node_id": "I_fake",
            "number": issue.number,
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "comments": len(issue.comments),
            "url": self._url(f"/issues/{issue.number}"),
            "html_url": f"https://github.example/{self.repository}/issues/{issue.number}",
            "user": {
                "login": issue.author,
                "id": 41898282 if issue.author == BOT_NAME else 7,
                "type": "Bot" if issue.author.endswith("[bot]") else "User",
            },
            "author_association": issue.association,
            "labels": [],
        } | (
            {"pull_request": {"url": self._url(f"/pulls/{issue.number}")}}
            if issue.pull_request
            else {}
        )

    def _issue(self, number: str) -> FakeIssue:
        found = [issue for issue in self.issues if issue.number == int(number)]
        if not found:
            raise _ReplyError(404, "Not Found", f"{DOCS}/issues/issues#get-an-issue")
        return found[0]

    def _list_issues(self, request: RecordedRequest) -> tuple[int, Any]:
        """Newest first, like GitHub; one page is all a test needs (no Link header)."""
        state = request.query.get("state", ["open"])[0]
        chosen = [issue for issue in self.issues if state in ("all", issue.state)]
        return 200, [self._issue_json(issue) for issue in reversed(chosen)]

    def _post_issue(self, request: RecordedRequest) -> tuple[int, Any]:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("title"), str):
            raise _ReplyError(422, "Invalid request.", f"{DOCS}/issues/issues#create-an-issue")
        issue = FakeIssue(len(self.issues) + 1, body["title"], str(body.get("body") or ""))
        self.issues.append(issue)
        return 201, self._issue_json(issue)

    def _get_issue(self, request: RecordedRequest, number: str) -> tuple[int, Any]:
        return 200, self._issue_json(self._issue(number))

    def _patch_issue(self, request: RecordedRequest, number: str) -> tuple[int, Any]:
        issue = self._issue(number)
        body = request.body if isinstance(request.body, dict) else {}
        if body.get("state") in ("open", "closed"):
            issue.state = str(body["state"])
        return 200, self._issue_json(issue)

    def _post_comment(self, request: RecordedRequest, number: str) -> tuple[int, Any]:
        issue = self._issue(number)
        body = request.body if isinstance(request.body, dict) else {}
        issue.comments.append(str(body.get("body") or ""))
        return 201, {
            "id": 2000 + len(issue.comments),
            "node_id": "IC_fake",
            "body": issue.comments[-1],
            "url": self._url(f"/issues/comments/{2000 + len(issue.comments)}"),
            "user": {"login": BOT_NAME, "id": 41898282, "type": "Bot"},
        }

    def _is_ancestor(self, old: str, new: str) -> bool:
        try:
            git(self.repo_dir, "merge-base", "--is-ancestor", old, new)
        except GitError:
            return False
        return True


def _error_body(status: int, message: str | None) -> dict[str, str]:
    phrase = message or HTTPStatus(status).phrase
    return {"message": phrase, "documentation_url": DOCS, "status": str(status)}


class _Handler(BaseHTTPRequestHandler):
    """Parses the request, lets FakeGitHub answer it, writes JSON back."""

    fake: FakeGitHub
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK
    wbufsize = 1 << 16  # headers and body leave in one write (flushed after each request)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the fake's request log is the record."""

    def _serve(self) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = RecordedRequest(
            method=self.command,
            path=path.removeprefix(fake.prefix) if path.startswith(fake.prefix + "/") else path,
            query=parse_qs(parts.query),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=_json_or_text(raw),
        )
        fake._record(request)
        headers: dict[str, str] = {}
        if not path.startswith(fake.prefix + "/"):
            status, body, headers = 404, _error_body(404, None), {}
        else:
            try:
                status, body, headers = fake.handle(request)
            except GitError as exc:  # a bug in the fake or the test: make it visible
                status, body, headers = 500, _error_body(500, f"fake git error: {exc}"), {}
        request.status = status
        self._send(status, body, headers)

    def _send(self, status: int, body: Any, headers: Mapping[str, str]) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (time-out tests)


def _json_or_text(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", errors="replace")
