"""Values from records are data: HTML/JS payloads never come out live in the built site."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, make_kb, run_cli
from generator.records.plaintext import markup_in
from generator.records.sanitize import sanitize
from sitetools import CHROMIUM, CHROMIUM_ARGS, make_project, mkdocs_build, parse_page, search_pages, served

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '" onmouseover="alert(3)" x="',
    "[click](javascript:alert(4))",
    "{: onclick=alert(5) }",
    "a | b ` c [d] *e* <b>f</b>",
]
P = " ".join(PAYLOADS)
Q = json.dumps(P)  # JSON is YAML: quoted safely into front matter
# Titles and names are plain text (markup in them is a validation error, tested below), so
# they carry only the payloads that are not markup: quotes, braces, pipes, backticks, stars.
PLAIN = " ".join(p for p in PAYLOADS if markup_in(p) is None)
N = json.dumps(PLAIN)
ATTRIBUTED = "*Sign in again*{: .md-dialog .md-dialog--active hidden title=x }"
"""Emphasis given a class of the theme's (a toast floating over the page) by attr_list."""

HOSTILE_PM = f"""---
type: postmortem
name: {N}
kind: deal-lost
outcome: loss
summary: {Q}
team: sales
event_ended: 2026-04-30
held: 2026-05-02
keeper: {N}
participants: [{N}]
timeline:
  - {{when: 2026-04-01, what: {Q}}}
plan_vs_actual:
  - {{metric: {N}, goal: 1, actual: 2, unit: {N}}}
good: [{Q}]
bad: [{Q}]
assumptions:
  - {{statement: {Q}, held: false, note: {Q}, category: demand}}
deal: {{customer: {N}, chose_us: false, why: {Q}, competitor: {N}}}
start: [{Q}]
causes:
  - {{cause: icp-drift, note: {Q}, whys: [{Q}]}}
actions:
  - {{id: PM-x-1, title: {N}, owner: {N}, due: 2026-05-30, note: {Q}}}
lessons:
  - {{lesson: {Q}, applies_to: [deal]}}
---

# Plain body

Ordinary Markdown only.
"""

HOSTILE_RETRO = f"""---
type: retro
period: 2026-04
team: sales
title: {N}
held: 2026-05-04
facilitator: {N}
format: stop-start-continue
indicators:
  win-rate: {{smb: "1/2"}}
stop: [{Q}]
continue: [{Q}]
---

## Body notes

Body.
"""


# A later retro drops the post-mortem's action with a hostile reason: the note is shown on
# both records' pages and in the register.
HOSTILE_DROP = HOSTILE_RETRO.replace("period: 2026-04", "period: 2026-05").replace(
    "held: 2026-05-04", "held: 2026-06-03").replace(
    "stop: [", f"action_updates:\n  - {{id: PM-x-1, status: dropped, note: {Q}}}\nstop: [")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = make_kb(tmp_path_factory.mktemp("kb"), {
        "postmortems/2026-04-hostile.md": HOSTILE_PM,
        "retros/2026-04-sales.md": HOSTILE_RETRO,
        "retros/2026-05-sales.md": HOSTILE_DROP,
    })
    # The taxonomy's titles are plain text too (markup is a validation error there as well):
    # they carry the payloads that are not markup, which must still reach pages escaped.
    taxonomy = (FIXTURES / "taxonomy.yml").read_text().replace(
        "title: ICP drift", f"title: {json.dumps(PLAIN)}").replace(
        "name: Sales", f"name: {json.dumps(PLAIN)}").replace(
        # Markdown that is not markup to the plain-text check: emphasis given attributes.
        "title: Demand", f"title: {json.dumps(PLAIN + ' ' + ATTRIBUTED)}")
    (kb / "taxonomy.yml").write_text(taxonomy)
    project = make_project(tmp_path_factory.mktemp("site"), kb)
    result = mkdocs_build(project, "2026-06-15")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def test_no_live_payload_in_any_built_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    seen_escaped = 0
    for page in pages:
        info = parse_page(page)
        text = page.read_text()
        seen_escaped += "&lt;img src=x onerror=alert(1)&gt;" in text
        for tag, attrs in info.tags:
            for name, value in attrs:
                assert not name.startswith("on"), f"{page}: <{tag} {name}={value!r}>"
                if name in ("href", "src", "action"):
                    assert not (value or "").strip().lower().startswith("javascript:"), page
            if tag == "img":
                assert dict(attrs).get("src") != "x", f"{page}: live <img src=x>"
            if tag == "b":
                pytest.fail(f"{page}: record text produced a live <b> element")
            if tag in ("em", "strong") and attrs:
                pytest.fail(f"{page}: text produced <{tag} {attrs}> (attr_list)")
        for script in info.scripts:
            assert "alert(" not in script, f"{page}: payload inside a <script>"
    assert seen_escaped > 5, "the payload should be shown, escaped, on the pages that use it"
    # The assumption category's title reaches the plan checklists and the calibration page.
    for path in ("plan/deal/index.html", "plan/calibration/index.html"):
        assert "*Sign in again*{: .md-dialog" in (hostile_site / path).read_text(), path


