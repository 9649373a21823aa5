"""Teams that meet more often than monthly (an SDR team's sprint retro every two weeks) or at
no fixed interval (a field-marketing team's retro per campaign), beside a monthly team.
A sprint team (``retros: biweekly``) holds several retros a month, one giving the month's
readings: compared month by month, never a sprint's with the next."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import make_kb, run_cli
from generator.paths import RenderOptions
from generator.site.build import build
from sitetools import make_project, mkdocs_build

TAXONOMY = """\
company: Quillfield
causes:
  - id: ae-calendar-full
    title: AE calendars full
    description: Meetings are booked into calendars with no open slots.
  - id: stale-sequence
    title: Stale outbound sequence
    description: The sequence has not changed since last quarter.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
  - id: connect-rate
    label: Connect rate
    unit: rate
    better: up
teams:
  - id: sdr
    name: SDR Team
    retros: biweekly
  - id: field-marketing
    name: Field Marketing
  - id: sales
    name: Sales
    monthly_retros: true
plan_kinds:
  - id: campaign
    title: Campaigns
"""


def retro(team: str, month: str, held: str, readings: str, extra: str = "") -> str:
    """A retro of ``team`` for ``month`` held on ``held``."""
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            "facilitator: Dana Cole\nformat: went-well-didnt\n"
            f"indicators:\n{readings}{extra}---\n\nThe sprint.\n")


def records() -> dict[str, str]:
    """Four months: the SDR team's retro of each month (July's two sprints: the first, held
    mid-month, without readings; the second with the month's), field marketing's of two
    campaigns (June and September) and the sales team's monthly retros."""
    files: dict[str, str] = {}
    for n, month in enumerate(("2026-06", "2026-07", "2026-08", "2026-09")):
        held = f"2026-{int(month[5:]) + 1:02d}-01"
        files[f"retros/{month}-sdr.md"] = retro(
            "sdr", month, held, f"  meetings-booked: {40 + n}\n  connect-rate: \"{90 + n}/1000\"\n")
        files[f"retros/{month}-sales.md"] = retro("sales", month, held,
                                                   f"  meetings-booked: {30 + n}\n")
    files["retros/2026-07-sdr-2.md"] = files["retros/2026-07-sdr.md"].replace(
        "held: 2026-08-01", "held: 2026-07-31").replace(
        "---\n\nThe sprint.", "action_updates:\n  - {id: SDR-2026-07-1, status: done}\n"
        "---\n\nThe sprint.")
    files["retros/2026-07-sdr.md"] = retro("sdr", "2026-07", "2026-07-17", "",
                                           "actions:\n  - {id: SDR-2026-07-1, title: Book "
                                           "into open AE slots, owner: Ravi Patel, "
                                           "due: 2026-07-31}\n")
    for month in ("2026-06", "2026-09"):
        files[f"retros/{month}-field-marketing.md"] = retro(
            "field-marketing", month, f"2026-{int(month[5:]) + 1:02d}-02",
            "  connect-rate: \"12/80\"\n")
    return files


