"""`hindsight prep --metrics`: the CSV shapes CRM and BI tools export, read or located."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hostile import tree_hash

from conftest import FIXTURES, NORDFJORD, copy_sample, make_kb, run_cli
from generator.analysis.analyze import analyze
from generator.commands.validate import valid_knowledge_base
from generator.site.export import readings_csv

AS_OF = "2026-12-03"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "kb")


def _prep(sample: Path, name: str, text: str, team: str = "sales",
          period: str = "2026-11") -> tuple[int, list[str], str]:
    """Prepare ``team``'s draft for ``period`` from ``text`` written byte for byte (an
    exporter's line ends kept) as ``name``: the exit code, the output's lines and the
    path the errors name."""
    path = sample.parent / name
    path.write_bytes(text.encode())
    result = run_cli("prep", "--team", team, "--period", period, "--metrics", str(path),
                     "--root", str(sample), "--as-of", AS_OF)
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines(), path.as_posix()


def _readings(sample: Path, team: str = "sales", period: str = "2026-11") -> str:
    """The draft's `indicators:` block, its lines under the key."""
    text = (sample / "retros" / f"{period}-{team}.md").read_text()
    found = re.search(r"^indicators:\n((?:  .*\n)+)", text, re.M)
    assert found, text[:2000]
    return found.group(1)


def test_errors_name_the_line_and_character_column_a_cell_starts_at(sample: Path) -> None:
    """Salesforce quotes a description holding line breaks (and writes a BOM and CRLF): the
    error said the record's number (6 for the tier-2 row, on lines 9 and 10 of the file) and
    the field's number (4) as `path:line:col`, which an editor opens elsewhere."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "sfdc.csv", (
        "\ufeffNotes,Indicator,Segment,Value\r\n"
        '"Won deals\nexcluding renewals","win-rate","smb","30/90"\r\n'
        '"","win-rate","mid-market","14/50"\r\n'
        '"multi\nline\nnote","win-rate","enterprise","4/12"\r\n'
        ",sales-cycle,tier-1,41\r\n"
        '"call back\nnext week",sales-cycle,tier-2,6 8\r\n'
        ",sales-cycle,tier-3,90\r\n"
        '"","pipeline-velocity","","45100"\r\n'
        '"x",win-rat,,3\r\n'))
    assert code == 1
    assert lines == [
        # `next week",sales-cycle,tier-2,` is 30 characters of line 10.
        f'{shown}:10:31  value  \'6 8\' is not a number (write a plain number like 41200, or '
        'for a rate 0.31 or "18/52")',
        f"{shown}:13:5  indicator  unknown indicator 'win-rat' (did you mean win-rate?)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def test_the_separator_is_the_header_s_outside_quotes_or_excel_s_sep_line(
        sample: Path) -> None:
    """A German export's column "Notes, comments" made the header split on its comma, and
    Excel's `sep=;` first line was read as the header: both were "no indicator column"."""
    code, lines, _ = _prep(sample, "notes.csv", (
        'indicator;segment;value;"Notes, comments"\r\n'
        'win-rate;smb;30/90;"called; no answer"\r\n'
        "win-rate;mid-market;14/50;\r\n"
        "win-rate;enterprise;4/12;\r\n"))
    assert code == 0, lines
    assert _readings(sample) == ('  win-rate:\n    smb: "30/90"\n    mid-market: "14/50"\n'
                                 '    enterprise: "4/12"\n')

    code, lines, shown = _prep(sample, "sep.csv", (
        "sep=;\r\nindicator;segment;value\r\npipeline-velocity;;45,100\r\n"), period="2026-12")
    # Line 3 of the file: the `sep=;` line is counted, as an editor counts it. A `;` file
    # writes a decimal comma, and an amount to three decimals is asked about; the draft
    # keeps the text, so validating it asks again.
    assert code == 0, lines
    assert lines[0] == (
        f"{shown}:3:20  value  warning: 45,100 for pipeline-velocity reads as 45.1: in this "
        "file the comma is a decimal comma (if it means 45,100, write 45100; if 45.1, write "
        "45,1)")
    assert _readings(sample, period="2026-12") == "  pipeline-velocity: 45,100\n"