@pytest.mark.parametrize(("page", "notes"), [
    ("records/2026-04-hostile", [f"Note: {P}", f"Dropped per {PLAIN}: {P}"]),
    ("records/2026-05-sales", [f"Dropped: {P}"]),
    ("actions", [f"Dropped: {P}"]),
])
def test_action_notes_are_shown_as_text(hostile_site: Path, page: str, notes: list[str]) -> None:
    """A note under an action's title (its own, an update's, why it was dropped) is text:
    its tags, links and attribute lists are shown as typed, not made live."""
    text = (hostile_site / page / "index.html").read_text()
    shown = re.findall(r'<span class="hs-why">(.*?</span>)</span>', text)
    # Escaped, the payload holds no tag: what is left after taking the page's own out is it.
    assert [html.unescape(re.sub(r"<[^>]+>", "", note)) for note in shown] == notes, shown
    assert all("&lt;img src=x onerror=alert(1)&gt;" in note for note in shown)


def test_a_body_heading_keeps_its_permalink_under_the_theme_s_class(hostile_site: Path) -> None:
    # Made under a class no record can know, published under the one the theme styles (which
    # a body itself may not carry: the theme hides it until the heading is hovered).
    html = (hostile_site / "records" / "2026-04-sales" / "index.html").read_text()
    assert re.search(r'<h2 id="body-notes" aria-label="Body notes">Body notes'
                     r'<a class="headerlink" href="#body-notes"', html), html
    assert not any('class="permalink-' in page.read_text()
                   for page in hostile_site.rglob("*.html"))


def test_titles_and_navigation_carry_no_markup(hostile_site: Path) -> None:
    cause = hostile_site / "causes" / "icp-drift" / "index.html"
    html = cause.read_text()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<img" not in title and "<script" not in title
    assert parse_page(cause).tags  # the page parses, whatever the cause's title held
    record = (hostile_site / "records" / "2026-04-hostile" / "index.html").read_text()
    title = record.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "onmouseover=&#34;alert(3)&#34;" in title or "onmouseover=&quot;alert(3)&quot;" in title


@pytest.mark.parametrize(
    ("old", "new", "field", "what"),
    [
        ("name: " + N, "name: '<img src=x onerror=alert(1)>'", "name", "an HTML tag"),
        ("title: " + N + ", owner", "title: '[Read me](https://example.com)', owner",
         "actions[0].title", "a Markdown link"),
        ("owner: " + N, "owner: '<https://example.com>'", "actions[0].owner", "an autolink"),
    ],
)
def test_markup_in_titles_and_names_is_a_located_error(
    tmp_path: Path, old: str, new: str, field: str, what: str
) -> None:
    assert old in HOSTILE_PM
    text = HOSTILE_PM.replace(old, new)
    root = make_kb(tmp_path, {"postmortems/2026-04-hostile.md": text})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new.split(",")[0] in row)
    assert re.search(rf"^postmortems/2026-04-hostile\.md:{line}:\d+  {re.escape(field)}  "
                     rf"is plain text but contains {what} \(", result.output, re.M), result.output


def test_search_index_holds_the_text_as_typed(hostile_site: Path) -> None:
    # Pagefind keeps the words of the page, decoded: the payload is there as text, and what
    # makes it safe is that the search box shows results as text (next test).
    pages = search_pages(hostile_site).values()
    assert any("<img src=x onerror=alert(1)>" in d["content"] for d in pages)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install the Debian package "
                    "`chromium`; .ci/run does)")
