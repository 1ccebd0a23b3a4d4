"""One run of the digest, stage by stage: config → archive → plan → fetch → merge into the
window (and the day pages it rewrites) → categorize → render → publish → notify and alert.
Each step is one call to the package that owns it, and data flows one way; the CLI
(digest/cli.py) only turns the options in and the outcome and errors out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from digest.alerts import freshness_alarm, watch_freshness
from digest.archive import Archive, DayPage, DayUpdate, read_archive, updated_days
from digest.categorize import build_rules, categorize
from digest.config import Config, load_config
from digest.fetch import FetchResult, fetch_papers
from digest.layout import Layout, RepositoryPages
from digest.notify import RunNews
from digest.plan import RunPlan, plan_run, read_from
from digest.publish import Published, publish
from digest.records import Entry, Known
from digest.render import News, Rendered, commit_message, declared_paths, render_outputs
from digest.render.readme import listed_at, read_readme
from digest.window import Horizon, Merge, in_window, merge, newest_first, window_start
from digest.window.hidden import known_without_hidden, without_hidden

if TYPE_CHECKING:
    from digest.notify import Notifier
    from digest.publish.github.target import GithubTarget


class RunOptions(msgspec.Struct, frozen=True):
    """Everything a run takes from the command line and the environment."""

    config_path: Path
    now: datetime
    dry_run: bool
    endpoint: str
    workspace: Path
    target: GithubTarget | None = None
    notifier: Notifier | None = None
    web: RepositoryPages | None = None
    """Where GitHub shows the repository's files (None outside GitHub)."""
    backfill_from: date | None = None


class RunReport(msgspec.Struct, frozen=True):
    """What the run did, for the summary."""

    config: Config
    plan: RunPlan
    fetched: int
    requests: int
    added: tuple[Entry, ...]
    revised: tuple[Entry, ...]
    dropped: int
    shown: tuple[Entry, ...]
    rendered: Rendered
    published: Published


def run_digest(options: RunOptions) -> RunReport:
    """Run every stage once, in order; raise the stage's own error when one fails."""
    config = load_config(options.config_path)
    layout = Layout.of(options.config_path, config, options.workspace)
    today = options.now.date()
    reach = partial(read_from, config, today, backfill_from=options.backfill_from)
    archive = read_archive(layout, today, reach)
    readme_text = read_readme(layout.disk_path(layout.readme), layout.readme)
    plan = plan_run(archive, config, options.now, options.backfill_from)
    fetched = fetch_papers(plan.fetch, config.arxiv, options.endpoint)
    merged = _merged(plan, fetched, archive, config, options.now)
    window = in_window(merged.papers.values(), today, config.window_days)
    days = _rewritten_days(plan, merged, archive, config, today)
    before = _shown_before(archive, plan, config, listed_at(readme_text, layout.readme))
    decide = _decider(
        config,
        [*window, *(k for day in days for k in (*day.new, *day.updated)), *before.values()],
    )
    shown = _shown([decide(known) for known in window], config)
    render = partial(
        render_outputs,
        config,
        layout,
        web=options.web,
        now=options.now,
        day_files=archive.own_files(config.query),
        readme_text=readme_text,
    )
    rendered = render(
        day_pages=[_page(day, decide, config, options.now, plan.started) for day in days],
        replaced={day.day: day.files for day in days},
        shown=shown,
    )
    added = tuple(decide(known) for known in merged.added)
    revised = tuple(decide(known) for known in merged.revised)
    if not (added or revised or days) and rendered.readme is not None:
        listed = _shown([decide(known) for known in newest_first(before.values())], config)
        kept = _kept_readme(shown, listed, render)
        if kept is not None:
            shown, rendered = listed, kept
    dropped = len(before.keys() - {e.paper.arxiv_id for e in shown})
    news = News.of(added, revised, shown, dropped)
    # News is what arrives within the window: a backfill's papers of days long past are not.
    arrived = any(k.arrived >= window_start(today, config.window_days) for k in merged.added)
    # A refill that brings nothing and changes no list (old pages checked against an unchanged
    # query) only restamps pages: that waits for the next commit with news.
    quiet = not (merged.added or merged.revised or rendered.readme)
    published = publish(
        {} if quiet else rendered.files,
        rendered.readme,
        commit_message(today, news, config.category_order),
        layout,
        options.target,
        declared=declared_paths(config),
        dry_run=options.dry_run,
    )
    if options.notifier is not None and not options.dry_run:
        _push(options.notifier, options.web, layout, config, today, news)
        alarm = freshness_alarm(archive.last_news, today, news=arrived, settings=config.alerts)
        options.notifier.freshness(alarm, config.title)
    watch_freshness(
        archive.last_news,
        config.alerts,
        options.target,
        today=today,
        news=arrived,
        dry_run=options.dry_run,
    )
    return RunReport(
        config,
        plan,
        fetched.read,
        fetched.requests,
        added,
        revised,
        dropped,
        shown,
        rendered,
        published,
    )


