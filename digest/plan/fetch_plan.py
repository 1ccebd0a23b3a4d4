"""Plan a run from what the archive says: what to ask arXiv for, and how to file what comes.

Four needs, four shapes of plan:
* new papers: every run asks for what changed on arXiv since shortly before the last run,
  sorted by last update (arXiv's `lastUpdatedDate`), which brings new submissions and
  revisions of listed papers alike and stops paging once it reaches older entries;
* a first run asks for the whole window by submission date instead, and so does a run whose
  query differs from the one the archive's newest pages record (a *refill*): the window is
  asked for again and rebuilt for the new query, keeping the arrival day of every paper it
  already held, so tuning the query never duplicates a paper;
* late announcements: the run on Monday (UTC) also asks for every paper submitted in the last
  `late_sweep_days` days, so a paper arXiv announced weeks after its submission still arrives
  within a week; a day, not the last run, decides it, so quiet runs cannot repeat it;
* a backfill asks for every paper submitted since a given day.
Nothing before the digest's first day is ever presented as new: such papers were announced
before the digest existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

import msgspec

from digest.archive.store import Archive
from digest.config.settings import Config
from digest.records import Known
from digest.window import window_start

_SWEEP_WEEKDAY = 0  # Monday


class FetchSpan(msgspec.Struct, frozen=True):
    """A submission-time range, as arXiv's only documented date filter expresses it."""

    start: datetime
    end: datetime

    def query_clause(self) -> str:
        return f"submittedDate:[{self.start:%Y%m%d%H%M} TO {self.end:%Y%m%d%H%M}]"

    def halves(self) -> tuple[FetchSpan, FetchSpan] | None:
        """Two ranges whose query clauses cover this one's minutes exactly once; None when the
        range is a single minute (submittedDate has minute precision)."""
        first = self.start.replace(second=0, microsecond=0)
        last = self.end.replace(second=0, microsecond=0)
        if last <= first:
            return None
        middle = first + timedelta(minutes=(last - first) // timedelta(minutes=1) // 2)
        return FetchSpan(self.start, middle), FetchSpan(middle + timedelta(minutes=1), self.end)


class FetchPlan(msgspec.Struct, frozen=True):
    """Everything the fetch needs: the query, a submission range (query A), updates since a
    time (query B), the versions the digest holds (counted, not converted again), whether an
    empty answer is suspect, how many held papers B reads again (to size its first page), and
    whether no run has succeeded yet (so a failure promises no catch-up)."""

    query: str
    span: FetchSpan | None
    revised_since: datetime | None
    known_versions: Mapping[str, int]
    expect_papers: bool
    revisions_held: int | None
    first_run: bool


class RunPlan(msgspec.Struct, frozen=True):
    """The fetch, and how the run files what it brings.

    `known`: the papers the digest holds, to merge into. `started`: the digest's first day.
    `by_submission`: news is filed under its submission day (a first run, refill or backfill
    cannot know when a paper was announced). `refill`: the window is rebuilt from the fetch,
    so held papers the fetch does not bring again leave it. `sweep`: the weekly late sweep.
    """

    fetch: FetchPlan
    known: Mapping[str, Known]
    started: date
    by_submission: bool
    refill: bool
    sweep: bool


def read_from(
    config: Config, today: date, last_run: datetime | None, backfill_from: date | None = None
) -> date:
    """The oldest archive page a run needs, for a digest whose newest page was written at
    `last_run`: the first day of the window now and at the last run, or the farthest this run's
    fetch can bring news from (updates since before the last run, at most `max_catchup_days`;
    Monday's late sweep; a backfill), whichever is older. Reading no further keeps a busy
    field's daily run small."""
    oldest = window_start(today, config.window_days)
    if last_run is None:  # a first run asks for the whole window, or lookback_days if longer
        oldest = min(oldest, today - timedelta(days=config.lookback_days))
    else:  # and the last run's window, to tell which papers leave the list
        catchup = today - timedelta(days=config.max_catchup_days)
        since = last_run.date() - timedelta(days=config.lookback_days)
        listed = window_start(last_run.date(), config.window_days)
        after_outage = window_start(catchup, config.window_days)
        oldest = min(oldest, max(since, catchup), max(listed, after_outage))
    if today.weekday() == _SWEEP_WEEKDAY:
        oldest = min(oldest, today - timedelta(days=config.late_sweep_days))
    return min(oldest, backfill_from) if backfill_from else oldest


def plan_run(
    archive: Archive, config: Config, now: datetime, backfill_from: date | None = None
) -> RunPlan:
    """The plan for a run at `now` (see the module docstring)."""
    midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
    refill = archive.query is not None and archive.query != config.query
    known = archive.papers(None if refill else config.query)
    if backfill_from is not None:
        start = datetime.combine(backfill_from, time(), tzinfo=UTC)
        started = min(backfill_from, archive.started or backfill_from)
        first_run = archive.last_run is None
        return _plan(config, known, FetchSpan(start, now), None, started, first_run, refill)
    if archive.last_run is None or archive.started is None or refill:
        first_listed = datetime.combine(window_start(now.date(), config.window_days), time(), UTC)
        start = min(first_listed, midnight - timedelta(days=config.lookback_days))
        start = min([start, *(k.paper.published for k in _in_window(known, now, config))])
        first_run = archive.last_run is None
        return _plan(config, known, FetchSpan(start, now), None, start.date(), first_run, refill)
    started = archive.started
    last_run = min(now, archive.last_run)
    since = max(
        last_run - timedelta(days=config.lookback_days),
        now - timedelta(days=config.max_catchup_days),
    )
    since = _not_before(since, started)
    span = None
    if now.weekday() == _SWEEP_WEEKDAY and config.late_sweep_days:
        sweep_start = _not_before(midnight - timedelta(days=config.late_sweep_days), started)
        span = FetchSpan(sweep_start, now)
    return _plan(config, known, span, since, started, False, False)


def _plan(
    config: Config,
    known: Mapping[str, Known],
    span: FetchSpan | None,
    since: datetime | None,
    started: date,
    first_run: bool,
    refill: bool,
) -> RunPlan:
    fetch = FetchPlan(
        query=config.query,
        span=span,
        revised_since=since,
        known_versions=MappingProxyType({k: v.paper.version for k, v in known.items()}),
        expect_papers=not refill and any(_covers(span, since, item) for item in known.values()),
        revisions_held=None
        if since is None
        else sum(1 for item in known.values() if item.paper.updated >= since),
        first_run=first_run,
    )
    by_submission = since is None
    return RunPlan(
        fetch, known, started, by_submission, refill, sweep=span is not None and since is not None
    )


def _covers(span: FetchSpan | None, since: datetime | None, item: Known) -> bool:
    """Whether the plan asks for a paper the digest already holds: then an empty answer is
    suspect rather than news."""
    if span and span.start <= item.paper.published <= span.end:
        return True
    return since is not None and item.paper.updated >= since


def _in_window(known: Mapping[str, Known], now: datetime, config: Config) -> list[Known]:
    first_day = window_start(now.date(), config.window_days)
    return [item for item in known.values() if item.arrived >= first_day]


def _not_before(moment: datetime, started: date) -> datetime:
    return max(moment, datetime.combine(started, time(), tzinfo=UTC))
