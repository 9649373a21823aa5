"""A knowledge base as broad as an enterprise's: many teams with long names, dozens of overdue
actions and wrong-way readings, one cause cited by most teams. The summary pages stay short
(each list capped, with its total and a link to the full one), and the indicator and team
pages say who reports what and who is worst without scrolling every chart."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from conftest import copy_sample
from generator.paths import name_order
from generator.site.build import build
from sitetools import table_rows

AS_OF = dt.date(2026, 11, 23)
MONTHS = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]

# Ids in another order than the names: "Partner Team — Référence Partners France"
# (partners-fr) sorts after "Partner Team — Global System Integrators" (partners-gsi) by name,
# and "Ángel's Revenue Operations & Analytics" (zz-revops) first, its accent aside.
TEAMS = [
    ("ent-cee", "Enterprise Sales — Central & Eastern Europe"),
    ("ent-idf", "Enterprise Sales — Île-de-France & Sud"),
    ("ent-iberia", "Enterprise Sales — Iberia — España & Portugal"),
    ("ent-latam", "Enterprise Sales — LATAM — São Paulo & México"),
    ("mm-dach", "Mid-Market Sales — DACH & Österreich"),
    ("mm-nordics", "Mid-Market Sales — Nordics"),
    ("sdr-emea", "SDR Pod — EMEA South & Méditerranée"),
    ("sdr-amer", "SDR Pod — Americas"),
    ("cs-strat", "Customer Success — Strategic Accounts"),
    ("cs-onb", "Customer Success — Onboarding & Adoption"),
    ("partners-fr", "Partner Team — Référence Partners France"),
    ("partners-gsi", "Partner Team — Global System Integrators"),
    ("mkt-demand", "Marketing — Demand Generation"),
    ("mkt-brand", "Marketing — Brand, Content & Communications"),
    ("zz-revops", "Ángel's Revenue Operations & Analytics"),
]
NAMES = dict(TEAMS)
BUSY_CAUSE = "handoff-decay"
"""Cited by the first 12 teams, each citation by one team's latest retro."""
INDICATORS = [
    {"id": "win-rate", "label": "Win rate", "unit": "rate", "better": "up"},
    {"id": "sales-cycle", "label": "Sales cycle", "unit": "days", "better": "down"},
    {"id": "meetings", "label": "Meetings booked", "unit": "count", "better": "up"},
]
# How far each team's latest month falls, in steps: not in the teams' order, so the worst
# move is no team's by position.
FALL = [7, 3, 12, 1, 9, 15, 5, 11, 2, 14, 8, 4, 13, 6, 10]


def _readings(i: int, month: int) -> dict[str, float | int]:
    """Team ``i``'s readings in month ``month`` (0-based): steady, then its latest month the
    wrong way for every indicator, by `FALL`."""
    latest = month == len(MONTHS) - 1
    fall = FALL[i] if latest else 0
    base = 0.30 + 0.01 * i
    return {"win-rate": round(base - 0.01 * fall, 3),
            "sales-cycle": 60 + i + 2 * fall,
            "meetings": 200 + 5 * i - 4 * fall}


def _retro(i: int, month: int) -> str:
    team, name = TEAMS[i]
    period = MONTHS[month]
    year, number = map(int, period.split("-"))
    held = dt.date(year, number + 1, 2 + i % 5)
    latest = month == len(MONTHS) - 1
    cause = BUSY_CAUSE if latest and i < 12 else f"cause-{(i + month) % 8}"
    # Every month's action but the latest is overdue on the as-of day, some by far more.
    due = held + dt.timedelta(days=40 if latest else 10 + 3 * FALL[i])
    record = {
        "type": "retro", "period": period, "team": team, "held": held.isoformat(),
        "facilitator": "Zoë O'Brien", "participants": ["Zoë O'Brien", "José Álvarez"],
        "format": "five-whys",
        "indicators": _readings(i, month),
        "went_well": ["Pipeline reviews held every week"],
        "didnt_go_well": ["Hand-offs slipped again"],
        "causes": [{"cause": cause, "whys": ["Hand-offs slipped", "No one owns them"]}],
        "actions": [{"id": f"{team.upper()}-{period}", "title": f"Fix the hand-offs of {name}",
                     "owner": ["Zoë O'Brien", "José Álvarez", "Søren Kjærgaard"][i % 3],
                     "due": due.isoformat(), "cause": cause, "indicator": "win-rate"}],
        "lessons": [{"lesson": "Book the hand-off call before the meeting ends.",
                     "applies_to": ["deal"]}],
    }
    return (f"---\n{yaml.safe_dump(record, allow_unicode=True, sort_keys=False)}---\n\n"
            f"# {name} retro — {period}\n\nA month at {name}.\n")


