"""The JSON writer: indented down to one line per cell, and always what json.dumps means."""

from __future__ import annotations

import json

from conftest import MINI, Run
from hypothesis import given
from hypothesis import strategies as st

from ketacompare.render.json_format import dumps

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@given(JSON)
def test_dumps_reads_back_as_the_same_value(value: object) -> None:
    assert json.loads(dumps(value)) == value


def test_each_cell_is_one_indented_line(run: Run) -> None:
    result = run("compare", "iv", "im", "--format", "json", "--data", str(MINI))
    lines = result.stdout.splitlines()
    assert lines[0] == "{"
    assert '  "cells": {' in lines
    start = lines.index('  "cells": {')
    assert lines[start + 1] == '    "onset": {'
    cell = json.loads(lines[start + 2].split(": ", 1)[1].rstrip(","))
    assert lines[start + 2].startswith('      "iv": {"text": ')
    assert cell == {
        "text": "Minutes after the infusion starts",
        "facts": [
            {
                "text": "Minutes after the infusion starts",
                "sources": ["art"],
                "confidence": None,
                "basis": "study",
            }
        ],
    }
