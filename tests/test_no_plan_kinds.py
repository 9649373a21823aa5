"""A knowledge base whose team writes no plans yet: `taxonomy.yml` without `plan_kinds:`.

Tidewater, a product-led company unlike the sample: one growth team, activation and sign-ups,
no deals, and post-mortems of kind ``other``. Each case runs the real command on records
written into a temporary knowledge base and reads what the user sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from sitetools import make_project, mkdocs_build, own_site_url

AS_OF = "2026-10-20"

TAXONOMY = """\
company: Tidewater
causes:
  - id: slow-setup
    title: Setup takes a week
    description: New workspaces wait on a manual import before anyone can use them.
indicators:
  - id: activation
    label: Activation rate
    unit: rate
    better: up
  - id: signups
    label: Sign-ups
    unit: count
    better: up
teams:
  - id: growth
    name: Growth
    monthly_retros: true
"""
"""No plan kinds: the team has written none of its plans down yet."""


def _retro(month: str, held: str, activated: int) -> str:
    return f"""---
type: retro
period: {month}
team: growth
held: {held}
facilitator: Mo Chen
format: went-well-didnt
indicators:
  activation: "{activated}/120"
  signups: 120
went_well: [Onboarding emails rewritten]
didnt_go_well: [Imports waited days]
causes:
  - cause: slow-setup
    whys: [Imports are run by hand]
actions:
  - {{id: GROWTH-{month}-1, owner: Mo Chen, due: 2026-12-01, status: open, title: Self-serve import}}
---

What the numbers said.
"""


LAUNCH_WEEK = """---
type: postmortem
name: The launch week
kind: other
outcome: mixed
summary: The launch week drew fewer sign-ups than planned; imports held new workspaces up.
team: growth
event_ended: 2026-09-20
held: 2026-09-24
keeper: Mo Chen
participants: [Mo Chen]
timeline: []
good: [Press coverage]
bad: [Imports queued for days]
ugly: []
---

Facts first.
"""


def _kb(root: Path, plan_kinds: str = "") -> Path:
    """Tidewater's knowledge base, ``plan_kinds`` (a line of YAML) added to its taxonomy."""
    for rel, text in {"taxonomy.yml": TAXONOMY + plan_kinds,
                      "retros/2026-08-growth.md": _retro("2026-08", "2026-09-03", 38),
                      "retros/2026-09-growth.md": _retro("2026-09", "2026-10-02", 45),
                      "postmortems/2026-09-the-launch-week.md": LAUNCH_WEEK}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("plan_kinds", ["", "plan_kinds:\n", "plan_kinds: []\n"])
def test_a_taxonomy_without_plan_kinds_validates(tmp_path: Path, plan_kinds: str) -> None:
    """`plan_kinds:` was required: a team that writes no plans yet had to write
    `plan_kinds: []`, and left out it was `taxonomy.yml:1:1  plan_kinds  is required (add
    `plan_kinds:` with a value)`, every record left unchecked. Left out, or written with
    every kind under it commented out, it is none, as `[]` is."""
    root = _kb(tmp_path / "kb", plan_kinds)
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    assert "0 errors, 0 warnings; 3 files checked" in checked.output, checked.output


