"""Render the guides (docs/guides/*.md) into the documentation site and write its index page.

    python scripts/docs_site.py OUT_DIR

Called by scripts/docs after the API references are in OUT_DIR/{python,node,rust}. Every
Markdown file in docs/guides/ becomes OUT_DIR/guides/<name>.html, listed on OUT_DIR/index.html
under its first heading. A line that is only a link to a file under examples/ followed by
`<!-- include -->` is replaced by that file's text as a code block, so the code a guide shows is
the code the test command runs. A missing file, a guide without a heading or a link to a page
that does not exist fails the build.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from typing import List, Tuple

import markdown
from pygments.formatters import HtmlFormatter

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "docs" / "guides"
REPOSITORY = "https://github.com/sellkit/sellkit"

INCLUDE = re.compile(r"^\[`?(?P<label>[^\]`]+)`?\]\((?P<target>[^)]+)\)\s*<!--\s*include\s*-->\s*$")
LANGUAGES = {".py": "python", ".mjs": "javascript", ".js": "javascript", ".ts": "typescript",
             ".rs": "rust", ".toml": "toml", ".json": "json", ".sh": "bash", ".yml": "yaml"}

STYLE = """
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
nav.top { background: #1d2330; padding: .6rem 1.25rem; }
nav.top a { color: #fff; margin-right: 1.2rem; text-decoration: none; font-weight: 600; }
a { color: #1559b3; }
code, pre { font: 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f5f6f8; padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; }
:not(pre) > code { background: #f0f1f4; padding: .1em .3em; border-radius: 4px; }
.included { font-size: 13px; color: #5b6475; margin: 1rem 0 -.6rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #d8dbe2; padding: .3rem .6rem; }
ul.cards { list-style: none; padding: 0; } ul.cards li { margin: .7rem 0; }
"""


def page(title: str, body: str, depth: int) -> str:
    up = "../" * depth
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · sellkit</title>
<link rel="stylesheet" href="{up}site.css"></head>
<body><nav class="top"><a href="{up}index.html">sellkit</a><a href="{up}python/sellkit.html">Python</a><a href="{up}node/index.html">Node</a><a href="{up}rust/sellkit/index.html">Rust</a></nav>
<main>
{body}
</main></body></html>
"""


def expand_includes(text: str, source: Path) -> Tuple[str, List[Path]]:
    """Replace each include line by a code block of the file it links to."""
    out: List[str] = []
    included: List[Path] = []
    for line in text.splitlines():
        m = INCLUDE.match(line.strip())
        if not m:
            out.append(line)
            continue
        target = (source.parent / m["target"]).resolve()
        if ROOT / "examples" not in target.parents or not target.is_file():
            raise SystemExit(f"{source.relative_to(ROOT)}: include {m['target']!r} is not a file under examples/")
        included.append(target)
        rel = target.relative_to(ROOT).as_posix()
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", target.read_text())), default=0))
        out += ["", f'<p class="included">{html.escape(rel)}</p>', "",
                fence + LANGUAGES.get(target.suffix, ""), target.read_text().rstrip("\n"), fence, ""]
    return "\n".join(out), included


def site_link(guide: Path, href: str) -> str:
    """A relative link of a guide, as the site serves it: another guide's page, or the file on
    the forge (the site holds the guides and the references, not the repository)."""
    target = (guide.parent / href).resolve()
    if not target.exists() or ROOT not in target.parents:
        raise SystemExit(f"{guide.relative_to(ROOT)}: link to {href!r}, which the repository does not have")
    if target.parent == GUIDES and target.suffix == ".md":
        return f"{target.stem}.html"
    return f"{REPOSITORY}/blob/main/{target.relative_to(ROOT).as_posix()}"


# A fenced code block (three or more backticks, closed by the same run): code, not links.
FENCED = re.compile(r"^(`{3,})[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)


def relink(text: str, guide: Path) -> str:
    """The guide's relative links as the site serves them, outside its code blocks."""
    def prose(part: str) -> str:
        return re.sub(r"\]\(([^)\s:#]+)(#[^)]*)?\)", lambda m: f"]({site_link(guide, m[1])}{m[2] or ''})", part)
    out, at = [], 0
    for block in FENCED.finditer(text):
        out += [prose(text[at:block.start()]), block[0]]
        at = block.end()
    return "".join(out + [prose(text[at:])])


def link_check(rendered: str, at: Path, out_dir: Path, name: str) -> None:
    for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', rendered):
        if not (at.parent / href).resolve().exists():
            raise SystemExit(f"{name}: link to {href!r}, which the site does not have")


def main(out_dir: Path) -> int:
    guides = sorted(GUIDES.glob("*.md"))
    if not guides:
        raise SystemExit(f"no guides in {GUIDES}")
    (out_dir / "guides").mkdir(parents=True, exist_ok=True)
    (out_dir / "site.css").write_text(STYLE + HtmlFormatter(style="default").get_style_defs(".codehilite"))
    # Links between guides and into the repository are written for reading on the forge; on the
    # site a guide links to the rendered guide and to the reference pages instead.
    entries = []
    for guide in guides:
        text = guide.read_text()
        heading = re.search(r"^# (.+)$", text, re.M)
        if not heading:
            raise SystemExit(f"{guide.relative_to(ROOT)}: no '# ' heading")
        title = heading[1].strip()
        text, included = expand_includes(text, guide)
        text = relink(text, guide)
        body = markdown.markdown(text, extensions=["fenced_code", "codehilite", "tables", "toc"],
                                 extension_configs={"codehilite": {"guess_lang": False}})
        target = out_dir / "guides" / f"{guide.stem}.html"
        rendered = page(title, body, depth=1)
        target.write_text(rendered)
        entries.append((guide, target, title, rendered, len(included)))
    items = "\n".join(
        f'<li><a href="guides/{target.name}">{html.escape(title)}</a></li>' for _g, target, title, _r, _n in entries
    )
    body = f"""<h1>sellkit</h1>
<p>One Rust core for the Adobe Commerce Marketplace EQP API and the Marktplaats / 2dehands /
2ememain API, as Python and Node packages and a Rust crate, with a simulator of both APIs.</p>
<h2>Guides</h2>
<ul class="cards">
{items}
</ul>
<h2>API reference</h2>
<ul class="cards">
<li><a href="python/sellkit.html">Python</a>: the <code>sellkit</code> package (docstrings and type stubs)</li>
<li><a href="node/index.html">Node</a>: the <code>sellkit</code> npm package (TypeScript declarations)</li>
<li><a href="rust/sellkit/index.html">Rust</a>: the crates <code>sellkit</code> and
<a href="rust/sellkit_simulator/index.html"><code>sellkit_simulator</code></a></li>
</ul>
"""
    index = out_dir / "index.html"
    rendered_index = page("Documentation", body, depth=0)
    index.write_text(rendered_index)
    link_check(rendered_index, index, out_dir, "index.html")
    for guide, target, _title, rendered, _n in entries:
        link_check(rendered, target, out_dir, guide.name)
    blocks = sum(n for *_rest, n in entries)
    print(f"docs: {len(entries)} guides rendered ({blocks} example files included), index and references linked")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sys.exit(main(Path(sys.argv[1]).resolve()))
