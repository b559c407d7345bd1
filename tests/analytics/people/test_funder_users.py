"""Funder users bound to funders as the funding records name them
(``users add NAME --role funder --funder "…"``), checked against a store."""
from __future__ import annotations

import json

import pytest

from analytics.people.users import UserError, UserStore

PASSWORD = "correct horse battery"


def _run(argv, monkeypatch, stdin=PASSWORD + "\n"):
    import io

    from analytics.cli import build_parser

    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    args = build_parser().parse_args(argv)
    return args.handler(args)


def test_store_keeps_the_funders(tmp_path):
    store = UserStore(tmp_path / "users.json")
    user = store.add("fanny", PASSWORD, "funder", funders=["FundA", " EUF ", "FundA"])
    assert user.funders == ("FundA", "EUF")            # stripped, each once, in the order given
    assert json.loads(store.path.read_text())["users"]["fanny"]["funders"] == ["FundA", "EUF"]
    assert store.get("fanny").funders == ("FundA", "EUF")
    assert store.verify("fanny", PASSWORD).funders == ("FundA", "EUF")
    assert store.add("paula", PASSWORD, "funder").funders == ()    # the whole programme


@pytest.mark.parametrize("role, branches, funders", [
    ("manager", (), ("FundA",)), ("coordinator", ("East",), ("FundA",)), ("funder", (), ("  ",)),
])
def test_only_funder_users_have_funders(tmp_path, role, branches, funders):
    with pytest.raises(UserError):
        UserStore(tmp_path / "users.json").add("x", PASSWORD, role, branches, funders)


def test_cli_binds_funders_checked_against_the_store(tiny_store, tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.json"
    common = ["--users-file", str(path), "--password-stdin"]
    # tiny's funding names FundA, CityX and EUF
    assert _run(["users", "add", "fanny", "--role", "funder", "--funder", "FundA", "--funder", "EUF",
                 "--db", str(tiny_store), *common], monkeypatch) == 0
    assert "funders: FundA, EUF" in capsys.readouterr().out
    assert UserStore(path).get("fanny").funders == ("FundA", "EUF")
    assert _run(["users", "add", "nora", "--role", "funder", "--funder", "Nobody", "--db", str(tiny_store),
                 *common], monkeypatch) == 2
    assert "no funder named 'Nobody'" in capsys.readouterr().err
    assert UserStore(path).get("nora") is None
    assert _run(["users", "add", "mia", "--role", "manager", "--funder", "FundA", *common], monkeypatch) == 2
    assert _run(["users", "add", "ola", "--role", "funder", "--funder", "FundA", "--db", str(tmp_path / "none"),
                 *common], monkeypatch) == 2
    # without a store the name is kept as given (checked where the data is: the page says so)
    assert _run(["users", "add", "pia", "--role", "funder", "--funder", "Someone", *common], monkeypatch) == 0
    assert _run(["users", "list", "--users-file", str(path)], monkeypatch) == 0
    assert "fanny\tfunder\tFundA,EUF" in capsys.readouterr().out
