"""Fixtures shared by the report tests: the tiny programme plus an individual
donor and two hostile funder names (``tiny_folder``, ``tiny``), its personal
values, its report model, and a bigger programme whose figures pass the
threshold.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.engine import query as engine
from analytics import report
from analytics.disclosure import suppression
from tests.analytics.report.helpers import DONOR, EVIL_FORMULA, EVIL_HTML
from tests.conftest import TINY, write_programme


def _open(folder: Path):
    from analytics.records.importer import open_dataset

    con, result = open_dataset(folder)
    assert not [i for i in result.issues if i.severity == "rejected"]
    return con


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    """The tiny programme plus an individual donor and two hostile funder names."""
    folder = tmp_path_factory.mktemp("tiny_plus")
    for f in TINY.glob("*.csv"):
        shutil.copy(f, folder / f.name)
        (folder / f.name).chmod(0o644)
    with (folder / "funding.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"2024-02-10,{DONOR},individual,250,East\n")
        fh.write(f"2024-03-10,{EVIL_FORMULA},corporate,100,\n")
        fh.write(f"2024-04-10,{EVIL_HTML},corporate,120,West\n")
    return folder


@pytest.fixture(scope="module")
def tiny(tiny_folder):
    return _open(tiny_folder)


@pytest.fixture(scope="module")
def personal(tiny) -> set[str]:
    """Every name, id, birth date, note and individual funder of the fixture."""
    values = suppression.personal_values(tiny, kinds=("names", "ids", "birth_dates", "notes",
                                                       "individual_funders"))
    values |= suppression.personal_values(tiny, kinds=("free_text",), min_length=4)
    assert {"Amal", "Tesfay", "Paul", "ME1", "D1", "MR1", "ST1", "C1", "O1", "2000-05-01",
            "first call", "mentor travelling", DONOR} <= values
    return values


@pytest.fixture(scope="module")
def tiny_model(tiny):
    return report.build(tiny, engine.Query(), lang="en")


def _bigger_programme(tmp_path) -> Path:
    """30 duos ended in 2024: F 15 (10 jobs, 3 trainings), M 12 (2 jobs, 3
    trainings), X 3 (nothing positive); 20 completed."""
    mentees = ["mentee_id,branch,applied_on,birth_date,gender,country_of_origin,education_level,"
               "registered_jobseeker,first_name"]
    duos = ["duo_id,mentee_id,mentor_id,branch,matched_on,first_meeting_on,ended_on,end_reason"]
    outcomes = ["outcome_id,duo_id,stage,recorded_on,status"]
    for i in range(1, 31):
        gender = "F" if i <= 15 else ("M" if i <= 27 else "X")
        branch = "North" if i <= 20 else "South"
        mentees.append(f"P{i:03},{branch},2023-11-01,2000-01-{(i % 28) + 1:02},{gender},SY,secondary,true,"
                       f"Xanthe{i}")
        duos.append(f"Q{i:03},P{i:03},R{(i % 10) + 1:02},{branch},2024-01-05,2024-01-10,2024-09-30,"
                    f"{'completed' if i <= 20 else 'mismatch'}")
        status = ("employed" if i <= 10 or i in (16, 17) else
                  "training" if i in (11, 12, 13, 18, 19, 20) else "searching")
        outcomes.append(f"Z{i:03},Q{i:03},exit,2024-10-01,{status}")
    mentors = ["mentor_id,branch,applied_on,birth_date,training_completed_on,first_name"]
    mentors += [f"R{j:02},North,2023-06-01,1960-01-01,2023-07-01,Yorick{j}" for j in range(1, 11)]
    costs = ["month,branch,category,amount_eur"] + [f"2024-{m:02},North,staff,1000" for m in range(1, 13)]
    funding = ["received_on,funder,funder_type,amount_eur,branch", "2024-01-15,FundA,foundation,20000,",
               f"2024-02-01,{DONOR},individual,500,North"]
    return write_programme(tmp_path / "bigger", {
        "mentees": "\n".join(mentees), "mentors": "\n".join(mentors), "duos": "\n".join(duos),
        "outcomes": "\n".join(outcomes), "costs": "\n".join(costs), "funding": "\n".join(funding)})


@pytest.fixture(scope="module")
def bigger(tmp_path_factory):
    return _open(_bigger_programme(tmp_path_factory.mktemp("bigger")))
