"""Scorecard figures of a Customer Success team, a knowledge base unlike the sample's: net
revenue retention as a ratio written in decimals (0.98, 1.048), escalations to the CEO as a
count where lower is better, logo churn as a rate where lower is better, and customer
acquisition cost in euros. Every figure below is worked out by hand in its test."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import make_kb, run_cli
from generator.records.formatting import exact_pair, exact_value, told_apart
from generator.records.validate import check
from sitetools import make_project, mkdocs_build, table_rows

AS_OF = "2026-07-20"

TAXONOMY = """\
company: Keelhaul
currency: "€"
causes:
  - id: onboarding-gap
    title: Onboarding gap
    description: New customers reach value late.
indicators:
  - id: nrr
    label: Net revenue retention
    unit: ratio
    better: up
    aggregate: mean
  - id: escalations
    label: Escalations to the CEO
    unit: count
    better: down
  - id: churn
    label: Logo churn
    unit: rate
    better: down
  - id: cac
    label: CAC
    unit: usd
    better: down
teams:
  - id: cs
    name: Customer Success
    monthly_retros: true
plan_kinds:
  - id: renewal
    title: Renewals
"""

# January to March: NRR 0.98, 1 and 1.02 (typed "1", as a sheet exports it); escalations
# 20, 15, 15 (50 in the quarter); churn 2 %, 1.8 %, 2.5 %; CAC €1,200, €1,180, €1,210.50.
MONTHS = {"01": ("0.98", 20, 0.02, 1200), "02": ("1", 15, 0.018, 1180),
          "03": ("1.02", 15, 0.025, 1210.5)}


def retro(month: str, nrr: str, escalations: int, churn: float, cac: float) -> str:
    """Customer Success's retro of 2026-``month``, held on the 3rd of the next month."""
    return (f"---\ntype: retro\nperiod: 2026-{month}\nteam: cs\n"
            f"held: 2026-{int(month) + 1:02d}-03\nfacilitator: Ines Duarte\nformat: five-whys\n"
            f"indicators:\n  nrr: {nrr}\n  escalations: {escalations}\n  churn: {churn}\n"
            f"  cac: {cac}\n---\n")


def review(rows: str) -> str:
    """The company's review of 2026-Q1 with ``rows`` as its scorecard's YAML lines."""
    return ("---\ntype: review\nperiod: 2026-Q1\nheld: 2026-04-10\nfacilitator: Ines Duarte\n"
            f"scorecard:\n{rows}---\n")


def generate(tmp_path: Path, rows: str, months: dict[str, tuple[str, int, float, float]] = MONTHS,
             ) -> Path:
    """Validate (no errors) and generate the site of the quarter; the generated tree."""
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    files = {f"retros/2026-{m}-cs.md": retro(m, *values) for m, values in months.items()}
    root = make_kb(tmp_path / "kb", {**files, "retros/2026-q1-review.md": review(rows)}, taxonomy)
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None and not result.problems.errors, result.problems.items
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF)
    assert generated.exit_code == 0, generated.output
    return out


def rows_of(page: Path) -> list[str]:
    """The table rows of a generated page, as `table_rows` writes them."""
    return table_rows(page.read_text(encoding="utf-8"))


def test_a_pair_of_figures_keeps_the_decimals_each_shows_alone() -> None:
    """2.25 and 2.254 as ratios: each alone is "2.25" and "2.254" as typed; set apart from 1
    decimal they were "2.2" and "2.3", neither of them. A derived reading stated 2.25 against
    a computed 2.254 (both "2.25" as tables write numbers) takes a third decimal, not fewer."""
    assert exact_pair(2.25, 2.254, "ratio") == ("2.25", "2.254")
    assert told_apart(2.25, 2.254, "count") == ("2.250", "2.254")
    # Money with cents: €40.45 and €40.449 are "40.45" twice at cents, and stay so (they
    # were "$40.5" and "$40.4"): money never goes past the cent. Days to the hundredth as
    # typed, never to the tenth.
    assert exact_pair(40.45, 40.449, "usd") == ("$40.45", "$40.45")
    assert exact_pair(2.25, 2.2541111111, "days") == ("2.250 days", "2.254 days")