def test_a_german_excel_export_reads_its_decimal_comma(sample: Path) -> None:
    """German Excel saves CSV with a BOM, `;` between cells, CRLF and a decimal comma with a
    point between thousands: `0,36` was "not a number (write 0.36 for 0,36)" at each of 6
    cells and nothing was written, and `43.900` (43,900) was only asked about, the draft
    holding `43.900`, which YAML reads as 43.9. Now they read as German Excel means them,
    the draft holds plain numbers, and a note says how they were read."""
    code, lines, shown = _prep(sample, "de.csv", (
        "\ufeffIndicator;Segment;Value\r\nwin-rate;smb;0,36\r\nwin-rate;mid-market;0,3\r\n"
        "win-rate;enterprise;4/12\r\nsales-cycle;tier-1;44,5\r\nsales-cycle;tier-2;61\r\n"
        "sales-cycle;tier-3;90\r\ndeal-size;;48.250,50\r\npipeline-velocity;;43.900\r\n"))
    assert code == 0, lines
    assert lines[0] == (
        f"note: {shown}: numbers were read with a decimal comma (0,36 as 0.36, 43.900 as "
        "43900), as Excel in much of Europe writes them in a file split by semicolons; a "
        "point in them separates thousands")
    assert _readings(sample) == (
        '  win-rate:\n    smb: 0.36\n    mid-market: 0.3\n    enterprise: "4/12"\n'
        "  sales-cycle:\n    tier-1: 44.5\n    tier-2: 61\n    tier-3: 90\n"
        "  deal-size: 48250.5\n  pipeline-velocity: 43900\n")


def test_a_semicolon_file_writing_numbers_both_ways_is_an_error_at_the_cell(
        sample: Path) -> None:
    """`0.36` and `0,36` in one `;` file: which is the file's way is a guess, and a wrong
    one reads `43.900` as 43.9 or as 43900. Each number written the other way than the
    file's first clear one is an error at its cell; a comma-separated file keeps its
    decimal point, `"0,36"` in it still not a number."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "mixed.csv", (
        "\ufeffIndicator;Segment;Value\r\nwin-rate;smb;0.36\r\nwin-rate;mid-market;0,3\r\n"
        "win-rate;enterprise;4/12\r\ndeal-size;;48.250,50\r\n"))
    assert code == 1
    assert lines == [
        f"{shown}:3:21  value  '0,3' has a decimal comma, but '0.36' on line 2 has a decimal "
        "point: the file writes numbers both ways (write the file's numbers one way: 0.3 for "
        "0,3, as line 2 writes them, or 0,36 on line 2)",
        f"{shown}:5:12  value  '48.250,50' has a decimal comma, but '0.36' on line 2 has a "
        "decimal point: the file writes numbers both ways (write the file's numbers one way: "
        "48250.50 for 48.250,50, as line 2 writes them, or 0,36 on line 2)",
        f"error: {shown} has errors; nothing was written",
    ]
    code, lines, shown = _prep(sample, "comma.csv", (
        'indicator,segment,value\r\ndeal-size,,"48.250,50"\r\n'))
    assert code == 1
    assert lines[0] == (
        f"{shown}:2:12  value  '48.250,50' is not a number (write 48250.50 for 48.250,50: a "
        "plain number, with a point for decimals)")
    assert tree_hash(sample / "retros") == before


def test_a_german_header_and_a_tab_separated_export_with_a_decimal_comma_are_read(
        tmp_path: Path) -> None:
    """Another company's taxonomy (regions, an amount in euros): a German export heads its
    columns `Monat;Team;Indikator;Segment;Wert`, which was "has no indicator or value
    column". Excel's tab-separated text keeps the decimal comma; a file split by tabs whose
    numbers are clearly written so reads them so."""
    root = make_kb(tmp_path / "kb", {}, FIXTURES / "taxonomy.yml")
    (root / "taxonomy.yml").write_text(NORDFJORD.replace("teams:\n", (
        "  - id: deal-value\n    label: Deal value\n    unit: usd\n    better: up\n"
        "teams:\n"), 1), encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_bytes(
        "\ufeffMonat;Team;Indikator;Segment;Wert\r\n"
        "2026-11;Inbound SDR;meetings-booked;dach;1.250\r\n"
        "2026-11;Inbound SDR;meetings-booked;nordics;87\r\n"
        "2026-11;Field sales;meetings-booked;dach;12\r\n"
        "2026-11;Inbound SDR;close-rate;dach;0,215\r\n"
        "2026-11;Inbound SDR;close-rate;nordics;\r\n"
        "2026-11;Inbound SDR;deal-value;;12.400,00\r\n".encode())
    result = run_cli("prep", "--team", "inbound-sdr", "--period", "2026-11", "--metrics",
                     str(export), "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "numbers were read with a decimal comma (0,215 as 0.215, 1.250 as 1250)" \
        in result.output
    assert _readings(root, "inbound-sdr") == (
        "  meetings-booked:\n    dach: 1250\n    nordics: 87\n  close-rate:\n    dach: 0.215\n"
        "    nordics:  # nothing to measure this month: no reading\n  deal-value: 12400\n")

    tabs = tmp_path / "tabs.txt"
    tabs.write_bytes("\ufeffIndikator\tSegment\tWert\r\nmeetings-booked\tdach\t2.040\r\n"
                     "meetings-booked\tnordics\t90\r\ndeal-value\t\t9.875,5\r\n".encode())
    result = run_cli("prep", "--team", "field-sales", "--period", "2026-11", "--metrics",
                     str(tabs), "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert _readings(root, "field-sales") == (
        "  meetings-booked:\n    dach: 2040\n    nordics: 90\n  deal-value: 9875.5\n")


def test_a_quote_never_closed_is_located_where_it_opens(sample: Path) -> None:
    """Python's csv module read the rest of the file into the cell, without a word."""
    code, lines, shown = _prep(sample, "open.csv", (
        "indicator,segment,value\npipeline-velocity,,\"45100\nsales-cycle,tier-1,41\n"))
    assert code == 1
    assert lines == [
        f"{shown}:2:20  row  a quote opens this cell and is never closed (close it; a quote "
        'inside a quoted cell is written twice (""))',
        f"error: {shown} has errors; nothing was written",
    ]


