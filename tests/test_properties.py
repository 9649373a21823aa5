"""Property-based tests: whatever text or YAML arrives, the loader and validator never crash."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, make_kb
from generator.errors import Problems
from generator.records.load import load_record
from generator.records.validate import check
from generator.records.yamlpos import YamlProblem, parse

AS_OF = dt.date(2026, 6, 15)

# YAML-ish building blocks that hit the parser's interesting corners.
_TOKENS = st.sampled_from([
    "type: retro", "type: postmortem", "period: 2026-05", "team: sales", "held: 2026-06-03",
    "held: no", "due: next week", "- ", "  ", "\t", ": ", "&a", "*a", "!!python/object:os.system",
    "!tag", "[", "]", "{", "}", '"', "'", "---", "...", "#", "045", "1:30", "on", "~", "null",
    "actions:", "  - id: A-1", "    owner: X", "    due: 2026-07-01", "causes: [icp-drift]",
    "\ufeff", "\r\n", "\n", "|", ">", "%YAML 1.1", "? ", "<<: *a",
])
_YAMLISH = st.lists(_TOKENS, max_size=40).map("".join)
_TEXT = st.one_of(st.text(max_size=400), _YAMLISH)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_yaml_parse_returns_a_value_or_a_located_problem(text: str) -> None:
    try:
        doc = parse(text, line_offset=1)
    except YamlProblem as problem:
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message
    else:
        for line, col in doc.positions.values():
            assert line >= 1 and col >= 1


@given(front=_TEXT, body=st.text(max_size=100))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_record_file_loads_or_gives_located_errors(front: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_kb(Path(tmp), {})
        path = root / "retros" / "case.md"
        path.parent.mkdir()
        path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
        problems = Problems()
        source = load_record(root, path, problems)
        assert (source is None) == bool(problems.errors)
        for problem in problems.items:
            assert problem.path == "retros/case.md" and problem.line >= 1 and problem.message
        result = check(root, AS_OF)  # the whole validator, cross-record rules included
        for problem in result.problems.items:
            assert problem.line >= 1 and problem.message
        if not result.problems.errors:
            assert result.kb is not None and len(result.kb.entries) == 1


_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20), st.sampled_from(["2026-06-03", "2026-06-03 10:00", "no"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=20,
)
_FIELDS = st.sampled_from([
    "type", "period", "team", "held", "facilitator", "participants", "format", "indicators",
    "causes", "actions", "action_updates", "lessons", "related", "name", "kind", "outcome",
    "summary", "event_ended", "keeper", "timeline", "plan_vs_actual", "assumptions", "deal",
    "scorecard", "stop", "start", "continue",
])


@given(st.dictionaries(_FIELDS, _VALUES, max_size=12), st.sampled_from(["retros", "postmortems"]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_structured_front_matter_never_crashes(data: dict[str, object], folder: str) -> None:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        root = make_kb(Path(tmp), {}, FIXTURES / "taxonomy.yml")
        path = root / folder / "case.md"
        path.parent.mkdir()
        # JSON is YAML: this writes exactly the structure hypothesis chose.
        path.write_text(f"---\n{json.dumps(data)}\n---\n", encoding="utf-8")
        result = check(root, AS_OF)
        for problem in result.problems.items:
            assert problem.path == f"{folder}/case.md" and problem.line >= 1
        assert bool(result.problems.errors) or (result.kb is not None and result.kb.entries)
