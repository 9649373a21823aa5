"""'The fix did not stick': only when a cause is cited again at least one cadence (and no more
than the horizon) after the last of its actions was done, with that action and record as
the evidence; and on the sample it fires for a minority of causes."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, make_kb
from generator.analysis.link import link
from generator.records.validate import check
from generator.site.build import build
from sitetools import make_project, mkdocs_build, table_rows

AS_OF = dt.date(2026, 8, 1)


def _retro(period: str, held: str, extra: str) -> str:
    return f"""---
type: retro
period: {period}
team: sales
held: {held}
facilitator: Ana Ruiz
participants: [Ana Ruiz]
format: five-whys
indicators:
  win-rate: {{smb: "3/9"}}
{extra}---

Notes.
"""


# Cited in January (raises S-1), S-1 done 2026-02-10; cited again in the February retro
# (held 2026-03-04, 22 days after: the same episode) and in the April retro (held
# 2026-05-05, 84 days after: the fix did not stick). The March retro cites another cause.
RECORDS = {
    "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", """causes: [icp-drift]
actions:
  - {id: S-1, title: Name an economic buyer, owner: Ana Ruiz, due: 2026-02-27, cause: icp-drift}
"""),
    "retros/2026-02-sales.md": _retro("2026-02", "2026-03-04", """causes: [wrong-icp]
action_updates:
  - {id: S-1, status: done, done_on: 2026-02-10}
"""),
    "retros/2026-03-sales.md": _retro("2026-03", "2026-04-02", "causes: [nurture-decay]\n"),
    "retros/2026-04-sales.md": _retro("2026-04", "2026-05-05", "causes: [icp-drift]\n"),
}


def _taxonomy(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "taxonomy.yml"
    path.write_text((FIXTURES / "taxonomy.yml").read_text() + extra)
    return path


def _flags(root: Path) -> list[tuple[str, str, str, int | None]]:
    result = check(root, AS_OF)
    assert result.kb is not None and not result.problems.errors, result.problems.sorted()
    stats = link(result.kb).causes["icp-drift"]
    return [(c.entry.id, c.fixed_by.id, str(c.fixed_by.done_date), c.days_after_fix)
            for c in stats.recurred_after_fix if c.fixed_by is not None]


def test_cited_a_cadence_after_the_fix_is_flagged_with_its_evidence(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", RECORDS)
    # 2026-02-10 to 2026-05-05: 18 + 31 + 30 + 5 = 84 days; the February citation (22 days)
    # is within the 30-day cadence and is not flagged.
    assert _flags(root) == [("2026-04-sales", "S-1", "2026-02-10", 84)]
    cause = build(root, AS_OF).files["causes/icp-drift.md"].decode()
    box = cause.split('!!! danger "The fix did not stick"', 1)[1].split("\n\n|", 1)[0]
    assert "2026-04-sales.md" in box and "`S-1`" in box and "84 days after" in box
    assert "2026-02-sales.md" not in box


def test_a_cause_fixed_again_since_it_came_back_is_no_longer_flagged_as_back(
        tmp_path: Path) -> None:
    """April brings icp-drift back (84 days after S-1) and raises S-2, done 2026-05-20; no
    record cites the cause since. The home page and the causes index flag what is back now:
    not this cause. Its history stays, with the fix tried again."""
    records = {**RECORDS, "retros/2026-04-sales.md": _retro("2026-04", "2026-05-05", """\
causes: [icp-drift]
actions:
  - {id: S-2, title: Retrain on the ICP, owner: Ana Ruiz, due: 2026-05-31, cause: icp-drift}
"""), "retros/2026-05-sales.md": _retro("2026-05", "2026-06-03", """causes: [nurture-decay]
action_updates:
  - {id: S-2, status: done, done_on: 2026-05-20}