def test_rows_of_another_month_than_the_draft_s_are_refused(sample: Path) -> None:
    """A BI export dated each row (`month`, or the snapshot's `date`): October's rows were
    written as November's readings, and a two-month export said "pipeline-velocity is also
    on row 2", not a word of months. A row whose month is not a month is an error."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "two-months.csv", (
        "\ufeffMonth,Indicator,Segment,Value\r\n"
        "2026-10,pipeline-velocity,,43900\r\n"
        "2026-11,pipeline-velocity,,45100\r\n"
        "30/11/2026,sales-cycle,tier-1,41\r\n"))
    assert code == 1
    assert lines == [
        f"{shown}:4:1  month  '30/11/2026' is not a month (write the row's month as 2026-11, "
        "or a date in it as 2026-11-01)",
        f"error: {shown} has errors; nothing was written",
    ]
    # Every row of October, as a month-end date: said once, not at each of the 3 rows.
    code, lines, shown = _prep(sample, "october.csv", (
        "date,indicator,segment,value\n2026-10-31,win-rate,smb,30/90\n"
        "2026-10-31,win-rate,mid-market,14/50\n2026-10-31,win-rate,enterprise,4/12\n"))
    assert code == 1
    assert lines == [
        f"{shown}:2:1  date  every row is of October 2026, not of --period 2026-11 (export "
        "November 2026's readings, or give --period 2026-10 to prepare October 2026's draft)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before

    # A day within the month, with the time a BI tool's timestamp has, is November's.
    code, lines, _ = _prep(sample, "november.csv", (
        "indicator,segment,value,PERIOD\npipeline-velocity,,45100,2026-11-30T00:00:00Z\n"
        "sales-cycle,tier-1,41,2026-11-01\nsales-cycle,tier-2,68,2026-11\n"
        "sales-cycle,tier-3,90,2026-11\n"))
    assert code == 0, lines
    assert _readings(sample) == ("  pipeline-velocity: 45100\n  sales-cycle:\n    tier-1: 41\n"
                                 "    tier-2: 68\n    tier-3: 90\n")


def test_a_row_short_of_a_cell_or_an_unsegmented_reading_with_no_value_is_an_error(
        sample: Path) -> None:
    """`win-rate,enterprise` (its value left out) read as enterprise with nothing to measure,
    and `pipeline-velocity,,` or `handoff-sla,,0/0` left the indicator out of the draft
    without a word: only a segment has a form for "nothing to measure"."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "short.csv", (
        "indicator,segment,value\r\nwin-rate,smb,30/90\r\nwin-rate,mid-market,14/50\r\n"
        "win-rate,enterprise\r\npipeline-velocity,,\r\n"))
    assert code == 1
    assert lines == [
        # At the end of the row, where the missing cell goes: `win-rate,enterprise` is 19.
        f"{shown}:4:20  row  has 2 cells, but the header names 3 columns (write a cell for "
        "every column, an empty one where there is nothing (a separator after the row's last "
        "cell))",
        f"{shown}:5:20  value  the value is empty, and pipeline-velocity is not split by "
        "segment: only a segment has a 'nothing to measure' form (leave the row out, or give "
        "a value)",
        f"error: {shown} has errors; nothing was written",
    ]
    code, lines, shown = _prep(sample, "sla.csv", (
        "indicator;segment;value\r\nhandoff-sla;;0/0\r\n"), team="marketing")
    assert code == 1
    assert lines == [
        f"{shown}:2:14  value  '0/0' is no reading, and handoff-sla is not split by segment: "
        "only a segment has a 'nothing to measure' form (leave the row out, or give a value)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def test_an_export_whose_every_segment_had_nothing_to_measure_is_written(
        sample: Path) -> None:
    """No deals closed in any segment: the export was refused as "a header row and no
    readings". Its segments are given, with no value, and the agenda is this month's
    (none to compare), not October's figures under "This month"."""
    code, lines, _ = _prep(sample, "quiet.csv", (
        "indicator,segment,value\nwin-rate,smb,\nwin-rate,mid-market,\n"
        "win-rate,enterprise,0/0\n"))
    assert code == 0, lines
    quiet = "  # nothing to measure this month: no reading\n"
    assert _readings(sample) == (f"  win-rate:\n    smb:{quiet}    mid-market:{quiet}"
                                 f"    enterprise:{quiet}")
    text = (sample / "retros" / "2026-11-sales.md").read_text()
    assert text.split("## Agenda\n\n")[1].split("\n")[0] == (
        "No indicator moved the wrong way against both last month and the 3-month trend.")


