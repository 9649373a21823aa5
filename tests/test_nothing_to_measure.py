"""A segment written with no value (``enterprise:``): nothing to measure that month.

It is no reading and not a segment left out. Where an earlier month left that segment out
altogether, the month compares as if it were not written: on the trend tables, the chart's
overall line and its takeaway, "did it work", the readings export, validation's warnings and
the wrong-way moves ``hindsight recall`` reports; and a quarter's figure for the segment
counts the month as given, not missing. Every figure
is worked out by hand on Plainco's records (``fixtures/taxonomy-plain.yml``), shaped unlike
the sample.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from test_rollup import TAXONOMY, retro, review

from conftest import make_kb, run_cli
from sitetools import table_rows

AS_OF = "2026-09-20"


def _generate(tmp_path: Path, files: dict[str, str], as_of: str = AS_OF) -> Path:
    """Generate the site's tree with the real command; the folder written."""
    root = make_kb(tmp_path / "kb", files, TAXONOMY)
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", as_of,
                        "--quiet")
    assert generated.exit_code == 0, generated.output
    return out


def _row(page: str, period: str, segment: str = "all") -> str:
    """A trend table's row of a month."""
    return next(line for line in page.splitlines()
                if f'<th scope="row" class="hs-date">{period}</th><td>{segment}</td>' in line)


def _win_rate_months() -> dict[str, str]:
    """Growth's win rate, smb and enterprise. January gives both, 13/60 = 21.7 %; February
    leaves enterprise out (smb 12/48 = 25.0 %); March had no enterprise deals and writes
    ``enterprise:`` (smb 15/50 = 30.0 %); from April on, smb alone: 13/50 = 26.0 %, 14/50 =
    28.0 % (A-1 done in May), 16/50 = 32.0 %, 17/50 = 34.0 %, 18/50 = 36.0 %."""
    month = "  win-rate: {{smb: \"{}\"}}\n"
    smb = {"2026-04": "13/50", "2026-05": "14/50", "2026-06": "16/50", "2026-07": "17/50",
           "2026-08": "18/50"}
    files = {
        "retros/2026-01-growth.md": retro(
            "2026-01", '  win-rate: {smb: "10/50", enterprise: "3/10"}\n', extra=(
                "actions:\n  - {id: A-1, title: Qualify out early, owner: Kim, "
                "due: 2026-05-29, indicator: win-rate}\n")),
        "retros/2026-02-growth.md": retro("2026-02", month.format("12/48")),
        "retros/2026-03-growth.md": retro(
            "2026-03", '  win-rate: {smb: "15/50", enterprise: }\n'),
        **{f"retros/{period}-growth.md": retro(period, month.format(counts))
           for period, counts in smb.items()},
    }
    files["retros/2026-05-growth.md"] = retro("2026-05", month.format("14/50"), extra=(
        "action_updates:\n  - {id: A-1, status: done, done_on: 2026-05-12}\n"))
    return files


def test_a_month_with_nothing_to_measure_after_one_that_left_the_segment_out(
        tmp_path: Path) -> None:
    """March wrote ``enterprise:`` after February left enterprise out: it pools what February
    and April pool, and is compared with them. It was compared with January, the last month
    that gave enterprise ("+8.3 pp vs January 2026"), and April with February ("+1.0 pp vs
    February 2026"), March off the chart's line.

    March: 30.0 − 25.0 = +5.0 pp; one month before it on the line, no trend yet: new. April:
    26.0 − 30.0 = −4.0 pp; the mean of February and March, 27.5 %: −1.5 pp; wrong way."""
    out = _generate(tmp_path, _win_rate_months())
    page = (out / "indicators" / "win-rate.md").read_text()
    march = _row(page, "2026-03")
    assert ('>30.0%</a></td><td class="hs-num">+5.0 pp</td><td class="hs-num">–</td>'
            "<td>new</td>") in march, march
    april = _row(page, "2026-04")
    assert ('>26.0%</a></td><td class="hs-num">−4.0 pp</td><td class="hs-num">−1.5 pp</td>'
            "<td><strong>wrong way</strong></td>") in april, april
    # The chart's line and its takeaway hold March (30.0 %), which ends the run of rises:
    # April to August, 26.0 % → 36.0 %, four months; not five readings from February's 25.0 %.
    assert ("Win rate for Growth rose four months running to August 2026, 26.0% → 36.0% — "
            "better.") in page
    # The readings export compares them so too.
    with (out / "data" / "readings.csv").open(encoding="utf-8") as f:
        rows = {r["period"]: r for r in csv.DictReader(f)
                if r["indicator"] == "win-rate" and r["segment"] == "all"}
    assert (rows["2026-03"]["prior_period"], rows["2026-03"]["vs_prior"]) == ("2026-02", "0.05")
    april_row = rows["2026-04"]
    assert (april_row["prior_period"], april_row["trailing_mean"], april_row["verdict"]) == (
        "2026-03", "0.275", "wrong way")


