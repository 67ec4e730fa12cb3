# Shared by scripts/demo and scripts/test: find the tools, create what is missing.
# Sourced, not run. Installs only into the repository (.venv, node_modules) and cargo's cache.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
# Windows (Git Bash): a venv keeps its programs in Scripts/, not bin/.
VENV_BIN="$VENV/bin"
case "$(uname -s)" in MINGW* | MSYS* | CYGWIN*) VENV_BIN="$VENV/Scripts" ;; esac
PY="$VENV_BIN/python"
# One interpreter for cargo test and maturin alike, so pyo3 is not rebuilt between them.
export VIRTUAL_ENV="$VENV"
export PYO3_PYTHON="$PY"
# A build from a clean clone gains nothing from incremental caches, which take several GiB.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "missing: $1 ($2)" >&2; exit 1; }
}

setup_tools() {
  need cargo "install Rust with rustup"
  need python3 "Python 3.10 or newer"
  need node "Node.js 20 or newer"
  need npm "ships with Node.js"
  if [ ! -x "$PY" ]; then
    say "creating the Python virtual environment in .venv"
    python3 -m venv "$VENV"
  fi
  if ! "$PY" -m pip install --disable-pip-version-check -q -r bindings-python/requirements-dev.txt; then
    echo "could not install the Python build and test tools (see bindings-python/requirements-dev.txt)" >&2
    exit 1
  fi
  if [ ! -d node_modules/@napi-rs/cli ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing node modules (from package-lock.json)"
    # Not `npm ci`: npm 11 refuses this lock file for lacking other platforms' optional
    # packages of @napi-rs/cli's helpers, while `npm install` installs exactly what it pins.
    npm install --no-audit --no-fund --loglevel=error
  fi
}

# build_python dev|release : build the extension and install it into .venv
build_python() {
  say "building the Python package ($1)"
  local flags=()
  [ "$1" = release ] && flags+=(--release)
  # The module is abi3 (_native.abi3.so); a version-tagged one left by an older build would be
  # imported before it.
  rm -f "$ROOT"/bindings-python/python/sellkit/_native.cpython-*.so
  PATH="$VENV_BIN:$PATH" "$VENV_BIN/maturin" develop --quiet "${flags[@]}"
}

# build_node dev|release : build the Node addon
build_node() {
  say "building the Node package ($1)"
  if [ "$1" = release ]; then npm run --silent build; else npm run --silent build:debug; fi
}

# need_redis : Debian's redis-server for the token-store tests and the scale run, installed
# (apt-get) when missing. Each test starts its own on a free loopback port and stops it after.
need_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    say "installing redis-server (apt-get)"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server >/dev/null
  fi
  need redis-server "apt-get install redis-server (the token-store tests and scripts/scale)"
}
