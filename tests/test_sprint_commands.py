"""The commands around a team that meets every sprint (``retros: biweekly``), shaped unlike
the sample and unlike `test_sprint_cadence`: a BDR pod holding two or three retros a month,
the month's last one giving its readings, beside a monthly sales team; its meetings booked
split by region (EMEA, Americas, APAC), its reply rate not split."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_kb, run_cli

TAXONOMY = """\
company: Larkspur
causes:
  - id: thin-lists
    title: Thin prospect lists
    description: The lists the BDRs call run out mid-sprint.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
    segment_by: region
    segments: {emea: EMEA, amer: Americas, apac: APAC}
  - id: reply-rate
    label: Reply rate
    unit: rate
    better: up
teams:
  - id: bdr
    name: BDR Pod
    retros: biweekly
  - id: sales
    name: Sales
plan_kinds:
  - id: outbound
    title: Outbound plays
"""

SPRINTS = {"2026-05": ["2026-06-01"], "2026-06": ["2026-06-12", "2026-07-01"],
           "2026-07": ["2026-07-10", "2026-07-24", "2026-08-01"],
           "2026-08": ["2026-08-14", "2026-09-01"],
           "2026-09": ["2026-09-11", "2026-09-25", "2026-10-02"]}
"""The BDR pod's sprint retros, by month: the days each was held, the last giving the
month's readings."""

READINGS = {"2026-05": (20, 30, 10, "40/400"), "2026-06": (21, 31, 10, "41/400"),
            "2026-07": (22, 30, 11, "42/400"), "2026-08": (21, 31, 10, "41/400"),
            "2026-09": (20, 12, 9, "30/400")}
"""Meetings booked in EMEA, the Americas and APAC, and the reply rate, by month: September's
Americas fell from 31 to 12, its other regions by one each, the overall 62 to 41."""

AS_OF = "2026-10-15"


def retro(team: str, month: str, held: str, readings: str = "") -> str:
    """A retro of ``team`` for ``month`` held on ``held``, giving ``readings`` (none: ``{}``)."""
    given = f"indicators:\n{readings}" if readings else "indicators: {}\n"
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            f"facilitator: Noor Haddad\nformat: went-well-didnt\n{given}---\n\nThe sprint.\n")


def records() -> dict[str, str]:
    """Eleven sprint retros of the BDR pod over five months, and Sales's five monthly ones."""
    files: dict[str, str] = {}
    for month, days in SPRINTS.items():
        emea, amer, apac, replies = READINGS[month]
        for n, day in enumerate(days, 1):
            name = f"retros/{month}-bdr.md" if n == 1 else f"retros/{month}-bdr-{n}.md"
            files[name] = retro("bdr", month, day, (
                f"  meetings-booked: {{emea: {emea}, amer: {amer}, apac: {apac}}}\n"
                f"  reply-rate: \"{replies}\"\n") if n == len(days) else "")
    for i, month in enumerate(SPRINTS):
        files[f"retros/{month}-sales.md"] = retro(
            "sales", month, f"2026-{int(month[5:]) + 1:02d}-03", f"  reply-rate: \"{50 + i}/500\"\n")
    return files


