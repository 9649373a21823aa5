"""A knowledge base that uses the newer features together, read as its company reads it.

Larkspur's three teams meet at three cadences: an SDR team every sprint (`retros: biweekly`,
a month's readings in its second retro), account executives monthly, and Customer Success
monthly until it met quarterly from 2026-Q3 (`quarterly_from:`). Its segments have names and
an order of their own (`smb, mm, ent` shown as Small business, Mid-market, Enterprise, and
Customer Success's retention listing them the other way round); its plan kind of renewals is
titled "Keep & grow" and says `renewal: true`; an SDR action is handed to the account
executives (`team: ae` in an update) and done there; renewals are kept, kept smaller and
lost beside new business won and lost; and `glossary:` defines the company's own words. Each
case runs the real command on records written into a temporary knowledge base.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import generate_into, make_kb, run_cli

AS_OF = "2026-11-20"

TAXONOMY = """\
company: Larkspur
causes:
  - id: handoff-gaps
    title: SDR-to-AE hand-off gaps
    description: Booked meetings reach the AE without context.
  - id: price-pressure
    title: Price pressure
    description: Buyers compare us with cheaper tools.
  - id: champion-turnover
    title: Champion left the account
    description: The person who bought us leaves.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
    segment_by: segment
    segments: [smb, mm, ent]
  - id: handoff-sla
    label: Hand-offs accepted within 48 h
    unit: rate
    better: up
  - id: win-rate
    label: Win rate
    unit: rate
    better: up
    segment_by: segment
    segments: {smb: Small business, mm: Mid-market, ent: Enterprise}
  - id: grr
    label: Gross revenue retention
    unit: rate
    better: up
    segment_by: segment
    segments: [ent, mm, smb]
teams:
  - id: sdr
    name: SDR Team
    retros: biweekly
  - id: ae
    name: Account Executives
    retros: monthly
  - id: cs
    name: Customer Success
    retros: quarterly
    quarterly_from: 2026-Q3
plan_kinds:
  - id: deal
    title: Deals
  - id: keep-grow
    title: "Keep & grow"
    renewal: true
reasons:
  - id: price
    title: Price
    description: The price against the competitor's.
  - id: adoption
    title: Adoption
    description: Whether the customer's people used it.
assumption_categories:
  - id: sponsor
    title: Sponsor
    description: Who backs the deal or renewal.
glossary:
  Power user: >-
    A customer's person who logs in every working day. Renewals with two or more rarely churn.
"""

MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
NEXT = dict(zip(MONTHS, [*MONTHS[1:], "2026-11"], strict=True))
MEETINGS = [(28, 18, 7), (25, 16, 6), (31, 22, 9), (33, 23, 10), (20, 15, 5), (34, 24, 11)]
WINS = [("9/40", "6/20", "2/9"), ("10/40", "7/21", "3/10"), ("12/40", "6/20", "4/11"),
        ("9/40", "4/20", "4/10"), ("8/40", "5/20", "3/10"), ("13/40", "8/20", "5/11")]


def _retro(team: str, period: str, held: str, readings: str, cause: str, extra: str = "") -> str:
    """A retro of ``team`` in the went-well format, its readings block as given."""
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\n"
            f'facilitator: "Ana Ruiz"\nparticipants: ["Ana Ruiz", "Ben Cho"]\n'
            f"format: went-well-didnt\n{readings}"
            f'went_well:\n  - "Calls held"\ndidnt_go_well:\n  - "Notes were thin"\n'
            f"causes:\n  - cause: {cause}\n{extra}---\n\nThe team's retro.\n")


def _deal(name: str, kind: str, outcome: str, plan_kind: str, team: str, ended: str,
          held: str, chose_us: bool, reason: str, segment: str, lesson: str) -> str:
    """A deal post-mortem: new business (``plan_kind: deal``) or a renewal (``keep-grow``)."""
    said = "true" if chose_us else "false"
    return f"""---
