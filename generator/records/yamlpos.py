"""Safe YAML with positions: plain Python values plus the line and column of every field.

Records come from pull requests, so the parser is deliberately narrow:

* YAML 1.2 core scalars only. ``no``, ``on``, ``NO`` stay strings (YAML 1.1 would make them
  booleans); ``045`` stays the string ``"045"`` (never an octal or silently a number);
  ``1:30`` stays a string (YAML 1.1 reads it as sexagesimal 90); dates stay strings and are
  checked by the schema, so a datetime cannot slip into a date field.
* No anchors or aliases (so no "billion laughs" expansion), no tags of any kind (so
  ``!!python/object`` can never construct anything), no duplicate keys, no complex keys.
* Every value's position is kept in a map from its path (``("actions", 1, "due")``) to a
  1-based ``(line, col)``, so any later stage can point at the right line.

libyaml's event parser is used when available (it is several times faster than the pure
Python one); composition into values is ours, which is what makes the rules above possible.
"""

from __future__ import annotations

import io
import pickle
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import messages

Path = tuple[str | int, ...]
Position = tuple[int, int]



class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """The pure-Python event parser, used only where libyaml is missing."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


_Parser: Any
try:
    from yaml._yaml import CParser as _CParser  # libyaml: several times faster

    _Parser = _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = _PureParser

_NBSP_SPACING = re.compile(r"^[ \t]*(?:-[ \t\u00a0]+)?\u00a0|:\u00a0|^[ \t]*-\u00a0", re.M)
"""A non-breaking space in indentation, after a key's colon or after a list's dash."""
_DOTTED = re.compile(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}")
"""A number written like ``1.200`` or ``42.500``: a thousands separator in much of Europe."""


def looks_dotted(text: str) -> bool:
    """Whether ``text`` is a number like ``1.200`` or ``42.500``: a decimal point to YAML (and
    to a metrics CSV), a thousands separator to much of Europe."""
    return "." in text and _DOTTED.fullmatch(text) is not None


_SPLIT_THOUSANDS = re.compile(r"\d{3}(?:\.\d+)?")
_CUT = re.compile(r"[ \t]+(#(?:[^\s#]| \d)(?:.*\S)?)\s*$")
"""A comment that reads as part of the value: ``#`` straight before a word (``Retro #3``), or
before a number (``Retro # 12``); a comment written as one (``# who ran it``) is not. Its
runs are greedy: linear in the line's length, however many spaces it holds."""
_NULL = {"", "~", "null", "Null", "NULL"}


def _clipped(text: str, limit: int = 80) -> str:
    """``text`` as a message quotes it: a line of a quarter megabyte is cut, not echoed."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# Decimal integers without a leading zero; "045" stays text on purpose.
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+")


class YamlProblem(Exception):
    """The text is not acceptable YAML; carries a 1-based position relative to the text."""

    def __init__(self, line: int, col: int, message: str, hint: str = "", where: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message
        self.hint = hint
        self.where = where
        """The field it is about, like ``actions[1].title`` (when known)."""


@dataclass
class Document:
    """A parsed YAML document: its value and the position of every node by path."""

    value: Any
    positions: dict[Path, Position] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)
    """Values refused on their own (too long, a control character): parsing went on."""
    warnings: list[YamlProblem] = field(default_factory=list)
    """Values that are valid YAML but likely not what was meant (a `` #3`` read as a comment)."""
    dotted: dict[Path, str] = field(default_factory=dict)
    """Plain numbers written like ``1.000`` or ``42.500``, by path: a thousands separator in
    much of Europe, a decimal point in YAML (the field's unit tells which was meant)."""
    curly: dict[Path, str] = field(default_factory=dict)
    """Plain values wrapped whole in curly quotes (``“Sales retro”``, ``‘Aisha Mensah’``), by
    path: quotes to whoever typed them (a word processor or a phone keyboard makes them), part
    of the text to YAML."""
    keys: dict[Path, Position] = field(default_factory=dict)
    """The key of a field whose value is a scalar, by path (``positions`` has the value's;
    for a list, a mapping or no value it has the key's already): where a field that should
    not be there is, at its key whatever its value."""
    wide: dict[Path, Position] = field(default_factory=dict)
    """Where the first full-width space (U+3000) of a value begun or ended by one is, by
    path (``team: tokyo-sales　``): the value's own position is its first character, not the
    space an input method left after it, and a quoted value's is its quote."""

    def position(self, path: Path) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))

    def key_position(self, path: Path) -> Position:
        """The position of the key of ``path`` (an unknown field), or `position` of it."""
        return self.keys.get(tuple(path)) or self.position(path)

    # Pickled (the record cache keeps every record's document), the positions travel as one
    # bytes object, unpacked only when one is asked for: a record's dozens of little tuples
    # were a quarter of the time every run spent reading back 10,000 cached records, and
    # positions are read only for the few records that are told something.
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if "positions" in state:
            state[_PACKED] = pickle.dumps(state.pop("positions"), protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __getattr__(self, name: str) -> Any:
        # Called only for what the instance lacks: the positions of a document unpickled.
        packed = self.__dict__.get(_PACKED)
        if name != "positions" or packed is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        positions: dict[Path, Position] = _PlainUnpickler(io.BytesIO(packed)).load()
        self.positions = positions
        del self.__dict__[_PACKED]
        return positions


_PACKED = "_packed_positions"


class _PlainUnpickler(pickle.Unpickler):
    """Reads back packed positions: tuples, strings and numbers, never a class."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not expected in a document's positions")


def quoted_number(value: Any) -> int | float | None:
    """The number a value that is text only for its quotes (``"0.23"``, ``"1200"``: Notion
    and Confluence exports quote every value) would be as a plain scalar of the same text.
    None for anything else, and for ``"1.200"``, whose hint gives both readings
    (`types.disguised_number_hint`)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not (_INT.fullmatch(text) or _FLOAT.fullmatch(text)) or looks_dotted(text):
        return None
    number = resolve_plain(text)
    return number if isinstance(number, int | float) else None


_CURLY = "“”„‘’‚"
"""The curly quotes a value can open with (English and German, double and single)."""
_DASHES = {"\u2010": "a hyphen (‐) of another kind", "\u2011": "a non-breaking hyphen (‑)",
           "\u2012": "a figure dash (‒)", "\u2013": "an en dash (–)",
           "\u2014": "an em dash (—)", "\u2212": "a minus sign (−)"}
"""Dashes a word processor puts where a date or a number needs a hyphen, by what they are."""


def curly_unwrapped(text: str) -> str | None:
    """What ``text`` holds inside the curly quotes it is wrapped in whole (``“30/90”``,
    ``‘Aisha Mensah’``, ``„Q3-Plan“``), or None when it is not so wrapped. A value that only
    starts or ends with one (``’90s playbook``), or holds another of its kind inside, is
    text with quotation marks in it, not a quoted value."""
    if len(text) < 3:
        return None
    first, last, inner = text[0], text[-1], text[1:-1]
    if first in "“”„" and last in "“”" and not any(c in inner for c in "“”„"):
        return inner
    if first in "‘’‚" and last in "’‘" and not any(c in inner for c in "‘‚"):
        return inner
    return None


def typographic_slip(value: Any) -> tuple[str, str] | None:
    """What a word processor changed in a number or a date, and the value as YAML needs it:
    curly quotes around it, and dashes for hyphens (``“30/90”``, ``2026–12–03``). The curly
    quotes and dashes named, with the value to write (``"30/90"`` in straight quotes, as
    counts are written; anything else plain); None when ``value`` has neither."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    inner = curly_unwrapped(text)
    dashes = sorted({_DASHES[c] for c in text if c in _DASHES})
    if inner is None and not dashes:
        return None
    fixed = "".join("-" if c in _DASHES else c for c in (text if inner is None else inner))
    said = [f"the curly quotes ({text[0]} {text[-1]}) are part of the value to YAML, not "
            "quotes"] if inner is not None else []
    if dashes:
        said.append(f"{' and '.join(dashes)} stands where a hyphen (-) belongs"
                    if len(dashes) == 1 else f"{', '.join(dashes)} stand where hyphens (-) "
                    "belong")
    written = f'"{fixed.strip()}"' if re.fullmatch(r"\s*\d+\s*/\s*\d+\s*", fixed) \
        else fixed.strip()
    return "; ".join(said), written


def quoted_number_hint(value: Any) -> str | None:
    """The hint for a value that is text only for its quotes (`quoted_number`): write it
    without them. A field with rules of its own for the number (a rate between 0 and 1)
    checks the number first, and gives this hint only when the number passes them."""
    if quoted_number(value) is None:
        return None
    return f"the quotes make it text: write {str(value).strip()} without them"


def resolve_plain(text: str) -> Any:
    """Turn a plain (unquoted) scalar into a value by YAML 1.2 core rules, narrowed."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # over 4,300 digits: as a float it is infinite, refused as too large
            return float(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def parse(text: str, line_offset: int = 0) -> Document:
    """Parse one YAML document from ``text``.

    ``line_offset`` is added to every line so positions are relative to the enclosing file.
    Raises `YamlProblem` with a located, plain-language message.
    """
    doc = Document(value=None)
    try:
        events = _Parser(text)
        composer = _Composer(events, doc, line_offset, text)
        doc.value = composer.compose()
    except yaml.MarkedYAMLError as exc:
        spacing = _NBSP_SPACING.search(text)
        if spacing is not None:  # the likely cause, wherever the parser noticed a problem
            at = spacing.end() - 1
            line = text.count("\n", 0, at) + 1
            problem = YamlProblem(line_offset + line, at - text.rfind("\n", 0, at),
                                  "a non-breaking space (U+00A0) stands where YAML needs an "
                                  "ordinary space", "replace it with a space; it comes with "
                                  "text copied from a document or a web page")
        else:
            problem = _full_width(text, exc, line_offset, doc.positions) or translate(exc, text, line_offset)
        if not problem.where:
            lines = text.split("\n")
            written = lines[problem.line - line_offset - 1] \
                if 0 < problem.line - line_offset <= len(lines) else ""
            problem.where = _field_near(doc.positions, problem.line, problem.col, written)
        raise problem from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: at its place, by name
        before = text[:exc.position]
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        # Nothing is parsed yet: a key written on the same line names the field.
        key = re.match(r"\s*(?:-\s+)?([\w-]+):", text.split("\n")[line - 1])
        raise YamlProblem(line_offset + line, col, "contains the invisible character "
                          f"{messages.char_name(chr(exc.character))}"
                          if isinstance(exc.character, int) else f"not valid YAML: {exc}",
                          messages.BAD_CHAR_HINT, key.group(1) if key else "") from None
    except yaml.YAMLError as exc:  # errors without a mark (rare)
        raise YamlProblem(line_offset + 1, 1, f"not valid YAML: {exc}") from None
    finally:
        dispose = getattr(locals().get("events"), "dispose", None)
        if dispose is not None:
            dispose()
    return doc


_FULL_WIDTH_COLON = re.compile(r"^[ \t\u3000]*(?:-[ \t\u3000]+)?[^\s:#'\"\[{：]+?[ \t\u3000]*(：)",
                               re.M)
"""A key ended by the full-width colon a Japanese or Chinese input method types (``owner：``)."""
_FULL_WIDTH_SPACE = re.compile(r"^ *(\u3000)|^[ \t\u3000]*-(\u3000)|:(\u3000)", re.M)
"""A full-width space (U+3000) in the indentation, after a list's dash or after a key's
colon: a space to whoever typed it, a character of the text to YAML."""


def _full_width(text: str, exc: yaml.MarkedYAMLError, line_offset: int,
                positions: dict[Path, Position]) -> YamlProblem | None:
    """The full-width colon or space (U+3000) a Japanese, Chinese or Korean input method typed
    where YAML needs an ASCII one, at the line typed and the character's column, when it is on
    the line the parser stopped at or one before it (the nearest): the parser notices it only
    at the next key, and in words about simple keys or indentation (``owner：佐藤`` on line 42
    was reported at line 43, as the next field's error). ``positions``: the fields read before
    the parser stopped, to name the field of the line."""
    mark = exc.problem_mark or exc.context_mark
    last = mark.line if mark is not None else text.count("\n")
    found: list[tuple[int, str]] = []  # (offset of the character, which)
    for pattern, which in ((_FULL_WIDTH_COLON, "colon"), (_FULL_WIDTH_SPACE, "space")):
        for match in pattern.finditer(text):
            at = next(match.start(g) for g in range(1, pattern.groups + 1)
                      if match.group(g) is not None)
            if text.count("\n", 0, at) <= last:
                found.append((at, which))
    if not found:
        return None
    at, which = max(found)
    line = text.count("\n", 0, at)
    col = at - text.rfind("\n", 0, at)
    written = text.split("\n")[line]
    content = written.lstrip(" \u3000")
    if which == "colon":
        fixed = written[:col - 1].rstrip(" \t\u3000") + ": " + written[col:].lstrip(" \t\u3000")
        message = "a full-width colon '：' (U+FF1A) ends the key, where YAML needs ':'"
        hint = f"write ':' and a space: {_clipped(fixed.strip())}"
    elif not written[:col - 1].strip(" \u3000"):
        fixed = written[:len(written) - len(content)].replace("\u3000", "  ") + content
        message = "full-width spaces (U+3000) indent this line"
        hint = ("indent with ordinary spaces; an input method types U+3000 for a space in "
                "Japanese, Chinese or Korean mode")
    else:
        fixed = written[:col - 1] + " " + written[col:]
        message = "a full-width space (U+3000) stands where YAML needs an ordinary space"
        hint = ("replace it with an ordinary space; an input method types U+3000 for a space "
                "in Japanese, Chinese or Korean mode")
    number = line + 1 + line_offset
    # Only the fields above: the line itself was read as something else (`　owner` a key).
    above = {path: pos for path, pos in positions.items() if pos[0] < number}
    return YamlProblem(number, col, message, hint, _field_near(above, number, col, fixed))


def _field_near(positions: dict[Path, Position], line: int, col: int, written: str) -> str:
    """The field a syntax error at ``line`` and ``col`` (``written``, the line's text) is
    about: the one read on that line up to ``col``; else, by the line read just above it, the
    key the line holds beside that line's field (a misindented ``owner:`` below an action's
    ``title:`` is ``actions[0].owner``; below ``- id:``, a key of that item), or the list a
    list item belongs to. "" before the first field."""
    # Read up to the error's line and column: a list or mapping left open names the field
    # it opens, not the last item read inside it.
    seen = [(pos, path) for path, pos in positions.items() if path and pos <= (line, col)]
    if not seen:
        return ""
    (above, _), path = max(seen, key=lambda item: (item[0], len(item[1])))
    if above == line:
        return _field(path)
    # The field that starts the line above (not a value inside its { } or [ ]).
    base = min((p for (at, _), p in seen if at == above), key=len)
    content = written.lstrip(" \t")
    key = _KEY.match(content)
    if content.startswith("-"):  # an item of the innermost list above, if any
        lists = [i for i, part in enumerate(base) if isinstance(part, int)]
        return _field(base[:lists[-1]] if lists else base)
    if key is None:
        return _field(path)
    name = key.group(1).strip().strip("'\"")
    return _field((*base, name) if isinstance(base[-1], int) else (*base[:-1], name))


def _field(path: Path) -> str:
    """``("actions", 1, "due")`` → ``actions[1].due``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


UNSEEN_SPACES = "\u3000\u00a0"
"""The spaces YAML reads as characters of a key or a value (`_Composer._spaced_key`,
`Document.wide`): the full-width one an input method types, and the no-break one copied
text brings."""
_IME_TYPES = "an input method types U+3000 for a space in Japanese, Chinese or Korean mode"
_COPIED = "text copied from a spreadsheet, a document or a web page brings U+00A0"


def spaces_said(spaces: str) -> tuple[str, str]:
    """The spaces a key or a value begins or ends with, in words ("a full-width space
    (U+3000)", "2 no-break spaces (U+00A0)"), and where such a space comes from."""
    count = len(spaces)
    if not spaces.strip("\u3000"):
        return ("a full-width space (U+3000)" if count == 1
                else f"{count} full-width spaces (U+3000)"), _IME_TYPES
    if not spaces.strip("\u00a0"):
        return ("a no-break space (U+00A0)" if count == 1
                else f"{count} no-break spaces (U+00A0)"), _COPIED
    return f"{count} full-width and no-break spaces (U+3000, U+00A0)", f"{_IME_TYPES}; {_COPIED}"


_EDGE_SPACES = " " + UNSEEN_SPACES
"""What a value noted in `Document.wide` starts or ends with: a full-width or a no-break
space, or an ordinary one a quoted value keeps beside it."""
_Scalar = yaml.ScalarEvent
_SeqStart = yaml.SequenceStartEvent
_SeqEnd = yaml.SequenceEndEvent
_MapStart = yaml.MappingStartEvent
_MapEnd = yaml.MappingEndEvent


class _Composer:
    """Builds Python values from parser events, enforcing the rules in the module docstring.

    This is the hot path of every build (one call per YAML event), so it reads events with
    the parser's own ``get_event`` and checks anchors and tags inline.
    """

    def __init__(self, parser: Any, doc: Document, line_offset: int, text: str = "") -> None:
        self._next = parser.get_event
        self._positions = doc.positions
        self._problems = doc.problems
        self._warnings = doc.warnings
        self._dotted = doc.dotted
        self._curly = doc.curly
        self._keys = doc.keys
        self._wide = doc.wide
        self._offset = line_offset + 1
        self._lines = text.split("\n")
        # Lines where a comment could follow a value: only plain values ending on them are
        # looked at again.
        self._commented = {i for i, line in enumerate(self._lines)
                           if " #" in line or "\t#" in line}

    def _pos(self, event: Any) -> Position:
        mark = event.start_mark
        return (mark.line + self._offset, mark.column + 1)

    def compose(self) -> Any:
        self._next()  # StreamStart
        event = self._next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        # DocumentStart
        value = self._node((), self._next())
        self._next()  # DocumentEnd
        event = self._next()
        if event is not None and not isinstance(event, yaml.StreamEndEvent):
            line, col = self._pos(event)
            raise YamlProblem(
                line, col, "more than one YAML document", "front matter holds exactly one mapping"
            )
        return value

    def _refuse(self, event: Any) -> None:
        """Raise for an alias, an anchor or a tag on ``event``."""
        line, col = self._pos(event)
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, col, f"YAML alias *{event.anchor} is not allowed",
                              "write the value out in full; anchors and aliases are refused "
                              "in records")
        if event.anchor is not None:
            raise YamlProblem(line, col, f"YAML anchor &{event.anchor} is not allowed",
                              "write the value out in full; anchors and aliases are refused "
                              "in records")
        shown = event.tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem(line, col, f"YAML tag {shown} is not allowed",
                          "remove the tag; records hold plain text, numbers, lists and mappings")

    def _check_text(self, event: Any, path: Path) -> None:
        """Note a scalar that is too long or holds a control or text-direction character.

        These are kept, not raised: the structure is sound, so every such value is reported.
        """
        value = event.value
        if len(value) > messages.MAX_TEXT:
            line, col = self._pos(event)
            self._problems.append(YamlProblem(line, col, messages.too_long(len(value)),
                                              "shorten it, or put long material in the body",
                                              _field(path)))
        bad = messages.bad_char(value, block=event.style in ("|", ">"))
        if bad is not None:
            line, col = self._pos(event)
            if "\n" not in value[:bad.at]:
                col += bad.at + (1 if event.style in ("'", '"') else 0)
            self._problems.append(YamlProblem(line, col, bad.message, bad.hint, _field(path)))

    def _note_wide(self, event: Any, path: Path) -> None:
        """Note where the full-width space (U+3000) or the no-break one (U+00A0) that begins
        or ends a value is: the one before it, else the first of those after it
        (``tokyo-sales　`` at the space, a column past the value's start, which is all
        `positions` holds)."""
        value: str = event.value
        inner = value.strip(" ")
        if inner and inner[0] in UNSEEN_SPACES:
            at = len(value) - len(value.lstrip(" "))
        elif inner and inner[-1] in UNSEEN_SPACES:
            end = len(value.rstrip(_EDGE_SPACES))
            at = next(i for i in range(end, len(value)) if value[i] in UNSEEN_SPACES)
        else:
            return
        line, col = self._pos(event)
        # A block scalar starts on the line below its `|`; a value over lines has no one
        # column for a character of a later line: at its start, as its other problems are.
        if event.style not in ("|", ">") and "\n" not in value[:at]:
            col += at + (1 if event.style in ("'", '"') else 0)
        self._wide[path] = (line, col)

    def _check_comment(self, event: Any, path: Path) -> None:
        """Note a plain value cut short by ``#`` written straight before a word or a number
        (``Retro #3``, ``dropped #2 month in a row``, ``Sync # 12``): YAML reads the rest of
        the line as a comment and the value silently loses it. A comment written as one
        (``# note``) is left alone."""
        mark = event.end_mark
        rest = self._lines[mark.line][mark.column:]
        found = _CUT.match(rest)
        if found is None or not event.value:
            return
        whole = " ".join(f"{event.value} {found.group(1)}".split())
        self._warnings.append(YamlProblem(
            mark.line + self._offset, mark.column + found.start(1) + 1,
            f"the text from `#` on is a YAML comment, so the value is only "
            f"{_clipped(repr(event.value))}",
            f'quote the whole value if the # belongs to it: "{_clipped(whole)}"',
            _field(path)))

    def _spaced_key(self, event: Any, path: Path, mapping: dict[str, Any]) -> str:
        """Note a key begun or ended by a space YAML reads as a character of the key: the
        full-width space (U+3000) a Japanese, Chinese or Korean input method types
        (``team: tokyo-sales`` after one, at the start of the line), or the no-break space
        (U+00A0) text copied from a spreadsheet or a web page brings (``facilitator :``).
        Neither is a syntax error, so the check `_full_width` makes after one never ran, and
        the record was told that a field spelled with it is not known and that the field is
        missing, or "unknown segment 'smb\\xa0' (did you mean smb?)". A quoted key alike
        (``{"smb　": "3/9"}``): every key of a record is a field's name or an id, neither of
        which has the space, and the quotes were told only "unknown segment 'smb\\u3000'".
        The key is read without it (as the one problem said), unless that key is given
        already."""
        key: str = event.value
        name = key.strip(UNSEEN_SPACES)
        if not name or name == key:
            return key
        line, col = self._pos(event)
        written = self._lines[event.start_mark.line]
        # A quoted key's text starts a column past its quote.
        quote = 1 if event.style in ("'", '"') else 0
        start = event.start_mark.column + quote
        col += quote
        if written[start:start + len(key)] == key:
            fixed = written[:start] + name + written[start + len(key):]
        else:  # written with escapes ("\\u3000smb"): the key as it reads, without them
            fixed = f"{name}: ..."
        lead = key[:len(key) - len(key.lstrip(UNSEEN_SPACES))]
        edges = lead + key[len(key.rstrip(UNSEEN_SPACES)):]
        said, why = spaces_said(edges)
        many = len(edges) > 1
        # The keys of `indicators:` are ids: an indicator's, and under it a segment's.
        what, word = (("indicator", "id") if path == ("indicators",)
                      else ("segment", "id") if len(path) == 2 and path[0] == "indicators"
                      else ("field", "name"))
        if not lead:
            col += len(key.rstrip(UNSEEN_SPACES))
            where = f"{said} {'end' if many else 'ends'} the {what}'s {word}"
        elif col == 1:
            where = f"the line starts with {said}"
        else:
            where = f"{said} {'stand' if many else 'stands'} before the {what}'s {word}"
        self._problems.append(YamlProblem(
            line, col, f"{where}: YAML reads {'them' if many else 'it'} as part of the "
            f"{word}, so it is not the {what} {name}",
            f"delete {'them' if many else 'it'}: {_clipped(fixed.strip(' '))}; {why}",
            _field((*path, name))))
        return key if name in mapping else name

    def _check_size(self, event: Any, path: Path, count: int, kind: str) -> None:
        if count >= messages.MAX_ITEMS:
            line, col = self._pos(event)
            raise YamlProblem(line, col, messages.too_many_items(kind),
                              "split it across records, or summarise", _field(path))

    def _node(self, path: Path, event: Any) -> Any:
        kind = type(event)
        if kind is _Scalar:
            if event.anchor is not None or event.tag is not None:
                self._refuse(event)
            value = event.value
            if len(value) > 200 or messages.needs_scan(value):
                self._check_text(event, path)  # a short printable value skips the scan
            if value and (value[0] in _EDGE_SPACES or value[-1] in _EDGE_SPACES) \
                    and ("\u3000" in value or "\u00a0" in value):
                self._note_wide(event, path)
            if event.style:
                return value
            if event.end_mark.line in self._commented:
                self._check_comment(event, path)
            if looks_dotted(value):
                self._dotted[path] = value
            elif value[:1] in _CURLY and curly_unwrapped(value) is not None:
                self._curly[path] = value
            # Plain scalars (style None, or "" from libyaml) follow the narrowed core schema.
            return resolve_plain(value)
        if len(path) >= messages.MAX_DEPTH and kind in (_MapStart, _SeqStart):
            # Checked before recursing: a few hundred nested `{` must not exhaust the stack.
            line, col = self._pos(event)
            raise YamlProblem(line, col, messages.too_deep(),
                              "flatten the structure; records need only a few levels",
                              _field(path))
        if kind is _MapStart:
            if event.anchor is not None or event.tag is not None:
                self._refuse(event)
            return self._mapping(path, flow=bool(event.flow_style))
        if kind is _SeqStart:
            if event.anchor is not None or event.tag is not None:
                self._refuse(event)
            items: list[Any] = []
            positions = self._positions
            while True:
                child = self._next()
                if type(child) is _SeqEnd:
                    return items
                self._check_size(child, path, len(items), "list")
                child_path = (*path, len(items))
                positions[child_path] = self._pos(child)
                items.append(self._node(child_path, child))
        self._refuse(event)  # an alias
        line, col = self._pos(event)
        raise YamlProblem(line, col, "unexpected YAML structure")

    def _mapping(self, path: Path, flow: bool = False) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        positions = self._positions
        while True:
            key_event = self._next()
            if type(key_event) is _MapEnd:
                return mapping
            if type(key_event) is not _Scalar:
                if isinstance(key_event, yaml.AliasEvent):
                    self._refuse(key_event)
                line, col = self._pos(key_event)
                raise YamlProblem(line, col, "a key must be plain text", "use `name: value` pairs")
            if key_event.anchor is not None or key_event.tag is not None:
                self._refuse(key_event)
            self._check_size(key_event, path, len(mapping), "mapping")
            key = key_event.value
            # A glossary's terms are text, not ids: one in quotes, or with a no-break space,
            # is read trimmed, as a term's ordinary spaces are.
            if ("\u3000" in key or "\u00a0" in key) and (
                    path != ("glossary",) or ("\u3000" in key and not key_event.style)):
                key = self._spaced_key(key_event, path, mapping)
            key_path = (*path, key)
            if flow and not key_event.style and _SPLIT_THOUSANDS.fullmatch(key):
                line, col = self._pos(key_event)
                raise YamlProblem(
                    line, col, f"a number with a thousands separator is split at its comma "
                    f"inside {{ }}: `,{key}` became a field of its own",
                    "write the number without separators, e.g. 1200 for 1,200",
                    _field(path))
            if len(key) > 200 or messages.needs_scan(key):
                self._check_text(key_event, key_path)
            if key in mapping:
                line, col = self._pos(key_event)
                first_line = positions[key_path][0]
                raise YamlProblem(
                    line, col, f"duplicate key {key!r} (first on line {first_line})",
                    "keep one of them; YAML would silently drop the first",
                    messages.format_loc(key_path),
                )
            try:
                value_event = self._next()
            except yaml.MarkedYAMLError:
                # A value the parser cannot read is this key's: the error names the field.
                positions[key_path] = self._pos(key_event)
                raise
            # Scalars point at the value; collections (and empty values) at their key.
            if type(value_event) is _Scalar and (value_event.style or value_event.value != ""):
                positions[key_path] = self._pos(value_event)
                self._keys[key_path] = self._pos(key_event)
            else:
                positions[key_path] = self._pos(key_event)
            mapping[key] = self._node(key_path, value_event)


_FRIENDLY = (
    (
        "found character '\\t' that cannot start any token",
        "a tab character is used for indentation",
        "indent with spaces; YAML does not allow tabs",
    ),
    (
        "found unexpected end of stream",
        "the text ends inside a quoted value or bracket",
        "close the quote or bracket",
    ),
)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


# Parser complaints that a mis-indented line causes; the parser notices only later, often on
# the next line and in words about quoting or block ends, so the lines are scanned instead.
_INDENTATION_SIGNS = ("expected <block end>", "did not find expected key",
                      "did not find expected '-' indicator", "mapping values are not allowed")
_KEY = re.compile(r"""(?:-\s+)?([^\s#'"\[{][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)""")


def _misindented(text: str, upto: int) -> YamlProblem | None:
    """The first mis-indented line up to 0-based line ``upto``, with indentation advice.

    Tracks the indentation of the open blocks: a line may start a deeper block only right after
    a key without a value (or a list dash), may only come back to a level already open, and a
    level opened by list dashes holds only more dashes.
    """
    levels = [0]
    dashes: set[int] = set()  # levels opened by a list (not shared with the keys above it)
    opens = False  # the previous line was a key without a value, or a bare list dash
    skip_deeper: int | None = None  # inside a block scalar (| or >)
    brackets = 0  # inside a flow collection spanning lines
    last_key = ""
    last_value = ""  # the value written on the line of ``last_key``
    for number, raw in enumerate(text.split("\n")[: upto + 1]):
        content = raw.lstrip(" ")
        indent = len(raw) - len(content)
        if not content or content.startswith("#"):
            continue
        if skip_deeper is not None:
            if indent > skip_deeper:
                continue
            skip_deeper = None
        if brackets > 0:
            brackets += _balance(content)
            continue
        key = _KEY.match(content)
        item = content.startswith("- ") or content == "-"
        name = key.group(1).strip() if key else ""
        what = "this list item" if item else repr(name or (content.split() or [content])[0])
        if indent > levels[-1]:
            if not opens:
                if not key:  # a plain value continued on the next line: valid YAML
                    continue
                if last_value in ("[]", "{}"):
                    # A draft's `causes: []` with items written under it: the `[]` is the
                    # fix to name ("remove the value" was read as deleting the items).
                    return YamlProblem(
                        number + 1, indent + 1,
                        f"{what} is indented {_spaces(indent)}, under {last_key!r}, which "
                        f"already says it is empty ({last_value})",
                        f"delete the {last_value} after `{last_key}:`")
                return YamlProblem(
                    number + 1, indent + 1,
                    f"{what} is indented {_spaces(indent)}, deeper than {last_key!r} above it, "
                    "which already has a value",
                    f"{_advice(levels[-1])} like {last_key!r}, or remove the value of "
                    f"{last_key!r} to nest under it")
            levels.append(indent)
            if item:
                dashes.add(indent)
        elif indent < levels[-1]:
            expected = levels[-1]
            while levels and levels[-1] > indent:
                dashes.discard(levels[-1])
                expected = levels.pop()
            if not levels or levels[-1] != indent:
                return YamlProblem(
                    number + 1, indent + 1,
                    f"{what} is indented {_spaces(indent)}, which lines up with nothing above it",
                    f"{_advice(expected)}, like the {'items' if item else 'keys'} of its block; "
                    "spaces only")
        if indent in dashes and not item:
            return YamlProblem(
                number + 1, indent + 1,
                f"{what} is indented like the list's dashes ({_spaces(indent)}), so it belongs "
                "to no item",
                f"{_advice(indent + 2)} to add it to the item above, or start a new item with "
                "`- `")
        rest = content[2:].lstrip(" ") if item else content
        if item and rest:
            levels.append(indent + len(content) - len(rest))
        last_key = name or last_key
        value = rest.split(":", 1)[1].strip() if key and ":" in rest else rest
        value = value.split(" #", 1)[0].strip()
        last_value = value if key else ""
        opens = (item and not rest) or (bool(key) and not value)
        if value[:1] in ("|", ">"):
            skip_deeper = indent
        elif value[:1] in ("[", "{"):
            brackets = _balance(value)
    return None


def _balance(text: str) -> int:
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


def _spaces(count: int) -> str:
    return f"{count} space{'s' * (count != 1)}"


def _advice(indent: int) -> str:
    return "start it at the beginning of the line" if indent == 0 else \
        f"indent it by {_spaces(indent)}"


_OPENED = {"flow sequence": ("a list opened with [", "close it with ] on the line it opens, or "
                             "quote a value that starts with ["),
           "flow mapping": ("a mapping opened with {", "close it with } on the line it opens, "
                            "or quote a value that starts with {"),
           "quoted scalar": ("a quote", "close the quote on the line it opens")}
"""Constructs the parser notices are unclosed only lines later: the error is placed where
they open (an unclosed ``[`` on line 5 was reported at line 7, on the next key)."""


_WRITTEN_FIELD = re.compile(r"""\s*(?:-\s+)?([^\s#'"\[{][^:#]*?):[ \t]+(\S.*?)[ \t]*$""")
"""A line ``key: value`` (or ``- key: value``) as written: the key and its value."""
_CANNOT_START = {"@": "@", "`": "a backtick (`)", "%": "%"}
"""Characters YAML reserves, which cannot start a plain value."""


def _quoted(value: str) -> str:
    """``value`` in the quotes that need no escape inside it (double, else single)."""
    value = _clipped(value)
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_quoted(value: str) -> str:
    """``value`` as a YAML value in straight quotes (double, else single)."""
    return _quoted(value)


def _slip(problem: str, context: str, text: str, mark: Any) -> tuple[str, str] | None:
    """The message and the fix for a slip in writing a value, told from the line as written
    (``mark``: where the parser stopped): the fix quotes that line's own value."""
    lines = text.split("\n")
    written = lines[mark.line] if mark.line < len(lines) else ""
    field = _WRITTEN_FIELD.match(written)
    key, value = field.groups() if field else ("", "")
    # Quoted again in straight quotes, curly ones around it would stay in the text.
    value = curly_unwrapped(value) or value
    char = _char_at(text, mark.line, mark.column)
    before = written[:mark.column].rstrip(" ")
    if "mapping values are not allowed" in problem:
        return ("a colon followed by a space inside a value",
                f"quote the whole value: {key}: {_quoted(value)}" if field
                else 'quote the value, e.g. title: "Q3: the push"')
    if "cannot start any token" in problem and char == "@" and key.strip() == "owner":
        # Quoted as the hint said, a handle made an owner page "Actions of @rpatel".
        return ("a value cannot start with @, and an owner is a person's name, not a handle",
                "write the person's name, as participants: gives it")
    if "cannot start any token" in problem and char in _CANNOT_START:
        return (f"a value cannot start with {_CANNOT_START[char]}",
                f"quote the whole value: {key}: {_quoted(value)}" if field
                else f"quote the value, e.g. \"{char}team\"")
    if "block scalar" in context and "line break" in problem:
        return ("text follows the | or > that starts a block of lines",
                "start the text on the next line, indented by two more spaces; or, if the "
                "value begins with | or >, quote it" + (f": {key}: {_quoted(value)}" * bool(field)))
    if before.endswith(("'", '"')) and ("expected key" in problem or "block end" in problem):
        quote = before[-1]
        inner = value[1:-1] if len(value) > 1 and value[0] == value[-1] == quote else value
        rule = ("an apostrophe inside single quotes is written twice ('')" if quote == "'"
                else 'a quote inside double quotes is written \\"')
        return ("text follows the quote that closes the value",
                rule + (f", or quote the whole value the other way: {key}: {_quoted(inner)}"
                        * bool(field)))
    if char == "-" and ("expected key" in problem or "block end" in problem):
        above = _field_above(lines, mark.line)
        if above is not None and above[1] in ("[]", "{}"):
            # `went_well: []` with items under it: the `[]` says the list is empty.
            return (f"a list item under {above[0]!r}, which already says it is empty "
                    f"({above[1]})", f"delete the {above[1]} after `{above[0]}:`")
        return ("a list item where a field was expected",
                "put the list under its field: `field:` on a line of its own, then the items "
                "indented by two spaces")
    return None


def _field_above(lines: list[str], line: int) -> tuple[str, str] | None:
    """The field and its value (comment left out) on the last line before ``line`` that is
    not blank or a comment, when that line is ``key: value``; else None."""
    for written in reversed(lines[:line]):
        if not written.strip() or written.lstrip().startswith("#"):
            continue
        field = _WRITTEN_FIELD.match(written.split(" #", 1)[0])
        return (field.group(1), field.group(2)) if field else None
    return None


def _quote_opened_above(text: str, mark: Any) -> tuple[int, int, str] | None:
    """Where a double-quoted value left open on an earlier line starts (its line, the quote's
    column and the line with the quote closed), when the parser stopped just after the quote
    that opens this line's value: that quote closed the earlier one, which ran on over the
    lines between (``title: "Sales retro`` was reported at the next quoted value)."""
    lines = text.split("\n")
    written = lines[mark.line] if mark.line < len(lines) else ""
    before = written[:mark.column].rstrip(" ")
    if not before.endswith('"') or before.count('"') % 2 == 0:
        return None
    for at in range(mark.line - 1, -1, -1):
        line = lines[at]
        opening = re.match(r"""\s*(?:-\s+)?[^\s#'"][^:#]*:[ \t]+(")""", line)
        if line.count('"') % 2 == 1:
            if opening is None:
                return None
            return at, opening.start(1), _closed(line, opening.end(1))
    return None


def _closed(line: str, value: int) -> str:
    """``line`` with the double-quoted value opening at ``value`` closed before the comment
    that ends the line, if any (``new`` and ``prep`` end every line with one, set two spaces
    off: closed after it, the comment became part of the published value)."""
    rest = line[value:].rstrip()
    comment = re.search(r"[ \t]{2,}#(?:[ \t].*)?$", rest)
    if comment is None:
        return line[:value] + rest + '"'
    return line[:value] + rest[:comment.start()] + '"' + rest[comment.start():]


def translate(exc: yaml.MarkedYAMLError, text: str, line_offset: int = 0) -> YamlProblem:
    """A YAML parser's error as a located problem a writer can act on (``text``: what was
    parsed, to tell a tab or a misindented line; ``line_offset``: lines before it)."""
    opened = next((what for key, what in _OPENED.items() if key in (exc.context or "")), None)
    if opened is not None and exc.context_mark is not None and exc.problem_mark is not None \
            and exc.problem_mark.line > exc.context_mark.line:
        start = exc.context_mark
        return YamlProblem(start.line + 1 + line_offset, start.column + 1,
                           f"{opened[0]} here is never closed", opened[1])
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 1 if mark else 1) + line_offset
    col = mark.column + 1 if mark else 1
    problem = exc.problem or "not valid YAML"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return YamlProblem(line, col, "a tab character is used for indentation",
                           "indent with spaces; YAML does not allow tabs")
    if mark is not None and any(sign in problem for sign in _INDENTATION_SIGNS) \
            and "\t" not in text:
        found = _misindented(text, mark.line)
        if found is not None:
            found.line += line_offset
            return found
    unclosed = _quote_opened_above(text, mark) \
        if mark is not None and ("expected key" in problem or "block end" in problem) else None
    if unclosed is not None:
        at, column, fix = unclosed
        return YamlProblem(at + 1 + line_offset, column + 1, "a quote here is never closed",
                           f"close it on the line it opens: {fix}")
    slip = _slip(problem, exc.context or "", text, mark) if mark is not None else None
    if slip is not None:
        return YamlProblem(line, col, *slip)
    for needle, message, hint in _FRIENDLY:
        if needle in problem:
            return YamlProblem(line, col, message, hint)
    if "\t" in text and "tab" in problem.lower():
        return YamlProblem(line, col, "a tab character is used for indentation", "indent with spaces")
    context = f" {exc.context}" if exc.context else ""
    return YamlProblem(
        line, col, f"not valid YAML:{context} {problem}".strip(), "check indentation and quoting"
    )
