"""What a run tells people: a short summary, warnings, and one-line errors.

In GitHub Actions the same words become annotations and the run page's summary.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from digest.changes import Changes
from digest.fetch import FetchSpan


def summary_lines(
    changes: Changes, fetched: int, span: FetchSpan, order: Sequence[str], outcome: str
) -> list[str]:
    counts = Counter(entry.decision.category for entry in changes.shown)
    lines = [
        f"fetched {fetched} papers submitted {span.start:%Y-%m-%d %H:%M} to "
        f"{span.end:%Y-%m-%d %H:%M} UTC",
        f"new {len(changes.new)}, updated {len(changes.updated)}, dropped {changes.dropped}; "
        f"the README lists {len(changes.shown)}",
    ]
    lines += [f"  {name}: {counts[name]}" for name in order if counts[name]]
    lines.append(outcome)
    return lines


def print_summary(lines: Sequence[str], env: Mapping[str, str]) -> None:
    """Print the summary, and add it to the Actions run page when there is one."""
    for line in lines:
        print(line)
    step_summary = env.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with Path(step_summary).open("a", encoding="utf-8") as stream:
            stream.write("### arXiv digest\n\n")
            stream.write("".join(f"- {line.strip()}\n" for line in lines))


def warn(message: str, env: Mapping[str, str]) -> None:
    _annotate("warning", message, env)


def fail(message: str, env: Mapping[str, str]) -> None:
    _annotate("error", message, env)


def _annotate(level: str, message: str, env: Mapping[str, str]) -> None:
    line = " ".join(message.split())
    print(f"{level}: {line}", file=sys.stderr)
    if env.get("GITHUB_ACTIONS") == "true":
        encoded = line.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        print(f"::{level}::{encoded}", flush=True)
