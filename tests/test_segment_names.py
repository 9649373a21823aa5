"""A segment's name: ``segments:`` in taxonomy.yml may give each segment a name beside its id
(``emea-ent: Enterprise EMEA``), which readers see where the id ``emea-ent`` was shown.

The knowledge base here is unlike the sample: indicators split by region, segments named in
both written forms (a list's items and a mapping), one segment left without a name, and a name
given on one indicator only, which the other indicators split by region share.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from conftest import make_kb, run_cli
from generator.paths import RenderOptions
from generator.site.build import build
from sitetools import make_project, mkdocs_build

TAXONOMY = """\
company: Fjellstad
causes:
  - id: slow-first-touch
    title: Slow first touch
    description: Inbound leads wait too long for the first call.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
    segment_by: region
    segments:
      - emea-ent: Enterprise EMEA
      - smb: SMB
      - nordics
  - id: close-rate
    label: Close rate
    unit: rate
    better: up
    segment_by: region
    segments:
      emea-ent: Enterprise EMEA
      smb:
      nordics:
  - id: cycle-days
    label: Sales cycle
    unit: days
    better: down
    segment_by: region
    segments: [emea-ent, smb, nordics]
teams:
  - id: field-sales
    name: Field sales
    monthly_retros: true
plan_kinds:
  - id: deal
    title: Deals
"""


def _kb(tmp_path: Path, taxonomy: str = TAXONOMY, files: dict[str, str] | None = None) -> Path:
    source = tmp_path / "taxonomy-source.yml"
    tmp_path.mkdir(parents=True, exist_ok=True)
    source.write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", files or {}, source)


def _validate(root: Path) -> tuple[int, list[str]]:
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-11-20", "--no-cache")
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def test_named_segments_validate_in_either_form(tmp_path: Path) -> None:
    """A list of ids with names, a mapping of ids to names (one left empty) and a plain list
    are all a taxonomy that validates: the ids are the segments, as before."""
    code, lines = _validate(_kb(tmp_path))
    assert code == 0, lines


def _errors(tmp_path: Path, segments: str) -> list[str]:
    taxonomy = TAXONOMY.replace(
        "    segments:\n      - emea-ent: Enterprise EMEA\n      - smb: SMB\n      - nordics\n",
        segments, 1)
    assert taxonomy != TAXONOMY
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1, lines
    return [line for line in lines if line.startswith("taxonomy.yml:")]


def test_a_name_written_where_the_id_belongs_is_told_how_to_name_it(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "    segments:\n      - Enterprise EMEA\n      - smb\n"
                               "      - nordics\n")
    assert errors[0] == (
        "taxonomy.yml:13:9  indicators[0].segments[0]  must be an id of lowercase ASCII letters "
        '(a-z), digits and hyphens (got "Enterprise EMEA") (as an id it is written '
        "enterprise-emea; to show it as Enterprise EMEA, give the name after the id: "
        "`- enterprise-emea: Enterprise EMEA`)"), errors


def test_two_segments_in_one_item_and_an_empty_name_are_located(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "    segments:\n      - {emea-ent: Enterprise EMEA, smb: SMB}\n"
                               "      - nordics:\n")
    assert errors == [
        "taxonomy.yml:13:9  indicators[0].segments[0]  must be one segment: its id, or its id "
        "and its name (put each segment on its own `- ` line, e.g. `- emea-ent: Enterprise "
        "EMEA`)",
        "taxonomy.yml:14:9  indicators[0].segments[1].nordics  is empty: a segment's name "
        "follows its id (write its name after the colon, or its id alone: `- nordics`)",
    ]


def test_a_bad_id_in_the_mapping_form_is_an_error_at_its_key(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.replace("      emea-ent: Enterprise EMEA\n      smb:\n",
                                "      emea-ent: Enterprise EMEA\n      SMB Nordics: x\n", 1)
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1
    assert [line for line in lines if line.startswith("taxonomy.yml:")] == [
        "taxonomy.yml:23:7  indicators[1].segments.SMB Nordics  must be an id of lowercase "
        'ASCII letters (a-z), digits and hyphens (got "SMB Nordics") (as an id it is written '
        "smb-nordics; to show it as SMB Nordics, give the name after the id: `- smb-nordics: "
        "SMB Nordics`)"], lines


def test_one_segment_named_two_ways_or_two_segments_alike_are_errors(tmp_path: Path) -> None:
    """The name is the segment's wherever it is split by region: close-rate naming emea-ent
    otherwise, or nordics by smb's name, would show one segment two ways or two as one."""
    taxonomy = TAXONOMY.replace("      emea-ent: Enterprise EMEA\n      smb:\n      nordics:\n",
                                "      emea-ent: EMEA enterprise\n      smb:\n"
                                "      nordics: smb\n", 1)
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1
    assert [line for line in lines if line.startswith("taxonomy.yml:")] == [
        "taxonomy.yml:22:17  indicators[1].segments.emea-ent  names emea-ent 'EMEA enterprise', "
        "but meetings-booked names it 'Enterprise EMEA' (a segment has one name on every "
        "indicator split by region: write 'Enterprise EMEA' here too, or leave the name out "
        "here)",
        "taxonomy.yml:24:16  indicators[1].segments.nordics  'smb' is already the name of "
        "segment smb: pages would show two segments that read the same (give each segment its "
        "own name)"], lines