def test_search_results_show_markup_as_text(hostile_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    with served(hostile_site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url, wait_until="load")
        page.locator("input.hs-search__input").press_sequentially("onerror", delay=10)
        page.wait_for_function("() => document.querySelector('[data-hs-search]').dataset.hsQuery"
                               " === 'onerror'", timeout=30000)
        # Both lists: the results with every word, and those with some of the words.
        results = page.locator(".hs-search__list")
        shown = "\n".join(results.all_inner_texts())
        elements = results.evaluate_all(
            "lists => lists.flatMap(list => [...list.querySelectorAll('*')].map(e => e.tagName))")
        browser.close()
    assert "<img src=x onerror=alert(1)>" in shown
    assert set(elements) <= {"LI", "A", "SPAN", "MARK"}, elements
    assert dialogs == []


def test_exports_keep_values_as_data(hostile_site: Path) -> None:
    actions = json.loads((hostile_site / "data" / "actions.json").read_text())
    assert actions[0]["owner"] == PLAIN  # exact data, for consumers to escape
    assert (actions[0]["note"], actions[0]["note_in"]) == (P, "2026-05-sales")  # why dropped
    records = json.loads((hostile_site / "data" / "records.json").read_text())
    assert {r["title"] for r in records} >= {PLAIN}
    csv_text = (hostile_site / "data" / "actions.csv").read_text()
    assert '"" onmouseover=""alert(3)""' in csv_text  # CSV-quoted, not cut short


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "raw HTML <script> is not allowed"),
        ('<iframe src="https://evil.example"></iframe>', "raw HTML <iframe> is not allowed"),
        ('<img src=x onerror="alert(1)">', "event-handler attribute onerror on <img> is not allowed"),
        ("<b onclick=alert(1)>hi</b>", "raw HTML <b> is not allowed"),
        ("<sup onclick=alert(1)>1</sup>", "event-handler attribute onclick on <sup> is not allowed"),
        ("[x](javascript:alert(1))", "a link with the javascript: scheme is not allowed"),
        ("[x](java&#115;cript:alert(1))", "a link with the javascript: scheme is not allowed"),
        ("[y][x]\n\n[x]: JAVASCRIPT:alert(1)", "a link with the javascript: scheme is not allowed"),
        ("> [r]: javascript:alert(1)\n\n[t][r]", "a link with the javascript: scheme is not allowed"),
        ("- item\n\n    [r]: javascript:alert(1)\n\n[t][r]",
         "a link with the javascript: scheme is not allowed"),
        ("[t](java\nscript:alert(1))", "a link with the javascript: scheme is not allowed"),
        ('Text\n{: onclick="alert(1)" }', "event-handler attribute onclick on <p> is not allowed"),
        ("Text\n{: onmouseover=alert(1) }", "event-handler attribute onmouseover on <p> is not allowed"),
        ('- [x] [done](https://example.com){: href="javascript:alert(1)" }',
         "a link with the javascript: scheme is not allowed"),
        ('Text\n{: style="position:fixed;top:0" }', "a style attribute on <p> is not allowed"),
        ("<svg><script>alert(1)</script></svg>", "raw HTML <svg> is not allowed"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "a link with the data: scheme is not allowed"),
        ("[x](vbscript:msgbox(1))", "a link with the vbscript: scheme is not allowed"),
        ("[x](&#x6A;avascript&colon;alert(1))", "a link with the javascript: scheme is not allowed"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "a link with the data: scheme is not allowed"),
        # The theme's own classes float a fixed "dialog" over the page; hidden text is unseen.
        ("Session expired. Sign in again.\n{: .md-dialog .md-dialog--active }",
         "the class md-dialog md-dialog--active on <p> is the site's own, not a record's"),
        ("Text\n{: .hs-badge }", "the class hs-badge on <p> is the site's own, not a record's"),
        ("Text\n{: hidden }", "the hidden attribute on <p> is not allowed"),
        # Extensions' classes: a tab's block is hidden by the theme, yet found by search.
        ("Buy from us only.\n{: .tabbed-block }",
         "the class tabbed-block on <p> is the site's own, not a record's"),
        ("Text\n{: .MD-Dialog }", "the class MD-Dialog on <p> is the site's own, not a record's"),
        # The extensions' classes, written by a record: shrunk or hidden text that search still
        # finds, a diagram script fetched from a CDN.
        ('Checked<span class="footnote-backref">Lee falsified the numbers</span>.',
         "the class footnote-backref on <span> is the site's own, not a record's"),
        ('<pre class="mermaid"><code>graph TD; A[Verified]-->B[Click here]</code></pre>',
         "the class mermaid on <pre> is the site's own, not a record's"),
        ("Kickbacks.\n{: .highlight }",
         "the class highlight on <p> is the site's own, not a record's"),
        # However it is spelled: entities, or the attribute on the tag's next line.
        ('B <span class="footnote&#45;backref">hidden</span> end.',
         "the class footnote-backref on <span> is the site's own, not a record's"),
        ('<pre class="m&#101;rmaid">graph TD; A-->B</pre>',
         "the class mermaid on <pre> is the site's own, not a record's"),
        ('A <span title="x"\nclass="footnote-backref">hidden</span> end.',
         "the class footnote-backref on <span> is the site's own, not a record's"),
        ("Tiny: " + "<small>" * 30 + "Lee falsified the numbers" + "</small>" * 30,
         "nests <small>, <sub>, <sup>, <kbd>, <code> or small headings 30 deep"),
        ("Keys: " + "<kbd>" * 16 + "never approved" + "</kbd>" * 16,
         "nests <small>, <sub>, <sup>, <kbd>, <code> or small headings 16 deep"),
        # The renderer's own limits: 500 list markers on a line ran it out of stack (a
        # traceback), a heading of 2,000 ` {` took minutes.
        ("1. " * 500 + "deep", "nests lists or quotes too deeply to be rendered"),
        ("## Notes" + " {" * 2_001, "has more than 2,000 curly braces `{` (2,001)"),
        ("*\\" * 10_001, "has more than 10,000 asterisks `*` (10,001)"),
        # Entities and hard line breaks: 50,000 `&amp;` held validate for a minute.
        ("&amp;" * 5_001, "has more than 5,000 ampersands `&` (5,001)"),
        ("".join(f"line {n}  \n" for n in range(5_001)),
         "has more than 5,000 lines ending in two spaces (hard line breaks) (5,001)"),
        ("Some words (1)\n{: .annotate }",
         "the class annotate on <p> is the site's own, not a record's"),
        # Text kept out of the search index: readers see it, a search never finds it.
        ("## Kickbacks {: data-search-exclude }",
         "attribute data-search-exclude on <h2> is not allowed"),
        # A heading's permalink class: the theme shows it only while the heading is hovered.
        ('A <span class="headerlink">Lee approved the discount himself</span> end.',
         "the class headerlink on <span> is the site's own, not a record's"),
        ("Lee approved the discount himself.\n{: .headerlink }",
         "the class headerlink on <p> is the site's own, not a record's"),
        ('<label>SSO password <input type="password"></label>',
         "attribute type on <input> is not allowed"),
        # Words a screen reader would skip: a body says the same to every reader.
        ('Approved by <span aria-hidden="true">nobody, Lee</span> the board.',
         "attribute aria-hidden on <span> is not allowed"),
    ],
)
def test_hostile_bodies_are_rejected_with_a_located_error(tmp_path: Path, body: str,
                                                          message: str) -> None:
    text = HOSTILE_RETRO.replace("Body.", f"Intro line.\n\n{body}\n")
    root = make_kb(tmp_path, {"retros/2026-04-sales.md": text})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    # The line by which the construct exists: its last line (a reference's use or definition).
    line = text.splitlines().index(body.splitlines()[-1]) + 1
    assert f"retros/2026-04-sales.md:{line}:" in result.output
    assert f"  body  {message}" in result.output


