#!/usr/bin/env bash
# One command for a demo: installs what is needed, builds a SQLite database with the real
# division data of 广西 and 上海 and one demo account per role, then serves the site with a
# background worker and the daily scheduler beside it (all stop on Ctrl+C).
# Usage: scripts/demo.sh            (address: http://127.0.0.1:8000/, CSO_PORT to change)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# Debug off, as in production; the demo is served over plain http on this machine, so no HTTPS
# redirect, HSTS or secure-only cookies; WhiteNoise serves the static files.
export CSO_DEBUG=${CSO_DEBUG:-0}
export CSO_HTTPS=${CSO_HTTPS:-0}
if [ -z "${CSO_SECRET_KEY:-}" ]; then
  [ -s .demo-secret-key ] || .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .demo-secret-key
  CSO_SECRET_KEY=$(cat .demo-secret-key)
  export CSO_SECRET_KEY
fi
export DATABASE_URL=${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}
PORT=${CSO_PORT:-8000}
# absolute links in text messages (account invitations)
export CSO_SITE_URL=${CSO_SITE_URL:-http://127.0.0.1:$PORT}

# WhiteNoise serves the files from the apps' folders here (CSO_STATIC_FROM_FINDERS); the folder collectstatic
# fills in production only has to exist, or it warns at every start.
mkdir -p staticfiles

echo "==> 准备数据库"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo

# The background worker (imports, large exports, national/provincial roll-ups) runs beside the web
# server and stops with it. CSO_TASKS_BACKEND=rq uses Redis (CSO_REDIS_URL) instead of the database.
echo "==> 启动后台任务进程"
if [ "${CSO_TASKS_BACKEND:-database}" = "rq" ]; then
  .venv/bin/python manage.py rqworker --job-class django_tasks_rq.Job default &
else
  .venv/bin/python manage.py db_worker --no-reload --interval 1 -v 0 &
fi
WORKER_PID=$!
# The scheduler hands the daily overdue scan to the worker at CSO_OVERDUE_SCAN_TIME (default 02:00).
.venv/bin/python manage.py run_schedule &
SCHEDULE_PID=$!
stop_worker() {
  kill "$WORKER_PID" "$SCHEDULE_PID" 2>/dev/null || true
  wait "$WORKER_PID" "$SCHEDULE_PID" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT TERM

echo
echo "==> 启动：http://127.0.0.1:${PORT}/   （按 Ctrl+C 停止）"
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}" --noreload
