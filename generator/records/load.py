"""Load stage: find record files, split front matter, parse YAML with positions.

Nothing here judges what a record says; it only turns files into `Source` objects (or
located problems). Files are never followed through symbolic links and never written.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import frontmatter.default_handlers

from .. import messages
from ..errors import Problems
from ..paths import BodyLinks, record_path, taken_page
from .conflicts import conflicts
from .conflicts import hint as conflict_hint
from .conflicts import message as conflict_message
from .types import SLUG
from .yamlpos import Document, YamlProblem, parse

RECORD_FOLDERS = ("retros", "postmortems")
TAXONOMY_FILE = "taxonomy.yml"
MAILMAP = ".mailmap"
"""The file at the top of the repository that names commit authors (``git log``'s ``%aN``):
who submitted each record, as the site says."""
CACHE_DIR = ".hindsight-cache"
"""Derived data kept between builds (drawn charts); safe to delete, never committed."""
MAX_RECORD_BYTES = 256 * 1024
"""A record larger than this is refused before it is parsed (attachments belong elsewhere)."""

# python-frontmatter's own boundary rule (a line of three or more dashes), so records split
# exactly as every other front-matter tool splits them.
_BOUNDARY = frontmatter.default_handlers.YAMLHandler.FM_BOUNDARY
_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*$", re.MULTILINE)


@dataclass
class Source:
    """A record file as read from disk: its front matter parsed, its body kept as text."""

    path: str
    """The path relative to the knowledge-base root, with forward slashes."""
    folder: str
    """``retros`` or ``postmortems``."""
    id: str
    """The record id: the file name without ``.md``."""
    doc: Document
    """The parsed front matter with positions."""
    body: str
    """The Markdown after the front matter."""
    body_line: int
    """The 1-based line the body starts on."""
    digest: str
    """A hash of the file's bytes, used to cache derived work."""
    html: str = ""
    """The body as the record page publishes it: rendered with the site's Markdown, sanitized
    (set by validation)."""
    links: BodyLinks | None = None
    """What ``html`` links to that the rules across records check (set by validation with
    ``html``, and cached with it)."""


@dataclass(frozen=True)
class StrayRecord:
    """A file that holds a record the knowledge base does not read: one under the record
    folders whose name does not end in ``.md`` (``2026-11 retro.MD``), or one outside them."""

    path: str
    """The path relative to the knowledge-base root, with forward slashes."""
    kind: str
    """Its type: ``retro``, ``review`` or ``postmortem``."""
    line: int
    col: int
    """Where its ``type:`` value is."""
    stem: str | None
    """The record id to name it (`generator.records.naming.suggested_stem`), if one can be said."""


def stray_record(root: Path, path: Path) -> StrayRecord | None:
    """The record a file holds, read quietly: None when it holds none (no front matter, front
    matter that is no record's, a file that is not text, too large, a link or unreadable)."""
    from .naming import base_name, record_kind, suggested_stem
    from .site_config import spells_umlauts

    quiet = Problems()  # its problems are a record's only once it is one the knowledge base reads
    text = read_text(root, path, quiet, MAX_RECORD_BYTES)
    split = split_front_matter(_rel(root, path), text, quiet) if text is not None else None
    if split is None:
        return None
    doc = split[0]
    kind = record_kind(doc.value)
    if kind is None:
        return None
    line, col = doc.position(("type",))
    suggestion = suggested_stem(base_name(path.name), doc.value, spells_umlauts(root))
    return StrayRecord(_rel(root, path), kind, line, col,
                       suggestion.stem if suggestion is not None else None)


def find_record_files(root: Path, problems: Problems,
                      strays: list[StrayRecord] | None = None) -> list[Path]:
    """Every ``.md`` file under ``retros/`` and ``postmortems/``, sorted; links are refused.
    A file there holding a record under a name that does not end in ``.md`` is an error, and
    added to ``strays``: it is read as no record, so it may hold any month or action."""
    found: list[Path] = []
    for folder in RECORD_FOLDERS:
        base = root / folder
        if base.is_symlink():
            problems.error(folder, 1, 1, "", "the records folder is a symbolic link",
                           "make it a real folder inside the repository")
            continue
        if not base.is_dir():
            continue
        def unreadable(exc: OSError) -> None:
            problems.error(_rel(root, Path(exc.filename)), 1, 1, "",
                           f"is a folder that cannot be read: {exc.strerror}",
                           "check its permissions: its records are left out of this run")

        for dirpath, dirnames, filenames in os.walk(base, onerror=unreadable, followlinks=False):
            here = Path(dirpath)
            for name in sorted(dirnames):
                if (here / name).is_symlink():
                    rel = _rel(root, here / name)
                    problems.error(rel, 1, 1, "", "is a symbolic link to a folder; it is not "
                                   "followed", "move the records into the repository itself")
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                 and not (here / d).is_symlink())
            for name in sorted(filenames):
                if name.startswith("."):
                    if name.endswith(".md") and not name.startswith((".#", "._")):
                        # Hidden, so a pull request's diff is the only place it shows: say
                        # so (an editor's lock, .#name.md, and macOS's ._name.md are not).
                        problems.warning(_rel(root, here / name), 1, 1, "",
                                         "starts with a dot, so it is hidden and ignored",
                                         "rename it without the dot if it is a record")
                    continue
                path = here / name
                if not name.endswith(".md"):
                    # A record saved as .MD, .markdown or .md.txt was passed with a warning and
                    # never read: the error says so, and names the file it should be.
                    stray = stray_record(root, path)
                    if stray is None:
                        problems.warning(_rel(root, path), 1, 1, "",
                                         "is not a record and is ignored",
                                         "records are Markdown files ending in .md")
                        continue
                    _misnamed(here, stray, problems)
                    if strays is not None:
                        strays.append(stray)
                    continue
                found.append(path)
    return sorted(found)


