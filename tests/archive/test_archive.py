"""The archive is the bot's memory: readable pages that load back exactly, or fail loudly."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import frontmatter
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.archive import Archive, ArchiveError, DayPage, read_archive
from digest.archive.page import read_page, render_parts
from digest.layout import Layout
from digest.publish.local import write_files
from digest.records import Paper
from tests.factories import make_entry, make_paper
from tests.markdown_html import rendered_tree

ORDER = ["🛠 Hardware & Materials", "🧠 Algorithms & Theory"]
BUDGET = 450_000


def _layout(root: Path) -> Layout:
    return Layout(root, "", "README.md", "archive", "feed.xml")


def _page(day: str, run: str, new: list[str], updated: tuple[tuple[str, int], ...] = ()) -> DayPage:
    """A page as a run at `run` writes it, filing `new` as news and `updated` as revisions."""
    return DayPage(
        day=date.fromisoformat(day),
        last_run=datetime.fromisoformat(run),
        new=tuple(make_entry(make_paper(i, published=f"{day}T01:00:00+00:00")) for i in new),
        updated=tuple(
            make_entry(make_paper(i, version=v, published="2026-02-01T01:00:00+00:00"))
            for i, v in updated
        ),
        news_on=datetime.fromisoformat(run).date() if new else None,
    )


def _save(root: Path, page: DayPage, budget: int = BUDGET) -> dict[str, str]:
    texts = render_parts(page, ORDER, budget)
    files = {_layout(root).page(page.day, n): text for n, text in enumerate(texts, start=1)}
    write_files(root, dict(files))
    return files


def _read(root: Path, since: date, today: date = date(2026, 2, 14)) -> Archive:
    return read_archive(_layout(root), today, lambda _: since)


def test_page_round_trips_every_field(tmp_path: Path) -> None:
    paper = make_paper(
        "2602.01234",
        version=2,
        title='Quotes " and colons: #hash — Lévy 🧠',
        authors=("Ünïcode Ñame", "O'Brien", "A", "B", "C"),
        abstract="TeX $\\alpha_2$\nand\ttabs",
    )
    page = DayPage(
        date(2026, 2, 5), datetime(2026, 2, 5, 5, 17, tzinfo=UTC), (make_entry(paper),), ()
    )
    _save(tmp_path, page)
    path = tmp_path / "archive/2026/2026-02-05.md"
    loaded = read_page(path)
    assert loaded.new[0].paper == paper
    assert loaded.new[0].decision.category == "🧠 Algorithms & Theory"
    assert loaded.new[0].decision.reason == "test"
    assert loaded.last_run == page.last_run
    raw = path.read_bytes().decode("utf-8")
    assert "Lévy 🧠" in raw  # stored as readable UTF-8, not escaped or double-encoded


def test_page_body_is_readable_on_github(tmp_path: Path) -> None:
    _save(
        tmp_path,
        _page(
            "2026-02-05",
            "2026-02-05T05:00:00+00:00",
            ["2602.00001", "2602.00002"],
            (("2601.00009", 2),),
        ),
    )
    post = frontmatter.loads((tmp_path / "archive/2026/2026-02-05.md").read_text(encoding="utf-8"))
    tree = rendered_tree(post.content)
    assert [h.text() for h in tree.find_all("h2")] == ["New papers", "Updated papers"]
    assert len(tree.find_all("li")) == 3
    hrefs = [a.attrs["href"] for a in tree.find_all("a")]
    assert "https://arxiv.org/abs/2601.00009v2" in hrefs


def test_load_keeps_the_newest_version_and_skips_old_pages(tmp_path: Path) -> None:
    _save(tmp_path, _page("2025-12-30", "2025-12-30T05:00:00+00:00", ["2512.00001"]))
    _save(tmp_path, _page("2026-02-01", "2026-02-01T05:00:00+00:00", ["2601.00009"]))
    _save(
        tmp_path,
        _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"], (("2601.00009", 2),)),
    )
    state = _read(tmp_path, since=date(2026, 1, 20))
    papers = state.papers()
    assert set(papers) == {"2601.00009", "2602.00001"}
    assert papers["2601.00009"].paper.version == 2
    assert papers["2601.00009"].arrived == date(2026, 2, 1), "revisions keep the arrival"
    assert state.last_run == datetime(2026, 2, 5, 5, tzinfo=UTC)
    assert state.started == date(2025, 12, 30)


def test_old_damaged_pages_are_not_even_read(tmp_path: Path) -> None:
    (tmp_path / "archive/2024").mkdir(parents=True)
    (tmp_path / "archive/2024/2024-01-01.md").write_text("---\n: broken\n", encoding="utf-8")
    _save(tmp_path, _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"]))
    assert set(_read(tmp_path, since=date(2026, 1, 1)).papers()) == {"2602.00001"}


def test_history_lists_only_the_years_it_reads(tmp_path: Path) -> None:
    """A year in between, even one holding a page no run could read, is not even listed:
    finding the last run costs the same after ten years as after one."""
    _save(tmp_path, _page("2024-03-04", "2024-03-04T05:00:00+00:00", ["2403.00001"]))
    (tmp_path / "archive/2025").mkdir(parents=True)
    (tmp_path / "archive/2025/2025-02-30.md").write_text("---\n: broken\n", encoding="utf-8")
    _save(tmp_path, _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"]))
    history = _read(tmp_path, since=date(2026, 1, 1))
    assert history.last_run == datetime(2026, 2, 5, 5, tzinfo=UTC)
    assert history.started == date(2024, 3, 4), "pages without `started`: the oldest page's day"
    assert list(history.days) == [date(2026, 2, 5)]


def test_empty_archive(tmp_path: Path) -> None:
    empty = _read(tmp_path, since=date(2026, 1, 1))
    assert empty.last_run is None and empty.query is None and empty.papers() == {}


@pytest.mark.parametrize(
    "text",
    [
        "---\ndate: 2026-02-05\nlast_run: [unclosed\n---\n",
        "---\ndate: 2026-02-05\n---\nno last_run\n",
        "---\ndate: 2026-02-05\nlast_run: '2026-02-05T05:00:00+00:00'\n"
        "new:\n- id: '2602.1'\n  version: 1\n---\n",
        "---\ndate: 2026-02-05\nlast_run: 'yesterday'\n---\n",
        "no front matter at all\n",
        "---\ndate: 2026-02-05\nlast_run: '2026-02-05T05:00:00'\n---\n",
    ],
)
def test_a_damaged_page_stops_the_run_naming_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "archive/2026/2026-02-05.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        _read(tmp_path, since=date(2026, 1, 1))
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


_HAND_EDITED_META = (
    "date: 2026-02-05\nlast_run: '2026-02-05T05:00:00+00:00'\n"
    "new:\n- {id: '2602.00001', version: 1, title: 'A --- B', authors: [Ada], "
    "published: '2026-02-05T01:00:00+00:00', updated: '2026-02-05T01:00:00+00:00'}\n"
)


@pytest.mark.parametrize(
    "text",
    [
        f"---\n{_HAND_EDITED_META}---\n\n# body\n",
        f"---\n{_HAND_EDITED_META}----\n# body\n",
        f"---\n{_HAND_EDITED_META}---   \n\n---\nmore body\n",
        f"---\n{_HAND_EDITED_META}---",
        f"---\r\n{_HAND_EDITED_META.replace(chr(10), chr(13) + chr(10))}---\r\nbody\r\n",
        f"----\n{_HAND_EDITED_META}---\nbody\n",
        f"---\n\t\n{_HAND_EDITED_META}---\nbody\n",
    ],
    ids=[
        "plain",
        "longer-closing",
        "closing-with-spaces",
        "no-body",
        "crlf",
        "longer-opening",
        "blank-line-after-opening",
    ],
)
def test_a_page_edited_by_hand_reads_as_python_frontmatter_reads_it(
    tmp_path: Path, text: str
) -> None:
    """The bot finds the front matter's end faster than the library, never elsewhere."""
    path = tmp_path / "archive/2026/2026-02-05.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8"))
    expected = frontmatter.loads(text).metadata
    page = read_page(path)
    assert [entry.paper.arxiv_id for entry in page.new] == [r["id"] for r in expected["new"]]
    assert page.new[0].paper.title == "A --- B"
    assert page.last_run == datetime(2026, 2, 5, 5, tzinfo=UTC)


