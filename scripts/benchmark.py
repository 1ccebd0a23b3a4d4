"""Measure the digest's speed and size budgets against a local arXiv, side by side in one run.

Run `python -m scripts.benchmark` from the repository root (2 to 3 minutes). It prints each
measurement beside its budget and exits 1 when one is over. Every digest run is a fresh process
(`python -m digest`, this checkout's code) against tests/fake_arxiv.py on a fresh copy of a site
folder, so start-up counts as in Actions. Not a test: timings need a quiet machine and minutes.

* Small field ("A codebase the next engineer can change"): a typical day, 14-day window, the 81
  seed papers archived by a run the day before and 20 new ones; against it a plain script doing
  the old bot's job (scripts/plain_baseline.py), alternated, median of 5 each.
* Busy field ("Busy fields"): 300 new papers each weekday and two years of daily archive pages:
  one daily run's wall time (median of 3), peak memory, arXiv requests and the size of every
  page it wrote; then categorizing and rendering 2,000 papers in this process.

The busy field's archive: one weekday's page is rendered by digest.archive.page_files from 300
real cs.AI papers (../shared/fixtures, or the seed papers when absent); every other weekday of
the two years is a copy with its date and id prefix replaced (same lengths, so sizes and YAML
wrapping stay real). A run reads only the last ~40 days, and those match what the local arXiv
serves; the page of the day before the timed run is written by a real run of the digest.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from digest.archive import DayPage, page_files
from digest.categorize import build_rules, categorize
from digest.config import Config, load_config
from digest.paths import Layout
from digest.records import Entry, Paper
from digest.render import BlockSpec, render_block
from tests.fake_arxiv import FakeArxiv, FakePaper, seed_fake_papers

ROOT = Path(__file__).resolve().parents[1]
TEXTS = (
    ROOT.parent / "shared/fixtures/cs_ai_papers.json",
    ROOT / "tests/fixtures/seed_papers.json",
)
# A Wednesday after the seed papers: the run before it (Tuesday) is in the same ISO week, so
# neither run is the week's first, which also sweeps for late papers.
RUN_AT = datetime(2026, 2, 18, 5, 0, tzinfo=UTC)
SMALL_REPEATS, SMALL_NEW = 5, 20
STARTUP_BUDGET, STARTUP_GOAL = 1.5, 1.3
BUSY_REPEATS, BUSY_PER_DAY, BATCH = 3, 300, 2_000
HISTORY_DAYS, SERVED_DAYS = 730, 45  # served: more than late_sweep_days (38), all a run can ask
TEMPLATE_DAY = date(1999, 12, 31)
BUSY_RATIO_BUDGET, MEMORY_BUDGET_MB, BATCH_BUDGET_S = 3.0, 300.0, 1.0


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


def make_site(folder: Path, *, busy: bool) -> Path:
    """A digest folder: the repository's config.yml without arXiv's delay, an empty block.

    A busy field keeps the default display.full_days (3): the 14 of config.yml is for its small
    field, as its comment says."""
    settings = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    settings["arxiv"]["delay_seconds"] = 0
    if busy:
        settings["display"].pop("full_days")
    folder.mkdir(parents=True)
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    (folder / "config.yml").write_text(text, encoding="utf-8")
    readme = "<!-- digest:start -->\n<!-- digest:end -->\n\n## About\n\nHand-written text.\n"
    (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


@functools.cache
def texts() -> list[dict[str, Any]]:
    """Real titles, authors and abstracts (~1,300 characters) to give generated papers."""
    path = next(path for path in TEXTS if path.exists())
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return records


def small_field(work: Path) -> tuple[list[Row], float]:
    """Rows for the typical small-field day, and the digest's median seconds for it."""
    query = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["query"]
    plain = [sys.executable, "-m", "scripts.plain_baseline", query]
    digest_runs, plain_runs = [], []
    with FakeArxiv(seed_fake_papers()) as server:
        template = make_site(work / "small", busy=False)
        run_child(digest_command(template, RUN_AT - timedelta(days=1)), template, server.url)
        server.add(*_small_day(RUN_AT - timedelta(days=1)))
        for repeat in range(SMALL_REPEATS):
            site, plain_site = work / f"small-{repeat}", work / f"small-{repeat}-plain"
            shutil.copytree(template, site)
            shutil.copytree(template, plain_site)
            digest_runs.append(run_child(digest_command(site, RUN_AT), site, server.url))
            plain_runs.append(run_child(plain, plain_site, server.url))
    digest = statistics.median(run.seconds for run in digest_runs)
    baseline = statistics.median(run.seconds for run in plain_runs)
    ratio = digest / baseline
    return [
        Row(f"small field: typical day, digest (median of {SMALL_REPEATS})", f"{digest:.3f} s"),
        Row("  its summary", digest_runs[0].summary),
        Row("small field: plain script, old bot's job", f"{baseline:.3f} s"),
        Row(
            "small field: digest / plain script",
            f"{ratio:.2f}x",
            f"<= {STARTUP_BUDGET}x (goal {STARTUP_GOAL}x)",
            ratio <= STARTUP_BUDGET,
        ),
    ], digest


