"""Load and validate config.yml, the one file a forker edits.

Every optional setting's default is written once, in digest/defaults.yml, which this module
reads; the models below add only types and bounds. Bounds keep date arithmetic far from the
calendar's edges, so no setting can make a run overflow.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from digest.errors import SettingsError
from digest.paths import check_relative_path

DEFAULTS: dict[str, Any] = yaml.load(
    Path(__file__).with_name("defaults.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
)

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_term(term: str) -> str:
    """A term the categorizer can match: words with a letter or digit, `*` only ending one."""
    for word in re.split(r"[\s\-\u2010-\u2015]+", term):
        if word and (not re.search(r"\w", word) or "*" in word.rstrip("*")):
            raise ValueError(
                f"term {term!r} needs a letter or digit in each word, and * only at a word's end"
            )
    return term


def _check_path(path: str) -> str:
    problem = check_relative_path(path)
    if problem:
        raise ValueError(f"must be a path inside the repository like 'docs/README.md': {problem}")
    return path


ConfiguredTerm = Annotated[Text, AfterValidator(_check_term)]
RelativePath = Annotated[Text, AfterValidator(_check_path)]


class ConfigError(SettingsError):
    """config.yml (or a setting from the environment) is invalid; the message names the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _default(*keys: str) -> Any:
    value: Any = DEFAULTS
    for key in keys:
        value = value[key]
    return value


class AbstractDisplay(StrEnum):
    FULL = "full"
    FOLDED = "folded"
    NONE = "none"


class DisplaySettings(_Strict):
    abstracts: AbstractDisplay = Field(
        AbstractDisplay(_default("display", "abstracts")), strict=False
    )
    full_days: int = Field(_default("display", "full_days"), ge=0, le=365)
    max_page_bytes: int = Field(_default("display", "max_page_bytes"), ge=10_000, le=500_000)


class ArxivSettings(_Strict):
    page_size: int = Field(_default("arxiv", "page_size"), ge=1, le=2000)
    delay_seconds: float = Field(_default("arxiv", "delay_seconds"), ge=0, le=60)
    timeout_seconds: float = Field(_default("arxiv", "timeout_seconds"), gt=0, le=600)
    retry_budget_seconds: float = Field(_default("arxiv", "retry_budget_seconds"), ge=0, le=3600)
    backoff_seconds: float = Field(_default("arxiv", "backoff_seconds"), ge=0, le=300)
    empty_result_retries: int = Field(_default("arxiv", "empty_result_retries"), ge=0, le=10)


class CategorySpec(_Strict):
    name: Text
    keywords: tuple[ConfiguredTerm, ...] = Field((), strict=False)
    exclude: tuple[ConfiguredTerm, ...] = Field((), strict=False)
    arxiv_categories: tuple[Text, ...] = Field((), strict=False)

    @model_validator(mode="after")
    def _has_a_signal(self) -> CategorySpec:
        if not self.keywords and not self.arxiv_categories:
            raise ValueError("needs at least one entry in 'keywords' or 'arxiv_categories'")
        return self


class RelevanceSettings(_Strict):
    exclude_terms: tuple[ConfiguredTerm, ...] = Field(
        tuple(_default("relevance", "exclude_terms")), strict=False
    )
    min_score: float = Field(_default("relevance", "min_score"), ge=0)
    drop_irrelevant: bool = _default("relevance", "drop_irrelevant")


class Config(_Strict):
    title: Text
    description: str = _default("description")
    query: Text
    window_days: int = Field(_default("window_days"), ge=1, le=365)
    lookback_days: int = Field(_default("lookback_days"), ge=1, le=365)
    max_catchup_days: int = Field(_default("max_catchup_days"), ge=1, le=365)
    late_sweep_days: int = Field(_default("late_sweep_days"), ge=0, le=365)
    readme_path: RelativePath = _default("readme_path")
    archive_dir: RelativePath = _default("archive_dir")
    display: DisplaySettings = DisplaySettings()
    arxiv: ArxivSettings = ArxivSettings()
    categories: tuple[CategorySpec, ...] = Field(min_length=1, strict=False)
    fallback_category: Text = _default("fallback_category")
    relevance: RelevanceSettings = RelevanceSettings()

    @property
    def category_order(self) -> tuple[str, ...]:
        """Every category a paper can get, in display order, the fallback last."""
        return (*(category.name for category in self.categories), self.fallback_category)

    @property
    def rules_key(self) -> str:
        """A fingerprint of the settings that decide a paper's category: archived decisions
        made under the same fingerprint are reused instead of recomputed."""
        settings = self.model_dump(
            mode="json", include={"categories", "fallback_category", "relevance"}
        )
        text = json.dumps(settings, sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]

    @model_validator(mode="after")
    def _consistent(self) -> Config:
        names = [category.name for category in self.categories]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"categories: the name {name!r} is used twice; names must differ")
        if self.fallback_category in names:
            raise ValueError("fallback_category: must differ from every name in 'categories'")
        if self.lookback_days > self.max_catchup_days:
            raise ValueError("lookback_days: must not exceed max_catchup_days")
        if self.readme_path == self.archive_dir or self.readme_path.startswith(
            self.archive_dir + "/"
        ):
            raise ValueError("readme_path: must lie outside archive_dir")
        return self


def load_config(path: Path) -> Config:
    """Read and validate `path`, or raise ConfigError with a one-line explanation."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; pass --config PATH or create it") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    try:
        raw = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping of settings (key: value), not {_kind(raw)}")
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_first_problem(error)}") from None


def _kind(value: object) -> str:
    return "an empty file" if value is None else f"a {type(value).__name__}"


def _first_problem(error: ValidationError) -> str:
    """Turn pydantic's first error into 'key.path: what is wrong'."""
    first = error.errors(include_url=False)[0]
    location = tuple(first["loc"])
    key = ".".join(str(part) for part in location)
    kind = first["type"]
    if kind == "extra_forbidden":
        known = _known_keys(location[:-1])
        guess = difflib.get_close_matches(str(location[-1]), known, n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"known keys: {', '.join(known)}"
        return f"{key}: unknown key; {hint}"
    if kind == "missing":
        return f"{key}: required but missing"
    if kind == "value_error":
        message = str(first["msg"]).removeprefix("Value error, ")
        return message if not key else f"{key}: {message}"
    shown = repr(first["input"])
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{key}: {first['msg']} (got {shown})"


def _known_keys(location: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = Config
    for part in location:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    return list(model.model_fields)