""")}
    root = make_kb(tmp_path / "kb", records)
    assert _flags(root) == [("2026-04-sales", "S-1", "2026-02-10", 84)]
    files = build(root, AS_OF).files
    home = files["index.md"].decode()
    (line,) = [row for row in table_rows(home) if "Causes back after their fix" in row]
    assert line == "| Causes back after their fix | 0 |", line
    assert "### The fix did not stick" not in home
    index = files["causes/index.md"].decode()
    row = next(row for row in table_rows(index) if row.startswith("| [ICP drift]"))
    assert "fix did not stick" not in row
    assert ('fixed again since: `S-2` done on <span class="hs-date">2026-05-20</span>, not back '
            "since") in index
    assert "**Back now**, no fix since that has held (0)." in index
    assert "**Fixed again since**, not back after the fix (1):" in index
    cause = files["causes/icp-drift.md"].decode()
    assert ('Fixed again since: `S-2` (Retrain on the ICP) was done on <span class="hs-date">'
            "2026-05-20</span>") in cause
    # Cited once more after S-2 (June retro, 2026-07-03: 44 days): back again, flagged.
    records["retros/2026-06-sales.md"] = _retro("2026-06", "2026-07-03", "causes: [icp-drift]\n")
    again = make_kb(tmp_path / "again", records)
    index = build(again, AS_OF).files["causes/index.md"].decode()
    row = next(row for row in table_rows(index) if row.startswith("| [ICP drift]"))
    assert "⚠ fix did not stick" in row


def test_cadence_and_horizon_come_from_the_taxonomy(tmp_path: Path) -> None:
    # A 14-day cadence and a 60-day horizon: February (22 days) is flagged, April (84) is not.
    taxonomy = _taxonomy(tmp_path, "fix_cadence_days: 14\nfix_horizon_days: 60\n")
    root = make_kb(tmp_path / "kb", RECORDS, taxonomy)
    assert _flags(root) == [("2026-02-sales", "S-1", "2026-02-10", 22)]


def test_an_open_action_means_the_fix_is_still_under_way(tmp_path: Path) -> None:
    records = dict(RECORDS)
    records["retros/2026-03-sales.md"] = _retro("2026-03", "2026-04-02", """causes: [nurture-decay]
actions:
  - {id: S-2, title: Re-score the pipeline, owner: Ana Ruiz, due: 2026-06-30, cause: icp-drift}
""")
    assert _flags(make_kb(tmp_path / "kb", records)) == []


def test_a_horizon_shorter_than_the_cadence_is_a_located_error(tmp_path: Path) -> None:
    taxonomy = _taxonomy(tmp_path, "fix_cadence_days: 30\nfix_horizon_days: 20\n")
    root = make_kb(tmp_path / "kb", RECORDS, taxonomy)
    problems = [p.format() for p in check(root, AS_OF).problems.sorted()]
    lines = (root / "taxonomy.yml").read_text().splitlines()
    line = lines.index("fix_horizon_days: 20") + 1
    assert any(p.startswith(f"taxonomy.yml:{line}:") and "fix_horizon_days" in p
               and "shorter than fix_cadence_days" in p for p in problems), problems


def test_on_the_sample_it_fires_for_a_minority_of_causes_each_with_evidence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = check(REPO, dt.date(2026, 11, 26))
    assert result.kb is not None
    links = link(result.kb)
    cited = [c for c in links.causes.values() if c.count]
    fired = [c for c in cited if c.recurred_after_fix]
    with capsys.disabled():
        print(f"\n'fix did not stick' on the sample: {len(fired)} of {len(cited)} cited causes")
    assert 0 < len(fired) < len(cited) / 2
    for stats in fired:
        for citation in stats.recurred_after_fix:
            fix = citation.fixed_by
            assert fix is not None and fix.done_date is not None and fix.cause == stats.cause.id
            days = (citation.entry.date - fix.done_date).days
            assert result.kb.taxonomy.fix_cadence_days <= days <= result.kb.taxonomy.fix_horizon_days


def test_a_record_citing_a_cause_twice_counts_once(tmp_path: Path) -> None:
    """Once by its id, once by an alias (after two causes were merged): one citation."""
    import shutil

    case = Path(__file__).parent / "bad_input" / "cause-cited-twice"
    root = tmp_path / "kb"
    shutil.copytree(case / "retros", root / "retros")
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    result = check(root, dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors
    citations = link(result.kb).causes["icp-drift"].citations
    assert [(c.entry.id, c.index) for c in citations] == [("2026-05-sales", 0)]
    # Its page keeps both chains of whys: the second (cited as wrong-icp, merged into
    # icp-drift) was dropped while validation told the writer to keep it.
    page = build(root, dt.date(2026, 7, 1)).files["causes/icp-drift.md"].decode()
    first, second = page.index("1. Why? Enterprise win rate fell"), page.index(
        "Another chain of whys in the same record:\n\n1. Why? Deals outside the ICP reached "
        "late stages")
    assert first < second, page


def test_a_fix_cited_again_after_it_was_done_is_not_called_fixed(tmp_path: Path) -> None:
    """April brings icp-drift back and raises S-2 (done 2026-05-20) and S-3 (still open). The
    May retro (held 2026-06-03, 14 days after S-2) cites it: the same episode, the fix may
    still hold. The June retro (held 2026-07-03, 44 days after) cites it again: it has not
    held. With S-3 open that citation is no new "back after its fix", so the page said "Fixed
    again since: S-2 …, and no record has cited the cause since" and the home page stopped
    counting it, under a list of records citing it since."""
    records = {**RECORDS, "retros/2026-04-sales.md": _retro("2026-04", "2026-05-05", """\
