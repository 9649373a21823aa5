"""A review's summary that says every goal was met, above rows that missed
theirs: `hindsight validate` warns at the claim and names the missed rows."""

from __future__ import annotations

from pathlib import Path

from conftest import NORDFJORD, REPO, make_kb, run_cli
from generator.analysis.summary_check import claims

AS_OF = "2026-05-15"

SCORECARD = """\
  - metric: "Meetings booked"
    goal: 400
    actual: 352
    unit: count
  - metric: "Close rate"
    goal: 0.25
    actual: 0.27
    unit: rate
  - metric: "Time to first call"
    goal: 2
    actual: 3.5
    unit: hours
    better: down
"""


def nordfjord(root: Path, files: dict[str, str]) -> Path:
    """A knowledge base of another company (Nordfjord's taxonomy: no sample ids)."""
    taxonomy = root.parent / "nordfjord.yml"
    taxonomy.write_text(NORDFJORD, encoding="utf-8")
    return make_kb(root, files, taxonomy)


def review(body: str, rows: str = SCORECARD) -> str:
    """Nordfjord's company-wide review of 2026-Q1 with ``body`` as its written summary."""
    return ("---\ntype: review\nperiod: 2026-Q1\nheld: 2026-04-09\nfacilitator: Sigrid Aas\n"
            f"participants: [Sigrid Aas, Jonas Berg]\nscorecard:\n{rows}---\n\n"
            f"# Q1 2026\n\n{body}\n")


def validate(root: Path, *extra: str) -> tuple[int, list[str]]:
    """Exit code and the lines of `hindsight validate` that carry a summary's claim."""
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF, *extra)
    return result.exit_code, [line for line in result.output.splitlines()
                              if "missed their goal" in line or "missed its goal" in line]


def test_a_review_saying_it_hit_every_target_above_missed_rows_is_warned_at_its_line(
        tmp_path: Path) -> None:
    """"We hit every target" while Meetings booked (352 of 400) and Time to first call (3.5
    hours against 2, lower is better) missed: the warning stands at the sentence's line and
    column and names those two rows, not Close rate, which was met."""
    body = ("A strong quarter for the DACH team.\n\n"
            "Pipeline grew, and we hit every target we set in January.")
    root = nordfjord(tmp_path / "kb", {"retros/2026-q1-review.md": review(body)})
    code, lines = validate(root)
    assert code == 0 and len(lines) == 1, lines
    # Front matter of 18 lines, a blank line, the title, a blank, the first paragraph, a blank.
    text = (root / "retros/2026-q1-review.md").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if "hit every target" in t)
    col = text[line - 1].index("hit every target") + 1
    assert lines[0].startswith(f"retros/2026-q1-review.md:{line}:{col}  body  warning: "), lines
    assert 'says "hit every target", but 2 scorecard rows missed their goal: ' \
        '"Meetings booked" and "Time to first call"' in lines[0], lines
    assert "Close rate" not in lines[0]
    code, _ = validate(root, "--strict")
    assert code != 0


def test_every_wording_of_the_plain_claim_is_caught() -> None:
    for text in ["All targets met.", "We were on plan.", "The quarter came in on plan.",
                 "Every goal was hit.", "We met all of our goals this quarter.",
                 "It beat every plan line.", "On plan across the board."]:
        assert list(claims(text)), text


def test_a_hedged_or_partial_claim_is_no_claim() -> None:
    """A row's own "NRR 110% on plan" (the sample's Q3 review, which missed others), a
    negation, an exception, a plan for later: none says every goal was met."""
    for text in ["NRR 110% on plan, and CAC payback 19 months against 17.",
                 "We did not hit every target.", "We hit every target except close rate.",
                 "We almost hit every target.", "Q4 needs $2.45M to hit every target.",
                 "We will be on plan by June.", "All targets met but one: close rate."]:
        assert not list(claims(text)), text


def test_a_claim_that_holds_is_not_warned(tmp_path: Path) -> None:
    rows = SCORECARD.replace("actual: 352", "actual: 412").replace("actual: 3.5", "actual: 1.5")
    root = nordfjord(tmp_path / "kb", {
        "retros/2026-q1-review.md": review("All targets met.", rows)})
    assert validate(root) == (0, [])


