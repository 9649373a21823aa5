"""Win/loss and calibration counts on a tiny knowledge base shaped unlike the sample: a
competitor spelled two ways, a deal with no competitor and no segment, a reason given by its
alias, one assumption with no category. Expected counts are worked out by hand below."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from conftest import make_kb, run_cli
from generator.analysis.calibration import calibrate
from generator.analysis.winloss import NOT_GIVEN, win_loss
from generator.records.corpus import KnowledgeBase
from generator.records.validate import check
from generator.site.build import build
from sitetools import make_project, mkdocs_build, own_site_url, table_rows


def _deal(name: str, won: bool, ended: str, deal: str, assumptions: str = "") -> str:
    kind, outcome = ("deal-won", "win") if won else ("deal-lost", "loss")
    held = (dt.date.fromisoformat(ended) + dt.timedelta(days=3)).isoformat()
    return (f"---\ntype: postmortem\nname: {name}\nkind: {kind}\noutcome: {outcome}\n"
            f"summary: S.\nteam: sales\nevent_ended: {ended}\nheld: {held}\nkeeper: K\n"
            f"deal:\n  customer: {name}\n  chose_us: {str(won).lower()}\n  why: W.\n{deal}"
            f"{assumptions}---\n")


_FILES = {
    # Q1: lost to Tallyo on price (written as the alias `pricing`), smb.
    "postmortems/a.md": _deal("A", False, "2026-02-10",
                              "  competitor: Tallyo\n  reasons: [pricing]\n  segment: smb\n",
                              "assumptions:\n  - {statement: X, held: false, category: timeline}\n"),
    # Q1: won against "tallyo " (same rival, other spelling), integration fit and price.
    "postmortems/b.md": _deal("B", True, "2026-03-20",
                              "  competitor: 'tallyo '\n  reasons: [integration-fit, price]\n"
                              "  segment: enterprise\n  icp_tier: tier-1\n",
                              "assumptions:\n  - {statement: Y, held: true, category: timeline}\n"
                              "  - {statement: Z, held: false}\n"),
    # Q2: lost, no competitor, no segment, no reasons.
    "postmortems/c.md": _deal("C", False, "2026-04-02", "",
                              "assumptions:\n  - {statement: V, held: false, category: timeline}\n"
                              "  - {statement: U, held: false, category: timeline}\n"),
    # A campaign: two demand assumptions, one held.
    "postmortems/d.md": ("---\ntype: postmortem\nname: D\nkind: campaign\noutcome: mixed\n"
                         "summary: S.\nteam: marketing\nevent_ended: 2026-04-02\nheld: 2026-04-05\n"
                         "keeper: K\nassumptions:\n  - {statement: P, held: true, category: demand}\n"
                         "  - {statement: Q, held: false, category: demand}\n---\n"),
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    result = check(make_kb(tmp_path_factory.mktemp("kb"), _FILES), dt.date(2026, 6, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    return result.kb


def _counts(tallies: list) -> dict[str, tuple[int, int]]:  # type: ignore[type-arg]
    return {t.label: (len(t.won), len(t.lost)) for t in tallies}


def test_win_loss_counts(kb: KnowledgeBase) -> None:
    wl = win_loss(kb)
    assert (len(wl.deals.won), len(wl.deals.lost)) == (1, 2)
    assert wl.deals.win_rate == pytest.approx(1 / 3)
    # Both spellings of Tallyo are one rival, under the first spelling; C named none.
    assert _counts(wl.competitors) == {"Tallyo": (1, 1), NOT_GIVEN: (0, 1)}
    assert [t.label for t in wl.competitors] == ["Tallyo", NOT_GIVEN]
    # Segments in taxonomy order, then deals that gave none.
    assert _counts(wl.segments) == {"smb": (0, 1), "enterprise": (1, 0), NOT_GIVEN: (0, 1)}
    assert [t.label for t in wl.segments] == ["smb", "enterprise", NOT_GIVEN]
    assert _counts(wl.tiers) == {"tier-1": (1, 0), NOT_GIVEN: (0, 2)}
    # `pricing` is an alias of price: A and B both count under Price.
    assert _counts(wl.reasons) == {"Price": (1, 1), "Integration fit": (1, 0), NOT_GIVEN: (0, 1)}
    assert _counts(wl.quarters) == {"2026-Q1": (1, 1), "2026-Q2": (0, 1)}
    anchors = [t.anchor for t in wl.tallies()]
    assert len(anchors) == len(set(anchors))
    assert "competitor-tallyo" in anchors and "reason-price" in anchors


def test_calibration_counts(kb: KnowledgeBase) -> None:
    cal = calibrate(kb)
    by_category = {c.category: (len(c.held), len(c.failed)) for c in cal.categories}
    # Taxonomy order (demand, timeline), uncategorised last.
    assert list(by_category) == ["demand", "timeline", "uncategorised"]
    assert by_category == {"demand": (1, 1), "timeline": (1, 3), "uncategorised": (0, 1)}
    assert {k: (len(c.held), len(c.failed)) for k, c in cal.cells.items()} == {
        ("demand", "campaign"): (1, 1), ("timeline", "deal"): (1, 3),
        ("uncategorised", "deal"): (0, 1)}
    # Only timeline in deals failed three times (and more often than it held).
    assert [(c.category, c.kind) for c in cal.repeated_failures] == [("timeline", "deal")]
    # Deals: timeline held 1 of 4; the uncategorised failure names no category to check.
    assert [c.category for c in cal.worst_for("deal")] == ["timeline"]
    assert cal.worst_for("launch") == []
    assert cal.cells[("timeline", "deal")].by_year() == [(2026, 1, 4)]


def test_the_plan_box_does_not_call_one_failure_usual(kb: KnowledgeBase) -> None:
    # Campaigns: demand held once and failed once. The box lists it as failed before; "we
    # usually get wrong" would claim a habit from a single miss.
    from generator.site.build import build

    page = build(kb.root, dt.date(2026, 6, 1)).files["plan/campaign.md"].decode()
    assert '!!! warning "Assumptions that failed before in Campaigns"' in page
    assert "usually" not in page


def test_competitors_whose_names_slug_alike_get_distinct_anchors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """"東京" and "大阪" have no Latin letters to slug (competitor-other, twice), "Other 2"
    slugs to other-2: the second competitor-other was numbered -2 and took "Other 2"'s
    anchor, so one count linked to the other's deals. The later one is numbered past every
    anchor taken."""
    files = {f"postmortems/{n}.md": _deal(n.upper(), False, f"2026-0{i}-10",
                                          f"  competitor: {name}\n")
             for i, (n, name) in enumerate((("e", "東京"), ("f", "大阪"),
                                            ("g", "Other 2")), start=1)}
    result = check(make_kb(tmp_path / "kb", files), dt.date(2026, 6, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    anchors = {t.key: t.anchor for t in win_loss(result.kb).competitors}
    assert anchors == {"大阪": "competitor-other", "東京": "competitor-other-3",
                       "Other 2": "competitor-other-2"}


def test_one_competitor_written_several_ways_is_one_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """"Tallyo", "TALLYO", "Tallyo, Inc." and "Acme&Co" / "Acme Co": one company each (case,
    punctuation and legal forms aside), under its first spelling; "Acme Co 2" is another."""
    names = ("Tallyo", "TALLYO", "Tallyo, Inc.", "Acme&Co", "Acme Co", "Acme Co 2")
    files = {f"postmortems/{n}.md": _deal(n.upper(), False, f"2026-0{i}-10",
                                          f'  competitor: "{name}"\n')
             for i, (n, name) in enumerate(zip("abcdef", names, strict=True), start=1)}
    result = check(make_kb(tmp_path / "kb", files), dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    counts = {t.key: len(t.lost) for t in win_loss(result.kb).competitors}
    assert counts == {"Tallyo": 3, "Acme&Co": 2, "Acme Co 2": 1}
    warned = [p.message for p in result.problems.items if p.field == "deal.competitor"]
    assert len(warned) == 3 and "'Tallyo, Inc.' is the same competitor as 'Tallyo'" in warned[1]
    # Each warning is at the deal that wrote the spelling it names.
    written = dict(zip((f"postmortems/{n}.md" for n in "abcdef"), names, strict=True))
    for problem in (p for p in result.problems.items if p.field == "deal.competitor"):
        assert problem.message.startswith(repr(written[problem.path])), problem


def test_a_german_competitor_with_legal_forms_and_umlauts_is_one_row(tmp_path: Path) -> None:
    """"Öztürk Software GmbH & Co. KG", "Öztürk Software KG", "Oeztuerk Software" and
    "Öztürk Software" were four competitors, each 0 won 1 lost, with no warning: only
    GmbH/AG-style endings were dropped and ue was not ü. They are one, lost 4 times; other
    legal forms go too, while names that only look alike stay apart."""
    names = ("Öztürk Software GmbH & Co. KG", "Öztürk Software KG", "Oeztuerk Software",
             "Öztürk Software",
             # One company each: a Japanese form before or after, Italian and Polish forms.
             "株式会社ミライ", "ミライ株式会社", "Fabbrica S.p.A.", "Fabbrica",
             "Nowak Sp. z o.o.", "Nowak",
             # Not merged: no ü anywhere says Mueller is Müller; "AB" leading is a name.
             "Mueller Bau", "Muller Bau", "AB Systems", "Systems")
    files = {f"postmortems/p{i:02}.md": _deal(f"P{i:02}", False, f"2026-{1 + i % 12:02}-10",
                                              f'  competitor: "{name}"\n')
             for i, name in enumerate(names)}
    result = check(make_kb(tmp_path / "kb", files), dt.date(2027, 1, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    counts = {t.key: len(t.lost) for t in win_loss(result.kb).competitors}
    assert counts == {"Öztürk Software GmbH & Co. KG": 4, "株式会社ミライ": 2,
                      "Fabbrica S.p.A.": 2, "Nowak Sp. z o.o.": 2, "Mueller Bau": 1,
                      "Muller Bau": 1, "AB Systems": 1, "Systems": 1}
    warned = sorted(p.message for p in result.problems.items if p.field == "deal.competitor")
    assert ("'Oeztuerk Software' is the same competitor as 'Öztürk Software GmbH & Co. KG' "
            "(so written in 1 deal)") in "\n".join(warned)
    assert len(warned) == 6
    # The page shows one row for the company, 0 won and 4 lost.
    from generator.site.build import build

    page = build(result.kb.root, dt.date(2027, 1, 1)).files["postmortems/win-loss.md"].decode()
    rows = "\n".join(table_rows(page))
    assert "| Öztürk Software GmbH & Co. KG | 0 | [4](#competitor-ozturk-software-gmbh-co-kg-lost)" \
        in rows, rows
    assert "Oeztuerk" not in page and "| Öztürk Software KG |" not in rows


def test_a_lesson_two_lost_deals_wrote_in_other_words_is_one_item(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two losses wrote the same lesson in slightly different words, a third another lesson:
    the page lists two lessons, as the deal checklist does, the repeated one first in its
    newest wording with both post-mortems linked (it listed three, in date order)."""
    def lessons(*texts: str) -> str:
        return "lessons:\n" + "".join(f'  - {{lesson: "{t}", applies_to: [deal]}}\n'
                                      for t in texts)

    files = {
        "postmortems/2026-02-a.md": _deal("A", False, "2026-02-10", "", lessons(
            "Meet the economic buyer before the verbal yes")),
        "postmortems/2026-03-b.md": _deal("B", False, "2026-03-10", "", lessons(
            "Price the pilot before the demo")),
        "postmortems/2026-04-c.md": _deal("C", False, "2026-04-10", "", lessons(
            "Meet the economic buyer before the verbal yes, not after")),
    }
    root = make_project(tmp_path / "site", make_kb(tmp_path / "kb", files))
    result = check(root, dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    lost = win_loss(result.kb).lessons_lost
    assert [(i.text, [e.id for e in i.entries]) for i in lost] == [
        ("Meet the economic buyer before the verbal yes, not after", ["2026-04-c", "2026-02-a"]),
        ("Price the pilot before the demo", ["2026-03-b"])]
    assert win_loss(result.kb).lessons_won == []
    # The published page: one item that links both post-mortems.
    built = mkdocs_build(root, "2026-07-01")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (root / "site" / "postmortems" / "win-loss" / "index.html").read_text(encoding="utf-8")
    lost_part = page.split('id="lessons-lost"', 1)[1].split('id="records"', 1)[0]
    items = re.findall(r"<li>(.*?)</li>", lost_part, flags=re.S)
    assert len(items) == 2, items
    assert "not after" in items[0] and items[0].count("<a ") == 2, items[0]
    # None of the three names a competitor, segment, ICP tier or reason: each section says
    # so, instead of a table whose only row is "not given" (and a list of every deal under
    # "not given" for each).
    for section, after, said in (("competitors", "segments", "competitor"),
                                 ("segments", "tiers", "segment"),
                                 ("tiers", "reasons", "ICP tier"),
                                 ("reasons", "trend", "reasons")):
        part = page.split(f'id="{section}"', 1)[1].split(f'id="{after}"', 1)[0]
        assert "<table" not in part, section
        assert f"No deal post-mortem gives its {said} yet" in part, part
    assert "not given" not in page


def test_a_lesson_a_later_deal_replaced_leaves_the_lessons_lost(tmp_path: Path) -> None:
    # The deal checklist left out a lesson a later post-mortem replaced (`replaces:`), while
    # win/loss's lessons from losses, "counted as the plan checklists count them", kept it.
    files = {
        "postmortems/2026-02-a.md": _deal("A", False, "2026-02-10", "",
                                          "lessons:\n  - {lesson: Lead with the ROI model., "
                                          "applies_to: [deal]}\n"),
        "postmortems/2026-04-c.md": _deal("C", False, "2026-04-10", "",
                                          "lessons:\n  - {lesson: Lead with a reference call; "
                                          "the ROI model did not land., applies_to: [deal], "
                                          "replaces: 2026-02-a}\n"),
    }
    result = check(make_kb(tmp_path / "kb", files), dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    assert [i.text for i in win_loss(result.kb).lessons_lost] == [
        "Lead with a reference call; the ROI model did not land."]


def test_a_competitor_named_not_given_is_a_competitor(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A rival whose name is "not given" was counted with the deals that name none, and the
    page said no deal gives a competitor."""
    files = {"postmortems/a.md": _deal("A", False, "2026-02-10", '  competitor: "Not given"\n'),
             "postmortems/b.md": _deal("B", True, "2026-03-10", "")}
    result = check(make_kb(tmp_path / "kb", files), dt.date(2026, 6, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    competitors = win_loss(result.kb).competitors
    assert [(t.label, len(t.lost), len(t.won)) for t in competitors] == [
        ("Not given", 1, 0), (NOT_GIVEN, 0, 1)]
    assert len({t.anchor for t in competitors}) == 2


# A company whose indicators are split by region and by source, none by segment or ICP tier.
_BY_REGION = """company: Contoso
causes:
  - {id: icp-drift, title: ICP drift, description: Sales and marketing disagree on the ICP.}
indicators:
  - {id: win-rate, label: Win rate, unit: rate, better: up, segment_by: region,
     segments: [dach, benelux, nordics]}
  - {id: mqls, label: MQLs, unit: count, better: up, segment_by: source,
     segments: [web, events]}
teams:
  - {id: sales, name: Sales}
  - {id: marketing, name: Marketing}
plan_kinds:
  - {id: deal, title: Deals}
reasons:
  - {id: price, title: Price}
  - {id: integration-fit, title: Integration fit}
"""


def _region_kb(root: Path, files: dict[str, str], deals: str) -> Path:
    """A knowledge base with the region taxonomy above, ``deals`` appended to it."""
    taxonomy = root.parent / f"{root.name}-taxonomy.yml"
    taxonomy.write_text(_BY_REGION + deals, encoding="utf-8")
    return make_kb(root, files, taxonomy)


_REGION_DEALS = {
    "postmortems/2026-11-the-contoso-loss.md": _deal(
        "Contoso", False, "2026-11-10", "  reasons: [price]\n  segment: dach\n"),
    "postmortems/2026-11-the-fabrikam-win.md": _deal(
        "Fabrikam", True, "2026-11-20", "  segment: nordics\n"),
    "postmortems/2026-12-the-tailspin-loss.md": _deal(
        "Tailspin", False, "2026-12-02", "  segment: dach\n"),
}


def test_deals_filed_by_region_are_counted_by_region(tmp_path: Path) -> None:
    """`deals: {segment_by: region}`: `deal.segment: dach` validates (it was "unknown segment
    'dach'", no indicator being split by segment), and the published page counts the deals
    under "By region", in the taxonomy's order of regions. The ICP tier, which no indicator
    is split by, is not counted, and the page says how to name a dimension rather than
    inviting `deal.icp_tier`; the record's page says Region."""
    kb = _region_kb(tmp_path / "kb", _REGION_DEALS, "deals:\n  segment_by: region\n")
    root = make_project(tmp_path / "site", kb)
    own_site_url(root)
    result = check(root, dt.date(2026, 12, 15))
    assert result.kb is not None and not result.problems.items, result.problems.items
    wl = win_loss(result.kb)
    assert _counts(wl.segments) == {"dach": (0, 2), "nordics": (1, 0)}
    assert [t.label for t in wl.segments] == ["dach", "nordics"]

    built = mkdocs_build(root, "2026-12-15")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (root / "site" / "postmortems" / "win-loss" / "index.html").read_text(encoding="utf-8")
    regions = page.split('id="segments"', 1)[1].split('id="tiers"', 1)[0]
    assert ">By region<" in regions, regions
    assert re.search(r"<th>Region</th>", regions), regions
    rows = re.findall(r"<tr>\s*<t[dh][^>]*>(\w+)</t[dh]>\s*<td>(.*?)</td>\s*<td>(.*?)</td>",
                      regions)
    assert [(name, re.sub(r"<[^>]+>", "", won), re.sub(r"<[^>]+>", "", lost))
            for name, won, lost in rows] == [("dach", "0", "2"), ("nordics", "1", "0")]
    tiers = page.split('id="tiers"', 1)[1].split('id="reasons"', 1)[0]
    assert "<table" not in tiers
    assert "No deal post-mortem gives" not in tiers, tiers
    assert "Does not apply" in tiers and "<code>icp_tier_by: source</code>" in tiers, tiers
    assert 'content="Deal post-mortems by competitor, region, the reasons' in page
    record = (root / "site" / "records" / "2026-11-the-contoso-loss" / "index.html"
              ).read_text(encoding="utf-8")
    # No indicator is split by icp-tier, so no deal can give one: not "ICP tier: not given".
    assert "Region: dach</li>" in record and "ICP tier" not in record, record


def test_a_deal_segment_no_indicator_is_split_by_names_the_setting(tmp_path: Path) -> None:
    """Without `deals:` (here written empty, which is its defaults), a deal's segment is a
    `segment`: `dach` is unknown, and the hint names the dimensions the indicators are split
    by and the setting that files deals under one. With the setting, a region the taxonomy
    does not list is unknown as a region, the hint naming the setting too."""
    files = {"postmortems/2026-11-the-contoso-loss.md": _deal(
        "Contoso", False, "2026-11-10", "  segment: dach\n  icp_tier: gold\n")}
    kb = _region_kb(tmp_path / "kb", files, "deals:\n")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-12-15")
    assert result.exit_code == 1
    assert result.output == (
        "postmortems/2026-11-the-contoso-loss.md:15:12  deal.segment  unknown segment 'dach' "
        "(no indicator in taxonomy.yml is split by segment: name one they are split by "
        "(region, source) as deals.segment_by there, or remove segment:)\n"
        "postmortems/2026-11-the-contoso-loss.md:16:13  deal.icp_tier  unknown icp-tier "
        "'gold' (no indicator in taxonomy.yml is split by icp-tier: name one they are split "
        "by (region, source) as deals.icp_tier_by there, or remove icp_tier:)\n"
        "2 errors, 0 warnings; 1 file checked\n")

    files = {"postmortems/2026-11-the-contoso-loss.md": _deal(
        "Contoso", False, "2026-11-10", "  segment: dachh\n")}
    kb = _region_kb(tmp_path / "kb2", files, "deals: {segment_by: region}\n")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-12-15")
    assert result.exit_code == 1
    assert result.output == (
        "postmortems/2026-11-the-contoso-loss.md:15:12  deal.segment  unknown region 'dachh' "
        "(did you mean dach? deal.segment takes the segments of the indicators split by "
        "region, the dimension deals.segment_by in taxonomy.yml names.)\n"
        "1 error, 0 warnings; 1 file checked\n")


def test_the_plan_box_names_a_kind_as_written_as_the_heading_does(tmp_path: Path) -> None:
    """A plan kind titled with Markdown punctuation: the box's title showed "*over*" as
    emphasis and "`ACV`" as code while the page's heading showed them as typed."""
    kb = make_kb(tmp_path / "kb", _FILES)
    kind = 'Deals *over* 50k `ACV` & "big" [sic]'
    taxonomy = (kb / "taxonomy.yml").read_text(encoding="utf-8")
    (kb / "taxonomy.yml").write_text(taxonomy.replace("title: Deals", f"title: '{kind}'"),
                                     encoding="utf-8")
    project = make_project(tmp_path / "site", kb)
    result = mkdocs_build(project, "2026-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "plan" / "deal" / "index.html").read_text(encoding="utf-8")
    box = re.search(r'<p class="admonition-title">(.*?)</p>', page, re.S)
    heading = re.search(r"<h1[^>]*>(.*?)(?:<a class=\"headerlink\".*?)?</h1>", page, re.S)
    assert box and heading, page
    assert html.unescape(box.group(1)) == f"Assumptions that failed before in {kind}"
    assert html.unescape(heading.group(1)) == f"Before you plan: {kind}"


def test_the_reasons_are_counted_within_each_competitor_s_deals(tmp_path: Path) -> None:
    """"Why do we lose to Nordlys?" took the competitor table (names only) and the pooled
    reasons (every competitor at once). Each competitor now has its reasons, won and lost,
    each count linking to exactly its deals: Nordlys (three deals, written two ways) before
    Brightwave (two), a deal that gives no reason under "not given", and the deal that names
    no competitor last."""
    files = {
        "postmortems/2026-01-h.md": _deal("H", False, "2026-01-12",
                                          "  competitor: Nordlys AS\n  reasons: [pricing]\n"),
        "postmortems/2026-02-i.md": _deal("I", False, "2026-02-03",
                                          "  competitor: NORDLYS\n  reasons: [price, integrations]\n"),
        "postmortems/2026-03-j.md": _deal("J", True, "2026-03-09",
                                          "  competitor: Nordlys\n  reasons: [integration-fit]\n"),
        "postmortems/2026-04-k.md": _deal("K", False, "2026-04-21", "  competitor: Brightwave\n"),
        "postmortems/2026-05-l.md": _deal("L", True, "2026-05-05",
                                          "  competitor: Brightwave Ltd\n  reasons: [price]\n"),
        "postmortems/2026-05-m.md": _deal("M", False, "2026-05-28", "  reasons: [price]\n"),
    }
    root = make_kb(tmp_path / "kb", files)
    page = build(root, dt.date(2026, 7, 1)).files["postmortems/win-loss.md"].decode()
    section = page.split("## The reasons customers gave, by competitor", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+) \{ #([\w-]+) \.hs-search-exclude \}$", section, flags=re.M)
    assert headings == [("Nordlys AS", "competitor-nordlys-as--reasons"),
                        ("Brightwave", "competitor-brightwave--reasons"),
                        (NOT_GIVEN, "competitor-not-given--reasons")], headings
    nordlys = section.split("### Nordlys AS", 1)[1].split("### ", 1)[0]
    assert "[1](#competitor-nordlys-as-won) won, [2](#competitor-nordlys-as-lost) lost." in nordlys
    rows = {row.split("</th>")[0].rsplit(">", 1)[1]: re.findall(r"<td>(.*?)</td>", row)
            for row in nordlys.splitlines() if row.startswith("<tr><th scope=\"row\">")}
    assert rows == {
        "Price": ["0", '<a href="#competitor-nordlys-as--reason-price-lost">2</a>'],
        "Integration fit": ['<a href="#competitor-nordlys-as--reason-integration-fit-won">1</a>',
                            '<a href="#competitor-nordlys-as--reason-integration-fit-lost">1</a>'],
    }, rows
    brightwave = section.split("### Brightwave", 1)[1].split("### ", 1)[0]
    assert ('<tr><th scope="row">not given</th><td>0</td><td><a href="#competitor-brightwave--'
            'reason-not-given-lost">1</a></td></tr>') in brightwave, brightwave
    # Every count leads to a list of exactly that many deals, named with their competitor.
    for anchor, shown in re.findall(r'href="#(competitor-[\w-]+--reason-[\w-]+)">(\d+)<', section):
        listed = re.search(r"^\*\*(.+?) \((\d+)\):\*\* (.+)\n\{: #" + anchor + " \\}$", page, re.M)
        assert listed is not None, anchor
        assert listed[2] == shown and listed[3].count("](../records/") == int(shown), listed[0]
    assert ("**Nordlys AS: Price, lost (2):** [H](../records/2026-01-h.md) · "
            "[I](../records/2026-02-i.md)") in page
    # The competitor's name in the table above leads to its reasons.
    assert '<th scope="row"><a href="#competitor-nordlys-as--reasons">Nordlys AS</a></th>' in page


def _campaign(name: str, ended: str, assumptions: list[tuple[str, bool, str]]) -> str:
    held = (dt.date.fromisoformat(ended) + dt.timedelta(days=4)).isoformat()
    rows = "".join(f"  - statement: '{s}'\n    held: {str(h).lower()}\n    category: {c}\n"
                   for s, h, c in assumptions)
    return (f"---\ntype: postmortem\nname: {name}\nkind: campaign\noutcome: mixed\n"
            f"summary: S.\nteam: marketing\nevent_ended: {ended}\nheld: {held}\nkeeper: K\n"
            f"assumptions:\n{rows}---\n")


def test_the_plan_box_ranks_by_evidence_and_shares_show_their_counts(tmp_path: Path) -> None:
    """Channel failed 3 of 4, Demand 2 of 2, Pricing 2 of 4, Capacity 1 of 1. Ranked by share
    alone, Capacity (0 of 1) led the box and Demand (0 of 2) came before Channel, the one that
    failed repeatedly; the by-year column read "2025: 0%" from one assumption."""
    from generator.site.build import build

    files = {
        "postmortems/2025-11-black-friday.md": _campaign("Black Friday", "2025-11-30", [
            ("Paid social CPL stays under €40.", False, "channel")]),
        "postmortems/2026-02-spring-push.md": _campaign("Spring Push", "2026-02-20", [
            ("Email CTR holds at 4.5%.", False, "channel"),
            ("A 15% discount lifts conversion to 3%.", True, "pricing"),
            ("The $49 tier takes 30% of sign-ups.", False, "pricing"),
            ("2,000 MQLs at $120 each.", False, "demand")]),
        "postmortems/2026-05-summer-drive.md": _campaign("Summer Drive", "2026-05-15", [
            ("Webinar show-up rate is 40%.", False, "channel"),
            ("Partner newsletter drives 10% of pipeline.", True, "channel"),
            ("Annual plan at €1,200 converts 20% of trials.", True, "pricing"),
            ("Raising the floor to €99 costs under 5% of deals.", False, "pricing"),
            ("Pipeline reaches $1.2M by June.", False, "demand"),
            ("Two designers can ship 12 assets a week.", False, "capacity")]),
    }
    root = make_kb(tmp_path / "kb", files)
    taxonomy = (root / "taxonomy.yml").read_text(encoding="utf-8")
    (root / "taxonomy.yml").write_text(taxonomy.replace(
        "assumption_categories:\n",
        "assumption_categories:\n  - id: channel\n    title: Channel\n  - id: pricing\n"
        "    title: Pricing\n  - id: capacity\n    title: Capacity\n"), encoding="utf-8")
    result = check(root, dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    cal = calibrate(result.kb)
    assert [c.category for c in cal.worst_for("campaign")] == [
        "channel", "demand", "pricing", "capacity"]

    files_out = build(root, dt.date(2026, 7, 1)).files
    plan = files_out["plan/campaign.md"].decode()
    box = plan.split("!!! warning", 1)[1].split("\n\n", 2)[1]
    names = re.findall(r"- \*\*(\w+)\*\*: did not hold \[(\d)\]\([^)]*\) of \[(\d)\]", box)
    assert names == [("Channel", "3", "4"), ("Demand", "2", "2"), ("Pricing", "2", "4")], box
    assert "Capacity" not in box
    assert "(held 25%)" in box and "(held 0%: too few to judge)" in box

    page = files_out["plan/calibration.md"].decode()
    rows = {re.sub(r"<[^>]+>", "|", row).split("|")[2]: row
            for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", page)
            if "plan/campaign" not in row}
    assert "<td>25% (1 of 4)</td>" in rows["Channel"], rows["Channel"]
    assert "2025: 0% (0 of 1: too few to judge) · 2026: 33% (1 of 3)" in rows["Channel"]
    assert "<td>0% (0 of 1: too few to judge)</td>" in rows["Capacity"]
    # The plan-kind table has the years too.
    by_kind = [row for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", page)
               if "plan/campaign" in row or "Campaigns" in row]
    assert any("2025: 0% (0 of 1: too few to judge)" in row for row in by_kind), by_kind
