"""Many viewers (issue 19): the deployment in deploy/ under a small load.

deploy/run.sh is started by benchmarks/load.py's Deployment (2 Streamlit
processes behind HAProxy on free loopback ports, a fresh store holding the
tiny fixture, which is then "the sample": demo mode, no password). Checked:
the proxy's security headers and sticky cookie, the health check through the
proxy, then 5 browser sessions for 20 s moving between pages while the tiny
fixture is re-imported every 3 s: no error on any page, and the sessions
spread over both processes.
"""
from __future__ import annotations

import asyncio
import importlib.util
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"

spec = importlib.util.spec_from_file_location("load", ROOT / "benchmarks" / "load.py")
load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(load.CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not load.haproxy_found(), reason="Debian's haproxy is not installed"),
]


def test_five_sessions_through_the_proxy_while_imports_swap_the_snapshot(tmp_path):
    with load.Deployment(2, TINY, tmp_path) as deployment:
        with urllib.request.urlopen(deployment.url + "/") as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Set-Cookie"].startswith("DUO_SERVER=app") and "HttpOnly" in headers["Set-Cookie"]
        assert "Strict-Transport-Security" not in headers          # plain HTTP on loopback: no HSTS
        assert urllib.request.urlopen(deployment.url + "/_stcore/health").read() == b"ok"
        with pytest.raises(urllib.error.HTTPError) as refused:     # the agent API stays closed
            urllib.request.urlopen(deployment.url + "/_stcore/agent/openapi.json")
        assert refused.value.code == 403

        done, imports, failures = threading.Event(), [0], []

        def importer() -> None:
            while not done.wait(3):
                try:
                    deployment.reimport()
                    imports[0] += 1
                except Exception as error:  # noqa: BLE001
                    failures.append(error)

        thread = threading.Thread(target=importer, daemon=True)
        thread.start()
        try:
            result = asyncio.run(load.drive(deployment.url, 5, 20))
        finally:
            done.set()
            thread.join(timeout=120)
    assert not failures and imports[0] >= 2
    assert result["errors"] == []
    assert len(result["times"]) >= 5                     # every session moved at least once
    assert result["servers"] == {"app1", "app2"}         # stickiness spread the sessions
