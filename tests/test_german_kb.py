"""A German refrigeration company's knowledge base, typed as a German team types: dates day
first with points (``03.11.2026``), months as ``11.2026`` or ``März 2026``, team and cause
names with umlauts and ß. Each is told what to write, at its line, or understood."""

from __future__ import annotations

from pathlib import Path

from conftest import generate_into, run_cli

AS_OF = "2026-12-07"

TAXONOMY = """company: Kältetechnik Brunner GmbH
currency: "€"
causes:
  - id: uebergabe-luecken
    title: Übergabe-Lücken zwischen Vertrieb und Kundenerfolg
    description: Bei der Übergabe nach Vertragsabschluss gehen Absprachen verloren.
indicators:
  - id: abschlussquote
    label: Abschlussquote
    unit: rate
    better: up
    description: Gewonnene Abschlüsse im Verhältnis zu allen entschiedenen Angeboten.
teams:
  - id: vertrieb-sued
    name: Vertrieb Süd
  - id: kundenerfolg
    name: Kundenerfolg
plan_kinds:
  - id: verlaengerung
    title: Vertragsverlängerungen
    renewal: true
"""

RETRO = """---
type: retro
period: {period}
team: vertrieb-sued
title: "Vertrieb Süd Retro — November 2026"
held: {held}
facilitator: "Jürgen Weiß"
participants: ["Käthe Groß"]
format: went-well-didnt
indicators:
  abschlussquote: "14/37"
actions:
  - id: VS-2026-11-1
    title: "Übergabe-Checkliste für Großkälteanlagen einführen"
    owner: "Jürgen Weiß"
    due: {due}
    status: open
    cause: uebergabe-luecken
---

# Vertrieb Süd Retro — November 2026

Am 03.12.2026 besprochen: Abschlussquote 14 von 37.
"""

KUENDIGUNG = """---
type: postmortem
name: "Die Kündigung von Kühlhaus Weiß"
kind: other
outcome: loss
plan_kind: verlaengerung
summary: "Kühlhaus Weiß & Söhne hat den Wartungsvertrag gekündigt."
team: kundenerfolg
event_ended: 31.10.2026
held: 2026-11-05
keeper: "Jürgen Weiß"
timeline:
  - when: "15.08.2026 14:30"
    what: "Ausfall der Verdichteranlage"
---

# Die Kündigung von Kühlhaus Weiß
"""


def german_kb(root: Path, period: str = "2026-11", held: str = "2026-12-03",
              due: str = "2026-12-28") -> Path:
    """The knowledge base, its November retro written with the fields given."""
    (root / "retros").mkdir(parents=True)
    (root / "postmortems").mkdir()
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    (root / "retros" / "2026-11-vertrieb-sued.md").write_text(
        RETRO.format(period=period, held=held, due=due), encoding="utf-8")
    return root