type: postmortem
name: "{name}"
kind: {kind}
outcome: {outcome}
plan_kind: {plan_kind}
summary: "{name}."
team: {team}
event_ended: {ended}
held: {held}
keeper: "Ana Ruiz"
assumptions:
  - statement: "The sponsor would back us."
    category: sponsor
    held: {said}
deal:
  customer: "{name} Co"
  chose_us: {said}
  why: "Because."
  competitor: "Quantia"
  reasons: [{reason}]
  segment: {segment}
  value: 60000
lessons:
  - lesson: "{lesson}"
    applies_to: [{plan_kind}]
---

{name}. Two power users kept it alive.
"""


def records() -> dict[str, str]:
    """Six months of the three teams' retros, a hand-over and five deal post-mortems."""
    files: dict[str, str] = {}
    for i, month in enumerate(MONTHS):
        extra = ""
        if month == "2026-05":
            extra = ("actions:\n  - id: SDR-2026-05-1\n    title: \"Add a discovery-notes "
                     "template\"\n    owner: \"Maya Chen\"\n    due: 2026-07-31\n"
                     "    status: open\n    cause: handoff-gaps\n    indicator: handoff-sla\n")
        files[f"retros/{month}-sdr.md"] = _retro("sdr", month, f"{month}-15", "",
                                                 "handoff-gaps", extra)
        smb, mm, ent = MEETINGS[i]
        handed = ("action_updates:\n  - id: SDR-2026-05-1\n    status: in-progress\n"
                  "    team: ae\n    owner: \"Luis Ortega\"\n") if month == "2026-06" else ""
        files[f"retros/{month}-sdr-2.md"] = _retro(
            "sdr", month, f"{NEXT[month]}-01",
            f"indicators:\n  meetings-booked: {{smb: {smb}, mm: {mm}, ent: {ent}}}\n"
            f'  handoff-sla: "{30 + i}/50"\n', "handoff-gaps", handed)
        smb_w, mm_w, ent_w = WINS[i]
        done = ("action_updates:\n  - id: SDR-2026-05-1\n    status: done\n"
                "    done_on: 2026-08-20\n") if month == "2026-08" else ""
        files[f"retros/{month}-ae.md"] = _retro(
            "ae", month, f"{NEXT[month]}-04",
            f'indicators:\n  win-rate: {{smb: "{smb_w}", mm: "{mm_w}", ent: "{ent_w}"}}\n'
            f'  handoff-sla: "{34 + (i - 3) * 4 if i >= 3 else 36 - i}/50"\n',
            "price-pressure", done)
    for month, held in (("2026-05", "2026-06-05"), ("2026-06", "2026-07-07"),
                        ("2026-09", "2026-10-07")):
        files[f"retros/{month}-cs.md"] = _retro(
            "cs", month, held, "indicators:\n  grr: {ent: 0.94, mm: 0.9, smb: 0.84}\n",
            "champion-turnover")
    files["postmortems/2026-08-the-orchard-renewal.md"] = _deal(
        "The Orchard Renewal", "deal-won", "win", "keep-grow", "cs", "2026-08-28", "2026-09-04",
        True, "adoption", "ent", "Count power users before the renewal call.")
    files["postmortems/2026-09-the-birchwood-downgrade.md"] = _deal(
        "The Birchwood Downgrade", "deal-won", "mixed", "keep-grow", "cs", "2026-09-25",
        "2026-10-02", True, "price", "mm", "Offer a smaller plan before the customer asks.")
    files["postmortems/2026-10-the-tamsin-renewal-loss.md"] = _deal(
        "The Tamsin Renewal Loss", "deal-lost", "loss", "keep-grow", "cs", "2026-10-20",
        "2026-10-27", False, "price", "smb", "Find the new sponsor within 30 days.")
    files["postmortems/2026-07-the-halden-win.md"] = _deal(
        "The Halden Win", "deal-won", "win", "deal", "ae", "2026-07-22", "2026-07-29", True,
        "adoption", "mm", "Bring the product specialist to the second call.")
    files["postmortems/2026-09-the-corran-loss.md"] = _deal(
        "The Corran Loss", "deal-lost", "loss", "deal", "ae", "2026-09-18", "2026-09-24",
        False, "price", "smb", "Qualify budget in the first call.")
    return files


