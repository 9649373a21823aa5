"""What a European partner team types, and the fix each mistake's hint gives.

A knowledge base unlike the sample's: partner teams that meet quarterly, money in euros
(``currency: "€"``) written the German way, indicators declared by someone who thinks in
percentages and currencies. Each case is validated with the real command and its line read
as the user sees it: ``path:line:col field message (hint)``, exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_kb, run_cli

AS_OF = "2026-11-02"

TAXONOMY = """\
company: Nordwerk Cloud SE
currency: "€"
causes:
  - id: dealreg-backlog
    title: Deal-registration backlog
    description: Registrations wait in a queue nobody owns.
indicators:
  - id: partner-share
    label: Partner-sourced share of pipeline
    unit: {share_unit}
    better: up
  - id: mdf-spend
    label: MDF spend
    unit: {money_unit}
    better: up
teams:
  - id: dach-partners
    name: DACH Partners
    monthly_retros: false
plan_kinds:
  - id: deal
    title: Deals
"""


def retro(period: str, mdf: str) -> str:
    """DACH Partners' retro of ``period``, MDF spend typed as ``mdf``."""
    return (f"---\ntype: retro\nperiod: {period}\nteam: dach-partners\nheld: 2026-10-08\n"
            f"facilitator: Katrin Vogel\nformat: five-whys\nindicators:\n"
            f"  partner-share: 0.34\n  mdf-spend: {mdf}\ncauses:\n  - cause: dealreg-backlog\n"
            "---\n\nApproval time got worse again.\n")


def validate(tmp_path: Path, files: dict[str, str], share_unit: str = "rate",
             money_unit: str = "usd") -> list[str]:
    """The lines `hindsight validate` prints of a knowledge base (exit 1: it has errors)."""
    taxonomy = tmp_path / "nordwerk-taxonomy.yml"
    taxonomy.write_text(TAXONOMY.format(share_unit=share_unit, money_unit=money_unit),
                        encoding="utf-8")
    root = make_kb(tmp_path / "kb", files, taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


RATE = ('use rate: a share, written in records as a decimal, 0.31, or as counts, "18/52", '
        "and shown as a percentage, 31.0%; for a figure that passes 100%, such as net revenue "
        "retention, use ratio with shown_as: percent: written 1.04, shown as 104.0%")


@pytest.mark.parametrize(("unit", "hint"), [
    ("percent", RATE), ("percentage", RATE), ('"%"', RATE), ("pct", RATE),
    ("eur", 'use usd with `currency: "€"` in taxonomy.yml: usd is money in the currency '
            "taxonomy.yml names; figures are never converted"),
    ("EUR", 'use usd with `currency: "€"` in taxonomy.yml: usd is money in the currency '
            "taxonomy.yml names; figures are never converted"),
    ("gbp", 'use usd with `currency: "£"` in taxonomy.yml: usd is money in the currency '
            "taxonomy.yml names; figures are never converted"),
    ("PLN", 'use usd with `currency: "PLN"` in taxonomy.yml: usd is money in the currency '
            "taxonomy.yml names; figures are never converted"),
    ("money", 'use usd with `currency:` in taxonomy.yml set to your currency\'s sign, e.g. '
              '"€": usd is money in the currency taxonomy.yml names; figures are never '
              "converted"),
    ("eur_per_day", 'use usd_per_day with `currency: "€"` in taxonomy.yml: usd_per_day is '
                    "money in the currency taxonomy.yml names; figures are never converted"),
    ("USD", "write usd, in lowercase"),
])
def test_a_percentage_or_a_currency_as_an_indicator_s_unit_gets_the_unit_meant(
        tmp_path: Path, unit: str, hint: str) -> None:
    """`unit: percent` said "(did you mean count?)", the closest spelling; `eur`, `EUR`,
    `money` and `%` gave only the list of units."""
    share = unit if unit in ('"%"', "percent", "percentage", "pct") else "rate"
    money = "usd" if share != "rate" else unit
    lines = validate(tmp_path, {"retros/2026-09-dach-partners.md": retro("2026-09", "24980.40")},
                     share_unit=share, money_unit=money)
    shown = unit.strip('"')
    index = 0 if share != "rate" else 1
    expected = (f"taxonomy.yml:{10 + 4 * index}:11  indicators[{index}].unit  must be one of "
                f"rate, days, count, usd, usd_per_day, ratio (got \"{shown}\") ({hint})")
    assert expected in lines, lines


def test_a_retro_of_a_quarter_and_an_amount_in_euros_get_the_fix(tmp_path: Path) -> None:
    """DACH Partners meet quarterly; their retro said `period: 2026-Q3` and got "write
    YYYY-MM", and MDF spend typed `EUR 24.980,40` got "write a plain number" where `48.250,50`
    got the number to write. Both say what to write now."""
    text = retro("2026-Q3", "EUR 24.980,40")
    lines = validate(tmp_path, {"retros/2026-09-dach-partners.md": text})
    assert lines[:2] == [
        'retros/2026-09-dach-partners.md:3:9  period  must be a month like 2026-05 (got '
        '"2026-Q3") (a retro\'s period is a month: a team that meets quarterly writes the '
        "quarter's last month, `period: 2026-09`; a quarterly review is `type: review` with "
        "`period: 2026-Q3`)",
        'retros/2026-09-dach-partners.md:10:14  indicators.mdf-spend  must be a number (got '
        '"EUR 24.980,40") (write 24980.40 for EUR 24.980,40: a plain number, with a point for '
        "decimals; the site shows amounts in €, taxonomy.yml's `currency:`)",
    ], lines


@pytest.mark.parametrize(("raw", "hint"), [
    ("48.250,50", "write 48250.50 for 48.250,50: a plain number, with a point for decimals"),
    ("24.980,40 EUR", "write 24980.40 for 24.980,40 EUR: a plain number, with a point for "
                      "decimals"),
    ("CHF 1.200", "if it means 1,200, write 1200; if 1.2, write 1.2: a plain number, with a "
                  "point for decimals"),
    ("EUR 24980.40", "write 24980.40, a plain number with no currency code"),
    ("EUR 410,000", "if it means 410,000, write 410000; if 410, write 410: a plain number, "
                    "with a point for decimals"),
    ("USD 1,2", None),  # a dollar amount has no decimal comma: no guess
])
def test_an_amount_with_a_currency_code_gets_the_plain_number(raw: str, hint: str | None) -> None:
    from generator.records.types import disguised_number_hint

    assert disguised_number_hint(raw) == hint
