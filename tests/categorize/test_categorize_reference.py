"""The fast categorizer decides exactly as the plain one it replaced: one regex per term.

The reference below is that plain implementation, kept as an oracle: every paper must get the same
category, relevance and reason from both, so readers of the digest see no change but the speed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.categorize import rules as fast
from digest.categorize.terms import FOLD, SEPARATOR
from digest.config.settings import CategorySpec, Config, RelevanceSettings
from digest.records import Decision, Paper
from tests.factories import neuromorphic_config, text_paper
from tests.fake_arxiv import SEED_PATH

# Rules for a few papers find keys by looking words up, for many by one regex: test both.
SCANS, SCAN_IDS = (1, None), ("word-lookups", "one-regex")
ARXIV = ("cs.NE", "cond-mat.mes-hall", "cs.LG", "cs.CL", "physics.optics", "cs.AR")

# --- the reference: the categorizer as first written ---------------------------------------------


@dataclass(frozen=True)
class RefTerm:
    text: str
    pattern: re.Pattern[str]
    lead: str


@dataclass(frozen=True)
class RefCategory:
    name: str
    keywords: tuple[RefTerm, ...]
    exclude: tuple[RefTerm, ...]
    arxiv: tuple[str, ...]
    described: frozenset[str]


REF_SEPARATOR = r"[\s\-\u2010-\u2015]*"
RefRules = tuple[list[RefCategory], list[RefTerm]]
# (score with the hint, score of terms alone, title terms, abstract terms and counts, hint)
RefEvidence = tuple[float, float, tuple[str, ...], tuple[tuple[str, int], ...], str | None]


def ref_term(text: str) -> RefTerm:
    words = [word for word in re.split(r"[\s\-\u2010-\u2015]+", text.strip()) if word]
    parts = [ref_word(word, last=index == len(words) - 1) for index, word in enumerate(words)]
    pattern = re.compile(r"(?<!\w)" + REF_SEPARATOR.join(parts) + r"(?!\w)", re.IGNORECASE)
    lead = words[0].rstrip("*").lower()
    if len(words) == 1 and not words[0].endswith("*"):
        # A one-word term's lead is what all its forms share: the word without its ending.
        lead = re.sub(r"\(\?:.*\)\??$", "", parts[0]).replace("\\", "").lower()
    return RefTerm(text, pattern, lead)


# Singular ending -> its plural's possible endings, as the rule lists them (words of 4+ letters).
REF_IRREGULAR = {
    "um": ["um", "ums", "a"],
    "rion": ["rion", "rions", "ria"],
    "enon": ["enon", "enons", "ena"],
    "is": ["is", "es"],
    "us": ["us", "uses", "i"],
    "ix": ["ix", "ixes", "ices"],
    "ex": ["ex", "exes", "ices"],
    "a": ["a", "as", "ae"],
}


def ref_word(word: str, *, last: bool) -> str:
    if word.endswith("*"):
        return "(?>" + re.escape(word.rstrip("*")) + r"\w*)"
    if not last:
        return re.escape(word)
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies)"
    for ending, forms in REF_IRREGULAR.items():
        if len(word) >= 4 and word.lower().endswith(ending):
            stem = re.escape(word[: -len(ending)])
            return stem + "(?:" + "|".join(forms) + ")"
    return re.escape(word) + "(?:s|es)?"


REF_COMMON = set(
    [
        "about",
        "also",
        "among",
        "and",
        "applications",
        "approach",
        "based",
        "between",
        "both",
        "contribution",
        "different",
        "each",
        "either",
        "from",
        "into",
        "like",
        "many",
        "method",
        "more",
        "most",
        "much",
        "other",
        "over",
        "paper",
        "papers",
        "same",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "used",
        "uses",
        "using",
        "very",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whose",
        "with",
        "within",
        "without",
        "work",
        "works",
    ]
)


def ref_singular(word: str) -> str:
    if word.endswith("s") and not (
        word.endswith("ss") or word.endswith("is") or word.endswith("us")
    ):
        return word[:-1]
    return word


def ref_described(spec: CategorySpec, config: Config) -> list[str]:
    """Description words of 4+ letters, singular, minus common ones, other topics' and keywords."""

    def words(text: str) -> list[str]:
        return [ref_singular(w) for w in re.findall(r"[^\W\d_]{4,}", text.lower())]

    others = {
        w for other in config.categories if other is not spec for w in words(other.description)
    }
    keywords = {k.lower() for k in spec.keywords}
    kept: list[str] = []
    for word in words(spec.description):
        if word not in (*REF_COMMON, *others, *keywords, *kept):
            kept.append(word)
    return kept


