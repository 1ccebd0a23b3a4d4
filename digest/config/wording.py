"""msgspec's validation errors, reworded for a forker: the key, what is wrong, a near-miss key.

msgspec words errors for programmers ("Expected `int` >= 1 - at `$.window_days`"); config.yml
is edited by people who should not need its manual.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import msgspec

_MSGSPEC_ERROR = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD_NAME = re.compile(r"field `(?P<name>[^`]+)`")
_OWN_KEY = re.compile(r"^(?P<key>[a-z_]+(?:\.\d+)?): (?P<rest>.*)$", re.DOTALL)
_BOUND = re.compile(
    r"^Expected `(?P<kind>\w+)`(?: of length)? (?P<op>>=|<=|>|<) (?P<limit>[\d.]+)$"
)
_MISMATCH = re.compile(r"^Expected `(?P<expected>\w+)`, got `(?P<got>\w+)`$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
_TOPIC_KEY = re.compile(r"^categories\.(?P<index>\d+)(?=[.:])")
_KIND_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "array": "a list",
    "object": "a mapping of settings",
    "null": "empty",
    "date": "a date like 2026-12-25",
}
_BOUND_WORDS = {">=": "of at least", "<=": "of at most", ">": "greater than", "<": "less than"}


def first_problem(text: str, kind: type[Any], raw: object) -> str:
    """Turn msgspec's error about `raw` into 'key.path: what is wrong', suggesting a near-miss
    key and naming the topic of a `categories.N` key."""
    return _named_topic(_problem(text, kind), raw)


def _problem(text: str, kind: type[Any]) -> str:
    found = _MSGSPEC_ERROR.match(" ".join(text.split()))
    message, path = (found["message"], found["path"] or "") if found else (text, "")
    key = re.sub(r"\[(\d+)\]", r".\1", path).lstrip(".")
    field = _FIELD_NAME.search(message)
    if message.startswith("Object contains unknown field") and field:
        known = _known_keys(kind, key)
        guess = difflib.get_close_matches(field["name"], known, n=1)
        hint = f"did you mean {guess[0]!r}?" if guess else f"known keys: {', '.join(known)}"
        return f"{_join(key, field['name'])}: unknown key; {hint}"
    if message.startswith("Object missing required field") and field:
        return f"{_join(key, field['name'])}: required but missing"
    own = _OWN_KEY.match(message)  # our validators name the key below the struct's path
    if own:
        return f"{_join(key, own['key'])}: {own['rest']}"
    return f"{key}: {_plain(message)}" if key else _plain(message)


def _plain(message: str) -> str:
    """msgspec's wording of a type or bound error, in words a forker reads without a manual."""
    bound = _BOUND.match(message)
    if bound:
        kind, operator, limit = bound["kind"], bound["op"], float(bound["limit"])
        if kind in ("str", "array") and operator == ">=" and limit == 1:
            return "must not be empty"
        return f"must be {_KIND_WORDS.get(kind, kind)} {_BOUND_WORDS[operator]} {limit:g}"
    mismatch = _MISMATCH.match(message)
    if mismatch:
        expected, got = mismatch["expected"], mismatch["got"]
        return f"must be {_KIND_WORDS.get(expected, expected)}, not {_KIND_WORDS.get(got, got)}"
    if message.startswith("Invalid RFC3339 encoded date"):
        return f"must be {_KIND_WORDS['date']}"
    choice = _ENUM.match(message)
    if choice:
        # Imported here: digest.config.settings imports this module.
        from digest.config.settings import AbstractDisplay

        allowed = ", ".join(item.value for item in AbstractDisplay)  # the one enum setting
        return f"{choice['value']} is not one of: {allowed}"
    return message


def _named_topic(problem: str, raw: object) -> str:
    """`categories.2` becomes `categories.2 ("🧠 Algorithms")`: a forker knows topics by name,
    and would count them from 1."""
    found = _TOPIC_KEY.match(problem)
    topics = raw.get("categories") if isinstance(raw, dict) else None
    if found is None or not isinstance(topics, list) or int(found["index"]) >= len(topics):
        return problem
    topic = topics[int(found["index"])]
    name = topic.get("name") if isinstance(topic, dict) else None
    if not isinstance(name, str) or not name.strip():
        return problem
    return f"{found[0]} ({json.dumps(name, ensure_ascii=False)}){problem[found.end() :]}"


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _known_keys(kind: type[Any], key: str) -> list[str]:
    """The keys allowed at `key` (dotted, list indexes included) within `kind`."""
    struct: type[Any] = kind
    for part in key.split(".") if key else ():
        if part.isdigit():
            continue
        annotation = msgspec.inspect.type_info(struct)
        fields = {f.name: f.type for f in annotation.fields}  # type: ignore[attr-defined]
        inner = fields[part]
        while not isinstance(inner, msgspec.inspect.StructType):
            inner = getattr(inner, "item_type", None) or getattr(inner, "type", None)
            if inner is None:
                return []
        struct = inner.cls
    return list(struct.__struct_fields__)