def _line(text: str) -> str:
    """What the fetch makes of arXiv's text (digest.fetch.pages.clean_text), here without importing
    the HTTP stack: one line, control characters gone. Empty text stays empty."""
    from digest.fetch.entries import clean_text

    return clean_text(text)


_texts = st.text(max_size=60).map(_line)
_moments = st.datetimes(  # the fetch keeps no paper submitted after the run: the page's day
    min_value=datetime(1991, 8, 1), max_value=datetime(2026, 2, 5, 23, 59), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


# arXiv's two grammars, in ASCII digits: what the fetch accepts.
_ARXIV_IDS = (
    r"\A([0-9]{2}(0[1-9]|1[0-2])\.[0-9]{4,5}"
    r"|[a-z]+(-[a-z]+)?(\.[A-Z]{2})?/[0-9]{2}(0[1-9]|1[0-2])[0-9]{3})\Z"
)


@st.composite
def fetched_papers(draw: st.DrawFn) -> Paper:
    """Any paper the fetch can produce: blank titles, abstracts and author lists included."""
    published = draw(_moments)
    optional = st.none() | _texts.filter(bool)
    return Paper(
        arxiv_id=draw(st.from_regex(_ARXIV_IDS)),
        version=draw(st.integers(1, 99)),
        title=draw(_texts),
        authors=tuple(draw(st.lists(_texts, max_size=4))),
        published=published,
        updated=published + draw(st.timedeltas(timedelta(0), timedelta(days=999))),
        primary_category=draw(_texts),
        categories=tuple(draw(st.lists(_texts, max_size=3))),
        abstract=draw(_texts),
        comment=draw(optional),
        journal_ref=draw(optional),
        doi=draw(optional),
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(fetched_papers(), min_size=1, max_size=4))
def test_whatever_the_fetch_accepts_the_archive_reads_back(
    tmp_path_factory: pytest.TempPathFactory, papers: list[Paper]
) -> None:
    root = tmp_path_factory.mktemp("archive")
    day = date(2026, 2, 5)
    entries = tuple(make_entry(paper, arrived=day) for paper in papers)
    files = _save(root, DayPage(day, datetime(2026, 2, 5, 5, tzinfo=UTC), entries, ()))
    loaded = read_archive(_layout(root), day, lambda _: date(1990, 1, 1))
    assert loaded.days[day].pages[0].new == entries
    for text in files.values():  # any YAML reader (GitHub's, PyYAML's) reads the same records
        assert frontmatter.loads(text).metadata["new"] == [e.to_record() for e in entries]


def test_a_busy_day_is_split_into_parts_that_each_fit_and_load_back_whole(tmp_path: Path) -> None:
    abstract = "A long abstract about agents and reasoning. " * 40
    entries = tuple(
        make_entry(make_paper(f"2602.{n:05d}", abstract=abstract), arrived=date(2026, 2, 5))
        for n in range(400)
    )
    page = DayPage(date(2026, 2, 5), datetime(2026, 2, 5, 5, tzinfo=UTC), entries, ())
    files = _save(tmp_path, page, budget=200_000)
    assert len(files) > 3
    assert all(len(text.encode("utf-8")) <= 200_000 for text in files.values())
    assert sorted(files)[:2] == ["archive/2026/2026-02-05-2.md", "archive/2026/2026-02-05-3.md"]
    loaded = _read(tmp_path, since=date(2026, 2, 1)).days[date(2026, 2, 5)]
    assert tuple(entry for part in loaded.pages for entry in part.new) == entries
    assert loaded.paths == tuple(sorted(files, key=lambda name: (len(name), name)))
    first = rendered_tree(frontmatter.loads(files["archive/2026/2026-02-05.md"]).content)
    assert any(a.attrs["href"] == "2026-02-05-2.md" for a in first.find_all("a"))


def test_a_page_dated_after_the_run_is_not_taken_as_the_last_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _save(tmp_path, _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"]))
    _save(tmp_path, _page("2027-02-05", "2027-02-05T05:00:00+00:00", ["2702.00001"]))
    state = _read(tmp_path, since=date(2026, 1, 1))
    assert state.last_run == datetime(2026, 2, 5, 5, tzinfo=UTC)
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warned == [
        f"ignored archive page {tmp_path / 'archive/2027/2027-02-05.md'}: it is dated after "
        "the run's date 2026-02-14"
    ]
    assert set(state.papers()) == {"2602.00001"}


def test_a_page_with_an_impossible_date_stops_the_run_naming_the_file(tmp_path: Path) -> None:
    _save(tmp_path, _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"]))
    bad = tmp_path / "archive/2026/2026-02-29.md"
    bad.write_text("---\ndate: 2026-02-29\n---\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match=re.escape(str(bad))):
        _read(tmp_path, since=date(2026, 1, 1), today=date(2026, 3, 14))


def test_decisions_come_back_only_under_the_settings_that_made_them(tmp_path: Path) -> None:
    page = _page("2026-02-05", "2026-02-05T05:00:00+00:00", ["2602.00001"])
    _save(tmp_path, DayPage(page.day, page.last_run, page.new, (), rules="abc123"))
    held = _read(tmp_path, since=date(2026, 2, 1)).papers()["2602.00001"]
    assert held.decision == page.new[0].decision and held.rules == "abc123"
