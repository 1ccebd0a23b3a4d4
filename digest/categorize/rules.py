"""Put each paper into one configured topic by weighing whole-word term matches.

Everything that decides a category comes from the config, so a fork changes its topics by
editing config.yml only. The rule, in full:

* A term is matched case-insensitively on word boundaries. Its words may be separated by a space,
  a hyphen or nothing ("in-memory computing" = "in memory computing" = "inmemory computing"). Its
  last word (the head noun in English) may also be plural: +s, +es, y -> ies ("memristor" matches
  "memristors"), and the irregular plurals of everyday science: -um -> -a, -is -> -es, -us -> -i,
  -ix/-ex -> -ices, -a -> -ae, criterion/criteria, phenomenon/phenomena. A word ending in `*` is a
  prefix that takes the rest of its word ("memristi*" matches "memristive", "memristivity"); the
  term's next word then follows after a space or hyphen.
* A topic's `description` lends it more words: each word of four letters or more that is not a
  common English word, not another topic's description word and not already a keyword, matched
  like a one-word term at DESCRIPTION_WEIGHT of a keyword's score.
* Where terms overlap, the longest match claims the text, so "spiking neural network" counts
  once and is not also counted as "neural network" (a word listed in two categories counts for
  both).
* A term scores TITLE_WEIGHT if it occurs in the title, plus ABSTRACT_WEIGHT per occurrence in the
  abstract, at most REPEAT_CAP occurrences: many distinct terms beat one repeated word.
* An arXiv category hint adds PRIMARY_HINT when it matches the paper's primary category, else
  CROSS_LIST_HINT when it matches one of its other categories (a trailing `*` matches a group).
* A category whose `exclude` term occurs is ruled out. The highest score wins; a tie goes to the
  category listed first. No term evidence in any topic (or every category ruled out) means the
  fallback category: a hint alone places nothing.
* Relevance: a global `exclude_terms` hit, or a winning topic whose term evidence (keywords and
  description words, without the hint) scores below `min_score`, marks the paper not relevant
  and puts it in the fallback category.

Every decision depends on the paper and the config alone, never on the other papers of a run:
the same paper gets the same topic on every day until the config changes.

digest.categorize.terms finds the terms; it is fast, and matches exactly where this rule says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import msgspec

from digest.categorize.descriptions import description_words
from digest.categorize.terms import (
    CompiledTerm,
    KeyScanner,
    SearchText,
    compile_term,
    could_match,
    key_scanner,
    matches,
    search_text,
)
from digest.config.settings import CategorySpec, Config
from digest.records import Decision, Paper

TITLE_WEIGHT = 3
ABSTRACT_WEIGHT = 1
REPEAT_CAP = 2
DESCRIPTION_WEIGHT = 0.5
PRIMARY_HINT = 2
CROSS_LIST_HINT = 1
REASON_LIMIT = 200
SHOWN_TERMS = 6


class CategoryRule(msgspec.Struct, frozen=True):
    """A configured category, compiled; arXiv patterns lower-cased, `*` groups as prefixes."""

    name: str
    keywords: tuple[CompiledTerm, ...]
    described: frozenset[str]
    exclude: tuple[CompiledTerm, ...]
    arxiv_categories: tuple[str, ...]
    arxiv_exact: frozenset[str]
    arxiv_groups: tuple[str, ...]


class _Keyword(NamedTuple):
    category: int
    order: int
    term: CompiledTerm


class Rules(msgspec.Struct, frozen=True):
    """Everything `categorize` needs, compiled once per run from the config.

    `keywords` lists every category's keywords by key ("": run on every paper).
    """

    categories: tuple[CategoryRule, ...]
    fallback: str
    off_topic: tuple[CompiledTerm, ...]
    min_score: float
    scanner: KeyScanner
    keywords: Mapping[str, tuple[_Keyword, ...]]


# A term's match in one field: (start, end, category index, keyword index, term). A plain tuple,
# as there are thousands per run; it sorts by position.
_Hit = tuple[int, int, int, int, str]


class _Evidence(msgspec.Struct, frozen=True):
    """How one category scored: term counts per field and the arXiv category that hinted."""

    score: float
    terms_score: float
    title_terms: tuple[str, ...]
    abstract_terms: tuple[tuple[str, int], ...]
    hint: str | None


def build_rules(config: Config, papers: int | None = None) -> Rules:
    """Compile every configured term once, so scoring a paper is one scan and a few searches;
    `papers`, how many will be scored (None: many), picks the cheaper scan."""
    categories = tuple(
        _category_rule(spec, description_words(spec, config.categories))
        for spec in config.categories
    )
    off_topic = tuple(compile_term(text) for text in config.relevance.exclude_terms)
    keywords: dict[str, list[_Keyword]] = {}
    for index, rule in enumerate(categories):
        for order, term in enumerate(rule.keywords):
            keywords.setdefault(term.key, []).append(_Keyword(index, order, term))
    every_term = [term for rule in categories for term in (*rule.keywords, *rule.exclude)]
    return Rules(
        categories=categories,
        fallback=config.fallback_category,
        off_topic=off_topic,
        min_score=config.relevance.min_score,
        scanner=key_scanner([*every_term, *off_topic], papers),
        keywords={key: tuple(group) for key, group in keywords.items()},
    )


def _category_rule(spec: CategorySpec, described: tuple[str, ...]) -> CategoryRule:
    patterns = [pattern.strip().lower() for pattern in spec.arxiv_categories]
    return CategoryRule(
        name=spec.name,
        keywords=tuple(compile_term(text) for text in (*spec.keywords, *described)),
        described=frozenset(described),
        exclude=tuple(compile_term(text) for text in spec.exclude),
        arxiv_categories=tuple(spec.arxiv_categories),
        arxiv_exact=frozenset(pattern for pattern in patterns if not pattern.endswith("*")),
        arxiv_groups=tuple(pattern[:-1] for pattern in patterns if pattern.endswith("*")),
    )


def categorize(paper: Paper, rules: Rules) -> Decision:
    """Choose the paper's category and say in one line which evidence chose it."""
    return _decide(paper, rules)[0]


