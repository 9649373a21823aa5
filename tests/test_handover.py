"""Handing an action to another owner (``action_updates[].owner``): someone leaves or moves on
and their open actions go to a colleague.

Nordfjord's records (another company's taxonomy: teams and names unlike the sample's): Kari
Nordmann raises two actions in March; in April she moves to partner sales and hands one to
Lars Berg, while the other update names her again in lower case, which hands nothing over.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import NORDFJORD, run_cli
from generator.site.build import build
from sitetools import make_project, mkdocs_build, table_rows

AS_OF = dt.date(2026, 6, 15)


def _retro(period: str, held: str, extra: str) -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: field-sales\nheld: {held}\n"
            "facilitator: Ingrid Dahl\nparticipants: [Ingrid Dahl, Kari Nordmann, Lars Berg]\n"
            f"format: went-well-didnt\n{extra}---\n\nNotes.\n")


MARCH = _retro("2026-03", "2026-04-02", (
    "actions:\n"
    "  - {id: FS-1, title: Map every DACH account to one rep, owner: Kari Nordmann, "
    "due: 2026-05-31}\n"
    "  - {id: FS-2, title: Call the Nordics renewals, owner: Kari Nordmann, "
    "due: 2026-07-20}\n"))
APRIL = _retro("2026-04", "2026-05-04", (
    "action_updates:\n"
    "  - id: FS-1\n"
    "    status: in-progress\n"
    "    owner: Lars Berg\n"
    "    note: Kari moved to partner sales.\n"
    "  - id: FS-2\n"
    "    status: open\n"
    "    owner: kari nordmann\n"))


def _kb(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    (root / "retros").mkdir()
    (root / "retros" / "2026-03-field-sales.md").write_text(MARCH, encoding="utf-8")
    (root / "retros" / "2026-04-field-sales.md").write_text(APRIL, encoding="utf-8")
    return root


def test_a_handed_over_action_is_the_new_owners_from_that_record_on(tmp_path: Path) -> None:
    root = _kb(tmp_path / "kb")
    files = build(root, AS_OF).files
    lars = files["actions/owners/lars-berg.md"].decode()
    kari = files["actions/owners/kari-nordmann.md"].decode()
    assert "<code>FS-1</code>" in lars and "<code>FS-1</code>" not in kari, kari
    assert "<code>FS-2</code>" in kari and "<code>FS-2</code>" not in lars, lars
    register = files["actions/index.md"].decode()
    fs1 = next(line for line in register.splitlines() if "<code>FS-1</code>" in line)
    fs2 = next(line for line in register.splitlines() if "<code>FS-2</code>" in line)
    assert ('Lars Berg</a> <span class="hs-note">handed over from Kari Nordmann</span>'
            in fs1), fs1
    assert "handed over" not in fs2, fs2  # her own name again, in lower case: no hand-over
    raised = files["records/2026-03-field-sales.md"].decode()
    assert "Handed over from Kari Nordmann to Lars Berg per <a href=" in raised
    assert raised.count("Handed over") == 1, raised
    updated = files["records/2026-04-field-sales.md"].decode()
    assert "Handed over from Kari Nordmann to Lars Berg here" in updated, updated
    rows = {row["id"]: row for row in json.loads(files["data/actions.json"])}
    assert (rows["FS-1"]["owner"], rows["FS-1"]["owner_id"], rows["FS-1"]["first_owner"]) == (
        "Lars Berg", "lars-berg", "Kari Nordmann")
    assert (rows["FS-2"]["owner"], rows["FS-2"]["first_owner"]) == (
        "kari nordmann", "Kari Nordmann")
    # Before the April retro was held, nothing was handed over yet.
    before = build(root, dt.date(2026, 4, 30)).files
    assert "actions/owners/lars-berg.md" not in before
    assert "<code>FS-1</code>" in before["actions/owners/kari-nordmann.md"].decode()


def test_the_command_line_finds_a_handed_over_action_under_its_new_owner(tmp_path: Path) -> None:
    root = _kb(tmp_path / "kb")
    day = AS_OF.isoformat()
    lars = run_cli("actions", "--owner", "Berg, Lars", "--root", str(root), "--as-of", day)
    assert lars.exit_code == 0, lars.output
    assert "FS-1" in lars.output and "FS-2" not in lars.output, lars.output
    # The table wraps the owner's cell: "Lars Berg (handed over" above "from Kari Nordmann)".
    assert "Lars Berg (handed" in lars.output and "Nordmann)" in lars.output, lars.output
    kari = run_cli("actions", "--owner", "Kari Nordmann", "--root", str(root), "--as-of", day)
    table, _, said = kari.output.partition("1 action\n")
    assert "FS-2" in table and "FS-1" not in table, kari.output
    # The action she handed over is not hers now, and the command says where it went.
    assert ("Kari Nordmann owned FS-1 until it was handed to Lars Berg on 2026-05-04 "
            "(2026-04-field-sales)") in " ".join(said.split()), kari.output
    # FS-1, due 2026-05-31, is overdue on 2026-06-15: the warning names who owns it now.
    checked = run_cli("validate", "--root", str(root), "--as-of", day)
    assert checked.exit_code == 0, checked.output
    assert "action FS-1 is overdue (due 2026-05-31, owner Lars Berg)" in checked.output
    # The update writing her name in lower case is located like an action's owner.
    assert ("retros/2026-04-field-sales.md:16:12  action_updates[1].owner  warning: "
            "'kari nordmann' is the same owner as 'Kari Nordmann' (so written twice)"
            in checked.output), checked.output


def test_the_published_register_names_the_earlier_owner(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    register = (project / "site" / "actions" / "index.html").read_text(encoding="utf-8")
    row = next(r for r in table_rows(register) if "`FS-1`" in r)
    assert "[Lars Berg](../actions/owners/lars-berg/) handed over from Kari Nordmann" in row, row