def test_a_derived_segment_its_inputs_lack_is_told_at_it_in_the_mapping_form(
        tmp_path: Path) -> None:
    """close-rate computed from deals won by region, which has no nordics: the error stands at
    nordics as the mapping writes it, not at an index the mapping does not have."""
    taxonomy = TAXONOMY.replace(
        "      nordics:\n  - id: cycle-days\n",
        "      nordics:\n    formula: deals-won / meetings-booked\n"
        "  - id: deals-won\n    label: Deals won\n    unit: count\n    better: up\n"
        "    segment_by: region\n    segments: [emea-ent, smb]\n  - id: cycle-days\n", 1)
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1
    assert [line for line in lines if line.startswith("taxonomy.yml:")] == [
        "taxonomy.yml:24:7  indicators[1].segments.nordics  'nordics' is no segment of "
        "deals-won, which close-rate is computed from (add nordics to the segments of deals-won "
        "too, as close-rate computes each segment from the same segment of its inputs; or "
        "remove it here)"], lines


def test_a_segment_named_all_is_still_reserved_in_the_mapping_form(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.replace("      smb:\n      nordics:\n", "      smb:\n      all: All\n", 1)
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1
    assert any(line.startswith("taxonomy.yml:24:7  indicators[1].segments.all  'all' is "
                               "reserved") for line in lines), lines


def test_the_schema_and_the_record_format_page_say_how_to_name_a_segment() -> None:
    schema = json.loads(run_cli("schema", "--taxonomy").output)
    segments = schema["$defs"]["Indicator"]["properties"]["segments"]
    assert "- emea-ent: Enterprise EMEA" in segments["description"]
    assert [form["type"] for form in segments["oneOf"]] == ["array", "object"]


# The pages. Field sales gives four months of readings by region; the emea-ent close rate
# falls in August after an action aimed at it was done in June; a review's scorecard row and
# a lost deal name the segment by id, as records do.

_CLOSE = {"2026-05": ('"9/20"', '"8/30"', '"6/20"'), "2026-06": ('"9/20"', '"9/30"', '"6/20"'),
          "2026-07": ('"10/20"', '"8/30"', '"6/20"'), "2026-08": ('"3/20"', '"9/30"', '"6/20"')}
_HELD = {"2026-05": "2026-06-03", "2026-06": "2026-07-02", "2026-07": "2026-08-04",
         "2026-08": "2026-09-02"}


def _retro(period: str, close: tuple[str, str, str] | None = None,
           held: str | None = None) -> str:
    """Field sales's retro of ``period``: its close rates by region (``_CLOSE``'s unless
    given), the action aimed at Enterprise EMEA raised in May and done in June."""
    emea, smb, nordics = close or _CLOSE[period]
    action = """actions:
  - id: FS-2026-05-1
    title: "Pair every Enterprise EMEA deal with a solutions engineer"
    owner: "Ingrid Dahl"
    due: 2026-06-20
    status: open
    cause: slow-first-touch
    indicator: close-rate
    segment: emea-ent
""" if period == "2026-05" else ""
    update = """action_updates:
  - id: FS-2026-05-1
    status: done
    done_on: 2026-06-18
""" if period == "2026-06" else ""
    return f"""---
type: retro
period: {period}
team: field-sales
title: "Field sales retro — {period}"
held: {held or _HELD[period]}
facilitator: "Ingrid Dahl"
participants: ["Ingrid Dahl", "Lars Berg"]
format: went-well-didnt
indicators:
  meetings-booked:
    emea-ent: 20
    smb: 30
    nordics: 20
  close-rate:
    emea-ent: {emea}
    smb: {smb}
    nordics: {nordics}
went_well:
  - "Meetings held up"
didnt_go_well:
  - "Slow first touch on inbound"
causes:
  - cause: slow-first-touch
{action}{update}---

The month's retro.
"""


_REVIEW = """---
type: review
period: 2026-Q3
title: "Quarterly review — 2026-Q3"
held: 2026-10-08
facilitator: "Ingrid Dahl"
participants: ["Ingrid Dahl", "Lars Berg"]
scorecard:
  - metric: "Close rate"
    goal: 0.4
    unit: rate
    indicator: close-rate
    segment: emea-ent
---

The quarter.
"""

_DEAL = """---
type: postmortem
name: "The Aurland Loss"
kind: deal-lost
outcome: loss
summary: "Aurland Shipping chose a local vendor."
team: field-sales
event_ended: 2026-08-20
held: 2026-08-25
keeper: "Lars Berg"
deal:
  customer: "Aurland Shipping"
  chose_us: false
  why: "A local vendor answered first."
  competitor: "Fjordsoft"
  segment: emea-ent
  value: 90000
causes:
  - cause: slow-first-touch
lessons:
  - lesson: "Call an inbound lead back the same day."
    applies_to: [deal]
---

Lost.
"""


def _files() -> dict[str, str]:
    files = {f"retros/{period}-field-sales.md": _retro(period) for period in _CLOSE}
    files["retros/2026-q3-review.md"] = _REVIEW
    files["postmortems/2026-08-the-aurland-loss.md"] = _DEAL
    return files


def _taxonomy_with_deals() -> str:
    return TAXONOMY.replace("teams:\n", "deals:\n  segment_by: region\nteams:\n", 1)


def _pages(tmp_path: Path) -> dict[str, str]:
    """The built pages, and the charts' SVG, by path."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    code, lines = _validate(root)
    assert code == 0, lines
    built = build(root, dt.date(2026, 10, 20), RenderOptions())
    return {path: body.decode("utf-8") for path, body in built.files.items()
            if path.endswith((".md", ".svg"))}


def test_pages_show_each_segment_by_its_name(tmp_path: Path) -> None:
    """Wherever a reader sees a segment: the indicator page's readings and its split, the
    retro's readings, the moves on the indicators index and the home page, the chart's
    description, the scorecard, the deal, the win-loss page and "Did it work?"."""
    pages = _pages(tmp_path)
    close = pages["indicators/close-rate.md"]
    assert ("Split by region: Enterprise EMEA (`emea-ent`), SMB (`smb`), nordics; \"all\" is "
            "the") in close
    assert "<td>Enterprise EMEA</td>" in close and "<td>nordics</td>" in close
    assert "<td>emea-ent</td>" not in close and "<td>smb</td>" not in close
    # The chart's panels, named in its description as in its panels' titles, in the
    # taxonomy's order (emea-ent, smb, nordics), not by id.
    assert "one small panel per segment (Enterprise EMEA, SMB, nordics)" in close
    svg = pages["charts/indicators/close-rate/field-sales.svg"]
    assert ">Enterprise EMEA</text>" in svg and ">emea-ent</text>" not in svg
    # Named on meetings-booked (a list) and close-rate (a mapping), and on cycle-days by
    # neither: the names are the region's.
    retro = pages["records/2026-08-field-sales.md"]
    assert "<th scope=\"row\">Close rate</th><td>Enterprise EMEA</td>" in retro
    assert "<th scope=\"row\">Meetings booked</th><td>SMB</td>" in retro
    assert ">emea-ent<" not in retro
    for page in ("indicators/index.md", "index.md"):
        assert "Enterprise EMEA</td>" in pages[page], page
    review = pages["records/2026-q3-review.md"]
    assert ">Close rate</a> (Enterprise EMEA)</th>" in review
    deal = pages["records/2026-08-the-aurland-loss.md"]
    # No indicator is split by ICP tier here: the line names the region alone.
    assert "- Region: Enterprise EMEA\n" in deal
    winloss = pages["postmortems/win-loss.md"]
    assert "Enterprise EMEA" in winloss.split("{ #segments }", 1)[1].split("## ", 1)[0]
    effects = pages["actions/effectiveness.md"]
    assert "Segment: </span>Enterprise EMEA</td>" in effects
    assert "emea-ent" not in effects.replace("segment: emea-ent", "")
    # What followed the action, beside it in every list of actions.
    assert "Close rate, Enterprise EMEA: 1 of 3 readings before it was done" \
        in pages["teams/field-sales.md"]


def test_exports_keep_the_segment_id_and_give_its_name_at_the_end(tmp_path: Path) -> None:
    """The exports are read by programs: `segment` keeps the id records write, and a last
    column, `segment_label`, gives the segment as pages show it, so a BI tool labels its rows
    without reading taxonomy.yml (the readings export and the actions' gave the id alone:
    'emea-ent', where every page says 'Enterprise EMEA'). A segment without a name, and a
    month's overall value, read as pages show them too: 'nordics', 'all'."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    built = build(root, dt.date(2026, 10, 20), RenderOptions())
    text = built.files["data/readings.csv"].decode("utf-8")
    header = text.splitlines()[0].split(",")
    # Added at the end, so a consumer reading the columns by position reads them as before.
    assert header[:16] == ["period", "team", "indicator", "segment", "value", "numerator",
                           "denominator", "computed", "method", "record", "prior_period",
                           "prior", "trailing_mean", "vs_prior", "vs_trailing", "verdict"]
    assert header[16] == "segment_label"
    labels = {(row["indicator"], row["segment"]): row["segment_label"]
              for row in csv.DictReader(io.StringIO(text))}
    assert labels[("close-rate", "emea-ent")] == "Enterprise EMEA"
    # Named on close-rate's mapping and meetings-booked's list: the region's names.
    assert labels[("meetings-booked", "emea-ent")] == "Enterprise EMEA"
    assert labels[("meetings-booked", "smb")] == "SMB"
    assert labels[("close-rate", "nordics")] == "nordics"
    assert labels[("close-rate", "all")] == "all"
    actions = json.loads(built.files["data/actions.json"])
    assert [(a["segment"], a["segment_label"]) for a in actions] == [
        ("emea-ent", "Enterprise EMEA")]
    rows = list(csv.DictReader(io.StringIO(built.files["data/actions.csv"].decode("utf-8"))))
    columns = list(rows[0])
    assert columns.index("segment_label") == columns.index("note_in") + 1 == 26
    assert rows[0]["segment_label"] == "Enterprise EMEA"
    printed = run_cli("actions", "--root", str(root), "--as-of", "2026-10-20", "--all",
                      "--format", "json")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout)["actions"][0]["segment_label"] == "Enterprise EMEA"