causes: [icp-drift]
actions:
  - {id: S-2, title: Retrain on the ICP, owner: Ana Ruiz, due: 2026-05-31, cause: icp-drift}
  - {id: S-3, title: Rescore the pipeline, owner: Ana Ruiz, due: 2026-09-30, cause: icp-drift}
"""), "retros/2026-05-sales.md": _retro("2026-05", "2026-06-03", """causes: [icp-drift]
action_updates:
  - {id: S-2, status: done, done_on: 2026-05-20}
""")}
    root = make_kb(tmp_path / "kb", records)
    files = build(root, AS_OF).files
    cause = files["causes/icp-drift.md"].decode()
    assert ('Fixed again since: `S-2` (Retrain on the ICP) was done on <span class="hs-date">'
            "2026-05-20</span>, and the cause has been cited since only within 30 days of it ("
            ) in cause, cause
    assert "2026-05-sales" in cause.split("cited since only within 30 days of it (", 1)[1] \
        .split(": the same episode)", 1)[0]
    records["retros/2026-06-sales.md"] = _retro("2026-06", "2026-07-03", "causes: [icp-drift]\n")
    again = make_kb(tmp_path / "again", records)
    files = build(again, AS_OF).files
    cause = files["causes/icp-drift.md"].decode()
    assert "Fixed again since" not in cause and "no record has cited" not in cause, cause
    home = files["index.md"].decode()
    (line,) = [row for row in table_rows(home) if "Causes back after their fix" in row]
    assert line == "| Causes back after their fix | [1](causes/#fix-did-not-stick) |", line
    index = files["causes/index.md"].decode()
    section = index.split("## The fix did not stick", 1)[1]
    assert "**Back now**, no fix since that has held (1):" in section
    assert "- ⚠ [ICP drift](icp-drift.md): back in" in section, section
    # S-3, raised when it came back, is still open: said beside it, and the rule's sentence
    # says "none open when it came back", not "none still open" above a table counting one.
    assert "; [1](icp-drift.md#actions) action open now" in section, section
    assert "with none open when it came back" in cause and "none still open" not in cause
    assert "**Fixed again since**" not in section


def _review(quarter: str, held: str, causes: str) -> str:
    return f"""---
type: review
period: {quarter}
held: {held}
facilitator: Ana Ruiz
scorecard:
  - {{metric: Logos, goal: 5, actual: 6, unit: count}}
causes: {causes}
---

Notes.
"""


def test_the_teams_beside_a_cause_count_its_company_wide_reviews(tmp_path: Path) -> None:
    """ICP drift is cited by a Sales retro, a Marketing retro and two company-wide quarterly
    reviews (no team): 4 records, but its Teams read "Marketing, Sales", two of the four
    nowhere; nurture decay, cited by one review alone, had no team at all beside its 1."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", "causes: [icp-drift]\n"),
        "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-04", "causes: [icp-drift]\n")
        .replace("team: sales", "team: marketing"),
        "retros/2025-q4-review.md": _review("2025-Q4", "2026-01-08", "[icp-drift]"),
        "retros/2026-q1-review.md": _review("2026-Q1", "2026-04-08", "[nurture-decay, icp-drift]"),
    })
    files = build(root, AS_OF).files
    index = files["causes/index.md"].decode()
    rows = "\n".join(table_rows(index))
    # The teams again under the cause, for a phone, where the Teams column is hidden.
    assert ("| [ICP drift](../causes/icp-drift/) cited by Marketing, Sales, 2 company-wide "
            "reviews | [4](../causes/icp-drift/#citations) | "
            "Marketing, Sales, 2 company-wide reviews | ") in rows, rows
    assert ("| [Nurture decay](../causes/nurture-decay/) cited by 1 company-wide review | "
            "[1](../causes/nurture-decay/#citations) | 1 company-wide review | ") in rows, rows
    home = files["index.md"].decode()
    rows = "\n".join(table_rows(home))
    assert ("| [ICP drift](causes/icp-drift/) | [4](causes/icp-drift/#citations) | "
            "Marketing, Sales, 2 company-wide reviews | ") in rows, rows
    # Cited once, it is on the causes index, not among home's recurring causes.
    assert "causes/nurture-decay/" not in rows, rows
    page = files["causes/icp-drift.md"].decode()
    assert "| [4](#citations) | Marketing, Sales, 2 company-wide reviews | " in page, page


