"""Load and validate config.yml, the one file a forker edits.

Every optional setting's default is written once, in digest/config/defaults.yml, which this module
reads; the records below add only types and bounds. Bounds keep date arithmetic far from the
calendar's edges, so no setting can make a run overflow. Validation is msgspec's: it checks
types, bounds and unknown keys at C speed, so a daily run does not pay a tenth of a second
building validators before it starts.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec
import yaml

from digest.config.query import query_problem
from digest.errors import SettingsError
from digest.layout import check_relative_path
from digest.records import is_arxiv_id, shown_id, split_versioned_id

DEFAULTS: dict[str, Any] = yaml.load(
    Path(__file__).with_name("defaults.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
)

_T = TypeVar("_T")
_MERGE_TAG = "tag:yaml.org,2002:merge"
# A new-style arXiv id written bare (hidden: [2602.10000]) is read as the text it is: YAML
# would read a float, and 2602.10000 would become 2602.1.
_NEW_STYLE_ID = re.compile(r"^[0-9]{4}\.[0-9]{4,5}$")
_WORD_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
# Where a YAML anchor could start: `&` right after a space, a line's start or a flow indicator.
_ANCHOR_LIKE = re.compile(r"(?:^|[\s\[\]{},])&[^\s\[\]{},]", re.MULTILINE)

Text = Annotated[str, msgspec.Meta(min_length=1)]
# Raise when digest/categorize decides differently from the same settings: every archived
# decision is then made again by the next run, instead of reused.
CATEGORIZER = 3


class ConfigError(SettingsError):
    """config.yml (or a setting from the environment) is invalid; the message names the fix."""


class AbstractDisplay(StrEnum):
    FULL = "full"
    FOLDED = "folded"
    NONE = "none"


def _default(*keys: str) -> Any:
    value: Any = DEFAULTS
    for key in keys:
        value = value[key]
    return value


def _between(low: float, high: float) -> msgspec.Meta:
    return msgspec.Meta(ge=low, le=high)


class DisplaySettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    abstracts: AbstractDisplay = AbstractDisplay(_default("display", "abstracts"))
    full_days: Annotated[int, _between(0, 365)] = _default("display", "full_days")
    max_page_bytes: Annotated[int, _between(10_000, 500_000)] = _default(
        "display", "max_page_bytes"
    )


class FeedSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    path: Text = _default("feed", "path")
    max_entries: Annotated[int, _between(1, 10_000)] = _default("feed", "max_entries")
    max_bytes: Annotated[int, _between(10_000, 20_000_000)] = _default("feed", "max_bytes")

    def __post_init__(self) -> None:
        problem = check_relative_path(self.path)
        if problem:
            raise ValueError(
                f"path: must be a path inside the repository like 'feed.xml': {problem}"
            )


class ArxivSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    page_size: Annotated[int, _between(1, 2000)] = _default("arxiv", "page_size")
    delay_seconds: Annotated[float, _between(0, 60)] = _default("arxiv", "delay_seconds")
    timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=600)] = _default(
        "arxiv", "timeout_seconds"
    )
    retry_budget_seconds: Annotated[float, _between(0, 3600)] = _default(
        "arxiv", "retry_budget_seconds"
    )
    backoff_seconds: Annotated[float, _between(0, 300)] = _default("arxiv", "backoff_seconds")
    empty_result_retries: Annotated[int, _between(0, 10)] = _default(
        "arxiv", "empty_result_retries"
    )


class CategorySpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    name: Text
    description: str = ""
    keywords: tuple[Text, ...] = ()
    exclude: tuple[Text, ...] = ()
    arxiv_categories: tuple[Text, ...] = ()

    def __post_init__(self) -> None:
        _check_blank("name", self.name)
        for key, terms in (("keywords", self.keywords), ("exclude", self.exclude)):
            for index, term in enumerate(terms):
                _check_term(f"{key}.{index}", term)
        if not self.keywords and not (self.description or "").strip():
            # Only terms place a paper (digest/categorize/rules.py): keywords, and description
            # words at half weight; an arXiv hint only tips a paper between topics.
            raise ValueError(
                "needs at least one entry in 'keywords', the words that place a paper there, "
                "or a 'description' whose words do at half weight (arxiv_categories only tip a "
                "paper between topics)"
            )


class RelevanceSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    exclude_terms: tuple[Text, ...] = tuple(_default("relevance", "exclude_terms"))
    min_score: Annotated[float, msgspec.Meta(ge=0)] = _default("relevance", "min_score")
    drop_irrelevant: bool = _default("relevance", "drop_irrelevant")

    def __post_init__(self) -> None:
        for index, term in enumerate(self.exclude_terms):
            _check_term(f"exclude_terms.{index}", term)


class AlertSettings(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    stale_after: Annotated[int, _between(1, 60)] = _default("alerts", "stale_after")
    holidays: tuple[date, ...] = tuple(_default("alerts", "holidays"))
    open_issue: bool = _default("alerts", "open_issue")
    fail_run: bool = _default("alerts", "fail_run")


class _DuplicateKeyError(Exception):
    """A mapping in config.yml names the same key twice."""

    def __init__(self, key: object, first_line: int, second_line: int) -> None:
        super().__init__(
            f"key {key!r} is written twice (lines {first_line} and {second_line}); keep one"
        )


class _UnreadableValueError(Exception):
    """A value PyYAML took for a date or number but cannot build (2026-13-01): PyYAML raises a
    bare ValueError, without the line or the key."""

    def __init__(self, node: yaml.Node, error: ValueError) -> None:
        super().__init__(str(error))
        self.node = node


class _ConfigLoader(yaml.CSafeLoader):
    """PyYAML's safe loader, refusing a key written twice in any mapping, and keeping the node
    of a value it cannot build, so that the forker learns its line and key.

    YAML forbids duplicate keys, but PyYAML keeps the last one: a `query:` added at the top of
    the file would leave the old one below in force without a word.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as error:
            raise _UnreadableValueError(node, error) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_lines: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:  # `<<: *defaults` may be overridden by design
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = first_lines.get(key)
            except TypeError:  # an unhashable key: the constructor below refuses it
                continue
            if first is not None:
                raise _DuplicateKeyError(key, first, line)
            first_lines[key] = line
        return super().construct_mapping(node, deep=deep)