def test_the_built_site_shows_the_names(tmp_path: Path) -> None:
    """A real strict MkDocs build: the names are in the served HTML, the id only where a
    reader is told what records write."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    project = make_project(tmp_path / "site", root)
    result = mkdocs_build(project, "2026-10-20")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    close = (site / "indicators" / "close-rate" / "index.html").read_text(encoding="utf-8")
    assert "Split by region: Enterprise EMEA (<code>emea-ent</code>), SMB (<code>smb</code>)" \
        in close
    assert "<td>Enterprise EMEA</td>" in close and "<td>emea-ent</td>" not in close
    retro = (site / "records" / "2026-08-field-sales" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Close rate</th><td>Enterprise EMEA</td>' in retro
    winloss = (site / "postmortems" / "win-loss" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Enterprise EMEA</th>' in winloss


# The commands a team reads: prep's agenda, the review draft's example row, recall.

def test_prep_agenda_names_the_segment_that_moved(tmp_path: Path) -> None:
    """August's Enterprise EMEA close rate fell (10/20 to 3/20): September's draft puts it on
    the agenda by its name, and its readings block keeps the id records write."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    result = run_cli("prep", "--team", "field-sales", "--period", "2026-09", "--held",
                     "2026-10-02", "--root", str(root), "--as-of", "2026-10-20")
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-09-field-sales.md").read_text(encoding="utf-8")
    assert "| Close rate | Enterprise EMEA | 15.0% |" in draft, draft
    assert "| Close rate | emea-ent |" not in draft


