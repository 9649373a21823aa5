"""Each generated table names its rows: the cell that says what a row is (a team, a cause, an
indicator, a month, a metric, an action's id, the record in a list of changes) is the row's
header, ``<th scope="row">``, so a screen reader moving along a row of figures ("3", "14 days
late") says whose they are. Read from real, strict MkDocs builds; and the allowlist keeps a
header cell's ``scope`` to ``row`` and ``col``, whatever a record's body writes."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, make_kb, run_cli
from sitetools import make_project, mkdocs_build

SAMPLE_AS_OF = "2026-11-23"

SUMMARIES = {"Over\xaddue", "Ac\xadtions", "Moved the right way", "Cited"}
"""The first column's heading of the tables of one row of totals (the register's counts, an
owner's or a team's, a cause's, what followed the fixes): no cell names that row, a figure
leads it."""

NAMED_BY_SECOND = {("When", "Record"), ("Date", "Record")}
"""Lists of records by date (What's new, a cause's citations): the record names the row, not
its day (a day holds several)."""


@dataclass
class Table:
    """A table of a built page's article: its column headings and its body rows' cells."""

    heads: list[str]
    rows: list[list[tuple[str, str | None, str]]] = field(default_factory=list)
    """Each row's cells: (tag, scope, text)."""


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._article = False
        self._head = False
        self._cell: tuple[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article = True
        if not self._article:
            return
        if tag == "table":
            self.tables.append(Table([]))
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and not self._head and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._text = (tag, dict(attrs).get("scope")), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article = False
        elif tag == "thead":
            self._head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._text).split())
            if self._head:
                self.tables[-1].heads.append(text)
            else:
                self.tables[-1].rows[-1].append((*self._cell, text))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)


def tables(page: Path) -> list[Table]:
    """The tables of a built page's article."""
    parser = _Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def misnamed_rows(site: Path) -> tuple[dict[str, int], list[str]]:
    """Every generated table of a built site, checked: how many rows each first column's
    heading names (by the header cell's text), and every row whose cells are not as they
    should be: one row header (`th scope="row"`) in the column that names it and data cells
    (`td`) elsewhere; none in a table of totals."""
    named: dict[str, int] = {}
    wrong: list[str] = []
    for path in sorted(site.rglob("index.html")):
        address = path.parent.relative_to(site).as_posix()
        if address.startswith("guide"):  # hand-written pages: their tables are the writer's
            continue
        for table in tables(path):
            heads = table.heads
            # The column of the cell that names each row (none in a table of totals).
            at = (None if heads and heads[0] in SUMMARIES
                  else 1 if tuple(heads[:2]) in NAMED_BY_SECOND else 0)
            for row in table.rows:
                shape = [(tag, scope) for tag, scope, _ in row]
                want = [("th", "row") if i == at else ("td", None) for i in range(len(row))]
                if shape != want:
                    wrong.append(f"{address} {heads[:2]}: {shape} in {[t for *_, t in row]}")
                elif at is not None:
                    named[heads[0]] = named.get(heads[0], 0) + 1
    return named, wrong


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sample"), REPO)
    built = mkdocs_build(project, SAMPLE_AS_OF)
    assert built.returncode == 0, built.stdout + built.stderr
    return project / "site"


def test_every_table_of_the_sample_names_its_rows(sample_site: Path) -> None:
    named, wrong = misnamed_rows(sample_site)
    assert wrong == [], "\n".join(wrong[:20])
    # Every kind of table the brief of a screen reader's user asks for is there: the teams,
    # causes and indicators indexes, the home page's, the register's follow-through tables,
    # a review's scorecard, the readings and actions tables, What's new.
    for heading in ("Team", "Cause", "Indicator", "Signal", "Owner", "Metric", "Month",
                    "Action", "When", "Assumption", "Category", "Plan", "Kind", "Post-mortem",
                    "Competitor", "Quarter"):
        assert named.get(heading, 0) > 0, (heading, named)


def _rows(site: Path, address: str, first: str) -> list[list[tuple[str, str | None, str]]]:
    """The body rows of the tables on ``address`` whose first column is headed ``first``."""
    found = [t for t in tables(site / address / "index.html") if t.heads[:1] == [first]]
    assert found, (address, first)
    return [row for table in found for row in table.rows]


