"""Show which words place the archive's papers in each topic, and which papers were hard to place.

Usage: python scripts/explain_topics.py ARCHIVE_DIR [--config PATH] [--terms N] [--hard N]

Reads every day page under ARCHIVE_DIR (ARCHIVE_DIR/YYYY/YYYY-MM-DD.md) of the config's query,
places each paper again with the config as it is now, and prints:

* per topic, how many papers it holds, the terms that placed them (in how many papers each
  counted) and the topic's keywords that matched no paper at all;
* the papers whose topic would change from what the archive recorded (after a config edit);
* the hard papers, each with why, in three groups of at most --hard each, the ones a term could
  settle first: close calls (a close second topic, a term score at `relevance.min_score`, or an
  arXiv category hint that tipped it from the topic its terms favour), closest first; papers in
  the fallback on some term evidence, most first; papers no topic term matched, by title only.

A forker reads the terms to see what each topic has come to mean, adds terms (or a
`description`) where the hard papers show a gap, and runs this again.

Exit codes: 0 on success, 2 when the archive or the config is unusable.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from digest.archive.page import ArchiveError, read_page
from digest.categorize.rules import ABSTRACT_WEIGHT, Rules, TopicScore, Weighing, build_rules, weigh
from digest.config.settings import Config, ConfigError, load_config
from digest.records import Entry

ROOT = Path(__file__).resolve().parents[1]
# Keywords listed as matching no paper, at most: a long list of hundreds says little more.
SHOWN_UNUSED = 30
# A runner-up this close to the winner lost by one abstract word or less: one more term flips it.
CLOSE_MARGIN = 1.0
# The groups of hard papers, in the order shown: a busy archive holds hundreds of papers no term
# matched, which would otherwise crowd out the few a forker can settle with one more term.
CLOSE, SOME_EVIDENCE, NO_TERM = 0, 1, 2
HARD_GROUPS = {
    CLOSE: ("close calls", "closest first"),
    SOME_EVIDENCE: ("in the fallback on some term evidence", "most evidence first"),
    NO_TERM: ("in the fallback with no topic term", ""),
}
_PAGE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-[1-9]\d*)?\.md$")
_YEAR_NAME = re.compile(r"^\d{4}$")


class UsageError(Exception):
    """The archive cannot be explained; the message says why and what to do."""


@dataclass(frozen=True)
class Placed:
    entry: Entry
    weighing: Weighing
    hard: tuple[str, ...]
    group: int
    closeness: float  # how little would change the decision: smaller is harder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Explain the topics of an archive's papers.")
    parser.add_argument("archive", type=Path, help="the archive folder (holds YYYY/ folders)")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "config.yml", help="config file (default: config.yml)"
    )
    parser.add_argument("--terms", type=int, default=12, help="terms shown per topic (12)")
    parser.add_argument("--hard", type=int, default=40, help="hard papers shown per group (40)")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        entries, skipped = _entries(args.archive, config.query)
    except (UsageError, ConfigError, ArchiveError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        print(_report(entries, skipped, config, args.terms, args.hard), flush=True)
    except BrokenPipeError:
        # A reader that stops early (`| head`): see Python's signal docs, "Note on SIGPIPE".
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _entries(archive: Path, query: str) -> tuple[list[Entry], int]:
    """The newest record of every paper on the query's pages, and how many pages were another
    query's (a fork that changed fields keeps the old field's pages as history)."""
    pages = sorted(_page_paths(archive))
    if not pages:
        raise UsageError(f"{archive}: no archive pages (YYYY/YYYY-MM-DD.md) found there")
    newest: dict[str, Entry] = {}
    skipped = 0
    for path in pages:
        page = read_page(path)
        if page.query and query and page.query != query:
            skipped += 1
            continue
        for entry in (*page.new, *page.updated):
            held = newest.get(entry.paper.arxiv_id)
            if entry.paper.is_newer_than(held.paper if held else None):
                newest[entry.paper.arxiv_id] = entry
    return list(newest.values()), skipped


def _page_paths(archive: Path) -> Iterator[Path]:
    if not archive.is_dir():
        raise UsageError(f"{archive}: not a folder; pass the archive folder, e.g. archive/")
    for year in archive.iterdir():
        if year.is_dir() and _YEAR_NAME.match(year.name):
            yield from (path for path in year.iterdir() if _PAGE_NAME.match(path.name))


def _report(
    entries: list[Entry], skipped: int, config: Config, shown_terms: int, shown_hard: int
) -> str:
    rules = build_rules(config, len(entries))
    placed = [_placed(entry, rules) for entry in entries]
    other = f", {skipped} pages of other queries left out" if skipped else ""
    lines = [f"papers: {len(placed)}{other}", ""]
    for spec in config.categories:
        lines += _topic_lines(spec.name, spec.keywords, placed, shown_terms)
    fallback = [item for item in placed if item.weighing.decision.category == rules.fallback]
    lines += [f"{rules.fallback} (fallback): {len(fallback)} papers", ""]
    moved = [item for item in placed if item.entry.decision.category != _category(item)]
    lines.append(
        f"would move from the archived topic ({len(moved)}):" if moved else "would move: none"
    )
    for item in moved:
        lines.append(f"  [{item.entry.decision.category} -> {_category(item)}] {_title(item)}")
    hard = sorted((item for item in placed if item.hard), key=lambda item: item.closeness)
    groups = {group: [item for item in hard if item.group == group] for group in HARD_GROUPS}
    counts = ", ".join(
        f"{len(items)} {HARD_GROUPS[group][0]}" for group, items in groups.items() if items
    )
    lines += ["", f"hard papers: {counts}" if hard else "hard papers: none"]
    for group, items in groups.items():
        if items:
            lines += ["", *_hard_lines(group, items, shown_hard)]
    return "\n".join(lines)


def _hard_lines(group: int, items: list[Placed], shown: int) -> list[str]:
    """One group of hard papers with why; those no term matched by title alone, as why and
    reason would both say only that."""
    name, order = HARD_GROUPS[group]
    lines = [f"{name} ({len(items)}{', ' + order if order else ''}):"]
    for item in items[:shown]:
        lines.append(f"  [{_category(item)}] {_title(item)}")
        if group != NO_TERM:
            lines += [f"      {why}" for why in item.hard]
            lines.append(f"      because {item.weighing.decision.reason}")
    if len(items) > shown:
        lines.append(f"  ... {len(items) - shown} more (--hard N shows more)")
    return lines


def _topic_lines(
    name: str, keywords: Sequence[str], placed: list[Placed], shown_terms: int
) -> list[str]:
    """The topic's size, the terms that placed its papers, and its keywords that never matched."""
    mine = [item for item in placed if _category(item) == name]
    deciding = Counter(term for item in mine for term in _topic(item, name).terms)
    matched = {term for item in placed for term in _topic(item, name).terms}
    unused = [keyword for keyword in keywords if keyword not in matched]
    terms = ", ".join(f"{term} {count}" for term, count in deciding.most_common(shown_terms))
    lines = [f"{name}: {len(mine)} papers"]
    if terms:
        hidden = len(deciding) - shown_terms
        lines.append(f"  terms: {terms}" + (f", +{hidden} more" if hidden > 0 else ""))
    if unused:
        shown = ", ".join(unused[:SHOWN_UNUSED])
        more = f", +{len(unused) - SHOWN_UNUSED} more" if len(unused) > SHOWN_UNUSED else ""
        lines.append(f"  matched no paper ({len(unused)} of {len(keywords)}): {shown}{more}")
    return [*lines, ""]


