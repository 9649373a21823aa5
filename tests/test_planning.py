"""``hindsight plan KIND``: the checklist before planning, on the sample (golden) and on a small
hand-worked knowledge base."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from conftest import (
    CARDS_TO_CRM,
    HERE,
    QUOTE_FLOW,
    REPO,
    THANKS_FROM_CRM,
    event_kb,
    event_postmortem,
    make_kb,
    run_cli,
)
from generator.commands.cli import main
from generator.paths import RenderOptions
from generator.site.build import build
from sitetools import checklist_items

AS_OF = "2026-12-03"


def test_plan_campaign_on_the_sample(golden: Callable[[Path, str], None]) -> None:
    result = run_cli("plan", "campaign", "--root", str(REPO), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    golden(HERE / "goldens" / "plan-campaign.txt", result.output)
    markdown = run_cli("plan", "campaign", "--format", "markdown", "--root", str(REPO),
                       "--as-of", AS_OF)
    golden(HERE / "goldens" / "plan-campaign.md", markdown.output)


def test_plan_wraps_to_the_terminal_and_keeps_addresses_whole() -> None:
    # In an 80-column terminal lines ran to 140 columns (a lesson, then its record and
    # address on one line): they wrap between words under the item's own indent now.
    one_line = run_cli("plan", "quarter", "--root", str(REPO), "--as-of", AS_OF)
    narrow = CliRunner().invoke(main, ["plan", "quarter", "--root", str(REPO), "--as-of",
                                       AS_OF], env={"COLUMNS": "60"})
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.output.splitlines()
    addresses = [line for line in lines if line.strip().startswith("https://")]
    # The plan page's own address under the title, each record's under its item.
    assert addresses[0].startswith("https://")
    assert all(line.startswith("      https://") for line in addresses[1:])
    too_wide = [line for line in lines if len(line) > 60 and line not in addresses]
    assert not too_wide, too_wide
    # The same words in the same order, and each item's text under its words, not its box.
    assert narrow.output.split() == one_line.output.split()
    item = next(i for i, line in enumerate(lines) if line.startswith("  [ ] Commit a deal"))
    assert lines[item + 1].startswith("      ") and not lines[item + 1].startswith("       ")
    assert max(map(len, one_line.output.splitlines())) > 80  # piped: one line per item


def _postmortem(slug: str, held: str, lessons: list[str], extra: str = "") -> tuple[str, str]:
    body = "".join(f'  - lesson: "{text}"\n    applies_to: [campaign]\n' for text in lessons)
    return (f"postmortems/{slug}.md",
            f"---\ntype: postmortem\nname: {slug.title()}\nkind: campaign\noutcome: loss\n"
            f"summary: What happened.\nteam: marketing\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: Ann\nlessons:\n{body}{extra}---\n\nStory.\n")


def test_the_markdown_checklist_pasted_into_github_notifies_and_links_nothing(
        tmp_path: Path) -> None:
    # For pasting into a planning document: pasted into a GitHub issue, a lesson's "@octocat"
    # pinged them, "#1" cross-referenced issue 1 and a bare address became a link.
    root = make_kb(tmp_path / "kb", dict([_postmortem(
        "alpha", "2026-01-10", ["Ask @octocat before #1 or GH-2 ships; see https://evil.example/x."],
        "assumptions:\n  - {statement: 'www.example.com stays up', held: false}\n")]))
    result = run_cli("plan", "campaign", "--format", "markdown", "--root", str(root),
                     "--as-of", "2026-03-11")
    assert result.exit_code == 0, result.output
    joiner = "\u2060"
    assert (f"Ask @{joiner}octocat before #{joiner}1 or GH-{joiner}2 ships; see "
            f"https:{joiner}//evil.example/x." in result.output), result.output
    assert f"We assumed: www{joiner}.example.com stays up" in result.output
    # Read as text, nothing changed: the joiners are invisible.
    assert "@octocat" in result.output.replace(joiner, "")


def test_repeated_lessons_come_first_then_the_newest(tmp_path: Path) -> None:
    # Three post-mortems: "Validate the list" is learned twice (reworded), so it leads although
    # "Book the venue early" is newer; then the newest single lesson, then the oldest.
    root = make_kb(tmp_path / "kb", dict([
        _postmortem("alpha", "2026-01-10", ["Validate the bought list before any send.",
                                            "Name an owner for every sequence."]),
        _postmortem("bravo", "2026-02-10", ["Validate any bought list before the send."],
                    "assumptions:\n  - {statement: Lists were clean., held: false, note: 30% bounced.}\n"
                    "actions:\n  - {id: B-1, title: Buy a validation tool, owner: Bo, due: 2026-03-01}\n"),
        _postmortem("charlie", "2026-03-10", ["Book the venue early."]),
    ]))
    result = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-03-11")
    assert result.exit_code == 0, result.output
    lessons = [line.strip() for line in result.output.splitlines() if line.strip().startswith("[ ]")]
    assert lessons == [
        "[ ] Validate any bought list before the send.",  # newest wording of the repeated one
        "[ ] Book the venue early.",
        "[ ] Name an owner for every sequence.",
        "[ ] We assumed: Lists were clean. What happened: 30% bounced.",
        # Due 2026-03-01, judged on 2026-03-11: ten days overdue.
        "[ ] B-1  Buy a validation tool — Bo, due 2026-03-01, overdue 10 days",
    ]
    assert "learned 2 times, last in Bravo, held 2026-02-10" in result.output


def test_a_post_mortem_informs_a_plan_kind_of_the_companys_own(tmp_path: Path) -> None:
    """`new postmortem --kind other --plan-kind partner-program`: the draft names the plan
    kind, the kind's held_within_days (21) judges it, and its failed assumption and lesson
    reach `hindsight plan partner-program`."""
    root = make_kb(tmp_path / "kb", {})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "plan_kinds:\n", "plan_kinds:\n  - id: partner-program\n    title: Partner programmes\n"
        "    held_within_days: 21\n"))
    made = run_cli("new", "postmortem", "--name", "The Spring Reseller Push", "--kind", "other",
                   "--plan-kind", "partner-program", "--team", "sales", "--ended", "2026-04-30",
                   "--held", "2026-05-16", "--facilitator", "Ana Silva", "--root", str(root))
    assert made.exit_code == 0, made.output
    draft = root / "postmortems" / "2026-04-the-spring-reseller-push.md"
    text = draft.read_text()
    assert "\nplan_kind: partner-program" in text
    text = text.replace("\nassumptions:\n", "\nassumptions:\n  - {statement: Resellers would "
                        "co-market., held: false, note: Two of nine did.}\n")
    text = text.replace("\nlessons:\n", "\nlessons:\n  - lesson: Sign co-marketing terms before "
                        "launch.\n    applies_to: [partner-program]\n")
    draft.write_text(text)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-05-20")
    assert "held 16 days after" not in checked.output  # within the kind's 21 days
    plan = run_cli("plan", "partner-program", "--root", str(root), "--as-of", "2026-05-20")
    assert plan.exit_code == 0, plan.output
    assert "We assumed: Resellers would co-market. What happened: Two of nine did." in plan.output
    assert "Sign co-marketing terms before launch." in plan.output
    wrong = run_cli("new", "postmortem", "--name", "X", "--kind", "other", "--plan-kind",
                    "partner-programs", "--team", "sales", "--root", str(root))
    assert wrong.exit_code == 2
    assert "unknown plan kind 'partner-programs' (did you mean partner-program?" in wrong.output


def test_plan_lists_each_distinct_japanese_lesson_once(tmp_path: Path) -> None:
    # Tokyo (March) and Osaka (June) both wrote QUOTE_FLOW word for word: one lesson, learned
    # twice. CARDS_TO_CRM and THANKS_FROM_CRM share only "crm", "るこ" and "こと" of their 23
    # and 21 words (character pairs): fewer than half, never compared, two lessons. So three
    # lessons: the repeated one, then June's, then March's. (Split on ASCII only, QUOTE_FLOW had
    # no words and matched nothing, so it was listed twice, and the CRM pair, "crm" against
    # "48 crm", scored 1.0 and Tokyo's lesson vanished into Osaka's.)
    root = event_kb(tmp_path / "kb", {
        "postmortems/tokyo-expo.md": event_postmortem(
            "東京展示会", "2026-03-20", [QUOTE_FLOW, CARDS_TO_CRM]),
        "postmortems/osaka-expo.md": event_postmortem(
            "大阪展示会", "2026-06-15", [QUOTE_FLOW, THANKS_FROM_CRM]),
    })
    result = run_cli("plan", "event", "--root", str(root), "--as-of", "2026-07-01")
    assert result.exit_code == 0, result.output
    lessons = result.output.split("Lessons (most repeated, then newest, first)\n")[1]
    assert lessons.split("\n\n")[0].splitlines() == [
        f"  [ ] {QUOTE_FLOW}",
        "      learned 2 times, last in 大阪展示会, held 2026-06-15",
        "      also in 東京展示会, held 2026-03-20",
        f"  [ ] {THANKS_FROM_CRM}",
        "      learned in 大阪展示会, held 2026-06-15",
        f"  [ ] {CARDS_TO_CRM}",
        "      learned in 東京展示会, held 2026-03-20",
    ]
    # The site's checklist page lists the same three, in the same order.
    page = build(root, dt.date(2026, 7, 1), RenderOptions()).files["plan/event.md"].decode()
    listed = checklist_items(page.split("## Lessons", 1)[1].split("\n## ", 1)[0])
    assert [line.split(" — ", 1)[0] for line in listed] == [
        f"- {QUOTE_FLOW}", f"- {THANKS_FROM_CRM}", f"- {CARDS_TO_CRM}"]
    assert listed[0].endswith("(written 2 times)")


def _field_postmortem(name: str, held: str, lessons: list[str]) -> str:
    """A post-mortem written as a field-marketing team writes them: block lists, single quotes,
    the lessons before the summary."""
    listed = "".join(f"  - applies_to:\n      - campaign\n    lesson: '{text}'\n"
                     for text in lessons)
    return (f"---\ntype: postmortem\nname: '{name}'\nkind: campaign\nteam: marketing\n"
            f"lessons:\n{listed}outcome: loss\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: 'Rui Costa'\nsummary: 'The list bounced.'\n---\n\nWhat happened.\n")


VALIDATE_LONG = ("Validate bought or rented lists before they enter any live sequence, "
                 "whoever the vendor is.")


def test_a_short_lesson_inside_a_long_one_is_a_lesson_of_its_own(tmp_path: Path) -> None:
    # "Validate lists" has two words, both in VALIDATE_LONG: token-set similarity 1.0, and the
    # checklist showed only "Validate lists", learned 3 times. Worked by hand: the shared words
    # "lists validate" are 14 characters of VALIDATE_LONG's 89 (75 letters of 15 words and 14
    # spaces): 0.16, under half, so two lessons. The long one, twice, leads.
    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-01-dach-list-buy.md": _field_postmortem(
            "DACH list buy", "2026-01-20", [VALIDATE_LONG]),
        "postmortems/2026-03-nordics-list-rental.md": _field_postmortem(
            "Nordics list rental", "2026-03-18", [VALIDATE_LONG]),
        "postmortems/2026-05-benelux-webinar-invite.md": _field_postmortem(
            "Benelux webinar invite", "2026-05-12", ["Validate lists"]),
    })
    assert _printed_lessons(root, "2026-06-01") == [
        f"  [ ] {VALIDATE_LONG}",
        "      learned 2 times, last in Nordics list rental, held 2026-03-18",
        "      also in DACH list buy, held 2026-01-20",
        "  [ ] Validate lists",
        "      learned in Benelux webinar invite, held 2026-05-12",
    ]
    page = build(root, dt.date(2026, 6, 1), RenderOptions()).files["plan/campaign.md"].decode()
    listed = [line.split(" — ", 1)[0] for line in checklist_items(page) if "We assumed" not in line]
    assert listed == [f"- {VALIDATE_LONG}", "- Validate lists"]


def test_a_repeated_lesson_reads_as_its_most_specific_wording(tmp_path: Path) -> None:
    # The newer wording drops "and the economic buyer". Worked by hand: all 8 of its words are
    # in the older one (similarity 1.0); they are 47 characters (40 letters, 7 spaces) of the
    # older one's 66 (adding "and", "buyer", "economic" and 3 spaces): 0.71, one lesson. The
    # older wording says more (66 against 47), so the checklist shows it, learned twice and
    # last in the newer record (the newest wording was shown, and the buyer was lost).
    older = "Send the renewal pricing to the champion and the economic buyer before the QBR."
    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-02-q1-renewals.md": _field_postmortem(
            "Q1 renewals", "2026-02-27", [older]),
        "postmortems/2026-04-q2-renewals.md": _field_postmortem(
            "Q2 renewals", "2026-04-30", ["Send renewal pricing to the champion before the QBR."]),
    })
    assert _printed_lessons(root, "2026-05-04") == [
        f"  [ ] {older}", "      learned 2 times, last in Q2 renewals, held 2026-04-30",
        "      also in Q1 renewals, held 2026-02-27"]
    page = build(root, dt.date(2026, 5, 4), RenderOptions()).files["plan/campaign.md"].decode()
    assert f"- {older} — " in page and "(written 2 times)" in page
    assert "Send renewal pricing to the champion before the QBR." not in page


def _printed_lessons(root: Path, as_of: str) -> list[str]:
    """The lines of the lessons `hindsight plan campaign` prints as of ``as_of``."""
    result = run_cli("plan", "campaign", "--root", str(root), "--as-of", as_of)
    assert result.exit_code == 0, result.output
    lessons = result.output.split("Lessons (most repeated, then newest, first)\n")[1]
    return lessons.split("\n\n")[0].splitlines()


def test_plan_as_of_a_date_leaves_out_lessons_of_records_held_after_it() -> None:
    # The Quillon Loss (held 2026-10-21) and Sales' October retro (held 2026-11-03) teach deal
    # lessons: not yet learned as of 2026-10-01, as the site's deal checklist of that day
    # shows; learned by 2026-11-10.
    before = run_cli("plan", "deal", "--root", str(REPO), "--as-of", "2026-10-01")
    after = run_cli("plan", "deal", "--root", str(REPO), "--as-of", "2026-11-10")
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    for later in ("The Quillon Loss", "Sales retro — October 2026"):
        assert later not in before.output and later in after.output, later


def test_opposite_orders_of_the_same_words_are_two_lessons(tmp_path: Path) -> None:
    # "Follow up by phone before email." and "Follow up by email before phone." share every
    # word (token-set similarity 1.0) and merged as one lesson "learned 2 times": the earlier
    # advice vanished from the plan, the site and the recall. Shared words that swap sides of
    # an ordering or comparison word now keep them apart; a clause moved keeps them one.
    files = dict([
        ("postmortems/2025-03-spring-fair.md", event_postmortem(
            "Spring Fair", "2025-03-20", ["Follow up by phone before email.",
                                          "Staff the booth with AEs, not SDRs."])),
        ("postmortems/2025-06-summer-expo.md", event_postmortem(
            "Summer Expo", "2025-06-18", ["Follow up by email before phone.",
                                          "Confirm the venue before the kickoff."])),
        ("postmortems/2025-09-autumn-summit.md", event_postmortem(
            "Autumn Summit", "2025-09-25", ["Staff the booth with SDRs, not AEs.",
                                            "Before the kickoff, confirm the venue.",
                                            "Webinars convert better than trade shows."])),
        ("postmortems/2025-11-winter-forum.md", event_postmortem(
            "Winter Forum", "2025-11-12", ["Trade shows convert better than webinars."])),
    ])
    root = event_kb(tmp_path / "kb", files)
    result = run_cli("plan", "event", "--root", str(root), "--as-of", "2025-12-01")
    assert result.exit_code == 0, result.output
    lessons = result.output.split("Lessons (most repeated, then newest, first)\n")[1]
    assert lessons.split("\n\n")[0].splitlines() == [
        "  [ ] Before the kickoff, confirm the venue.",
        "      learned 2 times, last in Autumn Summit, held 2025-09-25",
        "      also in Summer Expo, held 2025-06-18",
        "  [ ] Trade shows convert better than webinars.",
        "      learned in Winter Forum, held 2025-11-12",
        "  [ ] Staff the booth with SDRs, not AEs.",
        "      learned in Autumn Summit, held 2025-09-25",
        "  [ ] Webinars convert better than trade shows.",
        "      learned in Autumn Summit, held 2025-09-25",
        "  [ ] Follow up by email before phone.",
        "      learned in Summer Expo, held 2025-06-18",
        "  [ ] Follow up by phone before email.",
        "      learned in Spring Fair, held 2025-03-20",
        "  [ ] Staff the booth with AEs, not SDRs.",
        "      learned in Spring Fair, held 2025-03-20",
    ]
    page = build(root, dt.date(2025, 12, 1), RenderOptions()).files["plan/event.md"].decode()
    listed = [line.split(" — ", 1)[0] for line in checklist_items(page)]
    assert "- Follow up by phone before email." in listed
    assert "- Follow up by email before phone." in listed
    assert page.count("(written 2 times)") == 1
    recalled = run_cli("recall", str(root / "postmortems/2025-09-autumn-summit.md"),
                       "--root", str(root), "--as-of", "2025-12-01")
    assert recalled.exit_code == 0, recalled.output
    before = recalled.output.split("Lessons learned before\n")[1].strip().split("\n\n")[0]
    assert before.startswith("- Before the kickoff, confirm the venue. — learned before in ")
    assert len(before.splitlines()) == 1  # not "Staff the booth with SDRs, not AEs."


def _fair(name: str, held: str, assumptions: list[tuple[str, str]]) -> str:
    """A trade-show post-mortem with failed assumptions (statement, note) and no lesson."""
    failed = "".join(f'  - statement: "{text}"\n    held: false\n    note: "{note}"\n'
                     for text, note in assumptions)
    return (f"---\ntype: postmortem\nname: {name}\nkind: event\noutcome: loss\n"
            f"summary: Messe-Rückblick.\nteam: marketing\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: Jonas Weber\nassumptions:\n{failed}---\n\n# {name}\n")


def test_a_failed_assumption_repeated_is_one_item_with_its_count_everywhere(
        tmp_path: Path) -> None:
    # The site merged the same failed assumption from three fairs ("3 times") while `hindsight
    # plan`, recall and the new draft's "Before you start" listed it three times, newest first;
    # the plan page showed it with no count and its notes as "…on holiday.; The only…".
    root = event_kb(tmp_path / "kb", {
        "postmortems/2025-02-hanover-fair.md": _fair("Hanover Fair", "2025-02-14", [
            ("The venue would supply the stand crew.", "The venue staff were on holiday."),
            ("Visitors would book meetings ahead", "Nine of forty did")]),
        "postmortems/2025-05-munich-expo.md": _fair("Munich Expo", "2025-05-22", [
            ("the venue would supply the stand crew", "The only crew agency was booked out.")]),
        "postmortems/2025-09-cologne-summit.md": _fair("Cologne Summit", "2025-09-30", [
            ("The venue would supply the stand crew!", "The only crew agency was booked out.")]),
    })
    result = run_cli("plan", "event", "--root", str(root), "--as-of", "2025-10-15")
    assert result.exit_code == 0, result.output
    failed = result.output.split("Assumptions that did not hold\n")[1].split("\n\n")[0]
    assert failed.splitlines() == [
        "  [ ] We assumed: The venue would supply the stand crew! What happened: The only crew agency was "
        "booked out (Cologne Summit, Munich Expo). The venue staff were on holiday (Hanover Fair).",
        "      did not hold 3 times, last in Cologne Summit, held 2025-09-30",
        "      also in Munich Expo, held 2025-05-22",
        "      also in Hanover Fair, held 2025-02-14",
        "  [ ] We assumed: Visitors would book meetings ahead. What happened: Nine of forty did.",
        "      Hanover Fair, held 2025-02-14",
    ]
    markdown = run_cli("plan", "event", "--format", "markdown", "--root", str(root),
                       "--as-of", "2025-10-15").output
    assert markdown.count("We assumed:") == 2
    assert ("(did not hold 3 times, in Cologne Summit, held 2025-09-30; Munich Expo, held "
            "2025-05-22; Hanover Fair, held 2025-02-14)") in markdown

    page = build(root, dt.date(2025, 10, 15), RenderOptions()).files["plan/event.md"].decode()
    assumed = [line for line in checklist_items(page) if "We assumed" in line]
    assert len(assumed) == 2
    assert ("What happened: The only crew agency was booked out (Cologne Summit, Munich Expo). "
            "The venue staff were on holiday (Hanover Fair). ("
            in assumed[0].replace("\\", "")) and assumed[0].endswith("(did not hold 3 times)")

    draft = run_cli("new", "postmortem", "--name", "Berlin Forum", "--kind", "event", "--team",
                    "marketing", "--ended", "2025-10-10", "--held", "2025-10-14",
                    "--facilitator", "Jonas Weber", "--root", str(root))
    assert draft.exit_code == 0, draft.output
    text = (root / "postmortems/2025-10-berlin-forum.md").read_text()
    assert text.count("We assumed:") == 2
    assert ("#   - We assumed: The venue would supply the stand crew! It did not hold 3 times "
            "(Cologne Summit, Munich Expo, Hanover Fair).\n") in text
    assert "#   - We assumed: Visitors would book meetings ahead. It did not hold (Hanover Fair)." \
        in text

    recalled = run_cli("recall", str(root / "postmortems/2025-09-cologne-summit.md"),
                       "--root", str(root), "--as-of", "2025-10-15")
    assert recalled.exit_code == 0, recalled.output
    # Recalled without the record itself: the two earlier fairs' assumption, counted twice.
    assert ("- [ ] We assumed: the venue would supply the stand crew. It did not hold 2 times, "
            "in Munich Expo, 2025-05; Hanover Fair, 2025-02." in recalled.output)
    assert recalled.output.count("We assumed:") == 2


def test_an_action_in_progress_reads_in_progress_not_open(tmp_path: Path) -> None:
    """Three actions of a campaign post-mortem held 2026-02-10, judged on 2026-03-11: P-1 was
    raised in progress and is due 2026-04-30; P-2 was set in progress by a March retro and was
    due 2026-03-01, so 10 days overdue; P-3 is open and due 2026-05-15. The plan said "open"
    for P-1 (and "**open**" in Markdown) where "Before you start" and recall say in progress,
    and said nothing of P-2 having been started."""
    actions = ("actions:\n"
               "  - {id: P-1, title: Clean the list, owner: Bo, due: 2026-04-30, "
               "status: in-progress}\n"
               "  - {id: P-2, title: Brief the agency, owner: Bo, due: 2026-03-01}\n"
               "  - {id: P-3, title: Book the venue, owner: Ann, due: 2026-05-15}\n")
    retro = ("---\ntype: retro\nperiod: 2026-02\nteam: marketing\nheld: 2026-03-04\n"
             "facilitator: Ann\nformat: five-whys\nindicators: {}\n"
             "action_updates:\n  - {id: P-2, status: in-progress, note: Agency picked}\n"
             "---\n\nNotes.\n")
    root = make_kb(tmp_path / "kb", dict([
        _postmortem("delta", "2026-02-10", ["Clean the list first."], actions),
        ("retros/2026-02-marketing.md", retro)]))
    text = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-03-11")
    assert text.exit_code == 0, text.output
    items = [line.strip() for line in text.output.splitlines() if line.strip().startswith("[ ] P-")]
    assert items == ["[ ] P-2  Brief the agency — Bo, due 2026-03-01, overdue 10 days, in progress",
                     "[ ] P-1  Clean the list — Bo, due 2026-04-30, in progress",
                     "[ ] P-3  Book the venue — Ann, due 2026-05-15, open"], text.output
    markdown = run_cli("plan", "campaign", "--format", "markdown", "--root", str(root),
                       "--as-of", "2026-03-11")
    assert markdown.exit_code == 0, markdown.output
    said = {line.split("`")[1]: line.split(", due ")[1].split(" (")[0]
            for line in markdown.output.splitlines() if line.startswith("- [ ] `P-")}
    assert said == {"P-1": "2026-04-30, **in progress**",
                    "P-2": "2026-03-01, **overdue 10 days**, in progress",
                    "P-3": "2026-05-15, **open**"}, markdown.output


def _nurture(name: str, ended: str, assumptions: list[tuple[str, bool, str]]) -> str:
    """A campaign post-mortem whose assumptions are figures: (statement, held, note)."""
    held = (dt.date.fromisoformat(ended) + dt.timedelta(days=5)).isoformat()
    rows = "".join(f"  - statement: '{s}'\n    held: {str(h).lower()}\n    note: '{n}'\n"
                   for s, h, n in assumptions)
    return (f"---\ntype: postmortem\nname: {name}\nkind: campaign\noutcome: mixed\n"
            f"summary: Pipeline at $180k of $250k.\nteam: marketing\nevent_ended: {ended}\n"
            f"held: {held}\nkeeper: Priya Nair\nassumptions:\n{rows}---\n\n# {name}\n")


_NURTURES = {
    "postmortems/2026-01-winter-nurture.md": _nurture("Winter Nurture", "2026-01-30", [
        ("Open rate stays at 25%", False, "Open rate was 18%"),
        ("CPL under €45", True, "It was €41")]),
    "postmortems/2026-07-summer-promo.md": _nurture("Summer Promo", "2026-07-31", [
        ("Open rate stays at 25%", False, "It was 21%"),
        ("A 10% discount lifts conversion to 4%", False, "Conversion was 2.6%")]),
}


def test_the_before_you_plan_index_gives_every_note_and_record_of_an_assumption(
        tmp_path: Path) -> None:
    # The index showed "What happened: It was 21% 2 times — Summer Promo": the newest note
    # alone, unpunctuated, its count read as part of the figure, Winter Nurture dropped.
    root = make_kb(tmp_path / "kb", _NURTURES)
    page = build(root, dt.date(2026, 9, 1), RenderOptions()).files["plan/index.md"].decode()
    item = next(line for line in page.splitlines() if "We assumed: Open rate stays at 25%." in line)
    happened = item.split("What happened: ", 1)[1].split(" <span", 1)[0]
    assert "It was 21%" in happened and "Open rate was 18%" in happened, item
    assert happened.endswith("."), item
    assert '<span class="hs-badge hs-badge--repeat">did not hold 2 times</span>' in item
    sources = item.split('<span class="hs-source">— ', 1)[1]
    assert sources.index("Summer Promo</a>, ") < sources.index("Winter Nurture</a>"), item


def test_merged_notes_name_the_record_each_figure_is_from(tmp_path: Path) -> None:
    # `hindsight plan campaign` read "What happened: It was 21%. Open rate was 18%.": two
    # campaigns' figures, merged, and no saying which was whose.
    root = make_kb(tmp_path / "kb", _NURTURES)
    said = "It was 21% (Summer Promo). Open rate was 18% (Winter Nurture)."
    text = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-09-01").output
    assert f"We assumed: Open rate stays at 25%. What happened: {said}\n" in text
    # A note of an assumption one record wrote has no name to add: its record follows.
    assert "What happened: Conversion was 2.6%.\n" in text
    markdown = run_cli("plan", "campaign", "--format", "markdown", "--root", str(root),
                       "--as-of", "2026-09-01").output
    assert ("What happened: It was 21% \\(Summer Promo\\). Open rate was 18% \\(Winter "
            "Nurture\\).") in markdown
    files = build(root, dt.date(2026, 9, 1), RenderOptions()).files
    assumed = [line for line in checklist_items(files["plan/campaign.md"].decode())
               if "Open rate stays" in line]
    assert len(assumed) == 1 and f"What happened: {said}" in assumed[0].replace("\\", "")
    index = files["plan/index.md"].decode()
    assert f"What happened: {said} <span" in index


def _deal(name: str, won: bool, ended: str, assumptions: list[tuple[str, bool]]) -> str:
    kind, outcome = ("deal-won", "win") if won else ("deal-lost", "loss")
    rows = "".join(f"  - statement: '{s}'\n    held: {str(h).lower()}\n" for s, h in assumptions)
    return (f"---\ntype: postmortem\nname: {name}\nkind: {kind}\noutcome: {outcome}\n"
            f"summary: A $240,000 ACV deal.\nteam: sales\nevent_ended: {ended}\nheld: {ended}\n"
            f"keeper: K\ndeal:\n  customer: {name}\n  chose_us: {str(won).lower()}\n  why: W.\n"
            f"assumptions:\n{rows}---\n\n# {name}\n")


def test_an_assumption_that_failed_and_later_held_says_where_it_held(tmp_path: Path) -> None:
    # "The champion could sign alone." failed in The Acme Loss and held in The Globex Win; the
    # deals checklist listed it as failed, full stop, as if it never held.
    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-02-the-acme-loss.md": _deal("The Acme Loss", False, "2026-02-10", [
            ("The champion could sign alone.", False),
            ("Procurement signs off on a 12% discount within 30 days.", False)]),
        "postmortems/2026-05-the-globex-win.md": _deal("The Globex Win", True, "2026-05-20", [
            ("The champion could sign alone", True),
            ("A €90k budget line exists.", True)]),
    })
    text = run_cli("plan", "deal", "--root", str(root), "--as-of", "2026-06-01").output
    failed = text.split("Assumptions that did not hold\n")[1].split("\n\n")[0].splitlines()
    champion = failed.index("  [ ] We assumed: The champion could sign alone.")
    assert failed[champion + 1] == ("      did not hold 1 of 2 times (held in The Globex Win), "
                                    "in The Acme Loss, held 2026-02-10")
    # One that held everywhere is no item; one that only failed reads as before.
    assert "budget line" not in text
    assert "      The Acme Loss, held 2026-02-10" in failed
    markdown = run_cli("plan", "deal", "--format", "markdown", "--root", str(root),
                       "--as-of", "2026-06-01").output
    assert "(did not hold 1 of 2 times (held in The Globex Win), in The Acme Loss," in markdown
    files = build(root, dt.date(2026, 6, 1), RenderOptions()).files
    item = next(line for line in checklist_items(files["plan/deal.md"].decode())
                if "champion" in line)
    assert "(did not hold 1 of 2 times; held in [The Globex Win](" in item, item
    index = next(line for line in files["plan/index.md"].decode().splitlines()
                 if "champion" in line)
    assert ">did not hold 1 of 2 times</span>" in index and "; held in <a" in index, index

    draft = run_cli("new", "postmortem", "--name", "The Initech Deal", "--kind", "deal-lost",
                    "--team", "sales", "--ended", "2026-05-30", "--held", "2026-06-01",
                    "--root", str(root))
    assert draft.exit_code == 0, draft.output
    body = (root / "postmortems/2026-05-the-initech-deal.md").read_text()
    assert ("We assumed: The champion could sign alone. It did not hold 1 of 2 times "
            "(The Acme Loss; held in The Globex Win).") in body


def test_a_lesson_learned_several_times_names_every_record_in_the_terminal_too(
        tmp_path: Path) -> None:
    # "learned 3 times, last in Usage-Pilot" named one record, where the site lists all three.
    lesson = "Cap the launch discount at 15% and end it after 30 days."
    root = make_kb(tmp_path / "kb", dict([
        _postmortem("seat-tier-test", "2025-09-12", [lesson]),
        _postmortem("eur-price-rise", "2026-02-03", [lesson]),
        _postmortem("usage-pilot", "2026-06-19", [lesson]),
    ]))
    text = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-07-01").output
    lines = text.splitlines()
    at = lines.index(f"  [ ] {lesson}")
    assert lines[at + 1:at + 4] == [
        "      learned 3 times, last in Usage-Pilot, held 2026-06-19",
        "      also in Eur-Price-Rise, held 2026-02-03",
        "      also in Seat-Tier-Test, held 2025-09-12",
    ]
    markdown = run_cli("plan", "campaign", "--format", "markdown", "--root", str(root),
                       "--as-of", "2026-07-01").output
    assert ("— learned 3 times, in Usage-Pilot, held 2026-06-19; Eur-Price-Rise, held "
            "2026-02-03; Seat-Tier-Test, held 2025-09-12\n") in markdown
