"""Measure the digest's speed and size budgets against a local arXiv, side by side in one run.

Run `python scripts/benchmark.py` or `python -m scripts.benchmark` (under a minute). It prints each
measurement beside its budget and exits 1 when one is over. Every digest run is a fresh process
(`python -m digest`, this checkout's code) against tests/fake_arxiv.py on a fresh copy of a site
folder, so start-up counts as in Actions. Every module is byte-compiled before the first round, so
no round pays for compiling what the next one reuses. Not a test: timings need a
quiet machine and minutes.

* Small field ("A codebase the next engineer can change"): a typical day, 14-day window, the 81
  seed papers archived by a run the day before and 20 new ones; against it a plain script doing
  the old bot's job (scripts/plain_baseline.py).
* Busy field ("Busy fields"): 300 new papers each weekday and two years of daily archive pages
  (see scripts/benchmark_data.py for what is real and what is copied); after a real run the day
  before, one daily run's wall time, peak memory, arXiv requests and the size of every page it
  wrote; then categorizing and rendering 2,000 papers in this process.

The three timed runs take turns, 15 rounds of one each, and each is reported as its median: a slow
spell of a shared machine then weighs on both sides of every ratio. Single runs here swing by a
third; with 7 rounds the small-field ratio of one unchanged build read anywhere from 1.24 to
1.68, so the median takes 15.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

if __name__ == "__main__" and not __package__:
    # Run as a file, Python puts scripts/ first on the path, where `scripts.*` and `tests.*` do
    # not import; start again as a module from the repository root, the import path untouched.
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "scripts.benchmark", *sys.argv[1:]]
    sys.exit(subprocess.run(command, cwd=root, check=False).returncode)  # noqa: S603

import yaml

from digest.categorize.rules import build_rules, categorize
from digest.config.settings import Config, load_config
from digest.layout import Layout
from digest.records import Entry
from digest.render.block import BlockSpec, render_block
from scripts.benchmark_data import (
    ROOT,
    RUN_AT,
    as_paper,
    busy_day,
    make_site,
    small_day,
    weekdays,
    write_history,
)
from tests.fake_arxiv import FakeArxiv, seed_fake_papers

ROUNDS, BATCH = 15, 2_000
SERVED_DAYS = 45  # more than late_sweep_days (38): all a run can ask the local arXiv for
# Budgets, from the issues "A codebase the next engineer can change" and "Busy fields".
STARTUP_RATIO, BUSY_RATIO, MEMORY_MIB, BATCH_SECONDS = 2.0, 3.0, 300, 1.0


@dataclass(frozen=True)
class Row:
    """One line of the table; `ok` None is information without a budget."""

    name: str
    value: str
    budget: str = ""
    ok: bool | None = None


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_mb: float
    summary: str


def run_child(command: list[str], cwd: Path, arxiv_url: str) -> ChildRun:
    """Run `command` as a fresh process; wall time, peak resident memory (os.wait4's
    ru_maxrss, KiB on Linux) and the digest's "new N, updated M" summary line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}  # local mode
    env |= {"PYTHONPATH": str(ROOT), "ARXIV_API_URL": arxiv_url}
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)  # noqa: S603
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if child.returncode != 0:
        sys.exit(f"benchmark: {' '.join(command[1:])} failed in {cwd}:\n{text}")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("new ")]
    return ChildRun(seconds, usage.ru_maxrss / 1024, lines[0] if lines else "")


def digest_command(site: Path, now: datetime) -> list[str]:
    return [
        sys.executable,
        "-m",
        "digest",
        "--config",
        str(site / "config.yml"),
        "--now",
        f"{now:%Y-%m-%dT%H:%M}",
    ]


class SmallField(NamedTuple):
    site: Path
    server: FakeArxiv
    plain: list[str]


class BusyField(NamedTuple):
    site: Path
    server: FakeArxiv
    config: Config
    history_bytes: int


