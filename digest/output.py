"""One voice for everything the bot tells people.

Every warning and error, whether logged by a digest module, PyGithub, urllib3 or the arxiv client,
or said by the entry point, takes one path: a line on stderr, an annotation in GitHub Actions, and
a list in the job summary. Info lines from digest modules reach stderr only. Writing any of this
never raises: a run that did its work still exits 0 when stdout or the summary file is gone.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

TITLE = "arXiv digest"
_OWN = "digest"
# Libraries whose warnings are the bot's warnings too (PyGithub's retries, urllib3's connection
# retries, the arxiv client's skipped entries); their info and debug lines stay quiet.
_LIBRARIES = ("github", "urllib3", "arxiv")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MARKDOWN_BLOCK = re.compile(r"^([#>+\-=])|^(\d+)([.)])")

log = logging.getLogger(__name__)


class Output:
    """Where this run's words go; made by setup_output, finished once by the entry point."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._actions = env.get("GITHUB_ACTIONS") == "true"
        summary = env.get("GITHUB_STEP_SUMMARY", "")
        self._summary = Path(summary) if summary else None
        self._problems: list[str] = []
        self._stdout_lost: str | None = None

    def warn(self, message: str) -> None:
        """A warning from the entry point, said like any logged one."""
        log.warning("%s", message)

    def fail(self, message: str) -> None:
        """The run's one-line error; the caller still decides the exit code."""
        log.error("%s", message)

    def finish(self, lines: Sequence[str], details: str = "") -> None:
        """Print the summary and add it, with this run's warnings and errors, to the job summary;
        `details` is Markdown for the job summary only (links, lists), already escaped."""
        if lines and not self._print("\n".join(lines)):
            log.warning(
                "cannot print the summary to stdout (%s); the run itself is unaffected",
                self._stdout_lost,
            )
        if self._summary is None or not (lines or self._problems):
            return
        try:
            with self._summary.open("a", encoding="utf-8") as stream:
                stream.write(_summary_markdown(lines, self._problems, details))
        except OSError as error:
            log.warning(
                "cannot add to the job summary %s (%s); the log holds the same lines",
                self._summary,
                _reason(error),
            )

    def _say(self, level: int, message: str) -> None:
        """Tell one message: stderr always; warnings and errors also as annotation and summary."""
        label = "error" if level >= logging.ERROR else "warning" if level >= logging.WARNING else ""
        _print_stderr(f"{label}: {message}" if label else message)
        if not label:
            return
        self._problems.append(f"{label}: {message}")
        if self._actions:
            self._print(f"::{label}::{_escape_command(message)}")

    def _print(self, text: str) -> bool:
        """Write to stdout; on the first failure remember why and write nothing more there."""
        if self._stdout_lost is not None:
            return False
        stream: TextIO | None = sys.stdout
        if stream is None:  # Python sets sys.stdout to None when fd 1 was closed at start-up
            self._stdout_lost = "stdout is closed"
            return False
        try:
            stream.write(text + "\n")
            stream.flush()
        except (OSError, ValueError) as error:
            self._stdout_lost = _reason(error)
            return False
        return True


class _Handler(logging.Handler):
    """Hands each wanted record, as one line, to the run's Output."""

    def __init__(self, output: Output) -> None:
        super().__init__()  # every level comes in, so PyGithub's handler is muted before any
        self.output = output

    def filter(self, record: logging.LogRecord) -> bool:
        if _under(record.name, "github"):
            _mute_pygithub()
        wanted = logging.INFO if _under(record.name, _OWN) else logging.WARNING
        return record.levelno >= wanted and bool(super().filter(record))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())
        except (TypeError, ValueError):
            self.handleError(record)
            return
        self.output._say(record.levelno, message)


def setup_output(env: Mapping[str, str]) -> Output:
    """Route the bot's and its libraries' log records to a new Output, replacing any earlier one.

    Handlers go on the top loggers, so filters on the loggers that emit (the publisher's token
    redaction) still run first. Root and its handlers are left alone.
    """
    output = Output(env)
    handler = _Handler(output)
    for name in (_OWN, *_LIBRARIES):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h, _Handler)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
    logging.getLogger(_OWN).setLevel(logging.INFO)
    _mute_pygithub()
    return output


def _mute_pygithub() -> None:
    """Silence the bare StreamHandler that importing PyGithub adds to 'github'; ours says it once.

    PyGithub 2.10.0 github/__init__.py adds it (and sets level INFO) at import, which may come
    after setup_output. Muted, not removed: this also runs while logging walks that handler list.
    """
    for handler in logging.getLogger("github").handlers:
        if type(handler) is logging.StreamHandler:
            handler.setLevel(logging.CRITICAL + 1)


def _under(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def _print_stderr(text: str) -> None:
    """The last channel: if even stderr is gone there is nobody left to tell."""
    stream: TextIO | None = sys.stderr
    if stream is None:
        return
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        return


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def _escape_command(text: str) -> str:
    """Escape a workflow command's message the way GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _summary_markdown(lines: Sequence[str], problems: Sequence[str], details: str = "") -> str:
    """The run's section of the job summary: heading, summary list, details, then warnings and
    errors."""
    parts = [f"### {TITLE}\n\n"]
    parts += [f"{'  ' if line[:1].isspace() else ''}- {_markdown(line)}\n" for line in lines]
    if details:
        parts.append(f"\n{details.strip()}\n")
    if problems:
        parts.append("\n**Warnings and errors**\n\n" if lines else "")
        parts += [f"- {_markdown(problem)}\n" for problem in problems]
    parts.append("\n")
    return "".join(parts)


def _markdown(text: str) -> str:
    """Text that renders as itself in a Markdown list item, whatever punctuation it holds."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(text.split()))
    return _MARKDOWN_BLOCK.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
