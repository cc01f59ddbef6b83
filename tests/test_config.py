"""The shipped Streamlit config keeps its security settings."""

import re
import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_security_settings_stay_on() -> None:
    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["server"]["enableCORS"] is True
    assert cfg["client"]["showErrorDetails"] == "none"
    assert cfg["server"]["enableStaticServing"] is True
    assert 5 <= cfg["server"]["maxUploadSize"] <= 50
    assert cfg["browser"]["gatherUsageStats"] is False


def test_proxy_example_allows_exactly_the_upload_cap() -> None:
    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    doc = (CONFIG.parent.parent / "docs" / "deployment.md").read_text(encoding="utf-8")
    nginx = re.search(r"```nginx\n(.*?)```", doc, re.S).group(1)
    assert re.findall(r"client_max_body_size (\d+)m;", nginx) == [
        str(cfg["server"]["maxUploadSize"])
    ]
    stream = nginx.split("location /_stcore/stream", 1)[1]
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade", "proxy_read_timeout"):
        assert line in stream
    assert "hash $kehoach_sticky consistent;" in nginx


def test_upload_cap_is_the_largest_limit_the_app_enforces() -> None:
    from kehoach.adapters.photos import MAX_PHOTO_BYTES
    from kehoach.adapters.summary_table import MAX_BYTES
    from kehoach.i18n import t

    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    megabyte = 1024 * 1024
    assert cfg["server"]["maxUploadSize"] == max(MAX_PHOTO_BYTES, MAX_BYTES) // megabyte
    assert cfg["client"]["toolbarMode"] == "minimal"
    # What the uploaders say is what is enforced.
    assert f"{MAX_PHOTO_BYTES // megabyte} MB" in t(
        "inspect.photos", n=5, mb=MAX_PHOTO_BYTES // megabyte
    )
    assert f"{MAX_BYTES // megabyte} MB" in t("import.file", mb=MAX_BYTES // megabyte)
