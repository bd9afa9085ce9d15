#!/usr/bin/env bash
# Regenerates the hashed Python lockfiles from requirements/*.in (run after changing a .in file).
# uv is installed from PyPI into a throw-away virtual environment; it is not a runtime dependency.
set -euo pipefail
cd "$(dirname "$0")/../requirements"
tool=$(mktemp -d)
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool" && "$tool/bin/pip" install --quiet uv
"$tool/bin/uv" pip compile --quiet --generate-hashes --python-version 3.11 requirements.in -o requirements.lock
"$tool/bin/uv" pip compile --quiet --generate-hashes --python-version 3.11 dev.in -o dev.lock
echo "requirements/requirements.lock 和 requirements/dev.lock 已更新。"
