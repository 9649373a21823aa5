"""Charts: byte-identical SVGs, accessible text, and a cache keyed by the data shown.

One chart of each kind is pinned byte for byte by the site goldens
(`tests/goldens/site/charts/`, checked in test_site.py::test_generated_pages_match_goldens).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, make_kb
from generator.paths import chart_of_indicator
from generator.site.build import build
from generator.site.charts import ChartCache, render_chart

GOLDEN_CHARTS = Path(__file__).parent / "goldens" / "site" / "charts"
AS_OF = dt.date(2026, 7, 20)


def test_goldens_pin_one_chart_of_each_kind() -> None:
    names = {p.relative_to(GOLDEN_CHARTS).as_posix() for p in GOLDEN_CHARTS.rglob("*.svg")}
    assert "causes.svg" in names and "actions.svg" in names
    assert any(n.startswith("indicators/") for n in names)
    assert any(n.startswith("attainment-") for n in names)


def test_chart_paths_of_hyphenated_ids_never_collide() -> None:
    # "deal-size" of team "ent" and "deal" of team "size-ent" once shared a file name.
    pairs = [("deal-size", "ent"), ("deal", "size-ent"), ("win-rate", "emea"),
             ("win", "rate-emea"), ("a", "b-c-d"), ("a-b", "c-d"), ("a-b-c", "d")]
    paths = {chart_of_indicator(indicator, team) for indicator, team in pairs}
    assert len(paths) == len(pairs)


def test_same_data_draws_byte_identical_svg() -> None:
    data = {"rows": [{"metric": "New ARR", "attainment": 0.9, "met": False}], "title": "t"}
    first = render_chart("charts/a.svg", "attainment", data, "Plan vs actual", "alt", ChartCache())
    second = render_chart("charts/a.svg", "attainment", data, "Plan vs actual", "alt", ChartCache())
    assert first.svg == second.svg
    other = render_chart("charts/a.svg", "attainment", {**data, "rows": [
        {"metric": "New ARR", "attainment": 1.1, "met": True}]}, "Plan vs actual", "alt",
        ChartCache())
    assert other.svg != first.svg


def test_every_chart_has_a_title_and_a_text_alternative() -> None:
    generated = build(FIXTURES / "corpus", AS_OF)
    charts = generated.figures.all()
    assert len(charts) >= 4
    for chart in charts:
        svg = chart.svg.decode()
        assert f"<title>{chart.title}</title>" in svg.replace("&amp;", "&")
        assert "<desc>" in svg and len(chart.alt) > 40
        assert 'role="img"' in svg
        assert not re.search(r"<dc:date>|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", svg), "no build timestamp"


def test_cache_redraws_only_charts_whose_data_changed(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    cache = ChartCache(folder=tmp_path / "cache")
    first = build(root, AS_OF, cache=cache)
    assert len(cache.drawn) == len(first.figures.all())

    cache.drawn.clear()
    build(root, AS_OF, cache=cache)
    assert cache.drawn == []  # nothing changed, nothing redrawn

    record = root / "retros" / "2026-05-marketing.md"
    record.write_text(record.read_text().replace("pipeline-velocity: 38800",
                                                 "pipeline-velocity: 41000"))
    cache.drawn.clear()
    build(root, AS_OF, cache=cache)
    assert [path for path, _ in cache.drawn] == ["charts/indicators/pipeline-velocity/marketing.svg"]

    # A new process with the same cache folder reuses the drawn SVGs from disk.
    fresh = ChartCache(folder=tmp_path / "cache")
    build(root, AS_OF, cache=fresh)
    assert fresh.drawn == []


def test_charts_drawn_in_parallel_are_the_same_bytes_as_drawn_alone() -> None:
    from generator.site.charts import PARALLEL_FROM, ChartRequest, render_charts

    requests = [ChartRequest(f"charts/a{i}.svg", "attainment",
                             {"rows": [{"metric": "ARR", "attainment": 0.5 + i / 10,
                                        "met": False}], "title": "t"},
                             f"Chart {i}", "alt text") for i in range(PARALLEL_FROM + 2)]
    cache = ChartCache()
    together = render_charts(requests, cache)
    assert len(cache.drawn) == len(requests)
    alone = [render_charts([r], ChartCache())[0] for r in requests[:3]]
    assert [c.svg for c in together[:3]] == [c.svg for c in alone]


def test_a_change_to_the_drawing_code_redraws_cached_charts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache key holds a digest of drawing.py and matplotlib's version: no version number
    # to remember to bump, so a chart drawn by older code is never served as current.
    from generator.site import charts

    chart = charts.ChartRequest("charts/x.svg", "actions", {"months": ["2026-01"]}, "T", "A")
    before = chart.key
    assert len(charts.drawing_digest()) == 16
    monkeypatch.setattr(charts, "drawing_digest", lambda: "0" * 16)
    assert chart.key != before


def test_chart_numbers_are_rounded_exactly_as_round_does() -> None:
    # The indicator charts round their numbers column-wise; the data (and so the cache key
    # and the drawn SVG) must be what ``round(value, 6)`` gives, halfway cases included.
    import numpy as np

    from generator.site.figures import _rounded

    rng = np.random.default_rng(7)
    values = np.concatenate([
        rng.random(20_000), rng.normal(0, 1e4, 20_000), rng.random(20_000) * 1e-5 - 5e-6,
        (rng.integers(-10**9, 10**9, 20_000) + 0.5) / 1e6,  # halfway at the 7th decimal
        np.array([0.0, -0.0, 2.5e-6, -2.5e-6, 5e-7, 1.0000005, 123456.1234565, 1e300,
                  -1e-300, 4.5e9 + 5e-7, 1e10 + 0.123456789, np.inf, -np.inf, np.nan])])
    for value, got in zip(values.tolist(), _rounded(values).tolist(), strict=True):
        want = value if value != value else round(value, 6)
        assert repr(got) == repr(want), value


def test_the_actions_chart_stops_a_year_after_the_last_action_moved() -> None:
    """Up to the build's month, as ever; but an as-of date centuries ahead (a typo) drew a bar
    per month up to it, minutes and megabytes of nothing: no more than a year after the last
    action opened or closed."""
    def span(as_of: dt.date) -> tuple[str, str]:
        figures = build(FIXTURES / "corpus", as_of).figures
        assert figures.actions is not None
        found = re.search(r"per month, (\d{4}-\d{2}) to (\d{4}-\d{2}),", figures.actions.alt)
        assert found, figures.actions.alt
        return found.group(1), found.group(2)

    start, end = span(dt.date(2026, 7, 20))
    assert end == "2026-07"
    far_start, far_end = span(dt.date(3000, 1, 1))
    assert far_start == start and "2026-08" <= far_end <= "2027-07", far_end


def test_a_line_breaks_where_its_team_paused_and_bridges_one_missed_month() -> None:
    """A team reported Oct 2020 to Feb 2021, skipped April 2022, and came back in March 2022
    after a year: the overall line is drawn in two pieces (Oct-Feb, Mar-Jun with April
    bridged), not straight across the year as if there were readings all along."""
    from generator.site.figures import month_range

    months = month_range("2020-10", "2022-06")
    readings = {"2020-10": 30.0, "2020-11": 31.0, "2020-12": 30.0, "2021-01": 31.0,
                "2021-02": 30.0, "2022-03": 40.0, "2022-05": 41.0, "2022-06": 40.0}
    values = [readings.get(m) for m in months]
    data = {"months": months, "series": [{"name": "all", "label": "Leads", "values": values,
                                          "trailing": [None] * len(months)}],
            "postmortems": [], "done": [], "effects": [], "unit": "count", "title": "t",
            "noise": [0.0, 0.02]}
    svg = render_chart("charts/indicators/leads/t.svg", "indicator", data, "Leads", "alt",
                       ChartCache()).svg.decode()
    # The emphasised line (2.4 wide): each piece starts with a move ("M") in its path.
    (path,) = re.findall(r'<path d="([^"]*)"[^>]*stroke-width: 2\.4', svg)
    assert path.count("M") == 2, path
    assert path.count("L") == len(readings) - 2, path  # 8 points: 4 + 2 segments drawn


PLATE = (0xF2, 0xF3, 0xF5)
"""The light plate a chart sits on in the dark scheme (hindsight.css): darker than white, so
the harder of the two backgrounds."""


def _contrast_on_plate(rgb: tuple[float, float, float]) -> float:
    def luminance(colour: tuple[float, float, float]) -> float:
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in (v / 255 for v in colour)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    return (luminance(PLATE) + 0.05) / (luminance(rgb) + 0.05)


def _marks(svg: bytes) -> set[tuple[str, float]]:
    """Every colour a chart paints with, and its opacity (1 unless the style says less)."""
    found = set()
    for style in re.findall(rb'style="([^"]*)"', svg):
        props = dict(part.split(":", 1) for part in style.decode().replace(" ", "").split(";")
                     if ":" in part)
        for kind in ("fill", "stroke"):
            colour = props.get(kind, "")
            if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
                opacity = float(props.get(f"{kind}-opacity", 1)) * float(props.get("opacity", 1))
                found.add((colour.lower(), opacity))
    return found


# A new adopter's knowledge base: one team, a money indicator in euros, an unsplit rate, a
# count, a number of days, a rate split by region; one or two months of retros.
NEW_ADOPTER_TAXONOMY = """company: Newco
currency: "€"
causes:
  - id: slow-quotes
    title: Slow quotes
    description: Quotes wait for approval.