def test_a_row_of_counts_says_whose_they_are(sample_site: Path) -> None:
    # The teams index: "Sales" heads its row of counts; a screen reader reads "Sales, Open
    # actions (overdue included), 4", not "Open actions (overdue included), 4".
    teams = _rows(sample_site, "teams", "Team")
    assert [row[0] for row in teams][:2] == [("th", "row", "Marketing"), ("th", "row", "Sales")]
    assert all(tag == "td" for row in teams for tag, _, _ in row[1:])
    home = _rows(sample_site, "", "Signal")
    assert [row[0] for row in home] == [
        ("th", "row", "Overdue actions"), ("th", "row", "Open, not yet due"),
        ("th", "row", "Follow-through (done by the first due date)"),
        ("th", "row", "Causes back after their fix")]
    owners = _rows(sample_site, "actions", "Owner")
    # Most overdue first (the register's order), each row headed by its owner.
    assert all(row[0][:2] == ("th", "row") for row in owners), owners
    assert "Aisha Mensah" in {row[0][2] for row in owners}, owners
    scorecard = _rows(sample_site, "records/2026-q3-review", "Metric")
    assert scorecard[0][0] == ("th", "row", "New ARR"), scorecard[0]
    # What's new: the record names the row, its date is a cell of it.
    changes = _rows(sample_site, "whats-new", "When")
    assert [cell[:2] for cell in changes[0]] == [("td", None), ("th", "row"), ("td", None),
                                                 ("td", None)], changes[0]
    assert all(row[1][2] and not re.fullmatch(r"[\d-]+", row[1][2]) for row in changes), changes


def test_a_row_header_reads_as_the_cell_it_was(sample_site: Path) -> None:
    # Material sets a header cell bold with a 5rem minimum width and no line above it; a row's
    # header keeps the body's weight, a cell's line and width, as the first cell had.
    css = (sample_site / "stylesheets" / "hindsight.css").read_text(encoding="utf-8")
    rule = css.split('.md-typeset tbody th[scope="row"] {', 1)[1].split("}", 1)[0]
    assert "font-weight: inherit;" in rule and "min-width: 0;" in rule
    assert "border-top: 0.05rem solid var(--md-typeset-table-color);" in rule


# A knowledge base shaped unlike the sample: a company-wide action (no team), owners written in
# Arabic and Japanese, a scorecard in a unit Hindsight does not know, a post-mortem of no listed
# kind, and record text with markup characters in the cells that name rows.
ODD_TEXT = "Buyers read <b>whitepapers</b> | all & every one"


def _odd_kb(root: Path) -> Path:
    shutil.copytree(FIXTURES / "corpus", root)
    launch = root / "postmortems" / "2026-04-the-apollo-launch.md"
    launch.write_text(launch.read_text(encoding="utf-8")
                      .replace("kind: campaign", "kind: other\nplan_kind: launch")
                      .replace("  - statement: Finance leaders read whitepapers.",
                               f'  - statement: "{ODD_TEXT}"')
                      .replace("    what: Campaign launched",
                               '    what: "Launched: *bold* [not a link](x) | pipe"')
                      .replace("  - {metric: MQLs,",
                               '  - {metric: "Setup & prep | v2", goal: 36, actual: 40, '
                               'unit: "hours (h & m)", better: down}\n  - {metric: MQLs,')
                      .replace("owner: Ravi Shah", "owner: محمد علي"), encoding="utf-8")
    review = root / "retros" / "2026-q2-review.md"
    review.write_text(review.read_text(encoding="utf-8")
                      .replace("owner: Ava Brooks", "owner: 佐藤花子")
                      .replace("  - {metric: Sales cycle,",
                               "  - {metric: CAC payback, goal: 18, actual: 16.5, "
                               "unit: months, better: down}\n  - {metric: Sales cycle,"),
                      encoding="utf-8")
    return root


