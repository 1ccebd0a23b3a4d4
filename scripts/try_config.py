"""Try a config on sample papers, offline, before committing it.

Usage: python scripts/try_config.py [--config config.yml] [--papers PAPERS.json] [--now TIME]

Runs the bot itself (`python -m digest`, this checkout's code) once, as a digest's first run, in
a temporary folder holding a copy of the config and its README, against the local fake arXiv
(tests/fake_arxiv.py) serving the sample papers; then prints the README block that run wrote and
each paper's topic with the evidence for it. Nothing in the repository is written.

PAPERS.json (or .json.gz) is a list of papers as in tests/fixtures/seed_papers.json or
tests/fixtures/cs_ai_papers.json.gz: `id` (`2601.23044v1` or `2601.23044`), `title`,
`abstract`, `published` (a date or an ISO time), optionally `authors`, `updated`,
`primary_category`, `categories` and `comment`. The fake serves every paper of the file whatever
the query asks (it checks only the query's syntax): the file stands for what the query finds.
The run is as of `--now` (default: 05:00 UTC the day after the newest paper). A first run files
papers under their submission day and nothing is submitted on its own day yet, so it lists the
papers submitted in the `window_days - 1` days before it (a later run, filing each day's news
under that day, lists `window_days` days).

Exit codes: 0 on success, 2 when the papers file or the config is unusable, 1 when the run failed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    # Run as a file, Python puts scripts/ first on the path, where `tests.*` does not import;
    # start again as a module of this checkout, found first on PYTHONPATH (-P: not the caller's
    # folder), in the caller's folder, where the paths the caller gives are relative to.
    root = Path(__file__).resolve().parents[1]
    paths = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-P", "-m", "scripts.try_config", *sys.argv[1:]]
    env = os.environ | {"PYTHONPATH": paths}
    sys.exit(subprocess.run(command, env=env, check=False).returncode)  # noqa: S603

import yaml

from digest.archive.page import read_page
from digest.config.settings import Config, ConfigError, load_config
from digest.records import Entry
from digest.render.readme import BLOCK_END, BLOCK_START, split_readme
from tests.fake_arxiv import FakeArxiv, FakePaper

ROOT = Path(__file__).resolve().parents[1]
# The fake answers at once: no reason to wait arXiv's 3 s between its pages.
_FAST_ARXIV = {"delay_seconds": 0, "backoff_seconds": 0.1, "retry_budget_seconds": 10}


class UsageError(Exception):
    """The papers file cannot be used; the message says why."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        config = load_config(args.config)
        papers = load_papers(args.papers)
    except (UsageError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    now = args.now or _morning_after(max(paper.published for paper in papers))
    with tempfile.TemporaryDirectory(prefix="try-config-") as folder:
        site = Path(folder)
        code = _run_bot(site, args.config, config, papers, now)
        if code:
            return code
        print(_report(site, config, papers, now, args.papers))
    return 0


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument(
        "--papers", type=Path, default=ROOT / "tests" / "fixtures" / "seed_papers.json"
    )
    parser.add_argument("--now", type=_moment, help="run as of this time, like 2026-02-13T05:00Z")
    return parser.parse_args(argv)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _morning_after(moment: datetime) -> datetime:
    return datetime.combine(moment.date() + timedelta(days=1), time(5), tzinfo=UTC)


def load_papers(path: Path) -> list[FakePaper]:
    """The papers of a JSON list (gzip-compressed when the name ends in .gz), as arXiv would
    serve them."""
    try:
        data = path.read_bytes()
        records = json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)
    except (OSError, ValueError) as error:
        raise UsageError(f"{path}: cannot be read as a JSON list of papers ({error})") from None
    if not isinstance(records, list) or not records:
        raise UsageError(f"{path}: must hold a JSON list of papers, with at least one")
    return [_checked_paper(path, number, record) for number, record in enumerate(records, 1)]


