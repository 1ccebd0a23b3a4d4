"""Plan what a run asks arXiv for, from what the archive says about past runs.

Three needs, three parts of the plan:
* new papers: every run asks for what changed on arXiv since shortly before the last run,
  sorted by last update (arXiv's `lastUpdatedDate`), which brings new submissions and
  revisions of listed papers alike and stops paging once it reaches older entries;
* a first run asks for the whole window by submission date instead;
* late announcements: the first run of each week (Monday to Sunday, UTC) also asks for every
  paper submitted in the last `late_sweep_days` days, so a paper arXiv announced weeks after its
  submission still arrives within a week.
Nothing before the digest's first day is ever asked for: such papers were announced before the
digest existed, and presenting them as new would be wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

import msgspec

from digest.archive.store import History
from digest.config.settings import Config
from digest.records import Known
from digest.window.merge import window_start


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
    """What to ask arXiv: a submission range (first run, backfill, weekly sweep), updates since
    a time; and what the run then records: the digest's first day (`started`), and whether news
    is filed under its submission day (a first run or backfill cannot know when it was announced)
    instead of the run's day."""

    span: FetchSpan | None
    revised_since: datetime | None = None
    sweep: bool = False
    started: date | None = None
    by_submission: bool = False

    @property
    def earliest(self) -> datetime:
        """The oldest submission time any part of the plan can bring as news."""
        times = [t for t in (self.revised_since, self.span and self.span.start) if t]
        return min(times)

    def expects_papers(self, known: Mapping[str, Known]) -> bool:
        """Whether earlier runs found papers this plan should find again: if so, an empty
        answer is suspect rather than news."""
        return any(
            self._covers(item.paper.published, item.paper.updated) for item in known.values()
        )

    def revisions_held(self, known: Mapping[str, Known]) -> int | None:
        """How many papers the archive holds that query B will read again (updated since its
        stop time): the least it will read. None without query B."""
        if self.revised_since is None:
            return None
        return sum(1 for item in known.values() if item.paper.updated >= self.revised_since)

    def _covers(self, published: datetime, updated: datetime) -> bool:
        if self.span and self.span.start <= published <= self.span.end:
            return True
        return self.revised_since is not None and updated >= self.revised_since


def plan_fetch(
    now: datetime, history: History, config: Config, backfill_from: date | None = None
) -> FetchPlan:
    """The plan for a run at `now` (see the module docstring), or for a backfill that fills the
    archive from `backfill_from` (asked for by submission date, whatever the catch-up cap)."""
    midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
    if backfill_from is not None:
        start = datetime.combine(backfill_from, time(), tzinfo=UTC)
        started = min(backfill_from, history.started or backfill_from)
        return FetchPlan(FetchSpan(start, now), None, started=started, by_submission=True)
    if history.last_run is None:
        days = max(config.window_days, config.lookback_days)
        span = FetchSpan(midnight - timedelta(days=days), now)
        return FetchPlan(span, None, started=span.start.date(), by_submission=True)
    last_run = min(now, history.last_run)
    since = max(
        last_run - timedelta(days=config.lookback_days),
        now - timedelta(days=config.max_catchup_days),
    )
    since = _not_before(since, history.started)
    if not _first_run_of_week(last_run, now) or config.late_sweep_days == 0:
        return FetchPlan(None, since, started=history.started)
    sweep_start = _not_before(midnight - timedelta(days=config.late_sweep_days), history.started)
    return FetchPlan(FetchSpan(sweep_start, now), since, sweep=True, started=history.started)


def _first_run_of_week(last_run: datetime, now: datetime) -> bool:
    return last_run.isocalendar()[:2] != now.isocalendar()[:2] or now - last_run >= timedelta(
        days=7
    )


def _not_before(moment: datetime, started: date | None) -> datetime:
    if started is None:
        return moment
    return max(moment, datetime.combine(started, time(), tzinfo=UTC))


def loaded_since(plan: FetchPlan, now: datetime, window_days: int) -> date:
    """The first archive page to read: the window's start, or earlier when the plan reaches
    further back, so that every paper the fetch can bring is known if it was ever archived."""
    return min(window_start(now, window_days), plan.earliest.date())