def test_an_unnamed_segment_s_id_in_another_case_is_read_as_it(sample: Path) -> None:
    """A BI tool capitalising the ICP tiers (unnamed in taxonomy.yml: pages show tier-1):
    `TIER-1` and ` Tier-3 ` were refused with "did you mean tier-1?"; they read as the ids,
    with a note. `Tier 2`, spaced otherwise than the id, is still told it."""
    code, lines, shown = _prep(sample, "bi.csv", (
        "indicator,segment,value\n"
        "win-rate,smb,30/90\nwin-rate,mid-market,14/50\nwin-rate,enterprise,4/12\n"
        "sales-cycle,TIER-1,41\nsales-cycle,tier-2,68\nsales-cycle, Tier-3 ,90\n"
        "pipeline-velocity,,45100\n"))
    assert code == 0, lines
    assert lines[0] == (
        f"note: {shown}: segments given by their ids in another case were read as their ids "
        "(TIER-1 as tier-1, Tier-3 as tier-3), which the draft writes, as records do"), lines
    assert "  sales-cycle:\n    tier-1: 41\n    tier-2: 68\n    tier-3: 90\n" in _readings(sample)
    (sample / "retros" / "2026-11-sales.md").unlink()
    code, lines, shown = _prep(sample, "bi.csv", (
        "indicator,segment,value\n"
        "win-rate,smb,30/90\nwin-rate,mid-market,14/50\nwin-rate,enterprise,4/12\n"
        "sales-cycle,TIER-1,41\nsales-cycle,Tier 2,68\nsales-cycle,tier-3,90\n"
        "pipeline-velocity,,45100\n"))
    assert code == 1
    assert lines == [
        f"{shown}:6:13  segment  unknown icp-tier 'Tier 2' (did you mean tier-2?)",
        f"error: {shown} has errors; nothing was written"], lines


def test_hints_name_the_fix_for_what_spreadsheets_write(sample: Path) -> None:
    """A total row was an unknown indicator with the list of known ones, Excel's `#DIV/0!`
    was asked to be a number like 41200, and `Tier 1` found no segment to suggest. (`SMB`
    is read: it is the name taxonomy.yml gives win-rate's smb.)"""
    code, lines, shown = _prep(sample, "totals.csv", (
        "\ufeffindicator,segment,value\r\nwin-rate,SMB,30/90\r\nwin-rate,mid-market,#DIV/0!\r\n"
        "win-rate,enterprise,4/12\r\nsales-cycle,Tier 1,41\r\npipeline-velocity,,45100\r\n"
        "Grand Total,,45134\r\n"))
    assert code == 1
    assert lines == [
        f"{shown}:3:21  value  '#DIV/0!' is not a number (leave it empty or write 0/0 for a "
        "rate with nothing to measure)",
        f"{shown}:5:13  segment  unknown icp-tier 'Tier 1' (did you mean tier-1?)",
        f"{shown}:7:1  indicator  'Grand Total' is a total row, not an indicator (remove the "
        "total row: prep sums nothing)",
        f"error: {shown} has errors; nothing was written",
    ]


def test_a_count_s_hint_is_a_count_s(sample: Path) -> None:
    """A count of `1,234` in a `;` file was told "if 1.234, write 1.234" (no count is), and
    a count written as counts was told to write "18/52". A `;` file writes a decimal comma:
    the count reads as 1.234, and the error says so."""
    code, lines, shown = _prep(sample, "counts.csv", (
        "indicator;segment;value\r\nmqls;inbound;18/52\r\nmqls;outbound;1,234\r\n"
        "mqls;events;90\r\nmqls;nurture;230\r\n"), team="marketing")
    assert code == 1
    assert lines == [
        f"{shown}:2:14  value  '18/52' is not a number (mqls is a count: write the one number "
        "counted, a whole number)",
        f"{shown}:3:15  value  a count must be a whole number (1,234 for mqls/outbound reads "
        "as 1.234: in this file the comma is a decimal comma) (if it means 1,234, write 1234)",
        f"error: {shown} has errors; nothing was written",
    ]