def test_the_review_drafts_example_row_is_headed_by_the_segments_name(tmp_path: Path) -> None:
    """The commented scorecard row of `hindsight new review` names the example segment as the
    site heads the row, and gives its id under `segment:`."""
    taxonomy = _taxonomy_with_deals().replace(
        "      emea-ent: Enterprise EMEA\n      smb:\n      nordics:\n",
        "      smb:\n      nordics:\n      emea-ent: Enterprise EMEA\n", 1)
    root = _kb(tmp_path, taxonomy, _files())
    result = run_cli("new", "review", "--period", "2026-Q4", "--held", "2027-01-12",
                     "--facilitator", "Ingrid Dahl", "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-q4-review.md").read_text(encoding="utf-8")
    # The example goal is the segment's latest reading: August's 3 of 20.
    assert ('#   - metric: "Close rate (Enterprise EMEA)"\n#     goal: 0.15\n#     unit: rate\n'
            "#     indicator: close-rate\n#     segment: emea-ent\n") in draft, draft


def test_recall_names_the_segment_that_moved_before(tmp_path: Path) -> None:
    """Enterprise EMEA's close rate fell in April and again in August: the recall of August's
    retro says where it moved before by the segment's name; its JSON gives both."""
    close = {f"2026-0{m}": ('"3/20"' if m in (4, 8) else '"10/20"', '"9/30"', '"6/20"')
             for m in range(1, 9)}
    files = {f"retros/{period}-field-sales.md": _retro(period, figures, f"{period}-28")
             for period, figures in close.items()}
    root = _kb(tmp_path, _taxonomy_with_deals(), files)
    record = str(root / "retros" / "2026-08-field-sales.md")
    text = run_cli("recall", record, "--root", str(root), "--as-of", "2026-09-10").output
    assert "- Close rate (Enterprise EMEA):\n  - 2026-04, Field sales retro — 2026-04" in text
    assert "emea-ent" not in text
    data = json.loads(run_cli("recall", record, "--root", str(root), "--as-of", "2026-09-10",
                              "--format", "json").output)
    assert [(moved["segment"], moved["segment_label"])
            for moved in data["records"][0]["indicators"]] == [
        ("emea-ent", "Enterprise EMEA"), ("all", "all")]


