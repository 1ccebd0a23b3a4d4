"""Measure the categorizer against hand-labelled papers.

Usage: python scripts/evaluate_categories.py LABELS.json [--config PATH]

LABELS.json is a list of papers as in tests/fixtures/seed_papers.json: `title`, `abstract` and
`acceptable_categories` (labels, best first), optionally `id`, `primary_category` and
`categories`; or an object whose `papers` is that list, beside a `note` saying who labelled them
and how. The label `general` names the fallback category, whatever its name; any other label
names the one category, or the fallback, whose name contains it as a whole word,
case-insensitively: "hardware" is "🛠 Hardware & Materials", "other" is "📂 Other". Prints
accuracy (acceptable and first choice), the same for the old bot's counting of the same keywords
(the baseline a config should beat), a confusion table (first-choice label by predicted category)
and the misclassified papers.

Exit codes: 0 on success, 2 when the labels file or the config is unusable.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digest.categorize.rules import build_rules, categorize
from digest.config.settings import Config, ConfigError, load_config
from digest.records import Paper

ROOT = Path(__file__).resolve().parents[1]
# The label README.md documents for the fallback topic, which a fork may name anything.
FALLBACK_LABEL = "general"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class UsageError(Exception):
    """The labels file or config cannot be evaluated; the message says why."""


@dataclass(frozen=True)
class Labelled:
    paper: Paper
    acceptable: tuple[str, ...]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the categorizer against labelled papers.")
    parser.add_argument("labels", type=Path, help="JSON list of labelled papers")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "config.yml", help="config file (default: config.yml)"
    )
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        items = _load_labels(args.labels)
        names = _label_names(items, config)
    except (UsageError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        print(_report(items, names, config), flush=True)
    except BrokenPipeError:
        # A reader that stops early (`| head`): Python's signal docs ("Note on SIGPIPE") point
        # stdout at devnull so the exit-time flush raises no second error and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _load_labels(path: Path) -> list[Labelled]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read ({error})") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}") from None
    if isinstance(raw, dict):
        raw = raw.get("papers")
    if not isinstance(raw, list) or not raw:
        raise UsageError(
            f"{path}: must be a non-empty JSON list of papers (or hold one as 'papers')"
        )
    return [_labelled(item, f"{path}: paper {index}") for index, item in enumerate(raw)]


def _labelled(item: Any, where: str) -> Labelled:
    if not isinstance(item, dict):
        raise UsageError(f"{where}: must be an object")
    for key in ("title", "abstract"):
        if not isinstance(item.get(key), str):
            raise UsageError(f"{where}: '{key}' must be a string")
    labels = item.get("acceptable_categories")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise UsageError(f"{where}: 'acceptable_categories' must be a non-empty list of labels")
    primary = item.get("primary_category") or ""
    categories = item.get("categories") or []
    if not isinstance(primary, str) or not isinstance(categories, list):
        raise UsageError(f"{where}: 'primary_category' must be a string, 'categories' a list")
    if not all(isinstance(category, str) for category in categories):
        raise UsageError(f"{where}: 'categories' must list arXiv categories as strings")
    ident = str(item.get("id", ""))
    paper = Paper(
        arxiv_id=re.sub(r"v\d+$", "", ident),
        version=1,
        title=item["title"],
        authors=(),
        published=_EPOCH,
        updated=_EPOCH,
        primary_category=primary,
        categories=tuple(categories),
        abstract=item["abstract"],
    )
    return Labelled(paper, tuple(label.strip() for label in labels))


def _label_names(items: list[Labelled], config: Config) -> dict[str, str]:
    """Map `general` to the fallback, each other label to the one name containing it as a word."""
    names = [category.name for category in config.categories] + [config.fallback_category]
    mapping: dict[str, str] = {}
    for label in sorted({label for item in items for label in item.acceptable}):
        if label.lower() == FALLBACK_LABEL:
            mapping[label] = config.fallback_category
            continue
        word = re.compile(rf"(?<!\w){re.escape(label)}(?!\w)", re.IGNORECASE)
        found = [name for name in names if word.search(name)]
        if len(found) != 1:
            problem = "no category name" if not found else f"{len(found)} category names"
            raise UsageError(
                f"label {label!r} matches {problem} in the config; "
                f"a label must be {FALLBACK_LABEL!r} (the fallback) or a word of exactly one of: "
                + ", ".join(names)
            )
        mapping[label] = found[0]
    return mapping


def _report(items: list[Labelled], names: dict[str, str], config: Config) -> str:
    rules = build_rules(config)
    short = {name: label for label, name in names.items()}
    rows: list[tuple[str, str]] = []
    misses: list[str] = []
    acceptable = first = old_acceptable = old_first = 0
    for item in items:
        decision = categorize(item.paper, rules)
        predicted = decision.category
        wanted = [names[label] for label in item.acceptable]
        acceptable += predicted in wanted
        first += predicted == wanted[0]
        old = old_counting(item.paper, config)
        old_acceptable += old in wanted
        old_first += old == wanted[0]
        rows.append((item.acceptable[0], short.get(predicted, predicted)))
        if predicted not in wanted:
            ident = f" ({item.paper.arxiv_id})" if item.paper.arxiv_id else ""
            got = short.get(predicted, predicted)
            misses.append(f"  [{'/'.join(item.acceptable)} -> {got}] {item.paper.title}{ident}")
            misses.append(f"      because {decision.reason}")
    total = len(items)
    lines = [
        f"papers: {total}",
        f"acceptable:   {acceptable}/{total} = {100 * acceptable / total:.1f}%",
        f"first choice: {first}/{total} = {100 * first / total:.1f}%",
        "old counting (the first bot: most keywords found as substrings, no weights or hints)",
        f"  acceptable:   {old_acceptable}/{total} = {100 * old_acceptable / total:.1f}%",
        f"  first choice: {old_first}/{total} = {100 * old_first / total:.1f}%",
        "",
        "confusion (rows: first-choice label, columns: predicted)",
        *_table(
            rows, [short.get(n, n) for n in [*(c.name for c in config.categories), rules.fallback]]
        ),
        "",
        f"misclassified ({total - acceptable}):" if misses else "misclassified: none",
        *misses,
    ]
    return "\n".join(lines)


def old_counting(paper: Paper, config: Config) -> str:
    """The first bot's rule: the topic with most of its keywords anywhere in the text, as
    lower-case substrings (a prefix's `*` dropped); a tie goes to the topic listed first."""
    text = f"{paper.title} {paper.abstract}".lower()
    best, best_count = config.fallback_category, 0
    for spec in config.categories:
        count = sum(keyword.lower().rstrip("*") in text for keyword in spec.keywords)
        if count > best_count:
            best, best_count = spec.name, count
    return best


def _table(rows: list[tuple[str, str]], columns: list[str]) -> list[str]:
    """Counts of (first-choice label, predicted) pairs; rows follow the column order."""
    counts = Counter(rows)
    labels = [c for c in columns if any(r[0] == c for r in rows)]
    labels += sorted({label for label, _ in rows} - set(labels))
    first = max(len(x) for x in [*labels, "label"]) + 2
    widths = [max(len(column), 5) + 2 for column in columns]
    out = ["label".ljust(first) + "".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    for label in labels:
        cells = (str(counts[(label, c)]).rjust(w) for c, w in zip(columns, widths, strict=True))
        out.append(label.ljust(first) + "".join(cells))
    return out


if __name__ == "__main__":
    sys.exit(main())
