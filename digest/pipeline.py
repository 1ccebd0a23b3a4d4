"""One run of the digest, stage by stage: config → plan → fetch → merge → categorize → changes
→ publish → alarm. Each step is one call to the module that owns it; the CLI (digest/cli.py)
only turns the outcome and the errors into words and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import msgspec

from digest.alerts.watch import watch_freshness
from digest.archive.store import load_archive, read_history
from digest.categorize.rules import build_rules, categorize
from digest.config.settings import Config, ConfigError, load_config
from digest.fetch.pages import endpoint_from_env, fetch_papers
from digest.layout import Layout
from digest.plan.fetch_plan import FetchPlan, loaded_since, plan_fetch
from digest.publish.github.target import target_from_env
from digest.publish.publisher import Published, publish
from digest.records import Entry, Known
from digest.render.changes import Changes, plan_changes
from digest.render.message import News, commit_message
from digest.render.readme import read_readme
from digest.window.hidden import known_without_hidden, without_hidden
from digest.window.merge import Horizon, in_window, merge


class RunOptions(msgspec.Struct, frozen=True):
    config_path: Path
    now: datetime
    dry_run: bool
    backfill_from: date | None = None


class RunReport(msgspec.Struct, frozen=True):
    """What the run did, for the summary."""

    config: Config
    plan: FetchPlan
    fetched: int
    requests: int
    changes: Changes
    published: Published


def run_digest(options: RunOptions, env: Mapping[str, str]) -> RunReport:
    """Run every stage once, in order; raise the stage's own error when one fails."""
    config = load_config(options.config_path)
    target = target_from_env(env)
    layout = _layout(options.config_path, config, env, github=target is not None)
    today = options.now.date()
    history = read_history(layout, today, config.query)
    plan = plan_fetch(options.now, history, config, options.backfill_from)
    since = loaded_since(plan, options.now, config.window_days)
    archive = load_archive(layout, since, today, config.rules_key, config.query, history.read)
    fetched = fetch_papers(
        config.query,
        plan,
        config.arxiv,
        endpoint=endpoint_from_env(env),
        expect_papers=plan.expects_papers(archive.papers),
        first_run=history.last_run is None,
        known=archive.versions(),
        revisions_held=plan.revisions_held(archive.papers),
    )
    horizon = Horizon(archive.since, plan.started, plan.by_submission)
    merged = merge(
        known_without_hidden(archive.papers, config.hidden_ids),
        without_hidden(fetched.papers, config.hidden_ids),
        now=options.now,
        horizon=horizon,
    )
    window = in_window(merged.papers.values(), options.now, config.window_days)
    entries = _categorized(config, (*window, *merged.new, *merged.updated))
    changes = plan_changes(
        config,
        layout,
        now=options.now,
        window=[entries[k.paper.arxiv_id] for k in window],
        new=[entries[k.paper.arxiv_id] for k in merged.new],
        updated=[entries[k.paper.arxiv_id] for k in merged.updated],
        readme_text=read_readme(layout.disk_path(layout.readme), layout.readme),
        pages=archive.pages,
        started=plan.started,
        taken=archive.taken,
    )
    message = commit_message(today, News.of(changes), config.category_order)
    published = publish(changes, message, layout, target, dry_run=options.dry_run)
    watch_freshness(
        layout,
        archive,
        history,
        config,
        target,
        today=today,
        news=bool(changes.new),
        dry_run=options.dry_run,
    )
    return RunReport(config, plan, fetched.read, fetched.requests, changes, published)


def _layout(config_path: Path, config: Config, env: Mapping[str, str], *, github: bool) -> Layout:
    """Paths relative to the config's folder, placed in the repository that holds it."""
    workspace = _repository_root(config_path, env)
    try:
        return Layout.of(config_path, config, workspace)
    except ValueError:
        if github:
            raise ConfigError(
                f"{config_path}: the config file must lie inside the repository checkout "
                f"({workspace}) so its README and archive can be committed; pass a --config "
                "inside it"
            ) from None
        return Layout.of(config_path, config, config_path.parent)


def _repository_root(config_path: Path, env: Mapping[str, str]) -> Path:
    """GITHUB_WORKSPACE in Actions; elsewhere the nearest folder above the config holding .git."""
    if env.get("GITHUB_WORKSPACE"):
        return Path(env["GITHUB_WORKSPACE"])
    folder = config_path.resolve().parent
    return next((p for p in (folder, *folder.parents) if (p / ".git").exists()), folder)


def _categorized(config: Config, papers: Iterable[Known]) -> dict[str, Entry]:
    """Each paper categorized once by the current config; decisions the archive holds from the
    same settings are reused, so a busy field's daily run categorizes only its news (and a day
    without news compiles no term at all)."""
    unique = {known.paper.arxiv_id: known for known in papers}
    entries = {
        arxiv_id: Entry(known.paper, known.arrived, known.decision)
        for arxiv_id, known in unique.items()
        if known.decision is not None
    }
    undecided = [known for known in unique.values() if known.decision is None]
    if undecided:
        rules = build_rules(config, papers=len(undecided))
        for known in undecided:
            decision = categorize(known.paper, rules)
            entries[known.paper.arxiv_id] = Entry(known.paper, known.arrived, decision)
    return entries
