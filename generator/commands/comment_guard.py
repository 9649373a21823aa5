"""What the ``recall-comment`` workflow posts: the recall artifact, treated as untrusted data.

The ``validate`` workflow runs a pull request's own code, so the ``recall/comment.md`` it
uploads says whatever that pull request wants, and the comment workflow posts it with a write
token, as github-actions[bot]. The escaping in the code that wrote it (``recall_render``) keeps
an honest recall tidy, but a pull request can change that code: the boundary is here. This file
runs in the privileged workflow from the default branch, checked out by commit (never the pull
request's copy), under the runner's own ``python3 -I`` with the standard library only (no
package, nothing imported from the checkout, nothing of the artifact run)::

    python3 -I base/generator/commands/comment_guard.py recall/comment.md base/mkdocs.yml > body.md

What a recall needs survives: headings, lists and task lists, emphasis, tables, code spans,
and links to pages of the knowledge base's own site (``site_url`` in the default branch's
``mkdocs.yml``). Everything else that GitHub would turn into something is shown as text:

- mentions and e-mail addresses: a word joiner after every ``@``, so nobody is notified;
- issue references (``#12``, ``org/repo#12``, ``GH-12``): a word joiner after ``#`` or ``GH-``,
  so no other issue gets a cross-reference from the bot;
- HTML, comments and ``<…>`` links: ``<`` is written ``&lt;``, and ``&`` is ``&amp;`` except in
  the four entities the recall's own escaping writes (an entity cannot spell ``@`` or ``<``);
- images, links elsewhere, reference definitions, footnotes: every other ``[`` and ``]``
  escaped, so no link can form;
- bare addresses (``https://…``, ``www.…``): a word joiner breaks the autolink;
- fenced blocks (Mermaid diagrams, maps, models) and math: a backslash before every run of
  three backticks or tildes, and before every dollar sign;
- control and text-direction characters: U+FFFD;
- size: at most `LIMIT` characters, cut at a whole line, saying so.

The record text itself (a title, a lesson) is still the pull request's words, as on the site.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LIMIT = 60_000
"""Most characters of the artifact posted (GitHub takes 65,536 in a comment)."""
READ_LIMIT = 4 * LIMIT
"""Most bytes read from the artifact (a character takes at most 4): one longer is cut anyway."""
CUT_NOTE = ("*Cut here at 60,000 characters: the whole recall is in the summary of the validate "
            "run.*")
WORD_JOINER = "\u2060"
"""Invisible and unbreakable: written into a mention or an address, it stops GitHub linking it."""

# Characters that only show as something else: controls (not tab and newline), the Unicode
# line separators, and the text-direction marks, embeddings, overrides and isolates.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# `site_url` as mkdocs.yml writes it: a plain or quoted value on a top-level line.
_SITE_URL = re.compile(r"""^site_url:[ \t]*(["']?)([^"'\s#]+)\1[ \t]*(?:#.*)?$""", re.M)
# A site address this script can put in a link: no quote, space, bracket, "@" or "%" to escape.
_SAFE_SITE = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~/-]*)?")
_SAFE_TAIL = "[A-Za-z0-9._~/#-]*"
# A link's text as `recall_render` writes it: escaped characters, no bare bracket, one line.
_LINK_TEXT = r"((?:\\[^\n]|[^\\\[\]\n])*)"
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")
# In the order applied; each may follow a backslash escape, which GitHub reads as the
# character itself ("https\://" is still an address).
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot);)")
_AT = re.compile("@(?!\u2060)")
_REFERENCE = re.compile(r"(?i)(#|(?<![A-Za-z0-9_])gh-)(?=\\?[0-9])")
_SCHEME = re.compile(r"(\\?:)(?=(?:\\?/){2})")
_WWW = re.compile(r"(?i)(?<=www)(?=\\?\.)")
_FENCE = re.compile(r"`{3,}|~{3,}")
# Outside a backslash escape: a bracket or a dollar; an escape pair is kept as it is.
_MARKUP = re.compile(r"(\\[^\n])|([\[\]$])")
# The one bracket pair a recall needs bare: the box of a task-list item ("- [ ] lesson").
_TASK_BOX = re.compile(r"^([ \t]*[-*+] )\\\[ \\\] ", re.M)


