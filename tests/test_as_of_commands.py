"""The commands run with a past ``--as-of`` read the knowledge base as it stood that day.

The knowledge base is a freight company's, shaped unlike the sample: a warehouse team with a
retro every month from December 2026 to February 2028 (May 2027's left unwritten), a support
team that skips December 2027 and January 2028, a returns desk that stopped after January
2027, one indicator split by site and one count, and
a peak-season post-mortem held on 2028-02-29. Its records span three calendar years, so an
as-of day in 2027 has records held before it, in the same year after it, and in the next
year. Expected figures are worked out by hand in the comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import run_cli

TAXONOMY = """\
company: Kestrel Freight
causes:
  - id: carrier-capacity
    title: Carrier capacity shortfall
    description: Too few trucks booked for the volume that ships.
  - id: pick-errors
    title: Picking errors
    description: The wrong item or quantity leaves the shelf.
indicators:
  - id: on-time-dispatch
    label: On-time dispatch
    unit: rate
    better: up
    segment_by: site
    segments: [north, south]
  - id: backlog
    label: Order backlog
    unit: count
    better: down
teams:
  - id: warehouse
    name: Warehouse
    monthly_retros: true
  - id: support
    name: Customer support
    monthly_retros: true
  - id: returns
    name: Returns desk
    monthly_retros: true
plan_kinds:
  - id: peak
    title: Peak seasons
"""


def _months(first: str, last: str) -> list[str]:
    months = [first]
    while months[-1] != last:
        year, month = map(int, months[-1].split("-"))
        months.append(f"{year + month // 12}-{month % 12 + 1:02d}")
    return months


def _held(period: str) -> str:
    """A retro is held on the 5th of the month after its own."""
    return f"{_months(period, '2099-12')[1]}-05"


# What the warehouse retros say besides their readings (held dates in the comments).
WAREHOUSE = {
    # Held 2027-02-05: raises WH-1 against the carrier shortfall.
    "2027-01": """causes:
  - cause: carrier-capacity
    whys: [Two carriers dropped the Monday run]
actions:
  - {id: WH-1, title: Book a standby carrier, owner: Mia Holm, due: 2027-04-30, cause: carrier-capacity}
""",
    # Held 2027-03-05: the shortfall again.
    "2027-02": """causes:
  - cause: carrier-capacity
    whys: [The standby carrier is not booked yet]
""",
    # Held 2027-10-05: WH-1 done.
    "2027-09": """action_updates:
  - {id: WH-1, status: done, done_on: 2027-09-20}
""",
    # Held 2027-12-05: the shortfall in November; WH-2 and WH-3 raised.
    "2027-11": """causes:
  - cause: carrier-capacity
    whys: [Peak volume outran the booked trucks]
actions:
  - {id: WH-2, title: Add a loading night shift, owner: Ola Dahl, due: 2028-01-31, cause: carrier-capacity}
  - {id: WH-3, title: Pre-book December trucks, owner: Mia Holm, due: 2027-12-15, cause: carrier-capacity}
""",
    # Held 2028-02-05: WH-2 done, the shortfall once more.
    "2028-01": """causes:
  - cause: carrier-capacity
    whys: [January returns filled the trucks]
action_updates:
  - {id: WH-2, status: done, done_on: 2028-01-25}
""",
}


def _retro(team: str, period: str, value: int, extra: str = "") -> str:
    return f"""---
type: retro
period: {period}
team: {team}
held: {_held(period)}
facilitator: Mia Holm
participants: [Mia Holm, Ola Dahl]
format: went-well-didnt
indicators:
  on-time-dispatch: {{north: {value / 100}, south: 0.9}}
  backlog: {200 + value}
went_well: [Loading]
{extra}---

Notes.
"""


PEAK = """---
type: postmortem
name: The peak 2027
kind: other
plan_kind: peak
outcome: mixed
summary: The 2027 peak season shipped late in December.
team: warehouse
event_ended: 2028-02-25
held: 2028-02-29
keeper: Mia Holm
participants: [Mia Holm, Ola Dahl]
causes:
  - cause: carrier-capacity
    whys: [Every carrier was booked by November]
actions:
  - {id: PK-1, title: Sign a peak carrier contract, owner: Ola Dahl, due: 2028-08-31, cause: carrier-capacity}
lessons:
  - lesson: Book peak trucks before the summer.
    applies_to: [peak]
---

# The peak 2027

