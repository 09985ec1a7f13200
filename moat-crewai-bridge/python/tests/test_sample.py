"""samples/crewai-crew runs against a real sidecar on its own policy: the injected read and the
mail-out are denied, the report is written, nothing leaks."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT, classpath

SAMPLE = ROOT / "samples" / "crewai-crew"


def test_the_crew_sample_blocks_the_injection_and_completes(tmp_path):
    (tmp_path / "workspace").mkdir()
    (tmp_path / "private").mkdir()
    (tmp_path / "workspace" / "notes.md").write_text("Moat keeps private keys in the sidecar.\n")
    (tmp_path / "private" / "credentials.txt").write_text("db-password=hunter2\n")
    shutil.copy(SAMPLE / "moat.yaml", tmp_path / "moat.yaml")
    subprocess.run(["java", "-cp", classpath(), "dev.moat.bridge.testing.WriteKeys", str(tmp_path / ".moat" / "keys"),
                    "owner", "researcher", "writer"], check=True, timeout=60)
    secret = tmp_path / ".moat" / "bridge.json"
    bridge = subprocess.Popen(["java", "-XX:TieredStopAtLevel=1", "-cp", classpath(), "dev.moat.bridge.BridgeMain",
                               "--policy", str(tmp_path / "moat.yaml"), "--secret-file", str(secret),
                               "--path-argument", "read_file=path"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert bridge.stdout is not None and "listening on" in bridge.stdout.readline().decode()
        env = dict(os.environ, MOAT_BRIDGE_FILE=str(secret), MOAT_SAMPLE_DIR=str(tmp_path))
        run = subprocess.run([sys.executable, str(SAMPLE / "crew.py")], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=120)
    finally:
        bridge.terminate()
        bridge.wait(20)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tool://read_file/../private/credentials.txt          DENIED capability/invalid_resource" in run.stdout
    assert "tool://send_email                                    DENIED capability/not_granted" in run.stdout
    assert "emails sent: 0; credentials leaked: no" in run.stdout
    report = (tmp_path / "workspace" / "report.md").read_text()
    assert "private keys" in report and "hunter2" not in report
