"""Load and validate config.yml, the one file a forker edits."""

from __future__ import annotations

import difflib
import re
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

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _check_relative(path: str) -> str:
    """Paths stay inside the repository: GitHub mode can only publish there."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or any(part in ("", ".", "..") for part in parts):
        raise ValueError(
            f"must be a path inside the repository like 'docs/README.md', got {path!r}"
        )
    return path


def _check_term(term: str) -> str:
    """A term the categorizer can match: words with a letter or digit, `*` only ending one."""
    for word in re.split(r"[\s\-\u2010-\u2015]+", term):
        if word and (not re.search(r"\w", word) or "*" in word.rstrip("*")):
            raise ValueError(
                f"term {term!r} needs a letter or digit in each word, and * only at a word's end"
            )
    return term


Term = Annotated[Text, AfterValidator(_check_term)]
RelativePath = Annotated[Text, AfterValidator(_check_relative)]


class ConfigError(Exception):
    """config.yml is unreadable or invalid; the message names the key and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ArxivSettings(_Strict):
    page_size: int = Field(100, ge=1, le=2000)
    delay_seconds: float = Field(3.0, ge=0)
    max_results: int = Field(2000, ge=1, le=30000)
    timeout_seconds: float = Field(60.0, gt=0)
    retry_budget_seconds: float = Field(600.0, ge=0)
    backoff_seconds: float = Field(5.0, ge=0)
    empty_result_retries: int = Field(2, ge=0)


class CategorySpec(_Strict):
    name: Text
    keywords: tuple[Term, ...] = Field((), strict=False)
    exclude: tuple[Term, ...] = Field((), strict=False)
    arxiv_categories: tuple[Text, ...] = Field((), strict=False)

    @model_validator(mode="after")
    def _has_a_signal(self) -> CategorySpec:
        if not self.keywords and not self.arxiv_categories:
            raise ValueError("needs at least one entry in 'keywords' or 'arxiv_categories'")
        return self


class RelevanceSettings(_Strict):
    exclude_terms: tuple[Term, ...] = Field(
        ("hadoop", "apache spark", "mapreduce", "in-memory database"),
        strict=False,
    )
    min_score: float = Field(2.0, ge=0)
    drop_irrelevant: bool = False


def _default_categories() -> tuple[CategorySpec, ...]:
    """The shipped topics live in a YAML file beside this module: data, not code."""
    text = Path(__file__).with_name("default_categories.yml").read_text(encoding="utf-8")
    return tuple(CategorySpec.model_validate(item) for item in yaml.safe_load(text)["categories"])


DEFAULT_CATEGORIES = _default_categories()


class Config(_Strict):
    title: Text = "🧠 Open Neuromorphic - Daily ArXiv"
    description: Text = "Papers are automatically categorized by topic and sorted by date."
    query: Text = (
        'all:neuromorphic OR all:"spiking neural network" OR all:memristor'
        ' OR all:"in-memory computing" OR all:"event-based vision"'
    )
    window_days: int = Field(14, ge=1)
    lookback_days: int = Field(7, ge=1)
    max_catchup_days: int = Field(30, ge=1)
    readme_path: RelativePath = "README.md"
    archive_dir: RelativePath = "archive"
    arxiv: ArxivSettings = ArxivSettings()
    categories: tuple[CategorySpec, ...] = Field(DEFAULT_CATEGORIES, min_length=1, strict=False)
    fallback_category: Text = "📂 General / Uncategorized"
    relevance: RelevanceSettings = RelevanceSettings()

    @property
    def category_order(self) -> tuple[str, ...]:
        """Every category a paper can get, in display order, the fallback last."""
        return (*(category.name for category in self.categories), self.fallback_category)

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
        raw = yaml.safe_load(text)
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
        raise ConfigError(f"{path}: {_explain(error)}") from None


def _kind(value: object) -> str:
    return "an empty file" if value is None else f"a {type(value).__name__}"


def _explain(error: ValidationError) -> str:
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