def test_did_it_work_reads_the_month_with_nothing_to_measure(tmp_path: Path) -> None:
    """A-1 was done on 12 May. Before: February, March and April, (25.0 + 30.0 + 26.0) / 3 =
    27.0 %; after: June to August, (32 + 34 + 36) / 3 = 34.0 %: +7.0 pp. The usual variation
    is the median month-to-month change of February to August (5, 4, 2, 4, 2, 2 points):
    3.0 pp, so the right way. Without March on the line there were two readings before."""
    out = _generate(tmp_path, _win_rate_months())
    page = (out / "actions" / "effectiveness.md").read_text()
    row = next(line for line in page.splitlines() if "<code>A-1</code>" in line)
    assert "Before: </span>27.0% (2026-02 to 2026-04)" in row, row
    assert "After: </span>34.0% (2026-06 to 2026-08)" in row, row
    assert "Usual variation: </span>±3.0 pp" in row, row


def test_validate_does_not_call_the_next_month_one_that_left_the_segment_out(
        tmp_path: Path) -> None:
    """April gives smb alone, as February did before March's ``enterprise:``: nothing is left
    out. It was warned that it "leaves out enterprise, which 2026-03-growth gave", though
    March gave no enterprise figure. February, which did leave it out, is still warned."""
    root = make_kb(tmp_path / "kb", _win_rate_months(), TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "leaves out" in line]
    assert warned == [
        "retros/2026-02-growth.md:9:3  indicators.win-rate  warning: win-rate leaves out "
        "enterprise, which 2026-01-growth gave: this month's overall combines only smb, so it "
        "is not compared with earlier months (give every segment; one with nothing to measure "
        "this month (no deals, none live) is written with no value, as 'enterprise:', not 0, "
        "which would count as a reading of 0; leave this as it is if the segment is gone for "
        "good)"], result.output


