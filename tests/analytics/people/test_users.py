"""Sign-in users: argon2 hashes in a local file, roles, rate limiting, atomic
writes, and the ``users`` commands."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.people import users
from analytics.people.users import LockedOut, UserError, UserStore

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"


class Clock:
    def __init__(self):
        self.now = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return UserStore(tmp_path / "store" / "users.json", clock=clock)


def test_add_and_verify(store):
    store.add("amina", PASSWORD, "manager")
    user = store.verify("amina", PASSWORD)
    assert user is not None and user.role == "manager" and user.branches == ()
    assert store.verify("amina", "wrong password!") is None
    assert store.verify("nobody", PASSWORD) is None


def test_file_holds_an_argon2id_hash_and_no_plain_text(store):
    store.add("amina", PASSWORD, "funder")
    raw = store.path.read_text()
    assert PASSWORD not in raw
    record = json.loads(raw)["users"]["amina"]
    assert record["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_coordinator_needs_branches_and_others_have_none(store):
    with pytest.raises(UserError):
        store.add("carl", PASSWORD, "coordinator")
    with pytest.raises(UserError):
        store.add("fanny", PASSWORD, "funder", ["East"])
    user = store.add("carl", PASSWORD, "coordinator", ["East", "West", "East"])
    assert user.branches == ("East", "West")
    assert store.verify("carl", PASSWORD).branches == ("East", "West")


@pytest.mark.parametrize("username, role, password", [
    ("", "manager", PASSWORD),
    ("has space", "manager", PASSWORD),
    ("-dash", "manager", PASSWORD),
    ("x" * 65, "manager", PASSWORD),
    ("ok", "admin", PASSWORD),
    ("ok", "manager", "short"),
])
def test_bad_input_is_refused(store, username, role, password):
    with pytest.raises(UserError):
        store.add(username, password, role)
    assert not store.path.exists() or len(store) == 0


def test_duplicate_and_unknown_users(store):
    store.add("amina", PASSWORD, "manager")
    with pytest.raises(UserError):
        store.add("amina", PASSWORD, "funder")
    with pytest.raises(UserError):
        store.remove("ghost")
    store.remove("amina")
    assert store.list() == [] and store.verify("amina", PASSWORD) is None


def test_list_never_shows_hashes(store):
    store.add("b", PASSWORD, "funder")
    store.add("a", PASSWORD, "coordinator", ["West"])
    listed = store.list()
    assert [u.username for u in listed] == ["a", "b"]
    assert all(not hasattr(u, "hash") for u in listed)


def test_lock_after_five_failures_grows_exponentially(store, clock):
    store.add("amina", PASSWORD, "manager")
    for _ in range(4):
        assert store.verify("amina", "wrong password!") is None
    assert store.locked_until("amina") is None
    assert store.verify("amina", "wrong password!") is None      # 5th failure: locked 30 s
    with pytest.raises(LockedOut) as info:
        store.verify("amina", PASSWORD)                         # even the right password waits
    assert info.value.retry_after == 30
    clock.advance(29)
    with pytest.raises(LockedOut):
        store.verify("amina", PASSWORD)
    clock.advance(2)
    assert store.verify("amina", "wrong password!") is None      # 6th: 60 s
    with pytest.raises(LockedOut) as info:
        store.verify("amina", PASSWORD)
    assert info.value.retry_after == 60
    assert store.failures("amina") == 6
    clock.advance(61)
    assert store.verify("amina", PASSWORD) is not None          # success resets
    assert store.failures("amina") == 0 and store.locked_until("amina") is None


def test_attempts_while_locked_do_not_extend_the_lock(store, clock):
    store.add("amina", PASSWORD, "manager")
    for _ in range(5):
        store.verify("amina", "wrong password!")
    for _ in range(10):
        with pytest.raises(LockedOut):
            store.verify("amina", "wrong password!")
    assert store.failures("amina") == 5
    clock.advance(31)
    assert store.verify("amina", PASSWORD) is not None


@pytest.mark.parametrize("failures, seconds", [(0, 0), (4, 0), (5, 30), (6, 60), (7, 120), (12, 3600), (40, 3600)])
def test_lock_seconds(failures, seconds):
    assert users.lock_seconds(failures) == seconds


def test_failures_survive_a_new_store_object(tmp_path, clock):
    path = tmp_path / "users.json"
    UserStore(path, clock=clock).add("amina", PASSWORD, "manager")
    for _ in range(5):
        UserStore(path, clock=clock).verify("amina", "wrong password!")
    with pytest.raises(LockedOut):
        UserStore(path, clock=clock).verify("amina", PASSWORD)


def test_unknown_users_are_not_recorded(store):
    store.add("amina", PASSWORD, "manager")
    for _ in range(20):
        assert store.verify("mallory", "whatever-123") is None
    assert "mallory" not in store.path.read_text()


def test_writes_are_atomic_and_leave_no_temporary_files(store):
    for i in range(5):
        store.add(f"user{i}", PASSWORD, "funder")
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name not in ("users.json", "users.json.lock")]
    assert leftovers == []
    json.loads(store.path.read_text())


def test_a_failed_write_keeps_the_old_file(store, monkeypatch):
    store.add("amina", PASSWORD, "manager")
    before = store.path.read_text()

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(users.json, "dump", broken_dump)
    with pytest.raises(OSError):
        store.add("bob", PASSWORD, "funder")
    assert store.path.read_text() == before
    assert [p.name for p in store.path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_default_path_is_beside_the_store(monkeypatch, tmp_path):
    monkeypatch.delenv("DUO_IMPACT_USERS", raising=False)
    monkeypatch.setenv("DUO_IMPACT_DB", str(tmp_path / "st"))
    assert users.default_path() == tmp_path / "st" / "users.json"
    monkeypatch.setenv("DUO_IMPACT_USERS", str(tmp_path / "u.json"))
    assert users.default_path() == tmp_path / "u.json"


def test_a_changed_hasher_rehashes_on_success(store, monkeypatch):
    from argon2 import PasswordHasher

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    store.add("amina", PASSWORD, "manager")
    old = json.loads(store.path.read_text())["users"]["amina"]["hash"]
    monkeypatch.setattr(users, "_hasher", PasswordHasher())
    assert store.verify("amina", PASSWORD) is not None
    new = json.loads(store.path.read_text())["users"]["amina"]["hash"]
    assert new != old and "m=65536" in new


# ---------------------------------------------------------------- the commands
def _cli(*args, stdin: str = "", env_file: Path | None = None):
    env = {**os.environ}
    if env_file is not None:
        env["DUO_IMPACT_USERS"] = str(env_file)
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_users_commands(tmp_path):
    path = tmp_path / "users.json"
    added = _cli("users", "add", "carl", "--role", "coordinator", "--branch", "East", "--password-stdin",
                 stdin=PASSWORD + "\n", env_file=path)
    assert added.returncode == 0, added.stderr
    added = _cli("users", "add", "fanny", "--role", "funder", "--password-stdin", "--users-file", str(path),
                 stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    listed = _cli("users", "list", env_file=path)
    assert listed.returncode == 0
    assert "carl\tcoordinator\tEast" in listed.stdout and "fanny\tfunder" in listed.stdout
    assert "argon2" not in listed.stdout and PASSWORD not in listed.stdout
    assert UserStore(path).verify("carl", PASSWORD).role == "coordinator"

    duplicate = _cli("users", "add", "carl", "--role", "manager", "--password-stdin", stdin=PASSWORD + "\n",
                     env_file=path)
    assert duplicate.returncode == 2 and "exists" in duplicate.stderr
    weak = _cli("users", "add", "x", "--role", "manager", "--password-stdin", stdin="short\n", env_file=path)
    assert weak.returncode == 2 and weak.stdout == ""
    coordinator = _cli("users", "add", "y", "--role", "coordinator", "--password-stdin", stdin=PASSWORD + "\n",
                       env_file=path)
    assert coordinator.returncode == 2
    bad_role = _cli("users", "add", "z", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n",
                    env_file=path)
    assert bad_role.returncode == 2
    assert _cli("users", "remove", "carl", env_file=path).returncode == 0
    assert _cli("users", "remove", "carl", env_file=path).returncode == 2
    assert "carl" not in _cli("users", "list", env_file=path).stdout


def test_users_add_prompts_twice_without_stdin(tmp_path, monkeypatch, capsys):
    from analytics.cli import build_parser
    from analytics.cli import people as commands_funder

    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(commands_funder.getpass, "getpass", lambda prompt="": next(answers))
    args = build_parser().parse_args(["users", "add", "amina", "--role", "manager",
                                      "--users-file", str(tmp_path / "u.json")])
    assert args.handler(args) == 2
    assert "differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert args.handler(args) == 0
    assert UserStore(tmp_path / "u.json").verify("amina", PASSWORD) is not None
