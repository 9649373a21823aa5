"""``hindsight recall``: what the knowledge base already says about a record, on the sample, on
a small hand-worked knowledge base, and in a real git repository."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import (
    CARDS_TO_CRM,
    FIXTURES,
    QUOTE_FLOW,
    REPO,
    THANKS_FROM_CRM,
    event_kb,
    event_postmortem,
    make_kb,
    run_cli,
)
from generator.analysis.recall import RecallReport
from generator.analysis.similarity import LESSON_SIMILARITY, same_lesson, similarity, words
from generator.commands.cli import main
from generator.records.validate import check
from gittools import commit_all, init

AS_OF = "2026-12-03"
SCHEMA = REPO / "docs" / "schemas" / "recall.schema.json"

NEW_POSTMORTEM = """---
type: postmortem
name: The Harvest Campaign
kind: campaign
outcome: loss
summary: A mid-market campaign that filled the pipeline with accounts outside the ICP.
team: marketing
event_ended: 2026-11-16
held: 2026-11-20
keeper: Priya Raman
causes:
  - cause: icp-drift
    whys: [Most opportunities were tier-3, The list was built from an old export]
  - cause: sdr-ae-handoff
    whys: [Meetings from the campaign sat unaccepted for a week]
lessons:
  - lesson: "Check the target list against last quarter's closed-won accounts before the campaign launches."
    applies_to: [campaign]
  - lesson: "Write the campaign's exit criteria before the first email goes out."
    applies_to: [campaign]
---

