#!/usr/bin/env bash
# export-memory.sh measures what one export costs a fresh server in memory.
#
#   scripts/export-memory.sh -data-dir DIR -password P [-database-url URL] [-port 8092] [-path PATH]...
#
# DIR holds a database made by `kundportal seed` (see docs/PERFORMANCE.md).
# For each -path (default the Sök ärende CSV export of every case,
# /sok-arende/export.csv, which stops at 100 000 rows) the script starts
# the server afresh, logs in through the real form as kund1@seed.example,
# downloads the export once and prints the server's resident memory
# (/proc VmRSS, sampled every 20 ms) at the start, two seconds after the
# login and at its highest during the export, with the export's time and
# lines. It only reads; the server writes its sessions.
set -euo pipefail

data_dir="" password="" database_url="" port=8092 paths=()
while [ $# -gt 0 ]; do
	case "$1" in
	-data-dir) data_dir=$2; shift 2 ;;
	-password) password=$2; shift 2 ;;
	-database-url) database_url=$2; shift 2 ;;
	-port) port=$2; shift 2 ;;
	-path) paths+=("$2"); shift 2 ;;
	*) echo "usage: $0 -data-dir DIR -password P [-database-url URL] [-port 8092] [-path PATH]..." >&2; exit 2 ;;
	esac
done
if [ -z "$data_dir" ] || [ -z "$password" ]; then
	echo "export-memory.sh: -data-dir and -password are required" >&2
	exit 2
fi
[ ${#paths[@]} -gt 0 ] || paths=(/sok-arende/export.csv)
out=$(mktemp -d /tmp/export-memory.XXXXXX)
repo=$(cd "$(dirname "$0")/.." && pwd)
site="http://127.0.0.1:$port"
(cd "$repo" && go build -o "$out/kundportal" ./cmd/kundportal)

server_pid="" sampler_pid=""
cleanup() {
	for p in $sampler_pid $server_pid; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT

# rss_mb: the server's VmRSS now, in MB.
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }

for path in "${paths[@]}"; do
	KUNDPORTAL_ADDR="127.0.0.1:$port" KUNDPORTAL_DATA_DIR="$data_dir" KUNDPORTAL_DATABASE_URL="$database_url" \
		"$out/kundportal" serve >"$out/server.log" 2>&1 &
	server_pid=$!
	for ((i = 0; i < 600; i++)); do
		curl -fs -o /dev/null "$site/readyz" && break
		sleep 0.1
	done
	sleep 1
	at_start=$(rss_mb)
	jar="$out/cookies"
	rm -f "$jar"
	curl -fs -o /dev/null -c "$jar" "$site/logga-in"
	code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -H "Origin: $site" -H 'Sec-Fetch-Site: same-origin' \
		--data-urlencode email=kund1@seed.example --data-urlencode "password=$password" "$site/logga-in")
	if [ "$code" != 303 ]; then
		echo "export-memory.sh: login answered $code, want 303" >&2
		exit 1
	fi
	# The login's password hash gives its memory back a second after
	# (internal/auth's releaseAfter), as a person takes to reach the
	# search.
	sleep 2
	after_login=$(rss_mb)
	while kill -0 "$server_pid" 2>/dev/null; do
		awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true
		sleep 0.02
	done >"$out/rss.txt" &
	sampler_pid=$!
	read -r code took < <(curl -s -o "$out/export" -w '%{http_code} %{time_total}\n' -b "$jar" "$site$path")
	kill "$sampler_pid" 2>/dev/null || true
	wait "$sampler_pid" 2>/dev/null || true
	peak=$(sort -n "$out/rss.txt" | tail -1 | awk '{printf "%.0f", $1 / 1024}')
	printf '%s: HTTP %s, %d lines in %.2f s; RSS %s MB at the start, %s MB after the login, %s MB at most during the export\n' \
		"$path" "$code" "$(wc -l <"$out/export")" "$took" "$at_start" "$after_login" "$peak"
	kill "$server_pid"
	wait "$server_pid" 2>/dev/null || true
	sampler_pid="" server_pid=""
done
rm -rf "$out"
