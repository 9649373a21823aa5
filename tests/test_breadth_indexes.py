"""The site's indexes at an enterprise's breadth: thirty teams whose ids run against their
names, indicators reported by thirty, twelve and three teams, and fifty causes, most cited
once. The indicators index, the causes index and the tags index stay scannable, and a Teams
cell reads by team name however many teams it names. Built by MkDocs once: the assertions
are on the served HTML."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES
from generator.paths import name_order
from sitetools import make_project, mkdocs_build, table_rows

AS_OF = "2026-11-20"
MONTHS = ["2026-08", "2026-09", "2026-10"]

_NAMES = sorted(
    [f"{unit} — {region}" for unit in ("Enterprise Sales", "Customer Success", "SDR Pod")
     for region in ("Benelux", "DACH & Österreich", "Île-de-France", "Iberia", "Italia",
                    "Nordics", "UK & Ireland", "LATAM — São Paulo", "APAC — Tōkyō")]
    + ["Ángel's Revenue Operations", "Partner Team — Global System Integrators",
       "Partner Team — Référence Partners France"], key=name_order)
# Ids against the names' order: t-01 is the last team by name, t-30 the first.
TEAMS = [(f"t-{len(_NAMES) - i:02}", name) for i, name in enumerate(_NAMES)]
NAMES = dict(TEAMS)
BY_ID = sorted(NAMES)
"""The team ids in id order (the reverse of their names' order)."""

WORDS = ["Attribution", "Budget", "Champion", "Discount", "Enablement", "Forecast", "Gating",
         "Handover", "Intent", "Jargon", "Kickoff", "Lead", "Messaging", "Nurture", "Onboarding",
         "Pricing", "Quota", "Routing", "Sequencing", "Territory", "Upsell", "Velocity",
         "Webinar", "Zone", "Éclat"]
CAUSES = [(f"c-{n:02}", f"{WORDS[n % len(WORDS)]} {'drift' if n < len(WORDS) else 'debt'}")
          for n in range(50)]
"""Fifty causes: c-00 cited by every team's latest retro, c-01 by five teams, c-02 to c-09
twice each, c-10 to c-34 once each, c-35 to c-49 never."""
TITLES = dict(CAUSES)


def _cited(i: int, month: int) -> list[str]:
    """The causes team ``BY_ID[i]`` cites in month ``month`` (0 to 2)."""
    if month == 2:
        cited = ["c-00"]
        if i < 5:
            cited.append("c-01")
        return cited
    # Months 0 and 1: the recurring c-02 to c-09 (twice each), then one-offs c-10 to c-34.
    slot = month * 30 + i
    if slot < 16:
        return [f"c-{2 + slot // 2:02}"]
    if slot < 16 + 25:
        return [f"c-{10 + slot - 16:02}"]
    return []


def _retro(i: int, month: int) -> str:
    team = BY_ID[i]
    period = MONTHS[month]
    year, number = map(int, period.split("-"))
    held = dt.date(year, number + 1, 3)
    readings: dict[str, float | int] = {"win-rate": round(0.2 + 0.007 * ((i * 7) % 30), 3)}
    if i < 12:
        readings["cycle"] = 40 + (i * 5) % 12 + month
    if i < 3:
        readings["nps"] = 30 + i + month
    causes = _cited(i, month)
    record: dict[str, object] = {
        "type": "retro", "period": period, "team": team, "held": held.isoformat(),
        "facilitator": "Zoë O'Brien", "format": "five-whys", "indicators": readings,
        "causes": [{"cause": cause} for cause in causes],
    }
    if causes:
        record["actions"] = [{"id": f"{team.upper()}-{period}", "title": f"Fix {causes[0]}",
                              "owner": "José Álvarez", "due": "2026-12-15",
                              "cause": causes[0]}]
    return (f"---\n{yaml.safe_dump(record, allow_unicode=True, sort_keys=False)}---\n\n"
            f"# {NAMES[team]} retro — {period}\n\nThe month.\n")


def write_kb(root: Path) -> Path:
    """The knowledge base: 30 teams, 3 indicators, 50 causes, three months of retros."""
    taxonomy = {
        "company": "Initech Europe",
        "causes": [{"id": c, "title": t, "description": f"{t}."} for c, t in CAUSES],
        "indicators": [
            {"id": "win-rate", "label": "Win rate", "unit": "rate", "better": "up"},
            {"id": "cycle", "label": "Sales cycle", "unit": "days", "better": "down"},
            {"id": "nps", "label": "Partner NPS", "unit": "count", "better": "up"},
        ],
        "teams": [{"id": t, "name": n, "monthly_retros": True} for t, n in TEAMS],
        "plan_kinds": [{"id": "deal", "title": "Deals"}, {"id": "event", "title": "Events"}],
    }
    (root / "retros").mkdir(parents=True)
    (root / "taxonomy.yml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    for i, team in enumerate(BY_ID):
        for month, period in enumerate(MONTHS):
            (root / "retros" / f"{period}-{team}.md").write_text(_retro(i, month),
                                                                 encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("breadth-indexes")
    project = make_project(root / "project", write_kb(root / "kb"))
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _cells(row: str) -> list[str]:
    return row.strip("| ").split(" | ")


def _names(cell: str) -> list[str]:
    """The team names a Teams cell lists, in its order (names hold ", " themselves)."""
    found = sorted((cell.index(name), name) for name in NAMES.values() if name in cell)
    return [name for _, name in found]


def _cause_row(rows: list[str], cause: str) -> str:
    return next(r for r in rows if r.startswith(f"| [{TITLES[cause]}]("))


def test_a_teams_cell_lists_its_teams_by_name_however_many(site: Path) -> None:
    """A Teams cell naming five teams or fewer listed them in id order ("Partner Team —
    Référence Partners France" before "… Global System Integrators" when their ids ran so),
    a longer one the four it names by how often each cited the cause: every cell, on the
    home page, the causes index and the cause's page, lists its teams by name."""
    five = [NAMES[t] for t in BY_ID[:5]]
    assert five != sorted(five, key=name_order)  # their ids run against their names
    by_name = sorted(five, key=name_order)
    causes_index = table_rows(_page(site, "causes"))
    assert _names(_cells(_cause_row(causes_index, "c-01"))[2]) == by_name
    cause_page = table_rows(_page(site, "causes/c-01"))
    assert _names(_cells(cause_page[0])[1]) == by_name
    # Thirty teams: four named (each cited it once: the first four by name), then the rest.
    first_four = sorted(NAMES.values(), key=name_order)[:4]
    for rows in (causes_index, table_rows(_page(site, ""))):
        cell = _cells(_cause_row(rows, "c-00"))[2]
        assert _names(cell) == first_four, cell
        assert cell.endswith(" and [26 more teams](../causes/c-00/)") or cell.endswith(
            " and [26 more teams](causes/c-00/)"), cell


def _latest(i: int, indicator: str) -> float:
    """Team ``BY_ID[i]``'s latest reading of ``indicator``."""
    return float(yaml.safe_load(_retro(i, 2).split("---\n")[1])["indicators"][indicator])


def test_the_indicators_index_lists_the_worst_few_readings_of_a_widely_reported_indicator(
        site: Path) -> None:
    """The index's Latest readings listed every team's reading of every indicator: 144 rows
    at 40 teams. An indicator reported by more than four teams lists its three worst readings,
    worst first, and links its page for the rest ("and 27 more teams"), where every team's
    reading is listed; one reported by three teams lists all three, by team name."""
    page = _page(site, "indicators")
    latest = page[page.index('id="latest"'):page.index('id="wrong-way"')]
    rows = table_rows(latest)
    of: dict[str, list[list[str]]] = {}
    for row in rows:
        cells = _cells(row)
        of.setdefault(re.sub(r"\]\(.*", "", cells[0]).lstrip("["), []).append(cells)
    assert [len(of[label]) for label in ("Partner NPS", "Sales cycle", "Win rate")] == [3, 4, 4]
    assert len(rows) == 11  # not 45
    for label, ind, reporting, sign in (("Win rate", "win-rate", 30, 1),
                                        ("Sales cycle", "cycle", 12, -1)):
        shown = [_names(cells[2])[0] for cells in of[label][:3]]
        values = {NAMES[BY_ID[i]]: _latest(i, ind) for i in range(reporting)}
        worst = sorted(values, key=lambda name: (sign * values[name], name_order(name)))
        assert shown == worst[:3], (label, shown)
        more = of[label][3]
        assert more[1:] == [f"and [{reporting - 3} more teams](../indicators/{ind}/"
                            "#latest-by-team)"], more
        # The row spans the table, under the indicator's name (the allowlist keeps its span).
        assert re.search(rf'<td colspan="7">and <a href="\.\./indicators/{ind}/#latest-by-team"',
                         latest), ind
        # The link's target lists every team's latest reading.
        assert 'id="latest-by-team"' in _page(site, f"indicators/{ind}")
    nps = [_names(cells[2])[0] for cells in of["Partner NPS"]]
    assert nps == sorted((NAMES[t] for t in BY_ID[:3]), key=name_order)
    assert ("where more do, its 3 worst (the lowest, or the highest where lower is better), "
            "worst first") in latest


def test_the_causes_index_tables_the_recurring_causes_and_lists_the_rest_a_line_each(
        site: Path) -> None:
    """The causes index was one table of every cited cause: 83 rows at 120 causes, most of
    them cited once. Past twenty cited causes the table holds those cited by two records or
    more (most cited first) and the causes cited once follow it, a line each, the most
    recently cited first, with a sentence on top saying how many of each and linking the
    list."""
    page = _page(site, "causes").replace(' rel="noopener noreferrer"', "")
    rows = table_rows(page)
    assert [re.sub(r"\]\(.*", "", r).removeprefix("| [") for r in rows] == [
        TITLES[f"c-{n:02}"] for n in range(10)]
    assert ('35 causes are cited: the 10 cited by two records or more in the table below, the '
            'most cited first; the <a href="#cited-once">25 cited once</a> after it, the most '
            'recently cited first.') in page
    once = page[page.index('<h2 id="cited-once"'):page.index('id="fix-did-not-stick"')]
    items = re.findall(r'<li><a href="c-(\d+)/">([^<]+)</a>: <a href="\.\./records/([^/]+)/">'
                       r'[^<]+</a>; <a href="c-\d+/#actions">1</a> open action</li>', once)
    assert len(items) == 25 and len(re.findall("<li>", once)) == 25
    # c-10 to c-34, cited in months 0 and 1: September's first (newest), each by its record.
    months = [record[:7] for _, _, record in items]
    assert months == sorted(months, reverse=True)
    assert {int(n) for n, _, _ in items} == set(range(10, 35))
    assert all(TITLES[f"c-{int(n):02}"] == title for n, title, _ in items)
    # The chart draws 12 causes, two of them cited once: their counts are in the list.
    assert ("The counts behind it are in the table above and the list of causes cited once "
            "below.") in page


def _jumps(page: str) -> list[tuple[str, str]]:
    """The links of the list of a page's sections a phone shows under its title: (address,
    text)."""
    nav = re.search(r'<nav class="hs-jump[^"]*".*?</nav>', page, re.S)
    assert nav, "no list of sections"
    return [(href, html.unescape(text)) for href, text
            in re.findall(r'<a href="([^"]+)">([^<]*)</a>', nav.group(0))]


def test_the_tags_index_opens_with_a_letter_per_first_letter_on_a_phone(site: Path) -> None:
    """On a phone the tags index listed its tags under its title as its sections: 82 names
    here, 166 at 40 teams and 120 causes, a wall of text before the first tag. Past 30 tags it
    lists one letter per first letter, in the listing's order, each linking the first tag
    under it."""
    page = _page(site, "tags")
    headings = [(f"#{tag}", html.unescape(name)) for tag, name in re.findall(
        r'<h2 id="(tag:[^"]+)"[^>]*>\s*<span class="md-tag">([^<]+)</span>', page)]
    assert len(headings) == 30 + 50 + 2  # every team, cause and plan kind
    firsts: dict[str, str] = {}
    for href, name in headings:
        firsts.setdefault(name[:1].upper(), href)
    jumps = _jumps(page)
    assert jumps == [(href, letter) for letter, href in firsts.items()]
    assert [letter for _, letter in jumps][:4] == ["A", "B", "C", "D"]
    assert len(jumps) < 30
    assert 'aria-label="Tags by first letter"' in page


def test_a_tags_index_of_a_few_tags_lists_them_on_a_phone(tmp_path: Path) -> None:
    """A few tags (the test corpus's ten) are listed as the page's sections, as before."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    result = mkdocs_build(project, "2026-07-20")
    assert result.returncode == 0, result.stderr[-3000:]
    page = _page(project / "site", "tags")
    headings = re.findall(r'<h2 id="(tag:[^"]+)"', page)
    assert 2 <= len(headings) <= 30
    assert [href for href, _ in _jumps(page)] == [f"#{tag}" for tag in headings]


def test_the_retros_index_and_the_register_list_teams_by_name(site: Path) -> None:
    """The retros index (the latest month's retros, its table by team) and the register's
    follow-through by team listed the teams by id, here the reverse of their names: they list
    them by name, as every other list of teams does."""
    by_name = sorted(NAMES.values(), key=name_order)
    retros = _page(site, "retros")
    latest = retros[retros.index('<h2 id="october-2026"'):retros.index('id="by-team"')]
    listed = [html.unescape(name) for name in re.findall(r"</a> — ([^<]+)</li>", latest)]
    assert listed == by_name
    table = retros[retros.index('id="by-team"'):]
    assert [_names(_cells(row)[0])[0] for row in table_rows(table)] == by_name
    register = _page(site, "actions")
    follow = register[register.index('id="by-team"'):]
    follow = follow[:follow.index("</table>")]
    assert [_names(_cells(row)[0])[0] for row in table_rows(follow)] == by_name
