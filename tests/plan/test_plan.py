"""What a run asks arXiv for: the whole window first, then what changed, and a weekly sweep."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from digest.archive.store import History
from digest.plan.fetch_plan import loaded_since, plan_fetch
from digest.records import Known
from tests.factories import make_paper, neuromorphic_config

CONFIG = neuromorphic_config()
MONDAY = datetime(2026, 2, 9, 5, 17, tzinfo=UTC)


def _history(last_run: datetime | None, started: date | None = date(2026, 1, 1)) -> History:
    return History(last_run=last_run, started=started if last_run else None, ignored=())


def test_a_first_run_asks_for_the_whole_window_by_submission_date() -> None:
    plan = plan_fetch(MONDAY, _history(None), CONFIG)
    assert plan.revised_since is None and plan.span is not None
    assert plan.span.start == datetime(2026, 1, 26, tzinfo=UTC) and plan.span.end == MONDAY


def test_an_ordinary_day_asks_only_for_what_changed_since_before_the_last_run() -> None:
    tuesday = MONDAY + timedelta(days=1)
    plan = plan_fetch(tuesday, _history(MONDAY), CONFIG)
    assert plan.span is None and not plan.sweep
    assert plan.revised_since == MONDAY - timedelta(days=CONFIG.lookback_days)


def test_the_first_run_of_a_week_also_sweeps_for_late_announcements() -> None:
    saturday = MONDAY - timedelta(days=2)
    plan = plan_fetch(MONDAY, _history(saturday), CONFIG)
    assert plan.sweep and plan.span is not None
    assert plan.span.start == datetime(2026, 1, 2, tzinfo=UTC)  # 38 days before Monday
    assert plan.revised_since == saturday - timedelta(days=CONFIG.lookback_days)
    assert loaded_since(plan, MONDAY, CONFIG.window_days) == date(2026, 1, 2)


def test_a_week_without_runs_still_sweeps_and_no_run_sweeps_twice_a_week() -> None:
    assert plan_fetch(MONDAY, _history(MONDAY - timedelta(days=7)), CONFIG).sweep
    sweeps = [
        plan_fetch(MONDAY + timedelta(days=d), _history(MONDAY + timedelta(days=d - 1)), CONFIG)
        for d in range(1, 7)
    ]
    assert not any(plan.sweep for plan in sweeps)


def test_nothing_before_the_digests_first_day_is_asked_for() -> None:
    started = date(2026, 1, 20)
    plan = plan_fetch(MONDAY, _history(MONDAY - timedelta(days=2), started), CONFIG)
    assert plan.span is not None and plan.span.start == datetime(2026, 1, 20, tzinfo=UTC)


def test_an_outage_is_caught_up_but_never_beyond_max_catchup_days() -> None:
    plan = plan_fetch(MONDAY + timedelta(days=1), _history(MONDAY - timedelta(days=90)), CONFIG)
    assert plan.revised_since == MONDAY + timedelta(days=1 - CONFIG.max_catchup_days)


def test_a_late_sweep_can_be_turned_off() -> None:
    config = neuromorphic_config(late_sweep_days=0)
    assert plan_fetch(MONDAY, _history(MONDAY - timedelta(days=2)), config).span is None


def test_a_daily_read_knows_how_many_held_papers_it_will_read_again() -> None:
    """Papers updated since the stop time come back; older ones and a first run count nothing."""
    tuesday = MONDAY + timedelta(days=1)
    plan = plan_fetch(tuesday, _history(MONDAY), CONFIG)
    assert plan.revised_since is not None
    held = {
        f"2602.{n:05d}": Known(make_paper(f"2602.{n:05d}", published=moment), moment.date())
        for n, moment in enumerate(
            plan.revised_since + timedelta(hours=hours) for hours in (-30, -1, 0, 5, 40)
        )
    }
    assert plan.revisions_held(held) == 3
    assert plan_fetch(MONDAY, _history(None), CONFIG).revisions_held(held) is None
