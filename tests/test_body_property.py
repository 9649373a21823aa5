"""Property: every record body that validates is published without live script.

Bodies come from a grammar of the Markdown a hostile contributor would try: ``attr_list``
attributes, reference definitions, nested quotes and lists, raw HTML, entity-encoded and
newline-split URLs. Each example writes a knowledge base of many generated records, keeps
those that `hindsight validate` accepts, builds the site with a real strict MkDocs build and
checks the HTML of every record page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import FIXTURES, run_cli
from generator.records.validate import check
from sitetools import Page, make_project, mkdocs_build, parse_page

BUILDS = 10
"""Real MkDocs builds per run (each holds up to `BODIES` generated records)."""
BODIES = 60

URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\nscript:alert(1)", " javascript:alert(1)",
    "java&#115;cript:alert(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)",
    "java&#x09;script:alert(1)", "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=", "vbscript:msgbox(1)", "https://example.com/a",
    "#top", "../x/", "mailto:a@example.com", "&#x6A;avascript&#x3A;alert(1)",
]
ATTRS = ["onclick", "onmouseover", "ONLOAD", "href", "src", "style", "class", "id", "title",
         "formaction", "data-x", "xlink:href"]
RAW = [
    "<img src=x onerror=alert(1)>", '<a href="{url}">x</a>', "<svg onload=alert(1)>",
    "<script>alert(1)</script>", "<b>b</b>", "<sup>1</sup>", "<details open ontoggle=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>", "<style>*{{color:red}}</style>",
    "<object data=javascript:alert(1)></object>", "<form action={url}><button>x</button></form>",
    '<math><mi xlink:href="{url}">x</mi></math>', "<br>", "<kbd>k</kbd>", "<!-- c -->",
    "&lt;script&gt;", "<img src=\"{url}\">", "<p style=\"color:red\">p</p>", "<div>d</div>",
]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "style", "base",
                  "link", "meta", "frame", "frameset", "applet", "template", "button", "textarea",
                  "select"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
             "srcset", "cite", "longdesc", "ping"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")

url = st.sampled_from(URLS)
word = st.sampled_from(["Pipeline", "fell", "win rate", "**bold**", "*em*", "`<script>`",
                        "a | b", "[x]", "q3"])
attr_list = st.builds(lambda name, value: f'{{: {name}="{value}" }}', st.sampled_from(ATTRS),
                      st.one_of(url, st.sampled_from(["alert(1)", "color:red", "x"])))
inline = st.one_of(
    word,
    st.builds(lambda t, u: f"[{t}]({u})", word, url),
    st.builds(lambda u: f"![chart]({u})", url),
    st.builds(lambda u: f"<{u}>", url),
    st.just("[see][r]"),
    st.builds(lambda raw, u: raw.format(url=u), st.sampled_from(RAW), url),
    st.builds(lambda t, a: f"[{t}](https://example.com){a}", word, attr_list),
)
paragraph = st.builds(lambda parts, attrs: " ".join(parts) + (f"\n{attrs}" if attrs else ""),
                      st.lists(inline, min_size=1, max_size=5), st.none() | attr_list)
block = st.one_of(
    paragraph,
    st.builds(lambda u: f"[r]: {u}", url),
    st.builds(lambda p, a: f"## {p} {a}", word, attr_list),
    st.builds(lambda p: f"- [x] {p}", paragraph),
)


def _nest(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def wrap(text: str, how: str) -> str:
        lines = text.split("\n")
        if how == "quote":
            return "\n".join(f"> {line}" for line in lines)
        if how == "list":
            return "- " + "\n".join(("" if i == 0 else "    ") + line for i, line in enumerate(lines))
        return "1. " + "\n".join(("" if i == 0 else "   ") + line for i, line in enumerate(lines))
    return st.builds(wrap, inner, st.sampled_from(["quote", "list", "ordered"]))


blocks = st.recursive(block, _nest, max_leaves=4)
body = st.lists(blocks, min_size=1, max_size=5).map("\n\n".join)

RETRO = """---
type: retro
period: {period}
team: sales
held: {held}
facilitator: Dana Ruiz
format: stop-start-continue
indicators:
  win-rate: {{smb: "1/2"}}
stop: [Nothing]
---