def test_dates_written_day_first_are_told_the_date_to_write(tmp_path: Path) -> None:
    """``held: 3.12.2026`` was told only "write the calendar date as YYYY-MM-DD", leaving
    the reader to turn it round (and a German reader to wonder whether 3.12. was read as
    March); a month ``11.2026``, which YAML reads as the number 11.2026, "write YYYY-MM".
    Each is now told the date it stands for."""
    root = german_kb(tmp_path / "kb", period="11.2026", held="3.12.2026", due='"28.12.2026"')
    (root / "postmortems" / "2026-10-die-kuendigung-von-kuehlhaus-weiss.md").write_text(
        KUENDIGUNG, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    errors = [line for line in checked.output.splitlines() if line.startswith(("retros/", "postmortems/"))]
    retro, postmortem = "retros/2026-11-vertrieb-sued.md", \
        "postmortems/2026-10-die-kuendigung-von-kuehlhaus-weiss.md"
    assert errors == [
        f"{postmortem}:9:14  event_ended  must be a date like 2026-06-30 (got \"31.10.2026\") "
        "(31.10.2026 is day.month.year: write 2026-10-31, year first)",
        f"{postmortem}:13:11  timeline[0].when  must be a date like 2026-06-30 or a date and "
        "time like 2026-06-30 14:00 (got \"15.08.2026 14:30\") (15.08.2026 14:30 is "
        "day.month.year: write 2026-08-15 14:30, year first)",
        f"{retro}:3:9  period  must be a month like 2026-05 (got 11.2026) (11.2026 is "
        "month.year: write 2026-11, year first)",
        f"{retro}:6:7  held  must be a date like 2026-06-30 (got \"3.12.2026\") (3.12.2026 is "
        "day.month.year: write 2026-12-03, year first)",
        f"{retro}:16:10  actions[0].due  must be a date like 2026-06-30 (got \"28.12.2026\") "
        "(28.12.2026 is day.month.year: write 2026-12-28, year first)",
    ], checked.output
    assert "Traceback" not in checked.output


def test_a_day_that_is_not_in_the_calendar_gets_no_date_to_write(tmp_path: Path) -> None:
    """31.11.2026 has no date to stand for: the general hint, not a made-up date."""
    root = german_kb(tmp_path / "kb", held="31.11.2026")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert ('held  must be a date like 2026-06-30 (got "31.11.2026") (write the calendar date '
            "as YYYY-MM-DD)") in checked.output, checked.output


def test_new_takes_german_month_names_and_tells_a_day_first_date(tmp_path: Path) -> None:
    """``--period "März 2026"`` was refused while ``March 2026`` was taken; ``--ended
    03.11.2026`` was refused without the date to give."""
    root = german_kb(tmp_path / "kb")
    for said, file in (("März 2026", "2026-03"), ("Okt 2026", "2026-10"),
                       ("Dezember 2025", "2025-12"), ("Jänner 2026", "2026-01")):
        made = run_cli("new", "retro", "--team", "Kundenerfolg", "--period", said,
                       "--root", str(root))
        assert made.exit_code == 0, made.output
        assert made.stdout.strip().endswith(f"retros/{file}-kundenerfolg.md"), made.output
    refused = run_cli("new", "retro", "--team", "Kundenerfolg", "--period", "11.2026",
                      "--root", str(root))
    assert refused.exit_code == 2
    assert refused.stderr == ('error: --period must be a month like 2026-05 (got "11.2026") '
                              "(11.2026 is month.year: write 2026-11, year first)\n")
    refused = run_cli("new", "postmortem", "--name", "Die Kündigung von Kühlhaus Weiß",
                      "--kind", "other", "--plan-kind", "verlaengerung", "--team",
                      "kundenerfolg", "--ended", "03.11.2026", "--root", str(root))
    assert refused.exit_code == 2
    assert refused.stderr == ("error: --ended must be a date like 2026-06-30 (got "
                              "'03.11.2026') (03.11.2026 is day.month.year: write 2026-11-03, "
                              "year first)\n")


def test_a_heading_with_sz_keeps_it_in_its_anchor(tmp_path: Path) -> None:
    """A body heading "Größte Baustelle: „Kälte“" had the id ``grote-baustelle-kalte``: the
    ß was dropped (and "Kühlhaus Weiß" was ``kuhlhaus-wei``), so a link written as a German
    reader spells it, ``#grosste-baustelle-kalte``, was an error. The ß is written ss, as in
    record ids and owner pages."""
    root = german_kb(tmp_path / "kb")
    retro = root / "retros" / "2026-11-vertrieb-sued.md"
    retro.write_text(retro.read_text(encoding="utf-8") + (
        "\nSiehe [die größte Baustelle](#grosste-baustelle-kalte).\n\n"
        "## Größte Baustelle: „Kälte“\n\nKühlhaus Weiß & Söhne hat gekündigt.\n"),
        encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    out = generate_into(root, tmp_path / "out", AS_OF)
    page = (out / "records" / "2026-11-vertrieb-sued.md").read_text(encoding="utf-8")
    assert 'id="grosste-baustelle-kalte"' in page, page
    assert 'href="#grosste-baustelle-kalte"' in page, page


def _listed(root: Path, *args: str) -> list[str]:
    """The ids `hindsight actions ARGS --all --format json` lists."""
    import json

    listed = run_cli("actions", *args, "--all", "--format", "json", "--root", str(root),
                     "--as-of", AS_OF)
    assert listed.exit_code == 0, listed.output
    return [row["id"] for row in json.loads(listed.stdout)["actions"]]


def test_actions_are_found_with_umlauts_typed_as_ae_oe_ue(tmp_path: Path) -> None:
    """``--owner "Juergen Weiss"``, as Jürgen Weiß is typed on a keyboard without umlauts
    (and as validation already calls the same person), was "no action has the owner";
    ``hindsight actions Kuendigung`` or ``Grosskaelteanlagen`` found nothing, though the
    action's title says Großkälteanlagen and ``Übergabe`` was found as the cause's id."""
    root = german_kb(tmp_path / "kb")
    for owner in ("Juergen Weiss", "Weiss, Juergen", "juergen", "Jürgen Weiß", "WEISS"):
        assert _listed(root, "--owner", owner) == ["VS-2026-11-1"], owner
    for text in ("Grosskaelteanlagen", "grosskalteanlagen", "Großkälteanlagen",
                 "einfuehren", "Luecken", "vertrieb sued retro"):
        assert _listed(root, text) == ["VS-2026-11-1"], text
    assert _listed(root, "Kuehlhaus") == []
    refused = run_cli("actions", "--owner", "Moeller", "--root", str(root), "--as-of", AS_OF)
    assert refused.exit_code == 2, refused.output


def test_ids_typed_with_umlauts_are_told_the_german_spelling(tmp_path: Path) -> None:
    """A German team's first taxonomy writes its ids as its names read: ``vertrieb-süd``,
    ``kündigungsquote``. The hint said "as an id it is written vertrieb-sud" (and
    ``kundigungsquote``, ``spate-angebote``: the dots dropped, words German does not have);
    it now gives German's own spelling first. A record citing ``übergabe-lücken`` where the
    taxonomy has ``uebergabe-luecken`` was "no cause ... did you mean"; it is that id."""
    root = german_kb(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "id: vertrieb-sued", "id: vertrieb-süd").replace(
        "- id: abschlussquote", "- id: Kündigungsquote"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert [line for line in checked.output.splitlines() if line.startswith("taxonomy.yml")] == [
        'taxonomy.yml:8:9  indicators[0].id  must be an id of lowercase ASCII letters (a-z), '
        'digits and hyphens (got "Kündigungsquote") (as an id it is written kuendigungsquote '
        "(ä, ö and ü written ae, oe and ue, as in German) or kundigungsquote; ids are "
        "lowercase words joined by hyphens, e.g. icp-drift)",
        'taxonomy.yml:14:9  teams[0].id  must be an id of lowercase ASCII letters (a-z), '
        'digits and hyphens (got "vertrieb-süd") (as an id it is written vertrieb-sued (ä, ö '
        "and ü written ae, oe and ue, as in German) or vertrieb-sud; ids are lowercase words "
        "joined by hyphens, e.g. icp-drift)"], checked.output

    root = german_kb(tmp_path / "kb2")
    retro = root / "retros" / "2026-11-vertrieb-sued.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace(
        "cause: uebergabe-luecken", "cause: übergabe-lücken"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert ("retros/2026-11-vertrieb-sued.md:18:12  actions[0].cause  must be an id of "
            'lowercase ASCII letters (a-z), digits and hyphens (got "übergabe-lücken") (as an '
            "id it is written uebergabe-luecken)") in checked.output, checked.output


def test_a_german_site_names_a_postmortem_with_umlauts_spelled_out(tmp_path: Path) -> None:
    """``new postmortem --name "Die Kündigung der Bäckerei Weißmüller"`` wrote
    ``2026-11-die-kundigung-der-backerei-weissmuller.md``: Kündigung, Bäckerei and Weißmüller
    without their dots, words German does not have, in a file name that is the record's id
    and its page's address for good. On a site whose ``theme.language`` is German they are
    spelled ae, oe and ue, and a file named otherwise is told that name; a site in another
    language keeps the letters without their dots."""
    name = "Die Kündigung der Bäckerei Weißmüller"
    args = ("new", "postmortem", "--name", name, "--kind", "other", "--plan-kind",
            "verlaengerung", "--team", "kundenerfolg", "--ended", "2026-11-30",
            "--facilitator", "Jürgen Weiß")
    german = german_kb(tmp_path / "de")
    (german / "mkdocs.yml").write_text("site_name: Brunner\ntheme:\n  name: material\n"
                                       "  language: de\n", encoding="utf-8")
    made = run_cli(*args, "--root", str(german))
    assert made.exit_code == 0, made.output
    assert made.stdout.strip() == (
        german / "postmortems" / "2026-11-die-kuendigung-der-baeckerei-weissmueller.md").as_posix()
    assert "no ASCII form" not in made.output
    drafted = german / "postmortems" / "2026-11-die-kuendigung-der-baeckerei-weissmueller.md"
    drafted.rename(german / "postmortems" / "Kündigung Bäckerei.md")
    checked = run_cli("validate", "--root", str(german), "--as-of", AS_OF)
    assert ("postmortems/Kündigung Bäckerei.md:1:1  id  file name \"Kündigung Bäckerei\" is "
            "not a safe record id (rename it "
            "2026-11-die-kuendigung-der-baeckerei-weissmueller.md, the name its event_ended "
            "and name give it") in checked.output, checked.output

    other = german_kb(tmp_path / "en")
    (other / "mkdocs.yml").write_text("site_name: Brunner\ntheme:\n  name: material\n"
                                      "  language: sv\n", encoding="utf-8")
    made = run_cli(*args, "--root", str(other))
    assert made.exit_code == 0, made.output
    assert made.stdout.strip().endswith("/2026-11-die-kundigung-der-backerei-weissmuller.md")


def test_an_amount_typed_with_its_euro_sign_is_told_the_site_shows_euros(tmp_path: Path) -> None:
    """``angebotsvolumen: "1.360.000 €"`` in a knowledge base whose taxonomy.yml says
    ``currency: "€"`` was told the site shows amounts in taxonomy.yml's currency ("$" unless
    set there), which read as dollars to a team that had set euros; it names the euro."""
    root = german_kb(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("teams:", (
        "  - id: angebotsvolumen\n    label: Angebotsvolumen\n    unit: usd\n    better: up\n"
        "    description: Summe der versendeten Angebote.\nteams:")), encoding="utf-8")
    retro = root / "retros" / "2026-11-vertrieb-sued.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace(
        '  abschlussquote: "14/37"\n',
        '  abschlussquote: "14/37"\n  angebotsvolumen: "1.360.000 €"\n'), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert ('retros/2026-11-vertrieb-sued.md:12:20  indicators.angebotsvolumen  must be a number '
            '(got "1.360.000 €") (write 1360000 for 1.360.000 €: a plain number, with a point '
            "for decimals; the site shows amounts in €, taxonomy.yml's `currency:`)"
            ) in checked.output, checked.output


def test_a_quarter_written_as_the_site_writes_it(tmp_path: Path) -> None:
    """The site heads a quarter "Q3 2026" (its retros list, an indicator's By quarter), but
    ``new review --period "Q3 2026"`` was refused, as were ``Q3/2026`` and German's
    ``3. Quartal 2026``; a review's ``period: Q3 2026`` was told "write YYYY-Qn". Each is
    taken, or told the quarter to write."""
    root = german_kb(tmp_path / "kb")
    for said, file in (("Q3 2026", "2026-q3"), ("Q2/2026", "2026-q2"),
                       ("1. Quartal 2026", "2026-q1"), ("2025 Q4", "2025-q4")):
        made = run_cli("new", "review", "--period", said, "--root", str(root))
        assert made.exit_code == 0, made.output
        assert made.stdout.strip().endswith(f"retros/{file}-review.md"), made.output
    refused = run_cli("new", "review", "--period", "Q5 2026", "--root", str(root))
    assert refused.exit_code == 2, refused.output
    review = root / "retros" / "2026-q3-review.md"
    review.write_text(review.read_text(encoding="utf-8").replace(
        "period: 2026-Q3", "period: Q3 2026"), encoding="utf-8")
    checked = run_cli("validate", str(review), "--root", str(root),
                      "--as-of", AS_OF)
    assert ('retros/2026-q3-review.md:5:9  period  must be a quarter like 2026-Q2 (got '
            '"Q3 2026") (write 2026-Q3)') in checked.output, checked.output


REVIEW = """---
type: review
period: 2026-Q3
title: "Quartalsbericht — 2026-Q3"
held: 2026-10-07
facilitator: "Jürgen Weiß"
scorecard:
  - metric: "Neuer Auftragswert"
    goal: {goal}
    actual: {actual}
    unit: usd
    better: up
  - metric: "Abschlussquote"
    goal: {rate}
    unit: rate
    better: up
---

# Quartalsbericht 2026-Q3
"""


def test_amounts_said_in_millions_the_german_way_are_told_the_number(tmp_path: Path) -> None:
    """A German slide's "4 Mio" was told "write 4, a plain number with no unit" (four euros
    for four million), "4,2 Mio. €" and "850 T€" only "write a plain number without
    quotes", and a rate's goal "30 Prozent" "write 30"; each is told the number it is."""
    root = german_kb(tmp_path / "kb")
    (root / "retros" / "2026-q3-review.md").write_text(REVIEW.format(
        goal='"4 Mio"', actual='"4,2 Mio. €"', rate='"30 Prozent"'), encoding="utf-8")
    retro = root / "retros" / "2026-11-vertrieb-sued.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace(
        'abschlussquote: "14/37"', 'abschlussquote: "37,8 Prozent"'), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    lines = [line for line in checked.output.splitlines() if line.startswith("retros/")]
    assert lines == [
        'retros/2026-11-vertrieb-sued.md:11:19  indicators.abschlussquote  must be a number '
        '(got "37,8 Prozent") (write 0.378 for 37,8 Prozent, or as counts, e.g. "18/52")',
        'retros/2026-q3-review.md:9:11  scorecard[0].goal  must be a number (got "4 Mio") '
        "(write 4000000 for 4 Mio, a plain number)",
        'retros/2026-q3-review.md:10:13  scorecard[0].actual  must be a number (got '
        '"4,2 Mio. €") (write 4200000 for 4,2 Mio. €, a plain number)',
        'retros/2026-q3-review.md:14:11  scorecard[1].goal  must be a number (got "30 Prozent") '
        "(write 0.3 for 30 Prozent)",
    ], checked.output
    for said, meant in (('"850 T€"', "850000"), ('"850 Tsd. €"', "850000"),
                        ('"1,5 Mrd. EUR"', "1500000000"), ('"1,2k"', "1200")):
        (root / "retros" / "2026-q3-review.md").write_text(REVIEW.format(
            goal=said, actual="4200000", rate="0.3"), encoding="utf-8")
        checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
        assert f"(write {meant} for {said.strip(chr(34))}, a plain number)" in checked.output, \
            checked.output
    # A thousands comma or a decimal one, unsure which: no figure at all, not a wrong one
    # (it was "write 1250, a plain number with no thousands separator or unit").
    (root / "retros" / "2026-q3-review.md").write_text(REVIEW.format(
        goal='"1,250 Mio"', actual="4200000", rate="0.3"), encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert ('scorecard[0].goal  must be a number (got "1,250 Mio") (write a plain number '
            "without quotes)") in checked.output, checked.output


def test_a_plan_kind_is_taken_by_its_title_and_as_typed_with_umlauts(tmp_path: Path) -> None:
    """`hindsight plan verlängerung` and `hindsight plan Vertragsverlängerungen` were "unknown
    plan kind … (did you mean verlaengerung?)", while `--team` takes a team by its name."""
    root = german_kb(tmp_path / "kb")
    as_of = ["--root", str(root), "--as-of", "2026-12-05"]
    by_id = run_cli("plan", "verlaengerung", *as_of)
    assert by_id.exit_code == 0, by_id.output
    for written in ("verlängerung", "Vertragsverlängerungen", "VERLAENGERUNG"):
        said = run_cli("plan", written, *as_of)
        assert (said.exit_code, said.output) == (0, by_id.output), (written, said.output)
    wrong = run_cli("plan", "verlust", *as_of)
    assert wrong.exit_code != 0 and "unknown plan kind 'verlust'" in wrong.output, wrong.output
    assert "Traceback" not in wrong.output