def ref_rules(config: Config) -> RefRules:
    categories = []
    for spec in config.categories:
        described = ref_described(spec, config)
        categories.append(
            RefCategory(
                spec.name,
                tuple(map(ref_term, [*spec.keywords, *described])),
                tuple(map(ref_term, spec.exclude)),
                tuple(spec.arxiv_categories),
                frozenset(described),
            )
        )
    return categories, [ref_term(text) for text in config.relevance.exclude_terms]


def ref_first(terms: Sequence[RefTerm], text: str) -> str | None:
    lowered = text.lower()
    found = (t.text for t in terms if t.lead in lowered and t.pattern.search(text))
    return next(found, None)


def ref_hits(categories: list[RefCategory], text: str) -> list[tuple[int, int, int, int, str]]:
    """Every match as (start, end, category, order, term), overlaps resolved longest first."""
    lowered = text.lower()
    hits = [
        (match.start(), match.end(), index, order, term.text)
        for index, category in enumerate(categories)
        for order, term in enumerate(category.keywords)
        if term.lead in lowered
        for match in term.pattern.finditer(text)
    ]
    kept: list[tuple[int, int, int, int, str]] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0], h[2], h[3])):
        if all(
            hit[2] != other[2] if hit[:2] == other[:2] else hit[1] <= other[0] or other[1] <= hit[0]
            for other in kept
        ):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h[0], h[2]))


def ref_hint(patterns: Sequence[str], paper: Paper) -> tuple[str, int] | None:
    def match(pattern: str, category: str) -> bool:
        pattern, category = pattern.strip().lower(), category.strip().lower()
        if pattern.endswith("*"):
            return category.startswith(pattern[:-1])
        return category == pattern

    primary = paper.primary_category
    if primary and any(match(pattern, primary) for pattern in patterns):
        return primary, fast.PRIMARY_HINT
    for category in paper.categories:
        if category != primary and any(match(pattern, category) for pattern in patterns):
            return f"{category} (cross-list)", fast.CROSS_LIST_HINT
    return None


def ref_evidence(
    titles: list[str], abstracts: list[str], hint: tuple[str, int] | None, described: frozenset[str]
) -> RefEvidence:
    title_terms = tuple(dict.fromkeys(titles))
    counts = {
        term: min(abstracts.count(term), fast.REPEAT_CAP) for term in dict.fromkeys(abstracts)
    }
    terms = 0.0
    for term in title_terms:
        terms += fast.TITLE_WEIGHT * (fast.DESCRIPTION_WEIGHT if term in described else 1)
    for term, count in counts.items():
        terms += (
            fast.ABSTRACT_WEIGHT * count * (fast.DESCRIPTION_WEIGHT if term in described else 1)
        )
    score = terms + (hint[1] if hint else 0)

    def shown(term: str) -> str:
        return f"{term} (description)" if term in described else term

    return (
        score,
        terms,
        tuple(map(shown, title_terms)),
        tuple((shown(term), n) for term, n in counts.items()),
        hint[0] if hint else None,
    )


def ref_explain(evidence: RefEvidence) -> str:
    _, _, titles, abstracts, hint = evidence
    parts = []
    if titles:
        parts.append("title: " + ", ".join(titles))
    if abstracts:
        ranked = sorted(abstracts, key=lambda item: -item[1])
        shown = [term if n == 1 else f"{term} ×{n}" for term, n in ranked[: fast.SHOWN_TERMS]]
        if len(ranked) > fast.SHOWN_TERMS:
            shown.append(f"+{len(ranked) - fast.SHOWN_TERMS} more")
        parts.append("abstract: " + ", ".join(shown))
    if hint is not None:
        parts.append(f"arXiv: {hint}")
    return "; ".join(parts)


