"""Read the branch's entries for exactly the paths a run publishes, one folder at a time.

GitHub truncates a recursive tree listing of a large repository (over 100,000 entries or 7 MB;
docs.github.com/rest/git/trees#get-a-tree), and a path missing from a truncated listing may well
exist. Mistaking it for absent would rebuild a README without its hand-written part, so each
folder on the way to a path is listed on its own, and a folder whose own listing is truncated
is an error unless it shows the entry.
"""

from __future__ import annotations

from github.GitTree import GitTree
from github.GitTreeElement import GitTreeElement
from github.Repository import Repository

from digest.publish.github.errors import TruncatedListingError


class TreeReader:
    """Entries of paths in a repository's trees; folder listings are kept by tree sha."""

    def __init__(self, repo: Repository, branch: str) -> None:
        self._repo = repo
        self._branch = branch
        self._listings: dict[str, tuple[dict[str, GitTreeElement], bool]] = {}

    def entry(self, tree_sha: str, path: str) -> GitTreeElement | None:
        """The blob at `path` under the tree `tree_sha`, or None when there is none.

        Raises TruncatedListingError when a folder on the way lists in part and lacks the name.
        """
        *folders, name = path.split("/")
        sha = tree_sha
        for depth, folder in enumerate(folders):
            found = self._child(sha, folder, path, "/".join(folders[:depth]))
            if found is None or found.type != "tree":
                return None
            sha = found.sha
        found = self._child(sha, name, path, "/".join(folders))
        return found if found is not None and found.type == "blob" else None

    def _child(self, tree_sha: str, name: str, path: str, folder: str) -> GitTreeElement | None:
        entries, truncated = self._listing(tree_sha)
        found = entries.get(name)
        if found is None and truncated:
            raise TruncatedListingError(path, folder=folder, branch=self._branch)
        return found

    def _listing(self, tree_sha: str) -> tuple[dict[str, GitTreeElement], bool]:
        if tree_sha not in self._listings:
            tree: GitTree = self._repo.get_git_tree(tree_sha)  # not recursive: this folder only
            entries = {entry.path: entry for entry in tree.tree}
            self._listings[tree_sha] = (entries, bool(tree.truncated))
        return self._listings[tree_sha]
