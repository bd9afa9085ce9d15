#!/usr/bin/env bash
# One command for the whole test suite: installs what is needed (Python and npm packages, and
# Debian's Chromium for the browser tests when it is missing and we may install it), runs ruff,
# the layering contract (.importlinter) and Django's deployment checks, then the suite on SQLite and
# again on PostgreSQL, then the background-task tests with Redis.
#   scripts/test.sh                 # everything
#   scripts/test.sh -k importer     # extra arguments go to pytest
# PostgreSQL: CSO_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). If it is
# not reachable the script tries to start the local cluster; in CI (CI=true) a missing
# PostgreSQL is a failure, elsewhere it is reported and skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev || exit 1

# Debian packages the tests use: Chromium for the browser tests, LibreOffice to check that an
# exported statistics table prints on one page. Installed when missing and we may install.
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> 安装 Debian 软件包（测试用）：${missing[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}") >/dev/null || echo "!! 未能安装 ${missing[*]}，相关测试将被跳过"
  else
    echo "!! 未找到 ${missing[*]}（sudo apt-get install ${missing[*]}），相关测试将被跳过"
  fi
fi

echo "==> ruff"
.venv/bin/ruff check . || exit 1
echo "==> lint-imports（分层：core → regions → accounts → 业务应用 → dashboards → demo）"
.venv/bin/lint-imports --no-cache || exit 1

echo "==> manage.py check --deploy（生产设置）"
CSO_DEBUG=0 CSO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING || exit 1

export CSO_DEBUG=0
export CSO_SECRET_KEY=test-only-secret
status=0

run_pytest() {
  local label=$1; shift
  echo "==> pytest（${label}，${CSO_TEST_WORKERS:-2} 个进程）"
  # pytest-xdist: one process per core (CSO_TEST_WORKERS, default 2); each has its own test database
  .venv/bin/python -m pytest -n "${CSO_TEST_WORKERS:-2}" "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then
    echo "!! pytest（${label}）没有收集到任何测试：视为失败"
    rc=1
  fi
  return $rc
}

unset DATABASE_URL
run_pytest "SQLite" "$@" || status=1

PG_URL=${CSO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
pg_ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_ready && command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "==> 启动本机 PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
  sleep 2
fi
if pg_ready; then
  DATABASE_URL=$PG_URL CSO_TEST_DB_NAME=${CSO_TEST_DB_NAME:-test_cso_$$} run_pytest "PostgreSQL" "$@" || status=1
elif [ "${CI:-}" = "true" ]; then
  echo "!! CI 中没有可用的 PostgreSQL：失败"
  status=1
else
  echo "!! 没有可用的 PostgreSQL（${PG_URL}），跳过 PostgreSQL 一轮"
fi

# The background-task tests again with the Redis backend (django-tasks-rq, a real RQ worker loop):
# CSO_TEST_REDIS_URL (default redis://127.0.0.1:6379/15). A local redis-server that is installed but
# stopped is started; without Redis the round is skipped with a message (in CI: a failure).
REDIS_URL=${CSO_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}
redis_ready() { .venv/bin/python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()' "$REDIS_URL" >/dev/null 2>&1; }
if ! redis_ready && command -v redis-server >/dev/null 2>&1; then
  echo "==> 启动本机 Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 >/dev/null 2>&1 || true
  sleep 1
fi
if redis_ready; then
  echo "==> pytest（后台任务，Redis 任务后端）"
  CSO_TEST_TASKS_BACKEND=rq CSO_TEST_REDIS_URL=$REDIS_URL .venv/bin/python -m pytest -m tasks "$@"
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then status=1; fi  # 5: the arguments selected no task test
elif [ "${CI:-}" = "true" ]; then
  echo "!! CI 中没有可用的 Redis（${REDIS_URL}）：失败"
  status=1
else
  echo "!! 没有可用的 Redis（${REDIS_URL}），跳过后台任务的 Redis 一轮"
fi

if [ $status -eq 0 ]; then echo "==> 全部通过"; else echo "==> 有失败"; fi
exit $status
