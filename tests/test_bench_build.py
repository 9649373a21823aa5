"""The benchmark's plain-prose twin keeps a page's words and headings and drops its markup."""

from __future__ import annotations

from generator.bench.build import as_prose

PAGE = """---
title: ICP drift
tags:
  - ICP drift
---

# ICP drift

Sales and marketing **no longer agree**; see [the July retro](../records/2025-07-sales.md).

| Cited | Teams |
| --- | --- |
| 17 | Sales, Marketing |

<table class="actions"><tr><td><a href="../a/">SAL-1</a></td><td>Rewrite the ICP &amp; tiers</td></tr></table>

## Cited in {#cited}

- Win rate fell < 30%
"""


def test_a_generated_page_becomes_headings_and_paragraphs() -> None:
    assert as_prose(PAGE) == (
        "# ICP drift\n\n"
        "Sales and marketing no longer agree ; see the July retro.\n\n"
        "Cited Teams\n\n"
        "17 Sales, Marketing\n\n"
        "SAL-1 Rewrite the ICP & tiers\n\n"
        "## Cited in\n\n"
        "Win rate fell &lt; 30%\n")
