"""The full-width space (U+3000) a Japanese input method types after a key's colon, or leaves
after a word, beside every id a record gives: a Tokyo sales team's records, in Japanese."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, TOKYO_RETRO, make_kb, run_cli

_TAXONOMY = REPO / "tests" / "bad_input" / "full-width-input" / "taxonomy.yml"
_MKDOCS = "site_name: 東京営業のふりかえり\nplugins:\n  - search\n  - hindsight\n"
_IME = "an input method types U+3000 for a space in Japanese, Chinese or Korean mode"
S = "\u3000"

_APRIL = """---
type: retro
period: 2026-04
team: tokyo-sales
held: 2026-05-07
facilitator: 佐藤 花子
participants: [山田 太郎, 佐藤 花子]
format: five-whys
indicators:
  win-rate: {smb: "2/8", enterprise: "1/5"}
actions:
  - id: TKY-2026-04-1
    title: ソウルと見積りの書式を揃える
    owner: 山田 太郎
    due: 2026-06-30
lessons:
  - lesson: 見積りは一つの書式で出す
    applies_to: [deal]
---

# 4月の振り返り

見積りの書式が二つあった。
"""
"""April's retro: an action the May retro hands to the Seoul team, a lesson a deal's
post-mortem replaces."""

# May's retro as TOKYO_RETRO, every id it gives with a full-width space before or after it.
_MAY = (TOKYO_RETRO
        .replace("team: tokyo-sales\n", f"team: tokyo-sales{S}\n")
        .replace("format: good-bad-ugly\n",
                 f"format: good-bad-ugly\nrelated: [2026-04-tokyo-sales{S}]\n"
                 "action_updates:\n"
                 f"  - id: {S}TKY-2026-04-1\n"
                 "    status: in-progress\n"
                 f"    team: seoul-sales{S}{S}\n")
        .replace("  - {id: TKY-2026-05-1, title: 見積りテンプレートを統一する, owner: 佐藤 花子, "
                 "due: 2026-07-31}",
                 f"  - id: TKY-2026-05-1{S}\n"
                 "    title: 見積りテンプレートを統一する\n"
                 "    owner: 佐藤 花子\n"
                 "    due: 2026-07-31\n"
                 "    indicator: win-rate\n"
                 f'    segment: "{S}smb"'))

_DEAL = f"""---
type: postmortem
name: 丸紅ロジ 失注
kind: deal-lost
outcome: loss
summary: 価格で他社に決まった。
team: tokyo-sales
event_ended: 2026-05-20
held: 2026-05-26
keeper: 山田 太郎
deal:
  customer: 丸紅ロジ
  chose_us: false
  why: 価格が二割高かった。
  reasons: [price]
  segment: enterprise{S}
  icp_tier: {S}tier-1
lessons:
  - lesson: 見積りの前に予算を確かめる
    applies_to: [deal]
    replaces: {S}2026-04-tokyo-sales
---

# 丸紅ロジ

価格で負けた。
"""


_REVIEW = f"""---
type: review
period: 2026-Q1
team: tokyo-sales
held: 2026-04-09
facilitator: 山田 太郎
participants: [山田 太郎, 佐藤 花子]
scorecard:
  - metric: 受注率 (SMB)
    goal: 0.3
    actual: 0.25
    unit: rate
    indicator: win-rate
    segment: smb{S}
priorities: [見積りの書式を一つにする]
external_factors: [年度末の予算凍結]
---

