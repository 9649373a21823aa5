"""``hindsight new``: skeletons validate unchanged and are never written over."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, NORDFJORD, event_kb, make_kb, run_cli
from generator.commands.cli import main
from generator.records.placeholders import CUSTOMER_PROMPT, DEAL_WHY_PROMPT, summary_prompt
from generator.records.validate import check
from sitetools import make_project, mkdocs_build, search_pages

NAMES = {"postmortems/2026-04-the-apollo-launch.md": "The Apollo Launch!",
         "postmortems/2026-04-northwind-renewal.md": "Northwind renewal"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["retro", "--team", "sales", "--period", "2026-05", "--held", "2026-06-03"],
         "retros/2026-05-sales.md"),
        (["review", "--period", "2026-Q2", "--held", "2026-07-08"], "retros/2026-q2-review.md"),
        (["postmortem", "--name", "The Apollo Launch!", "--kind", "launch", "--team", "marketing",
          "--ended", "2026-04-30", "--held", "2026-05-04"],
         "postmortems/2026-04-the-apollo-launch.md"),
        (["postmortem", "--name", "Northwind renewal", "--kind", "deal-won", "--team", "sales",
          "--ended", "2026-04-30", "--held", "2026-05-04", "--outcome", "win"],
         "postmortems/2026-04-northwind-renewal.md"),
    ],
    ids=["retro", "review", "postmortem", "deal-postmortem"],
)
def test_new_writes_a_skeleton_that_validates(tmp_path: Path, args: list[str], expected: str) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", *args, "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (root / expected).as_posix()
    written = (root / expected).read_text()
    assert written.startswith("---\n") and "# " in written

    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output
    # The draft's prompts validate, each with a warning at its line until it is replaced.
    lines = written.split("\n")
    heading = max(i for i, line in enumerate(lines) if line.startswith("# "))
    prompt = heading + 2  # the paragraph under the title, as a 0-based index
    prompts = [line for line in checked.output.splitlines()
               if "still holds the draft's prompt" in line or "the draft's example row" in line]
    assert prompts[-1].startswith(f"{expected}:{prompt + 1}:1  body  warning: still holds")
    # And a post-mortem's summary (and a deal's why), a review's example scorecard row.
    assert len(prompts) == {"retros/2026-05-sales.md": 1,
                            "postmortems/2026-04-northwind-renewal.md": 4}.get(expected, 2)
    filled = "\n".join([*lines[:prompt], "What happened.", ""])
    filled = filled.replace(f"summary: {json.dumps(summary_prompt(NAMES.get(expected, '')))}",
                            'summary: "It sold."').replace("goal: 1\n    actual: 1\n",
                                                           "goal: 0.9\n    actual: 0.87\n")
    filled = filled.replace(f"why: {json.dumps(DEAL_WHY_PROMPT)}", 'why: "Faster rollout."')
    filled = filled.replace(f"customer: {json.dumps(CUSTOMER_PROMPT)}", 'customer: "Northwind"')
    (root / expected).write_text(filled)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0 and "the draft's" not in checked.output
    (root / expected).write_text(written)

    again = run_cli("new", *args, "--facilitator", "Someone Else", "--root", str(root))
    assert again.exit_code != 0
    assert "already exists; not overwriting" in again.output
    assert (root / expected).read_text() == written  # untouched


def test_new_retro_refuses_unknown_team_and_bad_period(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", "retro", "--team", "sails", "--period", "2026-05", "--root", str(root))
    assert result.exit_code == 2
    assert "unknown team 'sails' (did you mean sales?)" in result.output
    result = run_cli("new", "retro", "--team", "sales", "--period", "May", "--root", str(root))
    assert result.exit_code == 2
    assert "--period must be a month like 2026-05" in result.output
    assert not (root / "retros").exists() or not any((root / "retros").iterdir())


_SPACED_TEAMS = """company: Brightlane
causes:
  - {id: demo-quality, title: デモ品質の低下, description: デモ環境が古い。}
indicators:
  - {id: win-rate, label: 受注率, unit: rate, better: up}
teams:
  - {id: seoul-sales, name: 서울 영업}
  - {id: tokyo-sales, name: 東京 営業}
  - {id: tokyo-ops, name: 東京営 業}
plan_kinds:
  - {id: deal, title: Deals}
