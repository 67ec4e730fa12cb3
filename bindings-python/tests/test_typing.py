"""The shipped types: a typed example passes `mypy --strict`, misuse fails it, and the native
module matches its stub (`mypy.stubtest`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run(*args: str, cwd: Path = HERE.parent.parent) -> subprocess.CompletedProcess[str]:
    # No mypy cache: every run checks from scratch and the tree stays clean.
    env = dict(os.environ, MYPY_CACHE_DIR=os.devnull)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )


def test_typed_example_passes_mypy_strict() -> None:
    proc = run("-m", "mypy", "--strict", str(HERE / "typing" / "example.py"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_package_passes_mypy_strict() -> None:
    proc = run("-m", "mypy", "--strict", "-p", "sellkit")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_misuse_is_reported_by_mypy() -> None:
    path = HERE / "typing" / "misuse.py"
    proc = run("-m", "mypy", "--strict", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    expected = [n for n, line in enumerate(path.read_text().splitlines(), 1) if "# E:" in line]
    reported = {int(line.split(":")[1]) for line in proc.stdout.splitlines() if line.split(":")[0].endswith("misuse.py") and ": error:" in line}
    missing = [n for n in expected if n not in reported]
    assert not missing, f"mypy accepted lines {missing}:\n{proc.stdout}"


def pyright(*paths: Path) -> subprocess.CompletedProcess[str]:
    # pyright (the checker behind most editors), in its default mode; from the root
    # package.json's devDependencies.
    root = HERE.parent.parent
    binary = root / "node_modules" / ".bin" / "pyright"
    assert binary.exists(), "run `npm install` (scripts/env.sh setup_tools does)"
    return subprocess.run(
        [str(binary), "--pythonpath", sys.executable, *map(str, paths)], capture_output=True, text=True, timeout=300, cwd=root
    )


def test_typed_example_passes_pyright() -> None:
    # Typical code reading the common fields (a profile's mage_id, a package's submission_id, a
    # batch item's data, an ad's title, a user's id) passes pyright's default checks.
    proc = pyright(HERE / "typing" / "example.py")
    assert proc.returncode == 0 and "0 errors" in proc.stdout, proc.stdout + proc.stderr


def test_misuse_is_reported_by_pyright() -> None:
    path = HERE / "typing" / "misuse.py"
    proc = pyright(path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = path.read_text().splitlines()
    expected = [n for n, line in enumerate(lines, 1) if "# E:" in line or "# P:" in line]
    reported = {int(part.split(":")[1]) for part in proc.stdout.split() if part.startswith(str(path) + ":")}
    missing = [n for n in expected if n not in reported]
    assert not missing, f"pyright accepted lines {missing}:\n{proc.stdout}"


def test_the_package_passes_pyright() -> None:
    # pyright (the checker behind most editors) reads the generated modules too; from the root
    # package.json's devDependencies.
    root = HERE.parent.parent
    pyright = root / "node_modules" / ".bin" / "pyright"
    assert pyright.exists(), "run `npm install` (scripts/env.sh setup_tools does)"
    proc = subprocess.run(
        [str(pyright), "--pythonpath", sys.executable, str(root / "bindings-python" / "python" / "sellkit")],
        capture_output=True, text=True, timeout=300, cwd=root,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors" in proc.stdout, proc.stdout


def test_the_native_module_matches_its_stub(tmp_path: Path) -> None:
    # stubtest keeps a mypy cache in its working directory whatever it is told; give it a scratch one.
    proc = run("-m", "mypy.stubtest", "sellkit", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_example_runs() -> None:
    proc = run(str(HERE / "typing" / "example.py"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.split()[:2] == ["Agent", "Smith"]
