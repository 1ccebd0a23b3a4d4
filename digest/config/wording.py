"""PyYAML's and msgspec's errors, reworded for a forker: the line or key, what is wrong, the fix.

msgspec words errors for programmers ("Expected `int` >= 1 - at `$.window_days`"), PyYAML for
readers of the YAML spec ("found undefined alias"); config.yml is edited by people who should
not need either manual.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any, Protocol

import msgspec
import yaml

_MSGSPEC_ERROR = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_FIELD_NAME = re.compile(r"field `(?P<name>[^`]+)`")
_OWN_KEY = re.compile(r"^(?P<key>[a-z_]+(?:\.\d+)?): (?P<rest>.*)$", re.DOTALL)
_BOUND = re.compile(
    r"^Expected `(?P<kind>\w+)`(?: of length)? (?P<op>>=|<=|>|<) (?P<limit>[\d.]+)$"
)
_MISMATCH = re.compile(r"^Expected `(?P<expected>\w+)`, got `(?P<got>\w+)`$")
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
# What YAML took for an alias: `*` and the name after it, up to a space or flow indicator.
_ALIAS = re.compile(r"\*[^\s\[\]{},]*")
# A line `key: value` (a list item's too), the value without a trailing comment.
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?(?P<key>[^\s#'\"][^:#]*?):\s+(?P<value>.+?)(?:\s+#.*)?$")
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


class _Mark(Protocol):
    """Where PyYAML found something (0-based); its C and Python parsers each have a class."""

    line: int
    column: int


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
        words = f"must be {_KIND_WORDS.get(expected, expected)}, not {_KIND_WORDS.get(got, got)}"
        # `- deep learning: theory` is a mapping to YAML: the forker meant one term.
        quote = "; text holding ': ' must be quoted" if (expected, got) == ("str", "object") else ""
        return words + quote
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


def yaml_problem(error: yaml.YAMLError, text: str) -> str:
    """PyYAML's error as ' line L, column C: invalid YAML: what is wrong; the fix', at the line
    to mend: an unclosed quote is reported where it opens, not where the file ends."""
    problem = getattr(error, "problem", None) or str(error)
    mark: _Mark | None = getattr(error, "problem_mark", None)
    if mark is None:
        return f": invalid YAML: {problem}"
    opened: _Mark | None = getattr(error, "context_mark", None)
    context = getattr(error, "context", None) or ""
    if opened is not None and context.endswith("quoted scalar") and "end of stream" in problem:
        never_closes = "the quoted text opened here never closes; add its closing quote"
        return f"{_at(opened)}: invalid YAML: {never_closes}"
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    alias = _ALIAS.match(line[mark.column :])
    if problem.startswith("found undefined alias") and alias:
        return (
            f"{_at(mark)}: invalid YAML: YAML reads {alias[0]} as an alias (a reuse of an "
            f"&anchor's value), not as text; put it in quotes: {_quoted(alias[0])}"
        )
    if opened is not None and context and opened.line != mark.line:
        problem = f"{problem} ({context} begun at{_at(opened)})"
    return f"{_at(mark)}: invalid YAML: {problem}{_yaml_fix(problem, line, mark.column)}"


def _yaml_fix(problem: str, line: str, column: int) -> str:
    """The fix for the slips PyYAML words most obscurely: a value holding ': ', a stray indent,
    text starting with a character YAML reserves."""
    if problem.startswith("mapping values are not allowed"):
        pair = _KEY_VALUE.match(line)
        if pair and ": " in line[:column]:
            example = f"{pair['key']}: {_quoted(pair['value'])}"
            return f"; a value holding ': ' must be quoted, as in {example}"
        return "; if this line starts a key, indent it as the key above it"
    if "cannot start any token" in problem:
        return "; put the value in quotes"
    return ""


# The longest value a message repeats whole: a message stays one readable line.
_SHOWN_VALUE = 40


def unreadable_value(node: yaml.Node, error: Exception, root: yaml.Node | None) -> str:
    """' line L, column C: key: what is wrong' for a value shaped like a date or number that is
    none (2026-13-01), which PyYAML reports with neither line nor key."""
    key = _key_path(root, node) if root is not None else None
    value = str(node.value)
    shown = value if len(value) <= _SHOWN_VALUE else value[: _SHOWN_VALUE - 1] + "…"
    where = f"{_at(node.start_mark)}: {key + ': ' if key else ''}{shown}"
    if node.tag.endswith(":timestamp"):
        return f"{where} is not a date ({error}); write a real day like 2026-12-25"
    # Python's own words here (int() limits, literals) tell a forker nothing they can act on.
    return f"{where} cannot be read as a number; write a plain number, or quote it if it is text"


def stray_anchor(event: yaml.ScalarEvent) -> str:
    """' line L, column C: ...' for a term written `&diffusion`, which YAML takes for an anchor
    (a name for reuse), not for the term, and loads without a word."""
    written = " ".join(f"&{event.anchor} {event.value}".split())  # one line, as every message
    return (
        f"{_at(event.start_mark)}: YAML reads {written} as an anchor (a name for reusing a "
        f"value), not as text; put it in quotes: {_quoted(written)}"
    )


def _key_path(root: yaml.Node, target: yaml.Node) -> str | None:
    """The dotted key of `target` within the document, list items by index (alerts.holidays.0)."""
    stack = [(root, "")]
    seen: set[int] = set()
    while stack:
        node, key = stack.pop()
        if node is target:
            return key
        if id(node) in seen:  # an alias: the same node again, or itself within itself
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [(value, _join(key, str(name.value))) for name, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, _join(key, str(index))) for index, item in enumerate(node.value)]
    return None


def _at(mark: _Mark | None) -> str:
    return f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _quoted(text: str) -> str:
    """`text` as a single-quoted YAML value, which holds any character but a doubled `'`."""
    return "'" + text.replace("'", "''") + "'"
