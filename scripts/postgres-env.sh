#!/usr/bin/env bash
# Sourced by the test command: makes sure the machine's PostgreSQL answers
# (starting it the way the machine's notes say when it is down) and points
# Backstage's TestDatabases at it. Fails loudly: a PostgreSQL test that is
# silently skipped is worse than a red build.
PG_URL="${GITOPS_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
pg_answers() { psql "$PG_URL/postgres" -Atqc 'SELECT 1' >/dev/null 2>&1; }
if ! pg_answers; then
  echo "[postgres] not answering at $PG_URL, starting the local cluster" >&2
  for v in $(ls /etc/postgresql 2>/dev/null); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 || true
  done
  for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
fi
if ! pg_answers; then
  echo "[postgres] FATAL: PostgreSQL does not answer at $PG_URL" >&2
  exit 1
fi
PG_MAJOR="$(psql "$PG_URL/postgres" -Atqc 'SHOW server_version_num' | cut -c1-2)"
export "BACKSTAGE_TEST_DATABASE_POSTGRES${PG_MAJOR}_CONNECTION_STRING=$PG_URL"
export GITOPS_TEST_POSTGRES_ID="POSTGRES_${PG_MAJOR}"
echo "[postgres] PostgreSQL ${PG_MAJOR} at $PG_URL" >&2