def _small_day(after: datetime) -> list[FakePaper]:
    """New papers with real texts, submitted between the previous run and the timed one."""
    step = (RUN_AT - after) / (SMALL_NEW + 1)
    return [
        FakePaper(
            arxiv_id=f"{RUN_AT:%y%m}.9{n:04d}",
            title=text["title"],
            authors=tuple(text["authors"]),
            abstract=text["abstract"],
            published=after + step * (n + 1),
            updated=after + step * (n + 1),
        )
        for n, text in enumerate(texts()[:SMALL_NEW])
    ]


def busy_day(day: date) -> list[FakePaper]:
    """A weekday's papers, ids `YYMM.DDnnn`, submitted one a minute from midnight, before the
    05:00 run; the same texts every day, so a copied archive page matches them."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [
        FakePaper(
            arxiv_id=f"{day:%y%m}.{day:%d}{n:03d}",
            title=text["title"],
            authors=tuple(text["authors"]),
            abstract=text["abstract"],
            published=start + timedelta(minutes=n),
            updated=start + timedelta(minutes=n),
            primary_category=text.get("primary_category", "cs.NE"),
            categories=tuple(text.get("categories", ())),
            comment=text.get("comment"),
        )
        for n, text in enumerate(texts()[:BUSY_PER_DAY])
    ]


def as_paper(fake: FakePaper) -> Paper:
    return Paper(
        arxiv_id=fake.arxiv_id,
        version=fake.version,
        title=fake.title,
        authors=fake.authors,
        published=fake.published,
        updated=fake.updated,
        primary_category=fake.primary_category,
        categories=fake.categories,
        abstract=fake.abstract,
        comment=fake.comment,
    )


def weekdays(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            yield day


def write_history(site: Path, config: Config, last: date) -> int:
    """Two years of weekday pages up to `last`, copied from one real page; the bytes written."""
    layout = Layout(site, "", config.readme_path, config.archive_dir)
    rules = build_rules(config)
    papers = [as_paper(fake) for fake in busy_day(TEMPLATE_DAY)]
    entries = tuple(Entry(p, TEMPLATE_DAY, categorize(p, rules)) for p in papers)
    ran = datetime(TEMPLATE_DAY.year, TEMPLATE_DAY.month, TEMPLATE_DAY.day, 5, tzinfo=UTC)
    page = DayPage(TEMPLATE_DAY, ran, entries, (), config.query)
    order, limit = config.category_order, config.display.max_page_bytes
    parts = list(page_files(page, layout, order, limit).values())
    written = 0
    for day in weekdays(last - timedelta(days=HISTORY_DAYS), last):
        for number, text in enumerate(parts, start=1):
            path = site / layout.page(day, number)
            path.parent.mkdir(parents=True, exist_ok=True)
            moved = text.replace(f"{TEMPLATE_DAY}", f"{day}")
            moved = moved.replace(f"{TEMPLATE_DAY:%y%m.%d}", f"{day:%y%m.%d}")
            written += path.write_bytes(moved.encode("utf-8"))
    return written


def busy_field(work: Path, small_seconds: float) -> list[Row]:
    """Rows for the busy field's daily run and for categorizing and rendering a batch."""
    site = make_site(work / "busy", busy=True)
    config = load_config(site / "config.yml")
    history = write_history(site, config, RUN_AT.date() - timedelta(days=2))
    served = weekdays(
        RUN_AT.date() - timedelta(days=SERVED_DAYS), RUN_AT.date() - timedelta(days=1)
    )
    with FakeArxiv(paper for day in served for paper in busy_day(day)) as server:
        run_child(digest_command(site, RUN_AT - timedelta(days=1)), site, server.url)
        server.add(*busy_day(RUN_AT.date()))
        runs, requests = [], []
        for repeat in range(BUSY_REPEATS):
            # Hard links: the run replaces files by rename, never writes through a link.
            copy = work / f"busy-{repeat}"
            shutil.copytree(site, copy, copy_function=os.link)
            server.clear_requests()
            runs.append(run_child(digest_command(copy, RUN_AT), copy, server.url))
            requests.append(len(server.requests))
    seconds = statistics.median(run.seconds for run in runs)
    peak = max(run.peak_mb for run in runs)
    rows = [
        Row(f"busy field: two years of pages ({history / 2**20:.0f} MiB), 300 new", ""),
        Row(f"busy field: daily run (median of {BUSY_REPEATS})", f"{seconds:.3f} s"),
        Row("  its summary", runs[0].summary),
        Row(
            "busy field: daily run / small-field day",
            f"{seconds / small_seconds:.2f}x",
            f"<= {BUSY_RATIO_BUDGET}x",
            seconds <= BUSY_RATIO_BUDGET * small_seconds,
        ),
        Row(
            "busy field: peak memory of the run",
            f"{peak:.0f} MiB",
            f"<= {MEMORY_BUDGET_MB:.0f} MiB",
            peak <= MEMORY_BUDGET_MB,
        ),
        Row("busy field: arXiv requests", ", ".join(map(str, requests))),
    ]
    limit = config.display.max_page_bytes
    for name, size in written_pages(site, copy).items():
        rows.append(Row(f"  page written: {name}", f"{size:,} B", f"<= {limit:,} B", size <= limit))
    return rows + batch_rows(config)