def test_a_crm_export_s_indicator_id_header_is_read(sample: Path) -> None:
    """A CRM's export heads its columns "Indicator ID","Segment","Value": it was refused as
    "has no indicator column (the header row is: indicator,segment,value)". A header name
    is read in any case, with a space, `_` or `-` between words; `indicator id` is the
    indicator column. One that names no column is refused with the names the header has and
    those read; `Metric` is not read (BI tools call the number a metric too), nor a header
    naming one column twice (a name beside its id: which one to read would be a guess)."""
    code, lines, _ = _prep(sample, "crm.csv", (
        '"Indicator ID","Segment","Value"\r\n"mql-to-sql","inbound","50/190"\r\n'
        '"mql-to-sql","outbound","10/110"\r\n"mql-to-sql","events",""\r\n'
        '"mql-to-sql","nurture","15/90"\r\n"handoff-sla","","40/80"\r\n'), team="marketing")
    assert code == 0, lines
    assert _readings(sample, "marketing") == (
        '  mql-to-sql:\n    inbound: "50/190"\n    outbound: "10/110"\n'
        "    events:  # nothing to measure this month: no reading\n"
        '    nurture: "15/90"\n  handoff-sla: "40/80"\n')

    code, lines, _ = _prep(sample, "bi.csv", (
        "VALUE;indicator_id;Notes\n45100;pipeline-velocity;from the BI tool\n"),
        period="2026-12")
    assert code == 0, lines
    assert _readings(sample, period="2026-12") == "  pipeline-velocity: 45100\n"

    before = tree_hash(sample / "retros")
    hint = ("(name the columns indicator or indicator id, segment, and value, in any case "
            "and order: Indicator ID,Segment,Value)")
    code, lines, shown = _prep(sample, "metric.csv", (
        "Team,Metric,Segment,Value\nsales,pipeline-velocity,,45100\n"), period="2027-01")
    assert code == 1
    assert lines == [
        f"{shown}:1:1  header  has no indicator column: the header row names Team, Metric, "
        f"Segment, Value {hint}",
        f"error: {shown} has errors; nothing was written",
    ]
    code, lines, shown = _prep(sample, "both.csv", (
        "Indicator,Indicator ID,Segment,Amount\nPipeline velocity,pipeline-velocity,,45100\n"),
        period="2027-01")
    assert code == 1
    assert lines == [
        f"{shown}:1:1  header  has no value column: the header row names Indicator, "
        f"Indicator ID, Segment, Amount {hint}",
        f"{shown}:1:11  header  'Indicator' and 'Indicator ID' both name the indicator "
        "column (keep the one holding taxonomy.yml's indicator ids, and rename or remove the "
        "other)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def test_an_export_of_every_team_gives_the_draft_its_team_s_rows(sample: Path) -> None:
    """A BI export holds every team: Marketing's hand-off SLA (70/100) was written into
    Sales's draft, which validated. Another team's rows are left out, whatever month they
    are of, and the draft says how many."""
    code, lines, shown = _prep(sample, "teams.csv", (
        "indicator,segment,value,team\nwin-rate,smb,30/90,sales\n"
        "win-rate,mid-market,12/40,sales\nwin-rate,enterprise,3/10,sales\n"
        "handoff-sla,,70/100,marketing\n"), period="2026-12")
    assert code == 0, lines
    assert _readings(sample, period="2026-12") == (
        '  win-rate:\n    smb: "30/90"\n    mid-market: "12/40"\n    enterprise: "3/10"\n')
    assert lines[0] == (f"note: {shown}: 1 row of another team left out (Marketing): the "
                        "draft holds Sales's readings")
    assert "handoff-sla" not in (sample / "retros" / "2026-12-sales.md").read_text()
    assert run_cli("validate", "--root", str(sample), "--as-of", "2027-01-04").exit_code == 0


def test_a_team_cell_is_read_by_id_name_or_alias(sample: Path) -> None:
    """Customer Success, renamed from account-management, in an export that names teams as
    a BI tool does (`Customer Success`, `CUSTOMER_SUCCESS`, the old id): every spelling is
    the team's; other teams' rows, of other months too, are left out and counted."""
    taxonomy = sample / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "    name: Customer Success\n",
        "    name: Customer Success\n    aliases: [account-management]\n"))
    code, lines, shown = _prep(sample, "cs.csv", (
        "Month;Team Name;Indicator ID;Segment;Value\r\n"
        "2026-11;Customer Success;open-opportunities;;41\r\n"
        "2026-11;RevOps;open-opportunities;;7\r\n"
        "2026-10;Sales;deal-size;;14900\r\n"
        "2026-11;CUSTOMER_SUCCESS;deals-won;smb;12\r\n"
        "2026-11;account-management;deals-won;mid-market;4\r\n"
        "2026-11;customer-success;deals-won;enterprise;1\r\n"
        "2026-11;RevOps;deal-size;;9000\r\n"), team="customer-success")
    assert code == 0, lines
    assert _readings(sample, "customer-success") == (
        "  open-opportunities: 41\n  deals-won:\n    smb: 12\n    mid-market: 4\n"
        "    enterprise: 1\n")
    assert lines[0] == (f"note: {shown}: 3 rows of other teams left out (RevOps 2, Sales 1): "
                        "the draft holds Customer Success's readings")


