"""The content audit's corrections to the routes, pinned on the shipped data file.

Each HIGH item of shared/reference/content-audit.md that sits in comparisons.routes has a
test named after its id: the corrected fact is in the right route's row, with the basis
(whose claim it is) that its sources give it. Then the safety rules of issue 11 section 2
and the brief-view content of issue 13, for every route.
"""

from __future__ import annotations

import re

import pytest

from ketacompare.loader import load
from ketacompare.model import Dataset, Fact
from tests.conftest import SHIPPED

VISIBLE = ("iv", "sl", "nasal", "im")
RACEMIC = ("iv", "sl", "im", "oral")
# Labels and maker's pages about esketamine (Spravato); never cited for racemic ketamine.
ESKETAMINE_ONLY = {
    "spravatoPI",
    "spravatoPI2019",
    "spravatoPI2021",
    "spravatohcp",
    "spravatohcpREMS",
    "spravatoConsumer",
    "janssenREMS",
    "jnjmed",
    "mimsHK",
    "wcmedicine",
}
KETAMINE_LABELS = {"ketamineUSPI", "ketalarPI"}


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED)


def facts(data: Dataset, route: str, factor: str) -> tuple[Fact, ...]:
    return data.comparisons.routes.subjects[route].cells.get(factor, ())


def having(data: Dataset, route: str, factor: str, words: str) -> list[Fact]:
    """Facts of one cell whose text carries the words (any case)."""
    return [f for f in facts(data, route, factor) if words.lower() in f.text.lower()]


def one(data: Dataset, route: str, factor: str, words: str) -> Fact:
    found = having(data, route, factor, words)
    assert found, f"routes.{route}.{factor}: no fact says {words!r}"
    return found[0]


def all_route_facts(data: Dataset) -> list[tuple[str, str, Fact]]:
    subjects = data.comparisons.routes.subjects
    return [(r, f, fact) for r, s in subjects.items() for f, fs in s.cells.items() for fact in fs]


# HIGH items ---------------------------------------------------------------------------------


def test_h1_im_slow_release_is_the_clinics_claim_beside_the_peak_figure(data: Dataset) -> None:
    assert one(data, "im", "how-given", "taken up into the blood").basis == "clinic"
    assert one(data, "im", "how-given", "released slowly").basis == "clinic"
    peak = one(data, "im", "how-given", "5-15 min")
    assert peak.basis != "clinic" and peak.confidence == "low"
    assert one(data, "im", "advantages", "Greater stability").basis == "clinic"
    beside = one(data, "im", "advantages", "No study on file measured steadier levels")
    assert beside.basis != "clinic"
    # "due to gradual release" is gone from every IM cell.
    assert not [f.text for _, _, f in all_route_facts(data) if "gradual release" in f.text]


def test_h2_im_least_dissociative_is_a_clinic_claim_with_no_study_behind_it(
    data: Dataset,
) -> None:
    least = one(data, "im", "side-effects", "Least dissociative")
    assert least.basis == "clinic" and least.sources == ("pc-routes",)
    mild = one(data, "im", "dissociation", "often mild")
    assert mild.basis == "clinic"
    gap = one(data, "im", "dissociation", "No dissociation figure for IM")
    assert gap.basis != "clinic"
    # The anaesthesia label's IM-vs-IV remark says it is about anaesthesia.
    label = next(f for f in facts(data, "im", "dissociation") if "ketalarPI" in f.sources)
    assert "anaesthesia" in label.text


def test_h3_nasal_dissociation_shows_the_measured_rate_beside_the_clinics_claim(
    data: Dataset,
) -> None:
    assert one(data, "nasal", "dissociation", "lesser dissociative").basis == "clinic"
    assert one(data, "nasal", "dissociation", "Formulated").basis == "clinic"
    rate = one(data, "nasal", "dissociation", "61-75 in 100")
    assert rate.basis == "label" and rate.confidence == "high"
    maker = one(data, "nasal", "dissociation", "84 in 100")
    assert maker.sources == ("jnjmed",) and maker.confidence == "low"
    assert one(data, "nasal", "side-effects", "Reduced dissociation").basis == "clinic"
    still = one(data, "nasal", "side-effects", "most people still had some dissociation")
    assert still.basis == "label"
    assert one(data, "nasal", "advantages", "Milder dissociation").basis == "clinic"
    assert one(data, "nasal", "advantages", "61-75 in 100 still had").basis == "label"
    # The label's 61-75% and the maker's 84% are never merged into one "label" range.
    assert not [f.text for _, _, f in all_route_facts(data) if "61-84" in f.text]