def _checked_paper(path: Path, number: int, record: object) -> FakePaper:
    try:
        if not isinstance(record, dict):
            raise TypeError("not a JSON object")
        return _paper(record)
    except KeyError as error:
        problem = f"no {error}"
    except (TypeError, ValueError) as error:
        problem = str(error)
    raise UsageError(
        f"{path}: paper {number}: {problem}; each paper needs id, title, abstract and published"
    )


def _paper(record: dict[str, Any]) -> FakePaper:
    versioned = re.fullmatch(r"(?P<base>.+?)(?:v(?P<version>\d+))?", str(record["id"]))
    if versioned is None:
        raise ValueError("id is empty")
    base, version = versioned["base"], versioned["version"]
    published = _when(record["published"])
    primary = str(record.get("primary_category") or "cs.NE")
    return FakePaper(
        arxiv_id=base,
        version=int(version or 1),
        title=str(record["title"]),
        authors=tuple(record.get("authors") or ("Anonymous",)),
        abstract=str(record["abstract"]),
        published=published,
        updated=_when(record["updated"]) if record.get("updated") else published,
        primary_category=primary,
        categories=tuple(record.get("categories") or (primary,)),
        comment=record.get("comment"),
    )


def _when(value: object) -> datetime:
    """A submission time; a bare date is taken as noon UTC."""
    text = str(value).replace("Z", "+00:00")
    if len(text) == len("2026-02-05"):
        return datetime.combine(date.fromisoformat(text), time(12), tzinfo=UTC)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _run_bot(
    site: Path, config_path: Path, config: Config, papers: list[FakePaper], now: datetime
) -> int:
    """One local run in `site` against the fake; its summary names files of `site`, so only a
    failure is passed on."""
    settings = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    settings["arxiv"] = {**(settings.get("arxiv") or {}), **_FAST_ARXIV}
    (site / "config.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    readme = config_path.parent / config.readme_path
    target = site / config.readme_path
    target.parent.mkdir(parents=True, exist_ok=True)
    if readme.is_file():
        shutil.copy(readme, target)
    else:
        target.write_text(f"{BLOCK_START}\n{BLOCK_END}\n", encoding="utf-8")
    with FakeArxiv(papers) as arxiv:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env |= {"ARXIV_API_URL": arxiv.url, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
        command = [sys.executable, "-m", "digest", "--config", str(site / "config.yml")]
        result = subprocess.run(  # noqa: S603
            [*command, "--now", now.isoformat()],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode:
        sys.stderr.write(result.stderr)  # the bot's one line on what went wrong
    return result.returncode


def _report(
    site: Path, config: Config, papers: list[FakePaper], now: datetime, source: Path
) -> str:
    _, block, _ = split_readme((site / config.readme_path).read_text(encoding="utf-8"))
    entries = [
        entry
        for page in sorted((site / config.archive_dir).rglob("*.md"))
        for entry in read_page(page).new
    ]
    lines = [
        f"The README block a first run as of {now:%Y-%m-%d %H:%M} UTC would write:",
        "",
        block,
        "",
        f"Each paper's topic and why ({len(entries)} of the {len(papers)} in {source}"
        + (
            f"; the others were submitted before the {config.window_days}-day window, whose"
            " last day, the run's own, has no submissions yet):"
            if len(entries) < len(papers)
            else "):"
        ),
        "",
        *(_row(entry) for entry in sorted(entries, key=lambda e: e.paper.arxiv_id)),
        "",
        "Nothing was written: the run used a temporary copy of the config and README.",
    ]
    return "\n".join(lines)


def _row(entry: Entry) -> str:
    decision = entry.decision
    topic = decision.category if decision.relevant else f"{decision.category} (off-topic)"
    return (
        f"{entry.paper.arxiv_id}  {topic}  <- {decision.reason or 'no term matched'}"
        f"  | {entry.paper.title}"
    )


if __name__ == "__main__":
    sys.exit(main())