def test_a_team_the_taxonomy_lacks_or_an_export_without_the_team_is_an_error(
        sample: Path) -> None:
    """A misspelt or unknown team, or an empty team cell, is located at its cell; an export
    with no row of --team is said once, at the team column's header, with the teams it has."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "bad-team.csv", (
        "indicator,segment,value,team\npipeline-velocity,,45100,Slaes\n"
        "pipeline-velocity,,45100,Finance\npipeline-velocity,,45100,\n"), period="2026-12")
    assert code == 1
    assert lines == [
        f"{shown}:2:26  team  unknown team 'Slaes' (did you mean sales? A team taxonomy.yml "
        "does not have is added there, or its rows left out)",
        f"{shown}:3:26  team  unknown team 'Finance' (known: customer-success, leadership, "
        "marketing, revops, sales. A team taxonomy.yml does not have is added there, or its "
        "rows left out)",
        f"{shown}:4:26  team  the team is empty (write the row's team as taxonomy.yml names "
        "it: customer-success, leadership, marketing, revops, sales, or a team's name)",
        f"error: {shown} has errors; nothing was written",
    ]
    code, lines, shown = _prep(sample, "marketing.csv", (
        "Team,indicator,segment,value\nMarketing,handoff-sla,,70/100\n"
        "RevOps,open-opportunities,,7\n"), period="2026-12")
    assert code == 1
    assert lines == [
        f"{shown}:1:1  team  no row is of Sales (--team sales): the rows are of Marketing, "
        "RevOps (export Sales's readings too, or give --team marketing to prepare its draft)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def _readings_export(root: Path, as_of: str = AS_OF) -> list[str]:
    """The site's data/readings.csv of the knowledge base at ``root``, as its lines."""
    kb = valid_knowledge_base(root, dt.date.fromisoformat(as_of), "")
    return readings_csv(analyze(kb).trend, kb.taxonomy)[1]().decode().splitlines()


def test_a_month_of_the_site_s_readings_export_is_read_back(sample: Path) -> None:
    """data/readings.csv, the site's own export, was refused: "pipeline-velocity is not split
    by segment (got 'all')", "unknown icp-tier 'all'"; with those rows removed, its rates
    were written as 0.272727272727, the counts lost. Every team's rows of October, fed to
    prep for October (Sales's retro removed), give the readings that retro wrote."""
    export = _readings_export(sample)
    (sample / "retros" / "2026-10-sales.md").unlink()
    october = [export[0], *(line for line in export if line.startswith("2026-10,"))]
    code, lines, shown = _prep(sample, "readings.csv", "\n".join(october) + "\n",
                               period="2026-10")
    assert code == 0, lines
    # retros/2026-10-sales.md: win-rate smb "34/96", mid-market "12/48", enterprise "3/11";
    # sales-cycle 43, 71, 93; pipeline-velocity 43900 (indicators in the export's order,
    # segments in the taxonomy's, as the retro wrote them: the export sorts them by name).
    assert _readings(sample, period="2026-10") == (
        "  pipeline-velocity: 43900\n  sales-cycle:\n    tier-1: 43\n    tier-2: 71\n"
        '    tier-3: 93\n  win-rate:\n    smb: "34/96"\n    mid-market: "12/48"\n'
        '    enterprise: "3/11"\n')
    assert lines[:2] == [
        f"note: {shown}: 6 rows of another team left out (Marketing): the draft holds "
        "Sales's readings",
        f"note: {shown}: left out 2 computed rows, 2 overall values of split indicators "
        "(segment all): validation computes them again from the other rows",
    ]

    # September's win rate is computed from deals won and closed (computed True, with
    # counts): its rows are left out, as validation computes them from the counts given.
    (sample / "retros" / "2026-10-sales.md").unlink()
    september = [export[0], *(line.replace("2026-09,", "2026-10,", 1) for line in export
                              if line.startswith("2026-09,sales,"))]
    code, lines, shown = _prep(sample, "september.csv", "\n".join(september) + "\n",
                               period="2026-10")
    assert code == 0, lines
    # retros/2026-09-sales.md, the segments in the taxonomy's order.
    assert _readings(sample, period="2026-10") == (
        "  deal-size: 14900\n  deals-closed:\n    smb: 99\n    mid-market: 46\n"
        "    enterprise: 14\n  deals-won:\n    smb: 36\n    mid-market: 12\n    enterprise: 5\n"
        "  open-opportunities: 609\n  pipeline-velocity: 44700\n  sales-cycle:\n"
        "    tier-1: 44\n    tier-2: 69\n    tier-3: 90\n")
    assert lines[0] == (
        f"note: {shown}: left out 7 computed rows, 3 overall values of split indicators "
        "(segment all) and 4 computed by a formula (computed true): validation computes them "
        "again from the other rows")
    assert run_cli("validate", "--root", str(sample), "--as-of", AS_OF).exit_code == 0