class Rounds(NamedTuple):
    """The timed runs, made in rounds of one of each, so a slower spell of a shared machine
    weighs on every ratio alike."""

    small: list[ChildRun]
    plain: list[ChildRun]
    busy: list[ChildRun]
    busy_requests: list[int]
    busy_copy: Path


def small_field(work: Path, servers: ExitStack) -> SmallField:
    """The small field's site after a real run the day before, and that day's news served."""
    server = servers.enter_context(FakeArxiv(seed_fake_papers()))
    site = make_site(work / "small", busy=False)
    run_child(digest_command(site, RUN_AT - timedelta(days=1)), site, server.url)
    server.add(*small_day(RUN_AT - timedelta(days=1)))
    query = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["query"]
    return SmallField(site, server, [sys.executable, "-m", "scripts.plain_baseline", query])


def busy_field(work: Path, servers: ExitStack) -> BusyField:
    """The busy field's site: two years of pages, a real run the day before, and the day's 300
    new papers served."""
    site = make_site(work / "busy", busy=True)
    config = load_config(site / "config.yml")
    history = write_history(site, config, RUN_AT.date() - timedelta(days=2))
    first, last = RUN_AT.date() - timedelta(days=SERVED_DAYS), RUN_AT.date() - timedelta(days=1)
    papers = (paper for day in weekdays(first, last) for paper in busy_day(day))
    server = servers.enter_context(FakeArxiv(papers))
    run_child(digest_command(site, RUN_AT - timedelta(days=1)), site, server.url)
    server.add(*busy_day(RUN_AT.date()))
    return BusyField(site, server, config, history)


def timed_rounds(work: Path, small: SmallField, busy: BusyField) -> Rounds:
    """Each round: the small-field day, the plain script, the busy-field day, each on a fresh
    copy of its site."""
    rounds = Rounds([], [], [], [], busy.site)
    for repeat in range(ROUNDS):
        site, plain_site = work / f"small-{repeat}", work / f"small-{repeat}-plain"
        shutil.copytree(small.site, site)
        shutil.copytree(small.site, plain_site)
        rounds.small.append(run_child(digest_command(site, RUN_AT), site, small.server.url))
        rounds.plain.append(run_child(small.plain, plain_site, small.server.url))
        # Hard links: the run replaces files by rename, never writes through a link.
        copy = work / f"busy-{repeat}"
        shutil.copytree(busy.site, copy, copy_function=os.link)
        busy.server.clear_requests()
        rounds.busy.append(run_child(digest_command(copy, RUN_AT), copy, busy.server.url))
        rounds.busy_requests.append(len(busy.server.requests))
    return rounds._replace(busy_copy=copy)


def small_rows(rounds: Rounds) -> list[Row]:
    digest = _median(rounds.small)
    baseline = _median(rounds.plain)
    return [
        Row(f"small field: typical day, digest (median of {ROUNDS})", f"{digest:.3f} s"),
        Row("  its summary", rounds.small[0].summary),
        Row("small field: plain script, old bot's job", f"{baseline:.3f} s"),
        checked(
            "small field: digest / plain",
            digest / baseline,
            STARTUP_RATIO,
            "{:.2f}x",
        ),
    ]


def busy_rows(rounds: Rounds, busy: BusyField) -> list[Row]:
    seconds = _median(rounds.busy)
    page_limit, feed_limit = busy.config.display.max_page_bytes, busy.config.feed.max_bytes
    return [
        Row(
            f"busy field: {busy.history_bytes / 2**20:.0f} MiB of archive pages, 300 new papers", ""
        ),
        Row(f"busy field: daily run (median of {ROUNDS})", f"{seconds:.3f} s"),
        Row("  its summary", rounds.busy[0].summary),
        checked(
            "busy field: daily run / small-field day",
            seconds / _median(rounds.small),
            BUSY_RATIO,
            "{:.2f}x",
        ),
        checked(
            "busy field: peak memory", max(r.peak_mb for r in rounds.busy), MEMORY_MIB, "{:.0f} MiB"
        ),
        Row("busy field: arXiv requests (each run)", ", ".join(map(str, rounds.busy_requests))),
        *(
            checked(
                f"  page written: {name}",
                size,
                feed_limit if name.endswith(".xml") else page_limit,
                "{:,} B",
            )
            for name, size in written_pages(busy.site, rounds.busy_copy).items()
        ),
    ]


