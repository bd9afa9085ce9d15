#!/usr/bin/env bash
# Installs everything cso needs into this checkout: a Python virtual environment from the hashed
# lockfiles and the front-end assets from package-lock.json. Safe to run again (it only installs
# what changed). Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PYTHON=$candidate
      break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "需要 Python 3.11 或更高版本（python3.11）。" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> 创建 Python 虚拟环境 .venv（$($PYTHON --version)）"
  "$PYTHON" -m venv .venv
fi

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }
locks=(requirements/requirements.lock)
if [ "${1:-}" = "--dev" ]; then locks+=(requirements/dev.lock); fi
want=$(stamp_of "${locks[@]}")
if [ "$(cat .venv/.installed 2>/dev/null || true)" != "$want" ]; then
  echo "==> 安装 Python 依赖（${locks[*]}）"
  args=()
  for lock in "${locks[@]}"; do args+=(-r "$lock"); done
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes "${args[@]}"
  echo "$want" > .venv/.installed
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "需要 Node.js 与 npm 来安装前端资源（Bootstrap、ECharts、htmx）。" >&2
  exit 1
fi
want=$(stamp_of package-lock.json)
if [ ! -d node_modules ] || [ "$(cat node_modules/.installed 2>/dev/null || true)" != "$want" ]; then
  echo "==> 安装前端资源（npm ci）"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.installed
fi
