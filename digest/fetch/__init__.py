"""Fetch from arXiv with the `arxiv` client: paged, bounded in time, answers checked, retried."""

from digest.fetch.answer import ArxivUnreachableError, FetchError, QueryError
from digest.fetch.pages import FetchResult, fetch_papers
from digest.fetch.session import DEFAULT_ENDPOINT, endpoint_from_env

__all__ = [
    "DEFAULT_ENDPOINT",
    "ArxivUnreachableError",
    "FetchError",
    "FetchResult",
    "QueryError",
    "endpoint_from_env",
    "fetch_papers",
]