def kb(tmp_path: Path, files: dict[str, str], taxonomy: str = TAXONOMY) -> Path:
    """A knowledge base of ``files`` under ``taxonomy``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "sprint.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", files, taxonomy=tmp_path / "sprint.yml")


AS_OF = dt.date(2026, 10, 15)


def test_a_cadence_hindsight_has_no_word_for_says_what_to_write(tmp_path: Path) -> None:
    # `retros: per-campaign` was refused with "use one of: monthly, quarterly" alone: no word
    # of leaving retros: out for a team with no fixed cadence.
    taxonomy = (TAXONOMY.replace("retros: biweekly", "retros: fortnightly")
                .replace("name: Field Marketing\n",
                         "name: Field Marketing\n    retros: per-campaign\n"))
    result = run_cli("validate", "--root", str(kb(tmp_path, records(), taxonomy)),
                     "--as-of", str(AS_OF))
    assert result.exit_code == 1 and "Traceback" not in result.output
    hint = ("(use monthly, quarterly, or biweekly for a team that meets more often than "
            "monthly (every sprint); for a team with no fixed cadence (a retro per campaign, "
            "or as needed) leave retros: out: its retros are read month by month and no "
            "month is missing)")
    assert ("taxonomy.yml:21:13  teams[0].retros  must be one of monthly, quarterly, biweekly "
            f"(got \"fortnightly\") {hint}") in result.output, result.output
    assert ("taxonomy.yml:24:13  teams[1].retros  must be one of monthly, quarterly, biweekly "
            f"(got \"per-campaign\") {hint}") in result.output, result.output


def test_a_cadence_in_other_case_is_still_corrected(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.replace("retros: biweekly", "retros: Biweekly")
    result = run_cli("validate", "--root", str(kb(tmp_path, records(), taxonomy)),
                     "--as-of", str(AS_OF))
    assert "teams[0].retros  must be one of monthly, quarterly, biweekly (got \"Biweekly\") " \
           "(did you mean biweekly?)" in result.output, result.output


def test_two_sprint_retros_of_a_month_validate(tmp_path: Path) -> None:
    # Two SDR retros of July were an error, "sdr already has a retro for 2026-07 ... (one
    # retro per team and month; merge them)", and the first, held 2026-07-17, warned that it
    # was held before its month ended. A per-campaign team missing July and August is missing
    # no month.
    result = run_cli("validate", "--root", str(kb(tmp_path, records())), "--as-of", str(AS_OF))
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


def test_a_months_readings_are_given_once(tmp_path: Path) -> None:
    files = records()
    files["retros/2026-07-sdr.md"] = retro("sdr", "2026-07", "2026-07-17",
                                           "  meetings-booked: 20\n")
    result = run_cli("validate", "--root", str(kb(tmp_path, files)), "--as-of", str(AS_OF))
    assert result.exit_code == 1, result.output
    assert ("retros/2026-07-sdr-2.md:8:1  indicators  sdr already gives its readings of "
            "2026-07 in retros/2026-07-sdr.md (a team that meets every sprint (retros: "
            "biweekly) gives a month's readings once, its figures for the whole month: keep "
            "them in one of its retros of 2026-07, and delete indicators: here)"
            in result.output), result.output
    # The one giving readings mid-month reviews part of it, as a monthly team's would.
    assert ("retros/2026-07-sdr.md:5:7  held  warning: 2026-07-17 is before the month it "
            "reviews (2026-07) ended (2026-07-31)") in result.output, result.output


def test_a_month_without_readings_is_warned_at_its_latest_sprint(tmp_path: Path) -> None:
    files = records()
    files["retros/2026-07-sdr-2.md"] = retro("sdr", "2026-07", "2026-07-31", "")
    result = run_cli("validate", "--root", str(kb(tmp_path, files)), "--as-of", str(AS_OF))
    assert ("retros/2026-07-sdr-2.md:3:9  period  warning: records no leading-indicator "
            "readings (add the month's readings under indicators: in one of sdr's retros of "
            "2026-07 so trends can be drawn)") in result.output, result.output
    assert "retros/2026-07-sdr.md:3:9  period  warning" not in result.output, result.output


def test_both_sprints_are_listed_and_readings_compared_by_month(tmp_path: Path) -> None:
    pages = {path: content.decode() for path, content in
             build(kb(tmp_path, records()), AS_OF, RenderOptions()).files.items()
             if path.endswith(".md")}
    july = next(line for line in pages["retros/index.md"].splitlines()
                if line.startswith('<tr><th scope="row">July 2026</th>'))
    # The July cell showed one of the two retros only.
    assert ('<a href="../records/2026-07-sdr/">held <span class="hs-date">2026-07-17</span>: '
            '0 causes, 1 action</a><br><a href="../records/2026-07-sdr-2/">held <span '
            'class="hs-date">2026-07-31</span>: 0 causes, 0 actions</a>') in july, july
    page = pages["indicators/meetings-booked.md"]
    # July's reading is the month's, from its second sprint, compared with June's.
    assert ('<tr><th scope="row" class="hs-date">2026-07</th><td>all</td><td class="hs-num">'
            '<a href="../../records/2026-07-sdr-2/#indicators">41</a></td><td class="hs-num">'
            '+1</td>') in page, page


def test_new_retro_writes_a_months_next_sprint(tmp_path: Path) -> None:
    root = kb(tmp_path, records())
    result = run_cli("new", "retro", "--root", str(root), "--team", "sdr", "--period",
                     "2026-07", "--held", "2026-07-24", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("retros/2026-07-sdr-3.md"), result.output
    text = (root / "retros/2026-07-sdr-3.md").read_text(encoding="utf-8")
    assert 'title: "SDR Team retro — July 2026, sprint 3"' in text
    # It opened "# Monthly retro for sdr, 2026-07.", as the site now calls it a sprint retro.
    assert text.startswith("---\n# Sprint retro for sdr, 2026-07. "), text
    assert "#   - id: SDR-2026-07-2\n" in text, text  # SDR-2026-07-1 is the first sprint's
    # July's readings are given in its second sprint's retro: none are asked for again, and
    # held within the month, it is told of no readings to wait for. That retro is held a
    # week after this one (2026-07-31), so they are not given "already".
    assert ("# The month's readings are given in retros/2026-07-sdr-2.md (held "
            "2026-07-31, after this one)") in text and "indicators: {}\n" in text, text
    assert result.stderr == "", result.stderr
    # A monthly team's month is still refused.
    result = run_cli("new", "retro", "--root", str(root), "--team", "sales", "--period",
                     "2026-07", "--held", "2026-08-03", "--facilitator", "Dana Cole")
    assert result.exit_code != 0 and "retros/2026-07-sales.md already exists" in result.output
    result = run_cli("new", "retro", "--root", str(root), "--team", "sales", "--period",
                     "2026-10", "--held", "2026-11-03", "--facilitator", "Dana Cole")
    assert (root / "retros/2026-10-sales.md").read_text(encoding="utf-8").startswith(
        "---\n# Monthly retro for sales, 2026-10. "), result.output


def test_a_monthly_teams_month_taken_says_what_to_pick(tmp_path: Path) -> None:
    # It said "pick another period, team or name": a retro has no name to pick.
    root = kb(tmp_path, records())
    for command in (("new", "retro"), ("prep",)):
        result = run_cli(*command, "--root", str(root), "--team", "sales", "--period",
                         "2026-07", "--held", "2026-08-03", "--facilitator", "Dana Cole",
                         *(("--as-of", "2026-10-15") if command == ("prep",) else ()))
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert ("retros/2026-07-sales.md already exists; not overwriting it (edit that file, "
                "or pick another period or team; a team that holds more than one retro a "
                "month says retros: biweekly in taxonomy.yml)") in result.output, result.output


def test_prep_writes_a_months_next_sprint(tmp_path: Path) -> None:
    root = kb(tmp_path, records())
    result = run_cli("prep", "--root", str(root), "--team", "SDR Team", "--period", "2026-09",
                     "--held", "2026-09-30", "--as-of", "2026-10-15",
                     "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("retros/2026-09-sdr-2.md"), result.output
    text = (root / "retros/2026-09-sdr-2.md").read_text(encoding="utf-8")
    assert 'title: "SDR Team retro — September 2026, sprint 2"' in text, text
    assert (root / "retros/2026-09-sdr.md").read_text(encoding="utf-8") == records()[
        "retros/2026-09-sdr.md"]


def test_a_quarters_review_taken_says_what_to_pick(tmp_path: Path) -> None:
    root = kb(tmp_path, records())
    args = ("new", "review", "--period", "2026-Q3", "--held", "2026-10-09",
            "--facilitator", "Dana Cole", "--root", str(root))
    assert run_cli(*args).exit_code == 0
    again = run_cli(*args)
    assert again.exit_code != 0 and ("retros/2026-q3-review.md already exists; not "
                                     "overwriting it (edit that file, or pick another quarter "
                                     "or team)") in again.output, again.output


def test_two_campaign_retros_of_a_month_say_what_fits_them(tmp_path: Path) -> None:
    # Field marketing's retros of two September campaigns were told "one retro per team and
    # month; merge them" alone: no word of the sprint cadence or of a campaign's post-mortem.
    files = records()
    files["retros/2026-09-field-marketing-webinar.md"] = retro(
        "field-marketing", "2026-09", "2026-09-18", "  connect-rate: \"9/60\"\n")
    result = run_cli("validate", "--root", str(kb(tmp_path, files)), "--as-of", str(AS_OF))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("retros/2026-09-field-marketing-webinar.md:3:9  period  field-marketing already "
            "has a retro for 2026-09: retros/2026-09-field-marketing.md (one retro per team "
            "and month; merge them, or, if field-marketing holds more than one retro a month, "
            "say retros: biweekly for it in taxonomy.yml; a look-back at one campaign or event "
            "is a post-mortem (hindsight new postmortem))") in result.output, result.output


def test_a_sprint_retros_page_says_it_is_a_sprint_retro(tmp_path: Path) -> None:
    """A retro of a team that meets every sprint opened "**Monthly retro**", a month's when
    it was one of two of that month; it says "Sprint retro". A monthly team's still says
    "Monthly retro"."""
    files = build(kb(tmp_path, records()), AS_OF, RenderOptions()).files
    for path in ("records/2026-07-sdr.md", "records/2026-07-sdr-2.md"):
        page = files[path].decode()
        assert "**Sprint retro** · " in page and "Monthly retro" not in page, page
    monthly = next(path for path in files if path.startswith("records/")
                   and "-sdr" not in path and "retro" in files[path].decode()[:2000]
                   and "**Monthly retro** · " in files[path].decode())
    assert "**Sprint retro**" not in files[monthly].decode()


def test_the_retros_list_is_headed_by_how_its_teams_meet(tmp_path: Path) -> None:
    """The list holding the SDR team's sprint retros beside Sales's monthly ones was headed
    "Monthly retros"; a knowledge base of sprint teams alone has sprint retros."""
    pages = build(kb(tmp_path, records()), AS_OF, RenderOptions()).files
    retros = pages["retros/index.md"].decode()
    assert "title: Retros\n" in retros and "\n# Retros\n" in retros, retros
    assert ("Every team's retro, newest first: monthly, or one every sprint for a team that "
            "meets every sprint, a month's side by side. Each\nreviews the leading indicators "
            "against the prior month and the 3-month trend, names what moved the wrong way,"
            ) in retros, retros
    assert '<thead><tr><th>Month</th>' in retros
    sprints = {path: text for path, text in records().items() if "-sdr" in path}
    alone = build(kb(tmp_path / "sprints", sprints), AS_OF, RenderOptions()).files
    retros = alone["retros/index.md"].decode()
    assert "title: Sprint retros\n" in retros and "\n# Sprint retros\n" in retros, retros
    assert "Every team's sprint retro, newest first, a month's side by side." in retros


def _listed_project(tmp_path: Path, label: str | None) -> Path:
    """A site of `records` whose sidebar lists the retros list by its label (``label``, or
    unlabelled as the template's mkdocs.yml has it): its sections have no index pages
    (navigation.indexes off), so the label is shown, not the section's name."""
    project = make_project(tmp_path / "site", kb(tmp_path, records()))
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n      - retros/index.md\n" in text and "    - navigation.indexes\n" in text
    entry = f"{label}: retros/index.md" if label is not None else "retros/index.md"
    config.write_text(text.replace("\n      - retros/index.md\n", f"\n      - {entry}\n")
                      .replace("    - navigation.indexes\n", ""), encoding="utf-8")
    return project


def _sidebar_label(site: Path) -> str:
    """The label the home page's sidebar gives the retros list."""
    home = re.sub(r"\s+", " ", (site / "index.html").read_text(encoding="utf-8"))
    found = re.findall(r'<a href="(?:\./)?retros/" class="md-nav__link"> <span class="md-ellipsis"> '
                       r"([^<]*?) </span>", home)
    assert len(set(found)) == 1, found
    return found[0]


@pytest.mark.parametrize(("label", "shown"), [
    (None, "Retros"),  # the template's mkdocs.yml: unlabelled, named by its heading
    ("Monthly retros", "Retros"),  # as the template's mkdocs.yml labelled it before
    ("Team retros", "Team retros"),  # the company's own label stays
])
def test_the_retros_lists_nav_label_follows_its_heading(tmp_path: Path, label: str | None,
                                                        shown: str) -> None:
    """The sidebar read "Monthly retros" (the label mkdocs.yml gave the page, which wins over
    its title) of a list holding a sprint team's retros beside a monthly team's."""
    project = _listed_project(tmp_path, label)
    built = mkdocs_build(project, str(AS_OF))
    assert built.returncode == 0, built.stdout + built.stderr
    assert _sidebar_label(project / "site") == shown
    page = (project / "site" / "retros" / "index.html").read_text(encoding="utf-8")
    assert "<title>Retros - Brightlane — what we learned</title>" in page, page[:3000]


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                    reason="Zensical is not installed (pip install 'hindsight[zensical]')")
def test_the_retros_lists_nav_label_follows_its_heading_under_zensical(tmp_path: Path) -> None:
    project = _listed_project(tmp_path, "Monthly retros")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", str(AS_OF))
    assert result.exit_code == 0, result.output
    assert _sidebar_label(project / "site") == "Retros"
    own = _listed_project(tmp_path / "own", "Team retros")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(own),
                     "--as-of", str(AS_OF))
    assert result.exit_code == 0, result.output
    assert _sidebar_label(own / "site") == "Team retros"


