"""The second sanitizing pass of a generated page's HTML under Zensical, as a Markdown extension.

Under MkDocs the plugin passes every generated page's converted HTML through the allowlist
once more (``on_page_content``), whatever the Markdown made of it. Zensical has no plugin API,
but it converts each page with Python-Markdown and the extensions its configuration lists, and
tells them which page they convert: this extension runs the same sanitizer on the same HTML,
last, for every page but the hand-written ones the configuration names. Pages are sanitized
unless named, so a page the generator adds later is never left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from ..records.sanitize import sanitize

EXTENSION = __name__
"""The extension's name in a configuration's ``markdown_extensions``."""

_DIRECTIVE = re.compile(r"(<!-- material/.*?-->)", re.DOTALL)
"""A theme directive (``<!-- material/tags -->``, where the tags index lists its tags), which
Zensical fills in after conversion: a comment, which the sanitizer would remove."""

_CONTEXT = "rendering_context"
"""The preprocessor Zensical registers to tell extensions which page they convert."""


class SecondPass(Postprocessor):
    """The converted HTML through the allowlist, unless the page is a hand-written one."""

    def __init__(self, md: Markdown, hand_written: frozenset[str]) -> None:
        super().__init__(md)
        self.hand_written = hand_written

    def run(self, text: str) -> str:
        page = getattr(self.md.preprocessors[_CONTEXT], "page", None) if (
            _CONTEXT in self.md.preprocessors) else None
        path = getattr(page, "path", None)
        # Outside Zensical no page is named: nothing is known to be hand-written, so the HTML
        # is sanitized (the safe side).
        if isinstance(path, str) and path.replace("\\", "/") in self.hand_written:
            return text
        # The directives stay, everything between them is sanitized.
        return "".join(piece if index % 2 else sanitize(piece)
                       for index, piece in enumerate(_DIRECTIVE.split(text)))


class SecondPassExtension(Extension):
    """Registers `SecondPass` after every other postprocessor (the HTML MkDocs hands the
    plugin is the converter's final output)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"hand_written": [[], "The docs folder's own pages, left as written"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        """Add the pass to ``md``."""
        pages: Iterable[str] = self.getConfig("hand_written") or []
        md.postprocessors.register(SecondPass(md, frozenset(pages)), "hindsight_second_pass",
                                   -100)


def makeExtension(**kwargs: Any) -> SecondPassExtension:
    """The extension, as Python-Markdown loads it by its module's name."""
    return SecondPassExtension(**kwargs)
