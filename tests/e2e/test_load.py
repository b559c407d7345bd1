"""Many viewers (issue 19): the deployment in deploy/ under a small load.

deploy/run.sh is started by benchmarks/load.py's Deployment (2 Streamlit
processes behind HAProxy on free loopback ports, a fresh store holding the
tiny fixture, real data: sign-in required, one manager). Every wait is a
readiness poll (health answers, the proxy routing to both processes, a
script_finished), never a fixed sleep. Checked: the proxy's security headers
and sticky cookie, the health check through the proxy, a wrong sticky cookie
replaced by the proxy (which the load test's clients would report), then 5
websocket sessions (Streamlit's protocol) for 20 s signing in and moving
between pages while the tiny fixture and its variant are imported in turn
every 3 s: no error on any page, every page's figures one of the two
snapshots', both snapshots seen, the sessions spread over both processes,
and each session's reconnect kept on its process (resumed or signed in again
by the session cookie).
"""
from __future__ import annotations

import asyncio
import importlib.util
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "fixtures" / "tiny"

spec = importlib.util.spec_from_file_location("load", ROOT / "benchmarks" / "load.py")
load = importlib.util.module_from_spec(spec)
sys.modules.setdefault("load", load)          # its dataclasses look their module up
spec.loader.exec_module(load)

pytestmark = pytest.mark.skipif(not load.haproxy_found(), reason="Debian's haproxy is not installed")


def _headers(url: str):
    with urllib.request.urlopen(url + "/") as response:
        return response.headers


async def _connect_with(url: str, server: str) -> None:
    ws = await load.connect(url, server)
    await ws.close()


def test_five_sessions_through_the_proxy_while_imports_swap_the_snapshot(tmp_path):
    with load.Deployment(2, TINY, tmp_path) as deployment:
        headers = _headers(deployment.url)
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Set-Cookie"].startswith("DUO_SERVER=app") and "HttpOnly" in headers["Set-Cookie"]
        assert "Strict-Transport-Security" not in headers          # plain HTTP on loopback: no HSTS
        assert urllib.request.urlopen(deployment.url + "/_stcore/health").read() == b"ok"
        with pytest.raises(urllib.error.HTTPError) as refused:     # the agent API stays closed
            urllib.request.urlopen(deployment.url + "/_stcore/agent/openapi.json")
        assert refused.value.code == 403
        # a cookie naming no process: the proxy picks one and says so, which a session reports
        with pytest.raises(AssertionError, match="did not keep DUO_SERVER=app9"):
            asyncio.run(_connect_with(deployment.url, "app9"))

        references = deployment.references()
        # the variant has one more applicant and doubled costs: the overview's figures differ
        assert references[0]["Overview"] != references[1]["Overview"]
        with deployment.importer(3) as importer:
            result = asyncio.run(load.drive(deployment.url, 5, 20, user=deployment.user,
                                            password=deployment.password, references=references, ramp=2))
    assert importer.errors == [] and importer.count >= 2
    assert result["errors"] == []
    assert len(result["times"]) >= 10                    # every session moved more than once
    assert result["servers"] == {"app1", "app2"}         # stickiness spread the sessions
    assert result["resumed"] == 3 and result["reloaded"] == 2   # sessions 0, 2, 4 resume; 1, 3 reload
    assert "Overview" in result["telling_pages"]


def test_a_page_whose_figures_match_neither_snapshot_is_an_error():
    run = load.Run(titles=["Overview"], tiles=[("Duos", "7", "")])
    load.check(run, "Overview", {"Overview": {run.fingerprint()}})        # one of the snapshots': fine
    with pytest.raises(AssertionError, match="neither snapshot"):
        load.check(run, "Overview", {"Overview": {"0123456789abcdef"}})
    with pytest.raises(AssertionError, match="shown"):
        load.check(run, "Growth", None)                                    # another page than asked
    with pytest.raises(AssertionError, match="exception"):
        load.check(load.Run(titles=["Overview"], problems=["exception: KeyError: x"]), "Overview", None)
