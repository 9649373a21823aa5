"""Money as an operations team measures it: cents that matter.

A knowledge base unlike the sample's (a warehouse and a finance team, a cost per order of
a few dollars, lower is better, a cost per scan under a cent) built with the real command:
every amount on its pages, charts and drafts is asserted as a reader sees it. The sample's
amounts are tens of thousands and keep their whole dollars.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from conftest import make_kb, run_cli
from generator.records.formatting import format_delta, format_value, money
from generator.records.taxonomy import Unit
from generator.site.build import build

TAXONOMY = """\
company: Opsline
causes:
  - id: carrier-surcharge
    title: Carrier surcharge
    description: A carrier added a fuel or peak surcharge mid-contract.
indicators:
  - id: cost-per-order
    label: Cost per order
    unit: usd
    better: down
    description: Fulfilment cost over orders shipped.
  - id: cost-per-scan
    label: Cost per scan
    unit: usd
    better: down
    description: Scanner lease over scans, a fraction of a cent.
teams:
  - id: warehouse
    name: Warehouse
  - id: finance
    name: Finance
  - id: returns
    name: Returns
plan_kinds:
  - id: rollout
    title: Rollouts
"""

AS_OF = dt.date(2028, 2, 20)


def retro(period: str, team: str, indicators: str) -> str:
    """A monthly retro held on the 3rd of the next month."""
    year, month = (int(p) for p in period.split("-"))
    held = dt.date(year + month // 12, month % 12 + 1, 3)
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\n"
            f"facilitator: Ines Duarte\nformat: five-whys\nindicators:\n{indicators}---\n\nBody.\n")


def knowledge_base(root: Path) -> Path:
    """Warehouse: 4.48, 4.64, 5.2 and 5.0 from October 2027 to January 2028 (a 12 % rise
    over the last three); Finance: 4.5 in September 2027, 5.2 in January 2028; Returns:
    4.80, 4.86, 4.90 and 5.05, January the wrong way by 15 cents (and 20 against the mean)."""
    files = {f"retros/{period}-warehouse.md": retro(period, "warehouse",
                                                    f"  cost-per-order: {value}\n"
                                                    f"  cost-per-scan: {scan}\n")
             for period, value, scan in (("2027-10", "4.48", "0.0042"), ("2027-11", "4.64", "0.0042"),
                                         ("2027-12", "5.2", "0.0039"), ("2028-01", "5.0", "0.0047"))}
    files["retros/2027-09-finance.md"] = retro("2027-09", "finance", "  cost-per-order: 4.5\n")
    files["retros/2028-01-finance.md"] = retro("2028-01", "finance", "  cost-per-order: 5.2\n")
    files.update({f"retros/{period}-returns.md": retro(period, "returns",
                                                       f"  cost-per-order: {value}\n")
                  for period, value in (("2027-10", "4.80"), ("2027-11", "4.86"),
                                        ("2027-12", "4.90"), ("2028-01", "5.05"))})
    taxonomy = root.parent / "opsline-taxonomy.yml"
    root.parent.mkdir(parents=True, exist_ok=True)
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return make_kb(root, files, taxonomy)


def _text(markup: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = knowledge_base(tmp_path_factory.mktemp("opsline") / "kb")
    files = build(root, AS_OF).files
    return {path: files[path].decode() for path in files
            if path.endswith((".md", ".svg", ".csv"))}


def test_the_indicator_page_says_cents_where_whole_dollars_said_held(
        site: dict[str, str]) -> None:
    """4.64 → 5.20 → 5.00 read "held at $5 for three months", and 4.5 → 5.2 "$4 → $5"."""
    page = site["indicators/cost-per-order.md"]
    assert "held at" not in page, page
    assert ("Cost per order for Warehouse fell in January 2028, $5.20 → $5 — better."
            in page), page
    assert ("Cost per order for Finance rose from September 2027 to January 2028, "
            "$4.50 → $5.20 — worse.") in page, page


def test_the_readings_table_shows_each_move_to_the_cent(site: dict[str, str]) -> None:
    """The rows read "2027-11 all $5 ±$0 ±$0 wrong way"; 17 "±$0" on the page."""
    page = site["indicators/cost-per-order.md"]
    warehouse = page.split("## Warehouse", 1)[1]
    rows = [_text(row) for row in re.findall(r"<tr><th scope=\"row\" class=\"hs-date\">.*?</tr>",
                                             warehouse)]
    november = next(row for row in rows if row.startswith("2027-11"))
    assert november.startswith("2027-11all$4.64+$0.16"), november
    december = next(row for row in rows if row.startswith("2027-12"))
    # 5.2 against 4.64, and against the mean of 4.48 and 4.64 (4.56).
    assert december.startswith("2027-12all$5.20+$0.56+$0.64wrong way"), december
    assert "±$0" not in page, page


def test_home_lists_a_wrong_way_move_with_its_cents(site: dict[str, str]) -> None:
    """Home said "Value: $5 vs prior: ±$0 vs 3-month mean: ±$0" of a rise of cents."""
    home = _text(site["index.md"])
    assert ("Cost per orderTeam: ReturnsSegment: allValue: $5.05vs prior: +$0.15"
            "vs 3-month mean: +$0.20") in home, home
    assert "±$0" not in home, home


def test_a_record_page_shows_the_stated_figure(site: dict[str, str]) -> None:
    page = _text(site["records/2027-12-warehouse.md"])
    assert "Cost per orderall$5.20" in page and "Cost per scanall$0.0039" in page, page


def test_an_amount_under_a_cent_reads_as_itself(site: dict[str, str]) -> None:
    """A cost per scan of 0.0042 rounded to cents is $0.00: a price of nothing."""
    page = site["indicators/cost-per-scan.md"]
    assert "$0.0047" in page and "+$0.0008" in page, page
    assert ">$0<" not in page and ">$0.00<" not in page, page
    assert "2027-11all$0.0042±$0" in _text(page), page  # no move at all: 0.0042 twice


def test_the_chart_s_money_ticks_are_all_different(site: dict[str, str]) -> None:
    """The chart's y axis read "$5, $5, $5, $5, $4" from 4.4 to 5.2."""
    chart = next(text for path, text in site.items()
                 if path.endswith(".svg") and "cost-per-order" in path and "warehouse" in path)
    ticks = re.findall(r">(−?\$[\d.,]+)</text>", chart)
    assert len(ticks) >= 3 and len(set(ticks)) == len(ticks), ticks
    assert all(re.fullmatch(r"\$\d\.\d\d", tick) for tick in ticks), ticks


