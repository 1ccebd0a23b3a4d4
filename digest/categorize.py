"""Put each paper into one configured topic by weighing whole-word term matches.

Everything that decides a category comes from the config, so a fork changes its topics by
editing config.yml only. The rule, in full:

* A term is matched case-insensitively on word boundaries. Its words may be separated by a space,
  a hyphen or nothing ("in-memory computing" = "in memory computing" = "inmemory computing"). Its
  last word (the head noun in English) may also be plural: +s, +es, y -> ies ("memristor" matches
  "memristors"). A word ending in `*` is a prefix ("memristi*" matches "memristive",
  "memristivity"). Irregular forms must be listed as terms of their own.
* Where terms overlap, the longest match claims the text, so "spiking neural network" counts
  once and is not also counted as "neural network" (a word listed in two categories counts for
  both).
* A term scores TITLE_WEIGHT if it occurs in the title, plus ABSTRACT_WEIGHT per occurrence in the
  abstract, at most REPEAT_CAP occurrences: many distinct terms beat one repeated word.
* An arXiv category hint adds PRIMARY_HINT when it matches the paper's primary category, else
  CROSS_LIST_HINT when it matches one of its other categories (a trailing `*` matches a group).
* A category whose `exclude` term occurs is ruled out. The highest score wins; a tie goes to the
  category listed first. Score 0 (or every category ruled out) means the fallback category.
* Relevance: a global `exclude_terms` hit, or a best score below `min_score`, marks the paper not
  relevant and puts it in the fallback category.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digest.config import Config
from digest.records import Decision, Entry, Paper

TITLE_WEIGHT = 3
ABSTRACT_WEIGHT = 1
REPEAT_CAP = 3
PRIMARY_HINT = 2
CROSS_LIST_HINT = 1
REASON_LIMIT = 200
SHOWN_TERMS = 6

# Space, ASCII hyphen and the Unicode hyphens and dashes arXiv abstracts use between words.
_SEPARATOR = r"[\s\-\u2010-\u2015]*"
_WORD_SPLIT = re.compile(r"[\s\-\u2010-\u2015]+")


@dataclass(frozen=True)
class Term:
    """One configured word or phrase, the regex that finds it, and text every match starts with.

    `lead` lets a search skip the regex when the (lower-cased) text cannot contain a match.
    """

    text: str
    pattern: re.Pattern[str]
    lead: str


@dataclass(frozen=True)
class CategoryRule:
    """A configured category, compiled."""

    name: str
    keywords: tuple[Term, ...]
    exclude: tuple[Term, ...]
    arxiv_categories: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """Everything `categorize` needs, compiled once per run from the config."""

    categories: tuple[CategoryRule, ...]
    fallback: str
    off_topic: tuple[Term, ...]
    min_score: float


@dataclass(frozen=True)
class _Hit:
    category: int
    order: int
    term: str
    start: int
    end: int


@dataclass(frozen=True)
class _Evidence:
    """How one category scored: term counts per field and the arXiv category that hinted."""

    score: int
    title_terms: tuple[str, ...]
    abstract_terms: tuple[tuple[str, int], ...]
    hint: str | None


def build_rules(config: Config) -> Rules:
    """Compile every configured term once, so scoring a paper is only regex searches."""
    categories = tuple(
        CategoryRule(
            name=spec.name,
            keywords=_compile_all(spec.keywords),
            exclude=_compile_all(spec.exclude),
            arxiv_categories=tuple(spec.arxiv_categories),
        )
        for index, spec in enumerate(config.categories)
    )
    return Rules(
        categories=categories,
        fallback=config.fallback_category,
        off_topic=_compile_all(config.relevance.exclude_terms),
        min_score=config.relevance.min_score,
    )


def _compile_term(text: str) -> Term:
    """Turn a configured term into a regex following the morphology rule in the module doc."""
    words = _words(text)
    parts = [_word_pattern(word, last=index == len(words) - 1) for index, word in enumerate(words)]
    pattern = re.compile(r"(?<!\w)" + _SEPARATOR.join(parts) + r"(?!\w)", re.IGNORECASE)
    lead = words[0].rstrip("*").lower()
    if len(words) == 1 and parts[0].endswith("(?:y|ies)"):
        lead = lead[:-1]
    return Term(text=text, pattern=pattern, lead=lead)


def _words(text: str) -> list[str]:
    """Split a term into words; config validation already refused terms the rule cannot express."""
    words = [word for word in _WORD_SPLIT.split(text.strip()) if word]
    return words


def _word_pattern(word: str, *, last: bool) -> str:
    if word.endswith("*"):
        return re.escape(word.rstrip("*")) + r"\w*"
    if not last:
        return re.escape(word)
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies)"
    return re.escape(word) + "(?:s|es)?"


def _compile_all(texts: Iterable[str]) -> tuple[Term, ...]:
    return tuple(_compile_term(text) for text in texts)


def categorize_all(papers: Iterable[Paper], rules: Rules) -> tuple[Entry, ...]:
    return tuple(Entry(paper, categorize(paper, rules)) for paper in papers)


def categorize(paper: Paper, rules: Rules) -> Decision:
    """Choose the paper's category and say in one line which evidence chose it."""
    text = f"{paper.title}\n{paper.abstract}"
    off_topic = _first_match(rules.off_topic, text)
    if off_topic is not None:
        return Decision(rules.fallback, _bounded(f"off-topic term: {off_topic}"), relevant=False)

    evidence = _score_all(paper, rules)
    ruled_out = _ruled_out(rules, text)
    note = "; ".join(f"ruled out {rules.categories[i].name} by {term}" for i, term in ruled_out)
    candidates = [i for i in range(len(rules.categories)) if i not in dict(ruled_out)]
    best = max(candidates, key=lambda i: (evidence[i].score, -i), default=None)
    if best is None or evidence[best].score == 0:
        matched = any(item.score for item in evidence)
        reason = "no other topic matched" if matched else "no topic term matched"
        return Decision(rules.fallback, _bounded(_join(reason, note)))
    explanation = _join(_explain(evidence[best]), note)
    if evidence[best].score < rules.min_score:
        below = f"score {evidence[best].score} below min_score {rules.min_score:g}"
        return Decision(rules.fallback, _bounded(f"{below}: {explanation}"), relevant=False)
    return Decision(rules.categories[best].name, _bounded(explanation))


