"""The embedded sign-in's users: a local JSON file with argon2id hashes.

- **Where.** ``$DUO_IMPACT_USERS`` if set; otherwise ``users.json`` beside the
  store (``$DUO_IMPACT_DB``, default ``data/store``, relative to the project
  root), which is git-ignored. The file is created with mode 0600.
- **Passwords.** Hashed with argon2-cffi's ``PasswordHasher`` (argon2id,
  the library's RFC 9106 defaults; OWASP's first choice). No plain text is
  ever written; a hash made with older parameters is re-hashed on the next
  successful sign-in.
- **Roles.** ``manager`` (everything), ``coordinator`` (their branches: at
  least one), ``funder`` (aggregates only). Branches are only for
  coordinators. A funder may be bound to one or more funders as the funding
  records name them (``funders``): their "Your funding" view shows what those
  grants covered; a funder user bound to none sees the whole programme.
  Funders are only for funder users; whether a name is in the data is
  checked by the command line against a store (the users file knows no data).
- **Rate limiting.** Failures are counted per username **in the file**, so
  the limit holds across sessions, restarts and processes (Streamlit and the
  command line). After :data:`MAX_FAILURES` consecutive failures the
  username is locked for :data:`BASE_LOCK_SECONDS`, doubled with every
  further failure (30 s, 1 min, 2 min, …), at most :data:`MAX_LOCK_SECONDS`.
  While locked, :func:`UserStore.verify` raises :class:`LockedOut` without
  checking the password (so guessing is pointless and the lock is not
  extended by a locked-out attacker). A success resets the count. Unknown
  usernames are not recorded (the file would grow with every guess), but the
  password is still checked against a dummy hash, so an answer takes as long
  whether or not the user exists.
- **Writes** are atomic (a temporary file in the same folder, fsync, then
  ``os.replace``) and serialised between processes with an exclusive
  ``flock`` on ``<file>.lock``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROOT = Path(__file__).resolve().parents[2]

MANAGER, COORDINATOR, FUNDER = "manager", "coordinator", "funder"
ROLES: tuple[str, ...] = (MANAGER, COORDINATOR, FUNDER)

MAX_FAILURES = 5
BASE_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
FILE_VERSION = 1

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A real hash of a random password: checked for unknown usernames, so that
    timing does not tell which usernames exist. Made on the first sign-in
    (before the username is looked up, so that first one costs the same for
    every name), not at import: a command that signs nobody in does not pay
    for an argon2 hash."""
    return _hasher.hash(os.urandom(16).hex())


class UserError(ValueError):
    """Bad input: unknown role, bad username, weak password, duplicate, unknown user."""


class LockedOut(Exception):
    """Too many failed attempts: try again after ``retry_after`` seconds."""

    def __init__(self, username: str, until: dt.datetime, now: dt.datetime):
        self.username = username
        self.until = until
        self.retry_after = max(1, int((until - now).total_seconds() + 0.999))
        super().__init__(f"too many failed sign-ins for {username!r}: try again in {self.retry_after} s")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    branches: tuple[str, ...] = ()
    created_at: str = ""
    funders: tuple[str, ...] = ()     # funder users: the funders they are bound to (empty = the programme)


def default_path() -> Path:
    env = os.environ.get("DUO_IMPACT_USERS")
    if env:
        return Path(env)
    store = Path(os.environ.get("DUO_IMPACT_DB", "data/store"))
    store = store if store.is_absolute() else ROOT / store
    return store / "users.json"


def lock_seconds(failures: int) -> int:
    """How long a username is locked after ``failures`` consecutive failures."""
    if failures < MAX_FAILURES:
        return 0
    return min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - MAX_FAILURES))


