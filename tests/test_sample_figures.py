"""The sample's computed figures, as published: goldens of the pages that show them.

The quarterly reviews' scorecards with the actuals computed from their months, and the retros
whose derived indicators are computed (September) or checked against stated values (July,
August). The sample is copied into a real git repository with a fixed commit date, so the
pages (which name who submitted each record, and when) are stable.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import HERE, REPO
from generator.paths import RenderOptions
from generator.site.build import Generated, build
from gittools import commit_all, init
from sitetools import checklist_items, table_rows

GOLDENS = HERE / "goldens" / "sample"
PAGES = [
    "records/2025-q2-review.md", "records/2026-q2-review.md", "records/2026-q3-review.md",
    "records/2026-07-sales.md", "records/2026-09-sales.md", "records/2026-09-marketing.md",
    "indicators/mql-to-sql.md", "reviews/index.md",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = tmp_path_factory.mktemp("sample") / "kb"
    init(root)
    shutil.copy(REPO / "taxonomy.yml", root)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    commit_all(root, "The sample", "Sam Ple", "2026-11-20T09:00:00+00:00")
    return build(root, dt.date(2026, 11, 23), RenderOptions())


@pytest.mark.parametrize("page", PAGES)
def test_sample_pages_match_goldens(sample: Generated, page: str,
                                    golden: Callable[[Path, str], None]) -> None:
    # The commit hash follows every sample file's bytes; provenance is tested elsewhere.
    text = re.sub(r"\(`[0-9a-f]{7,}`\)", "(`<commit>`)", sample.files[page].decode("utf-8"))
    golden(GOLDENS / page, text)


def test_sample_scorecards_agree_with_their_months(sample: Generated) -> None:
    # Every typed actual tied to an indicator or measure agrees with the quarter's months;
    # the rows left blank are filled in.
    rows = [row for card in sample.analysis.scorecards.values() for row in card if row.figure]
    assert len(rows) >= 20
    assert all(row.agrees is not False for row in rows)
    assert sum(row.filled_in for row in rows) == 2
    q3 = sample.files["records/2026-q3-review.md"].decode()
    rows = "\n".join(table_rows(q3))
    assert "| New ARR | $2,200,000 | $1,970,000 | 90% | agrees ($1,970,200) |" in rows
    assert "30.3% *(computed)*" in rows


def test_sample_derived_indicators_are_checked_and_computed(sample: Generated) -> None:
    july = sample.files["records/2026-07-sales.md"].decode()
    assert ("| Pipeline velocity | all | $42,800/day · checked: Open opportunities × Win rate × "
            "Average deal size ÷ Average sales-cycle length gives $42,823/day, agrees |") \
        in table_rows(july)
    september = sample.files["records/2026-09-marketing.md"].decode()
    assert "| MQL→SQL conversion | inbound | 29.8% (71/238) · *computed: SQLs ÷ MQLs* |" \
        in table_rows(september)
    # No stated value in the sample disagrees with its inputs.
    assert not [p for p in sample.result.problems.items if "gives" in p.message]


def test_the_plan_index_counts_each_checklist_as_it_lists_it(sample: Generated) -> None:
    # Each kind's "at a glance" counts are what its checklist page lists (a lesson written in
    # several records once), and what the kind's own section on the index says.
    index = sample.files["plan/index.md"].decode()
    rows = "\n".join(table_rows(index))
    merged = 0
    for kind in ("campaign", "deal", "event", "launch", "pricing", "quarter"):
        page = sample.files[f"plan/{kind}.md"].decode()
        lessons_part = page.split("## Lessons", 1)[1].split("\n## ", 1)[0]
        listed = len(checklist_items(lessons_part))
        merged += lessons_part.count("(written ")
        row = re.search(rf"\| \[[^]]+\]\(\.\./plan/{kind}/\) \| \[(\d+)\]\(\.\./plan/{kind}/#lessons\)",
                        rows)
        assert row is not None and int(row.group(1)) == listed, kind
        assert f"checklist: {listed} lesson" in index.split(f"{kind}.md)", 1)[0] or listed == 0
    assert merged > 0  # the sample repeats lessons, so the two ways of counting differ


def test_the_sites_checklist_lists_the_lessons_hindsight_plan_prints(sample: Generated) -> None:
    # The site merged only lessons written in the same words, `hindsight plan` near-duplicates
    # too: the campaign page listed 17 lessons, two of them rewordings, against the 15 of
    # `hindsight plan campaign` (its golden). Both now merge near-duplicates, in one order.
    page = sample.files["plan/campaign.md"].decode()
    lessons_part = page.split("## Lessons", 1)[1].split("\n## ", 1)[0]
    site = [line.removeprefix("- ").split(" — ", 1)[0]
            for line in checklist_items(lessons_part)]
    printed = (HERE / "goldens" / "plan-campaign.txt").read_text(encoding="utf-8")
    printed = printed.split("\nLessons (most repeated, then newest, first)\n", 1)[1].split("\n\n")[0]
    plan = [line.removeprefix("  [ ] ") for line in printed.splitlines()
            if line.startswith("  [ ] ")]
    assert len(plan) == 15 and site == plan


def test_every_mark_a_chart_draws_stands_out_from_the_page(sample: Generated) -> None:
    """A segment's line was drawn in #e69f00, 2.25:1 on white, the eight causes a dot chart
    can show took yellow (1.32:1) and sky blue, and what followed an action was drawn
    see-through (purple at 80 %: 2.2:1 on the dark scheme's plate; the mean before it at 35 %:
    1.65:1): graphics a reader must see need 3:1 (WCAG 1.4.11), on white and on the plate."""
    from test_charts import PLATE, _contrast_on_plate, _marks

    from generator.site.charts import ChartCache, render_chart

    eight = {"months": ["2026-01", "2026-02"], "title": "t",
             "causes": [{"title": f"Cause {n}", "counts": [1, n % 2]} for n in range(8)]}
    charts = [chart.svg for chart in sample.figures.all()] + [
        render_chart("charts/causes.svg", "causes", eight, "t", "alt", ChartCache()).svg]
    drawn = {mark for svg in charts for mark in _marks(svg)}
    # Ink and the dot chart's eight colours at least, and some chart marks what followed an
    # action (so the spans' colours are among those checked).
    assert len({colour for colour, _ in drawn}) >= 9, drawn
    assert any(b'after-actions-' in svg for svg in charts)
    from generator.site.drawing import INK, plt

    # The grid is no mark: a reader reads the values without it (faint on purpose).
    grid = (INK.lower(), float(plt.rcParams["grid.alpha"]))
    faint = {}
    for colour, opacity in drawn - {grid}:
        painted = tuple(opacity * int(colour[i:i + 2], 16) + (1 - opacity) * PLATE[i // 2]
                        for i in (1, 3, 5))
        ratio = _contrast_on_plate(painted)  # type: ignore[arg-type]
        if ratio < 3 and colour != "#ffffff":
            faint[f"{colour} at {opacity:.0%}"] = round(ratio, 2)
    assert not faint, faint