def _merged(
    plan: RunPlan, fetched: FetchResult, archive: Archive, config: Config, now: datetime
) -> Merge:
    """The fetch merged into what the digest holds, hidden papers left out of both; a refill
    keeps only the held papers the new query brought again."""
    confirmed = fetched.seen if plan.refill else None
    horizon = Horizon(archive.read_from, plan.started, plan.by_submission, confirmed)
    known = known_without_hidden(plan.known, config.hidden_ids)
    papers = without_hidden(fetched.papers, config.hidden_ids)
    return merge(known, papers, now=now, horizon=horizon)


def _rewritten_days(
    plan: RunPlan, merged: Merge, archive: Archive, config: Config, today: date
) -> tuple[DayUpdate, ...]:
    """The day pages this run writes: its news' days, and the whole window on a refill."""
    return updated_days(
        archive,
        merged.added,
        merged.revised,
        merged.papers,
        query=config.query,
        today=today,
        rebuild_from=window_start(today, config.window_days) if plan.refill else None,
        hidden=config.hidden_ids,
        news_from=window_start(today, config.window_days),
    )


def _shown(entries: Iterable[Entry], config: Config) -> tuple[Entry, ...]:
    """The window's papers the README shows: off-topic ones too, unless the config drops them."""
    drop = config.relevance.drop_irrelevant
    return tuple(entry for entry in entries if entry.decision.relevant or not drop)


def _push(
    notifier: Notifier,
    web: RepositoryPages | None,
    layout: Layout,
    config: Config,
    today: date,
    news: News,
) -> None:
    """The run's news to chat and e-mail."""
    readme_url = web.file(layout.repo_path(layout.readme)) if web else None
    order = config.category_order
    notifier.news(RunNews(config.title, today, readme_url, news.added, news.revised, order))


def _decider(config: Config, papers: Iterable[Known]) -> _Decide:
    """Categorize each paper version once by the current config; a decision the archive holds
    from the same settings is reused, so a busy field's daily run categorizes only its news."""
    key = config.rules_key
    decided: dict[str, Entry] = {}
    undecided: dict[str, Known] = {}
    for known in papers:
        versioned = known.paper.versioned_id
        if known.decision is not None and known.rules == key:
            decided[versioned] = Entry(known.paper, known.arrived, known.decision)
        else:
            undecided[versioned] = known  # a new paper is in the window and on its day's page
    todo = [known for versioned, known in undecided.items() if versioned not in decided]
    if todo:
        rules = build_rules(config, papers=len(todo))
        for known in todo:
            decision = categorize(known.paper, rules)
            decided[known.paper.versioned_id] = Entry(known.paper, known.arrived, decision)
    return _Decide(decided)


class _Decide:
    """A known paper with the topic the current config gives it."""

    def __init__(self, decided: Mapping[str, Entry]) -> None:
        self._decided = decided

    def __call__(self, known: Known) -> Entry:
        entry = self._decided[known.paper.versioned_id]
        return Entry(known.paper, known.arrived, entry.decision)


def _page(day: DayUpdate, decide: _Decide, config: Config, now: datetime, started: date) -> DayPage:
    return DayPage(
        day=day.day,
        last_run=now,
        new=tuple(decide(known) for known in day.new),
        updated=tuple(decide(known) for known in day.updated),
        query=config.query,
        rules=config.rules_key,
        started=started,
        news_on=day.news_on,
    )


def _kept_readme(
    shown: Sequence[Entry], listed: Sequence[Entry], render: Callable[..., Rendered]
) -> Rendered | None:
    """Papers leaving the list are no news: the README keeps the papers it `listed` until the
    next run with news, when the current config shows none it did not list and that list,
    rendered again, is the block it holds (no config edit changed how it looks)."""
    if {e.paper.arxiv_id for e in shown} - {e.paper.arxiv_id for e in listed}:
        return None
    kept = render(day_pages=[], replaced={}, shown=listed)
    return kept if kept.readme is None else None


def _shown_before(
    archive: Archive, plan: RunPlan, config: Config, listed: datetime | None
) -> dict[str, Known]:
    """The papers the README showed before this run: the window as of when its list `listed`
    last changed, which a run without news may have done after the archive's last run, from
    what the archive recorded (the plan already holds them, unless the query changed)."""
    if listed is None or archive.query is None:
        return {}
    first_day = window_start(listed.date(), config.window_days)
    held = archive.papers(archive.query) if plan.refill else plan.known
    hidden = config.hidden_ids  # a paper hidden since is not shown again, whatever it showed
    return {
        arxiv_id: known
        for arxiv_id, known in held.items()
        if known.arrived >= first_day and _was_shown(known, config) and arxiv_id not in hidden
    }


def _was_shown(known: Known, config: Config) -> bool:
    relevant = known.decision is None or known.decision.relevant
    return relevant or not config.relevance.drop_irrelevant
