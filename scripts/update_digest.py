"""Run the digest once: config → fetch → merge into the window → categorize → render → publish.

Exit codes: 0 done (changed or not), 1 the run failed and changed nothing, 2 config or usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest import report
from digest.archive import ArchiveError, load_archive, read_last_run
from digest.categorize import build_rules, categorize_all
from digest.changes import Changes, plan_changes
from digest.config import ConfigError, load_config
from digest.fetch import (
    FetchError,
    QueryError,
    endpoint_from_env,
    fetch_papers,
    plan_fetch_span,
)
from digest.publish_github import GithubTarget, PublishError, publish_commit, target_from_env
from digest.publish_local import write_files
from digest.render import ReadmeError, replace_block
from digest.window import in_window, merge, window_start


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line, and an annotation in Actions, like every other error."""

    def error(self, message: str) -> NoReturn:
        report.fail(f"{message} (see --help)", dict(os.environ))
        raise SystemExit(2)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(description=__doc__)
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config.yml"),
        help="settings file; README and archive paths are relative to its folder",
    )
    parser.add_argument(
        "--now", type=_moment, help="run as of this ISO-8601 time (UTC if no zone is given)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    return parser.parse_args(argv)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def run(args: argparse.Namespace, env: dict[str, str]) -> int:
    config = load_config(args.config)
    rules = build_rules(config)
    endpoint = endpoint_from_env(env)
    target = target_from_env(env)
    root = args.config.resolve().parent
    now: datetime = args.now or datetime.now(UTC)

    archive_root = root / config.archive_dir
    span = plan_fetch_span(
        now,
        read_last_run(archive_root),
        window_days=config.window_days,
        lookback_days=config.lookback_days,
        max_catchup_days=config.max_catchup_days,
    )
    known = load_archive(
        archive_root, since=min(window_start(now, config.window_days), span.start.date())
    )
    fetched = fetch_papers(
        config.query, span, config.arxiv, endpoint=endpoint, expect_papers=span.holds_any(known)
    )
    for warning in fetched.warnings:
        report.warn(warning, env)

    merged = merge(known.papers, fetched.papers)
    changes = plan_changes(
        config,
        now=now,
        window=categorize_all(in_window(merged.papers.values(), now, config.window_days), rules),
        new=categorize_all(merged.new, rules),
        updated=categorize_all(merged.updated, rules),
        readme_text=_text_or_none(root / config.readme_path) or "",
        previous_page=known.pages.get(now.date()),
    )

    outcome = _publish(changes, root, config.readme_path, target, dry_run=args.dry_run)
    lines = report.summary_lines(changes, len(fetched.papers), span, config.category_order, outcome)
    report.print_summary(lines, env)
    return 0


def _publish(
    changes: Changes, root: Path, readme_path: str, target: GithubTarget | None, *, dry_run: bool
) -> str:
    """Write or commit every changed file at once; say what happened in one line.

    A README edited on the branch during the run gets the new block on top of that edit.
    """
    if not changes.files:
        return "no news: nothing was changed"
    names = ", ".join(changes.files)
    if dry_run:
        return f"dry run: would write {names}"
    if target is None:
        write_files(root, changes.files)
        return f"wrote {names}"
    read = {path: _text_or_none(root / path) for path in changes.files}
    block = changes.readme_block
    rebase = {readme_path: lambda text: replace_block(text or "", block)} if block else {}
    sha = publish_commit(target, changes.files, changes.message, base=read, rebase=rebase)
    if sha is None:
        return f"{target.repository} already holds this digest: no commit"
    return f"committed {sha[:12]} to {target.repository}: {names}"


def _text_or_none(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    env = dict(os.environ)
    args = parse_args(argv)
    try:
        return run(args, env)
    except (ConfigError, QueryError) as error:
        report.fail(str(error), env)
        return 2
    except (FetchError, ArchiveError, ReadmeError, PublishError) as error:
        report.fail(f"{error}", env)
        return 1
    except OSError as error:
        report.fail(f"cannot read or write the digest's files: {error}", env)
        return 1
    except Exception as error:
        if env.get("DIGEST_DEBUG"):
            raise
        report.fail(
            f"unexpected failure ({type(error).__name__}: {error}); nothing was changed; "
            "rerun with DIGEST_DEBUG=1 for the traceback and report it",
            env,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