def test_dropping_an_action_again_later_does_not_hide_that_the_fix_did_not_stick(
        tmp_path: Path) -> None:
    """S-2, raised against the same cause in January, is dropped by the February retro (held
    2026-03-04) and dropped again, with a note, by a May retro held 2026-06-02, after the April
    citation. The fix was closed on 2026-03-04, before April's retro: S-1 (done 2026-02-10)
    still did not stick, 84 days after. Taking the second drop as the close put it after the
    April retro (some of the fix still owed then) and hid the flag."""
    records = dict(RECORDS)
    records["retros/2026-01-sales.md"] = records["retros/2026-01-sales.md"].replace(
        "cause: icp-drift}\n", "cause: icp-drift}\n  - {id: S-2, title: Re-score the pipeline, "
        "owner: Ana Ruiz, due: 2026-03-31, cause: icp-drift}\n")
    records["retros/2026-02-sales.md"] = records["retros/2026-02-sales.md"].replace(
        "done_on: 2026-02-10}\n", "done_on: 2026-02-10}\n  - {id: S-2, status: dropped, "
        "note: S-1 covers it}\n")
    records["retros/2026-05-sales.md"] = _retro("2026-05", "2026-06-02", "action_updates:\n"
                                                "  - {id: S-2, status: dropped, note: Still "
                                                "covered by S-1}\n")
    root = make_kb(tmp_path / "kb", records)
    assert _flags(root) == [("2026-04-sales", "S-1", "2026-02-10", 84)]


class _Lists(HTMLParser):
    """The lists of a page section and where its bold group headings stand: for each
    ``<strong>`` text, whether it is inside a list item; for each list, its items' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.lists: list[list[str]] = []
        self.headings: dict[str, bool] = {}
        self._strong: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "ul":
            self.lists.append([])
        elif tag == "li" and self.open[-1:] == ["ul"]:
            self.lists[-1].append("")
        elif tag == "strong":
            self._strong = []
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "strong" and self._strong is not None:
            self.headings["".join(self._strong)] = "li" in self.open
            self._strong = None
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._strong is not None:
            self._strong.append(data)
        if "li" in self.open and self.lists:
            self.lists[-1][-1] += data


def test_the_causes_back_now_and_those_fixed_again_are_two_lists_in_the_built_site(
        tmp_path: Path) -> None:
    """Nurture decay (N-1 done 2026-04-10, cited again by May's retro 54 days later, its new
    action N-2 still open) and hand-off decay (H-1 done 2026-02-10, back 53 days later in
    March's retro) are back now; ICP drift came back in April and S-2 fixed it again since.
    The last item of "Back now" ended in a template tag that took its line break, so in the
    built page "**Fixed again since**, not back after the fix (1):" ran on inside that item:
    one list, its heading lost in a cause's text."""
    records = {
        **RECORDS,
        "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", """\
causes: [icp-drift, sdr-ae-handoff]
actions:
  - {id: S-1, title: Name an economic buyer, owner: Ana Ruiz, due: 2026-02-27, cause: icp-drift}
  - {id: H-1, title: Book meetings in 48 hours, owner: Ana Ruiz, due: 2026-02-20, cause: sdr-ae-handoff}
"""),
        "retros/2026-02-sales.md": _retro("2026-02", "2026-03-04", """\
causes: [wrong-icp]
action_updates:
  - {id: S-1, status: done, done_on: 2026-02-10}
  - {id: H-1, status: done, done_on: 2026-02-10}
"""),
        "retros/2026-03-sales.md": _retro("2026-03", "2026-04-04", """\
causes: [nurture-decay, sdr-ae-handoff]
actions:
  - {id: N-1, title: Rewrite the nurture track, owner: Kim Lee, due: 2026-04-30, cause: nurture-decay}
"""),
        "retros/2026-04-sales.md": _retro("2026-04", "2026-05-05", """\
causes: [icp-drift]
actions:
  - {id: S-2, title: Retrain on the ICP, owner: Ana Ruiz, due: 2026-05-31, cause: icp-drift}
action_updates:
  - {id: N-1, status: done, done_on: 2026-04-10}
"""),
        "retros/2026-05-sales.md": _retro("2026-05", "2026-06-03", """\
causes: [nurture-decay]
actions:
  - {id: N-2, title: Score nurture replies weekly, owner: Kim Lee, due: 2026-09-30, cause: nurture-decay}
action_updates:
  - {id: S-2, status: done, done_on: 2026-05-20}
"""),
    }
    project = make_project(tmp_path / "site", make_kb(tmp_path / "kb", records))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stdout + built.stderr
    html = (project / "site" / "causes" / "index.html").read_text(encoding="utf-8")
    section = html.split('id="fix-did-not-stick"', 1)[1].split('id="not-cited-yet"', 1)[0]
    page = _Lists()
    page.feed(section)
    assert page.headings == {"Back now": False, "Fixed again since": False}, page.headings
    assert len(page.lists) == 2, page.lists
    back_now, fixed_since = page.lists
    assert sorted(item.split(":", 1)[0].strip().lstrip("⚠ ") for item in back_now) == [
        "Nurture decay", "SDR-to-AE hand-off decay"], back_now
    assert all("Fixed again since" not in item for item in back_now), back_now
    assert "1 action open now" in " ".join(back_now), back_now
    (fixed,) = fixed_since
    assert fixed.strip().startswith("ICP drift: back in") and "S-2 done on" in fixed, fixed