The Harvest Campaign, in order.
"""


def _sample(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    root.mkdir()
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _recall_json(root: Path, *args: str, as_of: str = AS_OF) -> dict[str, Any]:
    result = run_cli("recall", *args, "--root", str(root), "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def test_a_new_postmortem_hears_the_causes_history_open_actions_and_repeated_lessons(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    path = root / "postmortems" / "2026-11-the-harvest-campaign.md"
    path.write_text(NEW_POSTMORTEM)
    data = _recall_json(root, str(path))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    (record,) = data["records"]
    assert record["record"]["id"] == "2026-11-the-harvest-campaign" and not record["quiet"]
    cause, handoff = record["causes"]
    assert cause["id"] == "icp-drift"
    assert cause["url"] == "https://brightlane.github.io/hindsight/causes/icp-drift/"
    assert cause["cited_elsewhere"] == 17
    assert cause["first_seen"]["id"] == "2025-07-sales"
    assert cause["last_seen"]["id"] == "2026-10-sales"
    assert cause["teams"] == ["Customer Success", "Marketing", "Sales"]
    still_open = [(a["id"], a["label"], a["days_overdue"]) for a in cause["actions"]
                  if a["status"] in ("open", "in-progress")]
    # Due 2026-10-30, 2026-11-13 and 2026-11-20, judged on 2026-12-03: 34, 20 and 13 days late
    # (SAL-2026-07-1 is in progress, which is still owed).
    assert still_open == [("SAL-2026-07-1", "overdue", 34), ("SAL-2026-09-1", "overdue", 20),
                          ("QBR-2026-Q3-1", "overdue", 13), ("PM-second-look-2", "open", None),
                          ("SAL-2026-10-1", "open", None)]
    # ICP drift never stayed away: open actions remain, and no citation came one cadence or more
    # after its last done action, so no "fix did not stick" on it.
    assert cause["fix_did_not_stick"] == [] and cause["came_back"] == 0
    # Eleven closed: seven done on time, three done late, one dropped (the cause page lists them).
    assert cause["closed_actions"] == 11
    # Hand-off decay came back in the March 2026 marketing retro (held 2026-04-02), 104 days
    # after QBR-2025-Q3-2 was done (2025-12-19): the cause page's evidence.
    assert handoff["id"] == "sdr-ae-handoff"
    (stuck,) = handoff["fix_did_not_stick"]
    assert stuck["record"]["id"] == "2026-03-marketing"
    assert [a["id"] for a in stuck["fixes_done_before"]] == ["QBR-2025-Q3-2"]
    assert stuck["days_after_fix"] == 104
    (repeated,) = record["repeated_lessons"]
    assert repeated["lesson"].startswith("Check the target list")
    assert [r["id"] for r in repeated["learned_before"]] == ["2025-q3-review", "2025-09-marketing"]
    assert record["checklist"]["kind"] == "campaign"
    assert record["checklist"]["url"] == "https://brightlane.github.io/hindsight/plan/campaign/"
    assert record["checklist"]["lessons"]

    text = run_cli("recall", str(path), "--root", str(root), "--as-of", AS_OF).output
    assert ("learned before in [Quarterly review — 2025-Q3]"
            "(https://brightlane.github.io/hindsight/records/2025-q3-review/), 2025-10") in text
    # Started but late, as `hindsight actions` says it; SAL-2026-09-1 was never started.
    assert re.search(r"`SAL-2026-07-1` .*\*\*overdue 34 days\*\*, in progress", text)
    assert re.search(r"`SAL-2026-09-1` .*\*\*overdue 20 days\*\* \(raised", text)


def test_a_record_citing_only_new_causes_gets_one_calm_line(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    taxonomy = (root / "taxonomy.yml").read_text().replace(
        "causes:\n", "causes:\n  - id: webinar-platform-outage\n    title: Webinar platform outage\n"
        "    description: The platform failed during a live session.\n", 1)
    (root / "taxonomy.yml").write_text(taxonomy)
    path = root / "postmortems" / "2026-11-the-quiet-one.md"
    path.write_text(NEW_POSTMORTEM.replace("The Harvest Campaign", "The Quiet One")
                    .replace("kind: campaign", "kind: other")
                    .replace("cause: icp-drift", "cause: webinar-platform-outage")
                    .replace("  - cause: sdr-ae-handoff\n    whys: [Meetings from the campaign sat "
                             "unaccepted for a week]\n", "")
                    .split("lessons:")[0] + "---\n\nQuiet.\n")
    result = run_cli("recall", str(path), "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Nothing earlier in the knowledge base bears on [The Quiet One]"
        "(https://brightlane.github.io/hindsight/records/2026-11-the-quiet-one/): no cause it "
        "cites, action it updates, lesson or indicator move has come up before.\n")
    assert _recall_json(root, str(path))["records"][0]["quiet"] is True


def _retro(month: str, held: str, velocity: int, extra: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {month}\nteam: sales\nheld: {held}\nfacilitator: Ann\n"
            f"format: five-whys\nindicators:\n  pipeline-velocity: {velocity}\n{extra}---\n\nBody.\n")


def test_hand_worked_indicator_moves_and_a_fix_that_did_not_stick(tmp_path: Path) -> None:
    # Velocity 1280, 1000, 400, 1000, 950, 960, 900, 400 (December to July). Month-to-month
    # changes 280, 600, 600, 50, 10, 60, 500: sorted 10 50 60 280 500 600 600, so the usual
    # variation (their median) is 280. (January, with one earlier reading, has no trend: new.)
    # - February (400): worse than January (1000) and the trailing mean (1140), by 600 > 280.
    # - June (900): worse than May (960, by 60 > the 2 % noise of 19.2) and the trailing mean of
    #   March to May (970) — "wrong way" — but 60 is within the usual 280: a wobble.
    # - July (400): worse than June (900) and the mean of April to June (936.7), by 500 > 280.
    # So July recalls February, not June.
    root = make_kb(tmp_path / "kb", {
        "retros/2025-12-sales.md": _retro("2025-12", "2026-01-05", 1280),
        "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", 1000),
        "retros/2026-02-sales.md": _retro("2026-02", "2026-03-03", 400,
            "actions:\n  - {id: B-1, title: Fix the stage gates, owner: Bo, due: 2026-03-20,"
            " indicator: pipeline-velocity}\n"),
        "retros/2026-03-sales.md": _retro("2026-03", "2026-04-03", 1000),
        "retros/2026-04-sales.md": _retro("2026-04", "2026-05-04", 950,
            "causes: [icp-drift]\nactions:\n  - {id: A-1, title: Re-tier the accounts, owner: Ann,"
            " due: 2026-06-15, cause: icp-drift}\n"),
        "retros/2026-05-sales.md": _retro("2026-05", "2026-06-03", 960,
            "action_updates:\n  - {id: A-1, status: done, done_on: 2026-06-01}\n"),
        "retros/2026-06-sales.md": _retro("2026-06", "2026-07-03", 900,
            "actions:\n  - {id: C-1, title: Chase the slow deals, owner: Bo, due: 2026-07-20,"
            " indicator: pipeline-velocity}\n"),
        "retros/2026-07-sales.md": _retro("2026-07", "2026-08-04", 400, "causes: [wrong-icp]\n"),
    })
    data = _recall_json(root, str(root / "retros" / "2026-07-sales.md"), as_of="2026-08-10")
    (record,) = data["records"]
    (cause,) = record["causes"]
    assert (cause["id"], cause["cited_elsewhere"], cause["teams"]) == ("icp-drift", 1, ["Sales"])
    assert cause["url"] is None  # no mkdocs.yml, no site_url: no address is made up
    (stuck,) = cause["fix_did_not_stick"]
    assert stuck["record"]["id"] == "2026-07-sales"
    assert [(a["id"], a["done_on"]) for a in stuck["fixes_done_before"]] == [("A-1", "2026-06-01")]
    (indicator,) = record["indicators"]
    assert (indicator["id"], indicator["segment"]) == ("pipeline-velocity", "all")
    (previous,) = indicator["previous"]
    assert (previous["period"], indicator["times_before"]) == ("2026-02", 1)
    # B-1 was due 2026-03-20; on 2026-08-10 it is 11 + 30 + 31 + 30 + 31 + 10 = 143 days overdue.
    assert [(a["id"], a["label"], a["days_overdue"]) for a in previous["actions"]] == [
        ("B-1", "overdue", 143)]

    # June's wobble alone recalls nothing: as of June the usual variation is the median of
    # 280 600 600 50 10 60, (60 + 280) / 2 = 170, and its 60 is ordinary.
    june = _recall_json(root, str(root / "retros" / "2026-06-sales.md"), as_of="2026-08-10")
    assert june["records"][0]["indicators"] == []


def test_an_action_done_after_its_due_date_moved_is_late_by_the_first_one(
        tmp_path: Path) -> None:
    # X-1 was raised due 2026-03-15, moved to 2026-04-30 in March, done on 2026-04-28: late by
    # its first due date (as the site and `hindsight actions` count), on time by the moved one.
    root = make_kb(tmp_path / "kb", {
        "retros/2026-02-sales.md": _retro("2026-02", "2026-03-03", 1000,
            "actions:\n  - {id: X-1, title: Write the renewal playbook, owner: Bo,"
            " due: 2026-03-15}\n"),
        "retros/2026-03-sales.md": _retro("2026-03", "2026-04-03", 1010,
            "action_updates:\n  - {id: X-1, status: open, due: 2026-04-30}\n"),
        "retros/2026-04-sales.md": _retro("2026-04", "2026-05-04", 1020,
            "action_updates:\n  - {id: X-1, status: done, done_on: 2026-04-28}\n"),
    })
    record = str(root / "retros" / "2026-04-sales.md")
    (update,) = _recall_json(root, record, as_of="2026-05-10")["records"][0]["action_updates"]
    action = update["action"]
    assert (action["due"], action["first_due"], action["label"]) == (
        "2026-04-30", "2026-03-15", "done late")
    said = run_cli("recall", record, "--root", str(root), "--as-of", "2026-05-10")
    assert "due 2026-04-30 (first due 2026-03-15), done late 2026-04-28" in said.output


@pytest.mark.parametrize(("july", "recalled"), [(600, []), (450, ["2026-02"])])
def test_a_move_beyond_the_usual_against_last_month_only_is_not_recalled(
        tmp_path: Path, july: int, recalled: list[str]) -> None:
    """Documented: a wrong-way move counts when it is worse than last month *and* the
    trailing 3-month mean by more than the usual variation. Velocity 1280, 1000, 400, 1000,
    700, 700, 1000, then July (December to July). February's fall is a move: -600 against
    January, -740 against the mean of December and January (1140), both beyond the usual.
    - July 600: changes 280, 600, 600, 300, 0, 300, 400, sorted 0 280 300 300 400 600 600,
      usual 300. Worse than June (1000) by 400 > 300, but than the mean of April to June (800)
      by only 200: an ordinary wobble against the trend, so July recalls nothing (it recalled
      February's fall).
    - July 450: the last change is 550, the usual still 300; worse than June by 550 and than
      the mean by 350, both beyond it: July recalls February."""
    values = {"2025-12": 1280, "2026-01": 1000, "2026-02": 400, "2026-03": 1000,
              "2026-04": 700, "2026-05": 700, "2026-06": 1000, "2026-07": july}
    held = {"2025-12": "2026-01-05", "2026-01": "2026-02-03", "2026-02": "2026-03-03",
            "2026-03": "2026-04-03", "2026-04": "2026-05-04", "2026-05": "2026-06-03",
            "2026-06": "2026-07-03", "2026-07": "2026-08-04"}
    root = make_kb(tmp_path / "kb", {f"retros/{month}-sales.md": _retro(month, held[month], value)
                                     for month, value in values.items()})
    data = _recall_json(root, str(root / "retros" / "2026-07-sales.md"), as_of="2026-08-10")
    assert [p["period"] for i in data["records"][0]["indicators"]
            for p in i["previous"]] == recalled


def test_an_earlier_move_lists_the_actions_already_aimed_at_it(tmp_path: Path) -> None:
    """The same velocity series; January raises X-1 at velocity (open until done on
    2026-04-10) and the February retro raises nothing: when July recalls February's fall,
    X-1 was already aimed at it (it said "no action aimed at it"). Y-1, done before
    February's retro was held, and Z-1, aimed at another indicator, are not listed."""
    root = make_kb(tmp_path / "kb", {
        "retros/2025-12-sales.md": _retro("2025-12", "2026-01-05", 1280,
            "actions:\n  - {id: Y-1, title: Old fix, owner: Bo, due: 2026-01-20,"
            " indicator: pipeline-velocity}\n"),
        "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", 1000,
            "action_updates:\n  - {id: Y-1, status: done, done_on: 2026-01-15}\n"
            "actions:\n  - {id: X-1, title: Fix the stage gates, owner: Bo, due: 2026-04-30,"
            " indicator: pipeline-velocity}\n  - {id: Z-1, title: Other, owner: Bo,"
            " due: 2026-04-30, indicator: win-rate}\n"),
        "retros/2026-02-sales.md": _retro("2026-02", "2026-03-03", 400),
        "retros/2026-03-sales.md": _retro("2026-03", "2026-04-03", 1000),
        "retros/2026-04-sales.md": _retro("2026-04", "2026-05-04", 950,
            "action_updates:\n  - {id: X-1, status: done, done_on: 2026-04-10}\n"),
        "retros/2026-05-sales.md": _retro("2026-05", "2026-06-03", 960),
        "retros/2026-06-sales.md": _retro("2026-06", "2026-07-03", 900),
        "retros/2026-07-sales.md": _retro("2026-07", "2026-08-04", 400),
    })
    data = _recall_json(root, str(root / "retros" / "2026-07-sales.md"), as_of="2026-08-10")
    (indicator,) = data["records"][0]["indicators"]
    (previous,) = indicator["previous"]
    assert previous["period"] == "2026-02"
    assert [a["id"] for a in previous["actions"]] == ["X-1"]