indicators:
  - id: avg-deal
    label: Average deal size
    unit: usd
    better: up
  - id: win-rate
    label: Win rate
    unit: rate
    better: up
  - id: meetings
    label: Meetings booked
    unit: count
    better: up
  - id: cycle
    label: Sales cycle
    unit: days
    better: down
  - id: reply-rate
    label: Reply rate
    unit: rate
    better: up
    segment_by: region
    segments: [north, south]
teams:
  - id: sales
    name: Sales
    monthly_retros: true
plan_kinds:
  - id: campaign
    title: Campaigns
"""


def _new_adopter_retro(period: str, held: str, indicators: str, actions: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\n"
            f"facilitator: Ana Díaz\nparticipants: [Ana Díaz]\nformat: went-well-didnt\n"
            f"indicators:\n{indicators}went_well: [Quotes went out]\n"
            f"didnt_go_well: [Approvals waited]\n{actions}---\n\n# Sales retro\n")


def _new_adopter(tmp_path: Path, *months: tuple[str, str, str, str]) -> Path:
    """A knowledge base of the retros (period, held, indicators, actions) given."""
    taxonomy = tmp_path / "taxonomy.yml"
    tmp_path.mkdir(parents=True, exist_ok=True)
    taxonomy.write_text(NEW_ADOPTER_TAXONOMY, encoding="utf-8")
    return make_kb(tmp_path / "kb", {f"retros/{period}-sales.md": _new_adopter_retro(
        period, held, indicators, actions) for period, held, indicators, actions in months},
        taxonomy)


def _numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


def _height_taken(svg: str, axes: int = 1, width: str = "2.4") -> float:
    """How much of panel ``axes``' height its line ``width`` wide spans, from 0 to 1."""
    panel = svg.split(f'<g id="axes_{axes}">', 1)[1].split('<g id="axes_', 1)[0]
    frame = re.search(r'<g id="patch_\d+">\s*<path d="([^"]*)"', panel)
    assert frame, panel[:500]
    (line,) = re.findall(rf'<path d="([^"]*)"[^>]*stroke-width: {re.escape(width)};', panel)
    frame_ys, line_ys = _numbers(frame[1])[1::2], _numbers(line)[1::2]
    return (max(line_ys) - min(line_ys)) / (max(frame_ys) - min(frame_ys))