def _user(username: str, record: dict) -> User:
    """A users-file record (without its hash) as a :class:`User`."""
    return User(username, record["role"], tuple(record.get("branches") or ()), record.get("created_at", ""),
                tuple(record.get("funders") or ()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UserStore:
    """The users file. Every method reads the file afresh (another process may
    have changed it); every change is one locked read-modify-write."""

    def __init__(self, path: Path | str | None = None, clock: Callable[[], dt.datetime] = _now):
        self.path = Path(path) if path is not None else default_path()
        self._clock = clock

    # ------------------------------------------------------------ file
    def _read(self) -> dict:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": FILE_VERSION, "users": {}, "failures": {}}
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
            raise UserError(f"{self.path} is not a users file")
        data.setdefault("failures", {})
        return data

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".users.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        with contextlib.suppress(OSError):  # make the rename durable
            dfd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict]:
        """The file's content under an exclusive lock; written back on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._read()
                yield data
                self._write(data)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # ------------------------------------------------------------ management
    @staticmethod
    def _check(username: str, role: str, branches: tuple[str, ...], funders: tuple[str, ...] = ()) -> None:
        if not USERNAME.match(username or ""):
            raise UserError("a username is 1–64 letters, digits or . _ @ -, starting with a letter or digit")
        if role not in ROLES:
            raise UserError(f"the role must be one of {', '.join(ROLES)}, not {role!r}")
        if role == COORDINATOR and not branches:
            raise UserError("a coordinator needs at least one --branch")
        if role != COORDINATOR and branches:
            raise UserError(f"only coordinators have branches (a {role} sees every branch)")
        if any(not b.strip() for b in branches):
            raise UserError("a branch name cannot be empty")
        if role != FUNDER and funders:
            raise UserError(f"only funder users are bound to funders (not a {role})")
        if any(not f.strip() for f in funders):
            raise UserError("a funder name cannot be empty")

    @staticmethod
    def check_password(password: str) -> None:
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")

    def add(self, username: str, password: str, role: str, branches: tuple[str, ...] | list[str] = (),
            funders: tuple[str, ...] | list[str] = ()) -> User:
        branches = tuple(dict.fromkeys(branches))
        funders = tuple(dict.fromkeys(f.strip() for f in funders))
        self._check(username, role, branches, funders)
        self.check_password(password)
        digest = _hasher.hash(password)
        created = self._clock().isoformat(timespec="seconds")
        with self._locked() as data:
            if username in data["users"]:
                raise UserError(f"user {username!r} exists already (remove it first)")
            data["users"][username] = {"role": role, "branches": list(branches),
                                       "hash": digest, "created_at": created}
            if funders:
                data["users"][username]["funders"] = list(funders)
            data["failures"].pop(username, None)
        return User(username, role, branches, created, funders)

    def remove(self, username: str) -> None:
        with self._locked() as data:
            if username not in data["users"]:
                raise UserError(f"no user {username!r}")
            del data["users"][username]
            data["failures"].pop(username, None)

    def set_password(self, username: str, password: str) -> None:
        self.check_password(password)
        digest = _hasher.hash(password)
        with self._locked() as data:
            if username not in data["users"]:
                raise UserError(f"no user {username!r}")
            data["users"][username]["hash"] = digest
            data["failures"].pop(username, None)

    def list(self) -> list[User]:
        """Every user, without hashes, sorted by username."""
        users = self._read()["users"]
        return [_user(name, u) for name, u in sorted(users.items())]

    def get(self, username: str) -> User | None:
        u = self._read()["users"].get(username)
        return None if u is None else _user(username, u)

    def __len__(self) -> int:
        return len(self._read()["users"])

    def has_role(self, role: str) -> bool:
        return any(u.role == role for u in self.list())

    # ------------------------------------------------------------ sign-in
    def locked_until(self, username: str) -> dt.datetime | None:
        f = self._read()["failures"].get(username)
        if not f or not f.get("locked_until"):
            return None
        until = dt.datetime.fromisoformat(f["locked_until"])
        return until if until > self._clock() else None

    def verify(self, username: str, password: str) -> User | None:
        """The user when the password is right, else None.

        Raises :class:`LockedOut` while the username is locked (the password
        is then not checked).
        """
        dummy = _dummy_hash()
        now = self._clock()
        data = self._read()
        record = data["users"].get(username)
        if record is None:
            with contextlib.suppress(VerificationError, InvalidHashError):
                _hasher.verify(dummy, password or "")
            return None
        failure = data["failures"].get(username) or {}
        if failure.get("locked_until"):
            until = dt.datetime.fromisoformat(failure["locked_until"])
            if until > now:
                raise LockedOut(username, until, now)
        try:
            _hasher.verify(record["hash"], password or "")
            ok = True
        except VerifyMismatchError:
            ok = False
        except (VerificationError, InvalidHashError):
            ok = False
        with self._locked() as data:
            current = data["users"].get(username)
            if current is None:
                return None
            if ok:
                data["failures"].pop(username, None)
                if _hasher.check_needs_rehash(current["hash"]):
                    current["hash"] = _hasher.hash(password)
            else:
                f = data["failures"].get(username) or {"count": 0}
                f["count"] = int(f.get("count", 0)) + 1
                f["last_failure"] = now.isoformat(timespec="seconds")
                seconds = lock_seconds(f["count"])
                f["locked_until"] = (now + dt.timedelta(seconds=seconds)).isoformat() if seconds else None
                data["failures"][username] = f
        if not ok:
            return None
        return _user(username, current)

    def failures(self, username: str) -> int:
        return int((self._read()["failures"].get(username) or {}).get("count", 0))


# Module-level shortcuts on the default file.
def verify(username: str, password: str, path: Path | str | None = None) -> User | None:
    return UserStore(path).verify(username, password)