def ref_join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def ref_bounded(reason: str) -> str:
    line = " ".join(reason.split())
    limit = fast.REASON_LIMIT
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def ref_categorize(paper: Paper, config: Config, rules: RefRules) -> Decision:
    categories, off_topic_terms = rules
    fallback, text = config.fallback_category, f"{paper.title}\n{paper.abstract}"
    off_topic = ref_first(off_topic_terms, text)
    if off_topic is not None:
        return Decision(fallback, ref_bounded(f"off-topic term: {off_topic}"), relevant=False)
    title_hits, abstract_hits = (
        ref_hits(categories, paper.title),
        ref_hits(categories, paper.abstract),
    )
    evidence = [
        ref_evidence(
            [hit[4] for hit in title_hits if hit[2] == index],
            [hit[4] for hit in abstract_hits if hit[2] == index],
            ref_hint(category.arxiv, paper),
            category.described,
        )
        for index, category in enumerate(categories)
    ]
    found = [(i, ref_first(category.exclude, text)) for i, category in enumerate(categories)]
    ruled_out = {i: term for i, term in found if term is not None}
    note = "; ".join(f"ruled out {categories[i].name} by {term}" for i, term in ruled_out.items())
    # Only topics with term evidence compete; the hint then adds to their scores.
    open_ = [i for i in range(len(categories)) if i not in ruled_out and evidence[i][1] > 0]
    best = max(open_, key=lambda i: (evidence[i][0], -i), default=None)
    if best is None:
        matched = any(item[1] for item in evidence)
        reason = "no other topic matched" if matched else "no topic term matched"
        return Decision(fallback, ref_bounded(ref_join(reason, note)))
    explanation = ref_join(ref_explain(evidence[best]), note)
    if evidence[best][1] < config.relevance.min_score:
        below = f"term score {evidence[best][1]:g} below min_score {config.relevance.min_score:g}"
        return Decision(fallback, ref_bounded(f"{below}: {explanation}"), relevant=False)
    return Decision(categories[best].name, ref_bounded(explanation))


# --- the comparisons -----------------------------------------------------------------------------


CUSTOM = Config(
    title="Custom digest",
    query="cat:cs.RO",
    categories=(
        CategorySpec(
            name="Learning",
            keywords=(
                "neural network",
                "network",
                "learning",
                "polic*",
                "policy",
                "agent",
                "model",
            ),
            exclude=("survey",),
            arxiv_categories=("cs.LG", "stat.*"),
        ),
        CategorySpec(
            name="Language",
            description="Language models, tokens and text: their training and their energy.",
            keywords=(
                "language model",
                "large language model",
                "llm",
                "token",
                "reasoning",
                "model",
            ),
            exclude=("image",),
            arxiv_categories=("cs.CL",),
        ),
        CategorySpec(
            name="Systems",
            description="Accelerators, chips and circuits; memory systems and their energy.",
            keywords=("in-memory computing", "accelerat*", "energy efficien*", "memory", "study"),
            arxiv_categories=("cs.AR", "cond-mat.*"),
        ),
    ),
    fallback_category="Other",
    relevance=RelevanceSettings(exclude_terms=("blockchain", "quantum computing"), min_score=2),
)


def seed_papers() -> list[Paper]:
    """The labelled papers, given rotating arXiv categories so hints take part too."""
    items = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    return [
        text_paper(
            item["title"], item["abstract"], ARXIV[i % 6], (ARXIV[i % 6], ARXIV[(i * 5) % 6])
        )
        for i, item in enumerate(items)
    ]


@pytest.mark.parametrize("papers", SCANS, ids=SCAN_IDS)
@pytest.mark.parametrize("config", [neuromorphic_config(), CUSTOM], ids=["default", "custom"])
def test_every_seed_paper_gets_the_reference_decision_and_reason(
    config: Config, papers: int | None
) -> None:
    items = seed_papers()
    rules, reference = fast.build_rules(config, papers), ref_rules(config)
    decisions = [fast.categorize(item, rules) for item in items]
    assert decisions == [ref_categorize(item, config, reference) for item in items]
    assert len({decision.category for decision in decisions}) > 1  # the papers do differ


@pytest.mark.parametrize(
    ("keywords", "exclude", "title", "abstract"),
    [
        (
            ("spike train", "spike"),
            "",
            "Spike trainers",
            "",
        ),  # a longer key found, then not matched
        (("winner-take*-all", "winner"), "", "", "winner-takeall and Winner—takes—ALL"),
        (("in memory computing", "memory"), "", "", "Inmemory computing in\u2010memory computings"),
        (("spike", "in memory"), "", "ſpike İn memory", "ın memory"),  # letters only re equates
        (("kbit", "µm"), "", "\u212abit", "μm µm"),
        (("c++ compiler", "(pcm)", "i/o"), "", "C++ compilers", "(PCM) and I/O"),
        (("plasticity", "assembly", "array"), "", "Plasticities", "assemblies, arraies, arrays"),
        (("spike",), "in memory", "Spike in", "memory"),  # an exclude spans title and abstract
        (("band gap", "bandgap"), "", "band gap", "bandgap band-gap"),
    ],
)
@pytest.mark.parametrize("papers", SCANS, ids=SCAN_IDS)
def test_tricky_texts_get_the_reference_decision(
    keywords: tuple[str, ...], exclude: str, title: str, abstract: str, papers: int | None
) -> None:
    specs = (
        CategorySpec(name="First", keywords=keywords[1:] or keywords, arxiv_categories=("cs.NE",)),
        CategorySpec(name="Second", keywords=keywords[:1], exclude=(exclude,) if exclude else ()),
    )
    config = Config(title="t", query="all:q", categories=specs, fallback_category="Other")
    item = text_paper(title, abstract, "cs.LG", ("cs.LG", "cs.NE"))
    expected = ref_categorize(item, config, ref_rules(config))
    assert fast.categorize(item, fast.build_rules(config, papers)) == expected


