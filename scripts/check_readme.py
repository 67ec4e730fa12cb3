"""Type-check the README's code blocks, so that the first thing a user copies compiles.

Every ```python block is checked by pyright (default mode, as editors run it) and by
`mypy --strict`; every ```js / ```ts block by `tsc --strict --exactOptionalPropertyTypes` as an
ES module (.mts). The ```rust blocks are compiled by rustdoc as doctests of `sellkit`
(core/src/lib.rs includes the README), not here.

A block may need names a reader does not (`pdf_bytes`, `packages`): an HTML comment right before
the block holds that hidden setup code, prepended when checking and invisible on a rendered page:

    <!-- setup
    pdf_bytes = b"%PDF"
    -->
    ```python
    ...

Run from the repository root (scripts/test does): `python scripts/check_readme.py`. Prints
`readme: N blocks passed` and exits non-zero naming the block (README line) that failed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# Inside the repository: `import ... from 'sellkit'` resolves to the package itself, and
# node_modules/@types/node is found above.
WORK = ROOT / "target" / "readme-check"

FENCE = re.compile(r"^```(\w*)\s*$")
SETUP = re.compile(r"<!--\s*setup\s*\n(.*?)-->\s*$", re.S)


@dataclass
class Block:
    lang: str
    line: int  # of the opening fence, 1-based
    code: str
    setup: str


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start = i
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        before = "\n".join(lines[:start])
        # The last setup comment before the block, when nothing but blank lines separate them.
        setup = SETUP.match(before, before.rfind("<!-- setup")) if "<!-- setup" in before else None
        hidden = setup.group(1) if setup else ""
        out.append(Block(m.group(1), start + 1, "\n".join(lines[start + 1 : j]) + "\n", hidden))
        i = j + 1
    return out


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MYPY_CACHE_DIR=os.devnull)
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def main() -> int:
    found = blocks(README.read_text(encoding="utf-8"))
    python = [b for b in found if b.lang == "python"]
    script = [b for b in found if b.lang in ("js", "ts", "javascript", "typescript")]
    if not python or not script:
        print("readme: no Python or no JS/TS block found", file=sys.stderr)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    names: dict[str, Block] = {}

    py_files = []
    for b in python:
        path = WORK / f"readme_line_{b.line}.py"
        # Blocks stand alone: each is its own module, setup first.
        path.write_text(f"# README.md line {b.line}\n{b.setup}{b.code}", encoding="utf-8")
        py_files.append(str(path))
        names[path.name] = b
    ts_files = []
    for b in script:
        path = WORK / f"readme_line_{b.line}.mts"
        # `export {}` keeps each file a module, so that blocks do not share names.
        path.write_text(f"// README.md line {b.line}\nexport {{}};\n{b.setup}{b.code}", encoding="utf-8")
        ts_files.append(str(path))
        names[path.name] = b

    failed = False
    pyright = ROOT / "node_modules" / ".bin" / "pyright"
    checks = [
        ("pyright", [str(pyright), "--pythonpath", sys.executable, *py_files]),
        ("mypy --strict", [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *py_files]),
        (
            "tsc --strict",
            [
                "node", str(ROOT / "node_modules" / "typescript" / "bin" / "tsc"), "--noEmit", "--strict",
                "--exactOptionalPropertyTypes", "--target", "es2022", "--module", "nodenext",
                "--moduleResolution", "nodenext", "--types", "node", "--skipLibCheck", "false", *ts_files,
            ],
        ),
    ]
    for name, args in checks:
        proc = run(args)
        if proc.returncode != 0:
            failed = True
            print(f"readme: {name} refused README blocks:\n{proc.stdout}{proc.stderr}", file=sys.stderr)
    if failed:
        return 1
    print(f"readme: {len(python) + len(script)} blocks passed ({len(python)} Python: pyright, mypy --strict; "
          f"{len(script)} JS/TS: tsc --strict)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
