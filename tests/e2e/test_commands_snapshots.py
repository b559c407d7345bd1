"""Reproducible outputs: the data fingerprint, snapshot ids, kept snapshots,
``--snapshot ID`` and ``snapshots``. Through the real parser on the tiny
example and copies of it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analytics import __version__
from analytics.cli import main
from analytics.pipeline import open_store
from analytics.store import Store
from analytics.store.erasure import forget

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"


def cli_json(capsys, *argv, code: int = 0):
    assert main([str(a) for a in argv]) == code
    return json.loads(capsys.readouterr().out)


def changed_copy(folder: Path) -> Path:
    """The tiny example with one more funding row: other files, another snapshot id."""
    shutil.copytree(TINY, folder)
    with open(folder / "funding.csv", "a", encoding="utf-8") as handle:
        handle.write("2024-07-03,FundB,foundation,250,West\n")
    return folder


def test_the_same_files_in_a_new_store_give_the_same_fingerprint(tmp_path, capsys):
    imported = cli_json(capsys, "import", TINY, "--db", tmp_path / "one", "--format", "json")
    cli_json(capsys, "import", TINY, "--db", tmp_path / "two", "--format", "json")
    one = cli_json(capsys, "indicators", "--db", tmp_path / "one")["fingerprint"]
    two = cli_json(capsys, "indicators", "--db", tmp_path / "two")["fingerprint"]
    from_folder = cli_json(capsys, "indicators", "--data", TINY)["fingerprint"]
    assert one == two == from_folder
    assert one["snapshot_id"] == imported["fingerprint"]["snapshot_id"]
    assert [f["file"] for f in one["files"]][:4] == ["mentees.csv", "mentors.csv", "staff.csv", "duos.csv"]
    # the tiny example's default query: as of its latest event, the calendar year of it
    assert {k: one[k] for k in ("as_of", "from", "to", "branches", "outcome", "threshold", "software_version")} \
        == {"as_of": "2024-07-10", "from": "2024-01-01", "to": "2024-12-31", "branches": [],
            "outcome": "positive", "threshold": None, "software_version": __version__}
    changed = cli_json(capsys, "indicators", "--data", changed_copy(tmp_path / "src"))["fingerprint"]
    assert changed["snapshot_id"] != one["snapshot_id"]


def test_at_risk_stays_a_bare_list_with_its_fingerprint_on_standard_error(capsys):
    assert main(["at-risk", "--data", str(TINY)]) == 0
    captured = capsys.readouterr()
    assert isinstance(json.loads(captured.out), list)
    (line,) = captured.err.splitlines()
    assert line.startswith("fingerprint: ") and json.loads(line[len("fingerprint: "):])["as_of"] == "2024-07-10"


@pytest.mark.parametrize("kind", ["csv", "html"])
def test_a_report_from_a_kept_snapshot_is_made_again_byte_for_byte(tmp_path, capsys, monkeypatch, kind):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    db = tmp_path / "store"
    first_id = cli_json(capsys, "import", TINY, "--db", db, "--format", "json")["fingerprint"]["snapshot_id"]
    then = tmp_path / f"then.{kind}"
    assert main(["report", "--db", str(db), "--format", kind, "--out", str(then)]) == 0
    # two corrections later: without the kept mark the store would hold only the last two snapshots
    changed = changed_copy(tmp_path / "src")
    for _ in range(2):
        assert main(["import", str(changed), "--db", str(db)]) == 0
    capsys.readouterr()
    listed = cli_json(capsys, "snapshots", "--db", db, "--format", "json")
    assert [(e["snapshot_id"] == first_id, e["kept"], e["current"]) for e in listed] == [
        (True, True, False), (False, False, False), (False, False, True)]
    now = tmp_path / f"now.{kind}"
    assert main(["report", "--db", str(db), "--snapshot", first_id, "--format", kind, "--out", str(now)]) == 0
    assert now.read_bytes() == then.read_bytes()
    text = now.read_bytes().decode("utf-8-sig")
    assert first_id in text and "Generated on" not in text
    current = tmp_path / f"current.{kind}"
    assert main(["report", "--db", str(db), "--format", kind, "--out", str(current)]) == 0
    assert current.read_bytes() != then.read_bytes()


def test_without_source_date_epoch_the_day_stands_in_the_footer_once(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "report.html"
    assert main(["report", "--data", str(TINY), "--format", "html", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("Generated on ") == 1
    assert text.index("Generated on ") > text.index("<footer>")


def test_an_erasure_makes_a_new_snapshot_id_and_keeps_the_mark(tmp_path, capsys):
    db = tmp_path / "store"
    first_id = cli_json(capsys, "import", TINY, "--db", db, "--format", "json")["fingerprint"]["snapshot_id"]
    store = Store(db)
    store.keep(store.current_token())
    assert forget(open_store(db), "mentee", "ME1")
    (entry,) = Store(db).entries()
    assert entry.snapshot_id != first_id and entry.kept and entry.current
    assert cli_json(capsys, "indicators", "--db", db)["fingerprint"]["snapshot_id"] == entry.snapshot_id


def test_an_unknown_snapshot_exits_2(tmp_path, capsys):
    db = tmp_path / "store"
    assert main(["import", str(TINY), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["indicators", "--db", str(db), "--snapshot", "0000000000000000"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no snapshot 0000000000000000" in captured.err
    assert main(["indicators", "--data", str(TINY), "--snapshot", "x"]) == 2
