"""A Customer Success team's knowledge base: renewal and churn retros, lost-renewal and
escalation post-mortems, read as that team reads them.

Unlike the sample's go-to-market records: retention indicators (net revenue retention, a
ratio that passes 100%; gross revenue retention and logo churn, rates, churn lower-is-better),
expansion ARR, time to first value in days, and post-mortems of lost renewals, downgrades and
escalations filed under plan kinds of their own. Each case runs the real command on records
written into a temporary knowledge base and reads what the user sees.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from conftest import generate_into, make_kb, run_cli

AS_OF = "2026-10-20"

TAXONOMY = """\
company: Northwind Analytics
causes:
  - id: onboarding-stall
    title: Onboarding stalls after kickoff
    description: Implementation waits on the customer's data team.
  - id: champion-turnover
    title: Champion left the account
    description: The person who bought us leaves.
indicators:
  - id: nrr
    label: Net revenue retention
    unit: ratio
    better: up
    description: Recurring revenue kept plus expansion, over revenue a year ago.
  - id: grr
    label: Gross revenue retention
    unit: rate
    better: up
    segment_by: segment
    segments: [smb, enterprise]
  - id: logo-churn
    label: Logo churn
    unit: rate
    better: down
    segment_by: segment
    segments: [smb, enterprise]
  - id: expansion-arr
    label: Expansion ARR
    unit: usd
    better: up
    aggregate: sum
  - id: time-to-first-value
    label: Time to first value
    unit: days
    better: down
teams:
  - id: enterprise-success
    name: Enterprise Success
    monthly_retros: true
  - id: smb-success
    name: SMB Success
plan_kinds:
  - id: renewal
    title: Renewals
    held_within_days: 14
  - id: escalation
    title: Escalations
reasons:
  - id: adoption
    title: Adoption and usage
    description: Whether the customer's people used the product enough to miss it.
  - id: price
    title: Price
    description: The renewal price or a competitor's offer.
assumption_categories:
  - id: sponsor
    title: Sponsor
    description: Who on the customer's side would back the renewal.
"""

_READINGS = {
    "2026-07": ("1.02", '"88/100"', '"2/14"', "40000", "61"),
    "2026-08": ("1.08", "0.93", '"1/11"', "95000", "55"),
    "2026-09": ("1.12", "0.96", '"0/9"', "160000", "44"),
}


def retro(period: str, nrr: str, grr: str, churn: str, expansion: str, ttfv: str,
          held: str) -> str:
    """Enterprise Success's renewal retro of ``period``, its readings typed as given."""
    return f"""---
type: retro
period: {period}
team: enterprise-success
title: "Enterprise Success retro — {period}"
held: {held}
facilitator: "Raj Iyer"
participants: ["Hannah Cole", "Omar Farouk"]
format: went-well-didnt
indicators:
  nrr: {nrr}
  grr:
    enterprise: {grr}
  logo-churn:
    enterprise: {churn}
  expansion-arr: {expansion}
  time-to-first-value: {ttfv}
went_well:
  - "Renewals closed on time"
didnt_go_well:
  - "Two accounts went dark during onboarding"
causes:
  - cause: onboarding-stall
---

Renewals this month.
"""


FERNHILL = """---
type: postmortem
name: "The Fernhill Renewal Loss"
kind: deal-lost
outcome: loss
plan_kind: renewal
summary: "Fernhill Logistics did not renew its $180k contract and moved to Quantia."
team: enterprise-success
event_ended: 2026-09-30
held: 2026-10-08
keeper: "Raj Iyer"
assumptions:
  - statement: "The new Head of Ops would adopt the tool the team already used."
    category: sponsor
    held: false
deal:
  customer: "Fernhill Logistics"
  chose_us: false
  why: "Our people stopped using it when Dana left, and Quantia was cheaper."
  competitor: "Quantia"
  reasons: [adoption, price]
  value: 180000
causes:
  - cause: champion-turnover
lessons:
  - lesson: "When a champion leaves, find the new sponsor within 30 days."
    applies_to: [renewal]
---

Fernhill did not renew.
"""


def records() -> dict[str, str]:
    """Three months of Enterprise Success retros and a lost renewal's post-mortem."""
    held = {"2026-07": "2026-08-05", "2026-08": "2026-09-03", "2026-09": "2026-10-06"}
    files = {f"retros/{period}-enterprise-success.md": retro(period, *values, held[period])
             for period, values in _READINGS.items()}
    files["postmortems/2026-09-the-fernhill-renewal-loss.md"] = FERNHILL
    return files


def knowledge_base(tmp_path: Path, files: dict[str, str]) -> Path:
    """The Customer Success knowledge base of ``files`` in ``tmp_path``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    taxonomy = tmp_path / "cs-taxonomy.yml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return make_kb(tmp_path / "kb", files, taxonomy)


def validate_lines(root: Path) -> tuple[int, list[str]]:
    """`hindsight validate`'s exit code and lines for the knowledge base in ``root``."""
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF, "--no-cache")
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def test_the_corpus_validates(tmp_path: Path) -> None:
    """The records the cases below change validate as written."""
    code, lines = validate_lines(knowledge_base(tmp_path, records()))
    assert code == 0, lines


def test_nrr_typed_as_a_percentage_is_told_the_ratio_to_write(tmp_path: Path) -> None:
    """NRR is a ratio (it passes 100%); a retro typing it as the slide shows it, `104%`, was
    told only "write a plain number", which left the 100 to guess (104 reads as 104×). The
    hint now gives the ratio: 1.04."""
    files = records()
    files["retros/2026-09-enterprise-success.md"] = retro(
        "2026-09", "104%", "0.96", '"0/9"', "160000", "44", "2026-10-06")
    code, lines = validate_lines(knowledge_base(tmp_path, files))
    assert code == 1
    nrr = [line for line in lines if "indicators.nrr" in line]
    assert nrr == ["retros/2026-09-enterprise-success.md:11:8  indicators.nrr  must be a number "
                   '(got "104%") (write 1.04 for 104%: a ratio is written as a decimal, 1 for '
                   "100%)"], lines