def test_a_button_and_a_plain_class_are_writing_not_layout(tmp_path: Path) -> None:
    text = HOSTILE_RETRO.replace("Body.", "[Read the plan](https://example.com){ .md-button }"
                                          "\n\nA note.\n{: .fine-print }\n")
    root = make_kb(tmp_path, {"retros/2026-04-sales.md": text})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output


def test_code_in_bodies_is_fine(tmp_path: Path) -> None:
    # The site's Markdown has no fenced code (no fenced_code or superfences in mkdocs.yml), so a
    # code block is indented; code spans and code blocks are escaped, never live.
    text = HOSTILE_RETRO.replace("Body.", "Use `<script>` tags never.\n\n    <iframe>\n")
    root = make_kb(tmp_path, {"retros/2026-04-sales.md": text})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    shutil.rmtree(root)


def test_svg_text_and_alt_text_carry_no_markup(hostile_site: Path) -> None:
    from xml.etree import ElementTree as ET

    charts = sorted((hostile_site / "charts").glob("*.svg"))
    assert charts
    texts = []
    for chart in charts:
        tree = ET.parse(chart)  # well-formed: the payload did not break the XML
        for element in tree.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "iframe", "img"), f"{chart.name}: <{tag}>"
            for name, value in element.attrib.items():
                local = name.rsplit("}", 1)[-1]
                assert not local.startswith("on"), f"{chart.name}: {local}"
                assert not value.strip().lower().startswith("javascript:")
            texts.append("".join(element.itertext()))
    # The cause's title carries quotes meant to break out of an attribute: text in the SVG.
    assert any('" onmouseover="alert(3)" x="' in t for t in texts), "payload shown as text"
    alts = [dict(attrs).get("alt") or "" for page in hostile_site.rglob("*.html")
            for tag, attrs in parse_page(page).tags if tag == "img"]
    # The alt text says the payload as text (an attribute value), which is where it belongs.
    assert any('" onmouseover="alert(3)" x="' in alt for alt in alts), alts[:3]


