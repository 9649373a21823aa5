"""A segment's name: ``segments:`` in taxonomy.yml may give each segment a name beside its id
(``emea-ent: Enterprise EMEA``), which readers see where the id ``emea-ent`` was shown.

The knowledge base here is unlike the sample: indicators split by region, segments named in
both written forms (a list's items and a mapping), one segment left without a name, and a name
given on one indicator only, which the other indicators split by region share.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_kb, run_cli

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