def test_indicator_recall_speaks_for_a_minority_of_the_sample_retros() -> None:
    # A signal that fires on everything means nothing. Counting every "worse than last month
    # and the trailing mean" as a move, 28 of the sample's 38 retros recalled earlier moves;
    # counting only moves beyond the series' usual variation, under half do.
    from generator.analysis.link import link
    from generator.analysis.recall import recall
    from generator.paths import RenderOptions
    from generator.records.schema import Retro

    kb = check(REPO, dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    retros = [e for e in kb.entries if isinstance(e.record, Retro)]
    report = recall(kb, link(kb), retros, RenderOptions())
    speaking = [r.record.id for r in report.records if r.indicators]
    assert 0 < len(speaking) < len(retros) / 2, (len(speaking), len(retros))


def test_markdown_recall_shows_quotes_as_typed() -> None:
    # Read in the terminal and pasted into planning docs: an apostrophe is not `&#x27;`.
    text = run_cli("recall", str(REPO / "retros" / "2026-10-sales.md"), "--root", str(REPO),
                   "--as-of", AS_OF).output
    assert "waits for the first quarterly ICP check's findings" in text
    assert "&#x27;" not in text and "&quot;" not in text


def test_json_schema_file_is_the_published_answer_shape(golden: Callable[[Path, str], None]) -> None:
    schema = RecallReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "hindsight recall --format json"
    golden(SCHEMA, json.dumps(schema, indent=2, sort_keys=True) + "\n")
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))