def test_a_sprint_teams_untitled_retros_of_a_month_are_named_apart(tmp_path: Path) -> None:
    """The SDR team's untitled retros of July, three sprints, all read "SDR Team retro — July
    2026" on its team page, What's new, the home page and the exports, and the retros list's
    July cell was three links of counts alone. The month's second, 2026-07-sdr-2.md, is
    "..., sprint 2", as `new retro` titles it; one named otherwise says the day it was held;
    the first, 2026-07-sdr.md, keeps the month's title. A monthly team's is unchanged."""
    files = records()
    files["retros/2026-07-sdr-wk3.md"] = retro("sdr", "2026-07", "2026-07-24", "")
    pages = {path: content.decode() for path, content in
             build(kb(tmp_path, files), AS_OF, RenderOptions()).files.items()
             if path.endswith((".md", ".csv"))}
    team = pages["teams/sdr.md"]
    for record, title in (("2026-07-sdr-2", "SDR Team retro — July 2026, sprint 2"),
                          ("2026-07-sdr-wk3", "SDR Team retro — July 2026, held 24 July"),
                          ("2026-07-sdr", "SDR Team retro — July 2026")):
        assert f"- [{title}](../records/{record}.md) — " in team, team
        assert f"# {title}\n" in pages[f"records/{record}.md"]
        assert f'<a href="../records/{record}/">{title}</a></th>' in pages["whats-new.md"]
    assert "\n2026-07-sdr-2,retro,\"SDR Team retro — July 2026, sprint 2\",sdr," in \
        pages["data/records.csv"]
    assert "# Sales retro — July 2026\n" in pages["records/2026-07-sales.md"]
    july = next(line for line in pages["retros/index.md"].splitlines()
                if line.startswith('<tr><th scope="row">July 2026</th>'))
    assert ('<a href="../records/2026-07-sdr/">held <span class="hs-date">2026-07-17</span>: '
            '0 causes, 1 action</a><br><a href="../records/2026-07-sdr-wk3/">held <span '
            'class="hs-date">2026-07-24</span>: 0 causes, 0 actions</a><br><a href="../records/'
            '2026-07-sdr-2/">held <span class="hs-date">2026-07-31</span>: 0 causes, 0 actions'
            '</a>') in july, july
    # A month of one retro keeps its cell as it was.
    assert '<td><a href="../records/2026-08-sdr/">0 causes, 0 actions</a></td>' in \
        pages["retros/index.md"]