"""


def test_a_team_named_without_its_spaces_is_found_when_only_one_team_is_so_named(
        tmp_path: Path) -> None:
    """`--team 서울영업` was "unknown team '서울영업'" for the team named 서울 영업, though owners
    already match with or without their spaces (`김 민지` = `김민지`). It names the team now,
    for new and prep alike; two teams whose names differ only in their spaces are not guessed
    between."""
    (tmp_path / "taxonomy.yml").write_text(_SPACED_TEAMS, encoding="utf-8")
    root = make_kb(tmp_path / "kb", {}, taxonomy=tmp_path / "taxonomy.yml")
    result = run_cli("new", "retro", "--team", "서울영업", "--period", "2026-05",
                     "--facilitator", "김 민지", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "team: seoul-sales" in (root / "retros" / "2026-05-seoul-sales.md").read_text()
    result = run_cli("prep", "--team", "서울영업", "--period", "2026-06", "--root", str(root),
                     "--as-of", "2026-06-20")
    assert result.exit_code == 0, result.output
    assert (root / "retros" / "2026-06-seoul-sales.md").exists()
    result = run_cli("new", "retro", "--team", "東京営業", "--period", "2026-05",
                     "--facilitator", "山田 太郎", "--root", str(root))
    assert result.exit_code == 2
    assert "unknown team '東京営業'" in result.output


def test_new_refuses_a_held_date_validation_would_refuse(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    for args, expected in (
            (["new", "retro", "--team", "sales", "--period", "2026-11", "--held", "2026-10-01"],
             "error: --held 2026-10-01 is before the month it reviews (2026-11) began"),
            (["new", "review", "--period", "2026-Q4", "--held", "2026-09-30"],
             "error: --held 2026-09-30 is before the quarter it reviews (2026-Q4) began"),
            (["prep", "--team", "sales", "--period", "2026-11", "--held", "2026-10-31"],
             "error: --held 2026-10-31 is before the month it reviews (2026-11) began")):
        result = run_cli(*args, "--facilitator", "X", "--root", str(root))
        assert result.exit_code == 2 and expected in result.output, result.output
    assert not (root / "retros").exists() or not any((root / "retros").iterdir())
    # The first day of the period is a day of it: that record validates.
    made = run_cli("new", "retro", "--team", "sales", "--period", "2026-11", "--held",
                   "2026-11-01", "--facilitator", "X", "--root", str(root))
    assert made.exit_code == 0, made.output
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-11-02").exit_code == 0


def test_new_and_prep_refuse_a_period_outside_the_calendar(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    for args, expected in (
            (["new", "retro", "--team", "sales", "--period", "9999-12"],
             'error: --period must be a month from 1900-01 to 2999-12 (got "9999-12")'),
            (["new", "review", "--period", "0000-Q1"],
             'error: --period must be a quarter from 1900-Q1 to 2999-Q4 (got "0000-Q1")'),
            (["prep", "--team", "sales", "--period", "0000-01"],
             'error: --period must be a month from 1900-01 to 2999-12 (got "0000-01")')):
        result = run_cli(*args, "--facilitator", "X", "--root", str(root))
        assert result.exit_code == 2 and expected in result.output, result.output
    assert not (root / "retros").exists() or not any((root / "retros").iterdir())


def test_a_name_that_would_break_its_draft_is_refused(tmp_path: Path) -> None:
    # A newline would end the draft's comment line and, with "---", its front matter; markup
    # would fail validation of the draft new had just written.
    root = make_kb(tmp_path, {})
    common = ["--kind", "deal-lost", "--team", "sales", "--ended", "2026-11-20", "--held",
              "2026-11-25", "--root", str(root)]
    for name, expected in (
            ("a\nb: c\n---\ntype: retro",
             "error: --name contains a line break (give it on one line, as plain text)"),
            ("<img src=x onerror=alert(1)>",
             "error: --name is plain text but contains an HTML tag (write it without)")):
        result = run_cli("new", "postmortem", "--name", name, "--facilitator", "X", *common)
        assert result.exit_code == 2 and expected in result.output, result.output
    result = run_cli("new", "retro", "--team", "sales", "--period", "2026-05",
                     "--facilitator", "Mia\tChen", "--root", str(root))
    assert result.exit_code == 2
    assert "--facilitator contains the invisible character U+0009" in result.output
    assert not any(root.rglob("*.md"))


def test_new_without_terminal_names_every_missing_flag_at_once(tmp_path: Path) -> None:
    # Only the first was named ("--name is required"), then "--team is required" next run.
    root = make_kb(tmp_path, {})
    result = run_cli("new", "postmortem", "--kind", "launch", "--root", str(root))
    assert result.exit_code == 2
    assert result.output == ("error: --name and --team are required (or run in a terminal to "
                             "be asked)\n")
    result = run_cli("new", "postmortem", "--root", str(root))
    assert result.exit_code == 2
    assert result.output == ("error: --name, --kind and --team are required (or run in a "
                             "terminal to be asked)\n")
    result = run_cli("new", "postmortem", "--name", "Spring webinar", "--kind", "webinar",
                     "--root", str(root))
    assert result.exit_code == 2
    assert result.output == "error: --team is required (or run in a terminal to be asked)\n"
    assert not (root / "postmortems").exists() or not any((root / "postmortems").iterdir())


def test_new_review_takes_the_quarter_as_its_file_name_writes_it(tmp_path: Path) -> None:
    # "2026-q4", as in 2026-q4-review.md, was refused: "must be a quarter like 2026-Q2".
    root = make_kb(tmp_path, {})
    result = run_cli("new", "review", "--period", "2026-q4", "--held", "2027-01-12",
                     "--facilitator", "Rui Costa", "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = root / "retros" / "2026-q4-review.md"
    assert result.output.strip().endswith("retros/2026-q4-review.md")
    assert "\nperiod: 2026-Q4" in draft.read_text()
    assert check(root, dt.date(2027, 1, 15)).problems.errors == []
    wrong = run_cli("new", "review", "--period", "2026-q5", "--root", str(root))
    assert wrong.exit_code == 2
    assert '--period must be a quarter like 2026-Q2 (got "2026-q5")' in wrong.output
    early = run_cli("new", "review", "--period", "1899-q4", "--root", str(root))
    assert early.exit_code == 2
    assert '--period must be a quarter from 1900-Q1 to 2999-Q4 (got "1899-q4")' in \
        " ".join(early.output.split())
    assert [p.name for p in (root / "retros").iterdir()] == ["2026-q4-review.md"]


def test_new_postmortem_starts_from_what_was_learned(tmp_path: Path) -> None:
    import shutil

    from conftest import REPO

    root = tmp_path / "kb"
    root.mkdir()
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    result = run_cli("new", "postmortem", "--name", "The Larkspur Loss", "--kind", "deal-lost",
                     "--team", "sales", "--ended", "2026-11-20", "--held", "2026-11-24",
                     "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "postmortems" / "2026-11-the-larkspur-loss.md").read_text()
    front = text.split("\n---\n", 1)[0]
    # A deal lost is a loss, and its customer is asked for (it was the post-mortem's name:
    # "customer: The Larkspur Loss", with "outcome: mixed" beside "chose_us: false").
    assert "\noutcome: loss  # " in front and "chose_us: false" in front
    assert f"customer: {json.dumps(CUSTOMER_PROMPT)}" in front
    block = front[front.index("# Before you start"):front.index("\ntype: postmortem")].splitlines()
    assert all(line.startswith("# ") for line in block)
    assert block[1] == "#   Before you plan: Deals — https://brightlane.github.io/hindsight/plan/deal/"
    # The most repeated deal lesson first: three records learned it in other words.
    assert block[2] == ("#   - Commit a deal only with a mutual close plan the buyer has seen, "
                        "whenever in the quarter it is called. (learned 3 times, in The "
                        "Snowplow Push, held 2026-01-06; Quarterly review — 2025-Q2, held "
                        "2025-07-09; Sales retro — June 2025, held 2025-07-03)")
    # The newest failed deal assumption, from the newest deal post-mortem.
    assert ("#   - We assumed: Any business paying bills needs approvals. It did not hold "
            "(The Quillon Loss).") in block
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-12-03")
    assert checked.exit_code == 0, checked.output


def test_new_retro_writes_its_title(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                     "2026-06-03", "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "retros" / "2026-05-sales.md").read_text()
    assert 'title: "Sales retro — May 2026"  #' in text
    assert "\n# Sales retro — May 2026\n" in text
    assert "\nformat: five-whys  #" in text


def test_a_new_retro_names_example_ids_as_the_team_writes_them(tmp_path: Path) -> None:
    # The sales team's ids start CS- (its customer-success days): the draft's examples said
    # SALES-2026-05-1 and SALES-2026-04-2, ids no record of the team had ever used.
    earlier = ("---\ntype: retro\nperiod: 2026-03\nteam: sales\nheld: 2026-04-02\n"
               "facilitator: Mia Chen\nparticipants: [Mia Chen]\nformat: five-whys\n"
               "indicators: {win-rate: {smb: \"12/30\"}}\nactions:\n"
               "  - id: CS-2026-03-1\n    title: Call back every lost deal\n"
               "    owner: Mia Chen\n    due: 2026-04-30\n---\n\n# March\n")
    inside = earlier.replace("period: 2026-03", "period: 2026-04").replace(
        "held: 2026-04-02", "held: 2026-05-04").replace("CS-2026-03-1", "INSIDE-2026-04-1")
    root = make_kb(tmp_path, {"retros/2026-03-sales.md": earlier,
                              "retros/2026-04-inside-sales.md": inside})
    made = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                   "2026-06-03", "--facilitator", "Mia Chen", "--root", str(root))
    assert made.exit_code == 0, made.output
    draft = (root / "retros" / "2026-05-sales.md").read_text()
    # Not another team's file whose name ends in -sales (inside-sales).
    assert "#   - id: CS-2026-05-1\n" in draft
    assert "#   - {id: CS-2026-04-2, status: done, done_on: 2026-06-03}" in draft
    # A team with no earlier retro keeps its id in capitals.
    other = run_cli("new", "retro", "--team", "marketing", "--period", "2026-05", "--held",
                    "2026-06-03", "--facilitator", "Mia Chen", "--root", str(root))
    assert other.exit_code == 0, other.output
    drafted = (root / "retros" / "2026-05-marketing.md").read_text()
    assert "#   - id: MARKETING-2026-05-1\n" in drafted


def test_a_draft_of_a_period_not_over_is_held_after_it(tmp_path: Path) -> None:
    """Drafted on 2026-12-07, a retro of December and a review of 2026-Q4 were held that day
    and said so in a note, validate warning until corrected. They are held the day after
    the period, the note saying it is a default; a --held inside the period is still told
    it is early; a month that is over is held today, with nothing to say. A quarter's note,
    and the drafts' validation, as a retro's."""
    root = make_kb(tmp_path, {})
    for args, said, path in (
            (["retro", "--team", "sales", "--period", "2026-12"],
             "note: held: 2027-01-01, the day after the month it reviews (2026-12) ends "
             "(2026-12-31), as it is not over yet; change it to the day the meeting is held (or "
             "pass --held): until that day the site leaves it out", "retros/2026-12-sales.md"),
            (["review", "--period", "2026-Q4"],
             "note: held: 2027-01-01, the day after the quarter it reviews (2026-Q4) ends "
             "(2026-12-31), as it is not over yet", "retros/2026-q4-review.md")):
        made = CliRunner().invoke(main, ["new", *args, "--facilitator", "Mia Chen", "--root",
                                         str(root)], env={"HINDSIGHT_AS_OF": "2026-12-07"})
        assert made.exit_code == 0 and said in made.output, made.output
        assert re.search(r"^held: 2027-01-01\b", (root / path).read_text(), re.M)
    early = CliRunner().invoke(main, ["new", "retro", "--team", "marketing", "--period",
                                      "2026-12", "--held", "2026-12-07", "--facilitator",
                                      "Mia Chen", "--root", str(root)],
                               env={"HINDSIGHT_AS_OF": "2026-12-07"})
    assert early.exit_code == 0 and (
        "note: held: 2026-12-07 is before the month it reviews (2026-12) ends (2026-12-31)"
        in early.output), early.output
    past = CliRunner().invoke(main, ["new", "retro", "--team", "sales", "--period", "2026-11",
                                     "--facilitator", "Mia Chen", "--root", str(root)],
                              env={"HINDSIGHT_AS_OF": "2026-12-07"})
    assert past.exit_code == 0 and "note:" not in past.output, past.output
    assert re.search(r"^held: 2026-12-07\b", (root / "retros" / "2026-11-sales.md").read_text(),
                     re.M)
    # On the day they are held the drafts validate with nothing to say of it (before it, the
    # site leaves them out); the one held within its month is still warned of.
    checked = run_cli("validate", "--root", str(root), "--as-of", "2027-01-01")
    assert checked.exit_code == 0, checked.output
    assert [line for line in checked.output.splitlines() if "held" in line] == [
        "retros/2026-12-marketing.md:8:7  held  warning: 2026-12-07 is before the month it "
        "reviews (2026-12) ended (2026-12-31) (check the held date and the period; a retro "
        "held before its month is over reviews only part of it)"], checked.output


def test_a_draft_writes_names_as_typed_and_they_read_back_the_same(tmp_path: Path) -> None:
    # YAML, not HTML: an apostrophe or an ampersand is not written as \u0027 or \u0026.
    root = make_kb(tmp_path, {})
    who = "Siobhán O'Neil & Zoë \"Z\" Brandt"
    result = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                     "2026-06-03", "--facilitator", who, "--root", str(root))
    assert result.exit_code == 0, result.output
    draft = (root / "retros" / "2026-05-sales.md").read_text()
    assert 'facilitator: "Siobhán O\'Neil & Zoë \\"Z\\" Brandt"' in draft
    checked = check(root, dt.date(2026, 6, 15))
    assert not checked.problems.errors and checked.kb is not None
    assert checked.kb.entries[0].record.facilitator == who


def test_a_draft_for_a_period_not_yet_begun_is_held_after_it(tmp_path: Path) -> None:
    from generator.records.types import default_held

    # On 2026-12-05: November is over (held today); December is not (held 1 January);
    # February 2027 has not begun (held 1 March); 2027-Q1 neither (held 1 April). On its last
    # day a month is over.
    today = dt.date(2026, 12, 5)
    assert default_held(["2026-11"], today) == today
    assert default_held(["2026-12"], today) == dt.date(2027, 1, 1)
    assert default_held(["2026-12"], dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
    assert default_held(["2027-02"], today) == dt.date(2027, 3, 1)
    assert default_held(["2027-01", "2027-02", "2027-03"], today) == dt.date(2027, 4, 1)
    # Through the command, for periods still ahead whatever today is: the drafts validate.
    root = make_kb(tmp_path, {})
    for args in (["retro", "--team", "sales", "--period", "2099-02"],
                 ["review", "--period", "2099-Q1"]):
        result = run_cli("new", *args, "--facilitator", "Mia Chen", "--root", str(root))
        assert result.exit_code == 0, result.output
    assert "held: 2099-03-01" in (root / "retros" / "2099-02-sales.md").read_text()
    assert "held: 2099-04-01" in (root / "retros" / "2099-q1-review.md").read_text()
    checked = run_cli("validate", "--root", str(root), "--as-of", "2099-04-15")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def test_draft_examples_name_the_knowledge_bases_own_ids(tmp_path: Path) -> None:
    # The test taxonomy has win-rate (a rate by segment) and sales-cycle (days by tier), the
    # cause icp-drift and the plan kind campaign; none of the sample's mql-to-sql or
    # sdr-ae-handoff. The examples use its ids, and uncommented they validate.
    root = make_kb(tmp_path, {})
    result = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                     "2026-06-03", "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "retros" / "2026-05-sales.md"
    text = path.read_text()
    assert "mql-to-sql" not in text and "sdr-ae-handoff" not in text and "SAL-2026-04" not in text
    # Every segment: a month that leaves one out is warned about once there is one before it.
    # No retro gives a reading yet: each value is "?", to write.
    assert '#   win-rate: {smb: "?", mid-market: "?", enterprise: "?"}\n' in text
    assert '#   sales-cycle: {tier-1: "?", tier-2: "?", tier-3: "?"}\n' in text
    assert "#   - cause: icp-drift\n" in text and "#     applies_to: [campaign]\n" in text
    assert "#   - {id: SALES-2026-04-2, status: done" in text
    path.write_text(text.replace("\n#   win-rate:", "\n  win-rate:")
                    .replace("\n#   sales-cycle:", "\n  sales-cycle:")
                    .replace('"?", mid', '"9/30", mid').replace('"?", ent', '"4/20", ent')
                    .replace('enterprise: "?"', 'enterprise: "1/6"').replace('"?"', "45"))
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    assert "no leading-indicator readings" not in checked.output


@pytest.mark.parametrize(("as_of", "review", "retro"), [
    ("2026-06-15", "retros/2026-q1-review.md", "retros/2026-05-sales.md"),
    ("2026-07-02", "retros/2026-q2-review.md", "retros/2026-06-sales.md"),
    ("2027-01-10", "retros/2026-q4-review.md", "retros/2026-12-sales.md"),
])
def test_new_defaults_to_the_last_whole_period_as_of_the_build_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_of: str, review: str,
        retro: str) -> None:
    """With $HINDSIGHT_AS_OF, as every command reads it: a review looks back on the last
    quarter that has ended (not the one under way), a retro on last month; held that day."""
    monkeypatch.setenv("HINDSIGHT_AS_OF", as_of)
    root = make_kb(tmp_path, {})
    for args, expected in ((["review"], review), (["retro", "--team", "sales"], retro)):
        result = run_cli("new", *args, "--facilitator", "Mia Chen", "--root", str(root))
        assert result.exit_code == 0, result.output
        assert result.output.strip() == (root / expected).as_posix()
        assert f"\nheld: {as_of}" in (root / expected).read_text()


@pytest.mark.parametrize(("fmt", "fields"), [
    ("good-bad-ugly", ["good", "bad", "ugly"]),
    ("stop-start-continue", ["stop", "start", "continue"]),
    ("went-well-didnt", ["went_well", "didnt_go_well"]),
    ("five-whys", ["went_well", "didnt_go_well"]),
])
def test_a_drafts_lists_are_its_formats(tmp_path: Path, fmt: str, fields: list[str]) -> None:
    """`new retro --format good-bad-ugly` offers good/bad/ugly, not another format's lists."""
    root = make_kb(tmp_path, {})
    result = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                     "2026-06-03", "--format", fmt, "--facilitator", "Mia Chen",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "retros" / "2026-05-sales.md").read_text()
    lists = {"went_well", "didnt_go_well", "good", "bad", "ugly", "stop", "start", "continue"}
    offered = [line.split(":")[0] for line in text.split("\n") if line.endswith(": []")
               and line.split(":")[0] in lists]
    assert offered == fields