def records_with_partners() -> dict[str, str]:
    """`records`, and four monthly retros (May to August) of a fourth team, ``partners``,
    that a taxonomy retiring it after August names."""
    files = records()
    for month in ("2026-05", "2026-06", "2026-07", "2026-08"):
        files[f"retros/{month}-partners.md"] = _retro(
            "partners", month, f"{NEXT[month]}-03",
            "indicators:\n  meetings-booked: {smb: 3, mm: 4, ent: 5}\n", "handoff-gaps")
    return files


def knowledge_base(tmp_path: Path, files: dict[str, str]) -> Path:
    """Larkspur's knowledge base of ``files`` in ``tmp_path``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    taxonomy = tmp_path / "larkspur-taxonomy.yml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return make_kb(tmp_path / "kb", files, taxonomy)


def generated(tmp_path: Path, files: dict[str, str]) -> Path:
    """The pages `hindsight generate` writes for Larkspur's knowledge base."""
    return generate_into(knowledge_base(tmp_path, files), tmp_path / "out", AS_OF)


def test_the_knowledge_base_validates(tmp_path: Path) -> None:
    """The records the cases below read validate as written, without a warning."""
    root = knowledge_base(tmp_path, records())
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output, result.output


def test_a_renewal_kept_smaller_beside_new_business_is_named_so(tmp_path: Path) -> None:
    """With new business and renewals on one page, the lessons of the one renewal kept
    smaller (a downgrade, the only deal that went our way smaller) were headed "Lessons from
    deals won or kept smaller", though no deal was won smaller. The heading names the deals it
    holds: "Lessons from renewals kept smaller"; wins and renewals kept stay together."""
    page = (generated(tmp_path, records()) / "postmortems" / "win-loss.md").read_text()
    headings = [line for line in page.splitlines() if line.startswith("## Lessons from")]
    assert headings == ["## Lessons from wins and renewals kept { #lessons-won }",
                        "## Lessons from renewals kept smaller { #lessons-smaller }",
                        "## Lessons from losses { #lessons-lost }"], headings
    smaller = page.split("## Lessons from renewals kept smaller {")[1].split("\n## ")[0]
    assert "Offer a smaller plan before the customer asks." in smaller, smaller

    # Renewals kept and no new business won: the lessons of wins are the renewals kept.
    files = records()
    del files["postmortems/2026-07-the-halden-win.md"]
    page = (generated(tmp_path / "no-win", files) / "postmortems" / "win-loss.md").read_text()
    assert "## Lessons from renewals kept { #lessons-won }" in page, page


def test_a_deal_page_names_no_dimension_no_indicator_is_split_by(tmp_path: Path) -> None:
    """Larkspur splits its indicators by segment alone, so no deal can give an ICP tier (a
    `deal.icp_tier` would be an error, and *Why we win and lose* says its ICP tier section
    does not apply); yet every deal's page read "Segment: Mid-market · ICP tier: not given",
    as if the post-mortem had left it out. The page gives the segment alone."""
    out = generated(tmp_path, records())
    page = (out / "records" / "2026-09-the-birchwood-downgrade.md").read_text()
    assert "- Segment: Mid-market\n" in page, page
    assert "ICP tier" not in page, page
    winloss = (out / "postmortems" / "win-loss.md").read_text()
    assert "Does not apply: no indicator in `taxonomy.yml` is split by `icp-tier`" in winloss


