"""The example deployment (deploy/): it cannot run here (no Docker), so its files are at least parsed and
checked for the build-once-serve-many shape: one builder, read-only replicas without uploads, nginx in front."""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT

DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_builds_once_and_serves_from_read_only_replicas() -> None:
    services = _compose()["services"]
    assert services["builder"]["command"][:2] == ["tracuu", "index"]
    replicas = [name for name, s in services.items() if s.get("command") == ["python", "ui.py"]]
    assert len(replicas) >= 2
    for name in replicas:
        s = services[name]
        assert "index:/data/index:ro" in s["volumes"], name
        assert s["environment"]["TRACUU_ADMIN_PASSWORD"] == "", name  # uploads go to the builder
        assert s["environment"]["TRACUU_INDEX"] == services["builder"]["environment"]["TRACUU_INDEX"]
        assert s["depends_on"]["builder"]["condition"] == "service_completed_successfully"
    assert set(replicas) <= set(services["nginx"]["depends_on"])


def test_nginx_balances_over_the_compose_replicas() -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert conf.count("{") == conf.count("}")
    servers = set(re.findall(r"^\s*server\s+([\w.-]+):7860;", conf, flags=re.M))
    replicas = {n for n, s in _compose()["services"].items() if s.get("command") == ["python", "ui.py"]}
    assert servers == replicas
    assert "ip_hash;" in conf and "proxy_pass http://tracuu_replicas;" in conf