def _placed(entry: Entry, rules: Rules) -> Placed:
    weighing = weigh(entry.paper, rules)
    hard, group, closeness = _hardness(weighing, rules)
    return Placed(entry, weighing, hard, group, closeness)


def _hardness(weighing: Weighing, rules: Rules) -> tuple[tuple[str, ...], int, float]:
    """Why the paper was hard to place, its group of hard papers, and how little would change
    the decision: the winner's lead, or how far its term score is above min_score; in the
    fallback, the best term score, negated (the nearest to a topic is the hardest)."""
    decision = weighing.decision
    if not weighing.topics:
        return (), CLOSE, float("inf")  # an off-topic term decided: the forker's own rule
    candidates = [
        topic for topic in weighing.topics if topic.terms_score > 0 and not topic.ruled_out
    ]
    if decision.category == rules.fallback:
        why = (f"fallback: {decision.reason.split(':')[0]}",)
        evidence = max(topic.terms_score for topic in weighing.topics)
        return (why, SOME_EVIDENCE, -evidence) if evidence else (why, NO_TERM, 0.0)
    winner = next(topic for topic in candidates if topic.name == decision.category)
    others = [topic for topic in candidates if topic is not winner]
    runner = max(others, key=lambda topic: topic.score, default=None)
    margin = winner.score - runner.score if runner else winner.score
    reasons = []
    closeness = margin
    if runner is not None and margin <= CLOSE_MARGIN:
        reasons.append(
            f"close second: {runner.name} scored {runner.score:g} against {winner.score:g}"
        )
    if rules.min_score and winner.terms_score < rules.min_score + ABSTRACT_WEIGHT:
        reasons.append(
            f"at min_score: term score {winner.terms_score:g}, min_score {rules.min_score:g}"
        )
        closeness = min(closeness, winner.terms_score - rules.min_score)
    by_terms = _by_terms(candidates)
    if winner.hint is not None and by_terms is not winner:
        reasons.append(f"hint-tipped: arXiv {winner.hint} won it; its terms favour {by_terms.name}")
    return tuple(reasons), CLOSE, closeness


def _by_terms(candidates: list[TopicScore]) -> TopicScore:
    """The topic the terms alone choose; a tie goes to the topic listed first, as in the rule."""
    return max(candidates, key=lambda topic: topic.terms_score)


def _topic(item: Placed, name: str) -> TopicScore:
    return next(
        (topic for topic in item.weighing.topics if topic.name == name),
        TopicScore(name, 0, 0, (), None, ruled_out=False),
    )


def _category(item: Placed) -> str:
    return item.weighing.decision.category


def _title(item: Placed) -> str:
    return f"{' '.join(item.entry.paper.title.split())} ({item.entry.paper.arxiv_id})"


if __name__ == "__main__":
    sys.exit(main())