def _y_labels(svg: str, axes: int = 1) -> list[str]:
    panel = svg.split(f'<g id="axes_{axes}">', 1)[1].split('<g id="axes_', 1)[0]
    return re.findall(r'<g id="ytick_\d+">.*?<text[^>]*>([^<]*)</text>', panel, re.S)


def test_a_move_the_page_calls_flat_does_not_fill_the_chart(tmp_path: Path) -> None:
    """€42,833 → €42,500 and 31.2% → 30.4% are flat (under 2 % of the figure, under one
    point): each chart's axis fitted the two readings, so the line fell from the panel's top
    to its bottom, as a real fall would. The axis is now at least four noise thresholds tall:
    such a move takes under a quarter of it."""
    root = _new_adopter(
        tmp_path,
        ("2026-05", "2026-06-03", "  avg-deal: 42833\n  win-rate: 0.312\n", ""),
        ("2026-06", "2026-07-02", "  avg-deal: 42500\n  win-rate: 0.304\n", ""))
    figures = build(root, AS_OF).figures
    money = figures.indicators[("avg-deal", "sales")]
    assert "€42,833 → €42,500: under the noise threshold" in money.title
    svg = money.svg.decode()
    assert _height_taken(svg) < 0.25, _y_labels(svg)
    rate = figures.indicators[("win-rate", "sales")]
    assert "31.2% → 30.4%: under the noise threshold" in rate.title
    svg = rate.svg.decode()
    assert _height_taken(svg) < 0.25, _y_labels(svg)