def test_typed_decimals_and_the_money_rule_hold_together() -> None:
    """Money is whole from $100 up and keeps its cents below (to two significant digits under
    a dollar); a scorecard figure keeps the decimals typed besides, never past the cent. A
    cost per order typed 1.25 is "$1.25", a computed 0.0123456789 "$0.012" as money writes it
    (not "$0.01"), a goal of $2,000,000.50 keeps its cents, a quarter's mean of 40,758.125 is
    to the cent. Told apart outside a scorecard, $150.33 stays "$150" beside "$4.64" (they
    read apart), and two that read "$4.64" stay so: a tenth of a cent is nobody's money."""
    assert exact_value(1.25, "usd") == "$1.25"
    assert exact_value(40_758.125, "usd") == "$40,758.13"
    assert exact_value(1.125, "usd") == "$1.13"
    assert exact_value(0.0123456789, "usd") == "$0.012"
    assert exact_value(2_000_000.5, "usd") == "$2,000,000.50"
    assert exact_value(4.64, "usd") == "$4.64"
    assert exact_value(150.0, "usd") == "$150"
    assert told_apart(150.333333333, 4.64, "usd") == ("$150", "$4.64")
    assert told_apart(4.641, 4.638, "usd") == ("$4.64", "$4.64")
    assert told_apart(100.4, 99.996, "usd") == ("$100.4", "$100.0")


def test_a_goal_and_its_figure_are_never_written_with_fewer_decimals_than_typed(
        tmp_path: Path) -> None:
    """By hand:

    - NRR of the 2025 cohort: goal 1.05, actual 1.048 (typed): 1.048 / 1.05 = 99.8 %. The
      row read "1.1 | 1.0 | 99.8%": a goal nobody set, and two figures 10 % apart at 99.8 %.
    - NRR (computed): the months are 1.04, 1.05 and 1.05, their mean (1.04 + 1.05 + 1.05) / 3
      = 1.046667, and the goal 1.05: 1.046667 / 1.05 = 99.7 %. Both read "1.05" at two
      decimals; the row said "1.1" against "1.0 (computed)" from one decimal; it says
      "1.050" against "1.047". Against a goal of 1.048 (1.046667 / 1.048 = 99.9 %) it is
      "1.047" too: "1.05" beside "1.048" read as beating it.
    - CAC in euros, lower is better: goal €1,200.45, actual €1,200.449; apart they read
      "€1,200.5" and "€1,200.4"; both are "€1,200.45", as money stops at the cent.
      1,200.45 / 1,200.449 = 100.00008 %.
    - Time to first value, days, lower is better: goal 2.25 days, actual 2.254 days; the row
      read "2.2 days" against "2.3 days" (tables' tenths). 2.25 / 2.254 = 99.8 %.
    - Payback in months (a unit of the record's own): goal 11.25, actual 11.254: "11.25
      months" against "11.254 months"; 11.25 / 11.254 = 99.96 %."""
    months = {m: (nrr, *rest) for (m, (_, *rest)), nrr in zip(
        MONTHS.items(), ("1.04", "1.05", "1.05"), strict=True)}
    out = generate(tmp_path, (
        '  - {metric: "NRR of the 2025 cohort", goal: 1.05, actual: 1.048, unit: ratio, '
        "better: up}\n"
        "  - {metric: NRR, goal: 1.05, unit: ratio, indicator: nrr}\n"
        "  - {metric: NRR kept, goal: 1.048, unit: ratio, indicator: nrr}\n"
        "  - {metric: CAC, goal: 1200.45, actual: 1200.449, unit: usd, better: down}\n"
        "  - {metric: Time to first value, goal: 2.25, actual: 2.254, unit: days, "
        "better: down}\n"
        "  - {metric: Payback, goal: 11.25, actual: 11.254, unit: months, better: down}\n"),
        months)
    rows = rows_of(out / "records" / "2026-q1-review.md")
    for row in ("| NRR of the 2025 cohort | 1.05 | 1.048 | 99.8% | – |",
                "| [NRR](../../indicators/nrr/) | 1.050 | 1.047 *(computed)* | 99.7% | filled in |",
                "| [NRR kept](../../indicators/nrr/) | 1.048 | 1.047 *(computed)* | 99.9% | filled "
                "in |",
                "| CAC | €1,200.45 | €1,200.45 | 100% | – |",
                "| Time to first value | 2.25 days | 2.254 days | 99.8% | – |",
                "| Payback | 11.25 months | 11.254 months | 99.96% | – |"):
        assert row in rows, (row, rows)


