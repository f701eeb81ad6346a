"""The content audit's therapy and condition items stay fixed in the shipped data.

Each test names the audit id it pins (shared/reference/content-audit.md; where the audit and
ketamine-facts.md differ, the fact sheet wins). A clinic's claim is carried only as the
clinic's claim: a fact citing clinic pages alone, which every format marks. The published
fact that bears on it sits in the same cell, citing only its own sources.
"""

from __future__ import annotations

import json
import re

import pytest

from ketacompare.loader import load
from ketacompare.model import Dataset, Fact
from ketacompare.query import comparison_grid
from ketacompare.render import Format, Style, render
from ketacompare.render.base import fact_text
from tests.conftest import SHIPPED, Run

LIMITATION = re.compile(r"not shown to prevent suicide", re.I)
HAND_MARK = re.compile(r"^(clinic( says)?\b|article:)|per the clinic|clinic:", re.I)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED)


def cell(data: Dataset, ckey: str, subject: str, factor: str) -> tuple[Fact, ...]:
    comparison = data.comparison(ckey)
    assert comparison is not None
    return comparison.subjects[subject].cells.get(factor, ())


def one(facts: tuple[Fact, ...], pattern: str) -> Fact:
    """The single fact in a cell whose text matches pattern."""
    found = [f for f in facts if re.search(pattern, f.text, re.I)]
    assert len(found) == 1, (pattern, [f.text for f in facts])
    return found[0]


def evidence_based(fact: Fact) -> bool:
    return fact.basis not in (None, "clinic", "news")


def shown(data: Dataset, fmt: Format, subject: str, factor: str) -> str:
    """One therapies cell as a format prints it (the grid every view is built from)."""
    grid = comparison_grid(data, "therapies", [subject], [factor])
    return render(grid, fmt, Style(width=200))


def therapy_and_condition_facts(data: Dataset) -> list[tuple[str, Fact]]:
    out = []
    for ckey in ("therapies", "conditions"):
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            for fkey, facts in subject.cells.items():
                out.extend((f"{ckey}.{skey}.{fkey}", f) for f in facts)
    return out


# Whose claim is whose -----------------------------------------------------------------


def test_no_hand_written_clinic_marks_are_left(data: Dataset) -> None:
    marked = [(w, f.text) for w, f in therapy_and_condition_facts(data) if HAND_MARK.search(f.text)]
    assert marked == []


def test_no_fact_mixes_a_clinic_claim_with_a_published_finding(data: Dataset) -> None:
    mixed = []
    for where, fact in therapy_and_condition_facts(data):
        kinds = {data.sources[s].kind for s in fact.sources}
        if "clinic" in kinds and kinds != {"clinic"}:
            mixed.append((where, fact.text))
    assert mixed == []


# H6: "eliminates suicidal tendencies" ---------------------------------------------------


def test_h6_kap_suicidal_thoughts_is_a_clinic_claim_beside_the_evidence(data: Dataset) -> None:
    used_for = cell(data, "therapies", "kap", "used-for")
    claim = one(used_for, r"suicidal thoughts: KAP can ease or even end them")
    assert claim.clinic_claim and claim.sources == ("pc-kap-talk",)
    # Beside it, in the same cell: what is on file, and the label's limitation of use.
    report = one(used_for, r"report on 2 patients")
    assert report.sources == ("harihar2013",) and report.basis == "study"
    assert any(LIMITATION.search(f.text) and evidence_based(f) for f in used_for)
    everything = " ".join(f.text for _, f in therapy_and_condition_facts(data)).lower()
    assert "eliminates suicidal tendencies" not in everything
    # Every format marks it: the table shows it as the clinic's claim, json gives its basis.
    doc = json.loads(shown(data, Format.JSON, "kap", "used-for"))
    facts = doc["cells"]["used-for"]["kap"]["facts"]
    (as_json,) = [f for f in facts if "ease or even end" in f["text"]]
    assert as_json["basis"] == "clinic"
    table = " ".join(shown(data, Format.TABLE, "kap", "used-for").split())
    assert fact_text(claim) != claim.text and fact_text(claim) in table  # marked as the clinic's


def test_h6_mdsi_card_carries_the_claim_as_the_clinics(data: Dataset) -> None:
    claim = one(cell(data, "conditions", "mdsi", "seed-claim"), r"ease or even end")
    assert claim.clinic_claim
    caveat = cell(data, "conditions", "mdsi", "caveat")
    assert one(caveat, r"no KAP study").sources == ("harihar2013",)