class TopicScore(msgspec.Struct, frozen=True):
    """How one topic scored a paper: what tools show a forker besides the decision."""

    name: str
    score: float
    terms_score: float
    terms: tuple[str, ...]
    hint: str | None
    ruled_out: bool


class Weighing(msgspec.Struct, frozen=True):
    """A decision and every topic's score behind it (none when an off-topic term decided)."""

    decision: Decision
    topics: tuple[TopicScore, ...]


def weigh(paper: Paper, rules: Rules) -> Weighing:
    """`categorize`, with each topic's score and terms, so a forker sees how close it was."""
    decision, evidence, excluded = _decide(paper, rules)
    topics = tuple(
        TopicScore(
            name=rule.name,
            score=item.score,
            terms_score=item.terms_score,
            terms=tuple(
                dict.fromkeys([*item.title_terms, *(term for term, _ in item.abstract_terms)])
            ),
            hint=item.hint,
            ruled_out=index in excluded,
        )
        for index, (rule, item) in enumerate(zip(rules.categories, evidence, strict=True))
    )
    return Weighing(decision, topics)


def _decide(paper: Paper, rules: Rules) -> tuple[Decision, list[_Evidence], dict[int, str]]:
    """The decision, each category's evidence and the categories an `exclude` term ruled out."""
    text = search_text(f"{paper.title}\n{paper.abstract}")
    present = rules.scanner.present(text)
    off_topic = _first_match(rules.off_topic, text, present)
    if off_topic is not None:
        reason = _bounded(f"off-topic term: {off_topic}")
        return Decision(rules.fallback, reason, relevant=False), [], {}

    evidence = _score_all(paper, rules, present)
    ruled_out = _ruled_out(rules, text, present)
    note = "; ".join(f"ruled out {rules.categories[i].name} by {term}" for i, term in ruled_out)
    excluded = dict(ruled_out)
    candidates = [
        i for i, item in enumerate(evidence) if i not in excluded and item.terms_score > 0
    ]
    best = max(candidates, key=lambda i: (evidence[i].score, -i), default=None)
    if best is None:
        matched = any(item.terms_score for item in evidence)
        reason = "no other topic matched" if matched else "no topic term matched"
        return Decision(rules.fallback, _bounded(_join(reason, note))), evidence, excluded
    explanation = _join(_describe_evidence(evidence[best]), note)
    if evidence[best].terms_score < rules.min_score:
        below = f"term score {evidence[best].terms_score:g} below min_score {rules.min_score:g}"
        decision = Decision(rules.fallback, _bounded(f"{below}: {explanation}"), relevant=False)
        return decision, evidence, excluded
    return Decision(rules.categories[best].name, _bounded(explanation)), evidence, excluded


def _ruled_out(rules: Rules, text: SearchText, present: set[str]) -> list[tuple[int, str]]:
    """Categories an `exclude` term rules out, each with the first term found."""
    found = (
        (i, _first_match(rule.exclude, text, present)) for i, rule in enumerate(rules.categories)
    )
    return [(i, term) for i, term in found if term is not None]


def _first_match(terms: Sequence[CompiledTerm], text: SearchText, present: set[str]) -> str | None:
    found = (
        term.text
        for term in terms
        if could_match(term, present) and next(matches(term, text), None) is not None
    )
    return next(found, None)


def _score_all(paper: Paper, rules: Rules, present: set[str]) -> list[_Evidence]:
    """Score every category from the same claimed spans, so overlaps count once."""
    keywords = [keyword for key in ("", *present) for keyword in rules.keywords.get(key, ())]
    title = _terms_by_category(_claim(_find_all(keywords, search_text(paper.title))), rules)
    abstract = _terms_by_category(_claim(_find_all(keywords, search_text(paper.abstract))), rules)
    return [
        _evidence(title[index], abstract[index], hint, rules.categories[index].described)
        for index, hint in enumerate(_hints(rules, paper))
    ]