def test_rates_as_written_and_a_segment_with_nothing_to_measure_come_back_as_written(
        tmp_path: Path) -> None:
    """A team whose retro wrote one rate as a decimal and one as counts, and a segment with
    nothing to measure: the export's row of January, fed to prep for February, gives 0.31
    (no counts to give), "5/20", and no enterprise (the export has no row for it, and
    validation does not ask for it after a month that gave none)."""
    root = make_kb(tmp_path / "kb", {"retros/2026-01-marketing.md": (
        "---\ntype: retro\nperiod: 2026-01\nteam: marketing\nheld: 2026-02-03\n"
        "facilitator: Kim\nformat: five-whys\nindicators:\n"
        "  win-rate:\n    smb: 0.31\n    mid-market: \"5/20\"\n    enterprise:\n"
        "  pipeline-velocity: 1250.5\n---\n")}, FIXTURES / "taxonomy.yml")
    export = _readings_export(root, "2026-03-01")
    rows = [export[0], *(line.replace("2026-01,", "2026-02,", 1) for line in export[1:])]
    path = tmp_path / "readings.csv"
    path.write_text("\n".join(rows) + "\n")
    result = run_cli("prep", "--team", "marketing", "--period", "2026-02", "--metrics",
                     str(path), "--root", str(root), "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert _readings(root, "marketing", "2026-02") == (
        '  pipeline-velocity: 1250.5\n  win-rate:\n    smb: 0.31\n    mid-market: "5/20"\n')
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-03-01").exit_code == 0