def test_rows_of_records_shaped_otherwise_are_named_and_their_text_shown_as_typed(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", _odd_kb(tmp_path / "kb"))
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    named, wrong = misnamed_rows(site)
    assert wrong == [], "\n".join(wrong[:20])
    assert named.get("Team", 0) >= 2 and named.get("Assumption", 0) >= 2, named
    # The review is company-wide: its action's row on the register's team table is named so.
    teams = _rows(site, "actions", "Team")
    assert ("th", "row", "Company-wide") in [row[0] for row in teams], teams
    owners = [row[0][2] for row in _rows(site, "actions", "Owner")]
    assert "محمد علي" in owners and "佐藤花子" in owners, owners
    # Record text in a row's header is text: markup shows as typed, nothing is live.
    page = site / "records" / "2026-04-the-apollo-launch" / "index.html"
    html = page.read_text(encoding="utf-8")
    assumptions = _rows(site, "records/2026-04-the-apollo-launch", "Assumption")
    assert assumptions[0][0] == ("th", "row", ODD_TEXT), assumptions[0]
    assert ('<th scope="row">Buyers read &lt;b&gt;whitepapers&lt;/b&gt; | all &amp; every '
            "one</th>") in html
    plan = _rows(site, "records/2026-04-the-apollo-launch", "Metric")
    assert plan[0][:3] == [("th", "row", "Setup & prep | v2"), ("td", None, "36 hours (h & m)"),
                           ("td", None, "40 hours (h & m)")], plan[0]
    timeline = _rows(site, "records/2026-04-the-apollo-launch", "When")
    assert timeline[0] == [("th", "row", "2026-04-01"),
                           ("td", None, "Launched: *bold* [not a link](x) | pipe")], timeline
    ledger = _rows(site, "postmortems", "Post-mortem")
    assert ("th", "row", "The Apollo Launch · Launches") in [row[0] for row in ledger], ledger
    scorecard = _rows(site, "records/2026-q2-review", "Metric")
    assert [row[0][2] for row in scorecard][:2] == ["New ARR", "Win rate"], scorecard
    assert scorecard[2][:3] == [("th", "row", "CAC payback"), ("td", None, "18 months"),
                                ("td", None, "16.5 months")], scorecard[2]


# A record's own tables (raw HTML in its body) keep a header cell's scope when it is a row's
# or a column's, and nothing else: `rowgroup` would make a cell head rows that are not its own.
BODY_TABLE = """<table>
<tr><th scope="col">Stage</th><th scope="col">Deals</th></tr>
<tr><th scope="row">Discovery</th><td>12</td></tr>
</table>
"""

RETRO = """---
type: retro
period: 2026-05
team: sales
held: 2026-06-04
facilitator: Dana Ruiz
format: five-whys
---

# Sales retro — May 2026

{body}
"""


def test_a_body_s_row_and_column_headers_are_published(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO.format(body=BODY_TABLE)})
    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, "2026-06-15")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "records" / "2026-05-sales" / "index.html").read_text("utf-8")
    assert '<th scope="col">Stage</th><th scope="col">Deals</th>' in page, page
    assert '<th scope="row">Discovery</th><td>12</td>' in page, page


@pytest.mark.parametrize(("written", "message"), [
    ('<th scope="rowgroup">Discovery</th>', 'scope="rowgroup" on <th> is not allowed (write '
     "scope=\"row\" for a row's header or scope=\"col\" for a column's)"),
    ('<th scope="colgroup">Discovery</th>', 'scope="colgroup" on <th> is not allowed'),
    ('<th scope="r&#111;wgroup">Discovery</th>', 'scope="rowgroup" on <th> is not allowed'),
    ('<th scope="ROW">Discovery</th>', 'scope="ROW" on <th> is not allowed'),
    ('<td scope="row">Discovery</td>', "attribute scope on <td> is not allowed"),
])
def test_a_body_s_other_scope_is_a_located_error_and_never_published(
        tmp_path: Path, written: str, message: str) -> None:
    body = BODY_TABLE.replace('<th scope="row">Discovery</th>', written)
    text = RETRO.format(body=body)
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": text})
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 1, checked.output
    line = text.splitlines().index(f"<tr>{written}<td>12</td></tr>") + 1
    assert f"retros/2026-05-sales.md:{line}:" in checked.output, checked.output
    assert f"  body  {message}" in checked.output, checked.output
    # What the record's page would publish: the header cell without that scope.
    from generator.records.body import renderer_for

    published = renderer_for(root).safe_html(body)
    assert "Discovery" in published and "group" not in published.lower(), published
    assert 'scope="ROW"' not in published and '<td scope' not in published, published


def test_the_site_s_own_pass_keeps_only_row_and_column_scopes() -> None:
    # Defence in depth: every generated page's HTML passes the allowlist again (the plugin).
    from generator.records.sanitize import sanitize, sanitize_body

    written = ('<table><tr><th scope="col">a</th><th scope="row">b</th><th scope="rowgroup">c'
               '</th><th scope="colgroup">d</th><th scope="auto">e</th><td scope="row">f</td>'
               "</tr></table>")
    kept = ('<table><tbody><tr><th scope="col">a</th><th scope="row">b</th><th>c</th><th>d</th>'
            "<th>e</th><td>f</td></tr></tbody></table>")
    assert sanitize(written) == kept
    assert sanitize_body(written) == kept