def test_a_real_move_still_fills_the_chart_and_a_low_rate_stays_above_zero(
        tmp_path: Path) -> None:
    """The axis is widened only where the readings span less than four noise thresholds: a
    fall of a fifth keeps the whole panel. A rate near zero widened about its middle would
    show -1%: the axis starts at 0% instead. The segment panels' shared axis is widened alike."""
    root = _new_adopter(
        tmp_path,
        ("2026-05", "2026-06-03",
         '  avg-deal: 50000\n  win-rate: 0.004\n  reply-rate: {north: "62/200", south: "31/100"}\n',
         ""),
        ("2026-06", "2026-07-02",
         '  avg-deal: 40000\n  win-rate: 0.009\n  reply-rate: {north: "63/200", south: "30/100"}\n',
         ""))
    figures = build(root, AS_OF).figures
    assert _height_taken(figures.indicators[("avg-deal", "sales")].svg.decode()) > 0.8
    low = figures.indicators[("win-rate", "sales")].svg.decode()
    labels = _y_labels(low)
    assert labels[0] == "0%" and not any(label.startswith("-") for label in labels), labels
    assert _height_taken(low) < 0.25, labels
    split = figures.indicators[("reply-rate", "sales")].svg.decode()
    assert _height_taken(split) < 0.25, _y_labels(split)
    for panel in (2, 3):  # north, south: 31% → 31.5%, 31% → 30%
        assert _height_taken(split, panel, "1.8") < 0.3, _y_labels(split, panel)


def _note(page: str, indicator: str) -> tuple[str, str]:
    """The note under an indicator page's chart, and the chart's text alternative."""
    found = re.search(rf'<img src="[^"]*/{indicator}/sales\.svg" alt="([^"]*)".*?\n'
                      r'<p class="hs-chart-note">([^<]*)</p>', page, re.S)
    assert found, page
    return found[2], found[1]


def test_a_chart_s_words_name_only_what_it_draws(tmp_path: Path) -> None:
    """A trailing mean needs two readings before it, and a line two readings: under one
    reading the note said "Thick line: the monthly value, with its trailing 3-month mean
    dashed" and the alt "the overall line with its dashed trailing 3-month mean" under a single
    dot."""
    months = [("2026-03", "2026-04-02", "0.30", "42833"), ("2026-04", "2026-05-04", "0.32", "43900"),
              ("2026-05", "2026-06-03", "0.31", "42100"), ("2026-06", "2026-07-02", "0.33", "44000")]

    def built(count: int) -> dict[str, str]:
        root = _new_adopter(tmp_path / str(count), *[
            (period, held, f"  win-rate: {rate}\n  avg-deal: {money}\n", "")
            for period, held, rate, money in months[:count]])
        generated = build(root, AS_OF)
        svgs = {ind: generated.figures.indicators[(ind, "sales")].svg.decode()
                for ind in ("win-rate", "avg-deal")}
        # The dashed mean is drawn (a path of two points or more) exactly where the words
        # say so.
        for ind, svg in svgs.items():
            dashed = re.findall(r'<path d="([^"]*)"[^>]*stroke-dasharray', svg)
            assert any("L" in path for path in dashed) == (count == 4), (count, ind, dashed)
        return {ind: generated.files[f"indicators/{ind}.md"].decode() for ind in svgs}

    one = built(1)
    note, alt = _note(one["win-rate"], "win-rate")
    assert note == "Dot: the monthly value."
    assert alt == "Chart of Win rate for Sales, 2026-03: the overall reading as a dot."

    two = built(2)
    note, alt = _note(two["avg-deal"], "avg-deal")
    assert note == "Thick line: the monthly value."
    assert alt == "Line chart of Average deal size by month for Sales, 2026-03 to 2026-04: the overall line."

    # Three readings give one mean, the third month's: a dash of one point draws nothing.
    assert _note(built(3)["win-rate"], "win-rate")[0] == "Thick line: the monthly value."
    note, alt = _note(built(4)["win-rate"], "win-rate")
    assert note == "Thick line: the monthly value, with its trailing 3-month mean dashed."
    assert alt.endswith("2026-03 to 2026-06: the overall line with its dashed trailing 3-month mean.")