def test_json_output_of_several_records_validates(tmp_path: Path) -> None:
    data = _recall_json(REPO, "retros/2026-10-sales.md", "postmortems/2026-06-the-compass-launch.md")
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert [r["record"]["id"] for r in data["records"]] == ["2026-06-the-compass-launch", "2026-10-sales"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "records": [{"record": "x"}]}, json.loads(SCHEMA.read_text()))


def test_similarity_is_token_set_and_its_threshold_splits_the_sample() -> None:
    # Worked by hand: shared "apple" (5 characters); the closer side is "apple red" (9):
    # 2 * 5 / (5 + 9).
    assert similarity("red apple", "green apple") == pytest.approx(10 / 14)
    # Shared: a before certify change enablement goes is live not session: 50 letters and 9
    # spaces = 59; own words "price reps single" = 17 + 1 space; 2 * 59 / (59 + 59 + 18).
    assert similarity("Certify reps before a price change goes live; a single session is not enablement.",
                      "Certify every rep before a pricing change goes live; a short session is not "
                      "enablement.") == pytest.approx(118 / 136)
    assert similarity("b a", "a b") == 1.0
    assert LESSON_SIMILARITY == 0.85
    assert same_lesson("Commit only deals with a mutual close plan the buyer has seen.",
                       "Commit deals only with a mutual close plan the buyer has seen.")
    # Same theme, different advice: kept apart.
    assert not same_lesson("Start legal on commit deals by the first week of the quarter's last month.",
                           "Start legal on quarter-end commits in the quarter's last month, not its "
                           "last fortnight.")


