"""Words a record page carries for search only, and links from raw-HTML tables."""

from __future__ import annotations

from pathlib import Path

from conftest import NORDFJORD, REPO
from generator.errors import Problems
from generator.paths import html_href
from generator.records.validate import load_taxonomy
from generator.site.search_terms import (
    family_words,
    hyphenated_words,
    reason_names,
    spelling_variants,
    word_family,
)


def test_hyphenated_words_and_their_joined_forms() -> None:
    found = hyphenated_words(["The SDR-to-AE hand-off broke; follow-up lagged.",
                              "An e-mail (one letter) and 2026-05 are not words."])
    assert found == {"sdrtoae": "sdr-to-ae", "handoff": "hand-off", "followup": "follow-up"}


def test_spelling_variants_go_both_ways() -> None:
    vocabulary = {"handoff": "hand-off", "followup": "follow-up"}
    # A page writing "hand-off" gains "handoff"; a page writing "Followup" gains "follow-up"
    # because another record writes it with a hyphen; words nobody hyphenates gain nothing.
    assert spelling_variants(["Fix the hand-off."], vocabulary) == ["handoff"]
    assert spelling_variants(["Followup was slow", "pipeline"], vocabulary) == ["follow-up"]
    assert spelling_variants(["Nothing here"], vocabulary) == []


def test_a_page_saying_one_form_of_lose_or_win_carries_the_others() -> None:
    # Pagefind's stemmer reads "losing" as "lose", but "lose", "lost" and "loss" (and "win"
    # and "won") as different words: a page gains one form of each group it does not say.
    assert word_family(family_words(["We lost Pellham to Corvex."])) == ["lose", "loss"]
    assert word_family(family_words(["Losing streak", "two losses"])) == ["lost"]
    assert word_family(family_words(["Oakridge WON in March"])) == ["win"]
    assert word_family(family_words(["deal-lost", "loss"])) == ["lose"]
    # "win" in "win-back" is the word; "winter", "lossless" and "glossy" are not.
    assert family_words(["The win-back list", "Winter lossless glossy"]) == {"win"}
    assert word_family(family_words(["win rate", "won", "loss", "lost", "lose"])) == []
    assert word_family(["pipeline"]) == []


def test_a_deal_reason_is_found_by_its_title_aliases_and_description(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(REPO, Problems())
    assert taxonomy is not None
    assert reason_names(taxonomy, ["price", "price"]) == [
        "Price", "pricing", "too expensive",
        "The total price, the discount asked for, or the price against the competitor's."]
    assert reason_names(taxonomy, []) == []
    # A reason with neither aliases nor a description: its title.
    (tmp_path / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    other = load_taxonomy(tmp_path, Problems())
    assert other is not None
    assert reason_names(other, ["roi-case"]) == ["ROI case"]


def test_raw_html_links_point_at_served_addresses() -> None:
    assert html_href("actions/index.md", "records/x.md", True) == "../records/x/"
    assert html_href("index.md", "records/x.md", True, "actions") == "records/x/#actions"
    assert html_href("records/x.md", "index.md", True) == "../../"
    assert html_href("index.md", "index.md", True) == "./"
    assert html_href("records/x.md", "records/x.md", False, "a") == "x.html#a"
    assert html_href("actions/index.md", "actions/index.md", True, "open") == "./#open"
    assert html_href("indicators/a.md", "charts/a.svg", True) == "../../charts/a.svg"
    assert html_href("records/x.md", "causes/c.md", False) == "../causes/c.html"
    assert html_href("index.md", "charts/a.svg", False) == "charts/a.svg"
