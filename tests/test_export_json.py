"""The exports' JSON is written without the pure-Python encoder: byte for byte what
``json.dumps(indent=1, sort_keys=True, ensure_ascii=False, default=str)`` writes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.export import _csv, _json

_OPTIONS: dict[str, Any] = {"sort_keys": True, "ensure_ascii": False, "default": str}


def _reference(data: Any) -> bytes:
    return (json.dumps(data, indent=1, **_OPTIONS) + "\n").encode("utf-8")


HOSTILE = ['', '"', '\\', '\n', '\r\n', '\t', '\x00', '\x1f', '\x7f', '\u2028', '\u2029',
           'é', '日本語', '😀', '</script>', '"},\n {"id": "x"', ' {\n  "a": 1\n }',
           ', ', ': ', '=SUM(A1)', '-1', 'null', 'NaN']


def test_rows_of_hostile_strings_are_written_as_the_standard_encoder_writes_them() -> None:
    rows = [{"id": text, text or "empty": text, "n": i, "z": None} for i, text in enumerate(HOSTILE)]
    assert _json(rows) == _reference(rows)


def test_numbers_booleans_and_empty_values_keep_their_standard_form() -> None:
    rows: list[Any] = [{"f": 0.1, "g": 1e300, "h": -0.0, "nan": float("nan"),
                        "inf": float("inf"), "t": True, "n": None, "i": -(10 ** 30)},
                       {}, {"only": ""}]
    assert _json(rows) == _reference(rows)
    assert _json([]) == b"[]\n"


def test_nested_and_non_json_values_fall_back_to_the_standard_layout() -> None:
    rows: list[Any] = [{"list": [1, [2, {}], {"b": [], "a": "x\ny"}], "d": {"k": {"j": []}}},
                       {"date": dt.date(2026, 5, 1), "s": "plain"}, {3: "int key", 1.5: None},
                       ["a", {"b": 1}], "bare", 7, None]
    assert _json(rows) == _reference(rows)
    assert _json({"top": [1, 2]}) == _reference({"top": [1, 2]})


_SCALAR = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.dictionaries(st.text(), _SCALAR, max_size=6),
                          st.dictionaries(st.text(max_size=4), _VALUE, max_size=4)),
                max_size=6))
def test_any_rows_are_written_byte_for_byte_as_json_dumps_writes_them(rows: list[Any]) -> None:
    assert _json(rows) == _reference(rows)


def test_csv_writes_the_header_blank_cells_for_missing_or_none_and_neutralises_formulas() -> None:
    rows = [{"id": "A-1", "title": "=HYPERLINK(\"x\")", "n": 3},
            {"id": "A-2", "title": None}]
    assert _csv(rows, ["id", "title", "n"]) == (
        b'id,title,n\nA-1,"\'=HYPERLINK(""x"")",3\nA-2,,\n')