# H7: what the esketamine approval for suicidal thoughts covers -------------------------


def test_h7_mdsi_approval_is_for_depression_symptoms_and_not_shown_to_prevent_suicide(
    data: Dataset,
) -> None:
    evidence = cell(data, "conditions", "mdsi", "evidence")
    approval = one(evidence, r"FDA approved")
    assert "depression symptoms" in approval.text and "3 Aug 2020" in approval.text
    limitation = one(evidence, r"not shown to prevent suicide")
    assert "reduce suicidal thoughts" in limitation.text and evidence_based(limitation)
    onset = one(evidence, r"from 4 h")
    assert "depression scores" in onset.text and onset.sources == ("canuso2021",)
    assert "label" not in onset.text.lower()  # the 4-h figure is a trial's, not the label's
    same = one(evidence, r"suicidal-thinking scores")
    assert "not clearly different" in same.text


# H9: how long one IV dose helps --------------------------------------------------------


def test_h9_trd_one_week_rests_on_the_meta_analysis_not_a_3_day_trial(data: Dataset) -> None:
    caveat = cell(data, "conditions", "trd", "caveat")
    week = one(caveat, r"about 1 week")
    assert week.sources == ("han2016",) and week.basis == "review"
    for where, fact in therapy_and_condition_facts(data):
        if re.search(r"\b1 week|day 7", fact.text):
            assert not {"harihar2013", "chilukuri2014"} & set(fact.sources), where


# N1: the KAP session does not end at 90 minutes ---------------------------------------


def test_n1_kap_session_length_says_stay_two_hours_and_no_driving(data: Dataset) -> None:
    length = cell(data, "therapies", "kap", "session-length")
    stay = one(length, r"at least 2 h")
    assert stay.basis == "label" and "esketamine" in stay.text.lower()
    driving = one(length, r"no driving until the next day")
    assert driving.basis == "label"
    injection = one(length, r"24 h")
    assert injection.basis == "reference" and "anaesthesia" in injection.text


# N2: KAP risks get a row of their own --------------------------------------------------


def test_n2_kap_vs_talk_has_a_risk_row_with_the_label_warnings(data: Dataset) -> None:
    therapies = data.comparison("therapies")
    assert therapies is not None and "risks" in therapies.rows
    risks = cell(data, "therapies", "kap", "risks")
    labelled = [f for f in risks if f.basis == "label"]
    assert len(labelled) >= 6
    for topic in (
        r"misuse",
        r"opioids",
        r"blood pressure",
        r"depend",
        r"bladder",
        r"liver",
        r"unborn baby",
    ):
        assert any(re.search(topic, f.text, re.I) for f in labelled), topic
    # The clinic's "no significant addiction risk" stands beside the label's warnings.
    addiction = one(risks, r"no significant addiction risk")
    assert addiction.clinic_claim
    table = " ".join(shown(data, Format.TABLE, "kap", "risks").split())
    assert "Risks and safety" in table and "Schedule III" in table


# N4: "instant relief" ----------------------------------------------------------------


def test_n4_instant_relief_stands_beside_the_first_measured_effects(data: Dataset) -> None:
    speed = cell(data, "therapies", "kap", "speed-of-change")
    assert one(speed, r"instant relief").clinic_claim
    measured = one(speed, r"alone eased mood in about 2 hours")
    assert evidence_based(measured) and measured.brief  # in the short view too
    caveat = cell(data, "conditions", "mdsi", "caveat")
    iv = one(caveat, r"about 2 h")
    spray = one(caveat, r"at 4 h")
    assert evidence_based(iv) and spray.sources == ("canuso2021",)
    assert one(cell(data, "conditions", "mdsi", "seed-claim"), r"instant relief").clinic_claim


# The suicidality label's limitation of use goes wherever suicidal thoughts are named ---


def test_every_mention_of_suicidal_thoughts_carries_the_labels_limitation(
    data: Dataset,
) -> None:
    therapies = data.comparison("therapies")
    conditions = data.comparison("conditions")
    assert therapies is not None and conditions is not None
    # Columns are read cell by cell, so the limitation is in the same cell.
    for skey, subject in therapies.subjects.items():
        for fkey, facts in subject.cells.items():
            if any("suicid" in f.text.lower() for f in facts):
                assert any(LIMITATION.search(f.text) for f in facts), (skey, fkey)
            brief = [f for f in facts if f.brief]
            if any("suicid" in f.text.lower() for f in brief):
                assert any(LIMITATION.search(f.text) for f in brief), (skey, fkey, "brief")
    # A condition is read as one card, so the limitation is on the same card.
    for skey, subject in conditions.subjects.items():
        facts = [f for fs in subject.cells.values() for f in fs]
        if any("suicid" in f.text.lower() for f in facts):
            assert any(LIMITATION.search(f.text) and evidence_based(f) for f in facts), skey