def test_h4_nasal_supervision_is_required_at_a_certified_clinic(data: Dataset) -> None:
    texts = [f.text for f in facts(data, "nasal", "setting")]
    assert not [t for t in texts if "may still" in t.lower() or "relatively new" in t.lower()]
    required = one(data, "nasal", "setting", "supervision is required")
    assert "certified clinic" in required.text and required.basis == "label"
    stay = one(data, "nasal", "setting", "at least 2 h")
    assert stay.basis == "label"
    assert one(data, "nasal", "setting", "No driving until the next day").basis == "label"
    drawback = one(data, "nasal", "drawbacks", "supervision is required")
    assert "at least 2 h" in drawback.text and drawback.basis == "label"
    assert one(data, "nasal", "advantages", "self-administer").basis == "clinic"
    watched = one(data, "nasal", "advantages", "only at a certified clinic, while staff watch")
    assert watched.basis == "label"


def test_h5_sublingual_home_use_is_the_clinics_claim_and_off_label(data: Dataset) -> None:
    home = one(data, "sl", "advantages", "Home use")
    assert home.basis == "clinic" and "supervise" in home.text
    off = one(data, "sl", "advantages", "Off-label")
    assert off.basis != "clinic"
    assert one(data, "sl", "setting", "at home in safe doses").basis == "clinic"
    study = one(data, "sl", "setting", "does not say it was used at home")
    assert study.sources == ("lara2013",)
    convenience = one(data, "sl", "convenience", "self-administered")
    assert "supervision" in convenience.text and convenience.basis == "clinic"


def test_h7_nasal_4_hour_effect_is_on_depression_scores_and_not_suicide(
    data: Dataset,
) -> None:
    for factor in ("onset", "antidepressant-onset"):
        four = one(data, "nasal", factor, "from 4 h")
        assert "depression score" in four.text and four.basis != "clinic"
        assert having(data, "nasal", factor, "prevent suicide"), factor
    assert not having(data, "nasal", "antidepressant-onset", "Suicidal-ideation label")
    approval = one(data, "nasal", "regulatory", "3 Aug 2020")
    assert "depression symptoms" in approval.text
    assert having(data, "nasal", "regulatory", "not shown to prevent suicide")


def test_h8_nasal_timeline_runs_to_the_end_of_monitoring(data: Dataset) -> None:
    timeline = data.comparisons.routes.subjects["nasal"].timeline
    ninety = [p for p in timeline if p.minutes == 90]
    assert ninety and "other effects can last longer" in ninety[0].text
    leave = [p for p in timeline if p.minutes == 120]
    assert leave and "at least 2 h" in leave[0].text and "next day" in leave[0].text


def test_h9_iv_one_week_rests_on_the_meta_analysis_not_on_3_day_studies(
    data: Dataset,
) -> None:
    week = having(data, "iv", "antidepressant-duration", "1 week")
    assert week
    for fact in week:
        assert not {"harihar2013", "chilukuri2014"} & set(fact.sources), fact.text
    assert one(data, "iv", "antidepressant-duration", "day 7").sources == ("han2016",)
    assert one(data, "iv", "antidepressant-duration", "day 3").sources == ("chilukuri2014",)
    # N15: the clinic's "weeks" stands beside the study figure in the same row.
    assert one(data, "iv", "duration", "weeks after one").basis == "clinic"
    assert one(data, "iv", "duration", "day 7").basis == "review"


def test_n3_im_proves_claim_stands_beside_the_small_trial(data: Dataset) -> None:
    proves = one(data, "im", "effectiveness", "proves")
    assert proves.basis == "clinic"
    trial = one(data, "im", "effectiveness", "9 patients per group")
    assert "day 3" in trial.text and trial.basis == "trial"
    assert "No monitoring standard" in one(data, "im", "monitoring", "No monitoring").text


# Whose claim a fact is ---------------------------------------------------------------------


def test_no_route_fact_types_its_own_clinic_marker(data: Dataset) -> None:
    marker = re.compile(r"\bclinic:|clinic says|per the clinic|\barticle:|clinic-cited", re.I)
    assert not [(r, f, x.text) for r, f, x in all_route_facts(data) if marker.search(x.text)]


def test_no_route_fact_mixes_clinic_and_published_sources(data: Dataset) -> None:
    kinds = {sid: s.kind for sid, s in data.sources.items()}
    mixed = [
        (r, f, x.text)
        for r, f, x in all_route_facts(data)
        if len({kinds[s] == "clinic" for s in x.sources}) > 1
    ]
    assert mixed == []


BALANCED = ("onset", "duration", "dissociation", "effectiveness", "risks", "side-effects")
BALANCED += ("convenience", "setting", "advantages", "drawbacks", "frequency")


def test_every_clinic_claim_on_effect_or_safety_has_a_published_fact_beside_it(
    data: Dataset,
) -> None:
    alone = [
        (route, factor)
        for route in VISIBLE
        for factor in BALANCED
        if any(f.clinic_claim for f in facts(data, route, factor))
        and all(f.clinic_claim for f in facts(data, route, factor))
    ]
    assert alone == []