_ConfigLoader.yaml_implicit_resolvers = {
    first: [("tag:yaml.org,2002:str", _NEW_STYLE_ID), *resolvers]
    if first in "0123456789"
    else list(resolvers)
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


class Config(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    title: Text
    description: str = _default("description")
    query: Text
    window_days: Annotated[int, _between(1, 365)] = _default("window_days")
    lookback_days: Annotated[int, _between(1, 365)] = _default("lookback_days")
    max_catchup_days: Annotated[int, _between(1, 365)] = _default("max_catchup_days")
    late_sweep_days: Annotated[int, _between(0, 365)] = _default("late_sweep_days")
    readme_path: Text = _default("readme_path")
    archive_dir: Text = _default("archive_dir")
    feed: FeedSettings = FeedSettings()
    display: DisplaySettings = DisplaySettings()
    arxiv: ArxivSettings = ArxivSettings()
    categories: Annotated[tuple[CategorySpec, ...], msgspec.Meta(min_length=1)]
    fallback_category: Text = _default("fallback_category")
    relevance: RelevanceSettings = RelevanceSettings()
    alerts: AlertSettings = AlertSettings()
    hidden: tuple[str, ...] = tuple(_default("hidden"))

    def __post_init__(self) -> None:
        _check_blank("title", self.title)
        _check_blank("query", self.query)
        problem = query_problem(self.query)
        if problem:
            raise ValueError(f"query: {problem}")
        for index, arxiv_id in enumerate(self.hidden):
            if not is_arxiv_id(arxiv_id) and split_versioned_id(arxiv_id) is None:
                raise ValueError(
                    f"hidden.{index}: {shown_id(arxiv_id)} is not an arXiv id like 2602.00001 "
                    "or hep-th/9901001"
                )
        for key in ("readme_path", "archive_dir"):
            problem = check_relative_path(getattr(self, key))
            if problem:
                raise ValueError(
                    f"{key}: must be a path inside the repository like 'docs/README.md': {problem}"
                )
        _check_consistent(self)

    @property
    def category_order(self) -> tuple[str, ...]:
        """Every category a paper can get, in display order, the fallback last."""
        return (*(category.name for category in self.categories), self.fallback_category)

    @property
    def hidden_ids(self) -> frozenset[str]:
        """The ids of the papers kept out of the digest, without versions: hiding a paper
        hides every version of it."""
        return frozenset(
            versioned[0] if (versioned := split_versioned_id(arxiv_id)) else arxiv_id
            for arxiv_id in self.hidden
        )

    @property
    def rules_key(self) -> str:
        """A fingerprint of the settings that decide a paper's category, and of the way they
        are applied: archived decisions made under the same fingerprint are reused instead of
        recomputed."""
        deciding = [CATEGORIZER, self.categories, self.fallback_category, self.relevance]
        text = json.dumps(msgspec.to_builtins(deciding), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def _check_blank(key: str, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{key}: must not be blank")


def _check_term(key: str, term: str) -> None:
    """A term the categorizer can match: words with a letter or digit, `*` only ending one."""
    for word in _WORD_SEPARATORS.split(term):
        if word and (not re.search(r"\w", word) or "*" in word.rstrip("*")):
            raise ValueError(
                f"{key}: term {term!r} needs a letter or digit in each word, and * only at a "
                "word's end"
            )


def _check_consistent(config: Config) -> None:
    names = [category.name for category in config.categories]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f"categories: the name {name!r} is used twice; names must differ")
    if config.fallback_category in names:
        raise ValueError("fallback_category: must differ from every name in 'categories'")
    if config.lookback_days > config.max_catchup_days:
        raise ValueError("lookback_days: must not exceed max_catchup_days")
    archive = config.archive_dir
    for key, path in (("readme_path", config.readme_path), ("feed.path", config.feed.path)):
        if path == archive or path.startswith(archive + "/"):
            raise ValueError(f"{key}: must lie outside archive_dir")
    if config.feed.path == config.readme_path:
        raise ValueError("feed.path: must differ from readme_path")


def parse(raw: object, kind: type[_T]) -> _T:
    """Validate plain data (a YAML mapping) as `kind`, or raise ConfigError naming the key."""
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as error:
        # Imported on failure only: wording a mistake needs difflib, a valid config nothing.
        from digest.config.wording import first_problem

        raise ConfigError(first_problem(str(error), kind, raw)) from None


def load_config(path: Path) -> Config:
    """Read and validate `path`, or raise ConfigError with a one-line explanation."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; pass --config PATH or create it") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    loader = _ConfigLoader(text)
    root = None
    try:
        root = loader.get_single_node()
        raw = None if root is None else loader.construct_document(root)
    except _DuplicateKeyError as error:
        raise ConfigError(f"{path}: {error}") from None
    except _UnreadableValueError as error:
        from digest.config.wording import unreadable_value  # on failure only, as in parse()

        raise ConfigError(f"{path}{unreadable_value(error.node, error, root)}") from None
    except yaml.YAMLError as error:
        from digest.config.wording import yaml_problem

        raise ConfigError(f"{path}{yaml_problem(error, text)}") from None
    finally:
        loader.dispose()
    anchor = _stray_anchor(text)
    if anchor is not None:
        from digest.config.wording import stray_anchor

        raise ConfigError(f"{path}{stray_anchor(anchor)}")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping of settings (key: value), not {_kind(raw)}")
    try:
        return parse(raw, Config)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def _stray_anchor(text: str) -> yaml.ScalarEvent | None:
    """A value's `&name` that no `*name` uses: YAML reads a term written `&diffusion` as an
    anchor, leaving the term empty (or the word after it), so the forker meant text."""
    if not _ANCHOR_LIKE.search(text):  # spares a valid config's second parse
        return None
    events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    used = {event.anchor for event in events if isinstance(event, yaml.AliasEvent)}
    return next(
        (
            event
            for event in events
            if isinstance(event, yaml.ScalarEvent)
            and event.anchor is not None
            and event.anchor not in used
        ),
        None,
    )


def _kind(value: object) -> str:
    return "an empty file" if value is None else f"a {type(value).__name__}"
