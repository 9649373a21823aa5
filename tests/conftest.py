"""Shared test helpers: golden files, tiny knowledge bases built from a dict, the CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.commands.cli import main
from generator.records.formatting import use_currency

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent


@pytest.fixture(autouse=True)
def default_currency() -> Iterator[None]:
    """Money shows as dollars in every test unless its knowledge base says otherwise: reading
    a taxonomy with ``currency: "€"`` sets the sign for the process, and a test of formatting
    alone that ran after one read euros."""
    use_currency("$")
    yield
    use_currency("$")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite golden files from the current output (review the diff).")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def golden(update_goldens: bool) -> Callable[[Path, str], None]:
    """Compare text with a golden file, or rewrite it under --update-goldens."""

    def check(path: Path, actual: str) -> None:
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
        elif not path.exists():
            # Not written here: a run after this one would find it and pass, though what it
            # checks (a shipped schema, say) was missing.
            pytest.fail(f"golden file {path} is missing; write it with --update-goldens and "
                        "review it")
        assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"

    return check


def make_kb(root: Path, files: dict[str, str], taxonomy: Path = FIXTURES / "taxonomy.yml") -> Path:
    """A knowledge base in ``root`` from a dict of relative path -> text."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(taxonomy, root / "taxonomy.yml")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_sample(root: Path) -> Path:
    """A knowledge base in ``root`` holding the sample's records and taxonomy."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "taxonomy.yml", root)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    return root


TOKYO_RETRO = """---
type: retro
period: 2026-05
team: tokyo-sales
title: "5月の振り返り"
held: 2026-06-02
facilitator: 山田 太郎
participants: [山田 太郎, 佐藤 花子]
format: good-bad-ugly
indicators:
  win-rate: {smb: "3/9", enterprise: "1/4"}
good: [業界別デモが好評だった]
bad: [見積りの作成に時間がかかった]
ugly: [失注理由が記録されていない]
actions:
  - {id: TKY-2026-05-1, title: 見積りテンプレートを統一する, owner: 佐藤 花子, due: 2026-07-31}
---

# 5月の振り返り

見積りの形式がバラバラだった。
"""
"""A Tokyo sales team's May retro, written in Japanese as its team writes it."""


NORDFJORD = """\
# Another company's vocabulary: nothing of the sample's ids, indicators split by region
# only, no assumption categories, and plan kinds of its own.
company: Nordfjord
currency: "€"
causes:
  - id: slow-first-touch
    title: Slow first touch
    description: Inbound leads wait too long for the first call.
  - id: unclear-territories
    title: Unclear territories
    description: Two reps work the same account.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
    segment_by: region
    segments: [dach, nordics]
  - id: close-rate
    label: Close rate
    unit: rate
    better: up
    segment_by: region
    segments: [dach, nordics]
teams:
  - id: inbound-sdr
    name: Inbound SDR
    monthly_retros: true
  - id: field-sales
    name: Field sales
plan_kinds:
  - id: campaign
    title: Campaigns
  - id: deal
    title: Deals
  - id: partner-program
    title: Partner programs
reasons:
  - id: local-support
    title: Local support
  - id: roi-case
    title: ROI case
"""
"""A taxonomy unlike the sample's and the test fixture's, for what must come from a knowledge
base's own vocabulary."""


# A Japanese events team's lessons: no spaces between words, and two unrelated lessons that
# share one Latin acronym (CRM).
QUOTE_FLOW = "展示会の前に、見積書の承認フローを確認しておくこと。"
CARDS_TO_CRM = "名刺データは展示会終了後48時間以内にCRMへ登録すること。"
THANKS_FROM_CRM = "参加者へのお礼メールは翌日までにCRMから送ること。"


def event_kb(root: Path, files: dict[str, str]) -> Path:
    """`make_kb` whose taxonomy has an ``event`` plan kind ("Events and trade shows")."""
    make_kb(root, files)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "plan_kinds:\n", "plan_kinds:\n  - id: event\n    title: Events and trade shows\n", 1),
        encoding="utf-8")
    return root


def event_postmortem(name: str, held: str, lessons: list[str]) -> str:
    """A trade-show post-mortem (no causes, no actions) whose lessons inform ``event`` plans."""
    body = "".join(f'  - lesson: "{text}"\n    applies_to: [event]\n' for text in lessons)
    return (f"---\ntype: postmortem\nname: {name}\nkind: event\noutcome: mixed\n"
            f"summary: 展示会の振り返り。\nteam: marketing\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: 佐藤\nlessons:\n{body}---\n\n本文。\n")


def run_cli(*args: str) -> Result:
    """Run ``hindsight ARGS`` in-process; a traceback (any non-exit exception) fails the test."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def generate_into(root: Path, out: Path, as_of: str) -> Path:
    """The tree `hindsight generate` writes for the knowledge base at ``root`` as of
    ``as_of``, without caches, into ``out``; ``out``."""
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", as_of,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    return out