def kb(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """The knowledge base of ``files`` (default: `records`)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "larkspur.yml").write_text(TAXONOMY, encoding="utf-8")
    return make_kb(tmp_path / "kb", records() if files is None else files,
                   taxonomy=tmp_path / "larkspur.yml")


def test_validate_counts_sprint_retros_apart(tmp_path: Path) -> None:
    """validate's summary said "16 records: 16 retros, …" of the BDR pod's eleven sprint
    retros beside Sales's five monthly ones, while the home page counts them apart ("5
    monthly retros, 11 sprint retros"); it says so too now, and so does the JSON summary."""
    root = kb(tmp_path)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "16 records: 5 monthly retros, 11 sprint retros, 0 quarterly reviews, 0 post-mortems")
    data = json.loads(run_cli("validate", "--root", str(root), "--as-of", AS_OF,
                              "--format", "json").stdout)
    assert data["summary"]["records"] == 16
    assert data["summary"]["retros"] == {"monthly": 5, "sprint": 11}
    # As of 1 October, September's last sprint (held 2 October) and Sales's September retro
    # (held 3 October) are left out of the site, and of the counts.
    early = run_cli("validate", "--root", str(root), "--as-of", "2026-10-01")
    assert early.output.splitlines()[-1] == (
        "14 records: 4 monthly retros, 10 sprint retros, 0 quarterly reviews, 0 post-mortems; "
        "2 more held after 2026-10-01, left out of the site until then"), early.output
    # The pod alone: its sprint retros alone, no "0 monthly retros".
    alone = kb(tmp_path / "alone", {path: text for path, text in records().items()
                                    if "-bdr" in path})
    result = run_cli("validate", "--root", str(alone), "--as-of", AS_OF)
    assert result.output.splitlines()[-1] == (
        "11 records: 11 sprint retros, 0 quarterly reviews, 0 post-mortems"), result.output
    # No team meeting every sprint: the line reads as before, retros counted as one.
    monthly = kb(tmp_path / "monthly", {path: text for path, text in records().items()
                                        if "-sales" in path})
    result = run_cli("validate", "--root", str(monthly), "--as-of", AS_OF)
    assert result.output.splitlines()[-1] == (
        "5 records: 5 retros, 0 quarterly reviews, 0 post-mortems"), result.output
    data = json.loads(run_cli("validate", "--root", str(monthly), "--as-of", AS_OF,
                              "--format", "json").stdout)
    assert data["summary"]["retros"] == {"monthly": 5}