def test_a_body_pasted_as_html_is_located_line_by_line_without_rendering_it_each_time() -> None:
    # Two thousand raw tags, one per paragraph (an e-mail pasted in): each is reported at its
    # own line. Found by reading the source, not by rendering parts of the body again for
    # each (which took a minute at a thousand tags and hours at four thousand).
    from generator.errors import Problems
    from generator.records import body as body_module
    from generator.records.body import check_body, renderer_for

    text = "# Title\n\n" + "\n\n".join(f"<b>{i}</b>" for i in range(2000)) + "\n"
    renders = []
    original = body_module.findings

    def counted(*args: object, **kwargs: object) -> object:
        renders.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    problems = Problems()
    body_module.findings = counted  # type: ignore[assignment]
    try:
        check_body("r.md", text, 10, problems, renderer_for(FIXTURES))
    finally:
        body_module.findings = original
    lines = [p.line for p in problems.errors]
    # Line 10 is the title; tag i is on body line 3 + 2i, file line 12 + 2i.
    assert lines == [12 + 2 * i for i in range(2000)]
    assert len(renders) <= 2  # the whole body, not a part of it per tag


def test_past_forty_findings_that_need_a_render_the_rest_are_summed_up() -> None:
    # A style attribute per paragraph: "style" is ordinary text too, so each is located by
    # rendering; forty are, and the other twenty are one error at the end.
    from generator.errors import Problems
    from generator.records.body import LOCATE_AT_MOST, check_body, renderer_for

    text = "\n\n".join(f'Line {i}\n{{: style="color: red" }}' for i in range(60)) + "\n"
    problems = Problems()
    check_body("r.md", text, 1, problems, renderer_for(FIXTURES))
    errors = problems.errors
    assert LOCATE_AT_MOST == 40 and len(errors) == 41
    assert all("a style attribute on <p> is not allowed" in e.message for e in errors[:40])
    assert errors[0].line == 2 and errors[39].line == 2 + 3 * 39
    assert errors[40].message == ("and 20 more constructs the site would remove, not located "
                                  "one by one")


def test_a_long_body_has_fewer_findings_located_by_rendering() -> None:
    """A 240 KB body with 40 findings that need a render took over a minute to validate
    (each search renders parts of the body a dozen times): the work is bounded by the body's
    length, so a few are located and the rest summed up."""
    from generator.errors import Problems
    from generator.records.body import check_body, locate_at_most, renderer_for

    filler = "Plain words in a paragraph of the body. " * 60
    text = "\n\n".join(f'{filler}\n{{: data-x{i}="1" }}' for i in range(40)) + "\n"
    assert len(text) > 90_000 and locate_at_most(text) == 5
    problems = Problems()
    check_body("r.md", text, 1, problems, renderer_for(FIXTURES))
    errors = problems.errors
    assert len(errors) == 6
    for error in errors[:5]:  # each at its own line: "data-x12" is on line 2 + 3 × 12
        number = int(error.message.split()[1].removeprefix("data-x"))
        assert error.line == 2 + 3 * number, error
    assert errors[5].message == ("and 35 more constructs the site would remove, not located "
                                 "one by one")


