#!/usr/bin/env bash
# Install (with apt, when missing) and start the local PostgreSQL and Redis that the production-stack
# tests and the benchmark use. Idempotent; prints nothing but errors.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 0.5
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='archwise'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE archwise LOGIN CREATEDB PASSWORD 'archwise'\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='archwise'\"" | grep -q 1 ||
  su postgres -c "createdb -O archwise archwise"

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --maxmemory 256mb --maxmemory-policy allkeys-lru --daemonize yes >/dev/null
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
