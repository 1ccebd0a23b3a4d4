"""Run the digest once from the command line: `python -m digest`, `arxiv-digest`, or
scripts/update_digest.py.

Exit codes: 0 done (changed or not), 1 the run failed and changed nothing, 2 a mistake in
config.yml, the environment or the command line. `--check` only validates the config (0 or 2);
`--notify-test` only sends a test message to each DIGEST_NOTIFY URL (0 all sent, 1 not, 2 when
DIGEST_NOTIFY is unset).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from digest.errors import DigestError, SettingsError
from digest.output import Output, setup_output

if TYPE_CHECKING:
    from digest.pipeline import RunOptions

# arXiv began in August 1991; the upper end keeps every date computation far from year 9999.
EARLIEST_NOW = datetime(1991, 8, 1, tzinfo=UTC)
LATEST_NOW = datetime(2999, 12, 31, 23, 59, tzinfo=UTC)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line, and an annotation in Actions, like every other error."""

    def __init__(self, output: Output) -> None:
        super().__init__(prog="arxiv-digest", description=__doc__)
        self.output = output

    def error(self, message: str) -> NoReturn:
        self.output.fail(f"{message} (see --help)")
        raise SystemExit(2)


def parse_args(argv: Sequence[str] | None, output: Output) -> argparse.Namespace:
    parser = _Parser(output)
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("config.yml"),
        help="settings file; README and archive paths are relative to its folder",
    )
    parser.add_argument(
        "--now",
        type=_moment,
        help="run as of this ISO-8601 time (UTC if no zone is given), "
        f"between {EARLIEST_NOW:%Y-%m-%d} and {LATEST_NOW:%Y-%m-%d}",
    )
    parser.add_argument(
        "--since",
        type=_day,
        help="backfill: fill the archive with papers submitted from this date (YYYY-MM-DD) on, "
        "filed under their submission day; safe to re-run",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only validate the config, offline",
    )
    parser.add_argument(
        "--notify-test",
        action="store_true",
        help="only send one test message to each URL in DIGEST_NOTIFY and say which went through "
        "(exit 0 when all did, 1 otherwise)",
    )
    args = parser.parse_args(argv)
    if args.check and (args.now or args.since or args.dry_run):
        parser.error("--check takes no other option than --config")
    if args.notify_test and (args.check or args.now or args.since or args.dry_run):
        parser.error("--notify-test takes no other option")
    return args


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r}") from None
    try:
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        moment = LATEST_NOW.replace(year=9999) if moment.year > 1 else EARLIEST_NOW.replace(year=1)
    if not EARLIEST_NOW <= moment <= LATEST_NOW:
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside {EARLIEST_NOW:%Y-%m-%d} to {LATEST_NOW:%Y-%m-%d}"
        )
    return moment


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-01-31: {text!r}") from None
    if not EARLIEST_NOW.date() <= day <= LATEST_NOW.date():
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside {EARLIEST_NOW:%Y-%m-%d} to {LATEST_NOW:%Y-%m-%d}"
        )
    return day


def main(argv: Sequence[str] | None = None) -> int:
    env = dict(os.environ)
    output = setup_output(env)
    args = parse_args(argv, output)
    if args.check:
        return _check(args.config, output)
    if args.notify_test:
        return _notify_test(env, output)
    return _run(args, env, output)


def _check(config: Path, output: Output) -> int:
    """--check: the config's verdict in one line; the pipeline is not even imported."""
    from digest.config.check import check_config

    try:
        confirmation = check_config(config)
    except DigestError as error:
        return _failed(output, str(error), error.exit_code)
    output.finish([confirmation])
    return 0


def _notify_test(env: dict[str, str], output: Output) -> int:
    """--notify-test: a line per service; the pipeline is not imported."""
    from digest.notify import notify_test

    try:
        lines, all_sent = notify_test(env)
    except DigestError as error:
        return _failed(output, str(error), error.exit_code)
    output.finish(lines)
    return 0 if all_sent else 1


def _run(args: argparse.Namespace, env: dict[str, str], output: Output) -> int:
    # Imported here so that --help and usage errors answer without loading the pipeline.
    from digest.pipeline import run_digest
    from digest.publish.local import only_run
    from digest.summary import summary_details, summary_lines

    started = time.monotonic()
    try:
        with only_run(args.config.resolve().parent):
            report = run_digest(_options(args, env))
    except DigestError as error:
        return _failed(output, str(error), error.exit_code)
    except OSError as error:
        return _failed(output, f"cannot read or write the digest's files: {error}", 1)
    except Exception as error:
        if env.get("DIGEST_DEBUG"):
            raise
        message = (
            f"unexpected failure ({type(error).__name__}: {error}); nothing was changed; "
            "rerun with DIGEST_DEBUG=1 for the traceback and report it"
        )
        return _failed(output, message, 1)
    output.finish(summary_lines(report, time.monotonic() - started), summary_details(report))
    return 0


def _options(args: argparse.Namespace, env: Mapping[str, str]) -> RunOptions:
    """The run's options from the command line and the environment, or a SettingsError."""
    from digest.fetch import endpoint_from_env
    from digest.layout import repository_pages
    from digest.notify import notifier_from_env
    from digest.pipeline import RunOptions
    from digest.publish.github.target import target_from_env

    now = args.now or datetime.now(UTC)
    if args.since is not None and args.since > now.date():
        raise SettingsError(f"--since {args.since} is after the run's date {now:%Y-%m-%d}")
    target = target_from_env(env)
    return RunOptions(
        config_path=args.config,
        now=now,
        dry_run=args.dry_run,
        endpoint=endpoint_from_env(env),
        workspace=_workspace(args.config, env, github=target is not None),
        target=target,
        notifier=notifier_from_env(env),
        web=repository_pages(env),
        backfill_from=args.since,
    )


def _workspace(config_path: Path, env: Mapping[str, str], *, github: bool) -> Path:
    """The repository holding the config: GITHUB_WORKSPACE in Actions, elsewhere the nearest
    folder above the config holding .git. Paths in the repository are relative to it."""
    folder = config_path.resolve().parent
    if env.get("GITHUB_WORKSPACE"):
        root = Path(env["GITHUB_WORKSPACE"]).resolve()
    else:
        root = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), folder)
    if folder.is_relative_to(root):
        return root
    if github:
        raise SettingsError(
            f"{config_path}: the config file must lie inside the repository checkout "
            f"({root}) so its README and archive can be committed; pass a --config inside it"
        )
    return folder


def _failed(output: Output, message: str, code: int) -> int:
    output.fail(message)
    output.finish([])
    return code


if __name__ == "__main__":
    sys.exit(main())
