"""The shipped data, through the real CLI: the seed's facts sit in the right column."""

from __future__ import annotations

import json

import pytest
from conftest import SHIPPED, Run

from ketacompare.loader import load
from ketacompare.model import Dataset, Fact
from ketacompare.query import comparison_grid
from ketacompare.render.json_format import document


def grid(run: Run, *args: str) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def cell(doc: dict, factor: str, subject: str) -> str:
    return doc["cells"][factor][subject]["text"]


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(SHIPPED)


def test_routes_are_columns_in_data_order_and_hide_oral(run: Run) -> None:
    doc = grid(run, "routes")
    assert [s["name"] for s in doc["subjects"]] == [
        "IV infusion",
        "Sublingual",
        "Nasal esketamine",
        "Intramuscular",
    ]
    assert "Not shown: Oral. Add --all to include." in doc["notes"]
    assert [s["key"] for s in grid(run, "routes", "--all")["subjects"]][-1] == "oral"


def test_routes_have_every_factor_the_core_issue_names(shipped: Dataset) -> None:
    keys = [row.key for row in comparison_grid(shipped, "routes").rows]
    wanted = ["how-given", "onset", "duration", "dissociation", "effectiveness", "risks"]
    wanted += ["side-effects", "convenience", "setting", "frequency", "cost-access"]
    wanted += ["satisfaction", "advantages", "drawbacks"]
    assert keys[: len(wanted)] == wanted


def route_cell(data: Dataset, factor: str, route: str) -> tuple[Fact, ...]:
    return data.comparisons.routes.subjects[route].cells.get(factor, ())


# The seed's comparison table, cell by cell: (factor, route, words the cell must carry).
# Each is the clinic's claim, so the fact carrying the words has basis "clinic" and is
# shown as the clinic's claim; the audit keeps these seed words.
SEED_TABLE = [
    ("effectiveness", "iv", "High efficacy in severe depression"),
    ("effectiveness", "sl", "Results may vary with how well the body absorbs it"),
    ("effectiveness", "nasal", "not as effective as other forms"),
    ("effectiveness", "im", "Extended duration of effects"),
    ("side-effects", "iv", "Dissociation, dizziness and nausea"),
    ("side-effects", "sl", "more tolerable than IV"),
    ("side-effects", "nasal", "Reduced dissociation"),
    ("side-effects", "im", "Least dissociative"),
    ("convenience", "iv", "medical facility"),
    ("convenience", "sl", "variability can cause inconvenience"),
    ("convenience", "nasal", "frequent sessions"),
    ("convenience", "im", "fewer sessions"),
    ("satisfaction", "iv", "High, due to rapid and profound results"),
    ("satisfaction", "sl", "Mixed"),
    ("satisfaction", "nasal", "Typically positive"),
    ("satisfaction", "im", "Not ideal for patients who need immediate relief"),
]


@pytest.mark.parametrize(("factor", "route", "words"), SEED_TABLE)
def test_seed_table_cells_are_clinic_claims_in_the_right_column(
    shipped: Dataset, factor: str, route: str, words: str
) -> None:
    carrying = [f for f in route_cell(shipped, factor, route) if words.lower() in f.text.lower()]
    assert carrying, (factor, route, words)
    assert any(f.basis == "clinic" and f.clinic_claim for f in carrying), carrying
    # The words belong to this route's cell only (guards against shifted columns).
    others = [k for k in shipped.comparisons.routes.subjects if k != route]
    for other in others:
        assert all(words.lower() not in f.text.lower() for f in route_cell(shipped, factor, other))
    # The full view's JSON shows them in this route's column, marked as the clinic's claim.
    doc = document(comparison_grid(shipped, "routes", None, [factor]))
    facts = doc["cells"][factor][route]["facts"]
    shown = [f for f in facts if words.lower() in f["text"].lower()]
    assert any(f["basis"] == "clinic" for f in shown), shown


def test_every_pro_and_con_is_carried_as_the_clinics_claim(shipped: Dataset) -> None:
    pros = {
        "iv": ["Rapid onset", "Precise dosing", "monitored", "Established efficacy"],
        "sl": ["Quick onset", "Reduced discomfort", "Home use"],
        "nasal": ["Ease of use", "self-administer", "Milder dissociation"],
        "im": ["Longer duration", "Greater stability", "Reduced dissociation"],
    }
    cons = {
        "iv": ["uncomfortable", "overwhelming", "equipment"],
        "sl": ["Absorption varies", "Slower onset", "dissociation"],
        "nasal": ["Short-lived", "Response varies", "supervision"],
        "im": ["Slower onset", "Injection required", "Professional administration"],
    }
    for factor, expected in (("advantages", pros), ("drawbacks", cons)):
        for route, words in expected.items():
            cell = route_cell(shipped, factor, route)
            for word in words:
                carrying = [f for f in cell if word.lower() in f.text.lower()]
                assert carrying, (factor, route, word)
                # Nasal's "supervision" drawback is now the label's rule (audit H4).
                want = "label" if (route, word) == ("nasal", "supervision") else "clinic"
                assert any(f.basis == want for f in carrying), (factor, route, word)
    # Each route's drawbacks carry a published fact too, not only the clinic's list.
    for route in pros:
        assert any(f.basis != "clinic" for f in route_cell(shipped, "drawbacks", route)), route


def test_kap_vs_talk_rows_follow_the_issue_and_carry_the_seed_table(run: Run) -> None:
    doc = grid(run, "kap-vs-talk", "--detail")
    assert [s["key"] for s in doc["subjects"]] == ["kap", "talk"]
    assert [f["key"] for f in doc["factors"]] == [
        "methodology",
        "session-length",
        "patient-experience",
        "setting",
        "used-for",
        "speed-of-change",
        "long-term",
        "evidence",
        "risks",
        "integration",
        "limits",
        "status",
    ]
    # The seed's table cells, each carried as the clinic's claim (its basis is "clinic").
    for factor, subject, words in (
        ("session-length", "kap", "60-90 min"),
        ("session-length", "talk", "45-60 min"),
        ("patient-experience", "kap", "dissociative state"),
        ("setting", "talk", "office"),
        ("setting", "kap", "medical facility"),
    ):
        facts = doc["cells"][factor][subject]["facts"]
        (fact,) = [f for f in facts if words in f["text"].lower()]
        assert fact["basis"] == "clinic", (factor, subject, fact)


def test_no_view_shows_unverified_or_recommends(run: Run) -> None:
    for args in (("routes", "--all"), ("kap-vs-talk",), ("therapies",), ("conditions",)):
        text = run(*args, width=160).stdout
        assert "UNVERIFIED" not in text.upper()
        assert "not medical advice" in text
        assert "recommended dose" not in text.lower()