def test_prep_of_a_later_sprint_shows_the_months_readings_given(tmp_path: Path) -> None:
    """The SDR team's September readings (20 meetings booked, after 40, 41 and 42) are
    given in its first retro of September. prep's draft of the month's second sprint ignored
    them: it offered "# Add the month's leading-indicator readings" with examples to type
    (an error at indicators: once typed, the month's readings being given once), and its
    agenda said "No readings were given for September 2026" and showed August's. It now
    says where they are given, shows them, and puts September's movers on the agenda."""
    files = records()
    files["retros/2026-09-sdr.md"] = retro(
        "sdr", "2026-09", "2026-10-01", '  meetings-booked: 20\n  connect-rate: "93/1000"\n')
    root = kb(tmp_path, files)
    csv = tmp_path / "september.csv"
    csv.write_text("indicator,segment,value\nmeetings-booked,,20\n", encoding="utf-8")
    refused = run_cli("prep", "--root", str(root), "--team", "sdr", "--period", "2026-09",
                      "--held", "2026-10-02", "--as-of", "2026-10-15",
                      "--facilitator", "Dana Cole", "--metrics", str(csv))
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert (f"--metrics {csv.as_posix()}: sdr already gives its readings of 2026-09 in "
            "retros/2026-09-sdr.md (a team that meets every sprint gives a month's readings "
            "once: leave --metrics out, and correct them in that file if they changed)"
            ) in refused.output, refused.output
    assert not (root / "retros/2026-09-sdr-2.md").exists()
    result = run_cli("prep", "--root", str(root), "--team", "sdr", "--period", "2026-09",
                     "--held", "2026-10-02", "--as-of", "2026-10-15",
                     "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    text = (root / "retros/2026-09-sdr-2.md").read_text(encoding="utf-8")
    assert ("# The month's readings are given already, in retros/2026-09-sdr.md (held "
            "2026-10-01): a\n# team that meets every sprint gives them once a month, so this "
            "retro gives none. The\n# briefing below shows them; to correct one, edit that "
            "file.\nindicators: {}\n") in text, text
    assert "#   meetings-booked:" not in text and "No readings were given" not in text, text
    assert ("## Readings of September 2026\n\nGiven in retros/2026-09-sdr.md (SDR Team retro — "
            "September 2026, held 2026-10-01), for the whole\nmonth; this retro gives none of "
            "its own (a month's readings are given once).\n\n"
            "| Indicator | Segment | September 2026 |\n| --- | --- | --- |\n"
            "| Meetings booked | all | 20 |\n| Connect rate | all | 9.3% (93/1000) |\n") in text
    assert ("These indicators moved the wrong way against last month **and** the trailing "
            "3-month mean\nin the readings of September 2026 given in retros/2026-09-sdr.md."
            ) in text, text
    # Against August's 42 and the mean of June to August (40, 41, 42).
    assert "| Meetings booked | all | 20 | 42 | 41 | \u221222 | \u221221 |" in text, text
    # The draft is a valid retro of the month as written.
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-10-15")
    assert "0 errors" in checked.output, checked.output


def _home_counts(files: dict[str, bytes]) -> str:
    """The home page's sentence counting the records."""
    home = files["index.md"].decode()
    start = home.index("go-to-market teams:\n")
    return home[start:home.index("Figures as of", start)]


def test_the_home_page_counts_sprint_retros_apart(tmp_path: Path) -> None:
    """The home page said "11 monthly retros" of the SDR team's five sprint retros beside
    six others' (Sales's monthly ones and field marketing's, read month by month)."""
    counts = _home_counts(build(kb(tmp_path, records()), AS_OF, RenderOptions()).files)
    assert counts == ("go-to-market teams:\n[6](retros/index.md) monthly retros,\n"
                      "[5](retros/index.md) sprint retros,\n0 quarterly reviews and\n"
                      "0 named post-mortems.\n"), counts
    # Shaped otherwise: a sprint team alone, one of its retros under its earlier id (an
    # alias), beside a team that meets quarterly.
    taxonomy = (TAXONOMY.replace("    retros: biweekly\n",
                                 "    retros: biweekly\n    aliases: [bdr]\n")
                .replace("name: Field Marketing\n", "name: Field Marketing\n"
                         "    retros: quarterly\n"))
    files = {path: text for path, text in records().items() if "-sales" not in path}
    files["retros/2026-05-bdr.md"] = retro("bdr", "2026-05", "2026-06-01",
                                           "  meetings-booked: 39\n")
    counts = _home_counts(build(kb(tmp_path / "alone", files, taxonomy), AS_OF,
                                RenderOptions()).files)
    assert counts == ("go-to-market teams:\n[6](retros/index.md) sprint retros,\n"
                      "[2](retros/index.md) quarterly retros,\n0 quarterly reviews and\n"
                      "0 named post-mortems.\n"), counts
    assert "monthly" not in counts


GIVEN = ("# The month's readings are given already, in {path} (held {held}): a\n# team that "
         "meets every sprint gives them once a month, so this retro gives none")


def test_new_retro_of_a_later_sprint_asks_for_no_readings_given(tmp_path: Path) -> None:
    """`new retro` of the SDR team's second sprint of September, whose readings its first
    retro of the month gives, offered "# Review 3-4 against last month and the 3-month
    trend, e.g." and readings to type ("#   meetings-booked: 58"), an error at indicators:
    once typed ("sdr already gives its readings of 2026-09"). It writes indicators: {} under
    a comment naming where they are given, as `prep` does."""
    files = records()
    files["retros/2026-09-sdr.md"] = retro(
        "sdr", "2026-09", "2026-10-01", '  meetings-booked: 20\n  connect-rate: "93/1000"\n')
    root = kb(tmp_path, files)
    result = run_cli("new", "retro", "--root", str(root), "--team", "SDR Team", "--period",
                     "2026-09", "--held", "2026-10-02", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("retros/2026-09-sdr-2.md"), result.output
    text = (root / "retros/2026-09-sdr-2.md").read_text(encoding="utf-8")
    given = GIVEN.format(path="retros/2026-09-sdr.md", held="2026-10-01")
    assert (f"{given}; to\n# correct one, edit that file.\nindicators: {{}}\n") in text, text
    assert "#   meetings-booked:" not in text and "Review 3-4" not in text, text
    # prep's draft of the month's next sprint says the same.
    prepped = run_cli("prep", "--root", str(root), "--team", "sdr", "--period", "2026-09",
                      "--held", "2026-10-03", "--as-of", "2026-10-15",
                      "--facilitator", "Dana Cole")
    assert prepped.exit_code == 0, prepped.output
    assert given in (root / "retros/2026-09-sdr-3.md").read_text(encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-10-15")
    assert "0 errors" in checked.output, checked.output


def test_new_retro_names_readings_given_mid_month(tmp_path: Path) -> None:
    """Shaped otherwise: the SDR team's readings of October given in its first sprint's
    retro, held mid-month and named by its week (2026-10-sdr-wk1.md). The next sprint's draft,
    held within the month, names that file, and is not told to give the month's readings in
    a retro held after the month. Where the month's earlier sprint gave none, the draft still
    offers readings to type, and the note says to give them after the month."""
    files = records()
    files["retros/2026-10-sdr-wk1.md"] = retro("sdr", "2026-10", "2026-10-09",
                                               "  meetings-booked: 12\n")
    root = kb(tmp_path, files)
    result = run_cli("new", "retro", "--root", str(root), "--team", "sdr", "--period",
                     "2026-10", "--held", "2026-10-23", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    assert result.stderr == "", result.stderr
    text = (root / "retros/2026-10-sdr.md").read_text(encoding="utf-8")
    assert GIVEN.format(path="retros/2026-10-sdr-wk1.md", held="2026-10-09") in text, text
    assert "indicators: {}\n" in text and "#   meetings-booked:" not in text, text
    prepped = run_cli("prep", "--root", str(root), "--team", "sdr", "--period", "2026-10",
                      "--held", "2026-10-24", "--as-of", "2026-10-15",
                      "--facilitator", "Dana Cole")
    assert prepped.exit_code == 0, prepped.output
    assert "readings" not in prepped.stderr, prepped.stderr
    assert GIVEN.format(path="retros/2026-10-sdr-wk1.md", held="2026-10-09") in (
        root / "retros/2026-10-sdr-2.md").read_text(encoding="utf-8")

    files["retros/2026-10-sdr-wk1.md"] = retro("sdr", "2026-10", "2026-10-09", "")
    root = kb(tmp_path / "none", files)
    result = run_cli("new", "retro", "--root", str(root), "--team", "sdr", "--period",
                     "2026-10", "--held", "2026-10-23", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    text = (root / "retros/2026-10-sdr.md").read_text(encoding="utf-8")
    assert "indicators:\n#   meetings-booked: " in text and "given already" not in text, text
    assert ("note: held: 2026-10-23 is before the month it reviews (2026-10) ends "
            "(2026-10-31); give the month's readings in its retro held after the month, not "
            "in this one") in result.stderr, result.stderr


def test_a_later_sprints_draft_is_headed_by_its_title(tmp_path: Path) -> None:
    """prep's draft of the SDR team's third sprint of July was titled "SDR Team retro — July
    2026, sprint 3" but its body was headed "# SDR Team retro — July 2026", and its opening
    comment said "for the SDR Team retro of July 2026"; both drafts' headings, and prep's
    opening comment, now read as their titles. A monthly team's, and a sprint team's first
    of a month, are headed as before."""
    root = kb(tmp_path, records())
    drafts = {}
    for command, team, period in ((("prep",), "sdr", "2026-07"),
                                  (("new", "retro"), "sdr", "2026-07"),
                                  (("prep",), "sales", "2026-10"), (("prep",), "sdr", "2026-10")):
        result = run_cli(*command, "--root", str(root), "--team", team, "--period", period,
                         "--held", f"{period}-28" if team == "sdr" else "2026-11-02",
                         "--facilitator", "Dana Cole",
                         *(("--as-of", "2026-11-15") if command == ("prep",) else ()))
        assert result.exit_code == 0, result.output
        path = result.stdout.strip().splitlines()[-1]
        drafts[path[path.index("retros/"):]] = Path(path).read_text(encoding="utf-8")
    for path, title in (("retros/2026-07-sdr-3.md", "SDR Team retro — July 2026, sprint 3"),
                        ("retros/2026-07-sdr-4.md", "SDR Team retro — July 2026, sprint 4"),
                        ("retros/2026-10-sales.md", "Sales retro — October 2026"),
                        ("retros/2026-10-sdr.md", "SDR Team retro — October 2026")):
        text = drafts[path]
        assert f'title: "{title}"' in text and f"\n---\n\n# {title}\n" in text, text
    # prep's opening comment named the third sprint "the SDR Team retro of July 2026" alone.
    for path, opened in (("retros/2026-07-sdr-3.md", "the SDR Team retro of July 2026, sprint 3"),
                         ("retros/2026-10-sales.md", "the Sales retro of October 2026"),
                         ("retros/2026-10-sdr.md", "the SDR Team retro of October 2026")):
        assert drafts[path].startswith(
            f"---\n# Draft prepared by `hindsight prep` for {opened}.\n# Fill in"), drafts[path]


def test_prep_as_of_before_the_readings_retro_still_sees_its_readings(tmp_path: Path) -> None:
    """prep read the knowledge base as of its as-of day alone: with the SDR team's September
    readings given in retros/2026-09-sdr.md, held 2026-10-01, `prep --as-of 2026-09-30` of
    the month's next sprint offered "# Add the month's leading-indicator readings" with
    examples to type (an error at indicators: once typed, a month's readings being given
    once) and its agenda said "No readings were given for September 2026". It sees them, as
    `new retro` and `validate` do; of that later retro only its readings: the action it
    raises is not carried over as of a day before it was held."""
    files = records()
    files["retros/2026-09-sdr.md"] = retro(
        "sdr", "2026-09", "2026-10-01", '  meetings-booked: 20\n  connect-rate: "93/1000"\n',
        "actions:\n  - {id: SDR-2026-09-1, title: Refresh the outbound sequence, owner: Ravi "
        "Patel, due: 2026-10-30}\n")
    root = kb(tmp_path, files)
    csv = tmp_path / "september.csv"
    csv.write_text("indicator,segment,value\nmeetings-booked,,20\n", encoding="utf-8")
    options = ("--root", str(root), "--team", "sdr", "--period", "2026-09", "--held",
               "2026-10-02", "--as-of", "2026-09-30", "--facilitator", "Dana Cole")
    refused = run_cli("prep", *options, "--metrics", str(csv))
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert "sdr already gives its readings of 2026-09 in retros/2026-09-sdr.md" in \
        refused.output, refused.output
    result = run_cli("prep", *options)
    assert result.exit_code == 0, result.output
    text = (root / "retros/2026-09-sdr-2.md").read_text(encoding="utf-8")
    given = GIVEN.format(path="retros/2026-09-sdr.md", held="2026-10-01")
    assert f"{given}. The\n# briefing below shows them; to correct one, edit that file.\n" \
           "indicators: {}\n" in text, text
    assert "#   meetings-booked:" not in text and "No readings were given" not in text, text
    assert ("Given in retros/2026-09-sdr.md (SDR Team retro — September 2026, held "
            "2026-10-01, after the as-of\nday), for the whole month;") in text, text
    assert "| Meetings booked | all | 20 | 42 | 41 | \u221222 | \u221221 |" in text, text
    assert "SDR-2026-09-1" not in text and "No open actions." in text, text
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-10-15")
    assert "0 errors" in checked.output, checked.output


def test_a_sprint_held_before_the_retro_giving_the_months_readings_says_after(
        tmp_path: Path) -> None:
    """The SDR team's readings of September are given in the retro closing the month, held
    2026-10-02; a draft of a sprint held before it, on 2026-09-18, said they were "given
    already, in retros/2026-09-sdr-close.md (held 2026-10-02)", which is not so on the day
    it is held. It says they are given there, after this one, in `new retro` and in `prep`;
    a sprint held after that retro is still told "already"."""
    files = records()
    del files["retros/2026-09-sdr.md"]
    files["retros/2026-09-sdr-close.md"] = retro(
        "sdr", "2026-09", "2026-10-02", '  meetings-booked: 20\n  connect-rate: "93/1000"\n')
    root = kb(tmp_path, files)
    after = ("# The month's readings are given in retros/2026-09-sdr-close.md (held 2026-10-02, "
             "after this one): a\n# team that meets every sprint gives them once a month, so "
             "this retro gives none")
    result = run_cli("new", "retro", "--root", str(root), "--team", "sdr", "--period",
                     "2026-09", "--held", "2026-09-18", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip())
    text = written.read_text(encoding="utf-8")
    assert after in text and "given already" not in text, text
    assert "indicators: {}\n" in text, text
    written.unlink()
    prepped = run_cli("prep", "--root", str(root), "--team", "sdr", "--period", "2026-09",
                      "--held", "2026-09-18", "--as-of", "2026-10-15",
                      "--facilitator", "Dana Cole")
    assert prepped.exit_code == 0, prepped.output
    text = Path(prepped.stdout.strip()).read_text(encoding="utf-8")
    assert after in text and "given already" not in text, text
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-10-15")
    assert "0 errors" in checked.output, checked.output
    # Held after the retro that gives them: given already.
    result = run_cli("new", "retro", "--root", str(root), "--team", "sdr", "--period",
                     "2026-09", "--held", "2026-10-05", "--facilitator", "Dana Cole")
    assert result.exit_code == 0, result.output
    assert GIVEN.format(path="retros/2026-09-sdr-close.md", held="2026-10-02") in Path(
        result.stdout.strip()).read_text(encoding="utf-8")


def test_the_records_export_tells_a_months_sprint_retros_apart(tmp_path: Path) -> None:
    """data/records.* listed the SDR team's retros of July as `retro` rows of period 2026-07,
    like Sales's monthly one, with nothing saying which were sprint retros (the home page
    counts "6 monthly retros, 5 sprint retros") or which of the month's three gave its
    readings. Two last columns say so: `cadence` (`monthly`, `sprint`, `quarterly`, as the
    home page counts them) and `gives_readings` (the retro whose rows data/readings.csv
    names); both null for a review or a post-mortem."""
    files = records()
    files["retros/2026-07-sdr-wk3.md"] = retro("sdr", "2026-07", "2026-07-24", "")
    built = build(kb(tmp_path, files), AS_OF, RenderOptions()).files
    rows = json.loads(built["data/records.json"])
    july = {row["id"]: (row["title"], row["cadence"], row["gives_readings"])
            for row in rows if row["period"] == "2026-07"}
    assert july == {
        "2026-07-sdr": ("SDR Team retro — July 2026", "sprint", False),
        "2026-07-sdr-wk3": ("SDR Team retro — July 2026, held 24 July", "sprint", False),
        "2026-07-sdr-2": ("SDR Team retro — July 2026, sprint 2", "sprint", True),
        "2026-07-sales": ("Sales retro — July 2026", "monthly", True)}, july
    # The home page's counts, and the readings export's records, from the same rows.
    cadences = Counter(row["cadence"] for row in rows)
    assert cadences == {"monthly": 6, "sprint": 6}, cadences
    assert "[6](retros/index.md) monthly retros,\n[6](retros/index.md) sprint retros" in \
        _home_counts(built)
    readings = csv.DictReader(io.StringIO(built["data/readings.csv"].decode()))
    assert {row["record"] for row in readings} == {
        row["id"] for row in rows if row["gives_readings"]}
    table = list(csv.DictReader(io.StringIO(built["data/records.csv"].decode())))
    assert list(table[0])[15:17] == ["cadence", "gives_readings"], list(table[0])
    # A team meeting quarterly, a review and a post-mortem.
    taxonomy = TAXONOMY.replace("name: Field Marketing\n",
                                "name: Field Marketing\n    retros: quarterly\n")
    files["retros/2026-q3-review.md"] = (
        "---\ntype: review\nperiod: 2026-Q3\ntitle: Q3 review\nheld: 2026-10-08\n"
        "facilitator: Dana Cole\nscorecard:\n  - {metric: Meetings booked, goal: 120, unit: count,"
        " indicator: meetings-booked}\n---\n\nThe quarter.\n")
    files["postmortems/2026-09-the-expo.md"] = (
        "---\ntype: postmortem\nname: The Expo\nkind: event\noutcome: mixed\n"
        "summary: Busy booth, few meetings.\nteam: field-marketing\nevent_ended: 2026-09-20\n"
        "held: 2026-09-25\nkeeper: Dana Cole\nplan_kind: campaign\n---\n\nThe expo.\n")
    rows = json.loads(build(kb(tmp_path / "quarterly", files, taxonomy), AS_OF,
                            RenderOptions()).files["data/records.json"])
    kinds = {row["id"]: (row["type"], row["cadence"], row["gives_readings"]) for row in rows
             if "field-marketing" in row["id"] or row["type"] != "retro"}
    assert kinds == {"2026-06-field-marketing": ("retro", "quarterly", True),
                     "2026-09-field-marketing": ("retro", "quarterly", True),
                     "2026-q3-review": ("review", None, None),
                     "2026-09-the-expo": ("postmortem", None, None)}, kinds


def test_a_reviews_figures_name_the_retros_they_come_from_by_title(tmp_path: Path) -> None:
    """A review's note on how its computed figures were made linked the records behind them
    by id, "from [2026-07-sdr-2](…), [2026-07-sales](…)", file names where every other page
    names a record by its title. They are named by title now, a sprint's as its page is
    headed ("SDR Team retro — July 2026, sprint 2") and one with a `title:` of its own by
    that; the links lead where they did, and the page is rendered again when a title
    changes."""
    files = records()
    files["retros/2026-08-sales.md"] = files["retros/2026-08-sales.md"].replace(
        "team: sales\n", "team: sales\ntitle: Sales retro — August, the price change\n")
    files["retros/2026-q3-review.md"] = (
        "---\ntype: review\nperiod: 2026-Q3\nheld: 2026-10-06\nfacilitator: Dana Cole\n"
        "scorecard:\n  - {metric: Meetings booked, indicator: meetings-booked, goal: 200, unit: count}\n"
        "---\n\nThe quarter.\n")
    root = kb(tmp_path, files)
    checked = run_cli("validate", "--root", str(root), "--as-of", str(AS_OF))
    assert checked.exit_code == 0, checked.output
    page = build(root, AS_OF, RenderOptions()).files["records/2026-q3-review.md"].decode()
    line = next(line for line in page.splitlines() if line.startswith("- **Meetings booked**"))
    sources = re.findall(r"\[([^\]]+)\]\(([^)]+)\)", line.split("; from ", 1)[1])
    assert sources == [
        ("Sales retro — July 2026", "2026-07-sales.md"),
        ("SDR Team retro — July 2026, sprint 2", "2026-07-sdr-2.md"),
        ("Sales retro — August, the price change", "2026-08-sales.md"),
        ("SDR Team retro — August 2026", "2026-08-sdr.md"),
        ("Sales retro — September 2026", "2026-09-sales.md"),
        ("SDR Team retro — September 2026", "2026-09-sdr.md")], line

    # Generated with its caches, then again once a source's title changed: the review's
    # page names it as it is now.
    out = tmp_path / "out"
    for title in ("the price change", "new prices"):
        retro = root / "retros" / "2026-08-sales.md"
        retro.write_text(re.sub(r"August, .*\n", f"August, {title}\n",
                                retro.read_text(encoding="utf-8")), encoding="utf-8")
        made = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of",
                       str(AS_OF), "--quiet")
        assert made.exit_code == 0, made.output
        page = (out / "records" / "2026-q3-review.md").read_text(encoding="utf-8")
        assert f"[Sales retro — August, {title}](2026-08-sales.md)" in page, page
