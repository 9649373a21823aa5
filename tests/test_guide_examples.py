"""The guide's examples in the knowledge base's own ids.

The guide under ``docs/guide/`` comes with the template every knowledge base starts from. Its
examples were written with the sample company's ids, so Larkspur's site (tests/test_together.py)
told its writers to run ``hindsight new retro --team sales``, to give ``win-rate: {smb: …,
mid-market: …, enterprise: …}`` and ``indicator: mql-to-sql``: a team, segments and an
indicator its ``taxonomy.yml`` does not have, each an error once typed. The built guide now
names Larkspur's own (its first team, its win rate's segments ``smb, mm, ent``, its plan
kinds), and the sample's site reads as written.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_together import AS_OF, TAXONOMY, knowledge_base, records

from conftest import run_cli
from generator.errors import Problems
from generator.paths import RenderOptions
from generator.records.taxonomy import Taxonomy
from generator.records.taxonomy_rules import load_taxonomy
from generator.site.guide import MARK, fill_guide
from sitetools import REPO, make_project, mkdocs_build

GUIDE = REPO / "docs" / "guide"


class _Code(HTMLParser):
    """The text of every ``<code>`` element of a page (highlighted blocks included), and the
    page's whole text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.code: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code":
            if self.depth == 0:
                self.code.append("")
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.depth:
            self.code[-1] += data


def _guide_pages(site: Path) -> dict[str, _Code]:
    """Each hand-written guide page of a built site, by name."""
    pages = {}
    for path in sorted(GUIDE.glob("*.md")):
        stem = path.stem
        built = site / "guide" / ("" if stem == "index" else stem) / "index.html"
        parser = _Code()
        parser.feed(built.read_text(encoding="utf-8"))
        pages[stem] = parser
    return pages


def _ids(taxonomy: Taxonomy) -> set[str]:
    """Every id a record may write from ``taxonomy``."""
    return ({t.id for t in taxonomy.teams} | {i.id for i in taxonomy.indicators}
            | {s for i in taxonomy.indicators for s in i.segments}
            | {k.id for k in taxonomy.plan_kinds} | {c.id for c in taxonomy.causes}
            | {c.id for c in taxonomy.assumption_categories} | {r.id for r in taxonomy.reasons})


