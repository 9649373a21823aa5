"""A record's page shows the team's figure for each split indicator: its segments combined
by the indicator's own rule (a sum, pooled counts, a mean, a derived rate pooled from its
inputs), labelled "all segments", the same figure its indicator page's "all" row shows.

The knowledge bases are unlike the sample: a partner team's pipeline in euros split by
partner tier, and Plainco's (``fixtures/taxonomy-plain.yml``) sources, tiers and a rate
computed from counts. Every figure is worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

from test_rollup import TAXONOMY, retro

from conftest import make_kb, run_cli

AS_OF = "2026-07-20"

PARTNERS = """\
company: Westpark Channel GmbH
currency: "€"
causes:
  - id: enablement-gap
    title: Enablement gap
    description: Resellers sign up but are never certified.
indicators:
  - id: partner-pipeline
    label: Partner-sourced pipeline
    unit: usd
    better: up
    segment_by: partner-tier
    segments: [gold, silver, registered]
    aggregate: sum
  - id: active-resellers
    label: Active resellers
    unit: count
    better: up
teams:
  - id: channel
    name: Channel
plan_kinds:
  - id: partner-program
    title: Partner programmes
"""


def _generate(root: Path, tmp_path: Path) -> Path:
    """The site's tree as the real command writes it."""
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                        "--quiet")
    assert generated.exit_code == 0, generated.output
    return out


def _rows(page: str) -> list[str]:
    """The rows of a record page's readings table, in order."""
    table = page.split("## Leading indicators", 1)[1].split("</tbody>", 1)[0]
    return [line for line in table.splitlines() if line.startswith("<tr><th")]


def test_a_partner_retro_shows_its_pipeline_total_after_the_tiers(tmp_path: Path) -> None:
    """Gold €620,000 + silver €380,000 + registered €250,000 = €1,250,000, the total the
    retro's own text speaks of and the indicator page's "all" row gives."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "taxonomy.yml").write_text(PARTNERS, encoding="utf-8")
    (root / "retros").mkdir()
    (root / "retros" / "2025-06-channel.md").write_text(
        retro("2025-06", "  partner-pipeline:\n    gold: 620000\n    silver: 380000\n"
              "    registered: 250000\n  active-resellers: 42\n", team="channel")
        + "Q2 closed at EUR 1.25m partner-sourced pipeline.\n", encoding="utf-8")
    out = _generate(root, tmp_path)
    page = (out / "records" / "2025-06-channel.md").read_text(encoding="utf-8")
    assert _rows(page) == [
        '<tr><th scope="row">Partner-sourced pipeline</th><td>gold</td><td>€620,000</td></tr>',
        '<tr><th scope="row">Partner-sourced pipeline</th><td>silver</td><td>€380,000</td></tr>',
        '<tr><th scope="row">Partner-sourced pipeline</th><td>registered</td>'
        '<td>€250,000</td></tr>',
        '<tr><th scope="row">Partner-sourced pipeline</th><td>all segments</td>'
        '<td>€1,250,000 · <em>sum of the segments</em></td></tr>',
        # An indicator not split has no total of its own.
        '<tr><th scope="row">Active resellers</th><td>all</td><td>42</td></tr>',
    ]
    indicator = (out / "indicators" / "partner-pipeline.md").read_text(encoding="utf-8")
    assert ('<th scope="row" class="hs-date">2025-06</th><td>all</td><td class="hs-num">'
            '<a href="../../records/2025-06-channel/#indicators">€1,250,000</a>') in indicator


def test_each_split_indicator_is_combined_by_its_own_rule(tmp_path: Path) -> None:
    """Plainco's month: MQLs summed (100 + 50 + 50 = 200), SQLs summed (30 + 10 + 20 = 60),
    MQL→SQL computed per source from them and pooled from those counts (60/200 = 30.0 %, not
    the mean of 30 %, 20 % and 40 %), the win rate pooled from its counts (13/60 = 21.7 %),
    the sales cycle a mean of its tiers ((30 + 51) / 2 = 40.5 days); the NPS multiple, not
    split, has no total."""
    root = make_kb(tmp_path / "kb", {"retros/2026-03-growth.md": retro("2026-03", (
        "  mqls: {web: 100, events: 50, partners: 50}\n"
        "  sqls: {web: 30, events: 10, partners: 20}\n"
        '  win-rate: {smb: "10/50", enterprise: "3/10"}\n'
        "  cycle: {t1: 30, t2: 51}\n"
        "  nps: 1.4\n"))}, TAXONOMY)
    out = _generate(root, tmp_path)
    page = (out / "records" / "2026-03-growth.md").read_text(encoding="utf-8")
    totals = [row for row in _rows(page) if "<td>all segments</td>" in row]
    assert totals == [
        '<tr><th scope="row">MQLs</th><td>all segments</td>'
        "<td>200 · <em>sum of the segments</em></td></tr>",
        '<tr><th scope="row">SQLs</th><td>all segments</td>'
        "<td>60 · <em>sum of the segments</em></td></tr>",
        '<tr><th scope="row">Win rate</th><td>all segments</td><td>21.7% · <em>pooled over '
        "the segments: Σ numerators ÷ Σ denominators (13/60)</em></td></tr>",
        '<tr><th scope="row">Sales cycle</th><td>all segments</td>'
        "<td>40.5 days · <em>mean of the segments</em></td></tr>",
        '<tr><th scope="row">MQL→SQL</th><td>all segments</td><td>30.0% · <em>pooled over '
        "the segments: Σ numerators ÷ Σ denominators (60/200)</em></td></tr>",
    ]
    # Each total follows its indicator's last segment.
    rows = _rows(page)
    for total in totals:
        label = total.split("</th>", 1)[0]
        own = [at for at, row in enumerate(rows) if row.startswith(label)]
        assert rows.index(total) == own[-1], (total, rows)
