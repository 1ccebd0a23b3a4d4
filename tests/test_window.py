"""The rolling window: the same paper never twice, nothing inside the window ever lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from digest.records import Paper
from digest.window import in_window, merge
from tests.factories import make_paper

NOW = datetime(2026, 2, 14, 5, 0, tzinfo=UTC)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    """Papers from a small id pool so batches overlap; content is a function of id and version,
    as on arXiv, where a version never changes once announced."""
    number = draw(st.integers(1, 12))
    version = draw(st.integers(1, 3))
    return make_paper(
        f"2602.{number:05d}",
        version=version,
        published=datetime(2026, 1, 20, tzinfo=UTC) + timedelta(days=number * 2),
        title=f"Paper {number} version {version}",
    )


batches = st.lists(st.lists(papers(), max_size=8), max_size=5)


def _apply(batch_list: list[list[Paper]]) -> dict[str, Paper]:
    known: dict[str, Paper] = {}
    for batch in batch_list:
        known = dict(merge(known, batch).papers)
    return known


@given(batches)
def test_merge_keeps_one_record_per_paper_at_its_newest_version(
    batch_list: list[list[Paper]],
) -> None:
    known = _apply(batch_list)
    every = [paper for batch in batch_list for paper in batch]
    assert set(known) == {paper.arxiv_id for paper in every}
    for paper in every:
        assert known[paper.arxiv_id].version >= paper.version


@given(batches, st.randoms())
def test_merge_does_not_depend_on_the_order_runs_arrive_in(
    batch_list: list[list[Paper]], random: Random
) -> None:
    shuffled = [list(batch) for batch in batch_list]
    random.shuffle(shuffled)
    for batch in shuffled:
        random.shuffle(batch)
    assert _apply(batch_list) == _apply(shuffled)


@given(st.lists(papers()), st.lists(papers()))
def test_merging_the_same_fetch_again_brings_no_news(
    known_list: list[Paper], fetched: list[Paper]
) -> None:
    first = merge(_apply([known_list]), fetched)
    again = merge(first.papers, fetched)
    assert dict(again.papers) == dict(first.papers)
    assert again.new == () and again.updated == ()


@given(st.lists(papers()), st.lists(papers()))
def test_a_fetch_never_removes_a_paper_inside_the_window(
    known_list: list[Paper], fetched: list[Paper]
) -> None:
    known = _apply([known_list])
    before = {p.arxiv_id for p in in_window(known.values(), NOW, 14)}
    after = in_window(merge(known, fetched).papers.values(), NOW, 14)
    after_ids = [p.arxiv_id for p in after]
    assert len(after_ids) == len(set(after_ids))
    assert before <= set(after_ids)


def test_new_and_updated_are_reported_separately() -> None:
    known = {"2602.00001": make_paper("2602.00001")}
    result = merge(
        known,
        [make_paper("2602.00001", version=2), make_paper("2602.00002"), make_paper("2602.00001")],
    )
    assert [p.arxiv_id for p in result.new] == ["2602.00002"]
    assert [(p.arxiv_id, p.version) for p in result.updated] == [("2602.00001", 2)]
    assert result.papers["2602.00001"].version == 2


def test_window_keeps_the_last_window_days_and_orders_newest_first() -> None:
    inside = make_paper("2602.00002", published="2026-01-31T00:00:00+00:00")
    newest = make_paper("2602.00003", published="2026-02-13T23:00:00+00:00")
    outside = make_paper("2602.00001", published="2026-01-30T23:59:00+00:00")
    assert in_window([outside, inside, newest], NOW, 14) == (newest, inside)