# A segment written by its name, where records and CSVs give the id: pages show the name, so
# it is what people type. The hint gives the id the name stands for, not the name spelt as an
# id ("as an id it is written enterprise-emea": no such segment).

def test_a_segment_written_by_its_name_is_told_its_id(tmp_path: Path) -> None:
    files = _files()
    files["retros/2026-08-field-sales.md"] = files["retros/2026-08-field-sales.md"].replace(
        '    emea-ent: "3/20"', '    Enterprise EMEA: "3/20"').replace("    smb: 30\n",
                                                                       "    SMB: 30\n")
    files["postmortems/2026-08-the-aurland-loss.md"] = files[
        "postmortems/2026-08-the-aurland-loss.md"].replace("segment: emea-ent",
                                                           "segment: Enterprise EMEA")
    files["retros/2026-05-field-sales.md"] = files["retros/2026-05-field-sales.md"].replace(
        "    segment: emea-ent", "    segment: enterprise emea")
    files["retros/2026-q3-review.md"] = files["retros/2026-q3-review.md"].replace(
        "segment: emea-ent", "segment: SMB")
    code, lines = _validate(_kb(tmp_path, _taxonomy_with_deals(), files))
    assert code == 1
    assert lines[:-1] == [
        "postmortems/2026-08-the-aurland-loss.md:16:12  deal.segment  must be an id of "
        'lowercase ASCII letters (a-z), digits and hyphens (got "Enterprise EMEA") (write '
        "emea-ent: the id of the region named Enterprise EMEA)",
        "retros/2026-05-field-sales.md:33:14  actions[0].segment  must be an id of lowercase "
        'ASCII letters (a-z), digits and hyphens (got "enterprise emea") (write emea-ent: the '
        "id of the region named Enterprise EMEA)",
        "retros/2026-08-field-sales.md:13:10  indicators.meetings-booked.SMB  unknown region "
        "'SMB' (write smb: the id of the region named SMB)",
        "retros/2026-08-field-sales.md:16:22  indicators.close-rate.Enterprise EMEA  unknown "
        "region 'Enterprise EMEA' (write emea-ent: the id of the region named Enterprise EMEA)",
        "retros/2026-q3-review.md:13:14  scorecard[0].segment  must be an id of lowercase ASCII "
        'letters (a-z), digits and hyphens (got "SMB") (write smb: the id of the region named '
        "SMB)"], lines


