"""Provenance from git: who submitted each record and when, and when it last changed.

Two passes over the log (``git log --name-status``, renames followed), never one ``git log``
per file: every commit, for who made each change; the branch's first-parent line, for when it
arrived. Outside a git repository, or in a shallow clone, there is no trustworthy history: in
CI (``CI=true``) a shallow clone is an error that names the fix; elsewhere provenance falls
back to file dates and says so.

A record's history is the commits since its file was added at its path (or at the path it was
renamed from): a deletion ends it, so a file added again where a deleted record was is a new
submission by whoever added it, not a change to the old record.

Anyone can write any author or date into a commit, so nothing git prints is trusted to parse:
the log is read NUL-separated, as bytes. An author's name is shown with control characters
as spaces and bytes that are not UTF-8 as U+FFFD (an empty name as ``unknown``). An author
is named as the repository's ``.mailmap`` names them (``git log``'s ``%aN``). A change is
dated by when it reached the branch being built (`_date_by_arrival`): the committer date, in
the committer's time zone, of the commit on the first-parent line that brought it (a pull
request's merge commit, or the commit itself when it was made or rebased onto the branch), so
a record drafted on a branch and merged today is new today; ``git commit --date`` sets only
the author date and cannot backdate one. (A change that reached the branch with the record
itself is no later change.) Except:

- a change that reached the branch after the build's as-of day has ended everywhere on Earth
  (past midnight at UTC−12) is not yet history (`_as_of`): the branch as of that day is its
  newest first-parent commit committed by then and what that commit holds, so a record's last
  change is the newest of those (a record changed on the 23rd, 26th and 5th is, as of the 3rd,
  last changed on the 26th). (Not after the as-of date in the committer's own time zone: a
  commit made in Tokyo on the morning of the 7th is on the 6th for a build in UTC, and not in
  its future.) A record whose submission itself came after is dated unknown: its page says
  so, *What's new* lists it after every dated change (by record id), and the feed leaves it
  out. A record dated in the future would otherwise stay at the top of both for as long as
  the commit's dates said, and a later edit hid the dated one before it.
- a date Python cannot hold (a year after 9999, an offset of a day or more) is unknown.

So the same commits and as-of date always give the same dates. (File dates, the fallback, are
taken as they are, except one Python cannot hold: unknown too.) Which change is a record's
first and which its last follows the commit graph (``--date-order``: never a commit before
its descendants), not the dates, so a backdated commit cannot take over a record either.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, Problems
from ..messages import plain_name
from ..records.load import MAILMAP, RECORD_FOLDERS, TAXONOMY_FILE, split_front_matter


@dataclass(frozen=True)
class Change:
    """A commit that touched a file."""

    author: str
    when: dt.datetime | None
    """When, by the rules in the module docstring; ``None`` when the date is unknown."""
    commit: str
    """The abbreviated commit hash, or ``""`` for a file date fallback."""

    @property
    def order(self) -> tuple[bool, dt.datetime]:
        """A sort key: later changes sort higher, and an unknown date lowest of all."""
        return (self.when is not None, self.when or _EARLIEST)


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)

FIGURE_FIELDS = {"indicators": "readings", "scorecard": "scorecard",
                 "plan_vs_actual": "plan vs actual"}
"""The fields of a record that hold its figures, each as a page names it: a change to any of
them after the record was published is a correction (`Correction`)."""


@dataclass(frozen=True)
class Correction:
    """The latest change to a record's figures after it was first published: a commit that
    reached the branch and changed what its ``indicators``, ``scorecard`` or
    ``plan_vs_actual`` hold (as YAML reads them: quoting or spacing alone is no change)."""

    when: dt.datetime | None
    """When the change reached the branch (as `Change.when`); ``None`` when unknown."""
    commit: str
    """The abbreviated hash of the commit on the branch that brought it."""
    fields: tuple[str, ...]
    """What it changed, as pages name them (``readings``, ``scorecard``, ``plan vs actual``)."""
    times: int = 1
    """How many commits changed the figures after publication, this one included."""


@dataclass
class Provenance:
    """The first and last change of every record file, by path relative to the root."""

    first: dict[str, Change] = field(default_factory=dict)
    last: dict[str, Change] = field(default_factory=dict)
    source: str = "git"
    """``git``, or ``file dates`` when there is no usable history."""
    notice: str | None = None
    """Why provenance is limited, if it is (printed as a warning)."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Each earlier path of a record file renamed in git (``git mv``), to its path now: a
    renamed record's old address leads to its page (`generator.site.redirects`)."""
    corrected: dict[str, Correction] = field(default_factory=dict)
    """Each record whose figures a commit changed after it was published, by its path: its
    page says it was corrected, when, and where its history is (`_corrections`)."""
    submitted_as: dict[str, str] = field(default_factory=dict)
    """The path each record renamed in git was submitted under (its first name), by its path
    now: its feed entry keeps the id it was first published with (`first_path`)."""

    def first_path(self, path: str) -> str:
        """The path the record at ``path`` was submitted under: itself unless git renamed it
        since (after several renames, the first name)."""
        return self.submitted_as.get(path, path)

    def submitted(self, path: str) -> Change | None:
        """Who first committed the record, and when."""
        return self.first.get(path)

    def changed(self, path: str) -> Change | None:
        """Who last committed a change to the record, and when."""
        return self.last.get(path)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _file_dates(root: Path, paths: list[str], notice: str) -> Provenance:
    provenance = Provenance(source="file dates", notice=notice)
    for path in paths:
        try:
            stamp = (root / path).lstat().st_mtime
        except OSError:
            continue
        try:
            when: dt.datetime | None = dt.datetime.fromtimestamp(stamp, tz=dt.UTC).replace(
                microsecond=0)
        except (ValueError, OverflowError, OSError):  # a year Python cannot hold
            when = None
        change = Change(author="unknown", when=when, commit="")
        provenance.first[path] = change
        provenance.last[path] = change
    return provenance