# Medium items -------------------------------------------------------------------------


def test_n8_n9_kap_claims_of_months_and_fda_backing_are_answered(data: Dataset) -> None:
    long_term = cell(data, "therapies", "kap", "long-term")
    assert one(long_term, r"last months; long-term effect").clinic_claim
    assert one(long_term, r"day 7").sources == ("han2016",)
    status = cell(data, "therapies", "kap", "status")
    assert one(status, r"FDA research").clinic_claim
    no_approval = one(status, r"No FDA approval covers KAP")
    assert no_approval.basis == "label" and "off-label" in no_approval.text
    anxiety = one(cell(data, "therapies", "kap", "used-for"), r"anxiety studies on file")
    assert anxiety.sources == ("glue2017",) and "not KAP" in anxiety.text


def test_m8_addiction_card_names_ketamines_own_misuse_risk(data: Dataset) -> None:
    for condition in ("trd", "addiction"):
        caveat = cell(data, "conditions", condition, "caveat")
        schedule = one(caveat, r"Schedule III")
        assert schedule.basis == "label" and "dependence" in schedule.text
    assert one(cell(data, "conditions", "trd", "seed-claim"), r"addiction risk").clinic_claim


def test_m9_glue_2017_carries_the_fact_sheets_confidence(data: Dataset) -> None:
    anxiety = cell(data, "conditions", "anxiety", "key-study")
    anxiety += cell(data, "conditions", "anxiety", "evidence")
    glue = [f for f in anxiety if "glue2017" in f.sources]
    assert glue and all(f.confidence == "medium" for f in glue)
    assert one(cell(data, "conditions", "anxiety", "evidence"), r"no control group")


def test_m7_five_meo_experience_keeps_the_articles_hedge(data: Dataset) -> None:
    experience = one(cell(data, "therapies", "5-meo-dmt", "patient-experience"), r"mystical")
    assert experience.text.startswith("Early studies suggest users may")
    assert experience.clinic_claim


def test_kap_vs_talk_evidence_row_says_no_head_to_head_trial_exists(data: Dataset) -> None:
    for subject in ("kap", "talk"):
        evidence = cell(data, "therapies", subject, "evidence")
        none = one(evidence, r"No trial has compared the two")
        assert none.brief  # in the short view as well
        assert none.confidence == "medium" and evidence_based(none)
    cbt = one(cell(data, "therapies", "kap", "evidence"), r"main depression score")
    assert cbt.sources == ("wilkinson2021",) and "did not clearly differ" in cbt.text


# Issue 13: the short kap-vs-talk view --------------------------------------------------


def test_kap_vs_talk_brief_rows_answer_the_core_questions(data: Dataset) -> None:
    therapies = data.comparison("therapies")
    assert therapies is not None
    assert therapies.brief_rows == (
        "patient-experience",
        "session-length",
        "speed-of-change",
        "evidence",
        "risks",
        "limits",
    )
    for subject in ("kap", "talk"):
        for row in therapies.brief_rows:
            for fact in cell(data, "therapies", subject, row):
                if fact.brief:
                    n = len(fact.text.split())
                    assert 4 <= n <= 12, (subject, row, fact.text)
    # Harms get the same prominence as benefits: the short view keeps the label warnings.
    risks = [f for f in cell(data, "therapies", "kap", "risks") if f.brief]
    assert len(risks) >= 3 and all(f.basis == "label" for f in risks)
    assert any("opioids" in f.text for f in risks)


def test_kap_vs_talk_brief_fits_and_marks_clinic_claims(run: Run) -> None:
    out = run("kap-vs-talk", "--data", str(SHIPPED), width=80)
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("╰")) + 1]
    assert len(table) <= 40, len(table)  # the footer lines come on top of this
    assert all(len(line) <= 80 for line in lines)
    # The KAP column read top to bottom (the second cell of each table line).
    kap = " ".join(line.split("│")[2].strip() for line in table if line.count("│") == 4)
    assert "Clinic says: You take ketamine, then talk with a therapist" in kap
    assert "• Can be deadly with opioids or sedatives" in kap  # a label warning: no mark
