"""data/records.json|csv: what each column says of a post-mortem, by the plan kind it informs.
Records shaped like an operations team's: an outage and an offsite filed `kind: other`, beside
a renewal lost, under a taxonomy with a Renewals plan kind."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from conftest import FIXTURES, make_kb
from generator.errors import Severity
from generator.paths import RenderOptions
from generator.records.validate import check
from generator.site.build import build


def postmortem(name: str, kind: str, outcome: str, extra: str = "") -> str:
    """A post-mortem of the sales team, held in September 2026."""
    return (f"---\ntype: postmortem\nname: {name}\nkind: {kind}\n{extra}outcome: {outcome}\n"
            f"summary: {name} went as it went.\nteam: sales\nevent_ended: 2026-09-01\n"
            "held: 2026-09-08\nkeeper: Ines Ortega\nparticipants: [Ines Ortega, Tom Berg]\n"
            "causes:\n  - cause: icp-drift\n    whys: [The list was old]\n"
            f"---\n\n# {name}\n\nWhat happened.\n")


FILES = {
    "postmortems/2026-09-the-crm-outage.md": postmortem("The CRM Outage", "other", "loss"),
    "postmortems/2026-09-the-lisbon-offsite.md": postmortem(
        "The Lisbon Offsite", "other", "win", "plan_kind: launch\n"),
    "postmortems/2026-09-the-orla-renewal.md": postmortem(
        "The Orla Renewal", "deal-lost", "loss", "plan_kind: renewals\ndeal:\n  customer: Orla\n"
        "  chose_us: false\n  why: A cheaper tool.\n  competitor: Corvex\n"),
    "postmortems/2026-09-the-brask-deal.md": postmortem(
        "The Brask Deal", "deal-won", "win", "deal:\n  customer: Brask\n  chose_us: true\n"
        "  why: The integration.\n  competitor: Corvex\n"),
}


def test_a_post_mortem_informing_no_plan_kind_is_neither_renewal_nor_not(tmp_path: Path) -> None:
    """The CRM outage, `kind: other` with no `plan_kind:`, informs no plan kind: the export
    gave it `plan_kind: null` but `renewal: false`, as if it were known to be no renewal. Both
    are null now (empty cells in CSV); one that names a plan kind says whether it renews."""
    taxonomy = (FIXTURES / "taxonomy.yml").read_text(encoding="utf-8").replace(
        "plan_kinds:\n", "plan_kinds:\n  - id: renewals\n    title: Renewals\n")
    (tmp_path / "ops.yml").write_text(taxonomy, encoding="utf-8")
    root = make_kb(tmp_path / "kb", FILES, tmp_path / "ops.yml")
    day = dt.date(2026, 10, 1)
    assert [p.format() for p in check(root, as_of=day).problems.sorted()
            if p.severity is Severity.ERROR] == []
    files = build(root, day, RenderOptions()).files
    rows = {row["id"]: (row["kind"], row["plan_kind"], row["renewal"])
            for row in json.loads(files["data/records.json"])}
    assert rows == {
        "2026-09-the-crm-outage": ("other", None, None),
        "2026-09-the-lisbon-offsite": ("other", "launch", False),
        "2026-09-the-orla-renewal": ("deal-lost", "renewals", True),
        "2026-09-the-brask-deal": ("deal-won", "deal", False),
    }
    table = {row["id"]: (row["plan_kind"], row["renewal"]) for row in csv.DictReader(
        io.StringIO(files["data/records.csv"].decode("utf-8")))}
    assert table == {
        "2026-09-the-crm-outage": ("", ""),
        "2026-09-the-lisbon-offsite": ("launch", "False"),
        "2026-09-the-orla-renewal": ("renewals", "True"),
        "2026-09-the-brask-deal": ("deal", "False"),
    }