@pytest.mark.parametrize(("text", "markup"), [
    ("Win rate < target", None), ("Pipeline < budget in Q3", None), ("3<4", None),
    ("a <script", "an HTML tag"), ("</div>", "an HTML tag"), ("x<img src=1", "an HTML tag"),
])
def test_a_comparison_in_a_title_is_not_a_tag(text: str, markup: str | None) -> None:
    """`<` then a space is text in HTML: a title may compare ("Win rate < target"); `<` then
    a letter, `/` or `!` starts a tag and is refused (every title is escaped all the same)."""
    from generator.records.plaintext import markup_in

    assert markup_in(text) == markup


def test_footnotes_validate_where_the_site_has_them(tmp_path: Path) -> None:
    """The footnotes extension gives its own links `.footnote-ref` and `.footnote-backref`:
    where mkdocs.yml has it, a body's footnotes validate; where it does not, the class is
    the theme's, refused (above)."""
    text = HOSTILE_RETRO.replace("Body.", "A claim.[^1]\n\n[^1]: The source.\n")
    root = make_kb(tmp_path, {"retros/2026-04-sales.md": text})
    (root / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - attr_list\n"
                                     "  - footnotes\n")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output


def test_a_body_cannot_include_files_where_the_site_enables_snippets(tmp_path: Path) -> None:
    # With pymdownx.snippets in the site's Markdown, `--8<--` in a body would publish any file
    # the build can read (actions/checkout keeps the job's token in .git/config).
    including = 'Intro.\n\n--8<-- ".env"\n\n    --8<--\n    .env\n    --8<--\n'
    escaped = ';--8<-- ".env" is how the site includes a file.\n'
    kb = make_kb(tmp_path / "kb", {
        "retros/2026-04-sales.md": HOSTILE_RETRO.replace("Body.", including + "\n" + escaped)})
    project = make_project(tmp_path / "project", kb)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("markdown_extensions:\n",
                                                 "markdown_extensions:\n  - pymdownx.snippets\n"))
    (project / ".env").write_text("SECRET_TOKEN=ghp_fake123\n")
    result = run_cli("validate", "--root", str(project), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    lines = (project / "retros" / "2026-04-sales.md").read_text().splitlines()
    found = re.findall(r"^retros/2026-04-sales\.md:(\d+):(\d+)  body  includes a file with "
                       r"--8<-- \(the site's pymdownx\.snippets\), which a record may not do "
                       r"\(paste the text itself", result.output, re.M)
    # Each line snippets would read, at its marker (the escaped one is text).
    assert found == [(str(lines.index('--8<-- ".env"') + 1), "1"),
                     (str(lines.index("    --8<--") + 1), "5"),
                     (str(lines.index("    --8<--") + 3), "5")], result.output
    # Without the inclusions the record builds, and its page says what it typed, nothing read.
    record = project / "retros" / "2026-04-sales.md"
    record.write_text(record.read_text().replace(including, "Intro.\n"))
    built = mkdocs_build(project, "2026-06-15")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "records" / "2026-04-sales" / "index.html").read_text()
    assert '<p>;--8&lt;-- ".env" is how the site includes a file.</p>' in page, page
    assert not any("ghp_fake123" in p.read_text() for p in (project / "site").rglob("*.html"))


def test_a_cell_keeps_a_span_of_a_few_columns_and_nothing_more() -> None:
    """A cell across columns (the indicators index's "and 37 more teams") keeps its span; a
    span that is not a small count of columns is dropped."""
    cells = sanitize('<table><tr><td colspan="7">a</td><td colspan="999">b</td>'
                     '<td colspan="2;x">c</td></tr></table>')
    assert '<td colspan="7">a</td><td>b</td><td>c</td>' in cells
