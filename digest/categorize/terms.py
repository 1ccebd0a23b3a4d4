"""Find configured terms in paper text fast, exactly where their case-insensitive regexes match.

The categorizer's rule (see digest.categorize.rules) defines a term by one case-insensitive regex:
whole words, separators between words, a plural last word, `*` prefixes. Running ~500 of those
over every title and abstract is slow, so a term is compiled twice over:

* Its regex runs on folded text (`search_text`), lower-case and case-sensitive, with its leading
  literal first, so `re` jumps to candidate places instead of trying every character.
* Its key, the literal words every match starts with, lets one scan per paper (`KeyScanner`) name
  the few terms that can occur at all; only those run their regex. A day of a few papers looks
  their words up in a table; a busy one builds one regex over every key, which reads faster.

Terms with non-ASCII letters keep the plain case-insensitive regex and are always run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

import msgspec

# Space, ASCII hyphen and the Unicode hyphens and dashes arXiv abstracts use between words.
SEPARATOR = r"[\s\-\u2010-\u2015]*"
_WORD_SPLIT = re.compile(r"[\s\-\u2010-\u2015]+")
_KEY_CHARS = re.compile(r"[a-z0-9_]+")
_NON_WORD = re.compile(r"\W")
_ASCII_NON_WORD_TO_SPACE = str.maketrans(
    {char: " " for char in map(chr, range(128)) if not char.isalnum() and char != "_"}
)
_PLURAL_Y = "(?:y|ies)"
# Irregular plurals of the last word that science writes every day, by the singular's ending:
# spectrum/spectra, criterion/criteria, phenomenon/phenomena, analysis/analyses, nucleus/nuclei,
# matrix/matrices, vertex/vertices, nebula/nebulae. The regular +s/+es stays allowed too.
_IRREGULAR = (
    ("um", "(?:ums?|a)"),
    ("rion", "(?:rions?|ria)"),
    ("enon", "(?:enons?|ena)"),
    ("is", "(?:is|es)"),
    ("us", "(?:us|uses|i)"),
    ("ix", "(?:ix|ixes|ices)"),
    ("ex", "(?:ex|exes|ices)"),
    ("a", "(?:as?|ae)"),
)
_IRREGULAR_FROM = 4  # shorter words (bus, gas, via, plus) keep the regular plural
# re.IGNORECASE also equates these with i, i and s (Python's re._casefix) and str.lower() does
# not; it also lowers U+0130 to two characters. Folding them first makes a lower-case regex on
# folded text match exactly where the case-insensitive one matches (tests check every character).
FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})

_Node = dict[str, "_Node"]
_END, _GAP = "", " "  # marks in a trie node: a key ends here; a key's next word may follow


class CompiledTerm(msgspec.Struct, frozen=True):
    """One configured word or phrase, and what finds it.

    `pattern` reads the folded text when `on_folded` (ASCII terms), else the original. Every match
    starts with `lead` (lower-cased) and with the words of `key_words` (ASCII word characters;
    none for a term the key scan cannot rule out).
    """

    text: str
    lead: str
    key_words: tuple[str, ...]
    on_folded: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        """Built and compiled on first use: a day's few papers need a few of the ~500 terms, and
        compiling them all cost a small field's run a tenth of a second."""
        return _compiled(self.text)

    @property
    def key(self) -> str:
        """The key as a scan sees it, separators dropped ("" for no key)."""
        return "".join(self.key_words)


class SearchText(NamedTuple):
    """A field as matchers read it: as written, lower-cased (for `lead`) and folded."""

    original: str
    lowered: str
    folded: str
    ascii: bool


def compile_term(text: str) -> CompiledTerm:
    """The term's lead and key, following the morphology rule of digest.categorize.rules."""
    words = _words_of(text)
    lead = words[0].rstrip("*").lower()
    if len(words) == 1 and not words[0].endswith("*"):
        lead = _word_parts(lead, last=True)[0]
    if not text.isascii():
        return CompiledTerm(text, lead, (), on_folded=False)
    parts = _parts([word.lower() for word in words])
    return CompiledTerm(text, lead, _key_words(parts), on_folded=True)


@functools.cache
def _compiled(text: str) -> re.Pattern[str]:
    """The term's regex: case-insensitive on the original text for non-ASCII terms, lower-case
    on the folded text otherwise."""
    words = _words_of(text)
    if not text.isascii():
        regexes = [re.escape(stem) + rest for stem, rest in _parts(words)]
        return re.compile(r"(?<!\w)" + SEPARATOR.join(regexes) + r"(?!\w)", re.IGNORECASE)
    (stem, rest), *others = _parts([word.lower() for word in words])
    # `(?<!\w)` after the literal instead of before it: re searches fast for a leading literal.
    first = re.escape(stem) + rf"(?<!\w.{{{len(stem)}}}){rest}"
    regexes = [first, *(re.escape(stem) + rest for stem, rest in others)]
    return re.compile(SEPARATOR.join(regexes) + r"(?!\w)", re.DOTALL)


def _words_of(text: str) -> list[str]:
    return [word for word in _WORD_SPLIT.split(text.strip()) if word]


def _parts(words: list[str]) -> list[tuple[str, str]]:
    return [_word_parts(word, last=index == len(words) - 1) for index, word in enumerate(words)]