# 第1四半期
"""


def _kb(root: Path) -> Path:
    return make_kb(root, {"retros/2026-04-tokyo-sales.md": _APRIL,
                          "retros/2026-05-tokyo-sales.md": _MAY,
                          "retros/2026-q1-review.md": _REVIEW,
                          "postmortems/2026-05-marubeni-logi.md": _DEAL,
                          "docs/about.md": "# 東京営業について\n", "mkdocs.yml": _MKDOCS},
                   taxonomy=_TAXONOMY)


def _warned(path: str, line: int, col: int, field: str, spaces: str, side: str, got: str,
            read: str, written: str) -> str:
    them = "it" if spaces.startswith("a ") else "them"
    return (f"{path}:{line}:{col}  {field}  warning: {spaces} (U+3000) {side} the id (got "
            f'"{got}"): read as {read} (delete {them}: {written}; {_IME})')


def test_a_full_width_space_beside_any_id_is_told_at_its_column_and_the_site_builds(
        tmp_path: Path) -> None:
    """A trailing space (`team: tokyo-sales　`), an action's id, `related:`, a hand-over's
    team, a segment of an action or a deal, a deal's ICP tier and a lesson's `replaces:` were
    read without the space and without a word, though a team after one was a warning: each is
    now the same warning, at the space's column, with what to write; the records are read as
    meant and the site builds."""
    root = _kb(tmp_path / "kb")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    may, deal = "retros/2026-05-tokyo-sales.md", "postmortems/2026-05-marubeni-logi.md"
    review = "retros/2026-q1-review.md"
    one, two = "a full-width space", "2 full-width spaces"
    assert result.output.splitlines()[:11] == [
        _warned(deal, 16, 22, "deal.segment", one, "after", f"enterprise{S}", "enterprise",
                "segment: enterprise"),
        _warned(deal, 17, 13, "deal.icp_tier", one, "before", f"{S}tier-1", "tier-1",
                "icp_tier: tier-1"),
        _warned(deal, 21, 15, "lessons[0].replaces", one, "before", f"{S}2026-04-tokyo-sales",
                "2026-04-tokyo-sales", "replaces: 2026-04-tokyo-sales"),
        _warned(may, 4, 18, "team", one, "after", f"tokyo-sales{S}", "tokyo-sales",
                "team: tokyo-sales"),
        _warned(may, 10, 30, "related[0]", one, "after", f"2026-04-tokyo-sales{S}",
                "2026-04-tokyo-sales", "- 2026-04-tokyo-sales"),
        _warned(may, 12, 9, "action_updates[0].id", one, "before", f"{S}TKY-2026-04-1",
                "TKY-2026-04-1", "id: TKY-2026-04-1"),
        _warned(may, 14, 22, "action_updates[0].team", two, "after", f"seoul-sales{S}{S}",
                "seoul-sales", "team: seoul-sales"),
        _warned(may, 21, 22, "actions[0].id", one, "after", f"TKY-2026-05-1{S}",
                "TKY-2026-05-1", "id: TKY-2026-05-1"),
        # In quotes: at the space, a column past the quote.
        _warned(may, 26, 15, "actions[0].segment", one, "before", f"{S}smb", "smb",
                "segment: smb"),
        _warned(review, 14, 17, "scorecard[0].segment", one, "after", f"smb{S}", "smb",
                "segment: smb"),
        "0 errors, 10 warnings; 4 files checked",
    ], result.output

    built = run_cli("build", "--root", str(root), "--as-of", "2026-06-15")
    assert built.exit_code == 0, built.output
    site = root / "site"
    # Read as meant: the action under its id, handed to the Seoul team, the retro related to
    # April's and the deal's lesson replacing April's record's.
    seoul = (site / "teams" / "seoul-sales" / "index.html").read_text(encoding="utf-8")
    assert "TKY-2026-04-1" in seoul
    may_page = (site / "records" / "2026-05-tokyo-sales" / "index.html").read_text(
        encoding="utf-8")
    assert "TKY-2026-05-1" in may_page and f"TKY-2026-05-1{S}" not in may_page
    assert "2026-04-tokyo-sales/" in may_page


def test_a_full_width_space_after_a_status_or_a_name_is_an_error_at_the_space(
        tmp_path: Path) -> None:
    """A status or a format ended by a full-width space (`status: open　`) was told only
    "(did you mean open?)" at the value's first character, and a team's name ended by one
    nothing of the space; as one before them, each now says the value ends with it, at its
    column, and what to write; a team that is no id after it is the error it was, the team's
    id named. A record with errors is read on (its links to other records checked) with its
    ids as the schema reads them: a related record ended by the space is not missing."""
    may = (TOKYO_RETRO.replace("team: tokyo-sales", f"team: 東京営業{S}")
           .replace("format: good-bad-ugly", f"format: good-bad-ugly{S}\n"
                    f"related: [2026-04-tokyo-sales{S}]")
           .replace("due: 2026-07-31}", f"due: 2026-07-31, status: open{S}}}"))
    root = make_kb(tmp_path / "kb", {"retros/2026-04-tokyo-sales.md": _APRIL,
                                     "retros/2026-05-tokyo-sales.md": may}, taxonomy=_TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    at = "retros/2026-05-tokyo-sales.md"
    ends = "it ends with a full-width space (U+3000), which YAML keeps as part of the value"
    assert result.output.splitlines()[:5] == [
        f"{at}:4:11  team  must be an id of lowercase ASCII letters (a-z), digits and hyphens "
        f'(got "東京営業{S}": {ends}) (delete it; write tokyo-sales: the id of the team named '
        f"東京営業; {_IME})",
        f"{at}:9:22  format  must be one of stop-start-continue, five-whys, good-bad-ugly, "
        f'went-well-didnt (got "good-bad-ugly{S}": {ends}) (delete it: format: good-bad-ugly; '
        f"{_IME})",
        # Its errors leave the related record read as the schema reads it: no record
        # "2026-04-tokyo-sales\u3000" is missing.
        _warned(at, 10, 30, "related[0]", "a full-width space", "after",
                f"2026-04-tokyo-sales{S}", "2026-04-tokyo-sales", "- 2026-04-tokyo-sales"),
        f"{at}:17:91  actions[0].status  must be one of open, in-progress, done, dropped (got "
        f'"open{S}": {ends}) (delete it: status: open; {_IME})',
        "3 errors, 1 warning; 2 files checked"], result.output


def test_a_full_width_space_in_a_quoted_indicator_or_segment_is_an_error_at_the_space(
        tmp_path: Path) -> None:
    """A segment or an indicator written in quotes with a full-width space inside them
    (`"smb　": "3/9"`, `'　enterprise'`) was told "unknown segment 'smb\\u3000' (did you mean
    smb?)" at the reading, of a key that reads as smb: nothing said there was a space in it,
    let alone one that cannot be seen. As one written without quotes, each is now an error at
    the space's column naming it, with the line to write; deleting the spaces makes the record
    valid."""
    june = ("---\ntype: retro\nperiod: 2026-06\nteam: seoul-sales\nheld: 2026-07-03\n"
            "facilitator: 김민준\nformat: five-whys\nindicators:\n"
            f'  win-rate:\n    "smb{S}": "3/9"\n'
            f"    '{S}{S}enterprise': \"1/4\"\n"
            f'  "sales-cycle{S}": {{tier-1: 41, tier-2: 65}}\n'
            "---\n\n# 6월 회고\n\n견적이 늦었다.\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-06-seoul-sales.md": june},
                   taxonomy=_TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    at = "retros/2026-06-seoul-sales.md"
    assert result.output.splitlines()[:4] == [
        f"{at}:10:9  indicators.win-rate.smb  a full-width space (U+3000) ends the segment's "
        "id: YAML reads it as part of the id, so it is not the segment smb (delete it: "
        f'"smb": "3/9"; {_IME})',
        f"{at}:11:6  indicators.win-rate.enterprise  2 full-width spaces (U+3000) stand before "
        "the segment's id: YAML reads them as part of the id, so it is not the segment "
        f"enterprise (delete them: 'enterprise': \"1/4\"; {_IME})",
        f"{at}:12:15  indicators.sales-cycle  a full-width space (U+3000) ends the indicator's "
        "id: YAML reads it as part of the id, so it is not the indicator sales-cycle (delete "
        f'it: "sales-cycle": {{tier-1: 41, tier-2: 65}}; {_IME})',
        "3 errors, 0 warnings; 1 file checked"], result.output

    (root / at).write_text(june.replace(S, ""), encoding="utf-8")
    fixed = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert fixed.exit_code == 0 and "0 errors, 0 warnings" in fixed.output, fixed.output


def test_a_glossary_term_in_quotes_with_a_full_width_space_is_still_read_trimmed(
        tmp_path: Path) -> None:
    """A glossary's terms are text, not ids: one quoted with a full-width space beside it
    (`"SMB　": 中小企業`) is read as SMB, as a term's ordinary spaces are trimmed, not refused
    as a reading's quoted segment is."""
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(_TAXONOMY.read_text(encoding="utf-8")
                        + f'\nglossary:\n  "SMB{S}": 中小企業。従業員百人未満の顧客。\n',
                        encoding="utf-8")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-tokyo-sales.md": TOKYO_RETRO,
                                     "docs/about.md": "# 東京営業について\n",
                                     "mkdocs.yml": _MKDOCS}, taxonomy=taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output
    built = run_cli("build", "--root", str(root), "--as-of", "2026-06-15")
    assert built.exit_code == 0, built.output
    glossary = (root / "site" / "guide" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert ">SMB " in glossary and "#term-smb" in glossary and f"SMB{S}" not in glossary


def test_a_no_break_space_beside_a_key_is_told_at_the_space(tmp_path: Path) -> None:
    """A no-break space (U+00A0), which text copied from a spreadsheet brings, ending a field's
    name (`facilitator :`) was "facilitator is required" at line 1 and "facilitator  is not a
    known field (did you mean facilitator?)", of a name that reads as right, and one beside a
    reading's segment, quoted or not, "unknown segment 'smb\\xa0' (did you mean smb?)". Each
    is now one error at the space, naming it, with the line to write; deleting the spaces
    makes the record valid. A glossary's term is text, read trimmed of it as before."""
    nb = "\u00a0"
    june = ("---\ntype: retro\nperiod: 2026-06\nteam: seoul-sales\nheld: 2026-07-03\n"
            f"facilitator{nb}: 김민준\nformat: five-whys\nindicators:\n"
            f'  win-rate: {{"{nb}smb": "3/9", enterprise{nb}{nb}: "1/4"}}\n'
            "---\n\n# 6월 회고\n\n견적이 늦었다.\n")
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(_TAXONOMY.read_text(encoding="utf-8")
                        + f"\nglossary:\n  SMB{nb}: 中小企業。\n", encoding="utf-8")
    root = make_kb(tmp_path / "kb", {"retros/2026-06-seoul-sales.md": june}, taxonomy=taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    at = "retros/2026-06-seoul-sales.md"
    copied = "text copied from a spreadsheet, a document or a web page brings U+00A0"
    assert result.output.splitlines()[:4] == [
        f"{at}:6:12  facilitator  a no-break space (U+00A0) ends the field's name: YAML reads "
        "it as part of the name, so it is not the field facilitator (delete it: facilitator: "
        f"김민준; {copied})",
        f"{at}:9:15  indicators.win-rate.smb  a no-break space (U+00A0) stands before the "
        "segment's id: YAML reads it as part of the id, so it is not the segment smb (delete "
        f'it: win-rate: {{"smb": "3/9", enterprise{nb}{nb}: "1/4"}}; {copied})',
        f"{at}:9:39  indicators.win-rate.enterprise  2 no-break spaces (U+00A0) end the "
        "segment's id: YAML reads them as part of the id, so it is not the segment enterprise "
        f'(delete them: win-rate: {{"{nb}smb": "3/9", enterprise: "1/4"}}; {copied})',
        "3 errors, 0 warnings; 1 file checked"], result.output

    (root / at).write_text(june.replace(nb, ""), encoding="utf-8")
    fixed = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert fixed.exit_code == 0 and "0 errors, 0 warnings" in fixed.output, fixed.output


def test_a_no_break_space_beside_a_word_of_a_choice_is_named_at_the_space(
        tmp_path: Path) -> None:
    """A deal's outcome or an indicator's unit ended by a no-break space (U+00A0) pasted
    from a spreadsheet was "must be one of win, loss, mixed (got "loss ") (did you mean
    loss?)", at the word, of a value whose space no one sees and that reads as the word
    offered; it now says the value ends with a no-break space, at its column, and what to
    write, as for a full-width space. An id ended by one is read as the id, as one ended by
    an ordinary space in quotes is."""
    nb = "\u00a0"
    deal = (_DEAL.replace(S, "").replace("outcome: loss\n", f"outcome: loss{nb}\n")
            .replace("team: tokyo-sales\n", f"team: tokyo-sales{nb}\n"))
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(_TAXONOMY.read_text(encoding="utf-8")
                        .replace("    unit: days\n", f"    unit: days{nb}\n"), encoding="utf-8")
    root = make_kb(tmp_path / "kb", {"retros/2026-04-tokyo-sales.md": _APRIL,
                                     "postmortems/2026-05-marubeni-logi.md": deal},
                   taxonomy=taxonomy)
    copied = "text copied from a spreadsheet, a document or a web page brings U+00A0"
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.output.splitlines()[0] == (
        "taxonomy.yml:26:15  indicators[1].unit  must be one of rate, days, count, usd, "
        f'usd_per_day, ratio (got "days{nb}": it ends with a no-break space (U+00A0), which '
        f"YAML keeps as part of the value) (delete it: unit: days; {copied})"), result.output

    (root / "taxonomy.yml").write_text(_TAXONOMY.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.output.splitlines()[:2] == [
        "postmortems/2026-05-marubeni-logi.md:5:14  outcome  must be one of win, loss, "
        f'mixed (got "loss{nb}": it ends with a no-break space (U+00A0), which YAML '
        f"keeps as part of the value) (delete it: outcome: loss; {copied})",
        "1 error, 0 warnings; 2 files checked"], result.output


def test_a_metrics_export_s_full_width_and_no_break_spaces_lose_no_reading(
        tmp_path: Path) -> None:
    """A metrics CSV typed in Japanese mode or pasted from a spreadsheet, with a full-width
    or a no-break space around a team, an indicator, a segment or a value (`smb　`), is read
    as its ordinary spaces are, trimmed: every reading reaches the draft under its id, none
    left out or refused."""
    nb = "\u00a0"
    root = make_kb(tmp_path / "kb", {"retros/2026-05-tokyo-sales.md": TOKYO_RETRO},
                   taxonomy=_TAXONOMY)
    export = tmp_path / "6月.csv"
    export.write_text("team,indicator,segment,value\n"
                      f"東京営業{S},win-rate,smb{S},3/10\n"
                      f"tokyo-sales{nb},win-rate,{S}enterprise,1/5{S}\n"
                      f"tokyo-sales,sales-cycle{nb},tier-1,40\n"
                      f"tokyo-sales,{S}sales-cycle,tier-2{nb},62\n", encoding="utf-8")
    result = run_cli("prep", "--team", "tokyo-sales", "--period", "2026-06", "--metrics",
                     str(export), "--root", str(root), "--as-of", "2026-07-10")
    assert result.exit_code == 0 and "left out" not in result.output, result.output
    draft = (root / "retros" / "2026-06-tokyo-sales.md").read_text(encoding="utf-8")
    assert ('indicators:\n  win-rate:\n    smb: "3/10"\n    enterprise: "1/5"\n'
            "  sales-cycle:\n    tier-1: 40\n    tier-2: 62\n") in draft, draft
