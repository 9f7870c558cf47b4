#!/bin/sh
# Run once, when the primary's data directory is created (docker-entrypoint-initdb.d): the
# optional replica (`docker compose --profile replica up`) streams from here.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
