#!/bin/sh
# 10-directline-app-role.sh -- run once by the postgres image (compose.yaml) when it
# initialises an empty volume: the role the directline server connects as. It owns
# nothing and is no superuser, so row-level security holds it; `directline migrate`,
# run as the owner (POSTGRES_USER), grants it what the server needs.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$DIRECTLINE_APP_PASSWORD" <<'SQL'
CREATE ROLE directline_app LOGIN PASSWORD :'app_password';
SQL