def _misnamed(folder: Path, stray: StrayRecord, problems: Problems) -> None:
    """The error at a record in a record folder whose name does not end in ``.md``."""
    from .naming import KIND_NOUNS

    rule = "a name of lowercase ASCII letters (a-z), digits and hyphens, ending in .md"
    if stray.stem is None:
        hint = f"rename it to {rule}"
    elif (folder / f"{stray.stem}.md").exists():
        # A copy beside the record it was saved from: renaming would write over that one.
        hint = f"{stray.stem}.md is another file here: keep one of the two, or give this one {rule}"
    else:
        hint = f"rename it {stray.stem}.md"
    problems.error(stray.path, stray.line, stray.col, "type",
                   f"holds a {KIND_NOUNS[stray.kind]} but is not read: only files whose names "
                   "end in .md (lowercase) are records", hint)


def misplaced(root: Path, stray: StrayRecord) -> tuple[str, str]:
    """The message and hint of the error at a record outside the record folders (found by
    ``validate --changed-since`` among the files a change touched): where it belongs."""
    from .naming import KIND_NOUNS
    from .schema import FOLDER_OF_TYPE

    folder = FOLDER_OF_TYPE[stray.kind]
    folders = " and ".join(f"{name}/" for name in RECORD_FOLDERS)
    message = (f"holds a {KIND_NOUNS[stray.kind]} but is not read here: records are read only "
               f"from {folders}")
    if stray.stem is None:
        return message, (f"move it to {folder}/, named in lowercase ASCII letters (a-z), digits "
                         "and hyphens, ending in .md")
    target = f"{folder}/{stray.stem}.md"
    if (root / target).exists():
        # A copy of a record kept elsewhere: moving it would write over the record.
        return message, f"{target} is there already: if this is a copy of it, delete this one"
    return message, f"move it to {target}"


StatKey = tuple[int, int, int, int, int]
"""A file's size, modification and change times (ns), inode and device, as `os.lstat` gives."""