@pytest.mark.parametrize(("a", "b"), [
    # Every word shared (similarity 1.0), the advice turned around.
    ("Let the analyst run the trial on their own data.",
     "Do not let the analyst run the trial on their own data."),
    ("Discount deals over 50k.", "Never discount deals over 50k."),
    ("Don't send the deck before the call.", "Send the deck before the call."),
    # The turned-around advice with its reason: the shorter one's words are all in it.
    ("Run the webinar on a Tuesday.",
     "Do not run the webinar on a Tuesday; attendance halved against Thursday."),
    ("Never discount deals over fifty seats, whatever the quarter.", "Discount deals over fifty seats."),
    # Different numbers: similar wording, other advice.
    ("Send invitations six weeks ahead.", "Send invitations eight weeks ahead."),
    ("Discount deals over 50k only with approval.", "Discount deals over 30k only with approval."),
    # The same words on the other sides of an ordering or comparison word: other advice.
    ("Follow up by phone before email.", "Follow up by email before phone."),
    ("Staff the booth with AEs, not SDRs.", "Staff the booth with SDRs, not AEs."),
    ("Webinars convert better than trade shows.", "Trade shows convert better than webinars."),
    ("Prefer a dinner rather than a booth for CFOs.", "Prefer a booth rather than a dinner for CFOs."),
    ("Send the case study instead of the deck.", "Send the deck instead of the case study."),
    ("Pick regional shows over flagship ones.", "Pick flagship shows over regional ones."),
    ("Partner events vs own events: partner events win.",
     "Own events vs partner events: own events win."),
    # "after" is "before" with its sides swapped: the same order here, the other advice.
    ("Book the venue before the caterer.", "Book the venue after the caterer."),
])
def test_lessons_that_share_their_words_but_not_their_advice_are_two(a: str, b: str) -> None:
    assert similarity(a, b) >= LESSON_SIMILARITY  # the words alone would merge them
    assert not same_lesson(a, b)
    from generator.analysis.similarity import LessonIndex

    index: LessonIndex[str] = LessonIndex()
    index.add(a, "a")
    assert index.matches(b) == []
    assert [item for _, item in index.matches(a)] == ["a"]


def test_a_contrast_added_to_a_lesson_keeps_it_the_same_lesson() -> None:
    # "…, not after" contrasts the advice with another; it does not turn it around.
    assert same_lesson("Meet the economic buyer before the verbal yes, not after.",
                       "Meet the economic buyer before the verbal yes.")
    # Nor does an ordinal said again ("first" is when, not how many).
    assert same_lesson("Send the pricing deck to the economic buyer first.",
                       "Send the pricing deck to the economic buyer.")
    # The same advice in another order swaps no shared words across its "before": a clause
    # moved to the front, or "after" with the sides swapped.
    assert same_lesson("Before the kickoff, confirm the venue.",
                       "Confirm the venue before the kickoff.")
    assert same_lesson("Book the venue before the caterer.", "Book the caterer after the venue.")
    assert same_lesson("Follow up by phone before email.", "Follow up by phone before email!")


def test_near_duplicate_lessons_on_the_sample_are_exactly_the_reworded_ones() -> None:
    kb = check(REPO, dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    lessons = [(e.id, lesson.lesson) for e in kb.entries for lesson in e.record.lessons]
    pairs = {(a, b) for (a, ta), (b, tb) in itertools.combinations(lessons, 2)
             if a != b and same_lesson(ta, tb)}
    assert pairs == {
        ("2025-06-sales", "2025-q2-review"),  # "Commit only deals…" / "Commit deals only…"
        ("2025-06-sales", "2025-12-the-snowplow-push"),
        ("2025-q2-review", "2025-12-the-snowplow-push"),
        ("2025-09-marketing", "2025-q3-review"),  # check the target list against closed-won
        ("2025-11-marketing", "2025-q4-review"),  # every automated sequence needs an owner
        ("2026-04-the-three-tier-reset", "2026-q2-review"),  # certify reps before pricing
        ("2026-05-marketing", "2026-q2-review"),  # pay for the outcome the next team accepts
    }


def test_recall_needs_records_and_names_what_is_not_one(tmp_path: Path) -> None:
    assert "give record files or folders, or --changed-since REF" in run_cli(
        "recall", "--root", str(REPO)).output
    for path, says in [
            (REPO / "docs" / "guide" / "index.md", "is not a record: records are the .md files under "
                                         "retros/ and postmortems/"),
            (REPO / "taxonomy.yml", "is not a record: records are the .md files under retros/"),
            (REPO / "retros" / "2026-13-sales.md", "does not exist")]:
        result = run_cli("recall", str(path), "--root", str(REPO), "--as-of", AS_OF)
        assert result.exit_code == 2 and f"error: {path} {says}" in result.output, result.output
    # A record that exists but does not validate is one to fix first.
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "retros", kb / "retros")
    shutil.copy(REPO / "taxonomy.yml", kb / "taxonomy.yml")
    (kb / "retros" / "notes.md").write_text("Just notes, no front matter.\n")
    result = run_cli("recall", str(kb / "retros" / "notes.md"), "--root", str(kb), "--as-of",
                     AS_OF)
    assert result.exit_code != 0 and "notes.md" in result.output, result.output