{body}
"""


def _retro(index: int, text: str) -> tuple[str, str]:
    year, month = 2015 + index // 12, index % 12 + 1
    period = f"{year}-{month:02d}"
    held = f"{year + (month == 12)}-{month % 12 + 1:02d}-03"
    return f"retros/{period}-sales.md", RETRO.format(period=period, held=held, body=text)


def _article(page: Path) -> str:
    """The page's content after its title (the theme's own icons sit before the title)."""
    text = page.read_text()
    article = text.split('class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return article.split("</h1>", 1)[1]


def _unsafe(fragment: str) -> list[str]:
    """Every live script construct in an HTML fragment, described."""
    found = []
    for tag, attrs in _tags(fragment):
        if tag in DANGEROUS_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if name not in URL_ATTRS:
                continue
            cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
            scheme = _SCHEME.match(cleaned)
            if scheme and scheme.group(1) in ("javascript", "data", "vbscript"):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def _tags(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Page()
    parser.feed(fragment)
    return parser.tags


def _write_kb(root: Path, bodies: list[str]) -> dict[str, str]:
    root.mkdir(parents=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    files = dict(_retro(i, text) for i, text in enumerate(bodies))
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return files


@given(st.lists(body, min_size=BODIES, max_size=BODIES))
@settings(max_examples=BUILDS, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_bodies_that_validate_publish_no_script(bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        files = _write_kb(kb, bodies)
        result = check(kb, dt.date(2026, 6, 15))
        rejected = {p.path for p in result.problems.errors}
        assert rejected <= set(files), "only record bodies can be at fault here"
        for rel in rejected:
            (kb / rel).unlink()
        kept = sorted(set(files) - rejected)
        # About a third of generated bodies validate, so each build publishes several.
        assert kept, "no generated body validated: the grammar no longer tests the property"
        event(f"bodies published per build: {len(kept) // 5 * 5}+")
        assert run_cli("validate", "--root", str(kb), "--as-of", "2026-06-15").exit_code == 0
        project = make_project(Path(tmp) / "site", kb)
        build = mkdocs_build(project, "2026-06-15")
        assert build.returncode == 0, build.stdout + build.stderr
        for rel in kept:
            record_id = Path(rel).stem
            page = project / "site" / "records" / record_id / "index.html"
            problems = _unsafe(_article(page))
            assert not problems, f"{rel} validated but published {problems}:\n{files[rel]}"
        # The page is still built from the record: its ordinary words are there.
        assert parse_page(project / "site" / "records" / Path(kept[0]).stem / "index.html").links


@given(body)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_tree_is_safe_under_another_markdown_engine(text: str) -> None:
    """``hindsight generate --out`` pages hold sanitized HTML, so even a CommonMark engine
    with raw HTML on publishes no script from a body that validates."""
    from generator.errors import Problems
    from generator.records.body import check_body, renderer_for

    problems = Problems()
    published = check_body("r.md", text, 1, problems, renderer_for(FIXTURES))
    if problems.errors:
        return
    engine = MarkdownIt("commonmark", {"html": True})
    page = f'<div class="hs-body">\n{published}\n</div>\n'
    assert not _unsafe(engine.render(page)), text
    assert not _unsafe(published), text


def test_a_fence_is_said_only_where_the_site_does_not_render_fences() -> None:
    """The warning of the fenced-code bad-input case is the site's: with a fence extension
    in mkdocs.yml the block is one (a <pre>), and nothing is said."""
    from generator.errors import Problems
    from generator.records.body import BodyRenderer, check_body

    body = "Before.\n\n```sql\nselect 1;\nselect 2;\n```\n"
    for names, pre, warned in ((["tables"], False, 1), (["pymdownx.superfences"], True, 0),
                               (["fenced_code"], True, 0), (["pymdownx.extra"], True, 0)):
        problems = Problems()
        published = check_body("retros/x.md", body, 12, problems, BodyRenderer(names, {}))
        assert ("<pre>" in published) is pre, published
        assert [(p.line, p.col) for p in problems.items] == [(14, 1)] * warned, problems.items
    # Under a list item or in a quote it is garbled the same way, and said; in an HTML comment
    # (never published) or as ```inline``` code on one line, nothing is wrong.
    for text, at in (("1. Run this:\n\n    ```sql\n    select 1;\n    ```\n", (14, 5)),
                     ("> ```\n> select 1;\n> ```\n", (12, 3)),
                     ("<!--\n```\nold code\n```\n-->\n\nNow.\n", None),
                     ("```inline``` is how you write it.\n", None)):
        problems = Problems()
        check_body("retros/x.md", text, 12, problems, BodyRenderer(["tables"], {}))
        assert [(p.line, p.col) for p in problems.items] == ([at] if at else []), (text, problems.items)


def test_the_site_s_extensions_are_read_in_mkdocs_mapping_form_too(tmp_path: Path) -> None:
    """`markdown_extensions:` as a mapping (MkDocs takes it) was read as no setting at all:
    the defaults, so a site with superfences was told to add superfences."""
    from generator.records.body import site_extensions

    (tmp_path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n"
                                         "  pymdownx.superfences: {}\n  toc:\n    permalink: true\n")
    names, configs = site_extensions(tmp_path)
    assert names == ["pymdownx.superfences", "toc"] and configs["toc"] == {"permalink": True}