# Fields of each commit in the log: a marker and the full hash, author date, committer
# date, author name. Git prints no NUL inside one (it reads a commit's headers as C strings),
# and `-z` ends every field and path with one, so no name or path can pass for a separator.
COMMIT_SHOWN = 7
"""Characters of a commit's hash pages show: always this many (git's abbreviation follows the
reader's `core.abbrev` and the repository's size, so the same commit built differing pages)."""
_FORMAT = "%x01%H%x00%aI%x00%cI%x00%aN"
_FIELDS = 4
# A status followed by two paths (a rename or a copy: from, to); any other status has one.
_TWO_PATHS = re.compile(rb"[RC][0-9]*")
# Characters no page or feed should carry: controls (XML forbids most of them, and a tab or
# a line break would split a table row) and the two that are not characters at all.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")

_Line = tuple[str, list[bytes]]
"""A status (``M``, ``R100``, ``AA`` for a merge…) and the paths it names."""


def _commits(log: bytes, width: int = _FIELDS) -> list[tuple[list[bytes], list[_Line]]]:
    """The commits of ``git log -z --name-status --format=…`` of ``width`` fields (the first
    marked with \x01): each one's fields and the files it changed, in the log's order."""
    tokens = log.split(b"\0")
    commits: list[tuple[list[bytes], list[_Line]]] = []
    i = 0
    while i < len(tokens):
        # Git starts a commit's files with a line break, or an empty field for a merge.
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x01"):
            fields = [token[1:], *tokens[i + 1:i + width]]
            i += width
            if len(fields) == width:
                commits.append((fields, []))
            continue
        i += 1
        if not token or not commits:
            continue
        count = 2 if _TWO_PATHS.fullmatch(token) else 1
        paths = tokens[i:i + count]
        i += count
        if len(paths) == count:
            commits[-1][1].append((token.decode("ascii", "replace"), paths))
    return commits


def _instant(stamp: bytes) -> dt.datetime | None:
    """A strict ISO 8601 date as git prints it, or ``None`` if Python cannot hold it."""
    try:
        when = dt.datetime.fromisoformat(stamp.decode("ascii"))
        when.astimezone(dt.UTC)  # an offset that takes it past year 1 or 9999 fails here
    except (ValueError, OverflowError):
        return None
    return when if when.tzinfo is not None else None


def _when(author: bytes, committer: bytes, as_of: dt.date) -> dt.datetime | None:
    """A commit's date: its author date, never later than its committer date, and unknown
    after the as-of day (the module docstring). The arrival pass passes the committer date
    as both; a change it does not find keeps this one."""
    written, committed = _instant(author), _instant(committer)
    when = written if written is not None and (committed is None or written <= committed) \
        else committed
    return when if when is not None and when < _end_everywhere(as_of) else None