def _median(runs: list[ChildRun]) -> float:
    return statistics.median(run.seconds for run in runs)


def written_pages(before: Path, after: Path) -> dict[str, int]:
    """Markdown pages and the feed the run added or replaced (a new inode: the copy was
    hard-linked)."""
    pages = {}
    for path in sorted([*after.rglob("*.md"), *after.rglob("*.xml")]):
        old = before / path.relative_to(after)
        if not old.exists() or old.stat().st_ino != path.stat().st_ino:
            pages[str(path.relative_to(after))] = path.stat().st_size
    return pages


def batch_rows(config: Config) -> list[Row]:
    """Categorize and render BATCH papers in this process, as a busy run's window does."""
    layout = Layout.of(Path("config.yml"), config, Path())
    days = sorted(weekdays(RUN_AT.date() - timedelta(days=14), RUN_AT.date()), reverse=True)
    share = BATCH // len(days) + 1
    papers = [(day, as_paper(f)) for day in days for f in reversed(busy_day(day)[:share])]
    papers = papers[:BATCH]
    entries: list[Entry] = []

    def categorize_all() -> None:
        rules = build_rules(config)
        entries[:] = [Entry(paper, day, categorize(paper, rules)) for day, paper in papers]

    spec = BlockSpec(
        title=config.title,
        description=config.description,
        window_days=config.window_days,
        order=config.category_order,
        display=config.display,
        max_bytes=config.display.max_page_bytes,
        day_links={day: (layout.link_from_readme(layout.page(day)),) for day in days},
    )
    sorting = median_seconds(categorize_all)
    rendering = median_seconds(lambda: render_block(spec, entries))
    return [
        Row(f"categorize {len(papers):,} papers (median of 3)", f"{sorting:.3f} s"),
        Row(f"render a README block of {len(entries):,} papers", f"{rendering:.3f} s"),
        checked("categorize + render", sorting + rendering, BATCH_SECONDS, "{:.3f} s"),
    ]


def checked(name: str, value: float, limit: float, shown: str) -> Row:
    """A row with a budget: `value` must not exceed `limit`; `shown` formats both."""
    return Row(name, shown.format(value), f"<= {shown.format(limit)}", value <= limit)


def median_seconds(action: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table(rows: list[Row]) -> None:
    width = max(len(row.name) for row in rows)
    for row in rows:
        verdict = {None: "", True: "ok", False: "OVER BUDGET"}[row.ok]
        print(f"{row.name:<{width}}  {row.value:>12}  {row.budget:<26} {verdict}".rstrip())


def compile_bytecode() -> None:
    """Byte-compile the bot and the plain script once, so that no round pays for it."""
    for folder in ("digest", "scripts"):
        if not compileall.compile_dir(ROOT / folder, quiet=1):
            sys.exit(f"benchmark: cannot byte-compile {folder}/")


def main() -> int:
    started = time.perf_counter()
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as folder, ExitStack() as servers:
        work = Path(folder)
        small, busy = small_field(work, servers), busy_field(work, servers)
        rounds = timed_rounds(work, small, busy)
        rows = small_rows(rounds) + busy_rows(rounds, busy) + batch_rows(busy.config)
    print_table(rows)
    print(f"({time.perf_counter() - started:.0f} s in all, Python {sys.version.split()[0]})")
    return 1 if any(row.ok is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
