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


def test_a_post_mortem_is_not_checked(tmp_path: Path) -> None:
    """Only a review's summary is read against its rows (a post-mortem's plan lines are its
    campaign's, often many small ones): the sample's Operation Second Look "beat every plan
    line" with two of six short, and is left to its readers."""
    postmortem = (
        "---\ntype: postmortem\nname: The Bergen roadshow\nkind: event\noutcome: win\n"
        'summary: "Three cities in a week. We hit all of our targets."\n'
        "team: field-sales\nevent_ended: 2026-03-20\nheld: 2026-03-27\nkeeper: Jonas Berg\n"
        "plan_vs_actual:\n"
        '  - metric: "Meetings booked"\n    goal: 60\n    actual: 41\n    unit: count\n'
        "---\n\nWe hit all of our targets.\n")
    root = nordfjord(tmp_path / "kb", {"postmortems/2026-03-the-bergen-roadshow.md": postmortem})
    assert validate(root) == (0, [])


def test_the_sample_has_no_such_warning() -> None:
    """The sample's Q3 review says "NRR 110% on plan" above missed rows: no claim that every
    goal was met."""
    result = run_cli("validate", "--root", str(REPO), "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "missed their goal" not in result.output and "missed its goal" not in result.output