def test_a_typo_at_the_terminal_is_explained_and_asked_again(tmp_path: Path) -> None:
    """At a terminal, `new retro` asks for what is missing; a wrong answer is explained and
    asked for again (it used to end the command), and nothing is written until all are right."""
    root = make_kb(tmp_path / "kb", {})
    # Typed ahead: the terminal keeps each line until the prompt reads it.
    text = _at_a_terminal(root, ["new", "retro", "--facilitator", "Mia Chen"],
                          b"slaes\nsales\n2026-13\n2026-04\n", as_of="2026-06-15")
    assert "Error: unknown team 'slaes' (did you mean sales?" in text
    assert 'must be a month like 2026-05 (got "2026-13")' in text
    prompt = "Team (Sales, Marketing):"
    assert text.count(prompt) == 2 and text.count("Month reviewed (YYYY-MM) [2026-05]:") == 2
    assert (root / "retros/2026-04-sales.md").is_file()
    assert sorted(p.name for p in (root / "retros").iterdir()) == ["2026-04-sales.md"]


def test_a_german_name_keeps_its_sharp_s_in_the_file_name(tmp_path: Path) -> None:
    # NFKD leaves ß whole, so the ASCII slug used to drop it: "Größter" became "groter".
    root = event_kb(tmp_path, {})  # a taxonomy that plans events
    result = run_cli("new", "postmortem", "--name", "Die Messe in München – Größter Stand",
                     "--kind", "event", "--team", "marketing", "--ended", "2026-06-12",
                     "--held", "2026-06-19", "--facilitator", "Jürgen Groß", "--root", str(root))
    assert result.exit_code == 0, result.output
    expected = root / "postmortems" / "2026-06-die-messe-in-munchen-grosster-stand.md"
    assert result.output.strip() == expected.as_posix()


def test_slugs_spell_out_the_latin_letters_nfkd_keeps_whole() -> None:
    from generator.paths import slugify

    assert slugify("Größter Stand") == "grosster-stand"
    assert slugify("GROẞE Halle") == "grosse-halle"
    assert slugify("Ærø Søndergaard") == "aero-sondergaard"
    assert slugify("Œuvre Łódź Đorđe") == "oeuvre-lodz-dorde"
    assert slugify("Þórr Ðór Ħal Kırmızı") == "thorr-dor-hal-kirmizi"


def test_a_long_name_gives_a_file_name_cut_at_the_end_of_a_word(tmp_path: Path) -> None:
    """The file name was the first 60 characters of the slug, cut mid-word (``…-and-nor``).
    By hand: quarterly(9) partner(7) enablement(10) roadshow(8) across(6) benelux(7) and(3)
    with their hyphens are 56 characters; "-nordic" would take it to 63."""
    root = event_kb(tmp_path, {})  # a taxonomy that plans events
    result = run_cli("new", "postmortem", "--name", "Quarterly partner enablement roadshow "
                     "across Benelux and Nordic markets", "--kind", "event", "--team",
                     "marketing", "--ended", "2026-06-12", "--held", "2026-06-19",
                     "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    expected = (root / "postmortems" / "2026-06-quarterly-partner-enablement-roadshow-across-"
                "benelux-and.md")
    assert result.stdout.strip() == expected.as_posix()
    assert result.stderr == ""  # no note: the name has an ASCII form, only shortened


def test_slugify_words_keeps_a_word_that_ends_at_the_limit_and_cuts_one_long_word() -> None:
    from generator.paths import SLUG_LENGTH, slugify_words

    assert SLUG_LENGTH == 60
    # Six 9-letter words and five hyphens are 59 characters; a 1-letter word ends at 61.
    nine = "abcdefghi"
    assert slugify_words(" ".join([nine] * 6 + ["x"])) == "-".join([nine] * 6)
    # Five 9-letter words and a 10-letter one end at 60 exactly, a hyphen 61st: all kept.
    ten = "abcdefghij"
    assert slugify_words(" ".join([nine] * 5 + [ten, "more"])) == "-".join([nine] * 5 + [ten])
    assert slugify_words("Q" * 70 + " launch") == "q" * 60  # no word boundary to cut at
    assert slugify_words("Short name") == "short-name"


@pytest.mark.parametrize(
    ("name", "kind", "team", "expected"),
    [
        # sha256("東京ビッグサイト展示会") starts ae6a59e0, sha256("صفقة الرياض") 958c4fc6,
        # sha256("Messe 東京") d678550d (as `printf %s NAME | sha256sum` prints them).
        ("東京ビッグサイト展示会", "event", "marketing", "2026-06-event-ae6a59e0.md"),
        ("صفقة الرياض", "deal-won", "sales", "2026-06-deal-won-958c4fc6.md"),
        ("Messe 東京", "event", "marketing", "2026-06-messe-d678550d.md"),
    ],
    ids=["japanese", "arabic", "partly-latin"],
)
def test_a_name_without_ascii_letters_gets_a_file_name_from_its_kind_and_a_hash(
    tmp_path: Path, name: str, kind: str, team: str, expected: str
) -> None:
    # Record ids are ASCII; the name was refused as having "no letters or digits".
    root = event_kb(tmp_path, {})  # a taxonomy that plans events
    args = ["new", "postmortem", "--name", name, "--kind", kind, "--team", team, "--ended",
            "2026-06-12", "--held", "2026-06-19", "--facilitator", "佐藤花子", "--root", str(root)]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (root / "postmortems" / expected).as_posix()
    assert "file names are ASCII record ids" in result.stderr
    assert "give --slug to choose its name" in result.stderr
    assert f"name: {json.dumps(name, ensure_ascii=False)}  #" in (
        root / "postmortems" / expected).read_text()
    checked = check(root, dt.date(2026, 6, 20))
    assert not checked.problems.errors, [p.format() for p in checked.problems.errors]
    assert checked.kb is not None and checked.kb.entries[0].record.name == name
    again = run_cli(*args)  # the same name gives the same file, which is never overwritten
    assert again.exit_code == 2 and "already exists; not overwriting" in again.output


def test_slug_names_the_file_and_is_checked_like_an_id(tmp_path: Path) -> None:
    root = event_kb(tmp_path, {})  # a taxonomy that plans events
    common = ["--name", "東京ビッグサイト展示会", "--kind", "campaign", "--team", "marketing",
              "--ended", "2026-06-12", "--held", "2026-06-19", "--facilitator", "佐藤花子",
              "--root", str(root)]
    for slug, expected in (
            ("Tokyo Big Sight", "(got 'Tokyo Big Sight'; e.g. tokyo-big-sight)"),
            ("-tokyo", "(got '-tokyo'; e.g. tokyo)"),
            ("東京", "(got '東京'; e.g. tokyo-big-sight)"),
            ("a" * 73, "at most 72 characters")):
        result = run_cli("new", "postmortem", "--slug", slug, *common)
        assert result.exit_code == 2, result.output
        assert "error: --slug must be lowercase ASCII letters, digits and hyphens" in result.output
        assert expected in result.output
    assert not any(root.rglob("*.md"))
    result = run_cli("new", "postmortem", "--slug", "tokyo-big-sight", *common)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (root / "postmortems/2026-06-tokyo-big-sight.md").as_posix()
    # A second draft of the same event is a copy (an error of its own): one file at a time.
    (root / "postmortems/2026-06-tokyo-big-sight.md").unlink()
    result = run_cli("new", "postmortem", "--slug", "a" * 72, *common)  # 80 with the month
    assert result.exit_code == 0, result.output
    assert not check(root, dt.date(2026, 6, 20)).problems.errors


def test_a_record_without_a_title_is_named_after_its_team_as_new_names_it(
        tmp_path: Path) -> None:
    """A retro that gives no `title:` is titled from the team's name in taxonomy.yml, as
    `hindsight new` writes it ("RevOps retro — May 2026"), not from its id ("Revops")."""
    taxonomy = (Path(__file__).parent / "fixtures" / "taxonomy.yml").read_text().replace(
        "  - id: marketing\n    name: Marketing", "  - id: rev-ops\n    name: RevOps")
    (tmp_path / "taxonomy.yml").write_text(taxonomy)
    root = make_kb(tmp_path / "kb", {}, tmp_path / "taxonomy.yml")
    made = run_cli("new", "retro", "--team", "rev-ops", "--period", "2026-05", "--held",
                   "2026-06-03", "--facilitator", "Mia Chen", "--root", str(root))
    assert made.exit_code == 0, made.output
    draft = root / "retros/2026-05-rev-ops.md"
    assert '\ntitle: "RevOps retro — May 2026"' in draft.read_text()
    # The same record with its title line removed: the default says the same.
    draft.write_text("\n".join(line for line in draft.read_text().split("\n")
                               if not line.startswith("title:")))
    result = check(root, dt.date(2026, 6, 15))
    assert result.kb is not None
    (entry,) = result.kb.entries
    assert entry.title == "RevOps retro — May 2026"


def test_new_records_go_to_the_year_folder_and_never_duplicate_an_id(tmp_path: Path) -> None:
    """A knowledge base kept in year folders gets its new retro, review, post-mortem and
    prepared draft in the year's folder (made if missing); a record of that id in another
    folder is refused, not written beside it as a second record with the same id."""
    root = make_kb(tmp_path, {})
    (root / "retros" / "2025").mkdir(parents=True)
    (root / "postmortems" / "2025").mkdir(parents=True)
    common = ["--facilitator", "Mia Chen", "--root", str(root)]
    written = [run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                       "2026-06-03", *common),
               run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08", *common),
               run_cli("new", "postmortem", "--name", "The Apollo launch", "--kind", "campaign",
                       "--team", "marketing", "--ended", "2026-06-20", "--held", "2026-06-30",
                       *common),
               run_cli("prep", "--team", "sales", "--period", "2026-06", "--held", "2026-07-02",
                       "--as-of", "2026-07-10", *common)]
    assert [r.exit_code for r in written] == [0, 0, 0, 0], [r.output for r in written]
    assert {p.relative_to(root).as_posix() for p in root.rglob("*.md")} == {
        "retros/2026/2026-05-sales.md", "retros/2026/2026-q2-review.md",
        "postmortems/2026/2026-06-the-apollo-launch.md", "retros/2026/2026-06-sales.md"}
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-10")
    assert checked.exit_code == 0, checked.output
    # The same month and team again, while the first sits in another folder: refused.
    (root / "retros" / "2026" / "2026-05-sales.md").rename(root / "retros" / "2026-05-sales.md")
    again = run_cli("new", "retro", "--team", "sales", "--period", "2026-05", "--held",
                    "2026-06-03", *common)
    assert again.exit_code != 0 and "Traceback" not in again.output
    assert "retros/2026-05-sales.md already exists; not overwriting it" in again.output
    assert not (root / "retros" / "2026" / "2026-05-sales.md").exists()


def test_no_draft_is_written_while_the_taxonomy_has_errors(tmp_path: Path) -> None:
    """With `causes:` missing from taxonomy.yml (an error), `new retro` and `new
    postmortem` refused, but `new review` wrote a draft without the taxonomy: the sample's
    "New ARR" example row and annual goals, and "(taxonomy.yml has no plan_kinds yet: add
    them there first.)", of a taxonomy whose error was something else. It refuses as they do,
    and writes nothing."""
    root = make_kb(tmp_path / "kb", {})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(re.sub(r"causes:\n(  .*\n)+", "", taxonomy.read_text()),
                        encoding="utf-8")
    assert "causes" not in taxonomy.read_text()
    for args in (["retro", "--team", "sales", "--period", "2026-09"],
                 ["review", "--period", "2026-Q3", "--held", "2026-10-08"],
                 ["postmortem", "--name", "Kestrel", "--kind", "other", "--team", "sales",
                  "--ended", "2026-10-01"]):
        refused = run_cli("new", *args, "--facilitator", "Ana Ruiz", "--root", str(root))
        assert refused.exit_code == 2, (args, refused.output)
        assert refused.output == "error: taxonomy.yml has errors; run hindsight validate\n", \
            (args, refused.output)
    assert not (root / "retros").exists() and not (root / "postmortems").exists()


