"""What scripts/benchmark.py runs the digest on: site folders and papers for a local arXiv.

Papers get real titles, authors and abstracts (~1,300 characters): 1,826 cs.AI papers from
../shared/fixtures beside the checkout, or the 81 seed papers of tests/fixtures when absent.

The busy field's archive: one weekday's page is rendered by digest.archive.page.render_parts
from 300 papers; every other weekday of the two years is a copy with its date and id prefix replaced
(same lengths, so sizes and YAML wrapping stay real). A run reads only the last ~40 days of
pages, and those match what the local arXiv serves (`busy_day`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from digest.archive.page import DayPage, render_parts
from digest.categorize.rules import build_rules, categorize
from digest.config.settings import Config
from digest.layout import Layout
from digest.records import Entry, Paper
from tests.fake_arxiv import FakePaper

ROOT = Path(__file__).resolve().parents[1]
TEXTS = (
    ROOT.parent / "shared/fixtures/cs_ai_papers.json",
    ROOT / "tests/fixtures/seed_papers.json",
)
# A Wednesday after the seed papers: the run before it (Tuesday) is in the same ISO week, so
# neither run is on a Monday, whose run also sweeps for late papers.
RUN_AT = datetime(2026, 2, 18, 5, 0, tzinfo=UTC)
SMALL_NEW, BUSY_PER_DAY, HISTORY_DAYS = 20, 300, 730
TEMPLATE_DAY = date(1999, 12, 31)


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


def nth_text(n: int) -> dict[str, Any]:
    """The texts in turn, from the first again when there are fewer than papers asked for."""
    return texts()[n % len(texts())]


def text_paper(text: dict[str, Any], arxiv_id: str, moment: datetime) -> FakePaper:
    """A paper with a real title, authors and abstract, submitted (and last updated) at `moment`."""
    return FakePaper(
        arxiv_id=arxiv_id,
        title=text["title"],
        authors=tuple(text["authors"]),
        abstract=text["abstract"],
        published=moment,
        updated=moment,
        primary_category=text.get("primary_category", "cs.NE"),
        categories=tuple(text.get("categories", ())),
        comment=text.get("comment"),
    )


def small_day(after: datetime) -> list[FakePaper]:
    """The typical day's new papers, submitted between the previous run and the timed one."""
    step = (RUN_AT - after) / (SMALL_NEW + 1)
    return [
        text_paper(nth_text(n), f"{RUN_AT:%y%m}.9{n:04d}", after + step * (n + 1))
        for n in range(SMALL_NEW)
    ]


def busy_day(day: date) -> list[FakePaper]:
    """A weekday's papers, ids `YYMM.DDnnn`, submitted one a minute from midnight, before the
    05:00 run; the same texts every day, so a copied archive page matches them."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [
        text_paper(nth_text(n), f"{day:%y%m.%d}{n:03d}", start + timedelta(minutes=n))
        for n in range(BUSY_PER_DAY)
    ]


def as_paper(fake: FakePaper) -> Paper:
    return Paper(**{name: getattr(fake, name) for name in Paper.__struct_fields__})


def weekdays(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            yield day


def write_history(site: Path, config: Config, last: date) -> int:
    """Two years of weekday pages up to `last`, copied from one real page; the bytes written."""
    layout = Layout.of(site / "config.yml", config, site)
    rules = build_rules(config)
    papers = [as_paper(fake) for fake in busy_day(TEMPLATE_DAY)]
    entries = tuple(Entry(p, TEMPLATE_DAY, categorize(p, rules)) for p in papers)
    ran = datetime(TEMPLATE_DAY.year, TEMPLATE_DAY.month, TEMPLATE_DAY.day, 5, tzinfo=UTC)
    page = DayPage(TEMPLATE_DAY, ran, entries, (), config.query, config.rules_key)
    order, limit = config.category_order, config.display.max_page_bytes
    parts = render_parts(page, order, limit)
    written = 0
    for day in weekdays(last - timedelta(days=HISTORY_DAYS), last):
        for number, text in enumerate(parts, start=1):
            path = site / layout.page(day, number)
            path.parent.mkdir(parents=True, exist_ok=True)
            moved = text.replace(f"{TEMPLATE_DAY}", f"{day}")
            moved = moved.replace(f"{TEMPLATE_DAY:%y%m.%d}", f"{day:%y%m.%d}")
            written += path.write_bytes(moved.encode("utf-8"))
    return written