def written_pages(before: Path, after: Path) -> dict[str, int]:
    """Markdown files the run added or replaced (a new inode: the copy was hard-linked)."""
    pages = {}
    for path in sorted(after.rglob("*.md")):
        old = before / path.relative_to(after)
        if not old.exists() or old.stat().st_ino != path.stat().st_ino:
            pages[str(path.relative_to(after))] = path.stat().st_size
    return pages


def batch_rows(config: Config) -> list[Row]:
    """Categorize and render BATCH papers in this process, as a busy run's window does."""
    layout = Layout(Path("."), "", config.readme_path, config.archive_dir)
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
        day_links={day: layout.link_from_readme(layout.page(day)) for day in days},
    )
    sorting = median_seconds(categorize_all)
    rendering = median_seconds(lambda: render_block(spec, entries))
    total = sorting + rendering
    return [
        Row(f"categorize {len(papers):,} papers (median of 3)", f"{sorting:.3f} s"),
        Row(f"render a README block of {len(entries):,} papers", f"{rendering:.3f} s"),
        Row(
            "categorize + render",
            f"{total:.3f} s",
            f"<= {BATCH_BUDGET_S} s",
            total <= BATCH_BUDGET_S,
        ),
    ]


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


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as folder:
        small_rows, small_seconds = small_field(Path(folder))
        rows = small_rows + busy_field(Path(folder), small_seconds)
    print_table(rows)
    print(f"({time.perf_counter() - started:.0f} s in all, Python {sys.version.split()[0]})")
    return 1 if any(row.ok is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
