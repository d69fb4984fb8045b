"""docker-compose.yml is valid for users (no Docker engine here: only `docker-compose config`)."""

import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT


def test_compose_file_declares_neo4j_and_the_loader():
    spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert spec["services"]["neo4j"]["image"].startswith("neo4j:5")
    loader = spec["services"]["loader"]
    assert "python -m kg build --store neo4j" in " ".join(loader["command"])
    assert loader["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"


def test_docker_compose_config_accepts_it():
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.fail("docker-compose is not installed: apt-get install docker-compose "
                    "(make test does this when run as root)")
    r = subprocess.run([exe, "config", "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
