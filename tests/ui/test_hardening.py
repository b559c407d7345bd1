"""The server's settings are set on purpose (issue 19, hardening).

Each setting of .streamlit/config.toml is checked against the value chosen,
and against Streamlit's own option list (a misspelt key would be ignored by
Streamlit without a word). Idle sessions: the pure rule, then the app itself
(AppTest) signing out a session whose last run is older than the setting.
"""
from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".streamlit" / "config.toml"
EXPECTED = {
    "global.developmentMode": False,
    "server.address": "127.0.0.1",
    "server.headless": True,
    "server.maxUploadSize": 50,
    "server.maxMessageSize": 200,
    "server.enableXsrfProtection": True,
    "server.xsrfCookieSameSite": "lax",
    "server.enableCORS": True,            # true = cross-origin access refused (Streamlit's naming)
    "server.corsAllowedOrigins": [],
    "server.enableStaticServing": False,
    "server.enableAgentApi": False,
    "server.runOnSave": False,
    "server.fileWatcherType": "none",
    "server.disconnectedSessionTTL": 120,
    "client.showErrorDetails": "type",
    "client.toolbarMode": "viewer",
    "browser.gatherUsageStats": False,
    "runner.magicEnabled": False,
    "logger.level": "info",
    "theme.base": "light",
    "theme.primaryColor": "#0072B2",
}


def _settings() -> dict[str, object]:
    document = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, options in document.items() for key, value in options.items()}


def test_every_setting_is_the_one_chosen():
    assert _settings() == EXPECTED


def test_every_setting_is_a_streamlit_option():
    from streamlit import config

    known = config.get_config_options()
    assert set(EXPECTED) <= set(known)


def test_no_secret_in_the_shipped_configuration():
    text = CONFIG.read_text(encoding="utf-8")
    assert "cookieSecret" not in text and "cookie_secret" not in text
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    assert set(example["auth"]) == {"redirect_uri", "cookie_secret", "client_id", "client_secret",
                                    "server_metadata_url"}


@pytest.mark.parametrize("value, minutes", [(None, 30), ("15", 15), ("0.5", 0.5), ("0", 30), ("-5", 30),
                                            ("soon", 30), ("inf", 30)])
def test_idle_minutes_setting(monkeypatch, value, minutes):
    from ui import signin

    if value is None:
        monkeypatch.delenv("DUO_IMPACT_IDLE_MINUTES", raising=False)
    else:
        monkeypatch.setenv("DUO_IMPACT_IDLE_MINUTES", value)
    assert signin.idle_minutes() == minutes


def test_idle_rule():
    from ui.signin import is_idle

    assert not is_idle(1000.0, 1000.0 + 30 * 60, 30)      # exactly 30 minutes: still active
    assert is_idle(1000.0, 1000.0 + 30 * 60 + 1, 30)


@pytest.mark.usefixtures("navigation_app")
def test_an_idle_session_is_signed_out(tiny_store, tmp_path, monkeypatch):
    from analytics.people.audit import read_audit
    from analytics.people.users import UserStore

    sample = tmp_path / "sample"                     # real data: a sample the store never held
    sample.mkdir()
    (sample / "mentees.csv").write_text("mentee_id\nSOMEONE_ELSE\n", encoding="utf-8")
    monkeypatch.setenv("DUO_IMPACT_DB", str(tiny_store))
    monkeypatch.setenv("DUO_IMPACT_SAMPLE", str(sample))
    monkeypatch.setenv("DUO_IMPACT_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    monkeypatch.setenv("DUO_IMPACT_IDLE_MINUTES", "20")
    UserStore(tmp_path / "users.json").add("mara", "correct horse battery", "manager")

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.text_input(key="signin_username").input("mara")
    at.text_input(key="signin_password").input("correct horse battery")
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert [t.value for t in at.title] != ["Sign in"]
    signed = dict(at.session_state["signed_in"])

    at.session_state["signed_in"] = {**signed, "last_seen": time.time() - 19 * 60}   # 19 min: still on
    at.run()
    assert "signed_in" in at.session_state and [t.value for t in at.title] != ["Sign in"]

    at.session_state["signed_in"] = {**signed, "last_seen": time.time() - 21 * 60}   # 21 min: idle
    at.run()
    assert not at.exception
    assert "signed_in" not in at.session_state
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("without activity" in i.value for i in at.info)
    assert [line["event"] for line in read_audit(tmp_path / "audit.log")][-1] == "session_expired"


def test_a_report_download_from_the_dashboard_is_audited_as_the_command_lines_are(tmp_path, monkeypatch):
    from analytics.people.audit import read_audit
    from ui import connection, signin

    kept = []
    monkeypatch.setenv("DUO_IMPACT_AUDIT", str(tmp_path / "audit.log"))
    monkeypatch.setattr(connection, "keep_snapshot", kept.append)
    monkeypatch.setattr(signin, "who", lambda: "fiona")
    monkeypatch.setattr(connection, "demo_mode", lambda: True)     # the sample: kept, not audited
    signin.audit_report("pdf", "impact-report.pdf", "snap-1", ("FundA",))
    assert kept == ["snap-1"] and read_audit(tmp_path / "audit.log") == []
    monkeypatch.setattr(connection, "demo_mode", lambda: False)
    signin.audit_report("xlsx", "impact-report.xlsx", "snap-2", ("FundA", "FundB"))
    (line,) = read_audit(tmp_path / "audit.log")
    assert (line["event"], line["user"]) == ("export", "fiona")
    assert line["detail"] == {"what": "funder_report_xlsx", "funders": "FundA,FundB", "snapshot": "snap-2",
                              "file": "impact-report.xlsx", "via": "dashboard"}
    # each of the page's four downloads goes through it
    page_source = (ROOT / "pages" / "impact_report.py").read_text(encoding="utf-8")
    assert page_source.count("on_click=signin.audit_report") == 4
    assert "on_click=connection.keep_snapshot" not in page_source