def test_a_post_mortem_draft_without_plan_kinds_sends_nobody_to_an_empty_checklist(
        tmp_path: Path) -> None:
    """In a knowledge base whose taxonomy has `plan_kinds: []`, a `--kind other` draft's
    *Before you start* block said "this kind of post-mortem has no plan checklist; browse the
    “Before you plan” pages": that page lists no plan kind, so there was nothing to browse.
    It now says there is no checklist yet, and why."""
    root = make_kb(tmp_path / "kb", {})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(re.sub(r"plan_kinds:\n(  .*\n)+", "plan_kinds: []\n",
                               taxonomy.read_text()), encoding="utf-8")
    made = run_cli("new", "postmortem", "--name", "Spring Summit", "--kind", "other", "--team",
                   "sales", "--ended", "2026-10-02", "--held", "2026-10-05", "--facilitator",
                   "Ana Ruiz", "--root", str(root))
    assert made.exit_code == 0, made.output
    lines = (root / made.output.strip().splitlines()[-1]).read_text().splitlines()
    at = lines.index("# Before you start — what the knowledge base already knows:")
    assert lines[at + 1] == ("#   no plan checklist yet: taxonomy.yml has no plan_kinds, and "
                             "each checklist gathers the lessons of one plan kind."), lines
    assert "Before you plan" not in "\n".join(lines)


def test_a_review_drafts_examples_name_the_knowledge_bases_own_ids(tmp_path: Path) -> None:
    """Another company's taxonomy: its rate is close-rate, segmented smb and strategic, and it
    plans campaigns and deals (no quarter plans). The review draft's commented scorecard row
    and lesson use those ids, and uncommented they validate (the sample's win-rate,
    enterprise and quarter were each an error)."""
    taxonomy = (FIXTURES / "taxonomy.yml").read_text(encoding="utf-8")
    taxonomy = taxonomy.replace("id: win-rate", "id: close-rate").replace(
        "segments: [smb, mid-market, enterprise]", "segments: [smb, strategic]")
    (tmp_path / "other.yml").write_text(taxonomy, encoding="utf-8")
    root = make_kb(tmp_path / "kb", {}, taxonomy=tmp_path / "other.yml")
    result = run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08",
                     "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / "retros" / "2026-q2-review.md"
    text = path.read_text(encoding="utf-8")
    assert "win-rate" not in text and "enterprise" not in text and "quarter]" not in text
    lines = text.splitlines()
    row = [line[2:] for line in lines if line.startswith(("#   - metric:", "#     goal:",
                                                          "#     unit:", "#     indicator:",
                                                          "#     segment:", "#     measure:"))]
    assert '  - metric: "Win rate (strategic)"' in row, row
    assert "    indicator: close-rate" in row and "    segment: strategic" in row, row
    # No retro reads the rate: its goal is left to fill in (the test below).
    row = [re.sub(r"^    goal:  # no retro gives .*", "    goal: 0.3", line) for line in row]
    lesson = [line[2:] for line in lines if line.startswith(("#   - lesson:", "#     applies_to:"))]
    assert lesson[-1] == "    applies_to: [deal]", lesson
    filled = text.replace("    better: up\n", "    better: up\n" + "\n".join(row) + "\n", 1)
    filled = filled.replace("\nlessons:\n", "\nlessons:\n" + "\n".join(lesson) + "\n")
    filled = filled.replace("goal: 1\n    actual: 1\n", "goal: 0.9\n    actual: 0.87\n")
    path.write_text(filled, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    assert "close-rate" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("kind", "args", "field"), [
    ("retro", ["--team", "sales", "--period", "2026-05", "--held", "2026-06-03"], "facilitator"),
    ("postmortem", ["--name", "Spring Webinar", "--kind", "webinar", "--plan-kind", "campaign",
                    "--team", "marketing", "--ended", "2026-04-30", "--held", "2026-05-04"],
     "keeper")])
def test_a_draft_made_where_git_knows_no_name_is_warned_about_until_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, args: list[str],
        field: str) -> None:
    """Without a git user name the draft names "To be named": it validated without a word
    (even --strict) and was published as the facilitator's name."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    root = make_kb(tmp_path / "kb", {})
    made = run_cli("new", kind, *args, "--root", str(root))
    assert made.exit_code == 0, made.output
    (path,) = [p for p in root.rglob("*.md")]
    text = path.read_text()
    assert f'{field}: "To be named"' in text, text
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith(f"{field}:"))
    checked = run_cli("validate", "--root", str(root), "--format", "json", "--as-of",
                      "2026-06-05")
    found = [p for p in json.loads(checked.stdout)["problems"] if p["field"] == field]
    assert [(p["severity"], p["line"]) for p in found] == [("warning", line)], found
    assert "write the name of who facilitated it" in found[0]["hint"]
    path.write_text(text.replace('"To be named"', '"Mia Chen"'))
    checked = run_cli("validate", "--root", str(root), "--format", "json", "--as-of",
                      "2026-06-05")
    assert not [p for p in json.loads(checked.stdout)["problems"] if p["field"] == field]


def _at_a_terminal(root: Path, args: list[str], typed: bytes, as_of: str = "2026-12-03") -> str:
    """Run ``hindsight ARGS`` at a pseudo-terminal with ``typed`` typed ahead (as of
    ``as_of``): what the terminal showed, once the command ended with exit 0."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import REPO

    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "HINDSIGHT_AS_OF": as_of}
    process = subprocess.Popen([sys.executable, "-m", "generator", *args, "--root", str(root)],
                               stdin=secondary, stdout=secondary, stderr=secondary, env=env,
                               cwd=root.parent)
    os.close(secondary)
    os.write(primary, typed)
    output = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(primary)
    assert process.wait(timeout=60) == 0, output
    return output.decode().replace("\r\n", "\n")