def _marketing(period: str, held: str, extra: str) -> str:
    return _retro(period, held, extra).replace("team: sales", "team: marketing")


def test_a_cause_back_beyond_the_horizon_is_said_to_be_back_on_its_page(tmp_path: Path) -> None:
    """A 90-day horizon. Marketing fixes nurture decay with M-1 (done 2025-10-20) and aims M-2
    at ICP drift before any record cites it (done 2025-11-25). The company's Q1 review (held
    2026-03-03) cites both: nurture decay 134 days after M-1, beyond the horizon. Its page
    showed no trace of it coming back ("the fix did not stick" looks no further), though the
    records said so. It is said now, once: the March retro citing it again is the same
    return. ICP drift was never cited before, so it is not "back"; and the horizon rule
    itself is kept: nothing is flagged as a fix that did not stick."""
    taxonomy = _taxonomy(tmp_path, "fix_horizon_days: 90\n")
    root = make_kb(tmp_path / "kb", {
        "retros/2025-09-marketing.md": _marketing("2025-09", "2025-10-02", """\
causes: [nurture-decay]
actions:
  - {id: M-1, title: Audit every nurture link, owner: Ana Ruiz, due: 2025-10-31, cause: nurture-decay}
"""),
        "retros/2025-10-marketing.md": _marketing("2025-10", "2025-11-04", """\
causes: [sdr-ae-handoff]
action_updates:
  - {id: M-1, status: done, done_on: 2025-10-20}
actions:
  - {id: M-2, title: Write the ICP down, owner: Ana Ruiz, due: 2025-11-30, cause: icp-drift}
"""),
        "retros/2025-11-marketing.md": _marketing("2025-11", "2025-12-02", """\
causes: [sdr-ae-handoff]
action_updates:
  - {id: M-2, status: done, done_on: 2025-11-25}
"""),
        "retros/2026-q1-review.md": _review("2026-Q1", "2026-03-03", "[icp-drift, nurture-decay]"),
        "retros/2026-03-marketing.md": _marketing("2026-03", "2026-04-02",
                                                  "causes: [nurture-decay]\n"),
    }, taxonomy)
    files = build(root, AS_OF).files
    cause = files["causes/nurture-decay.md"].decode()
    box = cause.split('!!! warning "Back after its fix"', 1)[1].split("\n\n|", 1)[0]
    assert ('[Quarterly review — 2026-Q1](../records/2026-q1-review.md) (held <span class='
            '"hs-date">2026-03-03</span>) cited it again 134 days after its last fix was done '
            '(beyond the 90 days "the fix did not stick" looks at): `M-1` (Audit every nurture '
            'link), done on <span class="hs-date">2025-10-20</span>') in box, box
    assert "2026-03-marketing" not in box and "did not stick" not in cause.split(box)[0]
    citations = cause.split("## Cited in", 1)[1]
    assert ("(../records/2026-q1-review.md) — Company — **back after its fix**: cited again "
            "134 days after `M-1` was done (beyond the 90 days") in citations, citations
    assert citations.count("**back after its fix**") == 1
    assert "Back after its fix" not in files["causes/icp-drift.md"].decode()
    home = files["index.md"].decode()
    (line,) = [row for row in table_rows(home) if "Causes back after their fix" in row]
    assert line == "| Causes back after their fix | 0 |", line
