"""Owners' names as a German or Japanese team writes them: umlauts spelled out (ue for ü),
last name first, and two spellings of one owner used equally often.

The knowledge base is unlike the sample: one sales team ("vertrieb") whose retros are held
in German and Japanese, whose facilitator and participants are written one way and whose
action owners are written several.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import make_kb, run_cli

AS_OF = "2026-06-15"


def _retro(period: str, held: str, facilitator: str, actions: str) -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\n"
            f"facilitator: {facilitator}\nparticipants: [{facilitator}]\n"
            "format: went-well-didnt\nwent_well:\n  - Messe gut besucht\n"
            f"actions:\n{actions}---\n")


def test_the_whole_name_finds_the_owner_written_last_name_first(tmp_path: Path) -> None:
    """`actions --owner "Jürgen Müller" --overdue` left out his overdue action written
    "Müller, Jürgen" and said "0 actions" when that was his only one, though `--owner
    Jürgen` found both spellings and validate said they look alike. By hand, as of
    2026-06-15: M-1 (Jürgen Müller, due 2026-05-31) and M-2 ("Müller, Jürgen", due
    2026-05-20) are overdue; M-3 (Jürgen Müller) is due 2026-07-31; 佐藤 花子's S-1 is
    overdue and no Jürgen's."""
    root = make_kb(tmp_path / "kb", {"retros/2026-04-sales.md": _retro(
        "2026-04", "2026-05-04", "Anna Schäfer", """\
  - {id: M-1, title: Messekontakte ins CRM, owner: Jürgen Müller, due: 2026-05-31}
  - {id: M-2, title: Preisliste übersetzen, owner: "Müller, Jürgen", due: 2026-05-20}
  - {id: M-3, title: Angebot nachfassen, owner: Jürgen Müller, due: 2026-07-31}
  - {id: S-1, title: 名刺を登録する, owner: "佐藤 花子", due: 2026-05-10}
""")})

    def found(*args: str) -> tuple[list[str], str]:
        result = run_cli("actions", *args, "--format", "json", "--root", str(root),
                         "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        return [r["id"] for r in json.loads(result.stdout)["actions"]], result.output

    for asked in ("Jürgen Müller", "Müller, Jürgen", "JURGEN MULLER", "muller, jurgen"):
        ids, output = found("--owner", asked, "--overdue")
        assert ids == ["M-2", "M-1"], (asked, output)
    ids, output = found("--owner", "Jürgen Müller", "--overdue")
    assert ("'Jürgen Müller' is also written 'Müller, Jürgen': the site shows 2 owners (both "
            "listed here; write the name one way)") in " ".join(output.split()), output
    assert found("--owner", "Jürgen Müller")[0] == ["M-2", "M-1", "M-3"]
    # A first name still finds both, as before; the other owner is nobody's Jürgen.
    assert found("--owner", "Jürgen", "--overdue")[0] == ["M-2", "M-1"]
    assert found("--owner", "佐藤 花子")[0] == ["S-1"]
    table = run_cli("actions", "--owner", "Jürgen Müller", "--overdue", "--root", str(root),
                    "--as-of", AS_OF)
    assert table.exit_code == 0 and "2 actions" in table.output, table.output


def test_validate_and_the_site_pick_the_same_spelling_when_two_tie(tmp_path: Path) -> None:
    """Two spellings used by one action each: validate asked for the one the records name
    people by ("Jürgen Müller", the May facilitator; 佐藤花子, a participant) and the site named
    the owner page after the one with the earlier due date ("JÜRGEN MÜLLER", 佐藤 花子), so
    following the warning renamed the page. Both now take the validate's spelling."""
    from generator.site.build import build

    april = _retro("2026-04", "2026-05-04", "Anna Schäfer", """\
  - {id: M-1, title: Messekontakte ins CRM, owner: JÜRGEN MÜLLER, due: 2026-05-10}
  - {id: S-1, title: 名刺を登録する, owner: "佐藤 花子", due: 2026-05-12}
""")
    may = _retro("2026-05", "2026-06-02", "Jürgen Müller", """\
  - {id: M-2, title: Angebot nachfassen, owner: Jürgen Müller, due: 2026-06-30}
  - {id: S-2, title: 展示会のリードを整理する, owner: 佐藤花子, due: 2026-07-10}
""").replace("participants: [Jürgen Müller]", "participants: [Jürgen Müller, 佐藤花子]")
    root = make_kb(tmp_path / "kb", {"retros/2026-04-sales.md": april,
                                     "retros/2026-05-sales.md": may})
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    output = " ".join(checked.output.split())
    assert ("'JÜRGEN MÜLLER' is the same owner as 'Jürgen Müller' (so written once)"
            in output), output
    assert "'佐藤 花子' is the same owner as '佐藤花子' (so written once)" in output, output
    files = build(root, dt.date.fromisoformat(AS_OF)).files
    titles = {path: files[path].decode().split("\n", 3)[1] for path in files
              if path.startswith("actions/owners/")}
    assert 'title: "Actions of Jürgen Müller"' in titles.values(), titles
    assert 'title: "Actions of 佐藤花子"' in titles.values(), titles


def test_an_owner_written_with_umlauts_and_spelled_out_is_warned_about(tmp_path: Path) -> None:
    """"Juergen Mueller" and "Jürgen Müller" were two owners (two owner pages, two rows of
    follow-through) and validate said nothing, though it warns for "Jurgen Muller" and for
    ß/ss. By hand: Jürgen Müller owns M-1 and M-2, "Juergen Mueller" M-3: the less used
    spelling is warned about. "Bjoern Oeberg" owns B-1 and B-2, "Björn Öberg" B-3: the
    umlaut one is. Stefan Mueller (S-1) and Stefan Muller (S-2) are never written with an
    umlaut: two people, no warning; nor for 佐藤 花子 (J-1)."""
    april = _retro("2026-04", "2026-05-04", "Anna Schäfer", """\
  - {id: M-1, title: Messekontakte ins CRM, owner: Jürgen Müller, due: 2026-05-31}
  - {id: M-2, title: Preisliste übersetzen, owner: Jürgen Müller, due: 2026-06-20}
  - {id: M-3, title: Angebot nachfassen, owner: Juergen Mueller, due: 2026-07-31}
  - {id: B-1, title: Webinar planen, owner: Bjoern Oeberg, due: 2026-05-31}
  - {id: B-2, title: Webinar bewerben, owner: Bjoern Oeberg, due: 2026-06-30}
  - {id: B-3, title: Webinar auswerten, owner: Björn Öberg, due: 2026-07-31}
  - {id: S-1, title: Leads sortieren, owner: Stefan Mueller, due: 2026-05-31}
  - {id: S-2, title: Leads anrufen, owner: Stefan Muller, due: 2026-06-30}
  - {id: J-1, title: 名刺を登録する, owner: "佐藤 花子", due: 2026-05-10}
""")
    root = make_kb(tmp_path / "kb", {"retros/2026-04-sales.md": april})
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    path = "retros/2026-04-sales.md"
    hint = "(write it the same way, or the site shows two owners)"
    # By hand: "actions:" is line 11 ("---" is line 1), M-3 line 14 and B-3 line 17; the
    # owner comes after "  - {id: M-3, title: Angebot nachfassen, owner: " (48 characters)
    # and "  - {id: B-3, title: Webinar auswerten, owner: " (47).
    warned = [" ".join(line.split()) for line in checked.output.splitlines()
              if "ae, oe and ue" in line]
    assert warned == [
        f"{path}:14:49 actions[2].owner warning: "
        "'Juergen Mueller' looks like 'Jürgen Müller' (so written twice), ae, oe and "
        f"ue being ä, ö and ü {hint}",
        f"{path}:17:48 actions[5].owner warning: "
        "'Björn Öberg' looks like 'Bjoern Oeberg' (so written twice), ae, oe and ue "
        f"being ä, ö and ü {hint}",
    ], checked.output
    owners_warned = [line for line in checked.output.splitlines() if ".owner " in line]
    assert len(owners_warned) == 2, owners_warned  # nothing about Stefan or 佐藤 花子


def test_two_facilitators_are_no_mistake_and_each_is_a_name(tmp_path: Path) -> None:
    """A retro run by two (`facilitator: Ana Lima and Ben Cho`, `山田、佐藤`) was taken for one
    person's name where owners' handles are matched: `owner: "@ana"` matched both 'Ana Lima'
    and 'Ana Lima and Ben Cho', and was told only "write the person's name". Co-facilitation
    is no mistake (no warning: no facilitator has a page of their own), and each
    co-facilitator is a name: "@ana" is told to write 'Ana Lima'."""
    retro = ("---\ntype: retro\nperiod: 2026-04\nteam: sales\nheld: 2026-05-04\n"
             "facilitator: Ana Lima and Ben Cho\nparticipants: [Ana Lima, Ben Cho, Kai Wu]\n"
             "format: went-well-didnt\nwent_well:\n  - Two-person facilitation kept time\n"
             "actions:\n  - {id: A-1, title: Book the room, owner: \"@ana\", due: 2026-06-30}\n"
             "---\n")
    japanese = ("---\ntype: retro\nperiod: 2026-05\nteam: sales\nheld: 2026-06-03\n"
                "facilitator: 山田、佐藤\nformat: went-well-didnt\nwent_well:\n"
                "  - 二人で進行した\n---\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-04-sales.md": retro,
                                     "retros/2026-05-sales.md": japanese})
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    lines = [line for line in result.output.splitlines()
             if "sales.md:" in line and "leading-indicator" not in line]
    assert lines == [
        "retros/2026-04-sales.md:12:44  actions[0].owner  '@ana' is a handle, but an owner is "
        "a person's name (write 'Ana Lima' if that is who it is: each owner has a page of "
        "their own, and a handle would be a second owner beside the name)"], result.output