def _prep_csv(root: Path, csv: Path, text: str) -> tuple[int, list[str]]:
    """Field sales's September draft from ``text`` written byte for byte as ``csv``: the exit
    code and the output's lines."""
    csv.write_bytes(text.encode("utf-8"))
    result = run_cli("prep", "--team", "field-sales", "--period", "2026-09", "--held",
                     "2026-10-02", "--metrics", str(csv), "--root", str(root),
                     "--as-of", "2026-10-20")
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


DRAFTED_BY_ID = ("indicators:\n  meetings-booked:\n    emea-ent: 22\n    smb: 31\n    nordics: 19\n"
                 '  close-rate:\n    emea-ent: "4/20"\n    smb: "10/30"\n    nordics: "7/20"\n')
"""The readings a draft from a CRM report of Field sales's September writes: by the segments'
ids, in the taxonomy's order, whatever the report called them."""

def test_a_metrics_csv_may_give_a_segment_by_its_name(tmp_path: Path) -> None:
    """A CRM report heads its rows by the names the CRM and the site give the regions
    (Enterprise EMEA, SMB), in any case and with the spaces a report pads its cells with. It
    was refused ("unknown region 'Enterprise EMEA' (write emea-ent: ...)"); each name is read
    as its segment, SMB on close-rate too though only meetings-booked names it, and the draft
    writes the ids, in the taxonomy's order, and validates."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    csv = tmp_path / "crm-report.csv"
    code, lines = _prep_csv(root, csv, (
        '\ufeff"Region","Indicator ID","Segment","Value"\r\n'
        '"EMEA","meetings-booked","Enterprise EMEA","22"\r\n'
        '"EMEA","close-rate","ENTERPRISE EMEA ","4/20"\r\n'
        '"Nordics","meetings-booked","nordics","19"\r\n'
        '"Nordics","close-rate","nordics","7/20"\r\n'
        '"SMB","close-rate","  smb","10/30"\r\n'
        '"SMB","meetings-booked","SMB","31"\r\n'))
    assert code == 0, lines
    assert lines[0] == (
        f"note: {csv.as_posix()}: segments given by their names were read as their ids "
        "(Enterprise EMEA and ENTERPRISE EMEA as emea-ent, SMB as smb), which the "
        "draft writes, as records do"), lines
    draft = (root / "retros" / "2026-09-field-sales.md").read_text(encoding="utf-8")
    assert DRAFTED_BY_ID in draft, draft
    assert "Enterprise EMEA:" not in draft and "SMB:" not in draft
    code, checked = _validate(root)
    assert code == 0, checked


def test_a_metrics_csv_may_give_a_segment_by_its_id_in_any_case(
        tmp_path: Path) -> None:
    """nordics has no name: the site shows its id, and a CRM report writes it as the CRM
    capitalises it (NORDICS, " Nordics "). It was refused ("unknown region 'NORDICS' (did you
    mean nordics?)") though a name in any case was read; it is read as nordics, said in the
    note with the names read, and the draft writes the id. A named segment's id in capitals
    (EMEA-ENT for emea-ent, named Enterprise EMEA) is read as its id too."""
    root = _kb(tmp_path, _taxonomy_with_deals(), _files())
    csv = tmp_path / "crm-report.csv"
    code, lines = _prep_csv(root, csv, (
        "Indicator ID;Segment;Value\n"
        "meetings-booked;NORDICS;19\n"
        "meetings-booked;smb;31\n"
        "meetings-booked;Enterprise EMEA;22\n"
        'close-rate;" Nordics ";7/20\n'
        "close-rate;EMEA-ENT;4/20\n"
        "close-rate;smb;10/30\n"))
    assert code == 0, lines
    assert lines[0] == (
        f"note: {csv.as_posix()}: segments given by their names or by their ids in another "
        "case were read as their ids (NORDICS and Nordics as nordics, Enterprise EMEA and "
        "EMEA-ENT as emea-ent), which the draft writes, as records do"), lines
    draft = (root / "retros" / "2026-09-field-sales.md").read_text(encoding="utf-8")
    assert DRAFTED_BY_ID in draft, draft
    code, checked = _validate(root)
    assert code == 0, checked


def test_a_segment_name_naming_none_or_two_segments_is_an_error(tmp_path: Path) -> None:
    """A name read as a segment names exactly one: "Nordics", the name of nordics-ent, is
    also the id nordics written in capitals, and which was meant is a guess; "APAC" names
    none, and is told the ids and their names; "Enterprise-EMEA", spelt otherwise than its
    name, is told both. Nothing is written."""
    taxonomy = _taxonomy_with_deals().replace(
        "      - nordics\n", "      - nordics\n      - nordics-ent: Nordics\n", 1)
    root = _kb(tmp_path, taxonomy, _files())
    csv = tmp_path / "crm-report.csv"
    code, lines = _prep_csv(root, csv, (
        "Indicator ID,Segment,Value\n"
        "meetings-booked,Enterprise-EMEA,22\n"
        "meetings-booked,SMB,31\n"
        "meetings-booked,Nordics,19\n"
        "meetings-booked,APAC,4\n"))
    shown = csv.as_posix()
    assert code == 1
    assert lines == [
        f"{shown}:2:17  segment  unknown region 'Enterprise-EMEA' (did you mean Enterprise "
        "EMEA (emea-ent)?)",
        f"{shown}:4:17  segment  'Nordics' names 2 regions of meetings-booked: nordics and "
        "nordics-ent (named Nordics) (write the id of the one meant: nordics or nordics-ent)",
        f"{shown}:5:17  segment  unknown region 'APAC' (known: emea-ent (Enterprise EMEA), "
        "smb (SMB), nordics, nordics-ent (Nordics))",
        f"error: {shown} has errors; nothing was written",
    ], lines
    assert not (root / "retros" / "2026-09-field-sales.md").exists()


def test_a_taxonomy_copied_with_other_indicators_reads_their_names() -> None:
    """The names are kept with the indicators they were read from: a copy given other
    indicators (`model_copy(update=...)`) reads theirs, not the first's."""
    from generator.records.taxonomy import Taxonomy
    from generator.records.yamlpos import parse

    taxonomy = Taxonomy.model_validate(parse(TAXONOMY).value)
    assert taxonomy.segment_name("region", "emea-ent") == "Enterprise EMEA"
    renamed = [indicator.model_copy(update={"written_segments": {"emea-ent": "EMEA enterprise"}})
               if indicator.id == "meetings-booked" else indicator.model_copy(
                   update={"written_segments": ["emea-ent", "smb", "nordics"]})
               for indicator in taxonomy.indicators]
    copied = taxonomy.model_copy(update={"indicators": renamed})
    assert copied.segment_name("region", "emea-ent") == "EMEA enterprise"
    assert copied.segment_name("region", "smb") == "smb"
    assert taxonomy.segment_name("region", "smb") == "SMB"