Late in December.
"""


SITE = "https://kestrel.example/memory"
MKDOCS = f"site_name: Kestrel memory\nsite_url: {SITE}/\nplugins:\n  - hindsight\n"


def _files() -> dict[str, str]:
    files = {"taxonomy.yml": TAXONOMY, "postmortems/2028-02-the-peak-2027.md": PEAK,
             "mkdocs.yml": MKDOCS}
    for i, period in enumerate(_months("2026-12", "2028-02")):
        if period != "2027-05":  # not written yet: prep drafts it
            files[f"retros/{period}-warehouse.md"] = _retro(
                "warehouse", period, 80 + i % 5, WAREHOUSE.get(period, ""))
    for i, period in enumerate(_months("2027-01", "2028-02")):
        if period not in ("2027-12", "2028-01"):  # support skipped two months
            files[f"retros/{period}-support.md"] = _retro("support", period, 90 - i % 3)
    for period in ("2026-12", "2027-01"):  # the returns desk stopped after January 2027
        files[f"retros/{period}-returns.md"] = _retro("returns", period, 70)
    return files


@pytest.fixture
def freight(tmp_path: Path) -> Path:
    root = tmp_path / "kestrel"
    for rel, text in _files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _prep(root: Path, as_of: str) -> str:
    """The warehouse's May 2027 draft, held on the as-of day."""
    result = run_cli("prep", "--root", str(root), "--team", "warehouse", "--period", "2027-05",
                     "--as-of", as_of, "--held", as_of, "--facilitator", "Ola Dahl")
    assert result.exit_code == 0, result.output
    return (root / "retros" / "2027-05-warehouse.md").read_text(encoding="utf-8")


def _before(draft: str) -> list[str]:
    """The draft's "Before you start" block, without the comment marks."""
    lines = draft.split("# Before you start", 1)[1].split("\ntype: retro", 1)[0]
    return [line[2:] for line in lines.splitlines()[1:]]


def _carried(draft: str) -> list[str]:
    """The ids of the commented action_updates the draft carries over."""
    return re.findall(r"^#   - id: (\S+)", draft, flags=re.MULTILINE)


def test_prep_as_of_a_past_day_carries_over_what_was_open_that_day(freight: Path) -> None:
    # As of 2027-06-04 only WH-1 had been raised (held 2027-02-05), and not yet done: WH-2 and
    # WH-3 (held 2027-12-05) and PK-1 (2028-02-29) were months away. The shortfall was cited
    # by January's and February's retros only.
    draft = _prep(freight, "2027-06-04")
    assert _before(draft) == [
        "  1 open action of this team, 1 overdue:",
        "  - WH-1 Book a standby carrier (Mia Holm, due 2027-04-30, overdue 35 days)",
        "  Causes this team cited in the last quarter:",
        "  - Carrier capacity shortfall: cited 1 time by this team in the last quarter "
        f"(company-wide 2 times since 2027-02-05; 1 open action) — "
        f"{SITE}/causes/carrier-capacity/",
    ], draft
    assert _carried(draft) == ["WH-1"], draft
    assert "| `WH-1` | Book a standby carrier | Mia Holm | 2027-04-30 | **overdue** |" in draft
    for later in ("WH-2", "WH-3", "PK-1"):
        assert later not in draft, draft
    # The draft validates as of that day, its comments and all.
    checked = run_cli("validate", "--root", str(freight), "--as-of", "2027-06-04",
                      str(freight / "retros" / "2027-05-warehouse.md"))
    assert checked.exit_code == 0, checked.output


def test_prep_as_of_a_later_day_reads_the_records_held_by_then(freight: Path) -> None:
    # As of 2028-03-10 every record was held: WH-1 (done 2027-09-20) and WH-2 (done
    # 2028-01-25) are closed; WH-3 is 86 days overdue and PK-1 open. Five records cite the
    # shortfall, which came back in November's, 76 days after WH-1 was done.
    draft = _prep(freight, "2028-03-10")
    assert _before(draft) == [
        "  2 open actions of this team, 1 overdue:",
        "  - WH-3 Pre-book December trucks (Mia Holm, due 2027-12-15, overdue 86 days)",
        "  - PK-1 Sign a peak carrier contract (Ola Dahl, due 2028-08-31)",
        "  Causes this team cited in the last quarter:",
        "  - Carrier capacity shortfall: cited 1 time by this team in the last quarter "
        "(company-wide 5 times since "
        f"2027-02-05; came back after its fix 1 time; 2 open actions) — "
        f"{SITE}/causes/carrier-capacity/",
    ], draft
    assert _carried(draft) == ["WH-3", "PK-1"], draft


def test_recall_as_of_a_past_day_reads_the_records_held_by_then(freight: Path) -> None:
    # As of 2027-03-15 February's shortfall had been cited before only by January's retro,
    # which raised WH-1, open and not yet due.
    february = str(freight / "retros" / "2027-02-warehouse.md")
    said = run_cli("recall", "--root", str(freight), "--as-of", "2027-03-15", february)
    assert said.exit_code == 0, said.output
    january = f"[Warehouse retro — January 2027]({SITE}/records/2027-01-warehouse/)"
    assert said.output == (
        f"# Recall for [Warehouse retro — February 2027]({SITE}/records/2027-02-warehouse/)\n"
        "\n## Causes it cites\n\n"
        f"- **[Carrier capacity shortfall]({SITE}/causes/carrier-capacity/)**: cited in 1 other "
        f"record since 2027-02-05 ({january}), last in {january}, 2027-02-05; teams: "
        "Warehouse.\n"
        "  - `WH-1` Book a standby carrier — Mia Holm, due 2027-04-30, open (raised in "
        f"{january[:-2]}/#actions))\n"
        "\n_Actions as of 2027-03-15._\n"), said.output
    answer = json.loads(run_cli("recall", "--root", str(freight), "--as-of", "2027-03-15",
                                "--format", "json", february).output)
    [cause] = answer["records"][0]["causes"]
    assert (cause["cited_elsewhere"], cause["last_seen"]["id"], cause["closed_actions"],
            cause["came_back"]) == (1, "2027-01-warehouse", 0, 0)
    assert [(a["id"], a["label"], a["raised_in"]["url"]) for a in cause["actions"]] == [
        ("WH-1", "open", f"{SITE}/records/2027-01-warehouse/")]
    # As of 2028-03-10 the later records are read: four others cite it, WH-1 came back.
    later = json.loads(run_cli("recall", "--root", str(freight), "--as-of", "2028-03-10",
                               "--format", "json", february).output)
    [cause] = later["records"][0]["causes"]
    assert (cause["cited_elsewhere"], cause["last_seen"]["id"], cause["closed_actions"],
            cause["came_back"]) == (4, "2028-02-the-peak-2027", 2, 1)


