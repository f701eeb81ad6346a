"""`ketacompare choose` on the shipped data/routes.yaml: the ranks and the reasons, pinned.

Each single wish and all wishes together, with default weights and the default routes.
A change to a rating must change these on purpose. The rules behind them: only published
sources decide an answer; a clinic-only rating is "not known" and shown as the clinic's
claim; equal standing shares a rank; "not known" goes after evidence at equal points.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import SHIPPED, Run

from ketacompare.render import Format

NOT_KNOWN = "Not known: no published source on file."
NOTHING = "Not known: nothing on file."

# wish -> [(rank, route, [cell lines])], in the order shown.
SINGLE = {
    "rapid-relief": [
        (1, "iv", ["Meets: Studies first saw mood relief about 2 hours after an infusion"]),
        (
            1,
            "im",
            [
                "Meets: In one small trial (9 people per group), mood relief at 2 hours was "
                "like that after IV"
            ],
        ),
        (
            3,
            "nasal",
            [
                "Partly meets: In trials, about 17 in 100 had responded by day 2, against "
                "about 9 in 100 on a placebo spray"
            ],
        ),
        (4, "sl", [NOT_KNOWN, "Faster than swallowing, but slower than IV"]),
    ],
    "no-needles": [
        (1, "sl", ["Meets: Held in the mouth, under the tongue; no needle"]),
        (1, "nasal", ["Meets: A spray into the nose; no needle"]),
        (3, "iv", ["Against: Given as a drip through a needle in a vein"]),
        (3, "im", ["Against: A shot into a muscle"]),
    ],
    # The clinic's "least dissociative" for IM decides nothing (audit H2).
    "low-dissociation": [
        (
            1,
            "sl",
            [
                "Partly meets: In one small open study at very low doses, no dissociation "
                "was reported, only brief light-headedness"
            ],
        ),
        # Not known is 0 points: above a route the evidence says is against the wish.
        (2, "im", [NOT_KNOWN, "Least dissociative"]),
        (
            3,
            "iv",
            [
                "Against: In one trial (84 people), 69 in 100 felt things were unreal during "
                "the drip, against 17 in 100 on a control drug"
            ],
        ),
        (
            3,
            "nasal",
            [
                "Against: In the label's short-term trials, 41 in 100 had dissociation, "
                "against 9 in 100 on placebo. It mostly fades by 1.5 hours."
            ],
        ),
    ],
    # IM's "longer effects, fewer sessions" is the clinic's alone (audit M1).
    "fewer-visits": [
        (1, "sl", [NOTHING]),
        (1, "im", [NOT_KNOWN, "Longer effects mean fewer sessions"]),
        (
            3,
            "iv",
            ["Against: In the largest trial on file, it was a 40-minute drip twice a week"],
        ),
        (
            3,
            "nasal",
            [
                "Against: Label schedule: twice a week for 4 weeks, then weekly, then weekly "
                "or every 2 weeks, each time at a certified centre"
            ],
        ),
    ],
    # Sublingual home use rests on the clinic alone (audit H5): not known, no "even at home".
    "self-administer": [
        (
            1,
            "nasal",
            [
                "Partly meets: You spray it yourself, but only at a certified centre while "
                "staff watch, and you stay at least 2 hours; it is never given out for use "
                "at home"
            ],
        ),
        (2, "sl", [NOT_KNOWN, "Can be self-given, but a trained professional should supervise"]),
        (2, "im", [NOT_KNOWN, "Usually given by healthcare professionals"]),
        (4, "iv", ["Against: In trials, given as a 40-minute drip into a vein"]),
    ],
    "lasting-relief": [
        (
            1,
            "iv",
            ["Partly meets: After one drip, still working at day 7, in a review of 9 trials"],
        ),
        (
            1,
            "nasal",
            [
                "Partly meets: In people already well, fewer relapsed when they kept taking "
                "it: 26.7 in 100, against 45.3 in 100 on a placebo spray. How long one dose "
                "lasts is not on file."
            ],
        ),
        (
            1,
            "im",
            [
                "Partly meets: In one small trial, relief was still there at day 3, when the "
                "trial ended"
            ],
        ),
        (4, "sl", [NOTHING]),
    ],
    "established-evidence": [
        (
            1,
            "iv",
            [
                "Meets: Many trials on file, among them a review of 9 placebo-controlled "
                "trials. It is not approved for depression."
            ],
        ),
        (
            1,
            "nasal",
            [
                "Meets: Approved in the US in 2019 for depression that other medicines did "
                "not help, after randomised trials"
            ],
        ),
        (
            3,
            "sl",
            [
                "Partly meets: One small open study of 26 people with no control group; "
                "other studies measured only blood levels"
            ],
        ),
        (
            3,
            "im",
            [
                "Partly meets: One small open trial (3 groups of 9 people) and a report on "
                "2 patients"
            ],
        ),
    ],
}

# All seven wishes at once: (rank, route, the "In short" line).
ALL = [
    (1, "nasal", "Meets 2 of your 7 wishes; partly meets 3; against 2."),
    (
        2,
        "sl",
        "Meets 1 of your 7 wishes; partly meets 2; not known for 4 (Rapid relief, Fewer clinic "
        "visits, Take the dose yourself, Lasting relief).",
    ),
    (
        3,
        "im",
        "Meets 1 of your 7 wishes; partly meets 2; against 1; not known for 3 (Less "
        "dissociation, Fewer clinic visits, Take the dose yourself).",
    ),
    (4, "iv", "Meets 2 of your 7 wishes; partly meets 1; against 4."),
]

# Sources of the ketamine injection label: about anaesthesia, never a reason for a wish.
ANAESTHESIA_LABELS = {"ketamineUSPI", "ketalarPI"}


def _data() -> Any:
    from ketacompare.loader import load

    return load(SHIPPED)


def _choose(run: Run, *args: str, width: int = 1000) -> Any:
    # No --data: the default path is the shipped file. Wide, so no heading wraps.
    result = run("choose", *args, width=width)
    assert result.exit_code == 0, result.stderr
    return result


def _ranks(stdout: str) -> list[tuple[int, str]]:
    by_name = {s.name: key for key, s in _data().comparisons.routes.subjects.items()}
    names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    return [(int(n), by_name[name]) for n, name in re.findall(rf"\b(\d+)\. ({names})\b", stdout)]


def test_every_wish_is_pinned() -> None:
    assert list(SINGLE) == list(_data().preferences)


@pytest.mark.parametrize("wish", list(SINGLE))
def test_ranks_and_reasons_under_each_single_wish(run: Run, wish: str) -> None:
    from ketacompare.choose import choose_grid

    grid = choose_grid(_data(), [wish], [])
    found = [
        (c.meta["rank"], c.key, [f.text for f in grid.cell(wish, c.key)]) for c in grid.columns
    ]
    assert found == SINGLE[wish]
    assert _ranks(_choose(run, "--prefer", wish).stdout) == [(r, k) for r, k, _ in SINGLE[wish]]


def test_ranks_and_summaries_under_all_wishes_together(run: Run) -> None:
    from ketacompare.choose import choose_grid

    grid = choose_grid(_data(), list(SINGLE), [])
    found = [(c.meta["rank"], c.key, grid.cell("summary", c.key)[0].text) for c in grid.columns]
    assert found == ALL
    out = _choose(run, "--prefer", ",".join(SINGLE)).stdout
    assert _ranks(out) == [(r, k) for r, k, _ in ALL]


def test_only_published_sources_rate_a_route() -> None:
    """A rating that says meets, partly or conflicts cites a published source; a rating that
    cites only the clinic says not-known; none rests on the ketamine anaesthesia label."""
    for pkey, pref in _data().preferences.items():
        for rkey, rating in pref.ratings.items():
            where = f"{pkey}.{rkey}"
            if rating.rating == "not-known":
                assert rating.basis == "clinic", where  # kept only to show the clinic's words
            else:
                assert rating.basis != "clinic", where
            assert not ANAESTHESIA_LABELS & set(rating.sources), where
            assert not re.search(r"emergence|anaesth|anesth", rating.text, re.I), where


def test_no_route_is_said_to_be_fine_to_take_alone_at_home(run: Run) -> None:
    data = _data()
    assert "No label or guideline supports taking any route alone at home." in (
        data.preferences["self-administer"].description
    )
    out = _choose(run, "--prefer", "self-administer", "--all", "--format", "markdown").stdout
    assert "even at home" not in out
    assert out.count("home") == 1 and "never given out for use at home" in out
    all_text = " ".join(r.text for p in data.preferences.values() for r in p.ratings.values())
    assert "even at home" not in all_text


@pytest.mark.parametrize("fmt", list(Format))
def test_no_dose_anywhere_in_choose_output(run: Run, fmt: Format) -> None:
    keys = list(_data().preferences)
    runs = [("--prefer", ",".join(keys), "--all", "--sources"), ("--list", "--sources")]
    runs += [("--need", k, "--all") for k in keys]
    for args in runs:
        out = _choose(run, *args, "--format", fmt.value, width=100).stdout
        assert not re.search(r"\d\s*(mg|ml|mcg|µg)\b|mg/kg", out, re.I), args
        assert "not medical advice" in out and "clinician" in out, args


def test_the_output_ends_with_the_closing_note(run: Run) -> None:
    from ketacompare.choose import CLOSING_NOTE
    from ketacompare.query import DISCLAIMER

    out = _choose(run, "--need", "no-needles", "--prefer", "lasting-relief", width=100).stdout
    assert out.rstrip().splitlines()[-1] == DISCLAIMER
    assert CLOSING_NOTE in " ".join(out.split())


def test_dropping_every_clinic_claim_changes_no_rank() -> None:
    """choose never ranks on a clinic-only claim: without them, every rank is the same."""
    from dataclasses import replace

    from ketacompare.choose import choose_grid

    data = _data()
    published = {
        key: replace(pref, ratings={r: v for r, v in pref.ratings.items() if v.basis != "clinic"})
        for key, pref in data.preferences.items()
    }
    assert published != data.preferences  # there were clinic claims to drop
    bare = replace(data, preferences=published)
    for wishes in [[k] for k in SINGLE] + [list(SINGLE)]:
        for hidden in (False, True):
            with_claims = choose_grid(data, wishes, [], include_hidden=hidden)
            without = choose_grid(bare, wishes, [], include_hidden=hidden)
            assert [(c.meta["rank"], c.key) for c in with_claims.columns] == [
                (c.meta["rank"], c.key) for c in without.columns
            ], wishes
