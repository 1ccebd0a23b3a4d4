"""Archive front matter written in YAML's flow style, which is also JSON.

A busy field's window holds thousands of records, and PyYAML builds each value in Python: reading
them took seconds. Flow-style YAML that is also valid JSON is still YAML front matter, so GitHub
and any YAML reader (python-frontmatter's default handler included) read the page as before,
while the bot reads it with the json module at C speed. One record per line keeps diffs small.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

# Characters a YAML stream may not hold raw, and line breaks YAML 1.1 would fold inside a
# quoted scalar (U+0085, U+2028, U+2029): written as JSON escapes, which both languages read.
_NOT_YAML_SAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
# The closing line python-frontmatter's YAMLHandler.FM_BOUNDARY (^-{3,}\s*$) accepts.
_CLOSING_LINE = re.compile(r"-{3,}\s*")
# libyaml's loader recurses in C and crashes the process on flow collections nested some ten
# thousand deep: a page with more brackets than this is read by PyYAML's Python loader, which
# raises RecursionError instead. Pages the bot wrote nest three deep.
_C_LOADER_MAX_BRACKETS = 2_000


class FlowYamlHandler(YAMLHandler):
    """python-frontmatter's YAML handler, writing flow style and reading it as JSON."""

    def split(self, text: str) -> tuple[str, str]:
        """Cut where the library's split cuts, found with str.find: the library's multi-line
        pattern is tried at every position of a page, and a busy day's pages are large."""
        if text.startswith("---\n") and not text[4:5].isspace():
            start = text.find("\n---", 3) + 1
            end = text.find("\n", start)
            if start and end != -1 and _CLOSING_LINE.fullmatch(text, start, end):
                return text[4:start], text[end + 1 :]
        return super().split(text)

    def load(self, fm: str, **kwargs: object) -> Any:
        """The metadata; RecursionError for a value nested deeper than Python's stack allows."""
        try:
            return json.loads(fm)
        except ValueError:  # block-style YAML, as pages written before this format were
            if fm.count("[") + fm.count("{") > _C_LOADER_MAX_BRACKETS:
                return yaml.load(fm, Loader=yaml.SafeLoader)
            return yaml.load(fm, Loader=yaml.CSafeLoader)

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return dump(metadata)


class EncodedRecord(str):
    """A record already encoded as `dump` writes it, written as it is."""


def encode_record(record: Mapping[str, object]) -> EncodedRecord:
    """Encode once what is both measured and written (archive pages size each record to split
    a busy day into parts, then write it)."""
    return EncodedRecord(_json(record))


def dump(metadata: Mapping[str, object]) -> str:
    """The mapping as one JSON object, each record of a list of records on its own line."""
    fields = []
    for key, value in metadata.items():
        if isinstance(value, list) and value and all(_is_record(v) for v in value):
            records = ",\n".join(r if isinstance(r, EncodedRecord) else _json(r) for r in value)
            fields.append(f"{_json(key)}: [\n{records}\n]")
        else:
            fields.append(f"{_json(key)}: {_json(value)}")
    return "{" + ",\n".join(fields) + "}"


def _is_record(value: object) -> bool:
    return isinstance(value, dict | EncodedRecord)


# One encoder: json.dumps with any option builds a new one on every call, once per record.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json(value: object) -> str:
    text = _ENCODER.encode(value)
    return _NOT_YAML_SAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