def write_breadth_kb(root: Path) -> Path:
    """A knowledge base of 15 teams, 3 indicators and 9 causes over five months."""
    causes = [{"id": BUSY_CAUSE, "title": "SDR-to-AE hand-off decay",
               "description": "Meetings lose context between SDR and AE."}]
    causes += [{"id": f"cause-{n}", "title": f"Cause {n} — d'Artagnan's rule",
                "description": f"Cause {n}."} for n in range(8)]
    taxonomy = {
        "company": "Globex & Cie", "causes": causes, "indicators": INDICATORS,
        "teams": [{"id": t, "name": n, "monthly_retros": True} for t, n in TEAMS],
        "plan_kinds": [{"id": "deal", "title": "Deals"}],
        "reasons": [{"id": "price", "title": "Price"}],
        "assumption_categories": [{"id": "demand", "title": "Demand"}],
    }
    (root / "retros").mkdir(parents=True)
    (root / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    for i, (team, _) in enumerate(TEAMS):
        for month, period in enumerate(MONTHS):
            (root / "retros" / f"{period}-{team}.md").write_text(_retro(i, month),
                                                                 encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = write_breadth_kb(tmp_path_factory.mktemp("breadth"))
    generated = build(root, AS_OF)
    assert not generated.result.problems.errors
    return {path: content.decode("utf-8") for path, content in generated.files.items()
            if path.endswith(".md")}


def _section(page: str, heading: str) -> str:
    """The text of a page from the heading starting with ``heading`` to the next heading of
    its level or above."""
    start = page.index(f"\n{heading}")
    level = heading.split(" ")[0]
    rest = page[start + 1:]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, re.MULTILINE)]
    return rest[:ends[1]] if len(ends) > 1 else rest


def _action_ids(rows: list[str]) -> list[str]:
    return [row.split(" | ")[0].removeprefix("| Action: `").removesuffix("`") for row in rows]


def test_the_home_page_lists_the_ten_most_overdue_actions_and_links_every_one(
        pages: dict[str, str]) -> None:
    """58 overdue actions made a table of 58 rows on the home page (a wall): it lists the 10
    most overdue, says how many there are and links the register's list of every one."""
    home = _section(pages["index.md"], "### Overdue actions")
    # The section's own table: the backlog chart's data follows it under the same heading.
    register = _section(pages["actions/index.md"], "## Overdue").split("</table>", 1)[0]
    every = _action_ids(table_rows(register))
    assert len(every) == 58
    shown = _action_ids(table_rows(home))
    assert shown == every[:10]  # the register's order: earliest due, the most overdue, first
    days = [int(d) for d in re.findall(r"(\d+) days overdue", home)]
    assert days == sorted(days, reverse=True) and days[-1] > 0
    assert ("58 overdue actions: the 10 most overdue; "
            "[all 58 in the actions register](actions/index.md#overdue).") in home


def test_the_home_page_lists_the_ten_worst_wrong_way_moves_and_links_every_one(
        pages: dict[str, str]) -> None:
    """44 readings moved the wrong way, and the home page listed all 44: it lists the 10
    furthest past their trailing mean and links the indicators page, which lists them all."""
    home = _section(pages["index.md"], "## Moved the wrong way")
    every = table_rows(_section(pages["indicators/index.md"], "## Moved the wrong way"))
    assert len(every) == 44
    shown = table_rows(home)
    assert len(shown) == 10
    # The same moves as the first ten of the full list (worst first): indicator and team.
    def key(row: str) -> tuple[str, str]:
        cells = [re.sub(r"^[A-Za-z ]+: ", "", re.sub(r"\]\([^)]*\)|\[", "", c))
                 for c in row.strip("| ").split(" | ")]
        return cells[0], cells[1]
    assert [key(r) for r in shown] == [key(r) for r in every[:10]]
    # The worst move is the team whose latest month fell furthest (FALL), not the first team.
    assert key(shown[0])[1] == NAMES["mm-nordics"]
    assert ("44 readings moved the wrong way: the 10 furthest past their trailing "
            "mean (for its size); [all 44 on the leading indicators page]"
            "(indicators/index.md#wrong-way).") in home