def test_changed_since_in_a_real_repository_and_the_job_summary(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    init(root)
    commit_all(root, "The knowledge base", "Mia Chen", "2026-11-01T09:00:00+00:00")
    (root / "postmortems" / "2026-11-the-harvest-campaign.md").write_text(NEW_POSTMORTEM)
    commit_all(root, "Harvest post-mortem", "Ann Lee", "2026-11-21T09:00:00+00:00")

    data = _recall_json(root, "--changed-since", "HEAD~1")
    assert [r["path"] for r in data["records"]] == ["postmortems/2026-11-the-harvest-campaign.md"]
    # Added by the change: no page on the published site yet, so no link to one; the records
    # already published keep theirs.
    (record,) = data["records"]
    assert record["record"]["url"] is None
    assert record["causes"][0]["first_seen"]["url"].endswith("/records/2025-07-sales/")
    summary = tmp_path / "summary.md"
    summary.write_text("## hindsight validate\n\nNo problems found.\n\n")
    result = CliRunner().invoke(main, ["recall", "--changed-since", "HEAD~1", "--format", "github",
                                       "--root", str(root), "--as-of", AS_OF],
                                env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## What the knowledge base already knows\n")
    assert "The Harvest Campaign" in result.output and "Sales retro" in result.output
    assert summary.read_text() == "## hindsight validate\n\nNo problems found.\n\n" + result.output

    nothing = run_cli("recall", "--changed-since", "HEAD", "--root", str(root), "--as-of", AS_OF)
    assert nothing.output == "No record changed since HEAD.\n"


def _github_recall(root: Path, tmp_path: Path, since: str) -> tuple[str, str]:
    """``recall --changed-since SINCE --format github`` as the workflow runs it: its output,
    and what it set as the step's outputs."""
    outputs = tmp_path / "outputs"
    outputs.write_text("")
    result = CliRunner().invoke(main, ["recall", "--changed-since", since, "--format", "github",
                                       "--root", str(root), "--as-of", AS_OF],
                                env={"GITHUB_OUTPUT": str(outputs)})
    assert result.exit_code == 0, result.output
    return result.output, outputs.read_text()


def test_a_change_to_no_record_sets_no_comment_and_one_that_deletes_names_them(
        tmp_path: Path) -> None:
    root = _sample(tmp_path)
    init(root)
    commit_all(root, "The knowledge base", "Mia Chen", "2026-11-01T09:00:00+00:00")
    # Docs only: nothing to recall, and the workflow is told so (it posts no new comment).
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Our retros\n")
    commit_all(root, "Docs", "Ann Lee", "2026-11-21T09:00:00+00:00")
    text, outputs = _github_recall(root, tmp_path, "HEAD~1")
    assert text.endswith("\n\nNo record changed since HEAD~1.\n") and outputs == "changed=false\n"
    # A change that only deletes a record names it instead.
    (root / "postmortems" / "2026-10-the-quillon-loss.md").unlink()
    text, outputs = _github_recall(root, tmp_path, "HEAD")
    assert text == ("## What the knowledge base already knows\n\n"
                    "Removed: postmortems/2026-10-the-quillon-loss.md.\n")
    assert outputs == "changed=true\n"
    data = _recall_json(root, "--changed-since", "HEAD")
    assert data["removed"] == ["postmortems/2026-10-the-quillon-loss.md"]
    assert data["records"] == [] and data["note"] is None


def test_a_change_to_no_record_is_not_failed_by_errors_the_base_already_had(
        tmp_path: Path) -> None:
    root = _sample(tmp_path)
    init(root)
    # Main itself has an error (a cause misspelt, merged past the check somehow)...
    retro = root / "retros" / "2025-07-sales.md"
    retro.write_text(retro.read_text().replace("- cause: icp-drift", "- cause: icp-drfit", 1))
    commit_all(root, "The knowledge base", "Mia Chen", "2026-11-01T09:00:00+00:00")
    # ...and a pull request changes only the README: nothing to recall, so the knowledge base
    # is not read, and the workflow is told no record changed instead of failing.
    (root / "README.md").write_text("# Our retros\n")
    commit_all(root, "README", "Ann Lee", "2026-11-21T09:00:00+00:00")
    text, outputs = _github_recall(root, tmp_path, "HEAD~1")
    assert text == ("## What the knowledge base already knows\n\n"
                    "No record changed since HEAD~1.\n")
    assert outputs == "changed=false\n"
    # A change to a record is still recalled against the whole knowledge base, which must
    # validate: the error is named.
    (root / "postmortems" / "2026-11-the-harvest-campaign.md").write_text(NEW_POSTMORTEM)
    result = run_cli("recall", "--changed-since", "HEAD~1", "--root", str(root), "--as-of",
                     AS_OF)
    assert result.exit_code == 1
    assert "retros/2025-07-sales.md:30:12  causes[0].cause  unknown cause 'icp-drfit'" \
        in result.output
    assert "error: the knowledge base has errors; fix them before recalling" in result.output


def test_a_change_to_the_taxonomy_still_recalls_the_records_changed(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    init(root)
    commit_all(root, "The knowledge base", "Mia Chen", "2026-11-01T09:00:00+00:00")
    (root / "postmortems" / "2026-11-the-harvest-campaign.md").write_text(NEW_POSTMORTEM)
    (root / "taxonomy.yml").write_text((root / "taxonomy.yml").read_text() + "\n")
    text, outputs = _github_recall(root, tmp_path, "HEAD")
    assert outputs == "changed=true\n"
    assert text.startswith(
        "## What the knowledge base already knows\n\ntaxonomy.yml changed since HEAD, so every "
        "record is affected; recalled here are only the records changed: run hindsight recall "
        "on the others it bears on.\n\n### Recall for "), text
    assert "The Harvest Campaign" in text and "Sales retro" in text
    data = _recall_json(root, "--changed-since", "HEAD")
    assert [r["path"] for r in data["records"]] == ["postmortems/2026-11-the-harvest-campaign.md"]
    # The taxonomy alone: nothing recalled, and the note says what to do.
    (root / "postmortems" / "2026-11-the-harvest-campaign.md").unlink()
    text, outputs = _github_recall(root, tmp_path, "HEAD")
    assert text.endswith("\n\ntaxonomy.yml changed since HEAD, so every record is affected: "
                         "run hindsight recall on the records it bears on.\n")
    assert outputs == "changed=true\n"


def test_plan_kind_must_exist() -> None:
    result = run_cli("plan", "campain", "--root", str(FIXTURES / "corpus"), "--as-of", AS_OF)
    assert result.exit_code == 2 and "unknown plan kind 'campain' (did you mean campaign?)" in result.output


def test_github_recall_of_a_new_postmortem_on_the_sample(tmp_path: Path,
                                                         golden: Callable[[Path, str], None]) -> None:
    root = _sample(tmp_path)
    path = root / "postmortems" / "2026-11-the-harvest-campaign.md"
    path.write_text(NEW_POSTMORTEM)
    result = run_cli("recall", str(path), "--format", "github", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    golden(REPO / "tests" / "goldens" / "recall-harvest-campaign.md", result.output)


def test_the_pull_request_comment_notifies_nobody_a_record_names() -> None:
    from generator.commands.recall_render import no_mentions

    # GitHub links a name after any character but an ASCII letter, digit or "_".
    text = ("Owner @octocat, ask (@team-a); -@octocat cc:@github/security x.@user /@user "
            "é@user @@user; mail ann@example.com or a_b@example.com; see https://x.example/@me")
    assert no_mentions(text) == (
        "Owner @\u2060octocat, ask (@\u2060team-a); -@\u2060octocat cc:@\u2060github/security "
        "x.@\u2060user /@\u2060user é@\u2060user @@\u2060user; mail ann@example.com or "
        "a_b@example.com; see https://x.example/@\u2060me")


def test_the_pull_request_comment_links_no_bare_address() -> None:
    from generator.commands.recall_render import no_autolinks

    text = ("See https://evil.example/x, HTTP://A.B, ftp://f.example, www.evil.example and "
            "WWW.X.Y; not www, a.www or 10:30//")
    assert no_autolinks(text) == (
        "See https:\u2060//evil.example/x, HTTP:\u2060//A.B, ftp:\u2060//f.example, "
        "www\u2060.evil.example and WWW\u2060.X.Y; not www, a.www or 10:30//")


def test_record_text_in_the_github_recall_pings_and_links_nothing_but_the_site(
        tmp_path: Path) -> None:
    # The site shows a record's words as text; so does the comment. Its own links stay live.
    root = _sample(tmp_path)
    path = root / "postmortems" / "2026-11-the-harvest-campaign.md"
    path.write_text(NEW_POSTMORTEM.replace(
        "name: The Harvest Campaign",
        "name: \"The Harvest Campaign (www.harvest.example, cc:@growth/team)\"").replace(
        "closed-won accounts before the campaign launches.",
        "closed-won accounts before the campaign launches, https://wiki.example/icp -@octocat"))
    result = run_cli("recall", str(path), "--format", "github", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2] == (
        "### Recall for [The Harvest Campaign \\(www\u2060.harvest.example, cc:@\u2060growth/team\\)]"
        "(https://brightlane.github.io/hindsight/records/2026-11-the-harvest-campaign/)")
    repeated = lines[lines.index("#### Lessons learned before") + 2]
    assert repeated.startswith(
        "- Check the target list against last quarter's closed-won accounts before the campaign "
        "launches, https:\u2060//wiki.example/icp -@\u2060octocat — learned before in "
        "[Quarterly review — 2025-Q3](https://brightlane.github.io/hindsight/records/2025-q3-review/), ")
    # The markdown form, for people, keeps the addresses as typed.
    plain = run_cli("recall", str(path), "--root", str(root), "--as-of", AS_OF)
    assert "\u2060" not in plain.output
    assert "launches, https://wiki.example/icp -@octocat — learned before in" in plain.output


def test_a_japanese_lesson_repeated_is_recalled_and_one_sharing_only_crm_is_not(
        tmp_path: Path) -> None:
    # Tokyo and Osaka wrote QUOTE_FLOW; Nagoya writes it a third time, word for word (22 shared
    # character pairs of 22: similarity 1). Nagoya's THANKS_FROM_CRM shares "crm", "るこ" and
    # "こと" with Tokyo's CARDS_TO_CRM, 3 of its 21 words: under half, so it is not compared
    # (its similarity would be 2 * 9 / (9 + 9 + 54) = 0.25). Cut on ASCII only, QUOTE_FLOW had
    # no words at all and THANKS_FROM_CRM was "crm" alone, a perfect match for "48 crm".
    booth_plan = "ブースの配置図は一週間前に営業と共有すること。"
    root = event_kb(tmp_path / "kb", {
        "postmortems/tokyo-expo.md": event_postmortem(
            "東京展示会", "2026-03-20", [QUOTE_FLOW, CARDS_TO_CRM]),
        "postmortems/osaka-expo.md": event_postmortem(
            "大阪展示会", "2026-06-15", [booth_plan, QUOTE_FLOW]),
        "postmortems/nagoya-expo.md": event_postmortem(
            "名古屋展示会", "2026-10-10", [QUOTE_FLOW, THANKS_FROM_CRM]),
    })
    data = _recall_json(root, str(root / "postmortems" / "nagoya-expo.md"), as_of="2026-10-20")
    (record,) = data["records"]
    assert not record["quiet"]
    assert [(r["lesson"], [e["id"] for e in r["learned_before"]], r["earlier_wording"])
            for r in record["repeated_lessons"]] == [
        (QUOTE_FLOW, ["osaka-expo", "tokyo-expo"], [QUOTE_FLOW, QUOTE_FLOW])]
    # Its checklist (Nagoya left out) counts the repeated lesson once, learned twice.
    assert [(lesson["lesson"], lesson["times"]) for lesson in record["checklist"]["lessons"]] == [
        (QUOTE_FLOW, 2), (booth_plan, 1), (CARDS_TO_CRM, 1)]


def test_german_lessons_are_compared_on_whole_words_umlauts_and_all() -> None:
    lesson = "Bestätigungen für Messestände früh einholen."
    # Cut on ASCII only this was "best tigungen f r messest nde fr h einholen".
    assert words(lesson) == {"bestätigungen", "für", "messestände", "früh", "einholen"}
    # The same lesson from an editor that stores "ä" as "a" and a combining diaeresis (NFD):
    # the same words once normalised (NFKC). On ASCII fragments the two scored 0.735 and the
    # repeat went unnoticed.
    decomposed = unicodedata.normalize("NFD", lesson)
    assert decomposed != lesson and similarity(lesson, decomposed) == 1.0
    assert same_lesson(lesson, decomposed)
    # Casefolded, "ß" is "ss": the German and the Swiss spelling are one word.
    assert words("Die Standgröße früh festlegen.") == words("Die Standgrösse früh festlegen.")
    # Worked by hand: shared "bestätigungen einholen für messestände" (13 + 8 + 3 + 11 letters
    # and 3 spaces = 38); the closer side's own word "früh" adds 5: 2 * 38 / (38 + 43) = 76/81.
    assert similarity(lesson, "Bestätigungen für Messestände spätestens vier Wochen vorher "
                              "einholen.") == pytest.approx(76 / 81)


def test_a_lesson_repeated_for_years_names_its_newest_three_times_and_counts_the_rest(
        tmp_path: Path) -> None:
    """Six trade shows, a month apart, each learned "share the booth plan a week ahead"; the
    seventh learns it again. The comment names the three newest earlier shows, newest first,
    and counts the other three (it was one line of every earlier time: 10,000 characters
    after years of retros); the JSON keeps all six."""
    lesson = "Share the booth plan with sales a week before the show."
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    root = event_kb(tmp_path / "kb", {
        f"postmortems/show-{m}.md": event_postmortem(f"Show {m}", f"{m}-15", [lesson])
        for m in months})
    record = str(root / "postmortems" / "show-2026-07.md")
    result = run_cli("recall", record, "--root", str(root), "--as-of", "2026-07-20",
                     "--format", "markdown")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if "learned before in" in line]
    assert re.findall(r"Show (2026-\d\d),", line) == ["2026-06", "2026-05", "2026-04"]
    assert line.endswith("; and 3 earlier times"), line
    (data,) = _recall_json(root, record, as_of="2026-07-20")["records"]
    assert [e["id"] for e in data["repeated_lessons"][0]["learned_before"]] == [
        f"show-{m}" for m in reversed(months[:-1])]