def _word_parts(word: str, *, last: bool) -> tuple[str, str]:
    """The literal a word's matches start with, and the regex for the rest of it.

    A prefix takes the rest of its word possessively (`\\w*+`): it cannot give letters back, so
    no term, however many prefixes it chains, makes the regex backtrack; the next word of the
    term follows after a space or hyphen.
    """
    if word.endswith("*"):
        return word.rstrip("*"), r"\w*+"
    if not last:
        return word, ""
    if len(word) > 1 and word[-1] in "yY" and word[-2].lower() not in "aeiou":
        return word[:-1], _PLURAL_Y
    if len(word) >= _IRREGULAR_FROM:
        for ending, regex in _IRREGULAR:
            if word.lower().endswith(ending):
                return word[: -len(ending)], regex
    return word, "(?:s|es)?"


def _key_words(parts: list[tuple[str, str]]) -> tuple[str, ...]:
    """The leading literal words, cut at the first character or ending that can vary."""
    words = []
    for stem, rest in parts:
        literal = _KEY_CHARS.match(stem)
        if literal is None:
            break
        words.append(literal.group())
        if rest or literal.end() < len(stem):
            break
    return tuple(words)


def search_text(text: str) -> SearchText:
    lowered = text.lower()
    if text.isascii():
        return SearchText(text, lowered, lowered, ascii=True)
    return SearchText(text, lowered, text.translate(FOLD).lower(), ascii=False)


def matches(term: CompiledTerm, text: SearchText) -> Iterator[re.Match[str]]:
    """The term's matches, as its case-insensitive regex finds them in the original text."""
    # The categorizer always required `lead` in the lower-cased text too. A folded match on ASCII
    # text implies it; elsewhere (letters like U+017F that only re equates) the check decides.
    if not (text.ascii and term.on_folded) and term.lead not in text.lowered:
        return iter(())
    return term.pattern.finditer(text.folded if term.on_folded else text.original)


def could_match(term: CompiledTerm, present: set[str]) -> bool:
    """False when the key scan that found `present` rules the term out."""
    return not term.key_words or term.key in present


# The one-regex scan costs a compile up front and little per paper; looking words up costs
# nothing up front and more per paper: a batch this large repays the compile.
REGEX_SCAN_FROM = 100
_HEAD = 3  # a key is filed under the first letters of its first word


class TokenScan(msgspec.Struct, frozen=True):
    """Looks each distinct word of a text up by its first letters (`heads`): a key of one word
    counts when a word starts with it, a key of several when the text holds its words run
    together."""

    heads: Mapping[str, tuple[tuple[str, bool], ...]]
    lengths: tuple[int, ...]

    def present(self, text: SearchText) -> set[str]:
        words = _words(text)
        found = set()
        joined = ""
        for token in set(words.split()):
            for length in self.lengths:
                for key, several in self.heads.get(token[:length], ()):
                    if several:
                        joined = joined or words.replace(" ", "")
                        if key in joined:
                            found.add(key)
                    elif token.startswith(key):
                        found.add(key)
        return found


class TrieScan(msgspec.Struct, frozen=True):
    """One regex pass: it starts at a literal space (fast) and captures the longest key after
    it; the keys that one starts with (`prefixes`) occur there too."""

    pattern: re.Pattern[str]
    prefixes: Mapping[str, tuple[str, ...]]

    def present(self, text: SearchText) -> set[str]:
        found = {key.replace(" ", "") for key in set(self.pattern.findall(" " + _words(text)))}
        return {key for longest in found for key in self.prefixes[longest]}


KeyScanner = TokenScan | TrieScan
"""Finds the keys a text holds: every key a term's match in it starts with, perhaps more. Both
read the folded text with every non-word character made a space."""


def _words(text: SearchText) -> str:
    if text.ascii:
        return text.folded.translate(_ASCII_NON_WORD_TO_SPACE)
    return _NON_WORD.sub(" ", text.folded)


def key_scanner(terms: Iterable[CompiledTerm], papers: int | None = None) -> KeyScanner:
    """The cheaper scan for `papers` texts (None: many)."""
    keys = frozenset(term.key_words for term in terms if term.key_words)
    if papers is not None and papers < REGEX_SCAN_FROM:
        return _token_scan(keys)
    return _trie_scan(keys)


def _token_scan(keys: frozenset[tuple[str, ...]]) -> TokenScan:
    heads: dict[str, list[tuple[str, bool]]] = {}
    for key in sorted(keys):
        heads.setdefault(key[0][:_HEAD], []).append(("".join(key), len(key) > 1))
    return TokenScan(
        heads={head: tuple(group) for head, group in heads.items()},
        lengths=tuple(sorted({len(head) for head in heads})),
    )


@functools.lru_cache(maxsize=16)
def _trie_scan(keys: frozenset[tuple[str, ...]]) -> TrieScan:
    """Cached, as tests build the same rules many times."""
    joined = {"".join(key) for key in keys}
    return TrieScan(
        pattern=re.compile(rf" (?=({_trie(keys)}))"),
        prefixes={
            key: tuple(key[:n] for n in range(1, len(key) + 1) if key[:n] in joined)
            for key in joined
        },
    )


def _trie(keys: Iterable[tuple[str, ...]]) -> str:
    """A regex for the longest key here: a key's end makes the rest of its branch optional.

    Sibling branches start with different characters, so a text follows one path through it.
    """
    root: _Node = {}
    for key in sorted(keys):
        node = root
        for index, word in enumerate(key):
            if index:
                node.setdefault(_GAP, {})
            for char in word:
                node = node.setdefault(char, {})
        node[_END] = {}
    return _branches(root) or "(?!)"


def _branches(node: _Node) -> str:
    # Key characters are [a-z0-9_], which need no escaping.
    branches = [char + _branches(child) for char, child in node.items() if char not in (_END, _GAP)]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    group = " *" + group if _GAP in node else group
    return f"(?:{group})?" if _END in node else group