def test_the_readings_export_keeps_the_figures(site: dict[str, str]) -> None:
    rows = site["data/readings.csv"].splitlines()
    november = next(r for r in rows if r.startswith("2027-11,warehouse,cost-per-order"))
    assert ",4.64," in november and ",0.16," in november, november


def test_prep_s_agenda_gives_the_cents(tmp_path: Path) -> None:
    """Prep's draft said "| Cost per order | all | $5 | $4 (September 2027) | +$1 |" of a
    team back after a pause at 5.2 against 4.5."""
    root = knowledge_base(tmp_path / "kb")
    (root / "retros" / "2028-01-finance.md").unlink()
    metrics = tmp_path / "january.csv"
    metrics.write_text("indicator,segment,value\ncost-per-order,,5.2\n", encoding="utf-8")
    result = run_cli("prep", "--team", "finance", "--period", "2028-01", "--metrics",
                     str(metrics), "--root", str(root), "--as-of", "2028-02-20")
    assert result.exit_code == 0, result.output
    text = (root / "retros" / "2028-01-finance.md").read_text(encoding="utf-8")
    assert "| Cost per order | all | $5.20 | $4.50 (September 2027) | +$0.70 |" in text, text


@pytest.mark.parametrize(("value", "shown"), [
    (4.64, "$4.64"), (5.2, "$5.20"), (5.0, "$5"), (40, "$40"), (0.5, "$0.50"),
    (0.0042, "$0.0042"), (0.004, "$0.004"), (99.996, "$100"), (48_250.5, "$48,251"),
    (48_249.5, "$48,250"), (-48_250.5, "−$48,251"), (2.675, "$2.68"), (1.125, "$1.13"),
    (0.00125, "$0.0013"), (1_234_567, "$1,234,567"), (-0.3, "−$0.30"), (-1e-16, "$0"),
])
def test_one_rule_for_every_amount(value: float, shown: str) -> None:
    """Whole units from $100 up; below, the cents where there are any; under a dollar two
    significant digits, to a hundredth of a cent; an amount that shows as none has no sign. A
    half rounds up, as typed, at any place (48,250.50 read "$48,250", half to even, and 2.675
    "$2.67", its binary value a hair under the half)."""
    assert money(value, "$") == shown
    assert format_value(value, Unit.USD) == shown


@pytest.mark.parametrize(("change", "shown"), [
    (0.16, "+$0.16"), (-0.3, "−$0.30"), (0.0, "±$0"), (1e-16, "±$0"), (-70, "−$70"),
    (-4_100, "−$4,100"), (580.33, "+$580"),
])
def test_a_real_move_is_never_shown_as_none(change: float, shown: str) -> None:
    assert format_delta(change, Unit.USD) == shown


def test_axis_labels_take_the_places_that_tell_them_apart() -> None:
    from generator.records.formatting import money_ticks

    assert money_ticks([4.4, 4.6, 4.8, 5.0, 5.2], "$") == [
        "$4.40", "$4.60", "$4.80", "$5.00", "$5.20"]
    assert money_ticks([38_000, 40_000], "$") == ["$38,000", "$40,000"]
    assert money_ticks([48_250, 48_250.5, 48_251], "€") == [
        "€48,250.00", "€48,250.50", "€48,251.00"]
