"""The example in examples/python runs and says what it did."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "examples" / "python" / "demo.py"


def test_demo_runs() -> None:
    proc = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for word in ("signed in   as MAG123456789", "summary has 9", "saved as draft", "field 'action'", "async"):
        assert word in proc.stdout, proc.stdout
