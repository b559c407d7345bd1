"""Signed, expiring session tokens (analytics.people.sessions)."""
from __future__ import annotations

import datetime as dt
import stat

import pytest

from analytics.people.sessions import SessionSigner

T0 = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_token_names_its_user_until_it_expires():
    clock = Clock(T0)
    signer = SessionSigner(b"k" * 32, clock)
    token = signer.issue("amal", ttl=dt.timedelta(hours=12))
    # the expiry is T0 + 12 h in unix seconds: 2026-07-01 00:00 UTC = 1782864000
    assert token.split(".")[1] == str(int(dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc).timestamp()))
    assert signer.verify(token) == "amal"
    clock.now = T0 + dt.timedelta(hours=11, minutes=59)
    assert signer.verify(token) == "amal"
    clock.now = T0 + dt.timedelta(hours=12)            # at the expiry second: no longer
    assert signer.verify(token) is None


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace(t.split(".")[0], "Ym9i"),        # another name ("bob"), same signature
    lambda t: ".".join(t.split(".")[:1] + ["9999999999"] + t.split(".")[2:]),   # a later expiry
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),               # a changed signature
    lambda t: "not a token",
    lambda t: "",
])
def test_a_changed_token_is_refused(tamper):
    signer = SessionSigner(b"k" * 32, Clock(T0))
    assert signer.verify(tamper(signer.issue("amal"))) is None


def test_another_key_refuses_the_token(tmp_path):
    token = SessionSigner(b"k" * 32, Clock(T0)).issue("amal")
    assert SessionSigner(b"j" * 32, Clock(T0)).verify(token) is None
    # the key beside the users file: made once, owner-only, the same on the next start
    first = SessionSigner.beside(tmp_path / "users.json", Clock(T0))
    again = SessionSigner.beside(tmp_path / "users.json", Clock(T0))
    assert again.verify(first.issue("amal")) == "amal"
    assert stat.S_IMODE((tmp_path / "session-secret").stat().st_mode) == 0o600
