"""Checks on a record's Markdown body: no raw HTML that could run, no script links.

We reject rather than sanitise: the record's author sees a located error in the pull request
and fixes the source, so what is in git is exactly what is published. Code spans and fenced
code blocks are exempt (Markdown escapes them).
"""

from __future__ import annotations

import html
import re

from .errors import Problems

# Inline HTML that is harmless and sometimes handy; anything else is refused.
ALLOWED_TAGS = {"br", "sub", "sup", "kbd", "abbr", "mark", "small", "details", "summary"}

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)([^>]*)>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Markdown link targets: [text](target), [ref]: target, and <scheme:...> autolinks.
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)"  # inline link target
    r"|^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)"  # reference definition
    r"|<([a-zA-Z][\w+.-]*:[^>\s]*)>",  # autolink
    re.M,
)
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _blank(match: re.Match[str]) -> str:
    # Keep newlines so line numbers still match the file.
    return re.sub(r"[^\n]", " ", match.group(0))


def check_body(path: str, body: str, first_line: int, problems: Problems) -> None:
    """Report raw HTML tags and unsafe link schemes in a record body, with their lines."""
    text = _FENCE.sub(_blank, body)
    text = _CODE_SPAN.sub(_blank, text)
    text = _COMMENT.sub(_blank, text)
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        attrs = match.group(3).strip().rstrip("/").strip()
        line = first_line + text.count("\n", 0, match.start())
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if name in ALLOWED_TAGS and not attrs:
            continue
        if name in ALLOWED_TAGS:
            problems.error(path, line, col, "body", f"HTML attributes on <{name}> are not allowed",
                           "remove the attributes; write Markdown instead")
        else:
            problems.error(path, line, col, "body", f"raw HTML <{name}> is not allowed in a record",
                           "write Markdown instead; to show the tag as text, put it in `backticks`")
    for match in _LINK.finditer(text):
        target = next(g for g in match.groups() if g)
        # Entities and control characters are how "java&#115;cript:" slips past naive checks.
        decoded = re.sub(r"[\x00-\x20]", "", html.unescape(target))
        scheme = _SCHEME.match(decoded)
        if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
            line = first_line + text.count("\n", 0, match.start())
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            problems.error(path, line, col, "body",
                           f"a link with the {scheme.group(1).lower()}: scheme is not allowed",
                           "link with http, https or mailto, or to another record by its id")