def test_after_a_month_that_gave_the_segment_it_is_still_compared_as_ever(
        tmp_path: Path) -> None:
    """January and February give enterprise; March writes ``enterprise:``; April leaves it
    out. March pools smb alone, 15/50 = 30.0 %, and is compared with February, 14/60 =
    23.3 %: +6.7 pp, no "vs"; April (smb 13/50 = 26.0 %) leaves out enterprise, which
    February gave (not March), and starts anew."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro(
            "2026-01", '  win-rate: {smb: "10/50", enterprise: "3/10"}\n'),
        "retros/2026-02-growth.md": retro(
            "2026-02", '  win-rate: {smb: "12/50", enterprise: "2/10"}\n'),
        "retros/2026-03-growth.md": retro(
            "2026-03", '  win-rate: {smb: "15/50", enterprise: }\n'),
        "retros/2026-04-growth.md": retro("2026-04", '  win-rate: {smb: "13/50"}\n'),
    }, TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    warned = [line for line in result.output.splitlines() if "leaves out" in line]
    assert [line.split("  warning: ")[1].split(":")[0] for line in warned] == [
        "win-rate leaves out enterprise, which 2026-02-growth gave"], result.output
    assert warned[0].startswith("retros/2026-04-growth.md:9:3"), warned
    generated = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(root),
                        "--as-of", AS_OF, "--quiet")
    assert generated.exit_code == 0, generated.output
    page = (tmp_path / "out" / "indicators" / "win-rate.md").read_text()
    assert '>30.0%</a></td><td class="hs-num">+6.7 pp</td>' in _row(page, "2026-03")
    assert '>26.0%</a></td><td class="hs-num">–</td>' in _row(page, "2026-04")


@pytest.mark.parametrize("may", [
    '  conversion: {web: "40/160", events: , partners: "5/25"}\n',
    "  mqls: {web: 160, events: , partners: 25}\n  sqls: {web: 40, events: , partners: 5}\n",
], ids=["rate-written-with-no-value", "counts-written-with-no-value"])
def test_a_quarter_segment_with_a_month_of_nothing_to_measure_is_judged(
        tmp_path: Path, may: str) -> None:
    """Events held none in May: written ``events:`` (as the rate, or as the counts the rate is
    computed from). The scorecard's events row pools April and June, (9 + 7) / (30 + 30) =
    16/60 = 26.7 % against a goal of 25 %: 107 %, met. It was "from 2 of 3 months only" and
    not judged, though no record could be corrected to change it."""
    out = _generate(tmp_path, {
        "retros/2026-04-growth.md": retro(
            "2026-04", '  conversion: {web: "30/150", events: "9/30", partners: "4/20"}\n'),
        "retros/2026-05-growth.md": retro("2026-05", may),
        "retros/2026-06-growth.md": retro(
            "2026-06", '  conversion: {web: "35/140", events: "7/30", partners: "6/20"}\n'),
        "retros/2026-q2-review.md": review(
            "2026-Q2", "2026-07-08", "  - {metric: Event leads, goal: 0.25, unit: rate, "
            "indicator: conversion, segment: events}\n"),
    }, as_of="2026-07-20")
    page = (out / "records" / "2026-q2-review.md").read_text()
    row = next(row for row in table_rows(page) if row.startswith("| [Event leads]"))
    assert row.endswith("| 25.0% | 26.7% *(computed)* | 107% | filled in |"), row
    assert "The goal of 2026-Q2 was met: Event leads at 107% of its goal." in page
    assert "2 of 3 months" not in page
    assert ("- **Event leads**: pooled over the months: Σ numerators ÷ Σ denominators "
            "\\(16/60\\); nothing to measure in May 2026;") in page


def test_a_month_with_nothing_to_measure_in_a_quarter_is_not_read_as_missing_by_validate(
        tmp_path: Path) -> None:
    """A typed actual of 24 % misses the goal of 25 % that the records' 26.7 % meets: the
    review is told so at once, as a whole quarter's figure (it was a figure "from 2 of 3
    months", which may still change, and no warning)."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-04-growth.md": retro(
            "2026-04", '  conversion: {web: "30/150", events: "9/30", partners: "4/20"}\n'),
        "retros/2026-05-growth.md": retro(
            "2026-05", '  conversion: {web: "40/160", events: , partners: "5/25"}\n'),
        "retros/2026-06-growth.md": retro(
            "2026-06", '  conversion: {web: "35/140", events: "7/30", partners: "6/20"}\n'),
        "retros/2026-q2-review.md": review(
            "2026-Q2", "2026-07-08", "  - {metric: Event leads, goal: 0.25, actual: 0.24, "
            "unit: rate, indicator: conversion, segment: events}\n"),
    }, TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 0, result.output
    assert ("retros/2026-q2-review.md:7:47  scorecard[0].actual  warning: typed 24.0% misses "
            "the goal of 25.0%; the quarter's records give 26.7%, which meets it") in (
                result.output), result.output