def test_a_lower_is_better_goal_of_zero_that_is_missed_reads_not_met_everywhere(
        tmp_path: Path) -> None:
    """A goal of 0 has no ratio to say how near it is (README: the row reads *not met*). By
    hand: Escalations to the CEO, at most 0, typed 5: not met (0 ÷ 5 read "0%", and the
    sentence said "furthest short: Escalations to the CEO at 0% of its goal"); Escalations
    computed from the retros, 20 + 15 + 15 = 50 against 0: not met; Churned logos, at most 0,
    typed 0: met at 0; NRR of the 2025 cohort 1.048 against 1.05: 99.8 %, the one goal with a
    ratio missed, so the furthest short. One of four met."""
    out = generate(tmp_path, (
        "  - {metric: Escalations to the CEO, goal: 0, actual: 5, unit: count, better: down}\n"
        "  - {metric: Escalations, goal: 0, unit: count, indicator: escalations}\n"
        "  - {metric: Churned logos, goal: 0, actual: 0, unit: count, better: down}\n"
        '  - {metric: "NRR of the 2025 cohort", goal: 1.05, actual: 1.048, unit: ratio}\n'))
    page = (out / "records" / "2026-q1-review.md").read_text(encoding="utf-8")
    rows = table_rows(page)
    for row in ("| Escalations to the CEO | 0 | 5 | not met | – |",
                "| [Escalations](../../indicators/escalations/) | 0 | 50 *(computed)* | not met "
                "| filled in |",
                "| Churned logos | 0 | 0 | met at 0 | – |"):
        assert row in rows, (row, rows)
    assert ("One of four goals of 2026-Q1 met; furthest short: NRR of the 2025 cohort at 99.8% "
            "of its goal.") in page, page
    assert ("By goal: Escalations to the CEO not met, Escalations not met, Churned logos met at "
            "0, NRR of the 2025 cohort 99.8%.") in page, page
    svg = (out / "charts" / "attainment-2026-q1-review.svg").read_text(encoding="utf-8")
    # The bars' labels, after the axis (0 to 100, and its title): "0%" was the label of both.
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    labels = labels[labels.index("attainment (100% = goal met)") + 1:]
    assert [label for label in labels if "%" in label or "met" in label] == [
        "not met", "not met", "met at 0", "99.8%"], labels
    reviews = (out / "reviews" / "index.md").read_text(encoding="utf-8")
    assert "[1 of 4](" in "\n".join(table_rows(reviews)), reviews


def test_a_quarter_whose_only_miss_is_a_goal_of_zero_names_it_missed(tmp_path: Path) -> None:
    """Escalations to the CEO at most 0, 50 in the quarter (computed), beside Logo churn at
    most 3 %, a mean of (2 + 1.8 + 2.5) / 3 = 2.1 % (3 ÷ 2.1 = 143 %, met): the only miss has
    no ratio, so none is "furthest short" (it was "at 0% of its goal"); it is named missed."""
    out = generate(tmp_path, (
        "  - {metric: Escalations to the CEO, goal: 0, unit: count, indicator: escalations}\n"
        "  - {metric: Logo churn, goal: 0.03, unit: rate, indicator: churn}\n"))
    page = (out / "records" / "2026-q1-review.md").read_text(encoding="utf-8")
    assert "| 0 | 50 *(computed)* | not met | filled in |" in "\n".join(table_rows(page)), page
    assert "0% of its goal" not in page, page


