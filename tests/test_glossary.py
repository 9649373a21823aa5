"""The glossary: every indicator of the taxonomy with its name, description and unit, the
abbreviations the records use and the site's own terms; linked from the nav, and from the
home and indicator pages, which end with the terms they use. Asserted on built sites."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import NORDFJORD, REPO, run_cli
from sitetools import make_project, mkdocs_build, parse_page, resolve_link

GLOSSARY = Path("guide") / "glossary" / "index.html"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("glossary"), REPO)
    result = mkdocs_build(project, "2026-11-23")
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def article(page: Path) -> str:
    """A built page's article (its content, without the nav)."""
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def plain(fragment: str) -> str:
    """An HTML fragment's text, its permalinks' signs left out, its spacing made single."""
    fragment = re.sub(r'<a class="headerlink".*?</a>', "", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def terms_links(site: Path, page: Path) -> dict[str, str]:
    """The "Words on this page" line's links: each term → the glossary anchor it leads to,
    checked to exist."""
    found = re.search(r'<p class="hs-terms[^"]*">(.*?)</p>', article(page), re.S)
    assert found, page
    links = {}
    for href, term in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', found.group(1)):
        target = resolve_link(site, page, href)
        assert target is not None and target[0] == (site / GLOSSARY).resolve(), href
        if target[1]:
            assert target[1] in parse_page(site / GLOSSARY).ids, href
            links[term] = target[1]
    return links


def test_the_glossary_lists_every_indicator_with_its_description_and_unit(
        sample_site: Path) -> None:
    """New hires met "MQL→SQL", "NRR" and "−2.8 pp" with nothing to say what they are."""
    taxonomy = yaml.safe_load((REPO / "taxonomy.yml").read_text(encoding="utf-8"))
    page = parse_page(sample_site / GLOSSARY)
    text = plain(article(sample_site / GLOSSARY))
    for indicator in taxonomy["indicators"]:
        assert f"indicator-{indicator['id']}" in page.ids, indicator["id"]
        assert indicator["label"] in text
        assert " ".join(indicator["description"].split()) in text, indicator["id"]
    assert "Unit: a rate (a share, shown as a percentage; changes in percentage points, pp)" \
        in text
    assert "Unit: money per day ($ per day)" in text
    # The abbreviations the records use, and the site's own words.
    for anchor in ("mql", "sql", "nrr", "icp", "sdr", "pp", "wrong-way", "held", "movement",
                   "cause", "fix-horizon"):
        assert anchor in page.ids, anchor
    assert "Marketing-qualified lead." in text and "Net revenue retention." in text
    # Only what the knowledge base uses: the sample never says ACV.
    assert "acv" not in page.ids


def test_the_nav_and_the_home_page_link_to_the_glossary(sample_site: Path) -> None:
    home = sample_site / "index.html"
    nav = home.read_text(encoding="utf-8")
    assert re.search(r'<a href="guide/glossary/" class="md-nav__link">\s*<span[^>]*>\s*'
                     r"Glossary", nav), "no nav entry"
    links = terms_links(sample_site, home)
    # The home page's abbreviations (its causes' and indicators' names) and its own words.
    assert {"MQL": "mql", "SQL": "sql", "ICP": "icp", "SDR": "sdr", "pp": "pp",
            "wrong way": "wrong-way", "movement": "movement", "held": "held"}.items() \
        <= links.items(), links
    said = plain(article(home))
    assert "MQL: marketing-qualified lead" in said and "pp: percentage points" in said
    # Where they first appear: the wrong-way list's noise, the fix horizon.
    body = article(home)
    assert re.search(r'<a href="guide/glossary/#pp"[^>]*>percentage points?</a> \(pp\) for a '
                     "rate", body), "no pp link"
    assert 'href="guide/glossary/#fix-horizon"' in body or "did not stick" not in said


def test_an_indicator_page_ends_with_its_abbreviations(sample_site: Path) -> None:
    page = sample_site / "indicators" / "mql-to-sql" / "index.html"
    links = terms_links(sample_site, page)
    assert links.get("MQL") == "mql" and links.get("SQL") == "sql", links
    assert links.get("pp") == "pp", links



def test_the_sample_s_tiers_are_its_own_terms_explained(sample_site: Path) -> None:
    """The sample's sales retros and deal post-mortems speak of tier-1, tier-2 and tier-3
    accounts (cycles by ICP tier, "tier-3 accounts under 150 employees", a win-back list "from
    tier-1 and tier-2 closed-lost deals") and nothing said what a tier was. Its taxonomy's
    glossary defines every tier its records name; the glossary page explains them, and the
    retro and the indicator that speak of them end with them."""
    taxonomy = yaml.safe_load((REPO / "taxonomy.yml").read_text(encoding="utf-8"))
    defined = {term.casefold() for term in taxonomy.get("glossary") or {}}
    said = {word.casefold() for folder in ("retros", "postmortems")
            for path in (REPO / folder).glob("*.md")
            for word in re.findall(r"\btier-\d\b", path.read_text(encoding="utf-8"), re.I)}
    assert said >= {"tier-1", "tier-2", "tier-3"}, said
    assert said <= defined, said - defined
    page = parse_page(sample_site / GLOSSARY)
    assert {"company-terms", "term-tier-1", "term-tier-2", "term-tier-3"} <= page.ids
    text = plain(article(sample_site / GLOSSARY))
    assert "Brightlane's own terms Tier-1 An account that fits our ideal customer profile " \
        "(ICP) best." in text, text
    retro = sample_site / "records" / "2026-03-sales" / "index.html"
    links = terms_links(sample_site, retro)
    assert links.get("Tier-1") == "term-tier-1" and links.get("Tier-2") == "term-tier-2", links
    assert "Tier-1: An account that fits our ideal customer profile (ICP) best; Tier-2: An " \
        "account that fits our ICP well but not fully" in plain(article(retro))
    cycle = terms_links(sample_site, sample_site / "indicators" / "sales-cycle" / "index.html")
    assert {"Tier-1", "Tier-2", "Tier-3"} <= cycle.keys(), cycle


APRIL = """---
type: retro
period: 2026-04
team: field-sales
held: 2026-05-04
facilitator: Ingrid Dahl
format: went-well-didnt
indicators:
  meetings-booked: {dach: 22, nordics: 15}
  close-rate: {dach: 0.24, nordics: 0.2}
---

A slow month in the Nordics.
"""
MAY = """---
type: retro
period: 2026-05
team: field-sales
held: 2026-06-03
facilitator: Ingrid Dahl
format: went-well-didnt
indicators:
  meetings-booked: {dach: 27, nordics: 12}
  close-rate: {dach: 0.31, nordics: 0.22}
---

Our ACV in DACH rose to €18k: two hotel chains signed for three years.
"""


def test_another_taxonomy_s_glossary_shows_its_own_indicators_and_abbreviations(
        tmp_path: Path) -> None:
    """Nordfjord's indicators (meetings booked, close rate; no descriptions), and its records'
    own abbreviation (ACV), not the sample's MQL→SQL; its older mkdocs.yml, without the
    glossary in its nav, still builds strictly."""
    kb = tmp_path / "kb"
    (kb / "retros").mkdir(parents=True)
    taxonomy = NORDFJORD.replace(
        "    label: Close rate\n",
        "    label: Close rate\n    description: Deals won out of the proposals sent.\n")
    (kb / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    (kb / "retros" / "2026-04-field-sales.md").write_text(APRIL, encoding="utf-8")
    (kb / "retros" / "2026-05-field-sales.md").write_text(MAY, encoding="utf-8")
    project = make_project(tmp_path / "site", kb)
    # Its mkdocs.yml predates the glossary: no nav entry. The strict build stopped on a page
    # "not included in the nav"; the glossary is there, reached from the pages' links.
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      - Glossary: guide/glossary.md\n" in text
    config.write_text(text.replace("      - Glossary: guide/glossary.md\n", ""),
                      encoding="utf-8")
    built = mkdocs_build(project, "2026-06-15")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert not re.search(r'md-ellipsis">\s*Glossary\s*</span>', home)
    assert '<a href="guide/glossary/" rel="noopener noreferrer">Glossary</a>' in home
    page = parse_page(site / GLOSSARY)
    text = plain(article(site / GLOSSARY))
    assert {"indicator-meetings-booked", "indicator-close-rate", "acv"} <= page.ids
    assert "Deals won out of the proposals sent." in text
    assert "Meetings booked No description in the taxonomy yet." in text
    assert "Annual contract value." in text
    assert "MQL" not in text and "mql" not in page.ids and "indicator-mql-to-sql" not in page.ids
    assert "Unit: a count; better higher. Split by region." in text
    # Its close rate's page: a change in pp, its own words, nothing of the sample's.
    links = terms_links(site, site / "indicators" / "close-rate" / "index.html")
    assert links.get("pp") == "pp" and "MQL" not in links, links


GLOSSARY_TERMS = """\
glossary:
  PQL: "Product-qualified lead. A user whose use of the free plan says they are ready to buy."
  Tier-1: "One of our forty largest hotel groups: named accounts, each with its own AE."
  ACV: "Annual contract value, as Nordfjord counts it: first-year fees included."
"""
def test_a_taxonomy_s_own_terms_are_in_the_glossary_and_on_the_pages_using_them(
        tmp_path: Path) -> None:
    """A knowledge base could not explain its own terms ("PQL", "Tier-1"): the glossary took
    abbreviations from a fixed list only. Nordfjord's taxonomy defines three under
    `glossary:`; the glossary page lists each with its meaning, its own ACV replacing the
    built-in one, and the page of the indicator whose description says "PQLs" and "tier-1"
    names both on its "Words on this page" line, with their meanings' first sentences, linked
    to their entries; the close rate's page, which says neither, names neither."""
    kb = tmp_path / "kb"
    (kb / "retros").mkdir(parents=True)
    taxonomy = NORDFJORD.replace(
        "    label: Meetings booked\n",
        "    label: Meetings booked\n    description: First meetings booked, with PQLs and "
        "tier-1 groups counted alike.\n") + GLOSSARY_TERMS
    (kb / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    (kb / "retros" / "2026-05-field-sales.md").write_text(MAY, encoding="utf-8")
    project = make_project(tmp_path / "site", kb)
    built = mkdocs_build(project, "2026-07-15")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    page = parse_page(site / GLOSSARY)
    text = plain(article(site / GLOSSARY))
    assert {"company-terms", "term-pql", "term-tier-1", "term-acv"} <= page.ids, page.ids
    assert ("Nordfjord's own terms PQL Product-qualified lead. A user whose use of the free "
            "plan says they are ready to buy. Tier-1 One of our forty largest hotel groups: "
            "named accounts, each with its own AE.") in text, text
    # Its ACV (which the May retro says) is the one explained, not the built-in one beside it.
    assert "first-year fees included" in text and "acv" not in page.ids
    assert "Annual contract value. What a customer's contract" not in text
    meetings = site / "indicators" / "meetings-booked" / "index.html"
    links = terms_links(site, meetings)
    assert links.get("PQL") == "term-pql" and links.get("Tier-1") == "term-tier-1", links
    said = plain(article(meetings))
    assert "Words on this page: PQL: Product-qualified lead; Tier-1: One of our forty " \
        "largest hotel groups: named accounts, each with its own AE" in said, said
    closing = article(site / "indicators" / "close-rate" / "index.html")
    assert "term-pql" not in closing and "term-tier-1" not in closing


def test_glossary_terms_written_wrong_are_errors_at_their_keys(tmp_path: Path) -> None:
    """A term with markup, one differing from another by case alone, one too long for a
    heading, a meaning left empty, and `glossary:` written as a list: each an error at its
    place in taxonomy.yml, and the build stops."""
    kb = tmp_path / "kb"
    (kb / "retros").mkdir(parents=True)
    written = NORDFJORD + (
        "glossary:\n"
        '  PQL: "Product-qualified lead."\n'
        '  pql: "The same, again."\n'
        '  "<i>SAL</i>": "Sales-accepted lead."\n'
        '  A term much too long to be a heading of the glossary: "x"\n'
        '  Tier-1: ""\n')
    (kb / "taxonomy.yml").write_text(written, encoding="utf-8")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-07-15")
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = written.splitlines()

    def at(start: str, col: int) -> str:
        return f"taxonomy.yml:{next(n for n, t in enumerate(lines, 1) if t.startswith(start))}:{col}"
    out = result.output
    assert (f"{at('  pql:', 3)}  glossary.pql  term 'pql' is already in the glossary as 'PQL': "
            "they differ by case alone (keep one of them)") in out, out
    markup = at('  "<i>', 3)
    assert f"{markup}  glossary.<i>SAL</i>  term is plain text but contains" in out, out
    assert (f"{at('  A term', 3)}  glossary.A term much too long to be a heading of the "
            "glossary  term is 52 characters long, more than 40") in out, out
    assert f"{at('  Tier-1:', 11)}  glossary.Tier-1  must not be empty" in out, out
    (kb / "taxonomy.yml").write_text(NORDFJORD + "glossary:\n  - PQL\n", encoding="utf-8")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-07-15")
    assert ("  glossary  must be a mapping of terms to their meanings (got a list) (write one "
            '`TERM: "its meaning"` line per term, indented under glossary:)') in result.output
    # Left empty (every term commented out), it is no error.
    (kb / "taxonomy.yml").write_text(NORDFJORD + "glossary:\n  # PQL: \"…\"\n",
                                     encoding="utf-8")
    assert run_cli("validate", "--root", str(kb), "--as-of", "2026-07-15").exit_code == 0


ROUND_ROBIN_GLOSSARY = """\
glossary:
  PQL: "Product-qualified lead. A user whose use of the free plan says they are ready to buy."
  Tier-1: "One of our forty largest hotel groups: named accounts, each with its own AE."
  Round robin: "How inbound leads are dealt to the SDRs in turn. Nobody picks their own."
"""
SDR_MAY = """---
type: retro
period: 2026-05
team: inbound-sdr
held: 2026-06-02
facilitator: Lena Berg
format: stop-start-continue
indicators:
  meetings-booked: {dach: 31, nordics: 18}
causes:
  - cause: slow-first-touch
    whys:
      - "Tier-1 groups that asked for a demo waited two days"
stop:
  - "Letting PQLs sit in the shared inbox"
start:
  - "Calling every PQL within the hour"
continue:
  - "The Monday pipeline call"
---

Eleven PQLs this month, three of them tier-1 hotel groups.
"""


def test_a_record_page_ends_with_the_glossary_words_it_uses(tmp_path: Path) -> None:
    """A retro or post-mortem, the page a new hire opens from search, said "PQLs", "tier-1"
    and "ACV" and explained none of them: only the home and indicator pages ended with their
    words. Each record page now does, naming the words its reader sees there and no other:
    the SDR retro its PQL, Tier-1 and SDR, not the field-sales retro's ACV, nor "round robin",
    a term of the taxonomy's glossary its page carries only in its hidden search terms (an
    alias of the cause it cites), nor the site's own words every record page's header says
    ("held"); the field-sales retro its ACV and none of the SDR retro's."""
    kb = tmp_path / "kb"
    (kb / "retros").mkdir(parents=True)
    taxonomy = NORDFJORD.replace(
        "    description: Inbound leads wait too long for the first call.\n",
        "    description: Inbound leads wait too long for the first call.\n"
        "    aliases: [round-robin]\n") + ROUND_ROBIN_GLOSSARY
    (kb / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    (kb / "retros" / "2026-05-inbound-sdr.md").write_text(SDR_MAY, encoding="utf-8")
    (kb / "retros" / "2026-05-field-sales.md").write_text(MAY, encoding="utf-8")
    project = make_project(tmp_path / "site", kb)
    built = mkdocs_build(project, "2026-07-15")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    sdr = site / "records" / "2026-05-inbound-sdr" / "index.html"
    links = terms_links(site, sdr)
    assert {"PQL": "term-pql", "Tier-1": "term-tier-1", "SDR": "sdr"}.items() <= links.items(), \
        links
    assert "ACV" not in links and "Round robin" not in links, links
    # The site's own words, which every record page's header and headings say ("held 2026-06-03",
    # "Causes"), are not named: a line naming them on every record would say nothing.
    assert not {"held", "cause", "leading indicator"} & links.keys(), links
    # "round robin" is in the page, for search only: no word of the page a reader sees.
    hidden = re.search(r'<div class="hs-search-terms" hidden[^>]*>([^<]*)</div>', article(sdr))
    assert hidden and "round robin" in hidden.group(1), article(sdr)
    said = plain(article(sdr))
    assert said.count("Words on this page:") == 1, said
    assert "PQL: Product-qualified lead; Tier-1: One of our forty largest hotel groups: " \
        "named accounts, each with its own AE" in said, said
    field = site / "records" / "2026-05-field-sales" / "index.html"
    links = terms_links(site, field)
    assert links.get("ACV") == "acv", links
    assert not {"PQL", "Tier-1", "SDR"} & links.keys(), links
    assert "ACV: annual contract value" in plain(article(field))


def test_the_words_of_a_page_are_found_in_one_pass_as_each_term_is_written() -> None:
    """The words found by the one pattern (`TermFinder`) are those each term's own spelling
    finds: two terms starting at the same word are both found, an abbreviation only in
    capitals and outside an address, a company's term in any case unless written in
    capitals, "pp" after a number; and a page using none gets no words."""
    from generator.site.glossary import TermFinder, company_terms

    company = company_terms({"Tier-1": "A largest account.", "Tier-1 account": "One of them.",
                             "PQL": "Product-qualified lead.", "Held": "Our own held."})
    finder = TermFinder(["ACV", "SQL"], company)

    def anchors(page: str) -> list[str]:
        return [term.anchor for term in finder.terms_on(page)]

    assert anchors("Two TIER-1 ACCOUNTS and SQLs, −2.8pp.") == [
        "sql", "term-tier-1", "term-tier-1-account", "pp"]
    # The company's "Held" and the site's "held" are two entries, both found.
    assert anchors("held on 3 June; PQLs") == ["term-pql", "term-held", "held"]
    assert anchors("sql, pqls, acv-2, [x](records/ACV.md), #SQL, tier-12, 3 ppm, "
                   "uphold") == []