def test_recall_says_an_action_was_handed_to_another_team(tmp_path: Path) -> None:
    """Recalling the account executives' August retro, which closes the SDR action they took
    over, gave its history as "SDR Team retro — June 2026, sprint 2 2026-07-01: in-progress",
    though that retro handed it to them and to Luis Ortega (the site's pages say "Handed over
    from SDR Team to Account Executives here"). The step says so, and the JSON gives the team
    (id and name), the owner and that it handed the action over; the raising step gives those
    it was raised with, an update handing nothing over none."""
    root = knowledge_base(tmp_path, records())
    path = str(root / "retros" / "2026-08-ae.md")
    text = run_cli("recall", path, "--root", str(root), "--as-of", AS_OF).output
    assert ("2026-07-01: in-progress, handed to Account Executives (Luis Ortega); this record, "
            "2026-09-04: done.") in text, text
    result = run_cli("recall", path, "--root", str(root), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    history = json.loads(result.output)["records"][0]["action_updates"][0]["history"]
    assert [(e["status"], e["team"], e["team_name"], e["owner"], e["handed_over"])
            for e in history] == [
        ("raised", "sdr", "SDR Team", "Maya Chen", False),
        ("in-progress", "ae", "Account Executives", "Luis Ortega", True),
        ("done", None, None, None, False)], history


def test_a_first_quarter_after_monthly_retros_is_not_the_only_reading(tmp_path: Path) -> None:
    """Customer Success met monthly in May and June, then quarterly from 2026-Q3: its chart
    of gross revenue retention draws the two months and the quarter, yet its caption said
    "Gross revenue retention for Customer Success was 89.3% in Q3 2026, its only reading so
    far". It says the quarter is its first quarterly reading, after monthly ones; a team's
    one and only reading is still "its only reading so far"."""
    out = generated(tmp_path, records())
    page = (out / "indicators" / "grr.md").read_text()
    assert ("Gross revenue retention for Customer Success was 89.3% in Q3 2026, its first "
            "quarterly reading (monthly until June 2026).") in page, page
    assert "only reading so far" not in page, page
    svg = (out / "charts" / "indicators" / "grr" / "cs.svg").read_text()
    assert "its first quarterly reading (monthly until June 2026).</title>" in svg, svg

    files = {k: v for k, v in records().items()
             if not k.startswith("retros/2026-0") or not k.endswith("-cs.md")
             or k == "retros/2026-09-cs.md"}
    page = (generated(tmp_path / "alone", files) / "indicators" / "grr.md").read_text()
    assert ("Gross revenue retention for Customer Success was 89.3% in Q3 2026, its only "
            "reading so far.") in page, page


def test_one_fix_that_worked_and_came_back_is_said_in_the_singular(tmp_path: Path) -> None:
    """One measurable fix (the account executives' enterprise pricing workshop, done in July,
    the enterprise win rate 20.7% before and 38.5% after), whose cause came back: *Did our
    fixes work?* said "1 was followed by their indicator moving the right way; 1 of it was
    later flagged as a fix that did not stick", and the home page "1 was followed by their
    indicator". Both now say "its indicator", and the page "it was later flagged"."""
    files = records()
    files["retros/2026-04-ae.md"] = _retro(
        "ae", "2026-04", "2026-05-04",
        'indicators:\n  win-rate: {smb: "9/40", mm: "5/20", ent: "1/10"}\n', "price-pressure")
    files["retros/2026-05-ae.md"] = files["retros/2026-05-ae.md"].replace(
        "---\n\nThe team's retro.", "actions:\n  - id: AE-2026-05-1\n    title: \"Run a pricing "
        "workshop\"\n    owner: \"Priya Das\"\n    due: 2026-07-31\n    status: open\n"
        "    cause: price-pressure\n    indicator: win-rate\n    segment: ent\n"
        "---\n\nThe team's retro.", 1)
    files["retros/2026-07-ae.md"] = files["retros/2026-07-ae.md"].replace(
        "---\n\nThe team's retro.", "action_updates:\n  - id: AE-2026-05-1\n    status: done\n"
        "    done_on: 2026-07-10\n---\n\nThe team's retro.", 1)
    out = generated(tmp_path, files)
    page = " ".join((out / "actions" / "effectiveness.md").read_text().split())
    assert ("Of the 1 fix we can measure, 1 was followed by its indicator moving the right way; "
            "it was later flagged as a fix that [did not stick]") in page, page
    assert "20.7% (2026-04 to 2026-06)" in page and "38.5% (2026-08 to 2026-10)" in page, page
    home = " ".join((out / "index.md").read_text().split())
    assert "was followed by its indicator moving the right way." in home, home


def test_plan_heads_its_open_actions_with_the_kinds_title(tmp_path: Path) -> None:
    """`hindsight plan keep-grow` headed its open actions "Open actions from keep-grow
    post-mortems", the id of a kind its taxonomy titles "Keep & grow" (the checklist's own
    heading reads "Before you plan: Keep & grow"). Text and Markdown name the title."""
    files = records()
    files["postmortems/2026-10-the-tamsin-renewal-loss.md"] = files[
        "postmortems/2026-10-the-tamsin-renewal-loss.md"].replace(
        "lessons:\n", "actions:\n  - id: CS-2026-10-1\n    title: \"Map a second sponsor\"\n"
        "    owner: \"Ana Ruiz\"\n    due: 2026-12-15\n    status: open\n"
        "    cause: champion-turnover\nlessons:\n", 1)
    root = knowledge_base(tmp_path, files)
    text = run_cli("plan", "keep-grow", "--root", str(root), "--as-of", AS_OF)
    assert text.exit_code == 0, text.output
    assert "\nOpen actions from post-mortems of Keep & grow\n" in text.output, text.output
    assert "keep-grow post-mortems" not in text.output, text.output
    assert "Map a second sponsor" in text.output, text.output
    markdown = run_cli("plan", "keep-grow", "--root", str(root), "--as-of", AS_OF,
                       "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "### Open actions from post-mortems of Keep & grow\n" in markdown.output, \
        markdown.output


def test_a_reviews_computed_figures_name_the_teams(tmp_path: Path) -> None:
    """Larkspur's Q3 review: its "How the computed figures were made" lines named teams by
    id, "cs's quarterly retro, the whole quarter" and "sdr: 2 of 3 months reported", where
    every page names them "Customer Success" and "SDR Team". They name the teams."""
    files = records()
    files["retros/2026-08-sdr-2.md"] = files["retros/2026-08-sdr-2.md"].replace(
        '  handoff-sla: "33/50"\n', "", 1)
    assert "handoff-sla" not in files["retros/2026-08-sdr-2.md"]
    files["retros/2026-q3-review.md"] = (
        "---\ntype: review\nperiod: 2026-Q3\nheld: 2026-10-14\nfacilitator: \"Ana Ruiz\"\n"
        "scorecard:\n"
        "  - {metric: Retention, goal: 0.9, unit: rate, indicator: grr}\n"
        "  - {metric: Hand-offs, goal: 0.7, unit: rate, indicator: handoff-sla}\n"
        "---\n\nThe quarter.\n")
    page = (generated(tmp_path, files) / "records" / "2026-q3-review.md").read_text()
    method = page.split("How the computed figures were made")[1]
    assert "Customer Success's quarterly retro, the whole quarter" in method, method
    assert "SDR Team: 2 of 3 months reported" in method, method
    assert "cs's" not in method and "sdr:" not in method, method


def test_a_smaller_column_only_where_a_tables_deals_went_our_way_smaller(
        tmp_path: Path) -> None:
    """Only a renewal was kept smaller, yet the reasons table of new business against Quantia
    had a "Won, smaller" column of nothing but 0s. A table gives the column where one of its
    deals went our way smaller: the renewals' table and the tables of both keep theirs."""
    page = (generated(tmp_path, records()) / "postmortems" / "win-loss.md").read_text()
    heads = [line for line in page.splitlines() if line.startswith("<thead>")]
    assert heads == [
        "<thead><tr><th>Competitor</th><th>Won or kept</th><th>Won or kept, smaller</th>"
        "<th>Lost</th><th>Share won or kept</th></tr></thead>",
        "<thead><tr><th>Reason</th><th>Won</th><th>Lost</th></tr></thead>",
        "<thead><tr><th>Reason</th><th>Kept</th><th>Kept, smaller</th><th>Lost</th></tr></thead>",
        "<thead><tr><th>Segment</th><th>Won or kept</th><th>Won or kept, smaller</th>"
        "<th>Lost</th><th>Share won or kept</th></tr></thead>",
        "<thead><tr><th>Reason</th><th>Won or kept</th><th>Won or kept, smaller</th>"
        "<th>Lost</th><th>Share won or kept</th></tr></thead>",
        "<thead><tr><th>Quarter</th><th>Won or kept</th><th>Won or kept, smaller</th>"
        "<th>Lost</th><th>Share won or kept</th></tr></thead>"], heads
    new_business = page.split("### Quantia · New business {")[1].split("</table>")[0]
    rows = [line for line in new_business.splitlines() if line.startswith("<tr>")]
    assert all(line.count("<td>") == 2 for line in rows), rows


def test_prep_without_readings_names_the_month_its_agenda_is_from(tmp_path: Path) -> None:
    """Prep's draft for the SDR team's October, with no readings given, read "No readings were
    given for October 2026; these moved the wrong way in 2026-09", the month as an id beside
    one by name (and beside its table's "September 2026" column). It names both months, and
    the sprint retro that gave September's readings, as the site titles it."""
    files = records()
    del files["retros/2026-10-sdr.md"], files["retros/2026-10-sdr-2.md"]
    root = knowledge_base(tmp_path, files)
    result = run_cli("prep", "--team", "sdr", "--period", "2026-10", "--facilitator",
                     "Ana Ruiz", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-10-sdr.md").read_text(encoding="utf-8")
    assert ("No readings were given for October 2026; these moved the wrong way in September "
            "2026, the\nteam's latest readings, given in retros/2026-09-sdr-2.md (SDR Team retro "
            "— September 2026, sprint 2, held 2026-10-01).") in draft, draft
    assert "2026-09," not in draft, draft
    assert "| Meetings booked | Small business | 20 | 33 |" in draft, draft


def test_plan_with_nothing_recorded_names_the_kinds_title(tmp_path: Path) -> None:
    """Before any renewal post-mortem, `hindsight plan keep-grow` read "Nothing recorded for
    keep-grow plans yet.", the id of the kind its heading calls "Keep & grow"."""
    files = {k: v for k, v in records().items()
             if "keep-grow" not in v or not k.startswith("postmortems/")}
    root = knowledge_base(tmp_path, files)
    for form in ("text", "markdown"):
        result = run_cli("plan", "keep-grow", "--root", str(root), "--as-of", AS_OF,
                         "--format", form)
        assert result.exit_code == 0, result.output
        assert "Nothing recorded for Keep & grow yet." in result.output, result.output
        assert "keep-grow plans" not in result.output, result.output


def test_an_owner_who_handed_an_action_over_is_told_where_it_went(tmp_path: Path) -> None:
    """Maya Chen owned SDR-2026-05-1 until the SDR team's June retro handed it to Luis Ortega,
    yet `hindsight actions --owner maya` said "no action has the owner 'maya' (known: Luis
    Ortega)", exit 2, as if no Maya had ever owned one. It lists none of hers now and says
    which she owned and where it went; with an action of her own still, the table lists that
    one and the line says what she handed over."""
    root = knowledge_base(tmp_path, records())
    result = run_cli("actions", "--owner", "maya", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # No empty table frame: the count and the line saying what she handed over.
    assert text.startswith("0 actions as of 2026-11-20 no action is Maya Chen's now: Maya Chen "
                           "owned SDR-2026-05-1 until it was handed to Luis Ortega on 2026-07-01 "
                           "(2026-06-sdr-2); `hindsight actions SDR-2026-05-1` shows it"), text
    assert "no action has the owner" not in text, text

    files = records()
    files["retros/2026-09-sdr.md"] = files["retros/2026-09-sdr.md"].replace(
        "---\n\nThe team's retro.", "actions:\n  - id: SDR-2026-09-1\n    title: \"Call back "
        "no-shows\"\n    owner: \"Maya Chen\"\n    due: 2026-12-31\n    status: open\n"
        "---\n\nThe team's retro.", 1)
    root = knowledge_base(tmp_path / "still", files)
    result = run_cli("actions", "--owner", "Maya Chen", "--root", str(root), "--as-of", AS_OF,
                     "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["actions"]
    assert [row["id"] for row in rows] == ["SDR-2026-09-1"], rows
    assert ("Maya Chen owned SDR-2026-05-1 until it was handed to Luis Ortega on 2026-07-01"
            in result.stderr), result.stderr
    result = run_cli("actions", "--owner", "nobody", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 2 and "no action has the owner 'nobody'" in result.output


def test_a_team_page_lists_the_actions_it_handed_to_another_team(tmp_path: Path) -> None:
    """The SDR team raised SDR-2026-05-1 and handed it to the account executives, yet its page
    said "Actions: None yet." and nothing of it. The page says it has none of its own now and
    lists the action under *Handed to other teams*, with where it went and how it stands; the
    account executives' page counts it as theirs and lists no hand-over of its own. With an
    action of its own open too, the SDR page lists that one apart, above."""
    import datetime as dt

    from generator.site.build import build

    day = dt.date.fromisoformat(AS_OF)
    files = build(knowledge_base(tmp_path, records()), day).files
    sdr = files["teams/sdr.md"].decode()
    actions = sdr.split("## Actions")[1].split("## Indicators")[0]
    assert "None yet." not in actions, actions
    assert ("None of its own now: the action it handed to another team is "
            "[listed below](#handed-over).") in actions, actions
    handed = actions.split("### Handed to other teams { #handed-over }")[1]
    assert "<code>SDR-2026-05-1</code>" in handed, handed
    assert "Handed over from SDR Team to Account Executives per" in handed, handed
    assert "done late" in handed, handed
    ae = files["teams/ae.md"].decode()
    assert "#handed-over" not in ae and "<code>SDR-2026-05-1</code>" in ae, ae

    more = records()
    more["retros/2026-09-sdr.md"] = more["retros/2026-09-sdr.md"].replace(
        "---\n\nThe team's retro.", "actions:\n  - id: SDR-2026-09-1\n    title: \"Call back "
        "no-shows\"\n    owner: \"Maya Chen\"\n    due: 2026-12-31\n    status: open\n"
        "---\n\nThe team's retro.", 1)
    sdr = build(knowledge_base(tmp_path / "own", more), day).files["teams/sdr.md"].decode()
    opened = sdr.split("### Open { #open }")[1].split("### Handed to other teams")[0]
    assert "<code>SDR-2026-09-1</code>" in opened and "SDR-2026-05-1" not in opened, opened
    assert "None of its own now" not in sdr, sdr
    handed = sdr.split("### Handed to other teams { #handed-over }")[1].split("## Indicators")[0]
    assert "<code>SDR-2026-05-1</code>" in handed, handed


def test_prep_suggests_a_cause_the_team_cited_before(tmp_path: Path) -> None:
    """Customer Success's prep draft gave `handoff-gaps` (the SDR team's hand-off gaps, first
    in the taxonomy) as its commented example cause, though it has cited only champion
    turnover. The example is the cause the team cited most; a team that has cited none is
    given the one the knowledge base cited most, not the taxonomy's first."""
    root = knowledge_base(tmp_path, records())
    result = run_cli("prep", "--team", "cs", "--period", "2026-12", "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-12-cs.md").read_text(encoding="utf-8")
    assert "causes:\n#   - cause: champion-turnover\n" in draft, draft
    result = run_cli("prep", "--team", "ae", "--period", "2026-11", "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-11-ae.md").read_text(encoding="utf-8")
    assert "causes:\n#   - cause: price-pressure\n" in draft, draft

    # Customer Success's first retro, the SDR team citing champion turnover every sprint.
    files = {path: text.replace("causes:\n  - cause: handoff-gaps\n",
                                "causes:\n  - cause: champion-turnover\n")
             for path, text in records().items()
             if "-cs.md" not in path and "renewal" not in path and "downgrade" not in path}
    root = knowledge_base(tmp_path / "first", files)
    result = run_cli("prep", "--team", "cs", "--period", "2026-12", "--root", str(root),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-12-cs.md").read_text(encoding="utf-8")
    assert "causes:\n#   - cause: champion-turnover\n" in draft, draft