def test_a_ratio_is_written_to_the_hundredth_beside_its_neighbours(tmp_path: Path) -> None:
    """NRR 0.98, 1 and 1.02 by month: the readings table wrote "1" between "0.98" and "1.02";
    it writes "1.00", and the changes to the hundredth too (1.02 − 1 = +0.02; February has
    no prior month of three, its change from January is 1 − 0.98 = +0.02). A scorecard row
    with a goal of 1.0 and an actual of 1.0 read "1 | 1"; it reads "1.00 | 1.00 | 100%".
    Counts beside them keep their whole numbers: escalations 20, 15, 15."""
    out = generate(tmp_path, (
        "  - {metric: NRR held, goal: 1.0, actual: 1.0, unit: ratio}\n"
        "  - {metric: NRR, goal: 1.0, unit: ratio, indicator: nrr}\n"))
    nrr = rows_of(out / "indicators" / "nrr.md")
    shown = [(row.split(" | ")[2], row.split(" | ")[3]) for row in nrr if row.startswith("| 2026-0")]
    assert [value.split("](")[0].strip("[") for value, _ in shown] == ["1.02", "1.00", "0.98"], nrr
    assert [change for _, change in shown] == ["+0.02", "+0.02", "–"], nrr
    escalations = rows_of(out / "indicators" / "escalations.md")
    assert [row.split(" | ")[2].split("](")[0].strip("[") for row in escalations
            if row.startswith("| 2026-0")] == ["15", "15", "20"], escalations
    rows = rows_of(out / "records" / "2026-q1-review.md")
    # The quarter's NRR is the mean (0.98 + 1 + 1.02) / 3 = 1.00: its goal of 1.0 met, 100 %.
    for row in ("| NRR held | 1.00 | 1.00 | 100% | – |",
                "| [NRR](../../indicators/nrr/) | 1.00 | 1.00 *(computed)* | 100% | filled in |"):
        assert row in rows, (row, rows)


def test_the_built_site_shows_the_figures_as_typed_and_a_missed_goal_of_zero_as_not_met(
        tmp_path: Path) -> None:
    """The three through a real `mkdocs build --strict`, read in the HTML: NRR 1.048 against a
    goal of 1.05 (99.8 %), 5 escalations against at most 0 (not met), and January to March's
    NRR 0.98, 1.00 and 1.02 on the indicator's page."""
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    kb = make_kb(tmp_path / "kb", {
        **{f"retros/2026-{m}-cs.md": retro(m, *values) for m, values in MONTHS.items()},
        "retros/2026-q1-review.md": review(
            '  - {metric: "NRR of the 2025 cohort", goal: 1.05, actual: 1.048, unit: ratio}\n'
            "  - {metric: Escalations to the CEO, goal: 0, actual: 5, unit: count, "
            "better: down}\n")}, taxonomy)
    project = make_project(tmp_path / "site", kb)
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    site = project / "site"
    record = rows_of(site / "records" / "2026-q1-review" / "index.html")
    for row in ("| NRR of the 2025 cohort | 1.05 | 1.048 | 99.8% | – |",
                "| Escalations to the CEO | 0 | 5 | not met | – |"):
        assert row in record, (row, record)
    nrr = rows_of(site / "indicators" / "nrr" / "index.html")
    assert [row.split(" | ")[2] for row in nrr if row.startswith("| 2026-0")] == [
        "[1.02](../../records/2026-03-cs/#indicators)",
        "[1.00](../../records/2026-02-cs/#indicators)",
        "[0.98](../../records/2026-01-cs/#indicators)"], nrr


def test_a_computed_figure_that_differs_is_told_apart_from_the_goal_too(tmp_path: Path) -> None:
    """NRR 1.04, 1.05 and 1.05: the quarter's mean is 3.14 / 3 = 1.046667, typed 1.048, the
    goal 1.047. The typed figure meets the goal, the records' does not: not judged. Beside
    the typed 1.048 the computed figure read "1.047", the goal itself, so "records give
    1.047, which does not [meet 1.047]"; it reads 1.0467. The difference, 1.048 − 1.046667 =
    0.0013, read "0 below" (and "0.00 below" once ratios took two decimals): "0.001 below"."""
    months = {m: (nrr, *rest) for (m, (_, *rest)), nrr in zip(
        MONTHS.items(), ("1.04", "1.05", "1.05"), strict=True)}
    out = generate(tmp_path, (
        "  - {metric: NRR, goal: 1.047, actual: 1.048, unit: ratio, indicator: nrr}\n"), months)
    rows = rows_of(out / "records" / "2026-q1-review.md")
    row = ("| [NRR](../../indicators/nrr/) | 1.047 | 1.048 | not judged: typed meets the goal, "
           "the records do not | **differs**: computed 1.0467, 0.001 below the typed 1.048 |")
    assert row in rows, rows
    validated = run_cli("validate", "--root", str(tmp_path / "kb"), "--as-of", AS_OF)
    assert ("warning: typed 1.048 meets the goal of 1.047; the quarter's records give 1.0467, "
            "which does not") in validated.output, validated.output