def test_new_postmortem_asks_at_a_terminal_when_the_event_ended(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --ended the file was named after today's month (December) for an event that
    ended in November. At a terminal the date is asked for; a day not in the calendar is
    explained and asked again; outside one, today is still the default."""
    root = make_kb(tmp_path / "kb", {})
    shown = _at_a_terminal(root, ["new", "postmortem", "--name", "Black Friday push", "--kind",
                                  "campaign", "--team", "marketing", "--facilitator", "Rui Costa"],
                           b"2026-11-31\n2026-11-28\n")
    assert shown.count("When the event ended (YYYY-MM-DD) [2026-12-03]:") == 2, shown
    assert "the answer must be a date like 2026-06-30 (got '2026-11-31')" in shown
    assert sorted(p.name for p in (root / "postmortems").iterdir()) == [
        "2026-11-black-friday-push.md"]
    draft = (root / "postmortems" / "2026-11-black-friday-push.md").read_text()
    assert "\nevent_ended: 2026-11-28  #" in draft and "\nheld: 2026-12-03  #" in draft
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-12-03")
    piped = run_cli("new", "postmortem", "--name", "Cyber Monday push", "--kind", "campaign",
                    "--team", "marketing", "--facilitator", "Rui Costa", "--root", str(root))
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.strip().endswith("postmortems/2026-12-cyber-monday-push.md")


# A post-mortem as a field team writes one by hand: the dates first, quoted names, a comment.
BLACK_FRIDAY = """---
# Copied from last year's and renamed for this December.
event_ended: 2026-11-28
held: 2026-12-02
type: postmortem
kind: campaign
name: 'Black Friday push'
team: marketing
outcome: {outcome}
keeper: 'Rui Costa'
summary: 'Discount codes went out late.'
---

Codes went out on the Saturday.
"""


def test_a_postmortem_named_after_another_month_than_its_event_ended_is_warned(
        tmp_path: Path) -> None:
    # A record that fails the schema elsewhere (outcome: meh) is warned too, in the same run.
    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-12-black-friday-push.md": BLACK_FRIDAY.format(outcome="mixed"),
        "postmortems/2026-12-black-friday-emea.md": BLACK_FRIDAY.format(outcome="meh").replace(
            "Black Friday push", "Black Friday EMEA"),
        # Its own event (two post-mortems of one event are a warning of their own).
        "postmortems/2026-11-cyber-week.md": BLACK_FRIDAY.format(outcome="loss").replace(
            "Black Friday push", "Cyber week"),
    })
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-12-05")
    # By hand: event_ended is on line 3 (line 1 is "---", line 2 the comment), its value after
    # "event_ended: " at column 14; the outcome of the second file on line 9, column 10.
    # 2026-11-cyber-week ended in November, as its name says: no warning.
    assert result.output.splitlines() == [
        "postmortems/2026-12-black-friday-emea.md:3:14  event_ended  warning: is 2026-11-28, "
        "but the file name says 2026-12 (rename the file to 2026-11-black-friday-emea.md, or "
        "correct event_ended:)",
        "postmortems/2026-12-black-friday-emea.md:9:10  outcome  must be one of win, loss, "
        'mixed (got "meh") (did you mean mixed?)',
        "postmortems/2026-12-black-friday-push.md:3:14  event_ended  warning: is 2026-11-28, "
        "but the file name says 2026-12 (rename the file to 2026-11-black-friday-push.md, or "
        "correct event_ended:)",
        "1 error, 2 warnings; 3 files checked",
    ]
    assert result.exit_code == 1


def test_a_post_mortem_drafted_before_its_event_ends_is_held_when_it_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafted on 2026-12-03 for an event ending 2026-12-20: refused with "--held is before
    --ended", an option never given. It is held on the 20th; a --held given before the end
    is still refused, naming both dates."""
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-12-03")
    root = event_kb(tmp_path / "kb", {})
    args = ["new", "postmortem", "--name", "Winter Summit", "--kind", "event", "--team",
            "marketing", "--ended", "2026-12-20", "--facilitator", "Mia Chen", "--root",
            str(root)]
    made = run_cli(*args)
    assert made.exit_code == 0, made.output
    text = (root / "postmortems" / "2026-12-winter-summit.md").read_text()
    assert "\nheld: 2026-12-20" in text, text
    (root / "postmortems" / "2026-12-winter-summit.md").unlink()
    refused = run_cli(*args, "--held", "2026-12-10")
    assert refused.exit_code == 2
    assert "--held 2026-12-10 is before --ended 2026-12-20" in refused.output, refused.output


def test_a_postmortem_drafts_examples_name_the_knowledge_bases_own_ids(tmp_path: Path) -> None:
    """A customer-success taxonomy files assumptions under capacity and buyer (no demand) and
    measures close-rate: the post-mortem draft's commented assumption and plan-vs-actual row
    use those, and uncommented they validate ("category: demand" was an unknown category)."""
    taxonomy = (FIXTURES / "taxonomy.yml").read_text(encoding="utf-8")
    taxonomy = taxonomy.replace("id: win-rate", "id: close-rate").replace(
        "label: Win rate", "label: Close rate").replace(
        "  - id: demand\n    title: Demand\n  - id: timeline\n    title: Timeline\n",
        "  - id: capacity\n    title: Capacity\n  - id: buyer\n    title: Buyer\n")
    (tmp_path / "other.yml").write_text(taxonomy, encoding="utf-8")
    root = make_kb(tmp_path / "kb", {}, taxonomy=tmp_path / "other.yml")
    result = run_cli("new", "postmortem", "--name", "Harbor renewal", "--kind", "other",
                     "--team", "sales", "--ended", "2026-10-20", "--held", "2026-10-25",
                     "--facilitator", "Ana Ruiz", "--root", str(root))
    assert result.exit_code == 0, result.output
    path = root / result.output.strip().splitlines()[-1]
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assumption = [line[2:] for line in lines if line.startswith((
        "#   - statement:", "#     category:", "#     held:", "#     note:"))]
    assert assumption[1].split("#")[0].rstrip() == "    category: capacity", assumption
    at = lines.index("plan_vs_actual:")
    row = [line[2:] for line in lines[at + 1:at + 5]]
    assert row[0] == '  - metric: "Close rate (enterprise)"', row
    row[1:3] = ["    goal: 0.3", "    actual: 0.25"]
    assert "#     what: It ended" in text and "Campaign closed" not in text
    filled = text.replace("\nassumptions:\n", "\nassumptions:\n" + "\n".join(assumption) + "\n")
    filled = filled.replace("\nplan_vs_actual:\n", "\nplan_vs_actual:\n" + "\n".join(row) + "\n")
    path.write_text(filled, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-01")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def _uncommented_from(text: str, first: str, count: int) -> tuple[str, int]:
    """``text`` with the ``count`` commented lines from the one starting ``first``
    uncommented (their "# " deleted, as the draft says), and that line's number."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    lines[at:at + count] = [line[2:] for line in lines[at:at + count]]
    return "\n".join(lines), at + 1


def test_a_goal_without_a_reading_is_left_to_fill_in_not_made_up(tmp_path: Path) -> None:
    """With no retro reading the enterprise win rate, the review draft's commented row on it
    offered `goal: 0.3`, and the post-mortem draft's `goal: 0.3, actual: 0.3`: numbers made up
    by unit, the taxonomy telling no win rate (near 0.3) from a retention (near 0.9), published
    as the plan once uncommented. The goal (and a post-mortem's actual) is now left empty with
    a comment saying what to write; uncommented and left so, validation refuses it at the
    field, saying what to write, and filled in, the draft validates."""
    root = make_kb(tmp_path / "kb", {})
    made = run_cli("new", "review", "--period", "2026-Q3", "--held", "2026-10-08",
                   "--facilitator", "Ana Ruiz", "--root", str(root))
    assert made.exit_code == 0, made.output
    review = root / "retros" / "2026-q3-review.md"
    text, at = _uncommented_from(review.read_text(encoding="utf-8"),
                            '#   - metric: "Win rate (enterprise)"', 5)
    said = "a share between 0 and 1: 30% is 0.3"
    assert text.split("\n")[at] == ("    goal:  # no retro gives a reading of it yet: write the "
                                     f"quarter's goal, as {said}"), text
    assert "0.3\n" not in text.split("goal:  #")[1].split("\n")[0]
    review.write_text(text, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-01")
    assert checked.exit_code == 1, checked.output
    assert (f"retros/2026-q3-review.md:{at + 1}:5  scorecard[1].goal  is empty: must be a "
            f"number (write what the plan said, as {said})") in checked.output, checked.output
    review.write_text(text.replace("    goal:  #", "    goal: 0.35  #"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-01")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output

    made = run_cli("new", "postmortem", "--name", "The Kestrel Loss", "--kind", "deal-lost",
                   "--team", "sales", "--ended", "2026-10-20", "--held", "2026-10-22",
                   "--facilitator", "Ana Ruiz", "--root", str(root))
    assert made.exit_code == 0, made.output
    postmortem = root / made.output.strip().splitlines()[-1]
    text, at = _uncommented_from(postmortem.read_text(encoding="utf-8"),
                            '#   - metric: "Win rate (enterprise)"', 4)
    assert text.split("\n")[at:at + 3] == [
        f"    goal:    # what the plan said, as {said}",
        "    actual:  # what happened, the same way", "    unit: rate"], text
    name = postmortem.relative_to(root).as_posix()
    for written, field in (("goal:    ", "goal"), ("goal: 0.3  ", "actual")):
        postmortem.write_text(text.replace("goal:    ", written), encoding="utf-8")
        checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-01")
        assert checked.exit_code == 1, checked.output
        line = at + (1 if field == "goal" else 2)
        what = "what the plan said" if field == "goal" else "what happened"
        assert (f"{name}:{line}:5  plan_vs_actual[0].{field}  is empty: must be a number "
                f"(write {what}, as {said})") in checked.output, checked.output
    postmortem.write_text(text.replace("goal:    ", "goal: 0.3  ").replace(
        "actual:  ", "actual: 0.2  "), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-01")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


SAMPLE_WORDS = ("integration-fit", "security-readiness", "enterprise", "tier-1", "demand",
                "timeline,", "Apollo", "Dana Ruiz", "routing", "mid-market", "icp-drift",
                "mql-to-sql", "{e.g.")
"""The sample's ids and names the drafts used to cite whatever the taxonomy (and the mark
an example is filled in at)."""


def _nordfjord(tmp_path: Path, taxonomy: str = NORDFJORD) -> Path:
    (tmp_path / "nordfjord.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", {}, taxonomy=tmp_path / "nordfjord.yml")


def _commented(text: str, starts: tuple[str, ...]) -> list[str]:
    """The commented example lines of a draft that start with one of ``starts``, uncommented."""
    return [line[2:] for line in text.splitlines() if line.startswith(starts)]


def test_drafts_for_another_company_cite_only_its_own_vocabulary(tmp_path: Path) -> None:
    """A deal post-mortem, a retro and a review drafted for Nordfjord: their examples name its
    reasons, causes, indicators and plan kinds, say where it has none (no indicator split by
    segment or icp-tier, no assumption categories) instead of citing the sample's
    enterprise, tier-1 and demand, and uncommented they validate."""
    root = _nordfjord(tmp_path)
    common = ["--facilitator", "Ola Nordmann", "--root", str(root)]
    made = [run_cli("new", "postmortem", "--name", "Contoso loss", "--kind", "deal-lost",
                    "--team", "field-sales", "--ended", "2026-06-10", "--held", "2026-06-12",
                    *common),
            run_cli("new", "retro", "--team", "inbound-sdr", "--period", "2026-05", "--held",
                    "2026-06-03", *common),
            run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08", *common)]
    assert all(result.exit_code == 0 for result in made), [r.output for r in made]
    postmortem, retro, review = (Path(r.output.strip().splitlines()[-1]).read_text(
        encoding="utf-8") for r in made)
    for text in (postmortem, retro, review):
        assert not [word for word in SAMPLE_WORDS if word in text], text

    assert ("  reasons: []  # The reasons the customer gave, as ids from reasons in "
            "taxonomy.yml (an alias works too), e.g. [local-support, roi-case].\n") in postmortem
    assert ("  segment: null  # The customer's segment: an id from the segments of the "
            "indicators split by the dimension deals.segment_by in taxonomy.yml names (segment "
            "unless it names another, such as region). No indicator in taxonomy.yml is split "
            "by segment: leave it null, or name a dimension your indicators are split by under "
            "deals.segment_by.\n") in postmortem
    assert "No indicator in taxonomy.yml is split by icp-tier: leave it null, or name" \
        in postmortem
    assert "# (taxonomy.yml has no assumption_categories, so an assumption names no " \
        "category:" in postmortem
    assumption = _commented(postmortem, ("#   - statement:", "#     held:", "#     note:"))
    assert len(assumption) == 3 and "#     category:" not in postmortem
    lesson = _commented(postmortem, ("#   - lesson:", "#     applies_to:"))
    assert lesson[-1] == "    applies_to: [deal]"
    assert "#   - cause: slow-first-touch\n" in retro and "#     indicator: meetings-booked\n" \
        in retro and "#     applies_to: [campaign]\n" in retro
    assert "#     owner: One person's name, not a team\n" in retro

    path = root / "postmortems" / "2026-06-contoso-loss.md"
    path.write_text(postmortem.replace("\nassumptions:\n", "\nassumptions:\n" + "\n".join(
        assumption) + "\n").replace("\nlessons:\n", "\nlessons:\n" + "\n".join(lesson) + "\n")
        .replace("  reasons: []", "  reasons: [local-support, roi-case]"), encoding="utf-8")
    retro_path = root / "retros" / "2026-05-inbound-sdr.md"
    action = _commented(retro, ("#   - id:", "#     title:", "#     owner:", "#     due:",
                                "#     cause:", "#     indicator:"))
    retro_lesson = _commented(retro, ("#   - lesson:", "#     applies_to:"))
    retro_path.write_text(retro.replace("\nactions:\n", "\nactions:\n" + "\n".join(action) + "\n")
                          .replace("\nlessons:\n", "\nlessons:\n" + "\n".join(retro_lesson)
                                   + "\n"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-10")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def test_a_deal_draft_says_the_taxonomy_has_no_reasons_and_cites_none(tmp_path: Path) -> None:
    root = _nordfjord(tmp_path, NORDFJORD.split("reasons:\n")[0])
    made = run_cli("new", "postmortem", "--name", "Fjell win", "--kind", "deal-won", "--team",
                   "field-sales", "--ended", "2026-06-10", "--held", "2026-06-12",
                   "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    text = (root / "postmortems" / "2026-06-fjell-win.md").read_text(encoding="utf-8")
    assert ("(an alias works too). taxonomy.yml has none yet: add them there to cite one.\n"
            in text), text
    assert not [word for word in SAMPLE_WORDS if word in text]


def test_a_kind_whose_plan_kind_the_taxonomy_lacks_is_refused_with_the_kinds_it_has(
        tmp_path: Path) -> None:
    """Nordfjord plans no events: an event post-mortem was drafted without a word, its example
    lesson applying to [event] (an unknown plan kind once uncommented) and its lessons
    reaching no checklist. It is refused, naming Nordfjord's plan kinds; with --plan-kind it
    is drafted, and its example lesson applies to that kind."""
    root = _nordfjord(tmp_path)
    args = ["new", "postmortem", "--name", "Hamburg fair", "--kind", "event", "--team",
            "field-sales", "--ended", "2026-06-10", "--held", "2026-06-12", "--facilitator",
            "Ola Nordmann", "--root", str(root)]
    refused = run_cli(*args)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert refused.output == (
        "error: --kind event informs the plan kind event, which taxonomy.yml does not have (its "
        "plan kinds are campaign, deal and partner-program; give the one it informs with "
        "--plan-kind, e.g. --plan-kind campaign, or add event to plan_kinds in taxonomy.yml)\n")
    assert not (root / "postmortems").exists()
    made = run_cli(*args, "--plan-kind", "partner-program")
    assert made.exit_code == 0, made.output
    text = (root / "postmortems" / "2026-06-hamburg-fair.md").read_text(encoding="utf-8")
    assert "plan_kind: partner-program  #" in text
    assert "#     applies_to: [partner-program]\n" in text and "[event]" not in text
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0 and "reach no checklist" not in checked.output, checked.output


def test_a_deal_draft_s_segment_example_follows_the_dimension_deals_names(
        tmp_path: Path) -> None:
    """Nordfjord files deals by region (`deals: {segment_by: region}`): its deal draft's
    segment example is a region (`dach`), as validation takes it, not "no indicator is split
    by segment: leave it null"."""
    root = _nordfjord(tmp_path)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "deals:\n  segment_by: region\n",
                        encoding="utf-8")
    made = run_cli("new", "postmortem", "--name", "Contoso loss", "--kind", "deal-lost",
                   "--team", "field-sales", "--ended", "2026-06-10", "--held", "2026-06-12",
                   "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    text = Path(made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("  segment: null"))
    assert line.endswith("such as region), e.g. dach."), line


def _event(name: str, held: str, lesson: str, action_due: str | None = None) -> str:
    """A trade-show post-mortem (a lesson, a failed assumption, maybe an open action)."""
    action = (f"actions:\n  - id: EV-{held[:7]}-1\n    title: Book the stand crew for {name}\n"
              f"    owner: Ines Roth\n    due: {action_due}\n" if action_due else "")
    return (f"---\ntype: postmortem\nname: {name}\nkind: event\noutcome: mixed\n"
            f"summary: How {name} went.\nteam: marketing\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: Ines Roth\nassumptions:\n  - statement: The {name} hall would be full.\n"
            f"    held: false\n    note: Half the stands were empty.\n{action}"
            f"lessons:\n  - lesson: \"{lesson}\"\n    applies_to: [event]\n---\n\n# {name}\n")


def test_new_postmortem_briefing_is_as_it_stood_on_the_as_of_day(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Drafted as of 2025-07-01, the "Before you start" block listed a lesson of a record held
    # 2026-11-25 and an action that record raised: nothing anyone knew that day.
    root = event_kb(tmp_path / "kb", {
        "postmortems/2025-05-the-spring-fair.md": _event(
            "Spring Fair", "2025-05-20", "Ship the stand two weeks early."),
        "postmortems/2026-11-the-winter-expo.md": _event(
            "Winter Expo", "2026-11-25", "Print badges on site, never in advance.",
            action_due="2026-12-15"),
    })
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2025-07-01")
    result = run_cli("new", "postmortem", "--name", "Summer Summit", "--kind", "event",
                     "--team", "marketing", "--ended", "2025-06-28", "--held", "2025-07-01",
                     "--facilitator", "Ines Roth", "--root", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "postmortems" / "2025-06-summer-summit.md").read_text()
    block = text[text.index("# Before you start"):text.index("\ntype: postmortem")]
    assert "Ship the stand two weeks early. (learned in Spring Fair, held 2025-05-20)" in block
    assert "The Spring Fair hall would be full." in block
    assert "Winter Expo" not in block and "Print badges" not in block
    assert "EV-2026-11-1" not in block and "Still open" not in block


@pytest.mark.parametrize(
    ("args", "saved_as"),
    [
        (["retro", "--team", "marketing", "--period", "2026-03", "--held", "2026-04-02"],
         "retros/Marketing retro March.md"),
        (["review", "--period", "2026-Q1", "--team", "sales", "--held", "2026-04-08"],
         "retros/Sales QBR.md"),
        # A name of letters with no ASCII form: its file has a short hash of the name.
        (["postmortem", "--name", "東京ビッグサイト展示会", "--kind", "campaign", "--team", "marketing",
          "--ended", "2026-03-20", "--held", "2026-03-27"], "postmortems/Tokyo Big Sight.md"),
    ],
    ids=["retro", "team-review", "postmortem-non-latin-name"],
)
def test_a_record_saved_under_another_name_is_told_the_name_new_gives_it(
    tmp_path: Path, args: list[str], saved_as: str
) -> None:
    # The hint named the file as its name written as an id ("marketing-retro-march.md",
    # "tokyo-big-sight.md"): not the team's month, so the next retro of the month sat beside it.
    root = make_kb(tmp_path / "kb", {})
    made = run_cli("new", *args, "--facilitator", "Mia Chen", "--root", str(root))
    assert made.exit_code == 0, made.output
    written = next(p for p in root.rglob("*.md"))
    written.rename(root / saved_as)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-04-15")
    assert result.exit_code == 1
    assert (f"{saved_as}:1:1  id  file name \"{Path(saved_as).stem}\" is not a safe record id "
            f"(rename it {written.name}, the name ") in result.output, result.output


def test_a_reviews_annual_goals_are_drafted_and_published_in_their_own_section(
        tmp_path: Path) -> None:
    """A review's ``annual_goals`` was accepted and then published nowhere: not on its page,
    not in search; and ``new review`` did not offer it. Nordfjord's team review, in euros:
    the draft offers it commented out; uncommented as it stands it validates, with a warning
    that it is the draft's example; written, a strict MkDocs build shows it under its own
    heading after the scorecard, and search finds the page by its words."""
    root = _nordfjord(tmp_path)
    made = run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08", "--team",
                   "field-sales", "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    path = root / "retros" / "2026-q2-field-sales-review.md"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.startswith("# annual_goals: ")]
    assert lines[at - 1] == ("# How the quarter ties back to the year's goals. Its own section "
                             "on the page; for example:"), lines[at - 1]
    assert lines[at - 2].startswith("external_factors: []"), lines[at - 2]

    lines[at] = lines[at][2:]  # uncommented as the draft offers it
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    assert (f"retros/2026-q2-field-sales-review.md:{at + 1}:15  annual_goals  warning: is the "
            "draft's example, which would be published as where the year stands (write how "
            "the quarter ties back to the year's goals, or leave annual_goals out; the "
            "pull-request check refuses it while it stands)"
            ) in checked.output, checked.output

    goals = ("Halbjahr: 1,9 Mio. € neuer ARR gegen 2,1 Mio. € geplant. The second half needs "
             "Nordics partner deals to close the gap.")
    lines[at] = f"annual_goals: {json.dumps(goals, ensure_ascii=False)}"
    written = "\n".join(lines) + "\n"
    written = written.replace("goal: 1\n    actual: 1\n", "goal: 900000\n    actual: 870000\n")
    written = written.replace(
        "What the quarter taught us, why each big variance happened, and what changes next "
        "quarter.", "DACH carried the quarter; the Nordics slipped.")
    path.write_text(written, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15", "--strict")
    assert checked.exit_code == 0, checked.output

    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, "2026-07-15")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "records" / "2026-q2-field-sales-review" / "index.html").read_text(
        encoding="utf-8")
    assert re.search(r'<h2 id="annual-goals"[^>]*>Annual goals', page), page
    section = page.split('<h2 id="annual-goals"', 1)[1].split(">", 1)[1].split("<h2", 1)[0]
    assert "<p>Halbjahr: 1,9 Mio. € neuer ARR gegen 2,1 Mio. € geplant. The second half needs " \
        "Nordics partner deals to close the gap.</p>" in section, section
    # After the scorecard, as the quarter's plan against actual leads to the year's.
    assert page.index('id="scorecard"') < page.index('id="annual-goals"')
    found = search_pages(project / "site")["records/2026-q2-field-sales-review/"]
    assert "Nordics partner deals to close the gap" in found["content"], found["content"]


def _examples(text: str) -> list[list[int]]:
    """The 0-based lines of each commented example in a draft's front matter after ``type:``
    (a draft's briefing above it is prose): runs of ``#   …`` lines, one example per item or
    reading (a line as indented as the run's first starts the next)."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("type:"))
    end = lines.index("---", start)
    found: list[list[int]] = []
    for i in range(start, end):
        if not lines[i].startswith("#  "):
            continue
        indent = len(lines[i]) - len(lines[i].lstrip("# "))
        if found and found[-1][-1] == i - 1 and indent > found[-1][0]:
            found[-1].append(i)
        else:
            found.append([indent, i])
    return [example[1:] for example in found]


def _uncommented(text: str, lines: list[int]) -> str:
    """``text`` with the leading "# " of ``lines`` deleted, as a person uncomments them."""
    written = text.split("\n")
    for i in lines:
        written[i] = written[i][2:]
    return "\n".join(written)


@pytest.mark.parametrize("draft", ["retro", "review", "postmortem", "deal", "prep", "nordfjord"])
def test_every_commented_example_is_valid_where_it_stands_once_uncommented(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, draft: str) -> None:
    """Each example sat above its field: uncommented where it stood, the action example went
    under `causes: []` ("indented 2 spaces, deeper than 'causes'"), and the hint's fix gave
    six errors more. Now each sits under its field, whose key has no `[]`, and deleting the
    "# " of its lines alone gives a record that validates."""
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-12-03")
    common = ["--facilitator", "Mia Chen"]
    if draft == "nordfjord":  # another company: indicators by region, plan kinds of its own
        root = _nordfjord(tmp_path)
        args = ["new", "postmortem", "--name", "Contoso loss", "--kind", "deal-lost", "--team",
                "field-sales", "--ended", "2026-11-10", "--held", "2026-11-12"]
    else:
        from conftest import copy_sample

        root = copy_sample(tmp_path / "kb")
        args = {"retro": ["new", "retro", "--team", "sales", "--period", "2026-11"],
                "review": ["new", "review", "--period", "2026-Q4", "--held", "2027-01-06"],
                "postmortem": ["new", "postmortem", "--name", "Winter push", "--kind",
                               "campaign", "--team", "marketing", "--ended", "2026-11-30"],
                "deal": ["new", "postmortem", "--name", "Acme", "--kind", "deal-lost",
                         "--team", "sales", "--ended", "2026-11-30"],
                "prep": ["prep", "--team", "sales", "--period", "2026-11"]}[draft]
    made = run_cli(*args, *common, "--root", str(root))
    assert made.exit_code == 0, made.output
    path = Path(made.output.strip().splitlines()[-1])
    text = path.read_text(encoding="utf-8")
    examples = _examples(text)
    assert len(examples) >= {"retro": 6, "prep": 7, "review": 3}.get(draft, 4), text
    for example in examples:
        path.write_text(_uncommented(text, example), encoding="utf-8")
        checked = run_cli("validate", "--root", str(root), "--format", "json")
        errors = [p for p in json.loads(checked.stdout)["problems"]
                  if p["severity"] == "error"
                  # The retro's update examples name last month's actions 2 and 3 by the
                  # custom, which need not exist: the one error they may give is that.
                  and not (draft == "retro" and p["field"].startswith("action_updates[")
                           and p["message"].startswith("no action"))
                  # A goal no reading gives is left to fill in, and refused until it is
                  # (test_a_goal_without_a_reading_is_left_to_fill_in_not_made_up).
                  and not (p["field"].endswith("].goal")
                           and p["message"] == "is empty: must be a number")]
        assert not errors, ("\n".join(text.split("\n")[i] for i in example), errors)
    path.write_text(text, encoding="utf-8")


def test_items_under_a_key_that_says_empty_are_told_to_delete_its_brackets(
        tmp_path: Path) -> None:
    """Items written under `went_well: []` were "a list item where a field was expected" and
    under `causes: []` "remove the value of 'causes'": neither named the `[]` to delete. A
    good/bad/ugly retro, its lists at two depths."""
    head = ("---\ntype: retro\nperiod: 2026-05\nteam: sales\nheld: 2026-06-03\n"
            "facilitator: Mia Chen\nformat: good-bad-ugly\n")
    def retro(month: str, lists: str) -> str:
        return head.replace("2026-05", month) + lists + "---\n\nText.\n"

    root = make_kb(tmp_path, {
        "retros/2026-05-sales.md": retro("2026-05", "good: []\n- The webinar filled up\n"),
        "retros/2026-04-sales.md": retro("2026-04", "ugly: []  # the thorny issues\n  - Churn\n"),
        "retros/2026-03-sales.md": retro("2026-03", "causes: []\n  - cause: icp-drift\n"
                                         "    whys: [Churn rose]\n"),
    })
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 1
    assert ("retros/2026-04-sales.md:9:3  ugly  a list item under 'ugly', which already says "
            "it is empty ([]) (delete the [] after `ugly:`)" in checked.output), checked.output
    assert ("retros/2026-03-sales.md:9:3  causes  this list item is indented 2 spaces, under "
            "'causes', which already says it is empty ([]) (delete the [] after `causes:`)"
            in checked.output), checked.output
    assert ("retros/2026-05-sales.md:9:1  good  a list item under 'good', which already says "
            "it is empty ([]) (delete the [] after `good:`)" in checked.output), checked.output
    for rel in ("retros/2026-03-sales.md", "retros/2026-04-sales.md",
                "retros/2026-05-sales.md"):  # as the hints say
        path = root / rel
        path.write_text(path.read_text().replace(": []", ":"))
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0, checked.output


def test_the_team_prompt_lists_the_teams_and_takes_a_name_as_written(tmp_path: Path) -> None:
    """"Team id:" listed no team until a wrong answer; `Sales`, the team's name, was refused
    ("did you mean sales?"); `November 2026` got "Error: --period must be…", an option the
    person at the prompt never typed. Another company's teams: a name unlike its id."""
    root = _nordfjord(tmp_path)
    # As flags, by name in any case, as prep's team column reads them.
    made = run_cli("new", "retro", "--team", "Field Sales", "--period", "Oct 2026",
                   "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    assert made.output.strip().endswith("retros/2026-10-field-sales.md")
    text = _at_a_terminal(root, ["new", "retro", "--facilitator", "Ola Nordmann"],
                          b"INBOUND sdr\n2026-13\nNovember 2026\n", as_of="2026-12-03")
    assert text.count("Team (Inbound SDR, Field sales):") == 1, text
    assert "unknown team" not in text
    assert 'Error: the answer must be a month like 2026-05 (got "2026-13")' in text, text
    assert "--period" not in text
    assert (root / "retros" / "2026-11-inbound-sdr.md").is_file()


def test_a_drafts_prompts_left_fail_the_pull_request_check(tmp_path: Path) -> None:
    """An untouched draft passed the pull-request check (`validate --changed-since`, which
    warnings do not fail) and "Write the story of the month here…" was published. Each prompt
    left is now an error there, naming it and what to write; elsewhere it stays a warning,
    and a record merged before with one is not the change's error. Another company's deal
    post-mortem, with its customer and why still the draft's."""
    from gittools import commit_all, git, init

    root = _nordfjord(tmp_path)
    init(root)
    made = run_cli("new", "retro", "--team", "inbound-sdr", "--period", "2026-05", "--held",
                   "2026-06-03", "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    commit_all(root, "May's retro, its story never written", "Ola Nordmann",
               "2026-06-03T10:00:00+00:00")
    git(root, "checkout", "-q", "-b", "contoso")
    made = run_cli("new", "postmortem", "--name", "Contoso loss", "--kind", "deal-lost",
                   "--team", "field-sales", "--ended", "2026-06-10", "--held", "2026-06-12",
                   "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    path = root / "postmortems" / "2026-06-contoso-loss.md"
    draft = path.read_text(encoding="utf-8")
    commit_all(root, "Contoso", "Ola Nordmann", "2026-06-12T10:00:00+00:00")

    checked = run_cli("validate", "--changed-since", "main", "--root", str(root), "--as-of",
                      "2026-06-15", "--format", "json")
    assert checked.exit_code == 1, checked.output
    report = json.loads(checked.stdout)
    errors = [(p["path"], p["field"], p["message"], p["hint"]) for p in report["problems"]
              if p["severity"] == "error"]
    left = "the pull-request check refuses it while it stands"
    assert errors == [
        (path.relative_to(root).as_posix(), "summary",
         "still holds the draft's prompt ('One or two sentences on what happened in Contoso "
         "loss.'), which would be published as written",
         f"write two or three sentences: what happened and what it means; {left}"),
        (path.relative_to(root).as_posix(), "deal.customer",
         "still holds the draft's prompt (\"The customer's name\"), which would be published "
         "as written", f"write the customer's name; {left}"),
        (path.relative_to(root).as_posix(), "deal.why",
         "still holds the draft's prompt (\"In the customer's words: why they chose us, or "
         "did not.\"), which would be published as written",
         f"write why the customer chose us, or did not, in their words; {left}"),
        (path.relative_to(root).as_posix(), "body",
         "still holds the draft's prompt ('Facts first: what happened, in order, and the "
         "numbers. …'), which would be published as written",
         "write what happened, in order, with the numbers; then what went well and what did "
         f"not; {left}"),
    ], errors
    assert report["summary"]["errors_elsewhere"] == 0  # May's story is not this change's
    # While the draft is written, they are warnings: serve, prep and recall work on it.
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-06-15").exit_code == 0

    path.write_text(draft.replace("One or two sentences on what happened in Contoso loss.",
                                  "Contoso chose a local vendor.")
                    .replace("The customer's name", "Contoso")
                    .replace("In the customer's words: why they chose us, or did not.",
                             "Support in their time zone.")
                    .replace("Facts first: what happened, in order, and the numbers.",
                             "We lost on support hours."), encoding="utf-8")
    commit_all(root, "Contoso, written", "Ola Nordmann", "2026-06-12T11:00:00+00:00")
    checked = run_cli("validate", "--changed-since", "main", "--root", str(root), "--as-of",
                      "2026-06-15")
    assert checked.exit_code == 0, checked.output


def test_a_reviews_example_annual_goals_fails_the_pull_request_check(tmp_path: Path) -> None:
    """The example `annual_goals` a new review offers, uncommented as written, is a draft's
    prompt like the others: a warning while the review is written, an error in the change
    checked for merging."""
    from gittools import commit_all, git, init

    root = _nordfjord(tmp_path)
    init(root)
    commit_all(root, "The knowledge base", "Ola Nordmann", "2026-07-01T10:00:00+00:00")
    git(root, "checkout", "-q", "-b", "q2-review")
    made = run_cli("new", "review", "--period", "2026-Q2", "--held", "2026-07-08", "--team",
                   "Field Sales", "--facilitator", "Ola Nordmann", "--root", str(root))
    assert made.exit_code == 0, made.output
    path = root / "retros" / "2026-q2-field-sales-review.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    (at,) = [i for i, line in enumerate(lines) if line.startswith("# annual_goals: ")]
    lines[at] = lines[at][2:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    commit_all(root, "Q2 review", "Ola Nordmann", "2026-07-08T10:00:00+00:00")

    assert run_cli("validate", "--root", str(root), "--as-of", "2026-07-15").exit_code == 0
    checked = run_cli("validate", "--changed-since", "main", "--root", str(root), "--as-of",
                      "2026-07-15", "--format", "json")
    assert checked.exit_code == 1, checked.output
    errors = [(p["field"], p["line"], p["message"], p["hint"])
              for p in json.loads(checked.stdout)["problems"] if p["severity"] == "error"]
    assert ("annual_goals", at + 1, "is the draft's example, which would be published as where "
            "the year stands", "write how the quarter ties back to the year's goals, or leave "
            "annual_goals out; the pull-request check refuses it while it stands") in errors, \
        errors


def test_new_postmortem_briefing_counts_the_failed_assumptions_it_leaves_out(
        tmp_path: Path) -> None:
    # 4 lessons and 4 failed assumptions: the block showed 3 and 2, then "…and 1 more lesson on
    # the checklist", the 2 failed assumptions left out unsaid.
    def campaign(slug: str, ended: str, lesson: str, failed: list[str]) -> str:
        rows = "".join(f"  - statement: '{s}'\n    held: false\n" for s in failed)
        return (f"---\ntype: postmortem\nname: {slug.title()}\nkind: campaign\noutcome: loss\n"
                f"summary: ROAS 1.4 against 3.0.\nteam: marketing\nevent_ended: {ended}\n"
                f"held: {ended}\nkeeper: Lena\nassumptions:\n{rows}"
                f"lessons:\n  - lesson: '{lesson}'\n    applies_to: [campaign]\n---\n\n# {slug}\n")

    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-01-q1-paid.md": campaign("q1-paid", "2026-01-30", "Cap CPC at $4.",
                                                   ["CPC stays under $4.", "CTR reaches 2%."]),
        "postmortems/2026-02-q1-email.md": campaign("q1-email", "2026-02-27",
                                                    "Clean the list before a 20% offer.",
                                                    ["Bounce rate under 1%."]),
        "postmortems/2026-03-q1-social.md": campaign("q1-social", "2026-03-30",
                                                     "Budget €5k for creative tests.",
                                                     ["€12k buys 600 MQLs."]),
        "postmortems/2026-04-q2-paid.md": campaign("q2-paid", "2026-04-29",
                                                   "Pause ads under 1.5 ROAS.", []),
    })
    result = run_cli("new", "postmortem", "--name", "Q2 Email", "--kind", "campaign", "--team",
                     "marketing", "--ended", "2026-05-29", "--held", "2026-06-02",
                     "--facilitator", "Lena", "--root", str(root))
    assert result.exit_code == 0, result.output
    text = (root / "postmortems" / "2026-05-q2-email.md").read_text()
    block = text[text.index("# Before you start"):text.index("\ntype: postmortem")]
    assert block.count("We assumed:") == 2
    assert ("#   …and 1 more lesson and 2 more failed assumptions on the checklist."
            in block), block


HARBOR = """\
company: Harbor Cloud
causes:
  - id: onboarding-stall
    title: Onboarding stalls after kickoff
    description: Implementation waits on the customer's data team.
indicators:
  - id: pipeline
    label: Pipeline
    unit: usd
    better: up
  - id: win-rate
    label: Win rate
    unit: rate
    better: up
    segment_by: segment
    segments: [smb, enterprise]
  - id: grr
    label: Gross revenue retention
    unit: rate
    better: up
    segment_by: segment
    segments: [smb, mid, enterprise]
  - id: logo-churn
    label: Logo churn
    unit: rate
    better: down
  - id: onboarding-days
    label: Days to onboard
    unit: days
    better: down
teams:
  - id: sales
    name: Sales
  - id: customer-success
    name: Customer Success
plan_kinds:
  - id: renewal
    title: Renewals
"""
"""A company whose taxonomy lists the sales team's pipeline and win rate first, and whose
Customer Success team reports retention by segment and logo churn, never those: unlike the
sample, where each team's indicators come first for it."""


def _cs_retro(period: str, held: str, indicators: str) -> str:
    """A Customer Success retro of ``period`` giving ``indicators`` (YAML lines)."""
    return (f"---\ntype: retro\nperiod: {period}\nteam: customer-success\nheld: {held}\n"
            f"facilitator: Ines Park\nformat: went-well-didnt\nindicators:\n{indicators}"
            "went_well: [Renewals closed early]\ndidnt_go_well: []\n---\n\nRenewals.\n")


def _harbor(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """Harbor's knowledge base: Customer Success's August and September retros, with
    ``files`` added or in their place."""
    (tmp_path / "harbor.yml").write_text(HARBOR, encoding="utf-8")
    records = {
        "retros/2026-08-customer-success.md": _cs_retro(
            "2026-08", "2026-09-03",
            '  grr: {smb: "41/50", mid: "18/20", enterprise: "9/10"}\n  logo-churn: 0.04\n'),
        "retros/2026-09-customer-success.md": _cs_retro(
            "2026-09", "2026-10-02",
            '  grr: {smb: "44/52", mid: "17/20", enterprise: }\n  logo-churn: "3/61"\n'),
    }
    return make_kb(tmp_path / "kb", {**records, **(files or {})},
                   taxonomy=tmp_path / "harbor.yml")


def _reading_lines(text: str) -> list[str]:
    """The commented example lines under a draft's ``indicators:``."""
    lines = text.split("\n")
    at = lines.index("indicators:")
    return [line for line in lines[at + 1:] if line.startswith("#   ")][:2] \
        if lines[at + 1].startswith("#   ") else []


def test_new_retro_offers_the_team_s_own_indicators(tmp_path: Path) -> None:
    """`new retro` offered every team the taxonomy's first indicators as its example readings:
    Harbor's Customer Success team, which reports retention and logo churn, was offered
    `pipeline` and `win-rate`, the sales team's. It offers the indicators the team gave in its
    latest month now, as `prep` does; a team with no retro yet, the taxonomy's first."""
    root = _harbor(tmp_path)
    common = ["--facilitator", "Ines Park", "--root", str(root)]
    made = run_cli("new", "retro", "--team", "Customer Success", "--period", "2026-10",
                   "--held", "2026-11-03", *common)
    assert made.exit_code == 0, made.output
    lines = _reading_lines((root / "retros" / "2026-10-customer-success.md").read_text())
    assert [line.split(":")[0] for line in lines] == ["#   grr", "#   logo-churn"], lines
    made = run_cli("new", "retro", "--team", "sales", "--period", "2026-10",
                   "--held", "2026-11-03", *common)
    assert made.exit_code == 0, made.output
    lines = _reading_lines((root / "retros" / "2026-10-sales.md").read_text())
    assert [line.split(":")[0] for line in lines] == ["#   pipeline", "#   win-rate"], lines


RATE_AS = 'a share between 0 and 1 (30% is 0.3) or its counts, "18/52"'
"""How a rate's reading is written, as the draft and validation say it."""


def _uncomment_readings(text: str) -> tuple[str, list[int]]:
    """``text`` with its example readings uncommented, and their 1-based line numbers."""
    lines = text.split("\n")
    at = lines.index("indicators:")
    found = []
    for i in range(at + 1, len(lines)):
        if not lines[i].startswith("#   "):
            break
        lines[i] = lines[i][2:]
        found.append(i + 1)
    return "\n".join(lines), found


@pytest.mark.parametrize("command", ["new", "prep"])
def test_example_readings_are_the_team_s_latest_or_refused_until_written(
        tmp_path: Path, command: str) -> None:
    """A retro draft's example readings were made up by unit, the same for every team:
    `"18/52"` for every segment of every rate (Customer Success's retention of 35%), `58` for
    every count; uncommented as written they validated and were published as the month's
    readings. Each is now the team's latest reading of it (Customer Success's September
    retention and churn, the comment naming the month), and where the team has none (a
    segment it left empty, a team with no retro yet) it is "?", which validation refuses at
    the reading, saying what to write, until it is written; filled in, the draft validates."""
    root = _harbor(tmp_path)
    common = ["--facilitator", "Ines Park", "--root", str(root)]
    args = (["new", "retro", "--held", "2026-11-03"] if command == "new"
            else ["prep", "--held", "2026-11-03", "--as-of", "2026-11-03"])
    made = run_cli(*args, "--team", "customer-success", "--period", "2026-10", *common)
    assert made.exit_code == 0, made.output
    path = root / "retros" / "2026-10-customer-success.md"
    text = path.read_text(encoding="utf-8")
    assert _reading_lines(text) == [
        '#   grr: {smb: "44/52", mid: "17/20", enterprise: "?"}', '#   logo-churn: "3/61"'], text
    note = " ".join(line[2:] for line in text.split("\nindicators:\n")[0].split("\n")
                    if line.startswith("# ") and not line.startswith("# Leading"))
    assert ("The examples are the team's latest readings, of September 2026: write October "
            "2026's in their place. Each \"?\" is a reading to write, refused by validation "
            "until it is (for a segment with nothing to measure, delete the \"?\": no reading): Gross "
            f"revenue retention, {RATE_AS}. E.g.") in note, note
    uncommented, lines = _uncomment_readings(text)
    path.write_text(uncommented, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 1, checked.output
    errors = [line for line in checked.output.splitlines() if "error" not in line
              and line.startswith("retros/2026-10-customer-success.md") and "warning" not in line]
    assert errors == [
        f"retros/2026-10-customer-success.md:{lines[0]}:49  indicators.grr.enterprise  is \"?\", "
        f"the draft's stand-in for a reading (write the reading, as {RATE_AS}; with nothing to "
        "measure this month, delete it: no reading)"], checked.output
    path.write_text(uncommented.replace('enterprise: "?"', 'enterprise: "8/9"'),
                    encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    path.unlink()

    # A team with no retro yet: the taxonomy's first indicators, every value to write.
    made = run_cli(*args, "--team", "sales", "--period", "2026-10", *common)
    assert made.exit_code == 0, made.output
    path = root / "retros" / "2026-10-sales.md"
    text = path.read_text(encoding="utf-8")
    assert _reading_lines(text) == ['#   pipeline: "?"',
                                     '#   win-rate: {smb: "?", enterprise: "?"}'], text
    assert "The examples are" not in text
    uncommented, lines = _uncomment_readings(text)
    path.write_text(uncommented, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 1, checked.output
    assert (f"retros/2026-10-sales.md:{lines[0]}:13  indicators.pipeline  is \"?\", the draft's "
            "stand-in for a reading (write the reading, as an amount in the currency "
            "taxonomy.yml names, in full: 42000, not 42k; or leave the indicator out)"
            ) in checked.output, checked.output
    assert f"retros/2026-10-sales.md:{lines[1]}:19  indicators.win-rate.smb  is \"?\"" \
        in checked.output, checked.output
    path.write_text(uncommented.replace('pipeline: "?"', "pipeline: 1250000")
                    .replace('smb: "?"', 'smb: "5/19"').replace('enterprise: "?"', "enterprise: "),
                    encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def _plan_vs_actual(text: str) -> str:
    """The draft's commented example row under ``plan_vs_actual:`` (its first line)."""
    lines = text.split("\n")
    return lines[lines.index("plan_vs_actual:") + 1]


def test_a_renewal_post_mortem_s_example_row_is_of_retention(tmp_path: Path) -> None:
    """A lost renewal's draft offered the taxonomy's first rate split by segment as its
    example plan-vs-actual row: Harbor's `--plan-kind renewal` post-mortem read
    `"Win rate (enterprise)"`, which says nothing of a renewal. A post-mortem informing a plan
    kind of renewals (by its name, or `renewal: true` on one named otherwise) now offers an
    indicator that speaks of them (gross revenue retention, its goal Customer Success's
    latest enterprise reading, 9/10), and uncommented it validates; another post-mortem, and
    a renewal where the taxonomy has no such indicator, keep the win rate."""
    root = _harbor(tmp_path)
    common = ["--team", "customer-success", "--ended", "2026-10-09", "--held", "2026-10-12",
              "--facilitator", "Ines Park", "--root", str(root)]
    made = run_cli("new", "postmortem", "--name", "The Fernhill loss", "--kind", "deal-lost",
                   "--plan-kind", "renewal", *common)
    assert made.exit_code == 0, made.output
    path = root / made.output.strip().splitlines()[-1]
    text = path.read_text(encoding="utf-8")
    assert _plan_vs_actual(text) == ('#   - {metric: "Gross revenue retention (enterprise)", '
                                     "goal: 0.9, actual: 0.9, unit: rate}"), text
    path.write_text(text.replace(_plan_vs_actual(text), _plan_vs_actual(text)[2:].replace(
        "actual: 0.9", "actual: 0.8")), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-10-20")
    # The draft's prompts (summary, customer) are warnings; the row is no error.
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    assert "plan_vs_actual" not in checked.output, checked.output

    made = run_cli("new", "postmortem", "--name", "Onboarding week", "--kind", "other", *common)
    assert made.exit_code == 0, made.output
    text = (root / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _plan_vs_actual(text) == '#   - metric: "Win rate (enterprise)"', text

    # A plan kind of renewals named otherwise, and a renewal rate named as such, unsegmented.
    (tmp_path / "keep.yml").write_text(
        HARBOR.replace("  - id: renewal\n    title: Renewals\n",
                       "  - id: keep-and-grow\n    title: Keep & grow\n    renewal: true\n")
        .replace("  - id: onboarding-days\n", "  - id: on-time\n    label: Renewed on time\n"
                 "    unit: rate\n    better: up\n  - id: onboarding-days\n")
        .replace("  - id: grr\n    label: Gross revenue retention\n", "  - id: gross\n"
                 "    label: Kept revenue\n")
        .replace("  - id: logo-churn\n    label: Logo churn\n", "  - id: lost\n"
                 "    label: Logos lost\n"), encoding="utf-8")
    other = make_kb(tmp_path / "keep", {}, taxonomy=tmp_path / "keep.yml")
    common[-1] = str(other)
    made = run_cli("new", "postmortem", "--name", "Alder downgrade", "--kind", "deal-won",
                   "--plan-kind", "keep-and-grow", *common)
    assert made.exit_code == 0, made.output
    text = (other / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _plan_vs_actual(text) == '#   - metric: "Renewed on time"', text

    # No indicator speaks of renewals: the first rate split by segment, as before.
    (tmp_path / "plain.yml").write_text(
        (FIXTURES / "taxonomy.yml").read_text(encoding="utf-8").replace(
            "plan_kinds:\n", "plan_kinds:\n  - id: renewal\n    title: Contract renewals\n"),
        encoding="utf-8")
    plain = make_kb(tmp_path / "plain", {}, taxonomy=tmp_path / "plain.yml")
    made = run_cli("new", "postmortem", "--name", "Birch renewal", "--kind", "deal-lost",
                   "--plan-kind", "renewal", "--team", "sales", "--ended", "2026-10-09",
                   "--held", "2026-10-12", "--facilitator", "Ines Park", "--root", str(plain))
    assert made.exit_code == 0, made.output
    text = (plain / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _plan_vs_actual(text) == '#   - metric: "Win rate (enterprise)"', text


def _indicator_row(text: str) -> list[str]:
    """A review draft's commented example of a row naming an indicator: its metric, goal,
    indicator and segment lines."""
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("#   - metric:")
              and any(lines[k].startswith("#     indicator:") for k in range(n + 1, n + 5)))
    return [lines[at]] + [line for line in lines[at + 1:at + 6]
                          if line.startswith(("#     indicator:", "#     segment:"))]


def test_a_team_review_offers_a_row_of_an_indicator_the_team_reports(tmp_path: Path) -> None:
    """Customer Success's own review offered the company's first rate split by segment, the
    sales team's win rate, which the team never reports; it offers retention, which it does.
    A company review keeps the win rate; retired before the quarter, the win rate is offered
    to no review of it."""
    root = _harbor(tmp_path)
    common = ["--period", "2026-Q3", "--held", "2026-10-12", "--facilitator", "Ines Park",
              "--root", str(root)]
    made = run_cli("new", "review", "--team", "customer-success", *common)
    assert made.exit_code == 0, made.output
    text = (root / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _indicator_row(text) == ['#   - metric: "Gross revenue retention (enterprise)"',
                                    "#     indicator: grr", "#     segment: enterprise"], text

    made = run_cli("new", "review", *common)
    assert made.exit_code == 0, made.output
    text = (root / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _indicator_row(text)[1] == "#     indicator: win-rate", text

    (tmp_path / "retired.yml").write_text(HARBOR.replace(
        "    segments: [smb, enterprise]\n", "    segments: [smb, enterprise]\n"
        "    retired: 2026-03\n"), encoding="utf-8")
    later = make_kb(tmp_path / "retired", {}, taxonomy=tmp_path / "retired.yml")
    made = run_cli("new", "review", *common[:-1], str(later))
    assert made.exit_code == 0, made.output
    text = (later / made.output.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert _indicator_row(text)[1] == "#     indicator: grr", text