def test_a_cause_cited_by_many_teams_names_four_on_the_home_page(pages: dict[str, str]) -> None:
    """A cause cited by 12 teams listed all 12 long names in its Teams cell: it names 4 and
    links "8 more teams" to the cause's page, which names every one."""
    home = _section(pages["index.md"], "## Recurring root causes")
    row = next(r for r in table_rows(home) if r.startswith("| [SDR-to-AE hand-off decay]"))
    teams = row.split(" | ")[2]
    assert teams.endswith(" and [8 more teams](causes/handoff-decay/)"), teams
    named = teams.split(" and [")[0].split(", ")
    assert len(named) == 4 and set(named) <= {name for _, name in TEAMS[:12]}
    cause = pages["causes/handoff-decay.md"]
    assert all(name in cause for _, name in TEAMS[:12])


def test_the_causes_index_names_at_most_four_teams_a_row(pages: dict[str, str]) -> None:
    """The causes index's Teams column named every citing team: at 40 teams the table grew
    wider than the page, cutting off Open actions, and 16,593 px tall. A row names four of
    many teams and links the rest; every row keeps its six cells, Open actions last."""
    rows = table_rows(pages["causes/index.md"])
    assert len(rows) == 9
    for row in rows:
        cells = row.strip("| ").split(" | ")
        assert len(cells) == 6, row
        teams = cells[2]
        named, _, more = teams.partition(" and [")
        # Team names hold ", " themselves: count the names by the teams known.
        assert sum(1 for _, name in TEAMS if name in named) <= 4, teams
        assert not more or re.fullmatch(r"\d+ more teams\]\(\.\./causes/[\w-]+/\)", more), teams
    busy = next(r for r in rows if r.startswith("| [SDR-to-AE hand-off decay]"))
    assert " and [8 more teams](../causes/handoff-decay/) |" in busy
    assert busy.endswith(" | [12](../causes/handoff-decay/#actions) |")  # open actions


def _team_cell(row: str, column: int) -> str:
    cell = row.strip("| ").split(" | ")[column]
    return re.sub(r"\]\([^)]*\)|\[", "", cell).split(": ", 1)[-1]


def test_the_indicators_index_opens_with_the_indicators_and_orders_teams_by_name(
        pages: dict[str, str]) -> None:
    """The index had no list of the indicators, only a table of every team's latest reading
    (144 rows at 40 teams) ordered by team id: "Partner Team — Référence Partners France"
    (partners-fr) before "… Global System Integrators". It opens with the indicators (unit,
    which way is better, how many teams report each); its readings of an indicator fifteen
    teams report are the three worst, worst first, and a link to the indicator's page for the
    other twelve."""
    page = pages["indicators/index.md"]
    listed = _section(page, "## Indicators")
    assert page.index("## Indicators") < page.index("## Latest readings")
    assert table_rows(listed) == [
        "| [Meetings booked](../indicators/meetings/) | count | higher | 15 |",
        "| [Sales cycle](../indicators/sales-cycle/) | days | lower | 15 |",
        "| [Win rate](../indicators/win-rate/) | rate (%) | higher | 15 |",
    ]
    rows = table_rows(_section(page, "## Latest readings"))
    assert len(rows) == 12
    win_rate = [r for r in rows if r.startswith("| [Win rate]")]
    assert win_rate[3] == ("| [Win rate](../indicators/win-rate/) | and [12 more teams]"
                           "(../indicators/win-rate/#latest-by-team) |")
    # The lowest win rates: the teams whose latest month fell furthest (`FALL`).
    worst = sorted(range(15), key=lambda i: (_readings(i, len(MONTHS) - 1)["win-rate"],
                                            name_order(TEAMS[i][1])))[:3]  # ties by name
    assert [_team_cell(r, 2) for r in win_rate[:3]] == [TEAMS[i][1] for i in worst]


@pytest.mark.parametrize(("indicator", "worst_first"), [("win-rate", True),
                                                        ("sales-cycle", False)])