def _prep(root: Path, period: str, held: str) -> str:
    """The agenda of the BDR pod's draft prep writes for ``period``, held on ``held``."""
    result = run_cli("prep", "--root", str(root), "--team", "bdr", "--period", period,
                     "--held", held, "--as-of", AS_OF, "--facilitator", "Noor Haddad")
    assert result.exit_code == 0, result.output
    text = Path(result.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    return text[text.index("## Agenda"):text.index("## Actions carried over")]


def test_prep_names_the_sprint_whose_readings_it_reads(tmp_path: Path) -> None:
    """Prepared for the BDR pod's second sprint of October, after a first that gave no
    readings, the agenda said the readings it showed were "September 2026, the team's latest
    retro": the latest retro was October's first sprint, and which of September's three gave
    them was not said. It names that retro as the site titles it."""
    files = records()
    files["retros/2026-10-bdr.md"] = retro("bdr", "2026-10", "2026-10-09")
    agenda = _prep(kb(tmp_path, files), "2026-10", "2026-10-23")
    assert ("No readings were given for October 2026; these moved the wrong way in September "
            "2026, the\nteam's latest readings, given in retros/2026-09-bdr-3.md (BDR Pod retro "
            "— September 2026, sprint 3, held 2026-10-02).\nFor this month's agenda, export the "
            "month's readings as CSV") in agenda, agenda
    assert "latest retro" not in agenda, agenda
    # June's reply rate worse than May's, its only month before: no trend to judge it by.
    early = {path: text.replace('"41/400"', '"30/400"') for path, text in records().items()
             if path[7:14] in ("2026-05", "2026-06")}
    agenda = _prep(kb(tmp_path / "early", early), "2026-07", "2026-07-10")
    assert ("No readings were given for July 2026; below is how June 2026, the team's latest\n"
            "readings, given in retros/2026-06-bdr-2.md (BDR Pod retro — June 2026, sprint 2, "
            "held 2026-07-01), compares with the team's reading before it.") in agenda, agenda
    # August as July, APAC's 10 back to 11: nothing moved.
    flat = {path: text.replace("apac: 10}", "apac: 11}") if "2026-08-bdr" in path else text
            for path, text in records().items() if "2026-09" not in path}
    agenda = _prep(kb(tmp_path / "flat", flat), "2026-09", "2026-09-11")
    assert ("nothing moved the wrong way against both its\nmonth before and the 3-month trend in "
            "August 2026, the team's latest readings,\ngiven in retros/2026-08-bdr-2.md (BDR Pod "
            "retro — August 2026, sprint 2, held 2026-09-01).\n") in agenda, agenda


def _rows(agenda: str) -> list[str]:
    """The agenda's table rows: indicator and segment."""
    return [" | ".join(line.split(" | ")[:2]) for line in agenda.splitlines()
            if line.startswith("| ") and not line.startswith(("| Indicator", "| ---"))]


def test_prep_lists_an_indicators_overall_before_its_segments(tmp_path: Path) -> None:
    """September's meetings booked fell in every region, the Americas furthest (31 to 12),
    and overall (62 to 41). Worst first alone, the agenda listed "Americas", then "all", then
    the reply rate, then APAC and EMEA: the overall among the segments and the indicator's
    rows split by another's. Each indicator's rows are together now, its overall first, as
    the site's readings tables list a month, and its segments after, worst first."""
    agenda = _prep(kb(tmp_path), "2026-10", "2026-10-09")
    assert _rows(agenda) == ["| Meetings booked | all", "| Meetings booked | Americas",
                             "| Meetings booked | APAC", "| Meetings booked | EMEA",
                             "| Reply rate | all"], agenda
    assert "| Meetings booked | all | 41 | 62 | 62.33 | \u221221 | \u221221.33 |" in agenda
    # September's readings from a CSV, its retros not written yet: the same order.
    files = {path: text for path, text in records().items() if "2026-09" not in path}
    root = kb(tmp_path / "csv", files)
    export = tmp_path / "september.csv"
    export.write_text("indicator,segment,value\nmeetings-booked,emea,20\nmeetings-booked,amer,12\n"
                      "meetings-booked,apac,9\nreply-rate,,0.075\n", encoding="utf-8")
    result = run_cli("prep", "--root", str(root), "--team", "bdr", "--period", "2026-09",
                     "--held", "2026-10-02", "--as-of", AS_OF, "--facilitator", "Noor Haddad",
                     "--metrics", str(export))
    assert result.exit_code == 0, result.output
    text = (root / "retros/2026-09-bdr.md").read_text(encoding="utf-8")
    assert _rows(text[text.index("## Agenda"):])[:4] == [
        "| Meetings booked | all", "| Meetings booked | Americas", "| Meetings booked | APAC",
        "| Meetings booked | EMEA"], text
    # Readings with no trend yet (June after May alone), each region worse: the overall,
    # then the regions in the taxonomy's order (EMEA, Americas, APAC), not by id.
    early = {path: text.replace("emea: 21, amer: 31, apac: 10", "emea: 19, amer: 25, apac: 9")
             for path, text in records().items() if path[7:14] in ("2026-05", "2026-06")}
    agenda = _prep(kb(tmp_path / "early", early), "2026-07", "2026-07-10")
    assert _rows(agenda) == ["| Meetings booked | all", "| Meetings booked | EMEA",
                             "| Meetings booked | Americas", "| Meetings booked | APAC"], agenda


def test_prep_offers_the_readings_the_team_gives(tmp_path: Path) -> None:
    """The taxonomy lists the sales team's pipeline and win rate first. prep's draft of the
    BDR pod's October offered "pipeline: 58" and "win-rate" as its example readings, which
    the pod never gives: it read the indicators of September's first sprint alone, which
    gave none (its third gives the month's). It offers the pod's own."""
    files = records()
    (tmp_path / "wide").mkdir()
    taxonomy = TAXONOMY.replace("indicators:\n", "indicators:\n  - id: pipeline\n"
                                "    label: Pipeline created\n    unit: count\n    better: up\n"
                                "  - id: win-rate\n    label: Win rate\n    unit: rate\n"
                                "    better: up\n", 1)
    (tmp_path / "wide" / "larkspur.yml").write_text(taxonomy, encoding="utf-8")
    root = make_kb(tmp_path / "wide" / "kb", files, taxonomy=tmp_path / "wide" / "larkspur.yml")
    result = run_cli("prep", "--root", str(root), "--team", "bdr", "--period", "2026-10",
                     "--held", "2026-11-02", "--as-of", "2026-11-05",
                     "--facilitator", "Noor Haddad")
    assert result.exit_code == 0, result.output
    text = (root / "retros/2026-10-bdr.md").read_text(encoding="utf-8")
    assert ("indicators:\n#   meetings-booked: {emea: 20, amer: 12, apac: 9}\n"
            "#   reply-rate: \"30/400\"\n") in text, text
    assert "pipeline" not in text, text
