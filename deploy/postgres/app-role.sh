#!/usr/bin/env bash
# Run by the postgres image once, when it creates the database on an empty volume
# (docker-compose.yml mounts it into /docker-entrypoint-initdb.d): the role the web,
# worker and beat connect as. It owns nothing and may create nothing; the migrate
# service's `manage.py grant_app_role countylines_app` gives it its privileges, which
# on the audit log are SELECT and INSERT only.
set -euo pipefail
psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}" <<'SQL'
CREATE ROLE countylines_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
