"""The rolling window: the same paper never twice, nothing inside the window ever lost, and a
paper listed for the whole window from the day it arrived."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from digest.records import Known, Paper
from digest.window.merge import Horizon, in_window, merge
from tests.factories import make_paper

NOW = datetime(2026, 2, 14, 5, 0, tzinfo=UTC)
TODAY = NOW.date()
LATER = Horizon(loaded_since=date(2026, 1, 1), started=date(2026, 1, 1), by_submission=False)


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    """Papers from a small id pool so batches overlap; content is a function of id and version,
    as on arXiv, where a version never changes once announced."""
    number = draw(st.integers(1, 12))
    version = draw(st.integers(1, 3))
    return make_paper(
        f"2602.{number:05d}",
        version=version,
        published=datetime(2026, 1, 10, tzinfo=UTC) + timedelta(days=number),
        title=f"Paper {number} version {version}",
    )


batches = st.lists(st.lists(papers(), max_size=8), max_size=5)


def _apply(batch_list: list[list[Paper]]) -> dict[str, Known]:
    known: dict[str, Known] = {}
    for batch in batch_list:
        known = dict(merge(known, batch, now=NOW, horizon=LATER).papers)
    return known


@given(batches)
def test_merge_keeps_one_record_per_paper_at_its_newest_version(
    batch_list: list[list[Paper]],
) -> None:
    known = _apply(batch_list)
    every = [paper for batch in batch_list for paper in batch]
    assert set(known) == {paper.arxiv_id for paper in every}
    for paper in every:
        assert known[paper.arxiv_id].paper.version >= paper.version


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
    first = merge(_apply([known_list]), fetched, now=NOW, horizon=LATER)
    again = merge(first.papers, fetched, now=NOW, horizon=LATER)
    assert dict(again.papers) == dict(first.papers)
    assert again.added == () and again.revised == ()


@given(st.lists(papers()), st.lists(papers()))
def test_a_fetch_never_removes_a_paper_inside_the_window(
    known_list: list[Paper], fetched: list[Paper]
) -> None:
    known = _apply([known_list])
    before = {k.paper.arxiv_id for k in in_window(known.values(), TODAY, 14)}
    after = in_window(merge(known, fetched, now=NOW, horizon=LATER).papers.values(), TODAY, 14)
    after_ids = [k.paper.arxiv_id for k in after]
    assert len(after_ids) == len(set(after_ids))
    assert before <= set(after_ids)


def test_new_and_updated_are_reported_separately() -> None:
    known = {"2602.00001": Known(make_paper("2602.00001"), date(2026, 2, 4))}
    result = merge(
        known,
        [make_paper("2602.00001", version=2), make_paper("2602.00002"), make_paper("2602.00001")],
        now=NOW,
        horizon=LATER,
    )
    assert [k.paper.arxiv_id for k in result.added] == ["2602.00002"]
    assert [(k.paper.arxiv_id, k.paper.version) for k in result.revised] == [("2602.00001", 2)]
    assert result.papers["2602.00001"].paper.version == 2
    assert result.papers["2602.00001"].arrived == date(2026, 2, 4), "a revision keeps its arrival"
    assert result.added[0].arrived == TODAY, "a later run files news under the day it arrived"


def test_a_paper_announced_late_stays_for_the_whole_window_from_its_arrival() -> None:
    late = make_paper("2602.00009", published="2026-01-20T10:00:00+00:00")
    merged = merge({}, [late], now=NOW, horizon=LATER)
    assert merged.added[0].arrived == TODAY
    for day in range(14):  # 14 days, its arrival day the first
        moment = NOW + timedelta(days=day)
        assert [k.paper for k in in_window(merged.papers.values(), moment.date(), 14)] == [late]
    assert in_window(merged.papers.values(), TODAY + timedelta(days=14), 14) == ()


def test_a_first_run_files_papers_under_their_submission_day() -> None:
    paper = make_paper("2602.00003", published="2026-02-03T10:00:00+00:00")
    first = Horizon(loaded_since=date(2026, 1, 31), started=date(2026, 1, 31), by_submission=True)
    assert merge({}, [paper], now=NOW, horizon=first).added[0].arrived == date(2026, 2, 3)


def test_papers_the_archive_cannot_vouch_for_are_not_news() -> None:
    before_start = make_paper("2601.00001", published="2025-12-30T10:00:00+00:00")
    unread = make_paper("2601.00002", published="2026-01-05T10:00:00+00:00")
    horizon = Horizon(
        loaded_since=date(2026, 1, 10), started=date(2025, 12, 31), by_submission=False
    )
    merged = merge({}, [before_start, unread], now=NOW, horizon=horizon)
    assert merged.added == () and dict(merged.papers) == {}


def test_window_orders_newest_arrival_first_then_newest_submission() -> None:
    def known(number: int, published: str, arrived: date) -> Known:
        return Known(make_paper(f"2602.{number:05d}", published=published), arrived)

    old_late = known(1, "2026-01-25T00:00:00+00:00", date(2026, 2, 13))
    fresh = known(2, "2026-02-12T00:00:00+00:00", date(2026, 2, 13))
    earlier = known(3, "2026-02-10T00:00:00+00:00", date(2026, 2, 11))
    gone = known(4, "2026-01-29T00:00:00+00:00", date(2026, 1, 30))
    assert in_window([gone, earlier, old_late, fresh], TODAY, 14) == (fresh, old_late, earlier)


def test_a_refill_keeps_only_what_the_new_query_brings_again_where_it_arrived() -> None:
    """After a query change the digest holds the papers the new query finds: a paper both
    queries find keeps its arrival day and is not news; one only the old query found leaves."""
    both = Known(make_paper("2602.00001"), date(2026, 2, 4))
    old_only = Known(make_paper("2602.00002"), date(2026, 2, 5))
    newcomer = make_paper("2602.00003", published="2026-02-06T10:00:00+00:00")
    seen = frozenset({"2602.00001", "2602.00003"})
    refill = Horizon(date(2026, 1, 1), date(2026, 1, 31), by_submission=True, confirmed=seen)
    known = {k.paper.arxiv_id: k for k in (both, old_only)}
    merged = merge(known, [newcomer], now=NOW, horizon=refill)
    assert set(merged.papers) == {"2602.00001", "2602.00003"}
    assert merged.papers["2602.00001"].arrived == date(2026, 2, 4)
    assert [k.paper.arxiv_id for k in merged.added] == ["2602.00003"]
    assert merged.added[0].arrived == date(2026, 2, 6)