def test_clinic_safety_claims_stand_beside_the_label(data: Dataset) -> None:
    claim = one(data, "iv", "risks", "No significant addiction risk")
    assert claim.basis == "clinic"
    assert one(data, "iv", "risks", "can be misused").basis == "label"
    assert one(data, "iv", "side-effects", "subside quickly").basis == "clinic"
    assert one(data, "iv", "side-effects", "within 1 h").basis == "trial"


# Safety rows (issue 11 section 2) ----------------------------------------------------------


@pytest.mark.parametrize("route", VISIBLE)
def test_every_route_carries_the_label_safety_facts(data: Dataset, route: str) -> None:
    risks = " ".join(f.text for f in facts(data, route, "risks")).lower()
    for words in ("blood pressure", "misuse", "bladder", "pregnan", "sedat", "breathing"):
        assert words in risks, (route, words)
    assert all(f.basis != "clinic" for f in facts(data, route, "risks") if f.brief)
    setting = " ".join(f.text for f in facts(data, route, "setting")).lower()
    assert "driving" in setting, route
    monitoring = " ".join(f.text for f in facts(data, route, "monitoring")).lower()
    assert "monitoring" in monitoring, route


def test_racemic_routes_never_borrow_esketamine_figures(data: Dataset) -> None:
    for route in RACEMIC:
        for factor, cell in data.comparisons.routes.subjects[route].cells.items():
            for fact in cell:
                assert not ESKETAMINE_ONLY & set(fact.sources), (route, factor, fact.text)


def test_nasal_safety_never_borrows_the_ketamine_injection_label(data: Dataset) -> None:
    # (The approval row may cite it to say racemic ketamine is not approved.)
    safety = ("risks", "side-effects", "dissociation", "setting", "monitoring", "acute-effects")
    for factor in safety:
        for fact in facts(data, "nasal", factor):
            assert not KETAMINE_LABELS & set(fact.sources), (factor, fact.text)


@pytest.mark.parametrize("route", ("iv", "sl", "im"))
def test_ketamine_label_facts_say_they_are_about_anaesthesia(data: Dataset, route: str) -> None:
    risks = facts(data, route, "risks")
    assert any("anaesthesia" in f.text for f in risks if f.brief), route
    assert any("anaesthesia" in f.text for f in risks if not f.brief), route


def test_nasal_carries_the_boxed_warnings_and_the_blood_pressure_course(data: Dataset) -> None:
    boxed = one(data, "nasal", "risks", "Boxed warning (the label's strongest)")
    for words in ("sedation", "dissociation", "misuse", "suicidal"):
        assert words in boxed.text
    assert "slowed breathing" in one(data, "nasal", "risks", "adds slowed breathing").text
    course = one(data, "nasal", "risks", "lasts about 4 h")
    assert course.sources == ("spravatoPI2021",) and course.confidence == "high"
    assert one(data, "nasal", "risks", "aneurysm").basis == "label"


def test_suicidal_thoughts_always_come_with_the_limitation_of_use(data: Dataset) -> None:
    for route, subject in data.comparisons.routes.subjects.items():
        for factor, cell in subject.cells.items():
            if any("suicid" in f.text.lower() for f in cell):
                assert any("prevent" in f.text and "suicide" in f.text for f in cell), (
                    route,
                    factor,
                )


def test_no_dose_recipe_for_oral(data: Dataset) -> None:
    doses = " ".join(f.text for f in facts(data, "oral", "study-doses"))
    assert "2.0-2.5" not in doses and "IV dose" not in doses
    assert "25 mg steps" not in doses and "0.25-7.0" not in doses
    assert "raised step by step" in doses


def test_superseded_chong2006_figures_are_not_shown(data: Dataset) -> None:
    shown = " ".join(f.text for _, _, f in all_route_facts(data))
    for figure in ("32 ± 17%", "23 ± 9%", "59 ± 16%", "0.76 ± 0.51"):
        assert figure not in shown, figure


# Brief view content (issue 13) ---------------------------------------------------------------


def test_brief_rows_are_the_core_questions(data: Dataset) -> None:
    assert data.comparisons.routes.brief_rows == (
        "how-given",
        "onset",
        "duration",
        "dissociation",
        "effectiveness",
        "risks",
        "convenience",
        "setting",
    )


@pytest.mark.parametrize("route", VISIBLE)
def test_every_brief_cell_has_short_facts(data: Dataset, route: str) -> None:
    for factor in data.comparisons.routes.brief_rows:
        brief = [f for f in facts(data, route, factor) if f.brief]
        assert 1 <= len(brief) <= (3 if factor == "risks" else 2), (route, factor)
        for fact in brief:
            assert len(fact.text.split()) <= 13, fact.text
