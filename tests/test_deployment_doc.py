"""The reverse-proxy configuration in docs/deployment.md sets the security headers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from kehoach.config import OSM_TILES, PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "deployment.md"
LOCATION = re.compile(r"^\s*location\s+[^{\n]*\{([^}]*)\}", re.MULTILINE)
HEADER = re.compile(r'^\s*add_header\s+([\w-]+)\s+"([^"]*)"\s*(always)?\s*;', re.MULTILINE)


def _nginx_config() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "docs/deployment.md has no nginx block"
    return blocks[0]


def _server_level(config: str) -> str:
    """Return the HTTPS server block's text with its location blocks taken out."""
    server = config[config.index("listen 443") :]
    return LOCATION.sub("", server)


@pytest.fixture(scope="module")
def headers() -> dict[str, tuple[str, bool]]:
    found = HEADER.findall(_server_level(_nginx_config()))
    return {name.lower(): (value, bool(always)) for name, value, always in found}


def _csp(headers) -> dict[str, list[str]]:
    value, _ = headers["content-security-policy"]
    directives = (part.split() for part in value.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def test_framing_is_limited_to_the_app_itself(headers) -> None:
    assert headers["x-frame-options"][0] in {"DENY", "SAMEORIGIN"}
    assert _csp(headers)["frame-ancestors"] in (["'none'"], ["'self'"])


def test_content_security_policy_fits_streamlit_and_nothing_more(headers) -> None:
    csp = _csp(headers)
    assert csp["default-src"] == ["'self'"]
    assert {"'self'", "'unsafe-inline'", "'unsafe-eval'"} == set(csp["script-src"])
    assert "'unsafe-inline'" in csp["style-src"]
    assert any(s.startswith("wss://") for s in csp["connect-src"])  # the app's WebSocket
    assert csp["object-src"] == ["'none'"]
    for directive, sources in csp.items():
        assert not {"*", "http:", "https:", "ws:", "wss:"} & set(sources), directive
    tile_host = urlsplit(OSM_TILES).hostname
    assert f"https://{tile_host}" in csp["img-src"]  # the default basemap still loads


def test_every_header_is_sent_on_errors_too_and_never_dropped(headers) -> None:
    for name in ("x-frame-options", "content-security-policy", "x-content-type-options"):
        assert headers[name][1], f"{name} needs 'always'"
    locations = LOCATION.findall(_nginx_config())
    assert locations and not any("add_header" in body for body in locations)