def site_url(mkdocs: str) -> str | None:
    """The site's address from mkdocs.yml's text, ending in "/" (None without a usable one)."""
    found = _SITE_URL.search(mkdocs)
    if not found or not _SAFE_SITE.fullmatch(found.group(2)) or ".." in found.group(2):
        return None
    return found.group(2).rstrip("/") + "/"


def inert(text: str) -> str:
    """``text`` with nothing GitHub would act on: no mention, reference, HTML, link, image,
    autolink, fenced block or math (see the module's docstring)."""
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _AT.sub("@" + WORD_JOINER, text)
    text = _REFERENCE.sub(lambda m: m.group(1) + WORD_JOINER, text)
    text = _SCHEME.sub(lambda m: m.group(1) + WORD_JOINER, text)
    text = _WWW.sub(WORD_JOINER, text)
    text = _FENCE.sub(lambda m: "\\" + m.group(0), text)
    text = _MARKUP.sub(lambda m: m.group(1) or "\\" + m.group(2), text)
    return _TASK_BOX.sub(r"\1[ ] ", text)


def sanitise(text: str, site: str | None) -> str:
    """The recall ``text`` made safe to post: links to ``site`` kept (their text made inert),
    everything else made inert."""
    text = _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    links: list[tuple[str, str]] = []

    def keep(found: re.Match[str]) -> str:
        if ".." in found.group(2):  # a path out of the site, once the browser resolves it
            return found.group(0)
        links.append((found.group(1), found.group(2)))
        return f"\x00{len(links) - 1}\x00"

    if site:
        link = re.compile(rf"(?<![!\\])\[{_LINK_TEXT}\]\(({re.escape(site)}{_SAFE_TAIL})\)")
        text = link.sub(keep, text)
    text = inert(text)

    def restore(found: re.Match[str]) -> str:
        label, target = links[int(found.group(1))]
        return f"[{inert(label)}]({target})"

    return _PLACEHOLDER.sub(restore, text)


def cut(text: str, limit: int = LIMIT, truncated: bool = False) -> str:
    """``text`` if it has at most ``limit`` characters (and was read whole: not
    ``truncated``); else its whole lines that fit, and a note saying where the rest is."""
    if len(text) <= limit and not truncated:
        return text
    kept = text[:limit].rpartition("\n")[0] if len(text) > limit else text.rstrip("\n")
    return f"{kept}\n\n{CUT_NOTE}\n" if kept else f"{CUT_NOTE}\n"


def comment(artifact: Path, mkdocs: Path) -> str:
    """The body to post for the recall in ``artifact``, with links allowed only to the site
    that ``mkdocs`` (the default branch's mkdocs.yml) names."""
    with artifact.open("rb") as handle:
        data = handle.read(READ_LIMIT + 1)
    truncated = len(data) > READ_LIMIT
    text = data[:READ_LIMIT].decode("utf-8", errors="replace")
    if truncated:  # the last line read is a part of one
        text = text.rpartition("\n")[0]
    try:
        site = site_url(mkdocs.read_text(encoding="utf-8", errors="replace"))
    except OSError:  # no mkdocs.yml: no links at all
        site = None
    return cut(sanitise(text, site), truncated=truncated)


def main(argv: list[str]) -> int:
    """``comment_guard.py COMMENT MKDOCS``: print the body to post."""
    if len(argv) != 2:
        print("usage: comment_guard.py COMMENT MKDOCS", file=sys.stderr)
        return 2
    # UTF-8 whatever the runner's locale: the body has no character that cannot be written.
    sys.stdout.buffer.write(comment(Path(argv[0]), Path(argv[1])).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