def test_counts_and_computed_cells_that_cannot_be_read_are_located(sample: Path) -> None:
    """Numerator and denominator columns give a rate's counts, checked against its value;
    counts for a count of days, a computed cell that is neither true nor false, a split
    indicator given by its overall value alone, or a header with a numerator column and no
    denominator column, are errors at their cells."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "counts.csv", (
        "Indicator,Segment,Value,Numerator,Denominator,Computed\n"
        "win-rate,smb,0.5,30,90,False\n"
        "win-rate,mid-market,,12,,False\n"
        "win-rate,enterprise,,three,10,False\n"
        "sales-cycle,tier-1,41,41,1,\n"
        "sales-cycle,tier-2,68,,,maybe\n"
        "pipeline-velocity,All,45100,,,\n"
        "deals-won,ALL,53,,,no\n"), period="2026-12")
    assert code == 1
    assert lines == [
        f"{shown}:2:14  value  '0.5' is not 30/90 (0.333333333333), the row's numerator and "
        "denominator (give the value those counts make, or leave it empty)",
        f"{shown}:3:25  denominator  the denominator is empty (a rate's numerator and "
        "denominator are whole numbers (30 and 90 for 30/90 deals), both given or neither)",
        f"{shown}:4:22  numerator  'three' is not a count (a rate's numerator and denominator "
        "are whole numbers (30 and 90 for 30/90 deals), both given or neither)",
        f"{shown}:5:23  numerator  sales-cycle is not a rate: a numerator is a rate's count "
        "(leave the numerator and denominator empty, and give the value)",
        f"{shown}:6:25  computed  'maybe' is not true or false (write true for a value "
        "computed from other readings, false or nothing for one measured)",
        f"{shown}:8:11  segment  'all' is deals-won's overall value, combined from its "
        "segments, and no row gives one (give a row per segment: smb, mid-market, enterprise)",
        f"error: {shown} has errors; nothing was written",
    ]
    code, lines, shown = _prep(sample, "half.csv", (
        "indicator,segment,value,numerator\nhandoff-sla,,0.7,70\n"), team="marketing",
        period="2026-12")
    assert code == 1
    assert lines == [
        f"{shown}:2:18  denominator  the header names no denominator column (a rate's "
        "numerator and denominator are whole numbers (30 and 90 for 30/90 deals), both given "
        "or neither)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before

    # Counts as a BI tool writes them (70.0), a value left empty, `1` and `no` for computed.
    code, lines, shown = _prep(sample, "bi.csv", (
        "indicator,segment,value,numerator,denominator,computed\n"
        "mql-to-sql,inbound,0.3,60.0,200.0,1\nhandoff-sla,all,,70.0,100.0,no\n"),
        team="marketing", period="2026-12")
    assert code == 0, lines
    assert _readings(sample, "marketing", "2026-12") == '  handoff-sla: "70/100"\n'
    assert lines[0] == (f"note: {shown}: left out 1 computed row, 1 computed by a formula "
                        "(computed true): validation computes it again from the other rows")


def test_an_export_of_several_months_gives_the_draft_its_own_month_s_rows(sample: Path) -> None:
    """A BI tool's history (or the site's readings export) holds every month: its rows of
    other months were an error each (187 for Sales's readings); now they are left out and
    counted, and --period's rows make the draft. An export with no row of --period stays an
    error (above)."""
    code, lines, shown = _prep(sample, "history.csv", (
        "month,indicator,segment,value\n"
        "2026-09,pipeline-velocity,,41000\n2026-09,sales-cycle,tier-1,44\n"
        "2026-10,pipeline-velocity,,43900\n"
        "2026-11,pipeline-velocity,,45100\n2026-11,sales-cycle,tier-1,41\n"
        "2026-11,sales-cycle,tier-2,68\n2026-11,sales-cycle,tier-3,90\n"
        "2026-12,pipeline-velocity,,46000\n"))
    assert code == 0, lines
    assert f"note: {shown}: 4 rows of other months left out (3 months, September 2026 to " \
        "December 2026): the draft holds November 2026's readings" in lines, lines
    assert _readings(sample) == ("  pipeline-velocity: 45100\n  sales-cycle:\n    tier-1: 41\n"
                                 "    tier-2: 68\n    tier-3: 90\n")


def test_a_german_export_s_day_first_dates_give_the_month(sample: Path) -> None:
    """A German spreadsheet dates each row day first with dots (`30.11.2026`): it was "not
    a month". It is November's; a row dated `31.10.2026` in the same export is October's, left
    out and counted; `31.11.2026` is no day and stays an error."""
    code, lines, shown = _prep(sample, "monat.csv", (
        "Monat;Indikator;Segment;Wert\n30.11.2026;pipeline-velocity;;45100\n"
        "1.11.2026;sales-cycle;tier-1;41\n30.11.2026;sales-cycle;tier-2;68\n"
        "30.11.2026;sales-cycle;tier-3;90\n31.10.2026;pipeline-velocity;;43900\n"))
    assert code == 0, lines
    assert f"note: {shown}: 1 row of other months left out (October 2026): the draft holds " \
        "November 2026's readings" in lines, lines
    assert _readings(sample).startswith("  pipeline-velocity: 45100\n  sales-cycle:\n"), \
        _readings(sample)
    code, lines, shown = _prep(sample, "bad-day.csv", (
        "Monat;Indikator;Segment;Wert\n31.11.2026;pipeline-velocity;;45100\n"), period="2026-12")
    assert code == 1
    assert lines[0] == (f"{shown}:2:1  monat  '31.11.2026' is not a month (write the row's "
                        "month as 2026-12, or a date in it as 2026-12-01)"), lines


@pytest.mark.parametrize(("separator", "named"), [(";", "a semicolon"), ("\t", "a tab")])
def test_a_row_with_a_cell_too_many_names_the_files_own_separator(
        sample: Path, separator: str, named: str) -> None:
    """In a file split by semicolons or tabs, "45100,50" is one cell (a decimal comma): the
    hint for a row split into one cell too many blamed a comma ("1,200") all the same. It
    names the separator that split the row: here a note written with one, unquoted."""
    before = tree_hash(sample / "retros")
    rows = [["Note", "Indicator", "Segment", "Value"],
            ["", "pipeline-velocity", "", "45100,50"],
            [f"call back{separator} next week", "sales-cycle", "tier-1", "41"]]
    code, lines, shown = _prep(sample, "notes.csv",
                               "".join(separator.join(row) + "\r\n" for row in rows))
    assert code == 1
    assert lines == [
        f"{shown}:3:41  row  has 5 cells, but the header names 4 columns (quote a value that "
        f"holds {named}, the file's separator, or write it without one)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def test_full_width_digits_are_refused_alike_with_the_value_to_write(sample: Path) -> None:
    """An export typed in Japanese: full-width counts (`１０/４０`) were read as 10/40 while a
    full-width number (`４１`) was "not a number" with no word of why; both are now refused,
    as in a record, naming the digits and giving the value to write."""
    before = tree_hash(sample / "retros")
    code, lines, shown = _prep(sample, "tokyo.csv", (
        "indicator,segment,value\nwin-rate,smb,１０/４０\nwin-rate,mid-market,14/50\n"
        "win-rate,enterprise,4/12\nsales-cycle,tier-1,４１\nsales-cycle,tier-2,68\n"
        "sales-cycle,tier-3,90\n"))
    assert code == 1
    assert f"{shown}:2:14  value  '１０/４０' is not a number (full-width digits (１０, ４０): " \
        'write "10/40")' in lines
    assert f"{shown}:5:20  value  '４１' is not a number (full-width digits (４１): write " \
        "41)" in lines
    assert tree_hash(sample / "retros") == before