def test_a_quarter_names_no_month_without_a_segment_it_had_nothing_of(tmp_path: Path) -> None:
    """Q1: January gives enterprise, February leaves it out, March writes ``enterprise:``;
    (10 + 3 + 12 + 15) / (60 + 48 + 50) = 40/158 = 25.3 %, "February 2026 without
    enterprise", not March. Q2: April and June leave enterprise out around May's
    ``enterprise:``: no month of the quarter gave it, so none is without it; (8 + 9 + 12) /
    (40 + 30 + 40) = 29/110 = 26.4 %. Q2 said "April 2026 without enterprise; June 2026
    without enterprise", as if the team's total lacked enterprise deals it had."""
    month = "  win-rate: {{smb: \"{}\"}}\n"
    row = "  - {metric: Win rate, goal: 0.25, unit: rate, indicator: win-rate}\n"
    out = _generate(tmp_path, {
        "retros/2026-01-growth.md": retro(
            "2026-01", '  win-rate: {smb: "10/50", enterprise: "3/10"}\n'),
        "retros/2026-02-growth.md": retro("2026-02", month.format("12/48")),
        "retros/2026-03-growth.md": retro(
            "2026-03", '  win-rate: {smb: "15/50", enterprise: }\n'),
        "retros/2026-04-growth.md": retro("2026-04", month.format("8/40")),
        "retros/2026-05-growth.md": retro(
            "2026-05", '  win-rate: {smb: "9/30", enterprise: }\n'),
        "retros/2026-06-growth.md": retro("2026-06", month.format("12/40")),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", row),
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", row),
    }, as_of="2026-07-20")
    said = {quarter: next(line for line in (out / "records" / f"{quarter}-review.md")
                          .read_text().splitlines() if line.startswith("- **Win rate**: "))
            for quarter in ("2026-q1", "2026-q2")}
    assert said["2026-q1"].startswith(
        "- **Win rate**: pooled over the months: Σ numerators ÷ Σ denominators \\(40/158\\); "
        "February 2026 without enterprise; from "), said
    assert said["2026-q2"].startswith(
        "- **Win rate**: pooled over the months: Σ numerators ÷ Σ denominators \\(29/110\\); "
        "from "), said