def test_a_split_indicator_s_note_under_one_reading(tmp_path: Path) -> None:
    """One month of a rate split by region: the overall is a dot over its two panels, and
    the overall line said to be "faint behind" each panel is not drawn (it has no markers)."""
    root = _new_adopter(tmp_path, ("2026-06", "2026-07-02",
                                   '  reply-rate: {north: "62/200", south: "31/100"}\n', ""))
    generated = build(root, AS_OF)
    note, alt = _note(generated.files["indicators/reply-rate.md"].decode(), "reply-rate")
    assert note == "Dot: all segments; below, one panel per segment."
    assert alt.endswith("Chart of Reply rate for Sales, 2026-06: the overall reading as a dot, "
                        "then one small panel per segment (north, south).")


WHOLE = re.compile(r"[−-]?\d+(,\d{3})*( d)?")


def test_counts_and_days_are_ticked_in_whole_numbers(tmp_path: Path) -> None:
    """Two months, three actions: the actions chart's axes read 0.00, 0.25 … 2.00 actions. A
    count of 3 meetings alone read 2.85 to 3.15, and a cycle held at 12 days labelled "12 d"
    five times. Every count and day axis is ticked on whole numbers now, both of the actions
    chart's included, and a backlog of none all along is 0 and 1, not 0.00 to 0.05."""
    actions = ("actions:\n  - id: S-1\n    title: Send quotes the same day\n    owner: Ana Díaz\n"
               "    due: 2026-07-30\n  - id: S-2\n    title: Name a quote approver\n"
               "    owner: Ana Díaz\n    due: 2026-07-30\n    status: done\n"
               "    done_on: 2026-07-02\n")
    root = _new_adopter(
        tmp_path,
        ("2026-05", "2026-06-03", "  meetings: 3\n  cycle: 12\n",
         "actions:\n  - id: S-0\n    title: Check approvals\n    owner: Ana Díaz\n"
         "    due: 2026-07-30\n"),
        ("2026-06", "2026-07-02", "  meetings: 3\n  cycle: 12\n", actions))
    figures = build(root, AS_OF).figures
    assert figures.actions is not None
    svg = figures.actions.svg.decode()
    for axes in (1, 2):  # actions per month, open at month end
        labels = _y_labels(svg, axes)
        assert labels and all(WHOLE.fullmatch(label) for label in labels), labels
    for indicator, want in (("meetings", ["2", "3", "4"]), ("cycle", ["11 d", "12 d", "13 d"])):
        labels = _y_labels(figures.indicators[(indicator, "sales")].svg.decode())
        assert labels == want, labels

    # Every action closed in the month it was raised: the backlog stays at none.
    done = _new_adopter(tmp_path / "none open", (
        "2026-06", "2026-07-02", "  meetings: 0\n",
        "actions:\n  - id: S-9\n    title: Fix the quote template\n    owner: Ana Díaz\n"
        "    due: 2026-07-10\n    status: done\n    done_on: 2026-07-02\n"))
    figures = build(done, AS_OF).figures
    assert figures.actions is not None
    assert _y_labels(figures.actions.svg.decode(), 2) == ["0", "1"]
    labels = _y_labels(figures.indicators[("meetings", "sales")].svg.decode())
    assert labels == ["0", "1", "2"], labels
