"""The query's syntax, checked offline before arXiv sees it.

arXiv answers a malformed query with HTTP 400 at best; at worst it reads it as something else
and the digest silently follows another field. Only the syntax arXiv documents is accepted:
`field:word` or `field:"a phrase"` terms with the fields below, joined by AND, OR or ANDNOT in
upper case, grouped with parentheses. Words may hold any character but space, quote and
parenthesis (arXiv's own `*` wildcard included): their meaning is arXiv's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

FIELDS = ("ti", "au", "abs", "co", "jr", "cat", "rn", "id", "all")
OPERATORS = ("AND", "OR", "ANDNOT")
# What forkers write for a field, by the words arXiv's manual uses for them.
_FIELD_WORDS = {
    "title": "ti",
    "author": "au",
    "abstract": "abs",
    "summary": "abs",
    "comment": "co",
    "journal": "jr",
    "category": "cat",
    "report": "rn",
}
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<open>\()
      | (?P<close>\))
      | (?P<field>[A-Za-z_]+):(?P<value>"[^"]*"|[^\s()"]*)
      | (?P<phrase>"[^"]*")
      | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


class Token(msgspec.Struct, frozen=True):
    """One piece of the query: `kind` is open, close, term, phrase or word."""

    kind: str
    text: str
    start: int
    field: str = ""
    value: str = ""

    @property
    def where(self) -> str:
        return _at(self.start)


def query_problem(query: str) -> str | None:
    """What is wrong with the query's syntax and how to fix it, in one line, or None."""
    try:
        _check(list(_tokens(query)))
    except _QueryError as mistake:
        return str(mistake)
    return None


class _QueryError(Exception):
    """A syntax mistake, worded for the forker: where it is and how to fix it."""


def _tokens(query: str) -> Iterator[Token]:
    quotes = [index for index, char in enumerate(query) if char == '"']
    if len(quotes) % 2:
        raise _QueryError(
            f'the quote {_at(quotes[-1])} is never closed; add a " where the phrase ends'
        )
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup if match.lastgroup != "value" else "field"
        if kind == "space":
            continue
        start = match.start()
        if kind == "field":
            yield _term(match["field"], match["value"], match[0], start)
        else:
            yield Token(str(kind), match[0], start)


def _at(start: int) -> str:
    return f"at character {start + 1}"


def _term(field: str, value: str, text: str, start: int) -> Token:
    if field not in FIELDS:
        guess = _FIELD_WORDS.get(field.lower()) or (
            field.lower() if field.lower() in FIELDS else ""
        )
        hint = f"; did you mean {guess}:?" if guess else ""
        raise _QueryError(
            f"unknown field {field}: {_at(start)}; arXiv's fields are {' '.join(FIELDS)}{hint}"
        )
    if value in ("", '""'):
        raise _QueryError(
            f'{field}: {_at(start)} has nothing after it; write a word or a "quoted phrase" '
            f"right after the colon, or write the field on each term: ({field}:a OR {field}:b)"
        )
    return Token("term", text, start, field=field, value=value)


def _check(tokens: list[Token]) -> None:
    """Walk the tokens expecting a term (or an opening parenthesis) and an operator in turn."""
    open_groups: list[Token] = []
    previous: Token | None = None
    for token in tokens:
        if token.kind == "close" and not open_groups:
            raise _QueryError(
                f'the ")" {token.where} closes nothing; remove it or add a "(" where its group '
                "starts"
            )
        if _expects_term(previous):
            _check_term_slot(token, previous)
        else:
            _check_operator_slot(token, previous)
        if token.kind == "open":
            open_groups.append(token)
        elif token.kind == "close":
            open_groups.pop()
        previous = token
    if previous is not None and previous.text in OPERATORS:
        raise _QueryError(
            f"{previous.text} {previous.where} has no term after it; add one or remove "
            f"{previous.text}"
        )
    if open_groups:
        raise _QueryError(
            f'the "(" {open_groups[-1].where} is never closed; add a ")" where its group ends'
        )


def _expects_term(previous: Token | None) -> bool:
    return previous is None or previous.kind == "open" or previous.text in OPERATORS


def _check_term_slot(token: Token, previous: Token | None) -> None:
    """Where a term belongs: a term or an opening parenthesis, nothing else."""
    if token.kind in ("term", "open"):
        return
    if token.kind == "close":
        if previous is not None and previous.kind == "open":
            raise _QueryError(f'the "()" {previous.where} is empty; put terms in it or remove it')
        if previous is not None:
            raise _QueryError(
                f"{previous.text} {previous.where} has no term after it; add one or remove "
                f"{previous.text}"
            )
    if token.text.upper() == "NOT":
        if previous is not None and previous.text == "AND":
            raise _QueryError(
                f"AND NOT {previous.where}: arXiv's operator is one word; write ANDNOT"
            )
        raise _QueryError(
            f"NOT {token.where}: arXiv has no NOT; write ANDNOT between two terms "
            "(all:a ANDNOT all:b)"
        )
    if token.text in OPERATORS:
        raise _QueryError(
            f"{token.text} {token.where} has no term before it; add one or remove {token.text}"
        )
    raise _QueryError(
        f"{token.text} {token.where} has no field; write one before it, like all:{token.text}"
    )


def _check_operator_slot(token: Token, previous: Token | None) -> None:
    """After a term or a closed group: an operator or a closing parenthesis."""
    if token.text in OPERATORS or token.kind == "close":
        return
    upper = token.text.upper()
    if upper in OPERATORS:
        raise _QueryError(
            f"{token.text} {token.where}: arXiv's operators are upper case; write {upper}"
        )
    if upper == "NOT":
        raise _QueryError(f"NOT {token.where}: arXiv has no NOT; write ANDNOT")
    if previous is not None and previous.kind == "term" and token.kind == "word":
        phrase = f'{previous.field}:"{previous.value.strip(chr(34))} {token.text}"'
        raise _QueryError(
            f"{token.text} {token.where} follows {previous.text} with no operator; quote the "
            f"phrase ({phrase}) or join terms with AND, OR or ANDNOT"
        )
    raise _QueryError(
        f"{token.text} {token.where} follows {previous.text if previous else ''} with no "
        "operator; join terms with AND, OR or ANDNOT"
    )