def test_an_indicator_page_compares_every_team_then_lists_them_by_name(
        pages: dict[str, str], indicator: str, worst_first: bool) -> None:
    """An indicator's page was a chart per team in team id order: at 40 teams, who was worst
    took scrolling through 40 charts. It opens with one table of every team's latest reading,
    the worst first, each row linking the team's section; the sections follow by team name."""
    page = pages[f"indicators/{indicator}.md"]
    compared = _section(page, "## Every team's latest reading")
    assert page.index("## Every team's latest reading") < page.index(f"## {TEAMS[0][1]}")
    rows = table_rows(compared)
    assert len(rows) == 15
    values = [float(re.sub(r"[^\d.]", "", _team_cell(r, 2))) for r in rows]
    # Worst first: the lowest win rate, the longest sales cycle.
    assert values == sorted(values, reverse=not worst_first)
    for row in rows:
        cells = row.strip("| ").split(" | ")
        team = re.fullmatch(r"\[(.+)\]\(#([\w-]+)\)", cells[0])
        assert team and NAMES[team.group(2)] == team.group(1), row
        assert f"## {team.group(1)} {{ #{team.group(2)} }}" in page
        assert cells[1] == "Latest: 2026-10"
        assert cells[3].startswith("vs prior: ") and cells[4] == "Verdict: **wrong way**"
    # The order is the readings' (ties by name), whatever the teams' order by name or id.
    latest = {name: _readings(i, len(MONTHS) - 1)[indicator] for i, (_, name) in enumerate(TEAMS)}
    assert [_team_cell(r, 0) for r in rows] == sorted(
        latest, key=lambda name: (latest[name] * (1 if worst_first else -1), name_order(name)))
    sections = re.findall(r"^## (.+) \{ #[\w-]+ \}$", page, re.MULTILINE)
    assert sections[0] == "Ángel's Revenue Operations & Analytics"
    assert sections.index(NAMES["partners-gsi"]) < sections.index(NAMES["partners-fr"])
    assert len(sections) == 15


def test_a_team_page_lists_its_indicators_with_their_latest_reading(
        pages: dict[str, str]) -> None:
    """A team's page had its actions, causes and records and no reading: it lists each
    indicator the team reports with its latest reading, linked to the team's readings of it
    (its section of the indicator's page, while that section lists every reading)."""
    page = pages["teams/partners-fr.md"]
    assert page.index("## Actions") < page.index("## Indicators") < page.index("## Causes")
    rows = table_rows(_section(page, "## Indicators"))
    latest = _readings(10, len(MONTHS) - 1)
    assert rows == [
        f"| [Meetings booked](../../indicators/meetings/#partners-fr) | Latest: 2026-10 | "
        f"Value: [{latest['meetings']}](../../records/2026-10-partners-fr/#indicators) | "
        "vs prior: −32 | Verdict: **wrong way** |",
        f"| [Sales cycle](../../indicators/sales-cycle/#partners-fr) | Latest: 2026-10 | "
        f"Value: [{latest['sales-cycle']} days](../../records/2026-10-partners-fr/#indicators)"
        " | vs prior: +16 days | Verdict: **wrong way** |",
        "| [Win rate](../../indicators/win-rate/#partners-fr) | Latest: 2026-10 | "
        "Value: [32.0%](../../records/2026-10-partners-fr/#indicators) | vs prior: −8.0 pp | "
        "Verdict: **wrong way** |",
    ]
    assert "## Partner Team — Référence Partners France { #partners-fr }" in pages[
        "indicators/win-rate.md"]


def test_a_team_page_links_the_teams_own_page_for_a_long_series(tmp_path: Path) -> None:
    """Past 24 readings a team has a page of its own for an indicator (every reading): the
    team's page links it, and the indicator's page for the others."""
    generated = build(copy_sample(tmp_path / "kb"), dt.date(2026, 11, 23)).files
    page = generated["teams/sales.md"].decode("utf-8")
    links = dict(re.findall(r'stack__lead"><a href="\.\./\.\./([^"]+)">([^<]+)</a>',
                            _section(page, "## Indicators")))
    assert links["indicators/win-rate/sales/"] == "Win rate"
    assert links["indicators/deal-size/#sales"] == "Average deal size"
    assert "indicators/win-rate/sales.md" in generated
    assert "indicators/deal-size/sales.md" not in generated
    assert "## Sales { #sales }" in generated["indicators/deal-size.md"].decode("utf-8")
    assert "## Indicators { #indicators }\n\nNone yet." in generated[
        "teams/leadership.md"].decode("utf-8")