def _recalled(root: Path, record: str, as_of: str) -> list[tuple[str, str, list[str]]]:
    """The indicator moves ``hindsight recall --format json`` reports for a record: (indicator,
    segment, the earlier wrong-way months it recalls)."""
    result = run_cli("recall", str(root / "retros" / f"{record}.md"), "--root", str(root),
                     "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.output)["records"]
    moves: list[dict[str, Any]] = found["indicators"]
    return [(m["id"], m["segment"], [p["period"] for p in m["previous"]]) for m in moves]


def _pooled(smb: str, enterprise: str | None = "2/10") -> str:
    """Growth's win rate: smb's counts, and enterprise's (``""``: written with no value;
    None: left out)."""
    if enterprise is None:
        return f'  win-rate: {{smb: "{smb}"}}\n'
    given = f'"{enterprise}"' if enterprise else ""
    return f'  win-rate: {{smb: "{smb}", enterprise: {given}}}\n'


_FIRST_HALF = {"2026-01": _pooled("13/50"), "2026-02": _pooled("13/50"),
               "2026-03": _pooled("16/50"), "2026-04": _pooled("7/50"),
               "2026-05": _pooled("16/50"), "2026-06": _pooled("16/50")}
"""January to June, enterprise 2/10 each month: 15/60 = 25.0 %, 25.0 %, 18/60 = 30.0 %,
9/60 = 15.0 % (April), 30.0 %, 30.0 %."""


def test_recall_hears_a_wrong_way_month_with_nothing_to_measure_as_the_site_shows_it(
        tmp_path: Path) -> None:
    """July had no enterprise deals, ``enterprise:``, after six months that gave enterprise:
    it pools smb alone, 6/50 = 12.0 %, and is compared as ever. The site: −18.0 pp vs June
    (30.0 %), −13.0 pp vs the mean of April to June (25.0 %), the wrong way. April was too:
    −15.0 pp vs March, −11.7 pp vs 26.7 %. As of July the usual change is the median of 0, 5,
    15, 15, 0, 18 points: 10.0 pp, and both moves are beyond it, so July's recall names
    April for the win rate overall. It named it for smb only: recall compared July as a month
    that left enterprise out, which starts anew ("new")."""
    files = {f"retros/{p}-growth.md": retro(p, text) for p, text in _FIRST_HALF.items()}
    files["retros/2026-07-growth.md"] = retro("2026-07", _pooled("6/50", ""))
    out = _generate(tmp_path, files, as_of="2026-08-20")
    page = (out / "indicators" / "win-rate.md").read_text()
    july = _row(page, "2026-07")
    assert ('>12.0%</a></td><td class="hs-num">−18.0 pp</td><td class="hs-num">−13.0 pp</td>'
            "<td><strong>wrong way</strong></td>") in july, july
    root = tmp_path / "kb"
    # smb alone: 12 % vs 32 % and the mean 26 %, and April's 14 % before: both orders agree.
    assert _recalled(root, "2026-07-growth", "2026-08-20") == [
        ("win-rate", "smb", ["2026-04"]), ("win-rate", "all", ["2026-04"])]
    said = run_cli("recall", str(root / "retros" / "2026-07-growth.md"), "--root", str(root),
                   "--as-of", "2026-08-20")
    assert said.exit_code == 0, said.output
    assert "- Win rate:\n  - 2026-04, " in said.output, said.output


def test_recall_does_not_hear_a_move_the_site_does_not_compare(tmp_path: Path) -> None:
    """July writes ``enterprise:`` after months that gave it (smb 16/50 = 32.0 %), and August
    and September leave enterprise out (smb 15/50 = 30.0 %, 6/50 = 12.0 %): enterprise is
    gone. On the site July is on the line it was on; August starts a line of smb alone, and
    September, with one month before it on that line, is new. Recall compared September with
    July and August (−18.0 pp, and −19.0 pp vs their mean) and reported the win rate overall
    moving the wrong way again since April, which no page shows; smb's own fall it still
    reports."""
    files = {f"retros/{p}-growth.md": retro(p, text) for p, text in _FIRST_HALF.items()}
    files.update({
        "retros/2026-07-growth.md": retro("2026-07", _pooled("16/50", "")),
        "retros/2026-08-growth.md": retro("2026-08", _pooled("15/50", None)),
        "retros/2026-09-growth.md": retro("2026-09", _pooled("6/50", None)),
    })
    out = _generate(tmp_path, files, as_of="2026-10-20")
    page = (out / "indicators" / "win-rate.md").read_text()
    september = _row(page, "2026-09")
    assert '>12.0%</a></td><td class="hs-num">−18.0 pp</td><td class="hs-num">–</td>' \
        "<td>new</td>" in september, september
    assert _recalled(tmp_path / "kb", "2026-09-growth", "2026-10-20") == [
        ("win-rate", "smb", ["2026-04"])]


def test_recall_reads_a_first_month_with_nothing_to_measure_as_the_site_does(
        tmp_path: Path) -> None:
    """MQLs, a total, by source. January, the team's first month, held no events
    (``events:``): web 130 + partners 20 = 150, compared as February gives events (100 + 30 +
    20 = 150). March 20 + 30 + 20 = 70: −80 vs February and vs the mean of January and
    February, the wrong way on the site; recall had January apart from the rest, so March had
    one month before it: new. April 140, May 150, June 10 + 10 + 20 = 40: −110 vs May, −80 vs
    the mean of March to May (120). The usual change as of June is the median of 0, 80, 70,
    10, 110: 70, which both months' moves exceed, so June recalls March (it recalled
    nothing). Web's June, −60 against its mean, is within its usual 70; events fall for the
    first time."""
    def mqls(web: int, events: int | None) -> str:
        return f"  mqls: {{web: {web}, events: {'' if events is None else events}, partners: 20}}\n"

    months = {"2026-01": mqls(130, None), "2026-02": mqls(100, 30), "2026-03": mqls(20, 30),
              "2026-04": mqls(90, 30), "2026-05": mqls(100, 30), "2026-06": mqls(10, 10)}
    out = _generate(tmp_path, {f"retros/{p}-growth.md": retro(p, text)
                               for p, text in months.items()}, as_of="2026-07-20")
    page = (out / "indicators" / "mqls.md").read_text()
    assert "<td><strong>wrong way</strong></td>" in _row(page, "2026-03"), _row(page, "2026-03")
    assert "<td><strong>wrong way</strong></td>" in _row(page, "2026-06"), _row(page, "2026-06")
    assert _recalled(tmp_path / "kb", "2026-06-growth", "2026-07-20") == [
        ("mqls", "all", ["2026-03"])]
