"""Problems a person can act on, and the small error hierarchy the CLI maps to exit codes.

Every problem a user can cause is a `Problem`: a file, a line and column, the field it is
about, a plain sentence, and a hint that says how to fix it. Stages collect problems instead
of raising, so one run reports all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .messages import printable


class Severity(StrEnum):
    """How much a problem matters: errors fail a run, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the knowledge base, located in a file."""

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    reference: bool = False
    """A reference to another record or action that is not there: a change to that other
    record (deleting it, renaming an action) breaks this one without touching it."""
    placeholder: bool = False
    """A draft's prompt or stand-in left in a record: a warning while the draft is written,
    an error in a change checked for merging (``validate --changed-since``)."""
    caused_by: str = ""
    """The ref a change is checked against (``validate --changed-since``) when this problem is
    in a record the change did not touch and the knowledge base did not have it there: the
    change caused it (a figure it changed moved a review's scorecard across its goal)."""
    about: tuple[str, ...] = ()
    """Other files the problem is about besides its own (the retros a scorecard row's figure
    comes from): `hindsight validate` naming one of them reports it too, as the fix may be
    there."""

    def said_caused(self) -> str:
        """What a report adds after the problem when the change caused it; else ``""``."""
        if not self.caused_by:
            return ""
        return f" [caused by this change: not so at {self.caused_by}]"

    def format(self) -> str:
        """Render as ``path:line:col  field  message (hint)``."""
        where = f"{self.path}:{self.line}:{self.col}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        text = f"{where}  {self.field or '-'}  {label}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        text += self.said_caused()
        # File names and quoted values come from contributors: no escape sequence reaches a
        # terminal, no text-direction override reorders the line, and the problem stays one
        # line (a file name with a line break printed `::warning …` on a line of its own, which
        # a CI log such as GitHub Actions' runs as a command).
        return printable(text).replace("\n", "\\n").replace("\t", "\\t")

    def format_github(self, prefix: str = "") -> str:
        """Render as a GitHub Actions workflow command (an annotation on the line).
        ``prefix``: the knowledge base's folder in its repository (``kb/``), which GitHub
        reads an annotation's file from: ``retros/x.md`` of a knowledge base in ``kb/`` is
        no file there, and the annotation attaches to nothing."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        message = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            message += f" ({self.hint})"
        message += self.said_caused()
        # Workflow commands end at a newline; %, CR and LF must be escaped.
        message = printable(message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
        # A property value also ends at a line break: a file name holding one must not start a
        # workflow command of its own.
        path = (printable(prefix + self.path).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                .replace(",", "%2C").replace(":", "%3A"))
        return f"::{kind} file={path},line={self.line},col={self.col}::{message}"


@dataclass
class Problems:
    """A collector of problems: stages add to it and carry on."""

    items: list[Problem] = field(default_factory=list)

    def error(
        self, path: str, line: int, col: int, field: str, message: str, hint: str = "",
        reference: bool = False,
    ) -> None:
        """Record an error (``reference``: to another record or action that is not there)."""
        self.items.append(Problem(path, line, col, field, message, hint, Severity.ERROR,
                                  reference))

    def warning(
        self, path: str, line: int, col: int, field: str, message: str, hint: str = "",
        placeholder: bool = False, about: tuple[str, ...] = (),
    ) -> None:
        """Record a warning (``placeholder``: a draft's prompt left in a record; ``about``:
        the other files it is about, `Problem.about`)."""
        self.items.append(Problem(path, line, col, field, message, hint, Severity.WARNING,
                                  placeholder=placeholder, about=about))

    def add(self, problem: Problem) -> None:
        """Record a problem made elsewhere (one a later check may `withdraw`)."""
        self.items.append(problem)

    def withdraw(self, problem: Problem) -> None:
        """Take back a problem that a later check reports better: a record's warning whose
        fix the rules across records find wrong, and replace with an error of their own."""
        self.items = [p for p in self.items if p != problem]

    def extend(self, other: Problems) -> None:
        """Take every problem of another collector."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        """The problems that fail a run."""
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that fail a run only with ``--strict``."""
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        """Every problem, by path, line, column, then field."""
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.col, p.field, p.message))


class HindsightError(Exception):
    """A problem the user caused and can fix; printed without a traceback."""

    exit_code = 1
    details: dict[str, object] | None = None
    """What a command asked for JSON prints beside the message (the records' problems)."""


class ConfigError(HindsightError):
    """The knowledge base itself is misconfigured (no taxonomy, bad option, missing folder)."""

    exit_code = 2


class RecordError(HindsightError):
    """One or more records are invalid; the problems were already reported."""

    exit_code = 1


class BuildError(HindsightError):
    """The site could not be built from valid records (for example an output folder clash)."""

    exit_code = 1


class CacheError(BuildError):
    """A page kept in ``.hindsight-cache/`` could not be read back whole (the build stops
    rather than publish it; the damaged copy is removed, so the next run renders it again)."""
