"""What a run asks arXiv for: the whole window first, then what changed, and a weekly sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType

from digest.archive import Archive, DayFiles, DayPage
from digest.plan import plan_run, read_from
from tests.factories import make_entry, make_paper, neuromorphic_config

CONFIG = neuromorphic_config()
MONDAY = datetime(2026, 2, 9, 5, 17, tzinfo=UTC)


def _archive(
    last_run: datetime | None,
    started: date | None = date(2026, 1, 1),
    query: str = CONFIG.query,
    papers: tuple[tuple[str, datetime], ...] = (),
) -> Archive:
    """An archive whose newest page, written at `last_run` for `query`, holds `papers`
    (id, submission time), arrived that day."""
    if last_run is None:
        return Archive(None, None, None, None, date(2026, 1, 1), MappingProxyType({}))
    entries = tuple(
        make_entry(make_paper(arxiv_id, published=moment), arrived=last_run.date())
        for arxiv_id, moment in papers
    )
    page = DayPage(last_run.date(), last_run, entries, (), query, CONFIG.rules_key, started)
    days = {last_run.date(): DayFiles(last_run.date(), ("archive/p.md",), (page,))}
    return Archive(query, last_run, started, last_run.date(), date(2026, 1, 1), days)


def test_a_first_run_asks_for_the_whole_window_by_submission_date() -> None:
    plan = plan_run(_archive(None), CONFIG, MONDAY)
    assert plan.fetch.revised_since is None and plan.fetch.span is not None
    assert plan.fetch.span.start == datetime(2026, 1, 27, tzinfo=UTC)  # 14 days to Monday
    assert plan.fetch.span.end == MONDAY
    assert plan.by_submission and plan.fetch.first_run and not plan.refill


def test_an_ordinary_day_asks_only_for_what_changed_since_before_the_last_run() -> None:
    tuesday = MONDAY + timedelta(days=1)
    plan = plan_run(_archive(MONDAY), CONFIG, tuesday)
    assert plan.fetch.span is None and not plan.sweep and not plan.by_submission
    assert plan.fetch.revised_since == MONDAY - timedelta(days=CONFIG.lookback_days)


def test_the_run_on_monday_also_sweeps_for_late_announcements() -> None:
    saturday = MONDAY - timedelta(days=2)
    plan = plan_run(_archive(saturday), CONFIG, MONDAY)
    assert plan.sweep and plan.fetch.span is not None
    assert plan.fetch.span.start == datetime(2026, 1, 2, tzinfo=UTC)  # 38 days before Monday
    assert plan.fetch.revised_since == saturday - timedelta(days=CONFIG.lookback_days)


def test_quiet_runs_never_repeat_the_sweep_within_a_week() -> None:
    """A run without news records nothing, so the last recorded run stays last week's all
    week long: the day alone decides."""
    last_week = MONDAY - timedelta(days=3)
    sweeps = [plan_run(_archive(last_week), CONFIG, MONDAY + timedelta(days=d)) for d in range(7)]
    assert [plan.sweep for plan in sweeps] == [True, False, False, False, False, False, False]


def test_nothing_before_the_digests_first_day_is_asked_for() -> None:
    started = date(2026, 1, 20)
    plan = plan_run(_archive(MONDAY - timedelta(days=2), started), CONFIG, MONDAY)
    assert plan.fetch.span is not None
    assert plan.fetch.span.start == datetime(2026, 1, 20, tzinfo=UTC)


def test_an_outage_is_caught_up_but_never_beyond_max_catchup_days() -> None:
    tuesday = MONDAY + timedelta(days=1)
    plan = plan_run(_archive(MONDAY - timedelta(days=90), date(2025, 1, 1)), CONFIG, tuesday)
    assert plan.fetch.revised_since == tuesday - timedelta(days=CONFIG.max_catchup_days)


def test_a_late_sweep_can_be_turned_off() -> None:
    config = neuromorphic_config(late_sweep_days=0)
    assert plan_run(_archive(MONDAY - timedelta(days=2)), config, MONDAY).fetch.span is None


def test_a_daily_read_knows_how_many_held_papers_it_will_read_again() -> None:
    """Papers updated since the stop time come back; older ones and a first run count nothing."""
    tuesday = MONDAY + timedelta(days=1)
    since = MONDAY - timedelta(days=CONFIG.lookback_days)
    papers = tuple(
        (f"2602.{n:05d}", since + timedelta(hours=hours))
        for n, hours in enumerate((-30, -1, 0, 5, 40))
    )
    plan = plan_run(_archive(MONDAY, papers=papers), CONFIG, tuesday)
    assert plan.fetch.revisions_held == 3
    assert plan.fetch.known_versions == {arxiv_id: 1 for arxiv_id, _ in papers}
    assert plan_run(_archive(None), CONFIG, MONDAY).fetch.revisions_held is None


def test_a_changed_query_refills_the_window_keeping_what_the_archive_holds() -> None:
    """The new query is asked for the whole window, from the oldest submission the window
    lists; every paper held, whatever query found it, is known so it keeps its arrival."""
    late = MONDAY - timedelta(days=40)  # announced late: submitted before the window
    papers = (("2602.00001", MONDAY - timedelta(days=2)), ("2512.00009", late))
    archive = _archive(MONDAY - timedelta(days=1), query="cat:cs.RO", papers=papers)
    plan = plan_run(archive, CONFIG, MONDAY)
    assert plan.refill and plan.by_submission and not plan.fetch.first_run
    assert plan.fetch.query == CONFIG.query and plan.fetch.revised_since is None
    assert plan.fetch.span is not None and plan.fetch.span.start.date() == late.date()
    assert set(plan.known) == {"2602.00001", "2512.00009"}
    assert not plan.fetch.expect_papers, "the new query may find none of the old papers"


def test_pages_that_record_no_query_are_checked_against_the_query_once() -> None:
    plan = plan_run(_archive(MONDAY - timedelta(days=1), query=""), CONFIG, MONDAY)
    assert plan.refill and plan.fetch.span is not None


def test_a_run_reads_the_pages_its_fetch_and_window_need_and_no_more() -> None:
    """A busy field's archive grows by hundreds of records a day: an ordinary day reads its
    window (and the last run's, for what left the list); Monday reaches as far as its sweep, a
    catch-up as far as its updates, a backfill to its first day."""
    tuesday = (MONDAY + timedelta(days=1)).date()
    last_run = MONDAY
    assert read_from(CONFIG, tuesday, last_run) == MONDAY.date() - timedelta(days=13)
    assert read_from(CONFIG, MONDAY.date(), MONDAY - timedelta(days=3)) == date(2026, 1, 2)
    outage = read_from(CONFIG, tuesday, MONDAY - timedelta(days=20))
    assert outage == MONDAY.date() - timedelta(days=20 + CONFIG.window_days - 1)
    long_ago = read_from(CONFIG, tuesday, MONDAY - timedelta(days=300))
    assert long_ago == tuesday - timedelta(days=CONFIG.max_catchup_days + CONFIG.window_days - 1)
    assert read_from(CONFIG, tuesday, None) == tuesday - timedelta(days=CONFIG.window_days - 1)
    assert read_from(CONFIG, tuesday, last_run, date(2025, 6, 1)) == date(2025, 6, 1)