WORDS = [
    "spike", "spiking", "neural", "network", "in", "memory", "comput", "a", "p", "bit", "2d",
    "plasticity", "array", "process", "bus", "memristi", "c++", "(pcm)", "i/o", "µm", "μm",
    "schrödinger", "hadoop",
]  # fmt: skip
TEXT_ONLY = ["ſpike", "ın", "İn", "\u212abit", "ΣΑΣ", "é", "’", "σ"]
SEPARATORS = [" ", "-", "\u2010", "\u2014", "\n", "", "/", ", ", "(", ")", ".", "\u00a0", "_"]


@st.composite
def terms(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    words = [word + draw(st.sampled_from(["", "", "*", "y"])) for word in words]
    return draw(st.sampled_from([" ", "-"])).join(words)


@st.composite
def configs(draw: st.DrawFn) -> Config:
    specs = [
        CategorySpec(
            name=f"C{index}",
            keywords=tuple(draw(st.lists(terms(), min_size=1, max_size=4))),
            exclude=tuple(draw(st.lists(terms(), max_size=1))),
            arxiv_categories=tuple(
                draw(st.lists(st.sampled_from(["cs.NE", "cond-mat.*", "cs.*"]), max_size=1))
            ),
        )
        for index in range(draw(st.integers(1, 3)))
    ]
    relevance = RelevanceSettings(
        exclude_terms=tuple(draw(st.lists(terms(), max_size=1))),
        min_score=draw(st.sampled_from([0, 1, 2, 4])),
    )
    return Config(
        title="t",
        query="all:q",
        categories=tuple(specs),
        fallback_category="Other",
        relevance=relevance,
    )


@st.composite
def texts(draw: st.DrawFn) -> str:
    word = st.tuples(
        st.sampled_from(WORDS + TEXT_ONLY),
        st.sampled_from([str.lower, str.upper, str.title]),
        st.sampled_from(["", "", "s", "es", "ies", "y", "ive", "x"]),
    ).map(lambda parts: parts[1](parts[0]) + parts[2])
    pieces = draw(st.lists(st.one_of(word, st.sampled_from(SEPARATORS)), max_size=25))
    return "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(
    configs(),
    texts(),
    texts(),
    st.sampled_from(["", *ARXIV]),
    st.sets(st.sampled_from(ARXIV)),
    st.sampled_from(SCANS),
)
def test_random_texts_and_configs_get_the_reference_decision(
    config: Config, title: str, abstract: str, primary: str, listed: set[str], papers: int | None
) -> None:
    item = text_paper(title, abstract, primary, sorted(listed))
    expected = ref_categorize(item, config, ref_rules(config))
    assert fast.categorize(item, fast.build_rules(config, papers)) == expected


def test_folding_lets_a_lower_case_regex_match_where_the_case_insensitive_one_does() -> None:
    """Checked for every character: what digest.categorize.terms relies on to stay exact."""
    everything = "".join(map(chr, [*range(0xD800), *range(0xE000, sys.maxunicode + 1)]))
    folded = everything.translate(FOLD).lower()
    assert len(folded) == len(everything)

    def where(pattern: str, text: str, flags: int = 0) -> list[int]:
        return [match.start() for match in re.finditer(pattern, text, flags)]

    for pattern in (r"\w", SEPARATOR.rstrip("*")):
        assert where(pattern, everything, re.IGNORECASE) == where(pattern, folded)
    for char in (chr(code) for code in range(33, 127) if not chr(code).isupper()):
        assert where(re.escape(char), everything, re.IGNORECASE) == where(re.escape(char), folded)