def test_without_plan_kinds_the_commands_and_the_site_work(tmp_path: Path) -> None:
    """With no `plan_kinds:`, drafts are written and validate, a lesson naming a plan kind is
    refused at the lesson saying where plan kinds are listed, and the strict MkDocs build
    succeeds."""
    root = _kb(tmp_path / "kb")
    common = ["--facilitator", "Mo Chen", "--root", str(root)]
    for args in (["retro", "--team", "growth", "--period", "2026-10", "--held", "2026-11-03"],
                 ["review", "--period", "2026-Q3", "--held", "2026-10-08"],
                 ["postmortem", "--name", "Webinar series", "--kind", "other", "--team",
                  "growth", "--ended", "2026-10-09", "--held", "2026-10-12"]):
        made = run_cli("new", *args, *common)
        assert made.exit_code == 0, (args, made.output)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 0 and "\n0 errors, " in checked.output, checked.output
    # A new kind of post-mortem implies a plan kind the taxonomy does not have: refused,
    # saying where to add it.
    refused = run_cli("new", "postmortem", "--name", "Summit", "--kind", "event", "--team",
                      "growth", "--ended", "2026-10-09", *common)
    assert refused.exit_code == 2 and "Traceback" not in refused.output, refused.output
    assert ("--kind event informs the plan kind event, which taxonomy.yml does not have (it "
            "has none; add event to plan_kinds in taxonomy.yml)") in refused.output

    project = make_project(tmp_path / "site", _kb(tmp_path / "built"))
    own_site_url(project)
    built = mkdocs_build(project, AS_OF)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (project / "site" / "plan" / "index.html").is_file()

    postmortem = root / "postmortems" / "2026-09-the-launch-week.md"
    postmortem.write_text(LAUNCH_WEEK.replace(
        "ugly: []\n", "ugly: []\nlessons:\n  - {lesson: Run imports before launch day., "
        "applies_to: [launch]}\n"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-03")
    assert checked.exit_code == 1 and "Traceback" not in checked.output, checked.output
    assert ("postmortems/2026-09-the-launch-week.md:17:59  lessons[0].applies_to[0]  unknown "
            "plan kind 'launch'") in checked.output, checked.output


def test_with_no_plan_kinds_the_plan_page_and_errors_say_where_they_are_listed(
        tmp_path: Path) -> None:
    """With no plan kinds, *Before you plan* said "Each kind of plan below starts with the
    lessons…" above an empty *At a glance* table, and a lesson naming one, a post-mortem's
    `plan_kind` and `hindsight plan` were refused with "(the list is empty)", naming no list.
    The page says there is no checklist yet and where plan kinds are listed; the errors say
    to add the kind there, its id as written (`Product launches` as `product-launches`)."""
    root = _kb(tmp_path / "kb")
    out = tmp_path / "out"
    made = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                   "--quiet")
    assert made.exit_code == 0, made.output
    page = (out / "plan" / "index.md").read_text(encoding="utf-8")
    body = page.split("# Before you plan\n", 1)[1]
    assert body.split("\n\n")[0].strip() == (
        "No checklist yet: `taxonomy.yml` lists no kinds of plan (`plan_kinds:`), and each "
        "checklist\ngathers the lessons written for one of them, with the assumptions that "
        "did not hold. List the\nkinds of plan the company makes there (campaigns, launches, "
        "deals…), and the lessons that\nname them are gathered here."), page
    assert "At a glance" not in page and "<table>" not in page and "below" not in page

    planned = run_cli("plan", "launch", "--root", str(root), "--as-of", AS_OF)
    assert planned.exit_code == 2 and "Traceback" not in planned.output, planned.output
    assert planned.output == ("error: unknown plan kind 'launch' (taxonomy.yml lists no plan "
                              "kind yet: add launch to plan_kinds there, with its title)\n")

    postmortem = root / "postmortems" / "2026-09-the-launch-week.md"
    postmortem.write_text(LAUNCH_WEEK.replace("kind: other\n", "kind: other\nplan_kind: launch\n")
                          .replace("ugly: []\n", "ugly: []\nlessons:\n  - lesson: Run imports "
                                   "before launch day.\n    applies_to: [launch, Product "
                                   "launches]\n"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1 and "Traceback" not in checked.output, checked.output
    name = "postmortems/2026-09-the-launch-week.md"
    assert [line for line in checked.output.splitlines() if line.startswith(name)] == [
        f"{name}:5:12  plan_kind  unknown plan kind 'launch' (taxonomy.yml lists no plan kind "
        "yet: add launch to plan_kinds there, with its title)",
        f"{name}:19:18  lessons[0].applies_to[0]  unknown plan kind 'launch' (taxonomy.yml "
        "lists no plan kind yet: add launch to plan_kinds there, with its title)",
        f"{name}:19:26  lessons[0].applies_to[1]  must be an id of lowercase ASCII letters "
        '(a-z), digits and hyphens (got "Product launches") (taxonomy.yml lists no plan kind '
        "yet: add product-launches to plan_kinds there, with its title)"], checked.output
