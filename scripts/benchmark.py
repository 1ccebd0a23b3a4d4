"""Measure the run's speed budgets on synthetic data: years of archive, a busy day, start-up.

Run `python scripts/benchmark.py`; it prints each measurement next to its budget and exits 1 when
one is over. Timings are medians of a few repeats, so a noisy machine moves them little.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.archive import DayPage, load_archive, page_path, read_last_run, render_page
from digest.categorize import build_rules, categorize
from digest.config import Config
from digest.publish_local import write_files
from digest.records import Decision, Entry, Paper
from digest.render import render_block, sections_of

YEARS_OF_PAGES = 3
PAPERS_PER_DAY = 15
BUSY_DAY = 2000
NOW = datetime(2026, 11, 22, 5, 17, tzinfo=UTC)
BUDGETS = {
    "start-up (python scripts/update_digest.py --help)": 2.0,
    f"load the window from {YEARS_OF_PAGES} years of daily pages": 1.0,
    f"categorize {BUSY_DAY} papers": 15.0,
    "render a README block of 300 papers": 1.0,
}
ABSTRACT = (
    "We report a memristive crossbar array trained with a local spike-timing-dependent plasticity "
    "rule, and evaluate a spiking neural network on event-camera gesture recognition. The device "
    "shows analog conductance states, low variability and high endurance. "
) * 3


def _paper(number: int, published: datetime) -> Paper:
    return Paper(
        arxiv_id=f"{published:%y%m}.{number:05d}",
        version=1,
        title=f"Spiking neural network on a neuromorphic chip, study {number}",
        authors=("A. Author", "B. Author", "C. Author", "D. Author"),
        published=published,
        updated=published,
        primary_category="cs.NE",
        categories=("cs.NE", "cs.ET"),
        abstract=ABSTRACT,
    )


def _median(action: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _build_archive(root: Path, order: list[str]) -> None:
    day = NOW.date() - timedelta(days=365 * YEARS_OF_PAGES)
    files = {}
    while day < NOW.date():
        moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)
        entries = tuple(
            Entry(
                _paper(day.timetuple().tm_yday * 100 + n, moment), Decision(order[0], "benchmark")
            )
            for n in range(PAPERS_PER_DAY)
        )
        page = DayPage(day=day, last_run=moment, new=entries, updated=())
        files[page_path("archive", day)] = render_page(page, order)
        day += timedelta(days=1)
    write_files(root, files)


def main() -> int:
    config = Config()
    order = config.category_order
    rules = build_rules(config)
    busy = [_paper(n, NOW - timedelta(hours=n % 100)) for n in range(BUSY_DAY)]
    shown = [Entry(paper, categorize(paper, rules)) for paper in busy[:300]]
    script = Path(__file__).with_name("update_digest.py")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _build_archive(root, order)
        since = NOW.date() - timedelta(days=config.window_days)

        def load() -> None:
            read_last_run(root / "archive")
            load_archive(root / "archive", since=since)

        measured = [
            _median(
                lambda: subprocess.run(  # noqa: S603 - runs our own script
                    [sys.executable, str(script), "--help"], check=True, capture_output=True
                )
            ),
            _median(load),
            _median(lambda: [categorize(paper, rules) for paper in busy], repeats=1),
            _median(
                lambda: render_block(
                    title=config.title,
                    description=config.description,
                    sections=sections_of(shown, order),
                    window_days=config.window_days,
                    changed_at=NOW,
                )
            ),
        ]
    over = False
    for (name, budget), seconds in zip(BUDGETS.items(), measured, strict=True):
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        over |= seconds > budget
        print(f"{seconds:8.3f} s  (budget {budget:5.1f} s)  {verdict:11}  {name}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
