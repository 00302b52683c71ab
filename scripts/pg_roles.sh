#!/usr/bin/env bash
# Create HRGuard's two PostgreSQL roles and its database (idempotent). Run as a PostgreSQL superuser.
#
#   scripts/pg_roles.sh [DATABASE] [OWNER_ROLE] [APP_ROLE]      defaults: hrguard hrguard_owner hrguard_app
#
# OWNER_ROLE owns the database, the schema's tables and the evidence triggers: run `hrguard migrate` as it.
# APP_ROLE is what the web and worker processes connect as: SELECT/INSERT/UPDATE/DELETE on the tables the
# owner creates (default privileges), except the evidence tables, on which every migrate leaves it only
# SELECT and INSERT (hrguard/evidence/roles.py). It owns nothing, so it cannot disable a trigger.
# Connection options for psql come from the usual PGHOST / PGPORT / PGUSER variables.
set -euo pipefail
DB=${1:-hrguard}
OWNER=${2:-hrguard_owner}
APP=${3:-hrguard_app}
PSQL=(psql -v ON_ERROR_STOP=1 -q -X)

"${PSQL[@]}" -d postgres -v owner="$OWNER" -v app="$APP" -v db="$DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB NOSUPERUSER NOCREATEROLE', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'app')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'app') \gexec
SQL

"${PSQL[@]}" -d "$DB" -v owner="$OWNER" -v app="$APP" <<'SQL'
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', :'owner', :'app') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', :'owner', :'app') \gexec
-- functions the owner creates (the SECURITY DEFINER ones that manage the risk partitions): the app role may
-- call them, other roles not (PostgreSQL's default grants EXECUTE to PUBLIC)
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC', :'owner') \gexec
SELECT format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I', :'owner', :'app') \gexec
-- tables that exist already (a database migrated before this script ran)
SELECT format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', :'app') \gexec
SELECT format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', :'app') \gexec
SELECT format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', p.oid::regprocedure)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.proname LIKE 'hrguard\_risk\_%' \gexec
SELECT format('GRANT EXECUTE ON FUNCTION %s TO %I', p.oid::regprocedure, :'app')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.proname LIKE 'hrguard\_risk\_%' \gexec
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', c.relname, :'app')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relname IN ('evidence_evidenceevent', 'evidence_checkpoint') \gexec
SQL
echo "roles $OWNER (owner, migrations) and $APP (application) ready on database $DB"
