#!/usr/bin/env bash
# One command for a demo: installs what is needed, builds a SQLite database with the real
# division data of 广西 and 上海 and one demo account per role, then serves the site.
# Usage: scripts/demo.sh            (address: http://127.0.0.1:8000/, CSO_PORT to change)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CSO_DEBUG=${CSO_DEBUG:-1}
export DATABASE_URL=${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}
PORT=${CSO_PORT:-8000}

echo "==> 准备数据库"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo

echo
echo "==> 启动：http://127.0.0.1:${PORT}/   （按 Ctrl+C 停止）"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload
