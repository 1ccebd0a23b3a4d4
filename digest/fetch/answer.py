"""What an answer from arXiv means: a page to read, a failure worth retrying, or a mistake to
report; and the failure types the fetch stage raises.

The `arxiv` client turns an HTML error page or a truncated feed into zero or fewer results
without a word, and does not retry what it cannot parse: every answer is checked here first.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from typing import Any

import msgspec
import requests
from lxml import etree

from digest.errors import DigestError, SettingsError

_ATOM = "{http://www.w3.org/2005/Atom}"
_TOTAL = "{http://a9.com/-/spec/opensearch/1.1/}totalResults"
# Counts and seconds in ASCII digits: str.isdigit and int() also take "²" or "١".
_WHOLE_NUMBER = re.compile(r"[0-9]{1,15}")
# arXiv holds under three million papers: a total beyond this is a broken or forged answer.
MAX_PLAUSIBLE_TOTAL = 100_000_000


class FetchError(DigestError):
    """arXiv could not be read completely; the run must change nothing.

    `url` is the endpoint that was asked, `cause` the last failure in a few words.
    """

    def __init__(self, message: str, *, url: str, cause: str) -> None:
        super().__init__(message)
        self.url = url
        self.cause = cause


class ArxivUnreachableError(FetchError):
    """No answer came at all: name not resolved, connection refused, TLS failure, time-out."""


class QueryError(SettingsError):
    """arXiv rejected the query itself (HTTP 400): a config problem, not a transient one."""


class RequestFailedError(Exception):
    """One failed request. `answered`: an HTTP answer arrived; `permanent`: retrying cannot fix
    it; `retry_after`: arXiv's own hint in seconds, if it sent one."""

    def __init__(
        self,
        cause: str,
        detail: str = "",
        *,
        answered: bool,
        permanent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{cause} ({detail})" if detail else cause)
        self.cause = cause
        self.answered = answered
        self.permanent = permanent
        self.retry_after = retry_after


class Page(msgspec.Struct, frozen=True):
    """What one good answer held: its entries and the total arXiv claims for the query."""

    entries: int
    total: int


def check_response(response: requests.Response) -> Page:
    """A good page, or the reason the answer cannot be trusted."""
    status = response.status_code
    if status == 400:
        raise QueryError(f"arXiv rejected the query: {_error_message(response.content)}")
    if status == 429 or status >= 500:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        raise RequestFailedError(f"HTTP {status}", answered=True, retry_after=retry_after)
    if status != 200:
        endpoint = (response.url or "").split("?", 1)[0]
        raise FetchError(
            f"arXiv answered HTTP {status} for {endpoint}; "
            "check ARXIV_API_URL (unset it to use arXiv itself)",
            url=endpoint,
            cause=f"HTTP {status}",
        )
    return _page(response.content)


def _page(content: bytes) -> Page:
    """The answer's entries and totalResults, once it has proved to be one whole Atom feed.

    The client parses leniently (lxml's recover mode reads a truncated feed as fewer entries
    without a word), so the whole answer is parsed strictly here first.
    """
    try:
        root = _tree(content)
    except etree.XMLSyntaxError:
        raise RequestFailedError(
            "invalid XML", "truncated or an error page", answered=True
        ) from None
    if root.tag != f"{_ATOM}feed":
        raise RequestFailedError("not an Atom feed", "an error page?", answered=True)
    total_text = root.findtext(_TOTAL)
    if total_text is None or not _WHOLE_NUMBER.fullmatch(total_text.strip()):
        raise RequestFailedError("no readable opensearch:totalResults in the feed", answered=True)
    total = int(total_text)
    if total > MAX_PLAUSIBLE_TOTAL:
        raise RequestFailedError(
            "implausible answer", f"totalResults {total}, more than arXiv holds", answered=True
        )
    return Page(entries=len(root.findall(f"{_ATOM}entry")), total=total)


def _tree(content: bytes) -> Any:
    return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))


def _error_message(content: bytes) -> str:
    """arXiv explains a bad query in the summary of a single entry titled 'Error'."""
    try:
        root = _tree(content)
    except etree.XMLSyntaxError:
        return "HTTP 400 (no explanation given); check the 'query' setting in config.yml"
    summary = root.findtext(f"{_ATOM}entry/{_ATOM}summary") or "HTTP 400"
    return f"{' '.join(summary.split())}; check the 'query' setting in config.yml"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header, given either as seconds or as an HTTP date; None for
    one that cannot be read (the retry then waits its own backoff).

    HTTP dates are GMT: one written with "-0000" or without a zone is read as UTC.
    """
    text = (value or "").strip()
    if _WHOLE_NUMBER.fullmatch(text):
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