def _ruled_out(rules: Rules, text: str) -> list[tuple[int, str]]:
    """Categories an `exclude` term rules out, each with the first term found."""
    found = ((i, _first_match(rule.exclude, text)) for i, rule in enumerate(rules.categories))
    return [(i, term) for i, term in found if term is not None]


def _score_all(paper: Paper, rules: Rules) -> list[_Evidence]:
    """Score every category from the same claimed spans, so overlaps count once."""
    title_hits = _claim(_find_all(rules, paper.title))
    abstract_hits = _claim(_find_all(rules, paper.abstract))
    return [
        _evidence(
            [hit.term for hit in title_hits if hit.category == index],
            [hit.term for hit in abstract_hits if hit.category == index],
            _hint(rule.arxiv_categories, paper.primary_category, paper.categories),
        )
        for index, rule in enumerate(rules.categories)
    ]


def _find_all(rules: Rules, text: str) -> list[_Hit]:
    lowered = text.lower()
    return [
        _Hit(index, order, term.text, match.start(), match.end())
        for index, rule in enumerate(rules.categories)
        for order, term in enumerate(rule.keywords)
        if term.lead in lowered
        for match in term.pattern.finditer(text)
    ]


def _claim(hits: Sequence[_Hit]) -> list[_Hit]:
    """Keep the longest matches first; a match overlapping a kept one is dropped.

    Text matched by two categories' terms alike (one word listed in both) counts for both; within
    one category, text counts once, for the term listed first.
    """
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.start, h.category, h.order)):
        if all(_compatible(hit, other) for other in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.category))


def _compatible(hit: _Hit, other: _Hit) -> bool:
    if (hit.start, hit.end) == (other.start, other.end):
        return hit.category != other.category
    return hit.end <= other.start or other.end <= hit.start


def _evidence(
    title_terms: list[str], abstract_terms: list[str], hint: tuple[str, int] | None
) -> _Evidence:
    titles = tuple(dict.fromkeys(title_terms))
    counts = {
        term: min(abstract_terms.count(term), REPEAT_CAP) for term in dict.fromkeys(abstract_terms)
    }
    score = TITLE_WEIGHT * len(titles) + ABSTRACT_WEIGHT * sum(counts.values())
    if hint is not None:
        score += hint[1]
    return _Evidence(score, titles, tuple(counts.items()), None if hint is None else hint[0])


def _hint(
    patterns: Sequence[str], primary: str, categories: Sequence[str]
) -> tuple[str, int] | None:
    """The arXiv category that supports this topic and its weight; the primary one weighs more."""
    if primary and any(_arxiv_match(pattern, primary) for pattern in patterns):
        return primary, PRIMARY_HINT
    for category in categories:
        if category != primary and any(_arxiv_match(pattern, category) for pattern in patterns):
            return f"{category} (cross-list)", CROSS_LIST_HINT
    return None


def _arxiv_match(pattern: str, category: str) -> bool:
    pattern, category = pattern.strip().lower(), category.strip().lower()
    if pattern.endswith("*"):
        return category.startswith(pattern[:-1])
    return category == pattern


def _first_match(terms: Sequence[Term], text: str) -> str | None:
    lowered = text.lower()
    return next(
        (term.text for term in terms if term.lead in lowered and term.pattern.search(text)), None
    )


def _explain(evidence: _Evidence) -> str:
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