def _terms_by_category(hits: list[_Hit], rules: Rules) -> list[list[str]]:
    terms: list[list[str]] = [[] for _ in rules.categories]
    for _, _, category, _, term in hits:
        terms[category].append(term)
    return terms


def _find_all(keywords: Iterable[_Keyword], text: SearchText) -> list[_Hit]:
    return [
        (*match.span(), keyword.category, keyword.order, keyword.term.text)
        for keyword in keywords
        for match in matches(keyword.term, text)
    ]


def _claim(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest matches first; a match overlapping a kept one is dropped.

    Text matched by two categories' terms alike (one word listed in both) counts for both; within
    one category, text counts once, for the term listed first. Returns hits by start, category.
    Matches rarely overlap, so only each run of overlapping ones needs comparing.
    """
    hits.sort()
    kept: list[_Hit] = []
    first, reach = 0, 0
    for index, hit in enumerate(hits):
        if hit[0] >= reach and index > first:
            run = hits[first:index]
            kept += run if len(run) == 1 else _longest_first(run)
            first = index
        if hit[1] > reach:
            reach = hit[1]
    run = hits[first:]
    return kept + (run if len(run) < 2 else _longest_first(run))


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0], h[2], h[3])):
        if all(_compatible(hit, other) for other in kept):
            kept.append(hit)
    return sorted(kept)


def _compatible(hit: _Hit, other: _Hit) -> bool:
    if hit[:2] == other[:2]:
        return hit[2] != other[2]  # the same text counts once per category
    return hit[1] <= other[0] or other[1] <= hit[0]


def _evidence(
    title_terms: list[str],
    abstract_terms: list[str],
    hint: tuple[str, int] | None,
    described: frozenset[str],
) -> _Evidence:
    titles = tuple(dict.fromkeys(title_terms))
    counts = {
        term: min(abstract_terms.count(term), REPEAT_CAP) for term in dict.fromkeys(abstract_terms)
    }

    def weight(term: str) -> float:
        return DESCRIPTION_WEIGHT if term in described else 1.0

    terms_score = TITLE_WEIGHT * sum(map(weight, titles)) + ABSTRACT_WEIGHT * sum(
        weight(term) * count for term, count in counts.items()
    )
    score = terms_score + (hint[1] if hint is not None else 0)
    return _Evidence(
        score,
        terms_score,
        tuple(_marked(term, described) for term in titles),
        tuple((_marked(term, described), count) for term, count in counts.items()),
        None if hint is None else hint[0],
    )


def _marked(term: str, described: frozenset[str]) -> str:
    """A description word as the reason shows it, so a forker knows where it came from."""
    return f"{term} (description)" if term in described else term


def _hints(rules: Rules, paper: Paper) -> list[tuple[str, int] | None]:
    primary = paper.primary_category
    listed = [(name, name.strip().lower()) for name in paper.categories if name != primary]
    return [_hint(rule, primary, listed) for rule in rules.categories]


def _hint(
    rule: CategoryRule, primary: str, listed: list[tuple[str, str]]
) -> tuple[str, int] | None:
    """The arXiv category that supports this topic and its weight; the primary one weighs more."""
    if primary and _supports(rule, primary.strip().lower()):
        return primary, PRIMARY_HINT
    for name, key in listed:
        if _supports(rule, key):
            return f"{name} (cross-list)", CROSS_LIST_HINT
    return None


def _supports(rule: CategoryRule, category: str) -> bool:
    return category in rule.arxiv_exact or category.startswith(rule.arxiv_groups)


def _describe_evidence(evidence: _Evidence) -> str:
    parts = []
    if evidence.title_terms:
        parts.append("title: " + ", ".join(evidence.title_terms))
    if evidence.abstract_terms:
        ranked = sorted(evidence.abstract_terms, key=lambda item: -item[1])
        shown = [_counted(term, n) for term, n in ranked[:SHOWN_TERMS]]
        if len(ranked) > SHOWN_TERMS:
            shown.append(f"+{len(ranked) - SHOWN_TERMS} more")
        parts.append("abstract: " + ", ".join(shown))
    if evidence.hint is not None:
        parts.append(f"arXiv: {evidence.hint}")
    return "; ".join(parts)


def _counted(term: str, count: int) -> str:
    return term if count == 1 else f"{term} ×{count}"


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _bounded(reason: str) -> str:
    """One plain line of at most REASON_LIMIT characters, fit for the archive."""
    line = " ".join(reason.split())
    return line if len(line) <= REASON_LIMIT else line[: REASON_LIMIT - 1].rstrip() + "…"