def file_status(path: str | Path) -> StatKey | None:
    """A regular file's status, by which a cache tells it unchanged without reading it; None
    for anything else (links are never followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def read_text(root: Path, path: Path, problems: Problems, limit: int,
              unmerged: frozenset[str] = frozenset()) -> str | None:
    """Read a file safely: no links, no oversize files, UTF-8, BOM and CRLF normalised. A
    merge conflict left in it is an error, in a fenced code block too if ``unmerged`` (what
    `generator.records.conflicts.unmerged_files` gives) holds it."""
    rel = _rel(root, path)
    try:
        info = path.lstat()
    except OSError as exc:
        problems.error(rel, 1, 1, "", f"cannot be read: {exc.strerror}", "check the path")
        return None
    if stat.S_ISLNK(info.st_mode):
        problems.error(rel, 1, 1, "", "is a symbolic link; links are never followed",
                       "replace the link with the file itself")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.error(rel, 1, 1, "", "is not a regular file", "records are plain text files")
        return None
    if info.st_size > limit:
        problems.error(rel, 1, 1, "", f"is {info.st_size // 1024} KiB, over the "
                       f"{limit // 1024} KiB limit for a record",
                       "shorten it, or link to long material instead of pasting it")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(rel, 1, 1, "", f"cannot be read: {exc.strerror}",
                       "check its permissions: whoever builds the site must be able to read it")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(rel, line, 1, "", "is not valid UTF-8 text", "save the file as UTF-8")
        return None
    # A byte-order mark and Windows line endings are accepted: same data as the clean twin.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Before any parsing: a conflict published both sides of it, or failed as YAML a line
    # below its marker, on a field with nothing wrong.
    found = conflicts(text, markdown=path.suffix == ".md", unmerged=rel in unmerged)
    if found:
        problems.error(rel, found[0].start, 1, "file", conflict_message(found),
                       conflict_hint(found))
        return None
    return text


def split_front_matter(
    rel: str, text: str, problems: Problems
) -> tuple[Document, str, int] | None:
    """Split ``---`` front matter from the body and parse it; problems are located."""
    if not frontmatter.default_handlers.YAMLHandler().detect(text):
        problems.error(rel, 1, 1, "", "has no front matter",
                       "start the file with a line `---`, the YAML fields, then `---`")
        return None
    opening = _BOUNDARY.match(text)
    assert opening is not None  # detect() matched the same expression at position 0
    closing = _BOUNDARY.search(text, opening.end())
    if closing is None:
        problems.error(rel, 1, 1, "", "front matter opened on line 1 is never closed",
                       "add a line `---` after the last field")
        return None
    offset = text.count("\n", 0, opening.end())
    yaml_text = text[opening.end(): closing.start()]
    early_end = _DOCUMENT_END.search(yaml_text)
    if early_end is not None:
        # `...` ends the YAML document; what follows would silently become body text.
        line = offset + yaml_text.count("\n", 0, early_end.start()) + 1
        problems.error(rel, line, 1, "", "a line `...` ends the front matter early",
                       "remove it; front matter ends only at the closing `---`")
        return None
    try:
        doc = parse(yaml_text, line_offset=offset)
    except YamlProblem as exc:
        problems.error(rel, exc.line, exc.col, exc.where, exc.message, exc.hint)
        return None
    for problem in doc.problems:
        problems.error(rel, problem.line, problem.col, problem.where, problem.message, problem.hint)
    for problem in doc.warnings:
        problems.warning(rel, problem.line, problem.col, problem.where, problem.message,
                         problem.hint)
    doc.warnings = []  # reported: the record travels (and is cached) without them
    if doc.value is None:
        problems.error(rel, 1, 1, "", "front matter is empty",
                       "a record needs at least `type:` and its required fields")
        return None
    if not isinstance(doc.value, dict):
        kind = "a list" if isinstance(doc.value, list) else "a single value"
        problems.error(rel, offset + 1, 1, "", f"front matter is {kind}, not a mapping of fields",
                       "write one `field: value` per line")
        return None
    body_start = closing.end() + (1 if text[closing.end(): closing.end() + 1] == "\n" else 0)
    body_line = text.count("\n", 0, body_start) + 1
    return doc, text[body_start:], body_line


def load_record(
    root: Path, path: Path, problems: Problems, limit: int = MAX_RECORD_BYTES,
    unmerged: frozenset[str] = frozenset(),
) -> Source | None:
    """Load one record file into a `Source`, or report why it cannot be loaded (``unmerged``:
    the files git has unmerged, as `read_text` takes them)."""
    rel = _rel(root, path)
    text = read_text(root, path, problems, limit, unmerged)
    if text is None:
        return None
    stem = path.name[: -len(".md")]
    if not SLUG.fullmatch(stem):
        # The name its fields give, as `hindsight new` names records (``Retro Nov 2026.md``
        # is the sales retro of 2026-11: 2026-11-sales.md, not retro-nov-2026.md); read
        # quietly here, as the front matter's own problems are reported below.
        from .naming import suggested_stem
        from .site_config import spells_umlauts

        quiet = split_front_matter(rel, text, Problems())
        suggestion = suggested_stem(stem, quiet[0].value if quiet is not None else None,
                                    spells_umlauts(root))
        written = suggestion.stem if suggestion is not None else ""
        # Not the name of a record that is there (on a file system that ignores case, the
        # rename would write over it).
        occupied = bool(written) and (path.parent / f"{written}.md").exists()
        rule = "lowercase ASCII letters (a-z), digits and hyphens"
        if suggestion is not None and suggestion.fields and not occupied:
            hint = (f"rename it {written}.md, the name {suggestion.fields} give it; file "
                    f"names are record ids: {rule}")
        else:
            hint = f"rename the file to {rule}, " + (
                f"e.g. 2026-05-sales.md ({written}.md is another record's)" if occupied
                else f"e.g. {written}.md" if written else "e.g. 2026-05-sales.md")
        problems.error(rel, 1, 1, "id", f'file name "{stem}" is not a safe record id', hint)
        # Still read and checked, under that name, so the rest of its problems come in this
        # run; the error above keeps it from any page.
    taken = taken_page(record_path, stem) if SLUG.fullmatch(stem) else None
    if taken is not None:
        problems.error(rel, 1, 1, "id", messages.reserved_id(stem, taken),
                       messages.RESERVED_ID_HINT)
        return None
    split = split_front_matter(rel, text, problems)
    if split is None:
        return None
    doc, body, body_line = split
    body_clean = not messages.needs_scan(body) or _check_body_chars(rel, body, body_line, problems)
    if doc.problems or not body_clean:  # reported already; the record is not read further
        return None
    folder = Path(rel).parts[0]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(rel, folder, stem, doc, body, body_line, digest)


def _check_body_chars(rel: str, body: str, body_line: int, problems: Problems) -> bool:
    """Report control and text-direction characters in the body, once per line; True if none."""
    clean = True
    for index, line in enumerate(body.split("\n")):
        bad = messages.bad_char(line, block=True)
        if bad is not None:
            problems.error(rel, body_line + index, bad.at + 1, "body", bad.message, bad.hint)
            clean = False
    return clean


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
