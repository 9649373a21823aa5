"""A header cell's ``scope`` says which cells it heads: a record's own tables (raw HTML in its
body) may name a row's header or a column's, and nothing else; the site's own pass over every
generated page keeps the same two."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_kb, run_cli
from sitetools import make_project, mkdocs_build


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
