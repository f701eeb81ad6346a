"""ketacompare.names: one index for every name typed on the command line."""

from __future__ import annotations

import pytest

from ketacompare.errors import UsageError
from ketacompare.names import NameIndex

ROUTES = NameIndex(
    "route",
    [("iv", ["intravenous", "infusion"]), ("im", ["injection"]), ("nasal", ["Spravato"])],
)


@pytest.mark.parametrize(
    ("word", "key"),
    [("IV", "iv"), (" infusion ", "iv"), ("spravato", "nasal"), ("nas", "nasal"), ("inj", "im")],
)
def test_exact_names_in_any_case_then_unique_prefixes(word: str, key: str) -> None:
    assert ROUTES.match(word) == key


def test_an_ambiguous_prefix_names_every_candidate() -> None:
    with pytest.raises(UsageError) as caught:
        ROUTES.match("in")  # infusion (iv), injection (im)
    assert caught.value.message == (
        "route 'in' is ambiguous: it could be im, iv. Type more of the name."
    )


def test_a_prefix_shared_by_names_of_one_key_is_not_ambiguous() -> None:
    assert ROUTES.match("intr") == "iv"  # intravenous only
    assert ROUTES.match("inf") == "iv"


def test_an_unknown_name_suggests_the_closest_and_lists_the_keys() -> None:
    assert ROUTES.match("zzz") is None
    assert ROUTES.get("ivv") is None
    assert ROUTES.unknown("injektion").message == (
        "unknown route 'injektion'. Did you mean 'injection'? Valid routes: iv, im, nasal."
    )


def test_many_names_resolve_in_one_pass() -> None:
    # 20,000 keys: building sorts once, each lookup bisects (no scan per word).
    index = NameIndex.of_keys("source", [f"s{i:05d}" for i in range(20_000)])
    assert index.match("s19999") == "s19999"
    assert index.match("S00997") == "s00997"
    with pytest.raises(UsageError) as caught:
        index.match("s")  # 20,000 candidates: the message names ten, then '...'
    assert caught.value.message.endswith("s00008, s00009, .... Type more of the name.")
    assert index.closest("s0O997") is not None