def test_nrr_typed_as_a_percentage_in_a_metrics_csv(tmp_path: Path) -> None:
    """The same in `hindsight prep --metrics`: a CSV row `nrr,,91.5%` gets the ratio."""
    root = knowledge_base(tmp_path, records())
    csv = tmp_path / "october.csv"
    csv.write_text("indicator,segment,value\nnrr,,91.5%\ngrr,enterprise,0.915\n",
                   encoding="utf-8")
    result = run_cli("prep", "--team", "enterprise-success", "--period", "2026-10",
                     "--held", "2026-11-04", "--metrics", str(csv), "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code != 0
    assert (f"{csv.as_posix()}:2:6  value  '91.5%' is not a number (write 0.915 for 91.5%: a "
            "ratio is written as a decimal, 1 for 100%)") in result.output.splitlines(), \
        result.output
    assert not (root / "retros" / "2026-10-enterprise-success.md").exists()


def test_logo_churn_said_in_words_is_told_its_counts(tmp_path: Path) -> None:
    """Logo churn is a rate a CS team says as counts, "3 of 120 accounts": typed so, it was
    told "write a rate as a decimal between 0 and 1, or as counts, e.g. "18/52"", the counts
    there to copy. The hint now writes them: "3/120"."""
    files = records()
    files["retros/2026-09-enterprise-success.md"] = retro(
        "2026-09", "1.12", "0.96", "3 of 120 accounts", "160000", "44", "2026-10-06")
    code, lines = validate_lines(knowledge_base(tmp_path, files))
    assert code == 1
    churn = [line for line in lines if "indicators.logo-churn" in line]
    assert churn == ["retros/2026-09-enterprise-success.md:15:17  indicators.logo-churn.enterprise"
                     '  must be a number (got "3 of 120 accounts") (write "3/120" for 3 of 120 '
                     "accounts: a rate as counts)"], lines


def test_logo_churn_said_in_words_in_a_metrics_csv(tmp_path: Path) -> None:
    """The same in a metrics CSV: `18 out of 52` is told "18/52"."""
    root = knowledge_base(tmp_path, records())
    csv = tmp_path / "october.csv"
    csv.write_text("indicator,segment,value\nlogo-churn,enterprise,18 out of 52\n",
                   encoding="utf-8")
    result = run_cli("prep", "--team", "enterprise-success", "--period", "2026-10",
                     "--held", "2026-11-04", "--metrics", str(csv), "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code != 0
    assert ('\'18 out of 52\' is not a number (write "18/52" for 18 out of 52: a rate as '
            "counts)") in result.output, result.output


REVIEW = """---
type: review
period: 2026-Q3
held: 2026-10-14
facilitator: "Priya Shah"
scorecard:
  - metric: "Gross revenue retention (enterprise)"
    goal: 0.95
    unit: rate
    indicator: grr
    segment: enterprise
  - metric: "Logo churn, Enterprise"
    goal: 0.08
    unit: rate
    better: down
    indicator: logo-churn
    segment: enterprise
  - metric: "Time to first value"
    goal: 45
    unit: days
    better: down
    indicator: time-to-first-value
  - metric: "Retention of accounts"
    goal: 0.95
    unit: rate
    indicator: grr
    segment: enterprise
---

Retention held in enterprise.
"""


def generated(tmp_path: Path, files: dict[str, str]) -> Path:
    """The pages `hindsight generate` writes for the Customer Success knowledge base."""
    return generate_into(knowledge_base(tmp_path, files), tmp_path / "out", AS_OF)


def test_a_scorecard_row_naming_its_segment_does_not_name_it_twice(tmp_path: Path) -> None:
    """The review draft's example row is "Gross revenue retention (enterprise)" with
    `segment: enterprise`; the review's page showed it as "Gross revenue retention
    (enterprise) (enterprise)", and "Logo churn, Enterprise" as "Logo churn, Enterprise
    (enterprise)". A metric that names its segment (any case) is shown as written; one that
    does not still gets it, "Retention of accounts (enterprise)"."""
    files = records() | {"retros/2026-q3-review.md": REVIEW}
    page = (generated(tmp_path, files) / "records" / "2026-q3-review.md").read_text()
    heads = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a>([^<]*)</th>', page)
    assert heads == [("Gross revenue retention (enterprise)", ""),
                     ("Logo churn, Enterprise", ""),
                     ("Time to first value", ""),
                     ("Retention of accounts", " (enterprise)")], page


def test_a_lost_renewal_filed_as_a_deal_lost_says_it_was_a_renewal(tmp_path: Path) -> None:
    """A lost renewal is filed `kind: deal-lost` (for its customer, competitor and reasons on
    the win/loss page) with `plan_kind: renewal`. The post-mortems index listed it under
    "Deals lost" with nothing more, and its page said "Post-mortem · deal-lost · loss", words
    for new business; only a post-mortem of kind other named the plan kind it informs. Both
    now name it: "The Fernhill Renewal Loss · Renewals", "deal-lost, for Renewals"."""
    out = generated(tmp_path, records())
    index = (out / "postmortems" / "index.md").read_text()
    assert re.search(r'<th scope="row"><a href="[^"]*2026-09-the-fernhill-renewal-loss/">The '
                     r'Fernhill Renewal Loss</a> · <a href="\.\./plan/renewal/">Renewals</a></th>',
                     index), index
    page = (out / "records" / "2026-09-the-fernhill-renewal-loss.md").read_text()
    assert "**Post-mortem** · deal-lost, for [Renewals](../plan/renewal.md) · **loss**" in page


def test_nrr_declared_as_a_percent_is_told_of_ratio(tmp_path: Path) -> None:
    """A CS lead declares NRR as they say it, `unit: percent`. The hint was "use rate: a
    share, …", and with it every retro's `nrr: 1.04` was then refused: "a rate must be
    between 0 and 1". The hint now says what a figure past 100% takes: ratio, written 1.04."""
    root = knowledge_base(tmp_path, records())
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(TAXONOMY.replace("unit: ratio", "unit: percent"), encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 1
    assert lines[0] == (
        'taxonomy.yml:12:11  indicators[0].unit  must be one of rate, days, count, usd, '
        'usd_per_day, ratio (got "percent") (use rate: a share, written in records as a '
        'decimal, 0.31, or as counts, "18/52", and shown as a percentage, 31.0%; for a figure '
        "that passes 100%, such as net revenue retention, use ratio with shown_as: percent: "
        "written 1.04, shown as 104.0%)"), lines


PERCENT_TAXONOMY = TAXONOMY.replace("    unit: ratio\n", "    unit: ratio\n    shown_as: percent\n")
"""The Customer Success taxonomy with NRR shown as the percentage a CS lead reads."""


def percent_kb(tmp_path: Path, files: dict[str, str], taxonomy: str = PERCENT_TAXONOMY) -> Path:
    """The knowledge base of ``files`` with NRR declared ``shown_as: percent``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    root = knowledge_base(tmp_path, files)
    (root / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    return root


def test_nrr_shown_as_percent_is_read_from_a_percentage(tmp_path: Path) -> None:
    """NRR declared `shown_as: percent` takes the figure as its pages show it: `104%` is
    1.04, and `91.5 %` in a segment-less retro too; `1.04%` is no such figure (it may be the
    decimal with a % typed after it), and is told both readings."""
    files = records()
    files["retros/2026-09-enterprise-success.md"] = retro(
        "2026-09", "104%", "0.96", '"0/9"', "160000", "44", "2026-10-06")
    files["retros/2026-08-enterprise-success.md"] = retro(
        "2026-08", '"91.5 %"', "0.93", '"1/11"', "95000", "55", "2026-09-03")
    code, lines = validate_lines(percent_kb(tmp_path / "ok", files))
    assert code == 0, lines
    files["retros/2026-09-enterprise-success.md"] = retro(
        "2026-09", "1.04%", "0.96", '"0/9"', "160000", "44", "2026-10-06")
    code, lines = validate_lines(percent_kb(tmp_path / "small", files))
    assert code == 1
    assert [line for line in lines if "indicators.nrr" in line] == [
        'retros/2026-09-enterprise-success.md:11:8  indicators.nrr  must be a number (got '
        '"1.04%") (write 0.0104 for 1.04%, or 1.04 for 104%: a percentage under 10% may be '
        "the decimal with a % after it, so it is not read)"], lines


def test_nrr_shown_as_percent_from_a_metrics_csv(tmp_path: Path) -> None:
    """A metrics CSV's `nrr,,91.5%` is the draft's `nrr: 0.915`, the decimal records write."""
    root = percent_kb(tmp_path, records())
    csv = tmp_path / "october.csv"
    csv.write_text("indicator,segment,value\nnrr,,91.5%\ngrr,enterprise,0.915\n",
                   encoding="utf-8")
    result = run_cli("prep", "--team", "enterprise-success", "--period", "2026-10",
                     "--held", "2026-11-04", "--metrics", str(csv), "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-10-enterprise-success.md").read_text()
    assert re.search(r"^  nrr: 0\.915$", draft, re.M), draft


def test_shown_as_is_checked(tmp_path: Path) -> None:
    """`shown_as:` takes `percent` and belongs to a ratio: a value it does not know, or one
    on a rate (always shown as a percentage), is an error at the field."""
    root = percent_kb(tmp_path / "word", records(),
                      PERCENT_TAXONOMY.replace("shown_as: percent", 'shown_as: "%"'))
    code, lines = validate_lines(root)
    assert code == 1
    assert lines[0] == (
        'taxonomy.yml:13:15  indicators[0].shown_as  must be one of percent (got "%") '
        "(shown_as: percent shows a ratio as a percentage, 1.04 as 104.0%; leave it out to "
        "show it as written, 1.04)"), lines
    root = percent_kb(tmp_path / "rate", records(), PERCENT_TAXONOMY.replace(
        "    unit: rate\n    better: up\n", "    unit: rate\n    shown_as: percent\n"
        "    better: up\n"))
    code, lines = validate_lines(root)
    assert code == 1
    assert lines[0] == (
        "taxonomy.yml:19:15  indicators[1].shown_as  is for a ratio, and the unit is rate (a "
        "rate is always shown as a percentage: leave shown_as out)"), lines


def percent_site(tmp_path: Path, files: dict[str, str]) -> Path:
    """The pages `hindsight generate` writes with NRR declared ``shown_as: percent``."""
    root = percent_kb(tmp_path, files)
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    return out


def test_nrr_shown_as_percent_on_every_page(tmp_path: Path) -> None:
    """NRR declared `shown_as: percent` read "1.12" on its page, the team's, the indicators
    index and the retro's, and its change "+0.04", where a CS lead reads 112%. Each now shows
    the percentage to a tenth, as a rate (112.0%), its changes in points (+4.0 pp); September
    typed as the slide shows it, `112%`, is the same 1.12; the export keeps the decimal."""
    files = records()
    files["retros/2026-09-enterprise-success.md"] = retro(
        "2026-09", "112%", "0.96", '"0/9"', "160000", "44", "2026-10-06")
    out = percent_site(tmp_path, files)
    page = (out / "indicators" / "nrr.md").read_text()
    assert "Unit: a ratio, shown as a percentage (1.04 is 104.0%)" in page
    rows = re.findall(r'<tr><th scope="row" class="hs-date">(2026-\d\d)</th><td>[^<]*</td>'
                      r'<td class="hs-num"><a [^>]*>([^<]*)</a></td><td class="hs-num">([^<]*)',
                      page)
    assert rows == [("2026-09", "112.0%", "+4.0 pp"), ("2026-08", "108.0%", "+6.0 pp"),
                    ("2026-07", "102.0%", "–")], page
    team = (out / "teams" / "enterprise-success.md").read_text()
    assert re.search(r'Net revenue retention</a></th>.*?>112\.0%</a></td><td class="hs-num">'
                     r'<span class="hs-stack__label">vs prior: </span>\+4\.0 pp</td>', team), team
    index = (out / "indicators" / "index.md").read_text()
    assert "Net revenue retention</a></th><td>ratio (%)</td>" in index
    assert re.search(r'Net revenue retention</a></th>.*?>112\.0%</a>.*?>\+4\.0 pp</a>.*?'
                     r'>\+7\.0 pp</a>', index), index
    record = (out / "records" / "2026-09-enterprise-success.md").read_text()
    assert '<th scope="row">Net revenue retention</th><td>all</td><td>112.0%</td>' in record
    for text in (page, team, index, record):
        assert not re.search(r"\b1\.(02|08|12)\b|[+−]0\.0[46]\b", text), text
    readings = (out / "data" / "readings.csv").read_text()
    assert "2026-09,enterprise-success,nrr,all,1.12," in readings


def test_nrr_shown_as_percent_on_the_retro_agenda(tmp_path: Path) -> None:
    """`hindsight prep`'s agenda of indicators that moved the wrong way gave NRR as "0.95"
    against "1.12"; shown as a percentage it reads 95.0% against 112.0%, −17.0 pp, while the
    draft's reading stays the decimal, 0.95 (typed `95%` in the metrics CSV)."""
    root = percent_kb(tmp_path, records())
    csv = tmp_path / "october.csv"
    csv.write_text("indicator,segment,value\nnrr,,95%\n", encoding="utf-8")
    result = run_cli("prep", "--team", "enterprise-success", "--period", "2026-10",
                     "--held", "2026-11-04", "--metrics", str(csv), "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-10-enterprise-success.md").read_text()
    assert re.search(r"^  nrr: 0\.95$", draft, re.M), draft
    assert ("| Net revenue retention | all | 95.0% | 112.0% | 107.3% | −17.0 pp | −12.3 pp |"
            in draft.splitlines()), draft


def test_nrr_shown_as_percent_on_its_chart(tmp_path: Path) -> None:
    """NRR's chart was ticked "1.02 … 1.12" and its caption read "1.02 → 1.12": shown as a
    percentage, its axis is ticked in % and the caption, the SVG's title and its page's
    takeaway read 102.0% → 112.0%, as the table beside it."""
    out = percent_site(tmp_path, records())
    svg = (out / "charts" / "indicators" / "nrr" / "enterprise-success.svg").read_text()
    ticks = re.findall(r'<g id="ytick_\d+">.*?<text[^>]*>([^<]*)</text>', svg, re.S)
    assert ticks and all(re.fullmatch(r"1[01]\d%", tick) for tick in ticks), ticks
    assert "102%" in ticks and "112%" in ticks, ticks
    said = ("Net revenue retention for Enterprise Success rose two months running to "
            "September 2026, 102.0% → 112.0% — better.")
    assert f"<title>{said}</title>" in svg
    page = (out / "indicators" / "nrr.md").read_text()
    assert f'<figcaption class="hs-takeaway">{said}</figcaption>' in page


def test_nrr_shown_as_percent_on_scorecards(tmp_path: Path) -> None:
    """A review's scorecard row for NRR read "1.05 / 1.02", its dispute "computed 1.07, 0.05
    above the typed 1.02", and a post-mortem's plan-vs-actual row naming NRR "1.10 / 0.95".
    Shown as a percentage, the goal, the typed and the computed figure and the difference are
    105.0%, 102.0%, 107.3% and 5.3 pp, in `validate`'s warning too; rows still say
    `unit: ratio` and are written as decimals."""
    files = records()
    files["retros/2026-q3-review.md"] = REVIEW.replace("scorecard:\n", """scorecard:
  - metric: "Net revenue retention"
    goal: 1.05
    actual: 1.02
    unit: ratio
    indicator: nrr
""")
    files["postmortems/2026-09-the-fernhill-renewal-loss.md"] = FERNHILL.replace(
        "deal:\n", "plan_vs_actual:\n  - {metric: \"Account NRR\", goal: 1.1, actual: 0.95, "
        "unit: ratio, indicator: nrr}\ndeal:\n")
    root = percent_kb(tmp_path, files)
    code, lines = validate_lines(root)
    assert code == 0, lines
    assert lines[0].startswith(
        "retros/2026-q3-review.md:9:13  scorecard[0].actual  warning: typed 102.0% misses the "
        "goal of 105.0%; the quarter's records give 107.3%, which meets it"), lines
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    review = (out / "records" / "2026-q3-review.md").read_text()
    assert ('Net revenue retention</a></th><td>105.0%</td><td>102.0%</td><td>not judged: the '
            "records meet the goal, typed does not</td><td><strong>differs</strong>: computed "
            "107.3%, 5.3 pp above the typed 102.0%</td></tr>") in review, review
    loss = (out / "records" / "2026-09-the-fernhill-renewal-loss.md").read_text()
    assert '<th scope="row">Account NRR</th><td>110.0%</td><td>95.0%</td><td>86%</td>' in loss


def test_what_followed_a_fix_to_nrr_shown_as_percent(tmp_path: Path) -> None:
    """*Did it work?* gave an action aimed at NRR as "1.00 → 1.10" and its usual variation,
    the threshold under which a move is flat, as "±0.02". Shown as a percentage, it reads
    100.0% → 110.0% and ±2.0 pp: the threshold is still a ratio's, 2 % of the figure."""
    values = {"2026-02": "0.99", "2026-03": "1.00", "2026-04": "1.01", "2026-05": "1.02",
              "2026-06": "1.08", "2026-07": "1.10", "2026-08": "1.12"}
    files = {}
    for period, value in values.items():
        text = retro(period, value, "0.95", '"1/10"', "50000", "50",
                     f"2026-{int(period[5:]) + 1:02d}-05")
        if period == "2026-02":
            text = text.replace("causes:\n  - cause: onboarding-stall\n", """causes:
  - cause: onboarding-stall
actions:
  - id: ES-2026-02-1
    title: "Name a new sponsor within 30 days of a champion leaving"
    owner: "Raj Iyer"
    due: 2026-05-31
    status: open
    cause: onboarding-stall
    indicator: nrr
""")
        if period == "2026-05":
            text = text.replace("causes:\n", "action_updates:\n  - id: ES-2026-02-1\n"
                                "    status: done\n    done_on: 2026-05-20\ncauses:\n")
        files[f"retros/{period}-enterprise-success.md"] = text
    out = percent_site(tmp_path, files)
    page = (out / "actions" / "effectiveness.md").read_text()
    assert "Before: </span>100.0% (2026-02 to 2026-04)" in page, page
    assert "After: </span>110.0% (2026-06 to 2026-08)" in page, page
    assert "Usual variation: </span>±2.0 pp</td>" in page, page
    actions = (out / "actions" / "index.md").read_text()
    assert ("followed by: moved the right way, Net revenue retention: 100.0% (Feb–Apr 2026) → "
            "110.0% (Jun–Aug 2026)") in actions, actions


def test_a_new_retro_suggests_nrr_near_100_percent(tmp_path: Path) -> None:
    """`hindsight new retro`'s commented example reading gave every ratio as `3.2`, read
    for NRR shown as a percentage as 320%. It offers the team's latest NRR now (September's
    1.12, 112.0%), and to a team with no reading of it "?" to write, never a made-up ratio."""
    root = percent_kb(tmp_path, records())
    result = run_cli("new", "retro", "--team", "enterprise-success", "--period", "2026-10",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-10-enterprise-success.md").read_text()
    assert "#   nrr: 1.12\n" in draft, draft
    result = run_cli("new", "retro", "--team", "smb-success", "--period", "2026-09",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-09-smb-success.md").read_text()
    assert '#   nrr: "?"\n' in draft and "a ratio: 1.05 for 105%" in draft, draft


def test_nrr_split_by_segment_shown_as_percent_is_averaged_as_a_ratio(tmp_path: Path) -> None:
    """NRR split by segment, one typed as a percentage (`smb: 98%`), one as the decimal: each
    is shown as a percentage, and the month's "all" is still a ratio's mean of the two, 1.02
    (102.0%), not pooled as a rate's would be."""
    taxonomy = PERCENT_TAXONOMY.replace(
        "    shown_as: percent\n", "    shown_as: percent\n    segment_by: segment\n"
        "    segments: [smb, enterprise]\n", 1)
    files = records()
    for period, values in _READINGS.items():
        files[f"retros/{period}-enterprise-success.md"] = files[
            f"retros/{period}-enterprise-success.md"].replace(
            f"  nrr: {values[0]}\n", "  nrr: {smb: 98%, enterprise: 1.06}\n")
    root = percent_kb(tmp_path, files, taxonomy)
    code, lines = validate_lines(root)
    assert code == 0, lines
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    record = (out / "records" / "2026-09-enterprise-success.md").read_text()
    assert '<th scope="row">Net revenue retention</th><td>smb</td><td>98.0%</td>' in record
    assert '<th scope="row">Net revenue retention</th><td>enterprise</td><td>106.0%</td>' in record
    assert re.search(r'Net revenue retention</th><td>all segments</td><td>102\.0% · <em>mean',
                     record), record
    readings = (out / "data" / "readings.csv").read_text()
    assert "2026-09,enterprise-success,nrr,smb,0.98," in readings


def _scorecard_cells(page: str, metric: str) -> tuple[str, str, str]:
    """The goal, actual and attainment cells of the scorecard row of ``metric`` (HTML)."""
    found = re.search(rf'>{re.escape(metric)}</a>[^<]*</th><td>([^<]*)</td><td>(.*?)</td>'
                      r"<td>([^<]*)</td>", page)
    assert found, page
    return found.group(1), found.group(2), found.group(3)


def test_a_quarter_s_mean_in_days_is_shown_to_a_tenth(tmp_path: Path) -> None:
    """Time to first value of 61, 55 and 44 days has the quarter's mean 53.333…; the review's
    row read "53.33 days (computed)" beside a goal of 45 days, where every other page writes
    days to a tenth. It reads "53.3 days"; a mean a hair over the goal (45, 45.1 and 45 days:
    45.033…) still reads as the miss it is, "45.03 days" against "45.00 days", not "45 days"
    twice."""
    files = records() | {"retros/2026-q3-review.md": REVIEW}
    page = (generated(tmp_path / "mean", files) / "records" / "2026-q3-review.md").read_text()
    assert _scorecard_cells(page, "Time to first value") == (
        "45 days", "53.3 days <em>(computed)</em>", "84%")
    for period, days in (("2026-07", "45"), ("2026-08", "45.1"), ("2026-09", "45")):
        path = f"retros/{period}-enterprise-success.md"
        files[path] = re.sub(r"(?m)^  time-to-first-value: \d+$",
                             f"  time-to-first-value: {days}", files[path])
    page = (generated(tmp_path / "hair", files) / "records" / "2026-q3-review.md").read_text()
    goal, actual, attained = _scorecard_cells(page, "Time to first value")
    assert (goal, actual) == ("45.00 days", "45.03 days <em>(computed)</em>"), page
    assert attained != "100%", page


def _team_cell(team_page: str, label: str) -> str:
    """The value cell and the change beside it of ``label``'s row on a team page (HTML)."""
    found = re.search(rf">{re.escape(label)}</a></th>.*?Value: </span>(.*?)</td>"
                      r'<td class="hs-num"><span class="hs-stack__label">vs prior: </span>'
                      r"([^<]*)</td>", team_page)
    assert found, team_page
    return f"{found.group(1)} | {found.group(2)}"


def test_one_segment_written_as_a_decimal_is_no_plain_mean(tmp_path: Path) -> None:
    """Gross revenue retention is split by segment; Enterprise Success gives its enterprise
    segment only, September as a decimal (`enterprise: 0.96`). The team page read "96.0% plain
    mean: no counts" and the record "plain mean of the segments (not pooled: …)", a mean of
    one; the month was not compared with August's. One segment is the whole: the team page
    says nothing beside 96.0% and gives +3.0 pp against August, the record "the one segment
    given, nothing to pool". Two segments written as decimals are still labelled a plain
    mean."""
    out = generated(tmp_path / "one", records())
    team = (out / "teams" / "enterprise-success.md").read_text()
    assert _team_cell(team, "Gross revenue retention") == (
        '<a href="../../records/2026-09-enterprise-success/#indicators">96.0%</a> | +3.0 pp'
    ), team
    record = (out / "records" / "2026-09-enterprise-success.md").read_text()
    assert ('<th scope="row">Gross revenue retention</th><td>all segments</td><td>96.0% · '
            "<em>the one segment given, nothing to pool</em></td>") in record, record
    assert "plain mean" not in team + record
    files = records()
    path = "retros/2026-09-enterprise-success.md"
    files[path] = files[path].replace("  grr:\n    enterprise: 0.96\n",
                                      "  grr:\n    smb: 0.9\n    enterprise: 0.96\n")
    out = generated(tmp_path / "two", files)
    team = (out / "teams" / "enterprise-success.md").read_text()
    assert _team_cell(team, "Gross revenue retention").startswith(
        '<a href="../../records/2026-09-enterprise-success/#indicators">93.0%</a> '
        '<span class="hs-note">plain mean: no counts</span> | '), team


def test_a_retro_prepared_before_its_month_ends_is_held_after_it(tmp_path: Path) -> None:
    """A CS lead preps October's retro on 2026-10-20 with the month's CSV. The draft was held
    that day ("note: held: 2026-10-20 is before the month it reviews … ends"), October's
    readings still to come. It is held 2026-11-01, the first day October is over, and the
    note says it is a default to change to the meeting's day."""
    root = knowledge_base(tmp_path, records())
    csv = tmp_path / "october.csv"
    csv.write_text("indicator,segment,value\nnrr,,1.1\ntime-to-first-value,,41\n",
                   encoding="utf-8")
    result = run_cli("prep", "--team", "enterprise-success", "--period", "2026-10",
                     "--metrics", str(csv), "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert ("note: held: 2026-11-01, the day after the month it reviews (2026-10) ends "
            "(2026-10-31), as it is not over yet; change it to the day the meeting is held (or "
            "pass --held): until that day the site leaves it out") in result.output, result.output
    draft = (root / "retros" / "2026-10-enterprise-success.md").read_text()
    assert re.search(r"^held: 2026-11-01\b", draft, re.M), draft


def test_a_review_draft_takes_its_examples_from_a_taxonomy_without_new_arr(
        tmp_path: Path) -> None:
    """`hindsight new review` started its scorecard with a "New ARR" row (goal 1, actual 1,
    unit usd) and offered the lesson "Commit deals only with a mutual close plan signed by
    the buyer." for renewals and escalations, in a knowledge base that measures no new ARR and
    plans no deals. The row is now its first indicator's, net revenue retention as a ratio,
    still warned about until replaced; the lesson speaks of the plans its kinds name."""
    root = knowledge_base(tmp_path, records())
    path = _review_draft(root)
    draft = path.read_text(encoding="utf-8")
    assert ('scorecard:\n  - metric: "Net revenue retention"\n    goal: 1\n    actual: 1\n'
            "    unit: ratio\n    better: up\n") in draft, draft
    assert "ARR" not in draft.split("scorecard:")[1].split("priorities:")[0], draft
    assert "deal" not in draft.split("\nlessons:\n")[1].split("related:")[0], draft
    assert ("#   - lesson: Name the assumptions each plan rests on, and who checks each, before "
            "it starts.\n#     applies_to: [renewal, escalation]\n") in draft, draft
    code, lines = validate_lines(root)
    assert code == 0, lines
    assert ("retros/2026-q3-review.md:13:5  scorecard[0]  warning: is the draft's example row, "
            "which would be published as a goal met (replace it with the quarter's goals; the "
            "pull-request check refuses it while it stands)") in lines, lines
    path.write_text(draft.replace("goal: 1\n    actual: 1\n", "goal: 1.05\n    actual: 1.02\n"),
                    encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 0 and not [line for line in lines if "example row" in line], lines


KEPT = FERNHILL.replace('name: "The Fernhill Renewal Loss"', 'name: "The Ostrava Renewal"').replace(
    "kind: deal-lost\noutcome: loss", "kind: deal-won\noutcome: win").replace(
    "chose_us: false", "chose_us: true").replace(
    "Fernhill Logistics did not renew its $180k contract and moved to Quantia.",
    "Ostrava Freight renewed for two years after a Quantia bake-off.").replace(
    "Fernhill Logistics", "Ostrava Freight")
"""A renewal kept against Quantia: a deal-won post-mortem informing the plan kind renewal."""


def _words(page: str) -> str:
    """A page's text without its tags, links and anchors, for the words a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|\]\([^)]*\)|[\[\]]|\{[^}]*\}", " ", page))


def test_renewals_are_kept_or_lost_and_counted_apart_from_new_business(tmp_path: Path) -> None:
    """A renewal lost and one kept, filed deal-lost and deal-won with `plan_kind: renewal`:
    the home page said "Deals: 1 won and 1 lost in deal post-mortems", the win/loss page "1
    won and 1 lost (50% won)" in columns Won and Share won, and the lost renewal's page "The
    deal", "Chose us: no", "Annual value". Each now speaks of renewals kept and lost. With a
    new-business win beside them, no share mixes the two: each has its own count and rows."""
    files = records() | {"postmortems/2026-09-the-ostrava-renewal.md": KEPT}
    (tmp_path / "renewals").mkdir()
    out = generated(tmp_path / "renewals", files)
    home = (out / "index.md").read_text()
    assert ("- **Renewals:** [1](postmortems/win-loss.md#deals-won) kept and "
            "[1](postmortems/win-loss.md#deals-lost) lost in renewal post-mortems; [why we win "
            "and lose](postmortems/win-loss.md).") in home.splitlines(), home
    assert "**Deals:**" not in home
    page = (out / "postmortems" / "win-loss.md").read_text()
    said = _words(page)
    assert ("From 2 renewal post-mortems (Renewals): 1 kept and 1 lost (50% kept). These are "
            "the renewals that got a post-mortem, not every renewal due: the share kept here is "
            "not the renewal rate.") in said, said
    assert "<th>Competitor</th><th>Kept</th><th>Lost</th><th>Share kept</th>" in page
    assert "## Lessons from renewals kept" in page and "## Lessons from renewals lost" in page
    assert not re.search(r"\bwon\b|\bwin\b|Won", said.split("Why we win and lose")[-1]), said
    loss = (out / "records" / "2026-09-the-fernhill-renewal-loss.md").read_text()
    assert ("## The renewal { #deal }\n\n- Customer: Fernhill Logistics\n- Renewed: no\n") in loss
    assert "- Annual value up for renewal: $180,000\n" in loss

    out = _with_new_business(tmp_path / "both", files)
    home = (out / "index.md").read_text()
    assert [line for line in home.splitlines() if "post-mortems;" in line] == [
        "- **New business:** [1](postmortems/win-loss.md#new-business-won) won and 0 lost in "
        "deal post-mortems; [why we win and lose](postmortems/win-loss.md).",
        "- **Renewals:** [1](postmortems/win-loss.md#kind-renewal-won) kept and "
        "[1](postmortems/win-loss.md#kind-renewal-lost) lost in renewal post-mortems; [why we "
        "win and lose](postmortems/win-loss.md)."], home
    page = (out / "postmortems" / "win-loss.md").read_text()
    said = _words(page)
    assert ("From 3 deal post-mortems, new business and renewals counted apart: New business, 1 "
            "won and 0 lost (100% won); Renewals, 1 kept and 1 lost (50% kept).") in said, said
    assert "67%" not in said
    rows = re.findall(r'<tr><th scope="row"><a href="#([^"]*)">([^<]*)</a></th><td>.*?<td>'
                      r'(\d+%)</td></tr>', page)
    assert rows == [("new-business--competitor-quantia--reasons", "Quantia · New business",
                     "100%"),
                    ("kind-renewal--competitor-quantia--reasons", "Quantia · Renewals",
                     "50%")], rows
    assert '<th scope="row">2026-Q3 · Renewals</th>' in page
    assert "{: #kind-renewal--reason-price-lost }" in page
    loss = (out / "records" / "2026-09-the-fernhill-renewal-loss.md").read_text()
    assert "(../postmortems/win-loss.md#kind-renewal--reason-price-lost)" in loss, loss


DOWNGRADE = FERNHILL.replace('name: "The Fernhill Renewal Loss"', 'name: "The Brackley Downgrade"').replace(
    "kind: deal-lost\noutcome: loss", "kind: deal-won\noutcome: mixed").replace(
    "chose_us: false", "chose_us: true").replace(
    "Fernhill Logistics did not renew its $180k contract and moved to Quantia.",
    "Brackley Foods renewed, but for 40 seats of 120, at $60k instead of $180k.").replace(
    "Fernhill Logistics", "Brackley Foods").replace("reasons: [adoption, price]",
                                                    "reasons: [price]").replace(
    "When a champion leaves, find the new sponsor within 30 days.",
    "Show seat usage to the buyer a quarter before the renewal.")
"""A renewal kept, smaller: a downgrade, filed deal-won with outcome mixed."""


def test_a_downgrade_is_a_renewal_kept_smaller(tmp_path: Path) -> None:
    """A downgrade has no kind of its own: filed `deal-won` with `outcome: mixed` under
    `plan_kind: renewal`, it was warned ("is mixed, but the kind is deal-won"), counted as a
    renewal kept, 2 of 3 (67%), and its lesson listed among the lessons from wins. It is now a
    renewal kept, smaller, without a warning: neither kept nor lost in the share (1 kept, 1
    lost: 50%), in a column of its own with its reasons, its lessons apart. A new-business
    deal won with outcome mixed is still warned about."""
    files = records() | {"postmortems/2026-09-the-ostrava-renewal.md": KEPT,
                         "postmortems/2026-09-the-brackley-downgrade.md": DOWNGRADE}
    root = knowledge_base(tmp_path, files)
    code, lines = validate_lines(root)
    assert code == 0 and lines[0].startswith("0 errors, 0 warnings"), lines
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    home = (out / "index.md").read_text()
    assert ("- **Renewals:** [1](postmortems/win-loss.md#deals-won) kept, "
            "[1](postmortems/win-loss.md#deals-smaller) kept smaller and "
            "[1](postmortems/win-loss.md#deals-lost) lost in renewal post-mortems; [why we win "
            "and lose](postmortems/win-loss.md).") in home.splitlines(), home
    page = (out / "postmortems" / "win-loss.md").read_text()
    said = _words(page)
    assert ("From 3 renewal post-mortems (Renewals): 1 kept, 1 kept smaller (neither kept nor "
            "lost in the share) and 1 lost (50% kept).") in said, said
    assert ("<thead><tr><th>Reason</th><th>Kept</th><th>Kept, smaller</th><th>Lost</th>"
            "<th>Share kept</th></tr></thead>") in page, page
    assert ('<tr><th scope="row">Price</th><td><a href="#reason-price-won">1</a></td><td>'
            '<a href="#reason-price-smaller">1</a></td><td><a href="#reason-price-lost">1</a>'
            "</td><td>50%</td></tr>") in page, page
    assert "**Price, kept, smaller (1):** [The Brackley Downgrade]" in page
    kept = page.split("## Lessons from renewals kept {")[1].split("\n## ")[0]
    smaller = page.split("## Lessons from renewals kept smaller {")[1].split("\n## ")[0]
    assert "Show seat usage" not in kept and "Show seat usage" in smaller, page
    record = (out / "records" / "2026-09-the-brackley-downgrade.md").read_text()
    assert "- Renewed: yes, smaller\n" in record
    assert "- Reasons: [Price](../postmortems/win-loss.md#reason-price-smaller)\n" in record

    files["postmortems/2026-09-the-brackley-downgrade.md"] = DOWNGRADE.replace(
        "plan_kind: renewal\n", "plan_kind: escalation\n")
    (tmp_path / "new").mkdir()
    code, lines = validate_lines(knowledge_base(tmp_path / "new", files))
    assert ("postmortems/2026-09-the-brackley-downgrade.md:5:10  outcome  warning: is mixed, "
            "but the kind is deal-won") in "\n".join(lines), lines


OWN_PLAN_KINDS = ("  - id: retention\n    title: \"Keep & grow\"\n    held_within_days: 14\n"
                  "    renewal: true\n  - id: partner-renewal\n"
                  "    title: Renewal of partner contracts\n    renewal: false\n")
"""Plan kinds that say what they are: renewals named otherwise ("Keep & grow"), and new
partner deals whose title speaks of renewing."""


def test_a_plan_kind_says_whether_it_is_of_renewals(tmp_path: Path) -> None:
    """Renewals were told by the word "renew" in a plan kind's id or title: a team that files
    them under `retention` ("Keep & grow") saw its lost renewal counted as new business lost,
    and one whose new partner deals are "Renewal of partner contracts" saw a partner signed
    counted as a renewal kept. `renewal: true|false` on the plan kind now says which it is;
    a value other than true or false is an error at its line."""
    files = records() | {"postmortems/2026-09-the-ostrava-renewal.md": KEPT}
    for path in list(files):
        files[path] = files[path].replace("plan_kind: renewal\n", "plan_kind: retention\n").replace(
            "applies_to: [renewal]", "applies_to: [retention]")
    files["postmortems/2026-09-the-tarn-partnership.md"] = KEPT.replace(
        'name: "The Ostrava Renewal"', 'name: "The Tarn Partnership"').replace(
        "plan_kind: renewal\n", "plan_kind: partner-renewal\n").replace(
        "applies_to: [renewal]", "applies_to: [partner-renewal]").replace(
        "Ostrava Freight renewed for two years", "Tarn Foods signed as a reseller").replace(
        "Ostrava Freight", "Tarn Foods").replace("held: 2026-10-08", "held: 2026-10-06")
    root = knowledge_base(tmp_path, files)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "  - id: renewal\n    title: Renewals\n    held_within_days: 14\n", OWN_PLAN_KINDS),
        encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 0 and lines[0].startswith("0 errors, 0 warnings"), lines
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    said = _words((out / "postmortems" / "win-loss.md").read_text())
    assert ("From 3 deal post-mortems, new business and renewals counted apart: New business, 1 "
            "won and 0 lost (100% won); Keep & grow, 1 kept and 1 lost (50% kept).") in said, said
    home = (out / "index.md").read_text()
    assert [line for line in home.splitlines() if "post-mortems;" in line] == [
        "- **New business:** [1](postmortems/win-loss.md#new-business-won) won and 0 lost in "
        "deal post-mortems; [why we win and lose](postmortems/win-loss.md).",
        "- **Keep & grow:** [1](postmortems/win-loss.md#kind-retention-won) kept and "
        "[1](postmortems/win-loss.md#kind-retention-lost) lost in renewal post-mortems; [why "
        "we win and lose](postmortems/win-loss.md)."], home
    loss = (out / "records" / "2026-09-the-fernhill-renewal-loss.md").read_text()
    assert "## The renewal { #deal }\n\n- Customer: Fernhill Logistics\n- Renewed: no\n" in loss
    partner = (out / "records" / "2026-09-the-tarn-partnership.md").read_text()
    assert "## The deal { #deal }\n\n- Customer: Tarn Foods\n- Chose us: yes\n" in partner

    taxonomy.write_text(taxonomy.read_text().replace("    renewal: true\n",
                                                     '    renewal: "yes"\n'), encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 1, lines
    assert lines[0] == (
        'taxonomy.yml:46:14  plan_kinds[0].renewal  must be true or false (got "yes") (YAML '
        "1.2 reads yes/no/on/off as text; write true or false)"), lines


def test_a_page_of_renewals_all_kept_smaller_speaks_of_renewals(tmp_path: Path) -> None:
    """Two downgrades and nothing else: the win/loss page said "0 kept, 2 kept smaller
    (neither kept nor lost in the share) and 0 lost (– kept)", then spoke of "the deals
    against each competitor", "a deal counts once under each reason" and "the quarter each
    deal closed in" above rows of renewals. Its sections now speak of renewals, and where
    every renewal was kept smaller the sentence says there is no share kept, and why. Beside
    new business, the renewals' own sentence says so too."""
    other = DOWNGRADE.replace('name: "The Brackley Downgrade"', 'name: "The Corran Downgrade"'
                              ).replace("Brackley Foods", "Corran Mills").replace(
        "held: 2026-10-08", "held: 2026-10-09")
    files = {path: text for path, text in records().items() if path.startswith("retros/")}
    files |= {"postmortems/2026-09-the-brackley-downgrade.md": DOWNGRADE,
              "postmortems/2026-09-the-corran-downgrade.md": other}
    (tmp_path / "smaller").mkdir()
    out = generated(tmp_path / "smaller", files)
    page = (out / "postmortems" / "win-loss.md").read_text()
    prose = _words("\n".join(line for line in page.splitlines()
                             if not line.startswith(("<", "**", "{:", "- "))))
    assert ("From 2 renewal post-mortems (Renewals): 0 kept, 2 kept smaller and 0 lost (no share "
            "kept: each was kept smaller, neither kept nor lost). These are the renewals that "
            "got a post-mortem, not every renewal due. Every count") in prose, prose
    assert "–" not in prose and "share kept here" not in prose, prose
    assert "description: Renewal post-mortems by competitor, segment," in page
    assert ("The reasons given in the renewals against each competitor, the competitors with "
            "the most renewals first; a renewal counts once under each reason its post-mortem "
            "gives.") in prose, prose
    assert "A renewal counts once under each reason its post-mortem gives." in prose
    assert "The quarter each renewal closed in." in prose
    assert "No renewal post-mortem gives its segment yet (`deal.segment`)." in prose, prose
    assert "so no renewal can give its ICP tier. To count renewals by" in prose, prose
    # Settings and fields (`deals:`, `deal.segment`) keep their names.
    assert not re.search(r"\bdeals?\b", re.sub(r"`[^`]*`", "",
                                                prose.split("Why we win and lose")[-1])), prose

    out = _with_new_business(
        tmp_path / "both", {path: text for path, text in files.items() if "corran" not in path})
    said = _words((out / "postmortems" / "win-loss.md").read_text())
    assert ("From 2 deal post-mortems, new business and renewals counted apart: New business, 1 "
            "won and 0 lost (100% won); Renewals, 0 kept, 1 kept smaller and 0 lost (no share "
            "kept: it was kept smaller, neither kept nor lost).") in said, said


def test_a_review_draft_s_goals_are_the_knowledge_base_s_own(tmp_path: Path) -> None:
    """The review draft's commented examples spoke for a sales team: `annual_goals: "The year
    stands at 96% of its new-ARR plan to date; …"` and a row on gross revenue retention with
    `goal: 0.3`, where retention stands near 0.9. The goal is now near the row's latest
    reading (enterprise GRR, 0.96 in September), and the year's goals speak of the knowledge
    base's first indicator and its plans of renewals; uncommented as written, the example is
    still warned about. Without readings, the goal of logo churn is left to fill in."""
    root = knowledge_base(tmp_path, records())
    path = _review_draft(root)
    draft = path.read_text(encoding="utf-8")
    assert ('#   - metric: "Gross revenue retention (enterprise)"\n#     goal: 0.96\n'
            "#     unit: rate\n#     indicator: grr\n#     segment: enterprise\n") in draft, draft
    goals = ("The year stands behind its goal for Net revenue retention to date; the rest of the "
             "year's Renewals must close the gap.")
    assert f'# annual_goals: "{goals}"\n' in draft, draft
    assert "new-ARR" not in draft and "pipeline than" not in draft, draft
    path.write_text(draft.replace("# annual_goals:", "annual_goals:").replace(
        "goal: 1\n    actual: 1\n", "goal: 1.05\n    actual: 1.02\n"), encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 0, lines
    assert [line for line in lines if "annual_goals" in line] == [EXAMPLE_GOALS_LEFT], lines

    (tmp_path / "churn").mkdir()
    root = knowledge_base(tmp_path / "churn", {})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(re.sub(r"  - id: grr\n(    .*\n)+", "", taxonomy.read_text()),
                        encoding="utf-8")
    draft = _review_draft(root).read_text(encoding="utf-8")
    assert ('#   - metric: "Logo churn (enterprise)"\n#     goal:  # no retro gives a reading of '
            "it yet: write the quarter's goal, as a share between 0 and 1: 30% is 0.3\n") in draft, \
        draft


EXAMPLE_GOALS_LEFT = (
    "retros/2026-q3-review.md:34:15  annual_goals  warning: is the draft's example, which "
    "would be published as where the year stands (write how the quarter ties back to the "
    "year's goals, or leave annual_goals out; the pull-request check refuses it while it "
    "stands)")
"""What validation says of a review draft's example `annual_goals` uncommented as written."""

def _tarn_win(name: str = "The Tarn Win") -> str:
    """A new-business deal won (Tarn Foods), informing the plan kind ``deal``."""
    return KEPT.replace('name: "The Ostrava Renewal"', f'name: "{name}"').replace(
        "plan_kind: renewal\n", "").replace(
        "Ostrava Freight renewed for two years", "Tarn Foods signed").replace(
        "Ostrava Freight", "Tarn Foods")


def test_a_review_draft_s_year_goals_speak_of_the_plans_deal_post_mortems_inform_most(
        tmp_path: Path) -> None:
    """A company planning renewals and new business (taxonomy.yml listing Renewals first, then
    Deals) was offered `annual_goals: "…; the rest of the year's Renewals must close the gap."`
    whatever its deals: a plan kind of renewals was taken wherever the taxonomy had one. The
    example now speaks of the plans its deal post-mortems inform most, new business before
    renewals on a tie and where there are none; uncommented as written, each is still warned
    about as the draft's example."""
    def goals(folder: str, files: dict[str, str]) -> tuple[Path, Path, str]:
        root = knowledge_base(tmp_path / folder, files)
        taxonomy = root / "taxonomy.yml"
        taxonomy.write_text(taxonomy.read_text().replace(
            "  - id: escalation\n", "  - id: deal\n    title: Deals\n  - id: escalation\n"),
            encoding="utf-8")
        path = _review_draft(root)
        (line,) = [line for line in path.read_text().splitlines() if "annual_goals:" in line]
        return root, path, line

    said = ('# annual_goals: "The year stands behind its goal for Net revenue retention to date; '
            "the rest of the year's {} must close the gap.\"")
    wins = {f"postmortems/2026-09-the-tarn-win-{n}.md": _tarn_win(f"The Tarn Win {n}")
            for n in (1, 2)}
    assert goals("none", {})[2] == said.format("Deals")
    assert goals("tie", {"postmortems/2026-09-the-tarn-win.md": _tarn_win(),
                         "postmortems/2026-09-the-fernhill-renewal-loss.md": FERNHILL})[2] \
        == said.format("Deals")
    assert goals("renewals", {**records(), "postmortems/2026-09-the-ostrava-renewal.md": KEPT,
                              "postmortems/2026-09-the-tarn-win.md": _tarn_win()})[2] \
        == said.format("Renewals")
    root, path, line = goals("deals", {**records(), **wins})
    assert line == said.format("Deals")

    path.write_text(path.read_text().replace("# annual_goals:", "annual_goals:"), encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 0, lines
    assert [line for line in lines if "annual_goals" in line] == [EXAMPLE_GOALS_LEFT], lines


def _postmortem_row(root: Path, ended: str, name: str) -> str:
    """The commented plan-vs-actual row of the draft `hindsight new postmortem` writes for a
    renewal lost by Enterprise Success whose event ended on ``ended``."""
    result = run_cli("new", "postmortem", "--name", name, "--kind", "deal-lost", "--plan-kind",
                     "renewal", "--team", "enterprise-success", "--ended", ended, "--held",
                     "2026-10-14", "--facilitator", "Raj Iyer", "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / result.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    (row,) = [line for line in draft.splitlines() if line.startswith(("#   - {metric:",
                                                                      "#   - metric:"))]
    return row


def test_a_post_mortem_draft_s_example_row_is_the_knowledge_base_s_own(tmp_path: Path) -> None:
    """`hindsight new postmortem` offered, commented out, a plan-vs-actual row on gross revenue
    retention with `goal: 0.3, actual: 0.3`, where retention stands near 0.9: the figure of a
    rate was 0.3 whatever the rate. As in the review draft, it is now near the row's latest
    reading up to the month the event ended (enterprise GRR: 0.96 in September, 0.93 in
    August, not September's yet); without readings, the figures are left to fill in, as the
    review draft's goal is."""
    root = knowledge_base(tmp_path, records())
    assert _postmortem_row(root, "2026-10-02", "The Hollis Renewal Loss") == (
        "#   - {metric: \"Gross revenue retention (enterprise)\", goal: 0.96, actual: 0.96, "
        "unit: rate}")
    assert _postmortem_row(root, "2026-08-20", "The Arden Renewal Loss") == (
        "#   - {metric: \"Gross revenue retention (enterprise)\", goal: 0.93, actual: 0.93, "
        "unit: rate}")

    (tmp_path / "churn").mkdir()
    root = knowledge_base(tmp_path / "churn", {})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(re.sub(r"  - id: grr\n(    .*\n)+", "", taxonomy.read_text()),
                        encoding="utf-8")
    assert _postmortem_row(root, "2026-10-02", "The Hollis Renewal Loss") == (
        '#   - metric: "Logo churn (enterprise)"')


def test_a_post_mortem_draft_s_example_lesson_speaks_of_the_plans_it_informs(
        tmp_path: Path) -> None:
    """The draft of a lost renewal offered, commented out, `lesson: Validate the offer with
    five target buyers before building it.` under `applies_to: [renewal]`, a campaign's lesson
    in a knowledge base that plans renewals alone; a new deal lost got it too. The example
    now speaks of renewals for a plan kind of renewals (by `renewal:` where given) and of
    committing deals for deals; an escalation keeps the lesson about validating an offer."""
    root = knowledge_base(tmp_path, records())
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "  - id: escalation\n    title: Escalations\n",
        "  - id: escalation\n    title: Escalations\n  - id: keep\n    title: Keep & grow\n"
        "    renewal: true\n  - id: deal\n    title: Deals\n"), encoding="utf-8")

    def lesson(plan_kind: str, name: str) -> list[str]:
        made = run_cli("new", "postmortem", "--name", name, "--kind", "deal-lost",
                       "--plan-kind", plan_kind, "--team", "enterprise-success", "--ended",
                       "2026-10-02", "--held", "2026-10-06", "--facilitator", "Raj Iyer",
                       "--root", str(root))
        assert made.exit_code == 0, made.output
        lines = (root / made.output.strip().splitlines()[-1]).read_text().splitlines()
        at = lines.index("lessons:")
        return lines[at + 1:at + 3]

    renewals = "#   - lesson: Name a second sponsor at each account a quarter before its renewal is due."
    assert lesson("renewal", "The Hollis Renewal Loss") == [
        renewals, "#     applies_to: [renewal]"]
    assert lesson("keep", "The Arden Renewal Loss") == [renewals, "#     applies_to: [keep]"]
    assert lesson("deal", "The Brook Loss") == [
        "#   - lesson: Commit deals only with a mutual close plan signed by the buyer.",
        "#     applies_to: [deal]"]
    assert lesson("escalation", "The Corran Escalation") == [
        "#   - lesson: Validate the offer with five target buyers before building it.",
        "#     applies_to: [escalation]"]


def test_the_records_export_says_which_plan_kind_a_post_mortem_informs_and_if_renewals(
        tmp_path: Path) -> None:
    """data/records.* gave a lost renewal filed `kind: deal-lost` as `deal-lost`, `loss`, the
    words of new business lost, with nothing saying it informs Renewals: the win/loss page
    counts it as a renewal lost, a BI tool as a deal lost. Two last columns say so now:
    `plan_kind` (the plan kind it informs) and `renewal` (whether that kind is of renewals, by
    `renewal:` in taxonomy.yml, which wins over a name saying so); null for a retro."""
    for flag, expected in (("", True), ("    renewal: false\n", False)):
        root = tmp_path / f"kb{flag.strip()}"
        root.mkdir(parents=True)
        taxonomy = TAXONOMY.replace("    held_within_days: 14\n",
                                    f"    held_within_days: 14\n{flag}")
        (root / "cs-taxonomy.yml").write_text(taxonomy, encoding="utf-8")
        kb = make_kb(root / "kb", records(), root / "cs-taxonomy.yml")
        out = root / "out"
        result = run_cli("generate", "--out", str(out), "--root", str(kb), "--as-of", AS_OF,
                         "--no-cache")
        assert result.exit_code == 0, result.output
        rows = {row["id"]: row for row in json.loads(
            (out / "data" / "records.json").read_text(encoding="utf-8"))}
        loss = rows["2026-09-the-fernhill-renewal-loss"]
        assert (loss["kind"], loss["outcome"], loss["plan_kind"], loss["renewal"]) == (
            "deal-lost", "loss", "renewal", expected), loss
        retro = rows["2026-07-enterprise-success"]
        assert (retro["plan_kind"], retro["renewal"]) == (None, None), retro
        table = list(csv.DictReader(io.StringIO(
            (out / "data" / "records.csv").read_text(encoding="utf-8"))))
        columns = list(table[0])
        assert columns[13:15] == ["plan_kind", "renewal"], columns
        assert {(r["id"], r["renewal"]) for r in table if r["type"] == "postmortem"} == {
            ("2026-09-the-fernhill-renewal-loss", str(expected))}
        # The win/loss page reads it the same way.
        winloss = (out / "postmortems" / "win-loss.md").read_text(encoding="utf-8")
        said = ("From 1 renewal post-mortem (Renewals): 0 kept" if expected
                else "From 1 deal post-mortem: 0 won")
        assert said in winloss, winloss


def _with_new_business(folder: Path, files: dict[str, str]) -> Path:
    """The knowledge base of ``files`` with a new-business deal won beside its renewals (the
    kept renewal rewritten as the Tarn Foods win, under a `deal` plan kind), generated into
    ``folder``/out; that folder."""
    new = KEPT.replace('name: "The Ostrava Renewal"', 'name: "The Tarn Win"').replace(
        "plan_kind: renewal\n", "").replace("applies_to: [renewal]", "applies_to: [deal]").replace(
        "Ostrava Freight renewed for two years", "Tarn Foods signed").replace(
        "Ostrava Freight", "Tarn Foods").replace("held: 2026-10-08", "held: 2026-10-06")
    folder.mkdir()
    root = knowledge_base(folder, {**files, "postmortems/2026-09-the-tarn-win.md": new})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "plan_kinds:\n", "plan_kinds:\n  - id: deal\n    title: Deals\n"), encoding="utf-8")
    return generate_into(root, folder / "out", AS_OF)


def _review_draft(root: Path) -> Path:
    """The draft `hindsight new review` writes for 2026-Q3 in the knowledge base at
    ``root``."""
    result = run_cli("new", "review", "--period", "2026-Q3", "--held", "2026-10-14",
                     "--facilitator", "Priya Shah", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root / "retros" / "2026-q3-review.md"


def test_an_empty_nrr_goal_is_told_a_ratio_near_1(tmp_path: Path) -> None:
    """A scorecard row's goal left empty is told how its unit's figure is written. For a
    plain ratio that was "a ratio, such as 3.2", which for net revenue retention, a ratio near
    1, reads as a retention of 320%; the example gives one near 1 as well now."""
    review = REVIEW.replace(
        "scorecard:\n",
        "scorecard:\n  - metric: \"Net revenue retention\"\n    goal:\n    unit: ratio\n"
        "    indicator: nrr\n")
    root = knowledge_base(tmp_path, {**records(), "retros/2026-q3-review.md": review})
    code, lines = validate_lines(root)
    assert code == 1
    said = [line for line in lines if "scorecard[0].goal" in line]
    assert said == ["retros/2026-q3-review.md:8:5  scorecard[0].goal  is empty: must be a "
                    "number (write what the plan said, as a ratio, such as 1.04 (104%) or "
                    "3.2)"], lines


def _draft_with_examples_kept(root: Path) -> Path:
    """October's retro draft of Enterprise Success with its example readings uncommented as
    the draft wrote them (September's), the segment it had none of deleted."""
    result = run_cli("new", "retro", "--team", "enterprise-success", "--period", "2026-10",
                     "--held", "2026-11-04", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "retros" / "2026-10-enterprise-success.md"
    draft = path.read_text(encoding="utf-8")
    assert "#   nrr: 1.12\n#   grr: {smb: \"?\", enterprise: 0.96}\n" in draft, draft
    path.write_text(draft.replace("#   nrr: 1.12\n#   grr: {smb: \"?\", enterprise: 0.96}\n",
                                  "  nrr: 1.12\n  grr: {enterprise: 0.96}\n"), encoding="utf-8")
    return path


def test_a_retro_left_with_its_draft_s_example_readings_is_warned(tmp_path: Path) -> None:
    """A retro draft offers the team's latest readings as its examples: uncommented and left
    as written, October's retro gave September's NRR (1.12) and enterprise GRR (0.96) as its
    own, and none of the team's other indicators, silently. It is warned at its
    ``indicators:`` line, naming September's retro; only a warning (a true repeat must stay
    mergeable). A month whose readings moved, one figure unchanged alone, and a team whose
    every reading held (the records of many a test hold a team's readings flat) are not."""
    root = knowledge_base(tmp_path, records())
    path = _draft_with_examples_kept(root)
    code, lines = validate_lines(root)
    line = path.read_text(encoding="utf-8").splitlines().index("indicators:") + 1
    said = [x for x in lines if "left as written" in x]
    assert code == 0, lines  # a warning: it fails only --strict
    assert said == [
        f"retros/2026-10-enterprise-success.md:{line}:1  indicators  warning: gives only nrr "
        "and grr, each reading (2) the same as retros/2026-09-enterprise-success.md's, "
        "September 2026: its draft's examples left as written, last month's figures would be "
        "published as this month's (write this month's readings in their place, and those of "
        "the team's other indicators (expansion-arr, logo-churn and time-to-first-value); "
        "leave this as it is if none of them changed)"], lines
    draft = path.read_text(encoding="utf-8")
    # Moved, as a month's readings do: no warning; one unchanged figure alone is no sign.
    path.write_text(draft.replace("enterprise: 0.96", "enterprise: 0.94"), encoding="utf-8")
    assert not [x for x in validate_lines(root)[1] if "left as written" in x]
    path.write_text(draft.replace("  grr: {enterprise: 0.96}\n", ""), encoding="utf-8")
    assert not [x for x in validate_lines(root)[1] if "left as written" in x]
    # Every reading September gave, unchanged: a steady month, or one copied whole; either
    # way no sign of a draft left as written.
    path.write_text(draft.replace(
        "  grr: {enterprise: 0.96}\n", "  grr: {enterprise: 0.96}\n  logo-churn: {enterprise: "
        '"0/9"}\n  expansion-arr: 160000\n  time-to-first-value: 44\n'), encoding="utf-8")
    code, lines = validate_lines(root)
    assert code == 0 and not [x for x in lines if "left as written" in x], lines


def test_a_review_draft_s_example_row_half_edited_is_still_warned(tmp_path: Path) -> None:
    """The review draft's example row was recognised by its metric, goal and actual together:
    with only its goal written (`goal: 1.05`), or its metric renamed ("NRR"), its `actual: 1`
    was published as the quarter's net revenue retention, 100%, with no warning. Each is
    warned now, saying what is left of the example; a row typed with a 1 of its own, written
    as a figure is (`1.0`), is not."""
    root = knowledge_base(tmp_path, records())
    path = _review_draft(root)
    draft = path.read_text(encoding="utf-8")
    example = ('  - metric: "Net revenue retention"\n    goal: 1\n    actual: 1\n'
               "    unit: ratio\n    better: up\n")
    assert example in draft, draft

    def warned() -> list[str]:
        code, lines = validate_lines(root)
        assert code == 0, lines
        return [line.split("  ", 1)[1] for line in lines if "draft's example" in line
                and "scorecard" in line]

    path.write_text(draft.replace(example, example.replace("goal: 1\n", "goal: 1.05\n")),
                    encoding="utf-8")
    assert warned() == [
        "scorecard[0].actual  warning: is the draft's example actual (1), left under its "
        "example metric 'Net revenue retention' with only the goal written, and would be "
        "published as the quarter's figure (write what the quarter came to; the pull-request "
        "check refuses it while it stands)"]
    path.write_text(draft.replace(example, example.replace("Net revenue retention", "NRR")),
                    encoding="utf-8")
    assert warned() == [
        "scorecard[0]  warning: keeps the draft's example goal and actual (1 and 1) and its "
        "unit and direction (ratio, up) under another metric, and would be published as a goal "
        "met (write the quarter's goal and actual; the pull-request check refuses it while it "
        "stands)"]
    # Typed: NRR held at 100%, written as figures are; the example's metric with an actual
    # of its own.
    path.write_text(draft.replace(example, example.replace("goal: 1\n    actual: 1\n",
                                                           "goal: 1.0\n    actual: 1.0\n")
                                  .replace("Net revenue retention", "NRR held")),
                    encoding="utf-8")
    assert warned() == []
    path.write_text(draft.replace(example, example.replace("goal: 1\n    actual: 1\n",
                                                           "goal: 1.05\n    actual: 1.02\n")),
                    encoding="utf-8")
    assert warned() == []
