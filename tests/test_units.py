"""A plan or scorecard row's unit: money is ``usd`` in the taxonomy's currency, and a unit
Hindsight does not know but that reads as money, a percentage or a misspelt unit is warned
about where it is written."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import NORDFJORD, run_cli
from sitetools import table_rows

PLAN = """\
---
type: postmortem
name: Partner wave
kind: other
plan_kind: partner-program
outcome: mixed
summary: Partners signed, the pipeline they brought stayed thin.
team: field-sales
event_ended: 2026-06-10
held: 2026-06-12
keeper: Ola Nordmann
participants: [Ola Nordmann]
plan_vs_actual:
  - {metric: Partner pipeline, goal: 500000, actual: 310000, unit: eur}
  - {metric: Partner pipeline as money, goal: 500000, actual: 310000, unit: usd}
  - {metric: Cost per day, goal: 400, actual: 380, unit: EUR/day, better: down}
  - {metric: Activation, goal: 40, actual: 31, unit: percent}
  - {metric: Ramp, goal: 3, actual: 4, unit: months, better: down}
  - {metric: Deal desk, goal: 500, actual: 310, unit: k€}
  - {metric: Cycle, goal: 30, actual: 41, unit: day, better: down}
---
The partner wave.
"""


def _kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    (root / "postmortems").mkdir(parents=True)
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    (root / "postmortems" / "2026-06-partner-wave.md").write_text(PLAN, encoding="utf-8")
    return root


def test_money_in_a_currencys_name_is_warned_about_at_its_unit(tmp_path: Path) -> None:
    """Nordfjord keeps its books in €: `unit: eur` validated without a word and its page read
    "500,000 eur / 310,000 eur" beside "€500,000" for the same money as `usd`. Each unit that
    reads as money, a percentage or a misspelt unit is a warning at its line and column with
    the unit meant; `months`, a unit of the writer's own, is shown after the number."""
    root = _kb(tmp_path)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15", "--format",
                      "json")
    assert checked.exit_code == 0, checked.output
    found = [(p["line"], p["col"], p["field"], p["severity"], p["message"], p["hint"])
             for p in json.loads(checked.stdout)["problems"]]
    assert found == [
        (14, 68, "plan_vs_actual[0].unit", "warning",
         'eur is not a unit Hindsight knows: the row reads "500,000 eur", not "€500,000"',
         "unit: usd is money in the currency taxonomy.yml names, €: write it for amounts in "
         "€; figures are never converted"),
        (16, 58, "plan_vs_actual[2].unit", "warning",
         'EUR/day is not a unit Hindsight knows: the row reads "400 EUR/day", not "€400/day"',
         "unit: usd_per_day is money per day in the currency taxonomy.yml names, €: write it "
         "for amounts in €; figures are never converted"),
        (17, 54, "plan_vs_actual[3].unit", "warning",
         "percent is not a unit Hindsight knows, so the row is not checked or shown as a share",
         "write unit: rate, and goal and actual as shares between 0 and 1: 30% is 0.3, shown "
         "as 30%"),
        (19, 55, "plan_vs_actual[5].unit", "warning",
         'k€ is not a unit Hindsight knows: the row reads "500 k€", not "€500,000"',
         "unit: usd is money in the currency taxonomy.yml names, €: write it, with the whole "
         "amount (500000, not 500), for amounts in €; figures are never converted"),
        (20, 49, "plan_vs_actual[6].unit", "warning",
         "day is not a unit Hindsight knows, so it is shown after the number as written",
         "did you mean days?"),
    ], found

    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of",
                        "2026-06-15")
    assert generated.exit_code == 0, generated.output
    page = (out / "records" / "2026-06-partner-wave.md").read_text(encoding="utf-8")
    rows = "\n".join(table_rows(page))
    assert "| Partner pipeline as money | €500,000 | €310,000 |" in rows, rows
    assert "| Ramp | 3 months | 4 months |" in rows, rows
    # The format page says what usd means, in this site's currency.
    formats = (out / "guide" / "record-format.md").read_text(encoding="utf-8")
    unit = next(line for line in formats.splitlines() if line.startswith("| `unit` | string |"))
    assert ("`usd` \\(money, in the currency taxonomy.yml names under `currency:`, `$` unless "
            "set, here `€`; never converted\\), `usd_per_day` \\(money per day\\)") in unit, unit
    assert "money written in a currency's name \\(`eur`\\)" in unit
    value = next(line for line in formats.splitlines() if line.startswith("| `value` |"))
    assert "\\(US dollars by default, here `€`\\)" in value


def test_a_review_draft_says_its_usd_row_is_money_in_the_taxonomys_currency(
        tmp_path: Path) -> None:
    """Nordfjord's example row is its first indicator's, here its pipeline in euros."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "taxonomy.yml").write_text(NORDFJORD.replace(
        "indicators:\n", "indicators:\n  - id: pipeline\n    label: Pipeline\n    unit: usd\n"
        "    better: up\n", 1), encoding="utf-8")
    made = run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08",
                   "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    text = (root / "retros" / "2026-q2-review.md").read_text(encoding="utf-8")
    assert "    unit: usd  # money, in the currency taxonomy.yml names (€); never converted\n" \
        in text