def test_recall_of_a_record_held_after_the_as_of_day_reads_the_rest_as_it_stood(
        freight: Path) -> None:
    # January 2028's retro (held 2028-02-05) recalled as of 2027-03-15, beside February
    # 2027's: it is recalled, unlinked, against the two earlier citations and WH-1 alone, and
    # it is not counted in February's recall.
    paths = [str(freight / "retros" / name)
             for name in ("2028-01-warehouse.md", "2027-02-warehouse.md")]
    answer = json.loads(run_cli("recall", "--root", str(freight), "--as-of", "2027-03-15",
                                "--format", "json", *paths).output)
    found = {r["record"]["id"]: (r["record"]["url"], r["causes"][0]["cited_elsewhere"],
                                 r["causes"][0]["last_seen"]["id"],
                                 [a["id"] for a in r["causes"][0]["actions"]],
                                 [u["action"]["id"] for u in r["action_updates"]])
             for r in answer["records"]}
    assert list(found) == ["2027-02-warehouse", "2028-01-warehouse"]
    assert found == {
        "2027-02-warehouse": (f"{SITE}/records/2027-02-warehouse/", 1, "2027-01-warehouse",
                              ["WH-1"], []),
        # Its update of WH-2 names an action not raised as of that day.
        "2028-01-warehouse": (None, 2, "2027-02-warehouse", ["WH-1"], []),
    }, found


def test_validate_as_of_a_past_day_says_no_month_is_missing_that_had_not_come(
        freight: Path) -> None:
    # As of 2027-03-15 support had held January's and February's retros: December 2027 and
    # January 2028 had not come. The returns desk was one month behind the others (February),
    # not thirteen (to February 2028). The records held later are warned at their held dates.
    early = run_cli("validate", "--root", str(freight), "--as-of", "2027-03-15")
    assert early.exit_code == 0, early.output
    assert "has no retro" not in early.output, early.output
    assert "retros/2028-02-support.md:5:7  held  warning: 2028-03-05 is after the build " \
        "date (2027-03-15)" in early.output
    # As of 2027-07-10 May's warehouse retro is missing between April's and June's, and the
    # returns desk is five months behind; support's gap is still to come.
    summer = run_cli("validate", "--root", str(freight), "--as-of", "2027-07-10")
    assert [line for line in summer.output.splitlines() if "has no retro" in line] == [
        "retros/2027-01-returns.md:3:9  period  warning: returns has no retro after this one: "
        "5 months (2027-02 to 2027-06) that other teams reported (add the missing retros, or "
        "set monthly_retros: false for the team in taxonomy.yml if it no longer holds them, "
        "or retired: 2027-01 if it was dissolved)",
        "retros/2027-06-warehouse.md:3:9  period  warning: warehouse has no retro for 2027-05 "
        "(between 2027-04 and 2027-06) (hold the retro every month, or add the missing "
        "record)"], summer.output
    # As of 2028-03-10 support's two months are missing too.
    late = run_cli("validate", "--root", str(freight), "--as-of", "2028-03-10")
    assert [line.split("  warning: ")[1] for line in late.output.splitlines()
            if "has no retro for" in line] == [
        f"{team} has no retro for {month} (between {before} and {after}) (hold the retro every "
        "month, or add the missing record)" for team, month, before, after in (
            ("warehouse", "2027-05", "2027-04", "2027-06"),
            ("support", "2027-12", "2027-11", "2028-02"),
            ("support", "2028-01", "2027-11", "2028-02"))], late.output


def test_plan_as_of_a_past_day_leaves_out_a_lesson_learned_later(freight: Path) -> None:
    # The post-mortem (held 2028-02-29) taught its lesson after 2027-03-15.
    early = run_cli("plan", "peak", "--root", str(freight), "--as-of", "2027-03-15")
    assert "Nothing recorded for Peak seasons yet." in early.output, early.output
    assert "peak plans" not in early.output, early.output
    late = run_cli("plan", "peak", "--root", str(freight), "--as-of", "2028-03-10")
    assert "Book peak trucks before the summer." in late.output, late.output
