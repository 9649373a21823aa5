"""The site's ``mkdocs.yml`` read as plain data, without MkDocs.

Validation reads the site's Markdown extensions from it (a record's body is checked as the site
renders it); the site stage reads where the site is served and where edit links point. Both
read it here, the same way: with the ``INHERIT:`` of another file merged as MkDocs merges it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from .conflicts import HINT as CONFLICT_HINT
from .conflicts import conflicts
from .conflicts import message as conflict_message
from .yamlpos import translate

CONFIG_FILE = "mkdocs.yml"
"""The site's configuration, at the knowledge base's root."""


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold !ENV and !!python/name tags; read them as plain values."""

    label = CONFIG_FILE
    """How errors name the file being read."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """An unquoted date as PyYAML reads it; one that is no day of the calendar (2026-06-31)
    is a located error, not a traceback."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise ConfigError(f"{loader.label}:{node.start_mark.line + 1}:"
                          f"{node.start_mark.column + 1} {node.value} is not a date: {exc} "
                          "(check the day and the month)") from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_site_config(root: Path) -> dict[str, Any]:
    """``root/mkdocs.yml`` as a mapping, or a `ConfigError` saying why it cannot be.

    A configuration that inherits another (``INHERIT: base.yml``) is read merged over it as
    MkDocs merges it: mappings key by key, anything else replaced."""
    return _read_chain(root, [])


def spells_umlauts(root: Path) -> bool:
    """Whether the site is German (``theme.language: de`` in mkdocs.yml, or ``de-AT``,
    ``de-CH``), so a name's ä, ö and ü are spelled ae, oe and ue in the ids made from it, as
    German writes them without the dots ("Kündigung" is ``kuendigung``, where dropping them
    gave ``kundigung``). False when mkdocs.yml cannot be read: its own errors are said where
    the site is built."""
    try:
        theme = read_site_config(root).get("theme")
    except (ConfigError, OSError):
        return False
    language = theme.get("language") if isinstance(theme, dict) else None
    return isinstance(language, str) and (language == "de" or language.startswith("de-")
                                          or language.startswith("de_"))


_Status = tuple[str, int, int] | tuple[str]
"""A file's path with its modification time and size, or its path alone when it has none."""
Stamp = tuple[_Status, ...]
"""Each file of a configuration's ``INHERIT`` chain with its modification time and size (the
path alone where there is no such file): what changes whenever the configuration may have."""


def config_files(root: Path) -> list[Path]:
    """``root/mkdocs.yml`` and every file it inherits, itself first, as far as the chain can
    be followed (a file named but missing or unreadable is listed too: creating or fixing it
    changes the configuration)."""
    return [path for path, _ in _follow(root)]


_chains: dict[str, tuple[list[Path], Stamp]] = {}
"""By knowledge base: the files of its configuration's chain when last followed, and their
stamp then."""


def config_stamp(root: Path) -> Stamp:
    """The `Stamp` of ``root/mkdocs.yml`` and every file it inherits, for caches of what is
    read from them: a status per file while none changed. Which files the chain holds can
    change only with one of its files, so only then is it followed (its YAML parsed) again:
    callers ask once per record, 10,000 times a run."""
    known = _chains.get(str(root))
    if known is not None:
        files, stamp = known
        if tuple(_status(path) for path in files) == stamp:
            return stamp
    found = _follow(root)
    stamp = tuple(status for _, status in found)
    _chains[str(root)] = ([path for path, _ in found], stamp)
    return stamp


def _follow(root: Path) -> list[tuple[Path, _Status]]:
    """The files of ``root``'s chain as far as it can be followed, each with its status."""
    found: list[tuple[Path, _Status]] = []
    with contextlib.suppress(ConfigError):  # what cannot be read is reported by its readers
        _read_chain(root, found)
    return found


def _status(path: Path) -> _Status:
    """``path`` with its modification time and size, or alone when it cannot be read."""
    try:
        status = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), status.st_mtime_ns, status.st_size)


def _read_chain(root: Path, found: list[tuple[Path, _Status]]) -> dict[str, Any]:
    """`read_site_config`, noting in ``found`` each file of the chain as it is reached, with
    its status taken before it is read (a save after that changes the stamp, not the data)."""
    path = root / CONFIG_FILE
    found.append((path, _status(path)))
    if not path.is_file():
        raise ConfigError(f"{CONFIG_FILE} not found in {root}")
    name = CONFIG_FILE  # how errors name the file read last
    data = _read(path, name)
    seen = {path.resolve()}
    while "INHERIT" in data:
        inherit = str(data.pop("INHERIT"))
        parent = path.parent / inherit
        where = f"{name} INHERIT: {inherit}"
        if parent.resolve() in seen:
            raise ConfigError(f"{where} inherits itself in a loop (remove one INHERIT)")
        found.append((parent, _status(parent)))
        if not parent.is_file():
            raise ConfigError(f"{where} names a file that does not exist (give its path "
                              f"relative to {path.name})")
        seen.add(parent.resolve())
        name = _relative(parent, root)
        data = _merge(_read(parent, name), data)
        path = parent
    return data


def _relative(path: Path, root: Path) -> str:
    """``path`` as errors name it: from the knowledge base's root where it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read(path: Path, label: str) -> dict[str, Any]:
    """One configuration file as a mapping (``label``: how errors name it)."""
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        # A conflict git left failed as YAML a line below its marker, or read as valid YAML
        # with both sides' settings (the later winning): said at its <<<<<<< line, as a
        # record's is.
        left = conflicts(text.replace("\r\n", "\n"))
        if left:
            raise ConfigError(f"{label}:{left[0].start}:1  file  {conflict_message(left)} "
                              f"({CONFLICT_HINT})")
        loader = _Loader(text)
        loader.label = label
        try:
            data = loader.get_single_data() or {}
        finally:
            loader.dispose()
    except OSError as exc:
        raise ConfigError(f"{label} cannot be read: {exc.strerror} (check its "
                          "permissions)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{label} is not UTF-8 text (save it as UTF-8)") from None
    except yaml.YAMLError as exc:
        if isinstance(exc, yaml.MarkedYAMLError):
            found = translate(exc, text)  # placed where an unclosed [ or quote opens
            message = found.message.removeprefix("not valid YAML:").strip()
            raise ConfigError(f"{label}:{found.line}:{found.col} is not valid YAML: "
                              f"{message} ({found.hint})") from None
        raise ConfigError(f"{label} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{label} must be a mapping")
    return data


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent`` as MkDocs merges an inherited configuration (``mergedeep``'s
    replace strategy): nested mappings merged key by key, lists and values replaced."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def written_at(root: Path, key: str) -> tuple[str, int, int] | None:
    """Where the top-level ``key`` of ``root``'s configuration is written: the file (as
    problems name it, from the knowledge base's root), the line and the column of its value,
    in the first file of the chain that writes it (mkdocs.yml before the files it inherits,
    as its value overrides theirs). None where no file of the chain writes it readably."""
    for path in config_files(root):
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        for name, value in node.value:
            if isinstance(name, yaml.ScalarNode) and name.value == key:
                return (_relative(path, root), value.start_mark.line + 1,
                        value.start_mark.column + 1)
    return None
