"""What a finished run says: a few plain lines for the log, and Markdown for the job summary.

The job summary is the page a maintainer opens from a run: it carries the list's freshness line,
the new papers as links, and what the run cost (requests to arXiv and GitHub, time taken).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from digest.markdown import escape, link
from digest.words import counted

if TYPE_CHECKING:
    from digest.pipeline import RunReport

# The job summary lists at most this many new titles; the rest are counted.
SHOWN_TITLES = 50


def summary_lines(report: RunReport, seconds: float) -> list[str]:
    """The run's summary: what was asked, what arrived, what the README lists, what it cost."""
    counts = Counter(entry.decision.category for entry in report.shown)
    fetch = report.plan.fetch
    asked = "a weekly late-paper sweep and updates" if report.plan.sweep else "updates"
    if fetch.revised_since is None and fetch.span is not None:
        asked = f"papers submitted since {fetch.span.start:%Y-%m-%d}"
    if report.plan.refill:
        asked += " (the query changed: the window is rebuilt for it)"
    lines = [
        f"asked arXiv for {asked} ({counted(report.requests, 'request')}); "
        f"{counted(report.fetched, 'paper')} fetched",
        f"new {len(report.added)}, updated {len(report.revised)}, left the list "
        f"{report.dropped}; the README lists {len(report.shown)}",
    ]
    lines += [f"  {name}: {counts[name]}" for name in report.config.category_order if counts[name]]
    lines.append(report.published.outcome)
    github = report.published.github_requests
    lines.append(f"took {seconds:.1f} s" + (f"; {github} requests to GitHub" if github else ""))
    return lines


def summary_details(report: RunReport) -> str:
    """Markdown for the job summary: the freshness line and the new papers as links."""
    parts = []
    if report.rendered.freshness:
        parts.append(report.rendered.freshness)
    if report.added:
        items = [
            f"- {link(escape(e.paper.title) or e.paper.versioned_id, e.paper.abs_url)}"
            f" ({escape(e.decision.category)})"
            for e in report.added[:SHOWN_TITLES]
        ]
        more = len(report.added) - SHOWN_TITLES
        if more > 0:
            items.append(f"- …and {more} more")
        parts.append("**New papers**\n\n" + "\n".join(items))
    return "\n\n".join(parts)