def _end_everywhere(day: dt.date) -> dt.datetime:
    """The moment ``day`` ends in the last time zone to leave it (UTC−12): before it, the
    day is still today somewhere."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(),
                               tzinfo=dt.timezone(-dt.timedelta(hours=12)))


def _author(name: bytes) -> str:
    """An author's name as pages show it: one line of printable text, with no character that
    reorders or hides text (`plain_name`)."""
    return plain_name(_UNPRINTABLE.sub(" ", name.decode("utf-8", "replace"))) or "unknown"


FULL_HISTORY = ("in GitHub Actions, actions/checkout with `fetch-depth: 0`; in GitLab CI, the "
                "variable `GIT_DEPTH: 0`; elsewhere, Jenkins included, `git fetch --unshallow` "
                "before the command")
"""How a CI job gets the whole history, for each kind of runner (the hint named only GitHub's,
which left a GitLab or Jenkins user with no fix)."""


def read_provenance(root: Path, paths: list[str], as_of: dt.date) -> Provenance:
    """Provenance of ``paths`` (relative to ``root``) from one pass over the git log, with
    dates after ``as_of`` unknown."""
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return _file_dates(root, paths, "not a git repository: record dates come from the "
                           "files, and authors are unknown")
    except git.GitCommandNotFound:  # pragma: no cover - git missing from PATH
        return _file_dates(root, paths, "git is not installed: record dates come from files")
    try:
        shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
    except git.GitCommandError as exc:  # e.g. git refuses a repository another user owns
        raise ConfigError(_git_refused(exc)) from None
    if shallow:
        if _in_ci():
            raise ConfigError(
                "this is a shallow clone, so who submitted each record cannot be known; "
                f"fetch the full history ({FULL_HISTORY})"
            )
        return _file_dates(root, paths, "shallow clone: record dates come from the files; "
                           "run `git fetch --unshallow` for full provenance")
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    scopes = [f"{prefix}{folder}" for folder in RECORD_FOLDERS]
    arrivals, history = _as_of(repo, scopes, as_of)
    provenance = _authored(repo.git, scopes, prefix, as_of, history=history)
    versions = _date_by_arrival(arrivals, prefix, provenance)
    provenance.corrected = _corrections(top, versions)
    missing = [p for p in paths if p not in provenance.first]
    if missing:
        fallback = _file_dates(root, missing, "")
        provenance.first.update(fallback.first)
        provenance.last.update(fallback.last)
    return provenance


def _authored(run: Any, scopes: list[str], prefix: str, as_of: dt.date,
              env: dict[str, str] | None = None,
              history: frozenset[str] | None = None) -> Provenance:
    """The first and last change of each record file in one pass over every commit (``run``:
    a GitPython command runner; ``env``: git's environment beside the process's), each named
    by its author as the ``.mailmap`` git reads names them and dated as committed.

    ``history``: the full hashes of the commits the branch held on the as-of day (`_as_of`),
    or ``None`` for every commit. The last change is the newest of those; a record with none
    (submitted later) was last changed when it was submitted."""
    import git

    try:
        # Renames are followed (a record renamed with `git mv` keeps who submitted it), and a
        # merge commit lists the files it changed itself (a record added while resolving a
        # merge), not every file its branch brought in. Bytes: names need not be UTF-8.
        log = run.log("-z", "--date-order", "--find-renames", "--name-status",
                      "--diff-merges=dense-combined", f"--format={_FORMAT}", "--",
                      *scopes, stdout_as_string=False, env=env)
    except git.GitCommandError:  # an empty repository has no log
        log = b""
    provenance = Provenance()
    # The record each name in the log stands for, read newest commit first: its path now, or
    # None past where that file began (added, or renamed from another name) or ended
    # (deleted). Older commits on such a name were about another file: a record deleted and
    # added again at its path is a new one.
    now: dict[str, str | None] = {}
    for (commit, written, committed, author), lines in _commits(bytes(log)):
        full = commit.decode("ascii", "replace")
        change = Change(author=_author(author), when=_when(written, committed, as_of),
                        commit=full[:COMMIT_SHOWN])
        held = history is None or full in history
        for status, names in lines:
            letters = set(status.rstrip("0123456789"))  # a merge's status: one a parent
            name = os.fsdecode(names[-1])
            if letters == {"D"}:  # what is deleted is no record's history
                now[name] = None
                continue
            current = now.get(name, name)
            if current is not None and current.startswith(prefix):
                path = current[len(prefix):]
                if held:
                    provenance.last.setdefault(path, change)
                provenance.first[path] = change  # overwritten until the oldest commit remains
            if len(names) == 2:  # renamed or copied: the file began here under this name
                if status.startswith("R"):
                    earlier = os.fsdecode(names[0])
                    now[earlier] = current
                    if current is not None and current.startswith(prefix) \
                            and earlier.startswith(prefix):
                        provenance.renamed.setdefault(earlier[len(prefix):],
                                                      current[len(prefix):])
                        # Overwritten until the oldest rename remains: the first name.
                        provenance.submitted_as[current[len(prefix):]] = earlier[len(prefix):]
                now[name] = None
            elif letters == {"A"}:  # added (by a merge: new to every parent)
                now[name] = None
    for path, submitted in provenance.first.items():
        provenance.last.setdefault(path, submitted)  # every change of it came later
    return provenance


# Fields of each commit on the first-parent line: a marker and the full hash, committer date.
_ARRIVAL_FORMAT = "%x01%H%x00%cI"
_ARRIVAL_FIELDS = 2


_Arrival = tuple[str, dt.datetime | None, list[_Line]]
"""A commit on the first-parent line: its full hash, its date (`_when` of its committer date)
and the record files it changed."""


def _as_of(repo: Any, scopes: list[str],
           as_of: dt.date) -> tuple[list[tuple[_Arrival, bool]], frozenset[str] | None]:
    """The first-parent line that changed record files, newest first, each marked with
    whether the branch held it on the as-of day, and the full hashes of every commit it held
    then (``None``: all of them).

    The branch as of a day is its newest first-parent commit committed by the end of that day
    everywhere (`_end_everywhere`) and whatever that commit holds. Commits after it are not
    yet history: a record changed on the 26th and again on the 5th was, on the 3rd, last
    changed on the 26th (its page said "an unknown date", naming the 5th's commit, and *What's
    new* listed it last). A commit the line holds is history whatever its own date says, as
    the commit graph, not the dates, orders changes; a date Python cannot hold is not known
    to be later, so it stays, dated unknown."""
    import git

    try:
        log = repo.git.log("-z", "--first-parent", "--find-renames", "--name-status",
                           "--diff-merges=first-parent", f"--format={_ARRIVAL_FORMAT}", "--",
                           *scopes, stdout_as_string=False)
    except git.GitCommandError:  # an empty repository has no log
        return [], None
    end = _end_everywhere(as_of)
    arrivals: list[tuple[_Arrival, bool]] = []
    cut: str | None = None  # the newest commit the branch held on the as-of day
    for (commit, committed), lines in _commits(bytes(log), _ARRIVAL_FIELDS):
        full = commit.decode("ascii", "replace")
        if cut is None:
            instant = _instant(committed)
            if instant is None or instant < end:
                cut = full
        arrivals.append(((full, _when(committed, committed, as_of), lines), cut is not None))
    if arrivals and cut == arrivals[0][0][0]:
        return arrivals, None  # the newest change was made by then: all of it is history
    if cut is None:
        return arrivals, frozenset()
    return arrivals, frozenset(str(repo.git.rev_list(cut)).split())


_Version = tuple[str, dt.datetime | None, str]
"""A record as a commit on the first-parent line left it: the commit's full hash, its date
(`_when`) and the file's name then, from the repository's top."""


def _date_by_arrival(arrivals: list[tuple[_Arrival, bool]], prefix: str,
                     provenance: Provenance) -> dict[str, list[_Version]]:
    """Date each record's first and last change by when it reached the branch being built:
    the committer date of the commit on its first-parent line that brought it (a pull
    request's merge commit, or a commit made on the branch itself), of those the branch held
    on the as-of day for the last change (`_as_of`). Authors and commits stay those of the
    changes themselves.

    A record drafted on a branch for two weeks and merged today arrived today: dated by its
    author date, What's new and the feed listed it below older arrivals, where a reader who
    had looked yesterday never saw it. A change that arrived with the record itself (a
    second commit on the same branch) is no later change.

    Returns each record's versions on the branch as of the as-of day, by its path now, newest
    first: one per first-parent commit that changed it, its submission's included."""
    versions: dict[str, list[_Version]] = {}
    first: dict[str, tuple[str, dt.datetime | None]] = {}
    last: dict[str, tuple[str, dt.datetime | None]] = {}
    now: dict[str, str | None] = {}  # as in `read_provenance`: newest commit first
    for (commit, when, lines), held in arrivals:
        arrival = (commit, when)
        for status, names in lines:
            letters = set(status.rstrip("0123456789"))
            name = os.fsdecode(names[-1])
            if letters == {"D"}:
                now[name] = None
                continue
            current = now.get(name, name)
            if current is not None and current.startswith(prefix):
                path = current[len(prefix):]
                if held:
                    last.setdefault(path, arrival)
                    versions.setdefault(path, []).append((commit, when, name))
                first[path] = arrival
            if len(names) == 2:
                if status.startswith("R"):
                    now[os.fsdecode(names[0])] = current
                now[name] = None
            elif letters == {"A"}:
                now[name] = None
    for path, submitted in list(provenance.first.items()):
        if path not in first:
            continue  # not on the first-parent line (never expected): dated as committed
        provenance.first[path] = replace(submitted, when=first[path][1])
        changed = provenance.last.get(path)
        if changed is None:
            continue
        if path not in last or last[path][0] == first[path][0] \
                or changed.commit == submitted.commit:
            provenance.last[path] = provenance.first[path]  # it arrived whole
        else:
            provenance.last[path] = replace(changed, when=last[path][1])
    return versions


def _corrections(top: Path, versions: dict[str, list[_Version]]) -> dict[str, Correction]:
    """The records whose figures (`FIGURE_FIELDS`) a later commit on the branch changed after
    they were published, each with the latest such change (`Correction`).

    Each version is read from git's objects in one ``git cat-file --batch``, only for records
    changed after their submission; a version whose front matter cannot be read is passed
    over (the next one is compared with the one before it)."""
    changed = {path: found for path, found in versions.items() if len(found) > 1}
    wanted = [f"{commit}:{name}" for found in changed.values() for commit, _, name in found
              if "\n" not in name]
    if not wanted:
        return {}
    texts = _blobs(top, wanted)
    corrected: dict[str, Correction] = {}
    for path, found in changed.items():
        before: dict[str, Any] | None = None
        latest: Correction | None = None
        times = 0
        for commit, when, name in reversed(found):  # oldest first
            figures = _figures(path, texts.get(f"{commit}:{name}"))
            if figures is None:
                continue
            if before is not None and figures != before:
                fields = tuple(FIGURE_FIELDS[k] for k in FIGURE_FIELDS
                               if figures.get(k) != before.get(k))
                times += 1
                latest = Correction(when, commit[:COMMIT_SHOWN], fields, times)
            before = figures
        if latest is not None:
            corrected[path] = latest
    return corrected


def _blobs(top: Path, revisions: list[str]) -> dict[str, bytes]:
    """The content of each ``commit:path`` in ``revisions`` (those git lacks left out)."""
    import subprocess

    given = "".join(f"{revision}\n" for revision in revisions).encode("utf-8", "surrogateescape")
    try:
        out = subprocess.run(["git", "cat-file", "--batch"], cwd=top, input=given,
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, bytes] = {}
    at = 0
    for revision in revisions:
        end = out.find(b"\n", at)
        if end < 0:
            break
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":  # "<rev> missing", or no file
            continue
        size = int(header[2])
        found[revision] = out[at:at + size]
        at += size + 1  # the content, then a newline
    return found


def _figures(path: str, blob: bytes | None) -> dict[str, Any] | None:
    """The figure fields of a record's version as YAML reads them; None if unreadable."""
    if blob is None:
        return None
    split = split_front_matter(path, blob.decode("utf-8", "replace"), Problems())
    if split is None or not isinstance(split[0].value, dict):
        return None
    value = split[0].value
    return {key: value.get(key) for key in FIGURE_FIELDS}


@dataclass(frozen=True)
class Changes:
    """What a change since a ref did to the knowledge base (paths relative to its root)."""

    records: frozenset[str]
    """Files in the record folders changed or added, uncommitted work included."""
    added: frozenset[str]
    """Those of ``records`` the ref does not have: their pages are not on the published site."""
    removed: frozenset[str]
    """Record files the ref has and the work tree no longer does."""
    taxonomy: bool
    """Whether ``taxonomy.yml`` changed: then every record is affected."""
    mailmap: bool = False
    """Whether the repository's ``.mailmap`` changed: it names who submitted every record."""
    elsewhere: frozenset[str] = frozenset()
    """Markdown files outside the record folders changed or added (``docs/retros/x.md``,
    ``Retros/x.md``, ``x.md`` at the root): a record saved there is never read."""


def changes_since(root: Path, ref: str) -> Changes:
    """What changed in the knowledge base at ``root`` since it parted from ``ref``."""
    from ..records.load import CACHE_DIR
    from ..records.naming import is_markdown

    repo, prefix, base = _fork_point(root, ref)
    # The whole knowledge base, not its record folders alone: a record a pull request saves
    # elsewhere passed the check as "0 files checked", and was never read. The .mailmap is
    # the repository's, at its top, wherever the knowledge base is in it (git runs there).
    scopes = [prefix.rstrip("/") or ".", MAILMAP]
    # With --no-renames a rename is a deletion and an addition: the old name is gone from the
    # site, the new one is not on it yet. Each entry is a status and one path.
    listed = _paths(repo.git.diff, "--name-status", "--no-renames", base, "--", *scopes)
    statuses = dict(zip(listed[1::2], listed[::2], strict=True))
    for name in _paths(repo.git.ls_files, "--others", "--exclude-standard", "--", *scopes):
        statuses[name] = "A"
    mailmap = statuses.pop(MAILMAP, None) is not None
    ours = {name[len(prefix):]: status for name, status in statuses.items()
            if name.startswith(prefix)}
    taxonomy = ours.pop(TAXONOMY_FILE, None) is not None
    records = {p: s for p, s in ours.items() if p.split("/", 1)[0] in RECORD_FOLDERS}
    elsewhere = frozenset(p for p, s in ours.items() if s != "D" and p not in records
                          and is_markdown(p) and p.split("/", 1)[0] != CACHE_DIR)
    return Changes(records=frozenset(p for p, s in records.items() if s != "D"),
                   added=frozenset(p for p, s in records.items() if s == "A"),
                   removed=frozenset(p for p, s in records.items() if s == "D"),
                   taxonomy=taxonomy, mailmap=mailmap, elsewhere=elsewhere)


def renamed_by_mailmap(root: Path, ref: str, as_of: dt.date) -> int:
    """How many records of the knowledge base at ``root`` name someone else as who submitted
    or last changed them (on their pages, *What's new* and the feed) with the work tree's
    ``.mailmap`` than with the one where HEAD and ``ref`` part: the same commits, each named
    by both. A pull request that edits only ``.mailmap`` changes no record, and would
    otherwise say nothing of it."""
    import tempfile

    import git

    repo, prefix, base = _fork_point(root, ref)
    scopes = [f"{prefix}{folder}" for folder in RECORD_FOLDERS]
    history = _as_of(repo, scopes, as_of)[1]  # the pages name the last change as of the day
    now = _authored(repo.git, scopes, prefix, as_of, history=history)
    try:
        earlier = bytes(repo.git.show(f"{base}:{MAILMAP}", stdout_as_string=False))
    except git.GitCommandError:  # none there
        earlier = b""
    with tempfile.TemporaryDirectory(prefix="hindsight-mailmap-") as folder:
        # Git reads .mailmap from the top of the work tree: one holding only the base's makes
        # git name every author as the base did (mailmap.file would only add to the current).
        Path(folder, MAILMAP).write_bytes(earlier)
        then = _authored(git.Git(folder), scopes, prefix, as_of,
                         env={"GIT_DIR": str(repo.git_dir), "GIT_WORK_TREE": folder},
                         history=history)
    return sum(1 for path, first in now.first.items() if path.endswith(".md") and (
        (change := then.first.get(path)) is None or change.author != first.author
        or now.last[path].author != then.last[path].author))


def _paths(command: Any, *args: str) -> list[str]:
    """The paths a git command that lists them prints, one per NUL (``-z``). Without it git
    quotes and escapes any path that is not ASCII (``"retros/\\303\\251quipe/…"`` for
    ``retros/équipe/…``, as ``core.quotepath`` is on by default), and such a record matched no
    file: a change to it was neither validated nor recalled. Bytes, decoded as the file system
    names files, as the log is read in `read_provenance`."""
    out = command("-z", *args, stdout_as_string=False)
    return [os.fsdecode(name) for name in bytes(out).split(b"\0") if name]


def _fork_point(root: Path, ref: str) -> tuple[Any, str, str]:
    """The repository, the knowledge base's folder in it (``""`` or ``"kb/"``) and the commit
    where HEAD and ``ref`` part; clear errors where there is no such history."""
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ConfigError("--changed-since needs a git repository") from None
    try:
        repo.git.rev_parse("--is-inside-work-tree")
    except git.GitCommandError as exc:
        raise ConfigError(_git_refused(exc)) from None
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitCommandError:
        branch = ref.removeprefix("origin/")
        raise ConfigError(f"--changed-since: {ref!r} is not a commit or branch here (in CI, "
                          "fetch it: in GitHub Actions, actions/checkout with `fetch-depth: 0`; "
                          f"in GitLab CI, Jenkins and others, `git fetch origin {branch}` "
                          "before the check, with the whole history: `GIT_DEPTH: 0` in GitLab "
                          "CI, `git fetch --unshallow` in a shallow clone)") from None
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    try:
        base = repo.git.merge_base(ref, "HEAD").strip()
    except git.GitCommandError:  # both exist, but a shallow history does not reach their fork
        raise ConfigError(f"--changed-since: the history does not reach where HEAD and {ref!r} "
                          f"part (a shallow clone; fetch the full history: {FULL_HISTORY})"
                          ) from None
    return repo, prefix, base


def _git_refused(exc: Any) -> str:
    """What git said when it would not read the repository at all, as one error with the
    fix it names (``safe.directory`` for a repository another user owns, as in a container
    or on a mounted volume)."""
    said = " ".join(str(getattr(exc, "stderr", "") or exc).replace("stderr:", "").split())
    said = said.strip(" '\"").removeprefix("fatal: ")
    hint = ("; if it is yours, trust it with `git config --global --add safe.directory "
            "<its path>`") if "safe.directory" in said or "dubious ownership" in said else ""
    return f"git cannot read this repository: {said or 'it refused'}{hint}"


def knowledge_base_at_fork(root: Path, ref: str, into: Path) -> None:
    """Write the knowledge base as it was where HEAD and ``ref`` part into ``into``: its
    record folders and its YAML files (the taxonomy, mkdocs.yml and any file it inherits),
    read from git's objects as committed (no export attributes applied, nothing else of the
    repository read: a large asset beside the records stays in git)."""
    import subprocess

    repo, prefix, base = _fork_point(root, ref)
    top = Path(repo.working_tree_dir or root)
    def git(*args: str, given: bytes | None = None) -> bytes:
        done = subprocess.run(["git", "-C", str(top), *args], input=given, capture_output=True,
                              check=False)
        if done.returncode:
            said = done.stderr.decode(errors="replace").strip().removeprefix("fatal: ")
            raise ConfigError(f"--changed-since: git cannot read the knowledge base where HEAD "
                              f"and {ref!r} part: {said or 'it refused'}")
        return done.stdout

    listed = git("ls-tree", "-r", "-z", "--full-tree", base, "--", prefix or ".")
    wanted: list[tuple[str, str]] = []  # (object name, path relative to the knowledge base)
    for item in listed.split(b"\0"):
        if not item:
            continue
        meta, _, raw = item.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        name = os.fsdecode(raw)
        # Files only: a link or a submodule in the tree is never followed out of it.
        if kind != "blob" or mode not in ("100644", "100755") or not name.startswith(prefix):
            continue
        rel = name[len(prefix):]
        if rel.split("/", 1)[0] in RECORD_FOLDERS or rel.endswith((".yml", ".yaml")):
            wanted.append((sha, rel))
    if not wanted:
        return
    request = "".join(f"{sha}\n" for sha, _ in wanted).encode()
    out = git("cat-file", "--batch", given=request)
    at = 0
    for _, rel in wanted:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        body = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1  # the body, then a newline
        target = into.joinpath(*rel.split("/"))
        if into.resolve() not in target.resolve().parents:  # never outside the folder
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