def _larkspur_taxonomy(tmp_path: Path) -> Taxonomy:
    (tmp_path / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    found = load_taxonomy(tmp_path, Problems())
    assert found is not None
    return found


@pytest.fixture(scope="module")
def larkspur_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Larkspur's site, built by a strict MkDocs build."""
    work = tmp_path_factory.mktemp("larkspur-guide")
    project = make_project(work / "project", knowledge_base(work, records()))
    built = mkdocs_build(project, AS_OF)
    assert built.returncode == 0, built.stderr[-3000:]
    return project / "site"


def test_larkspur_s_guide_gives_its_own_ids(larkspur_site: Path, tmp_path: Path) -> None:
    """Every example of Larkspur's published guide names Larkspur's teams, indicators,
    segments, plan kinds, reasons and categories, and none of the sample's it lacks."""
    pages = _guide_pages(larkspur_site)
    code = {name: "\n".join(page.code) for name, page in pages.items()}
    retro, postmortem, commands = code["writing-a-retro"], code["writing-a-postmortem"], \
        code["commands"]
    # Writing a retro: its first team, and its win rate split into its own segments.
    assert "hindsight new retro --team sdr --period 2026-05" in retro, retro
    assert "retros/2026-05-sdr.md" in retro and "SDR-2026-05-1" in retro, retro
    assert "hindsight prep --team sdr --period 2026-05 --metrics may.csv" in retro, retro
    assert ('indicators:\n  handoff-sla: "18/40"\n  win-rate: {smb: "12/30", mm: "7/25", '
            'ent: "2/9"}\n  grr: {ent: "18/40", mm: "9/25", smb: "4/11"}') in retro, retro
    assert '{smb: "12/30", ent: }' in retro, retro
    # Writing a post-mortem: a kind whose plan kind it has, its plan kinds, reasons and
    # categories; no ICP tier, which Larkspur's deals cannot give.
    assert "--kind deal-won --team sdr" in postmortem, postmortem
    assert "hindsight plan deal" in postmortem, postmortem
    deal = next(example for example in pages["writing-a-postmortem"].code
                if "customer:" in example)
    assert deal.endswith("reasons: [price, adoption]\n  segment: smb\n"), deal
    assert "applies_to: [keep-grow, deal]" in postmortem, postmortem
    assert "sponsor" in postmortem and "indicator: win-rate" in postmortem, postmortem
    # Commands: the metrics CSV of its own indicators, the team a carried action is owned by.
    assert ('indicator,segment,value\ngrr,ent,"18/40"\ngrr,mm,"9/25"\ngrr,smb,"4/11"\n'
            'handoff-sla,,0.71') in commands, commands
    assert 'marked "owned by Account Executives"' in "".join(pages["commands"].text)
    # None of the sample's ids that Larkspur lacks, in any example of any guide page; no mark
    # is left unfilled.
    sample = load_taxonomy(REPO, Problems())
    assert sample is not None
    foreign = _ids(sample) - _ids(_larkspur_taxonomy(tmp_path))
    for name, page in pages.items():
        for example in page.code:
            # A link's words are prose ("[the launch](…)"); its target is an example.
            words = set(re.findall(r"[a-z0-9_]+(?:-[a-z0-9_]+)*",
                                   re.sub(r"\[[^\]\n]*\]\(", "(", example)))
            # The formula sentence explains what a taxonomy *may* define (Larkspur defines
            # none): its ids are no example of Larkspur's to type.
            if example in ("sqls / mqls", "deals-won / deals-closed"):
                continue
            if re.fullmatch(r"[a-z_]+:", example):
                continue  # a field's name (`timeline:`), not an id
            assert not words & foreign, (name, example, words & foreign)
        assert "{{" not in "".join(page.text), name


def test_the_sample_s_guide_reads_as_written() -> None:
    """Filled in from the sample's own taxonomy, every mark of the guide gives the id it is
    written with, and every readings example stays as written."""
    sample = load_taxonomy(REPO, Problems())
    assert sample is not None
    filled = {path.stem: fill_guide(path.read_text(encoding="utf-8"), sample)
              for path in GUIDE.glob("*.md")}
    for name, text in filled.items():
        assert not MARK.search(text), name
    retro = filled["writing-a-retro"]
    assert "hindsight new retro --team sales --period 2026-05" in retro
    assert ('indicators:\n  pipeline-velocity: 41200\n  win-rate: {smb: "12/30", mid-market: '
            '"7/25", enterprise: "2/9"}\n  sales-cycle: {tier-1: 41, tier-2: 63, tier-3: 88}\n'
            ) in retro
    assert '`{smb: "12/30", enterprise: }`' in retro and "SAL-2026-05-1" in retro
    postmortem = filled["writing-a-postmortem"]
    assert "--kind launch --team marketing" in postmortem
    assert "--kind event \\\n  --team marketing --ended" in postmortem
    assert "(`postmortems/2026-06-event-ae6a59e0.md`)" in postmortem
    assert "`hindsight plan launch` prints" in postmortem
    assert ("(`demand`, `timeline`,\n  `channel`, `pricing`, `competition`, `capacity`…)"
            in postmortem)
    assert ("reasons: [executive-access, security-readiness]\n          segment: enterprise\n"
            "          icp_tier: tier-1\n") in postmortem
    assert "(`indicator: mql-to-sql`, and optionally\n  `segment: events`)" in postmortem
    assert "(`applies_to: [campaign, launch]`)" in postmortem
    commands = filled["commands"]
    assert ('indicator,segment,value\nmql-to-sql,inbound,"58/190"\nmql-to-sql,outbound,"21/110"\n'
            'mql-to-sql,events,"14/60"\nmql-to-sql,nurture,"9/75"\nhandoff-sla,,0.71\n'
            'pipeline-velocity,,41200\n') in commands
    assert "(`campaign`, `deal`, `launch`…)" in commands
    assert "retros/2026-12-sales.md has errors" in commands
    assert '`team: revops`, are carried over too, marked "owned by RevOps"' in commands
    assert "(`win-rate,enterprise`)" in commands and "(`events:`)" in commands


SPARE = """\
company: Spare
causes:
  - id: slow-replies
    title: Slow replies
    description: Leads wait.
indicators:
  - id: reply-time
    label: Reply time
    unit: days
    better: down
teams:
  - id: growth
    name: Growth
plan_kinds:
  - id: webinar
    title: Webinars
"""


def test_a_taxonomy_without_segments_or_reasons_leaves_those_examples_out(
        tmp_path: Path) -> None:
    """A knowledge base with one unsplit indicator, one team and one plan kind: a readings
    example keeps the one indicator it can give (in its unit) and leaves the split ones out,
    a deal example its reasons and segments, and running text marks what it cannot give as a
    placeholder, never a sample id."""
    (tmp_path / "taxonomy.yml").write_text(SPARE, encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path, Problems())
    assert taxonomy is not None
    retro = fill_guide((GUIDE / "writing-a-retro.md").read_text(encoding="utf-8"), taxonomy)
    assert "```yaml\nindicators:\n  reply-time: 41\n```" in retro, retro
    assert "--team growth --period 2026-05" in retro and "GROWTH-2026-05-1" in retro, retro
    assert "`<segment last>:` on a line of its own" in retro, retro
    postmortem = fill_guide((GUIDE / "writing-a-postmortem.md").read_text(encoding="utf-8"),
                            taxonomy)
    assert "--kind webinar --team growth" in postmortem, postmortem
    deal = postmortem.split("          customer:", 1)[1].split("\n\n")[0]
    assert "reasons" not in deal and "segment" not in deal and "icp_tier" not in deal, deal
    assert "(`applies_to: [webinar]`)" in postmortem, postmortem
    assert "(`indicator: <split>`" in postmortem, postmortem
    assert not MARK.search(retro + postmortem)


def test_zensical_and_hindsight_serve_fill_in_the_guide_too(tmp_path: Path) -> None:
    """`hindsight serve` writes the guide's pages filled in (its build reads them from its
    folder), and so does `build --engine zensical`, which builds without the plugin."""
    from generator.site.engine import zensical_project
    from generator.site.serve import SERVE_FOLDER, Session

    project = make_project(tmp_path / "project", knowledge_base(tmp_path, records()))
    session = Session(project, dt.date.fromisoformat(AS_OF), RenderOptions())
    assert session.generate()
    served = (project / SERVE_FOLDER / "docs" / "guide" / "writing-a-retro.md").read_text()
    assert "hindsight new retro --team sdr --period 2026-05" in served
    assert "{{" not in served
    result = run_cli("validate", "--root", str(project), "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.output
    from generator.records.validate import check

    checked = check(project, dt.date.fromisoformat(AS_OF))
    config = zensical_project(project, dt.date.fromisoformat(AS_OF), checked, RenderOptions())
    built = (config.parent / "docs" / "guide" / "writing-a-postmortem.md").read_text()
    assert "hindsight plan deal" in built and "{{" not in built
    assert html.unescape("reasons: [price, adoption]") in built
