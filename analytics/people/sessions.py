"""Signed, expiring session tokens: a sign-in that survives a page reload.

The dashboard keeps who is signed in in the session (``ui.signin``); a reload
starts a new session. So that it does not sign the user out, the sign-in also
sets a cookie holding a token made here: ``<username, base64url>.<expiry, unix
seconds>.<HMAC-SHA256 of both, base64url>``. On a new session the token is
checked (:meth:`SessionSigner.verify`): a wrong signature, a token past its
expiry or a malformed one gives nobody. The username is then looked up in the
users file again, so a removed user or a changed role applies at once.

The key is 32 random bytes in a file beside the users file
(``session-secret``, created on first use, readable by its owner only);
deleting it signs every browser out. Nothing secret is in the token: it names
the user and says until when, and only this server can make one.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path

COOKIE_NAME = "duo_impact_session"
TTL = dt.timedelta(hours=12)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Makes and checks session tokens with one secret key."""

    def __init__(self, secret: bytes, clock: Callable[[], dt.datetime] = _now) -> None:
        if len(secret) < 16:
            raise ValueError("a session secret has at least 16 bytes")
        self._secret = secret
        self._clock = clock

    @classmethod
    def beside(cls, users_path: Path, clock: Callable[[], dt.datetime] = _now) -> "SessionSigner":
        """The signer whose key is ``session-secret`` next to the users file (made when missing)."""
        path = Path(users_path).parent / "session-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        return cls(path.read_bytes(), clock)

    def _mac(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, username: str, ttl: dt.timedelta = TTL) -> str:
        """A token naming ``username``, valid for ``ttl`` from now."""
        expiry = int((self._clock() + ttl).timestamp())
        payload = f"{_b64(username.encode('utf-8'))}.{expiry}"
        return f"{payload}.{self._mac(payload)}"

    def verify(self, token: str | None) -> str | None:
        """The username of a valid, unexpired token; None for anything else."""
        try:
            name, expiry, mac = str(token or "").split(".")
            if not hmac.compare_digest(mac, self._mac(f"{name}.{expiry}")):
                return None
            if int(expiry) <= self._clock().timestamp():
                return None
            return _unb64(name).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