def test_a_name_over_several_lines_is_an_error(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.replace("      - emea-ent: Enterprise EMEA\n",
                                "      - emea-ent: |\n          Enterprise\n          EMEA\n", 1)
    code, lines = _validate(_kb(tmp_path, taxonomy))
    assert code == 1
    assert [line for line in lines if line.startswith("taxonomy.yml:")] == [
        "taxonomy.yml:13:19  indicators[0].segments[0].emea-ent  runs over several lines "
        "(write it on one line: Enterprise EMEA)"], lines


def test_a_post_mortem_drafts_example_row_stays_yaml_with_a_comma_in_the_name(
        tmp_path: Path) -> None:
    """The post-mortem draft's commented plan-vs-actual row is a one-line YAML mapping: a
    segment named "Enterprise, EMEA: strategic" left the metric unquoted, and the row, once
    uncommented, was no longer the mapping it showed (a comma ends a flow mapping's value)."""
    import yaml

    taxonomy = _taxonomy_with_deals().replace(
        "      emea-ent: Enterprise EMEA\n      smb:\n      nordics:\n",
        "      smb:\n      nordics:\n      emea-ent: 'Enterprise, EMEA: strategic'\n", 1).replace(
        "      - emea-ent: Enterprise EMEA\n", "      - emea-ent\n", 1)
    root = _kb(tmp_path, taxonomy, _files())
    result = run_cli("new", "postmortem", "--name", "The Aurland Renewal", "--kind",
                     "deal-lost", "--plan-kind", "deal", "--team", "field-sales", "--ended",
                     "2026-09-20", "--held", "2026-09-28", "--facilitator", "Ingrid Dahl",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / result.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    (row,) = [line for line in draft.splitlines() if line.startswith("#   - {metric:")]
    # Uncommented as the draft says ("delete the '# '"), under its field.
    (parsed,) = yaml.safe_load("plan_vs_actual:\n" + row.replace("# ", "", 1))["plan_vs_actual"]
    # August's close rate of Enterprise EMEA: 3 of 20.
    assert parsed == {"metric": "Close rate (Enterprise, EMEA: strategic)", "goal": 0.15,
                      "actual": 0.15, "unit": "rate"}, row