def roadshow(summary: str, body: str, rows: str) -> str:
    """Nordfjord's post-mortem of a roadshow: ``summary:``, written text and plan lines."""
    return ("---\ntype: postmortem\nname: The Bergen roadshow\nkind: event\noutcome: mixed\n"
            f'summary: "{summary}"\n'
            "team: field-sales\nevent_ended: 2026-03-20\nheld: 2026-03-27\nkeeper: Jonas Berg\n"
            "participants: [Jonas Berg, Sigrid Aas]\ngood: [Bergen]\nbad: [Stavanger]\n"
            f"plan_vs_actual:\n{rows}---\n\n# The Bergen roadshow\n\n{body}\n")


ROADSHOW_ROWS = """\
  - metric: "Meetings booked"
    goal: 60
    actual: 41
    unit: count
  - metric: "Cities visited"
    goal: 3
    actual: 3
    unit: count
  - metric: "Cost per meeting"
    goal: 900
    actual: 1150
    unit: nok
    better: down
  - metric: "No-shows"
    goal: 0
    actual: 0
    unit: count
    better: down
"""


def test_a_post_mortem_saying_it_hit_every_target_above_missed_plan_lines_is_warned(
        tmp_path: Path) -> None:
    """A post-mortem's summary and its text both say "we hit all of our targets" while
    Meetings booked (41 of 60) and Cost per meeting (1,150 against 900, lower is better)
    missed: a warning at the summary's field and one at the sentence's line and column, each
    naming those two rows, not Cities visited nor No-shows (0 against 0, lower is better)."""
    path = "postmortems/2026-03-the-bergen-roadshow.md"
    body = "Three cities in a week.\n\nIn the end we hit all of our targets."
    root = nordfjord(tmp_path / "kb", {path: roadshow(
        "Three cities in a week. We hit all of our targets.", body, ROADSHOW_ROWS)})
    code, lines = validate(root)
    assert code == 0 and len(lines) == 2, lines
    text = (root / path).read_text(encoding="utf-8").splitlines()
    summary = next(n for n, t in enumerate(text, 1) if t.startswith("summary:"))
    line = next(n for n, t in enumerate(text, 1) if t.startswith("In the end"))
    col = text[line - 1].index("hit all") + 1
    assert lines[0].startswith(f"{path}:{summary}:10  summary  warning: "), lines
    assert lines[1].startswith(f"{path}:{line}:{col}  body  warning: "), lines
    for said in lines:
        assert 'says "hit all of our targets", but 2 plan-vs-actual rows missed their goal: ' \
            '"Meetings booked" and "Cost per meeting"' in said, said
        assert "Cities visited" not in said and "No-shows" not in said


def test_a_post_mortem_with_one_line_missed_or_a_hedged_claim(tmp_path: Path) -> None:
    """One plan line missed is named alone, in the body only where the summary makes no
    claim; a hedged sentence ("all of our targets but one") or a claim that holds is no
    warning."""
    path = "postmortems/2026-03-the-bergen-roadshow.md"
    one_missed = ROADSHOW_ROWS.replace("actual: 1150", "actual: 850")
    root = nordfjord(tmp_path / "one", {path: roadshow(
        "Three cities in a week.", "Every goal was met.", one_missed)})
    code, lines = validate(root)
    assert code == 0 and len(lines) == 1, lines
    assert "  body  warning: " in lines[0] and \
        'says "Every goal was met", but 1 plan-vs-actual row missed its goal: ' \
        '"Meetings booked"' in lines[0], lines
    hedged = nordfjord(tmp_path / "hedged", {path: roadshow(
        "We hit all of our targets but one.", "We did not hit every target.", one_missed)})
    assert validate(hedged) == (0, [])
    all_met = one_missed.replace("actual: 41", "actual: 64")
    held = nordfjord(tmp_path / "held", {path: roadshow(
        "We hit all of our targets.", "We hit all of our targets.", all_met)})
    assert validate(held) == (0, [])


def test_the_sample_has_no_such_warning() -> None:
    """The sample's Q3 review says "NRR 110% on plan" above missed rows: no claim that every
    goal was met; Operation Second Look says it beat four of its six plan lines."""
    result = run_cli("validate", "--root", str(REPO), "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "missed their goal" not in result.output and "missed its goal" not in result.output
