#!/usr/bin/env bash
# load.sh measures Kundportal's hot paths under load against the raw limit.
#
#   scripts/load.sh -data-dir DIR -password P [-database-url URL] [-d 5s] [-port 8090] [-raw-port 8091] [-out DIR] [-only REGEX]
#
# DIR holds a database made by `kundportal seed` (see docs/PERFORMANCE.md).
# With -database-url the database is that PostgreSQL one instead (seeded
# with KUNDPORTAL_DATABASE_URL and -data-dir DIR, which keeps its files),
# and the raw limit reads it too.
# The script builds kundportal and cmd/rawlimit, starts both on 127.0.0.1
# (the server migrates the database first if it is older; the start is
# timed), logs in through the real login form as kund1@seed.example (the
# big customer) and disp1@seed.example (a dispatcher), and runs wrk for -d
# on every hot path at 8 and 32 connections: first the product, then, in
# the same minute, the raw limit (cmd/rawlimit: the same SQL, a page of the
# same size, no templates or sessions). It prints a table of req/s, the
# ratio to the raw limit and the product's p50/p95/p99, then the export
# (once, with curl) and 32 concurrent writers saving cases (which adds
# cases to the database: use a copy). The server's RSS is sampled from
# /proc throughout. Everything written goes to -out (default a temporary
# directory); the table also to stdout. -only runs just the measurements
# whose label matches the extended regular expression (the labels of the
# table, "Export" and "Saves"), for working on one path.
set -euo pipefail

data_dir="" password="" database_url="" duration="5s" port=8090 raw_port=8091 out="" only=""
while [ $# -gt 0 ]; do
	case "$1" in
	-data-dir) data_dir=$2; shift 2 ;;
	-password) password=$2; shift 2 ;;
	-database-url) database_url=$2; shift 2 ;;
	-d) duration=$2; shift 2 ;;
	-port) port=$2; shift 2 ;;
	-raw-port) raw_port=$2; shift 2 ;;
	-out) out=$2; shift 2 ;;
	-only) only=$2; shift 2 ;;
	*) echo "usage: $0 -data-dir DIR -password P [-database-url URL] [-d 5s] [-port 8090] [-raw-port 8091] [-out DIR] [-only REGEX]" >&2; exit 2 ;;
	esac
done
if [ -z "$data_dir" ] || [ -z "$password" ]; then
	echo "load.sh: -data-dir and -password are required" >&2
	exit 2
fi
if [ -z "$database_url" ] && [ ! -f "$data_dir/kundportal.db" ]; then
	echo "load.sh: no $data_dir/kundportal.db (make one with kundportal seed)" >&2
	exit 1
fi
command -v wrk >/dev/null || { echo "load.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v oathtool >/dev/null || { echo "load.sh: oathtool is missing (apt-get install oathtool), for the staff's two-factor code" >&2; exit 1; }
# The two-factor key kundportal seed gives its staff (internal/demo.TOTPSecret).
totp_key=${TOTP_KEY:-KUNDPORTALDEMOTVASTEGSNYCKEL2345}
out=${out:-$(mktemp -d /tmp/load.XXXXXX)}
mkdir -p "$out"
repo=$(cd "$(dirname "$0")/.." && pwd)
lua="$repo/scripts/load.lua"
site="http://127.0.0.1:$port"
raw="http://127.0.0.1:$raw_port"

echo "building into $out"
(cd "$repo" && go build -o "$out/kundportal" ./cmd/kundportal && go build -o "$out/rawlimit" ./cmd/rawlimit)

pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT

# selected LABEL: whether -only lets LABEL run.
selected() { [ -z "$only" ] || grep -Eq -- "$only" <<<"$1"; }

# calc EXPR: floating-point arithmetic.
calc() { awk "BEGIN { print $* }"; }

# wait_ready URL SECONDS: poll until URL answers 200.
wait_ready() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		if curl -fs -o /dev/null "$1"; then
			return 0
		fi
		sleep 0.1
	done
	echo "load.sh: $1 did not answer within $2 s" >&2
	return 1
}

start=$(date +%s.%N)
KUNDPORTAL_ADDR="127.0.0.1:$port" KUNDPORTAL_DATA_DIR="$data_dir" KUNDPORTAL_DATABASE_URL="$database_url" \
	"$out/kundportal" serve >"$out/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_ready "$site/readyz" 1800
startup=$(calc "$(date +%s.%N) - $start")
if [ -n "$database_url" ]; then
	raw_db=(-database-url "$database_url")
else
	raw_db=(-db "$data_dir/kundportal.db")
fi
"$out/rawlimit" "${raw_db[@]}" -addr "127.0.0.1:$raw_port" >"$out/rawlimit.log" 2>&1 &
pids+=("$!")
wait_ready "$raw/readyz" 60
printf 'server ready after %.1f s (includes any migration)\n' "$startup"

# RSS: a sampler writes the server's VmRSS (kB) every 200 ms.
rss_sampler() {
	while kill -0 "$server_pid" 2>/dev/null; do
		awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true
		sleep 0.2
	done
}
rss_sampler >"$out/rss.txt" &
pids+=("$!")
rss_mark() { wc -l <"$out/rss.txt"; }
# rss_peak_since LINE: the highest sample since rss_mark returned LINE, in MB.
rss_peak_since() { tail -n +"$(($1 + 1))" "$out/rss.txt" | sort -n | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }

# login EMAIL: sign in through the form, as a browser: fetch the page,
# post email and password with the page's origin; prints the cookie.
login() {
	local jar="$out/cookies.$1" code
	curl -fs -o /dev/null -c "$jar" "$site/logga-in"
	code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
		-H "Origin: $site" -H 'Sec-Fetch-Site: same-origin' \
		--data-urlencode "email=$1" --data-urlencode "password=$password" "$site/logga-in")
	if [ "$code" != 303 ]; then
		echo "load.sh: login of $1 answered $code, want 303" >&2
		return 1
	fi
	# Staff pass a code from the seed's two-factor key. The server takes
	# each code once: a run started within 30 s of the one before finds
	# it used (401), and waits for the next.
	if ! grep -q kp_session "$jar" && grep -q kp_login "$jar"; then
		local try
		for try in 1 2; do
			code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
				-H "Origin: $site" -H 'Sec-Fetch-Site: same-origin' \
				--data-urlencode "code=$(oathtool --totp -b "$totp_key")" "$site/logga-in/kod")
			if [ "$code" != 401 ] || [ "$try" = 2 ]; then
				break
			fi
			sleep $((30 - $(date +%s) % 30 + 1))
		done
		if [ "$code" != 303 ]; then
			echo "load.sh: the code of $1 answered $code, want 303" >&2
			return 1
		fi
	fi
	awk '$6 == "kp_session" {print "kp_session=" $7}' "$jar"
}
customer_cookie=$(login kund1@seed.example)
staff_cookie=$(login disp1@seed.example)

# Real values of the data for the filters.
eval "$(curl -fs "$raw/samples?email=kund1%40seed.example")"
year=$(date +%Y)
month=$(date -d "$(date +%Y-%m-15) -1 month" +%Y-%m)
from_day="$year-01-01"
to_day=$(date +%Y-%m-%d)
fritext=${FRITEXT:-torktumlare}
cust="kund=$CUSTOMER_ID"

# deep_cursor PATH: follows Nästa 20 times from page 1; prints the
# cursor of page 21.
deep_cursor() {
	local url="$1" i href
	for ((i = 0; i < 20; i++)); do
		href=$(curl -fs -b "$customer_cookie" "$site$url" | grep -o 'href="[^"]*efter=[^"]*"' | head -1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
		[ -n "$href" ] || { echo "load.sh: no Nästa link on $url" >&2; return 1; }
		url=$href
	done
	echo "${url##*efter=}"
}
deep=""
if selected "Sök: page 21"; then
	deep=$(deep_cursor /sok-arende)
fi

table="$out/table.md"
{
	echo "| path | conns | product req/s | raw req/s | ratio | product p50 ms | p95 ms | p99 ms | raw p95 ms | errors |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} | tee "$table"

# run_wrk CONNS URL COOKIE [MODE]: prints wrk's RESULT line's fields.
run_wrk() {
	LOAD_COOKIE="$3" LOAD_ORIGIN="$site" LOAD_MODE="${4:-get}" \
		wrk -t2 -c"$1" -d"$duration" --timeout 10s -s "$lua" "$2" >"$out/wrk.txt" 2>&1 || true
	grep '^RESULT' "$out/wrk.txt" | cut -d' ' -f2- || echo "0 0 0 0 0 1"
}

# measure LABEL PRODUCT_PATH RAW_PATH COOKIE: the product's page size
# pads the raw page; then each connection count, product then raw.
measure() {
	local label=$1 path=$2 rawpath=$3 cookie=$4 code size c p r
	selected "$label" || return 0
	read -r code size < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' -b "$cookie" "$site$path")
	if [ "$code" != 200 ]; then
		echo "load.sh: $path answered $code" >&2
		echo "| $label | – | HTTP $code | | | | | | | |" >>"$table"
		return
	fi
	case "$rawpath" in *\?*) rawpath="$rawpath&pad=$size" ;; *) rawpath="$rawpath?pad=$size" ;; esac
	for c in 8 32; do
		read -r -a p < <(run_wrk "$c" "$site$path" "$cookie")
		read -r -a r < <(run_wrk "$c" "$raw$rawpath" "")
		printf '| %s | %d | %.0f | %.0f | %.2f× | %.1f | %.1f | %.1f | %.1f | %d |\n' \
			"$label ($((size / 1024)) KB)" "$c" "${p[0]}" "${r[0]}" "$(calc "${p[0]} / (${r[0]} + 1e-9)")" \
			"${p[1]}" "${p[2]}" "${p[3]}" "${r[2]}" "${p[5]}" | tee -a "$table"
	done
}

echo
echo "customer $CUSTOMER_ID, Fakturamärkning $REF, Objekt $ASSET_NUMBER, Gata $STREET, case $CASE_ID, $duration per run"
mark=$(rss_mark)
measure "Sök ärende" "/sok-arende" "/sok?$cust" "$customer_cookie"
measure "Sök: status" "/sok-arende?status=completed" "/sok?$cust&status=completed" "$customer_cookie"
measure "Sök: two statuses" "/sok-arende?status=registered&status=planned" "/sok?$cust&status=registered&status=planned" "$customer_cookie"
measure "Sök: Fakturamärkning" "/sok-arende?fakturamarkning=$REF" "/sok?$cust&fakturamarkning=$REF" "$customer_cookie"
measure "Sök: Objekt" "/sok-arende?objekt=$ASSET_NUMBER" "/sok?$cust&objekt=$ASSET_NUMBER" "$customer_cookie"
measure "Sök: Gata" "/sok-arende?gata=$STREET" "/sok?$cust&gata=$STREET" "$customer_cookie"
measure "Sök: dates" "/sok-arende?fran=$from_day&till=$to_day" "/sok?$cust&fran=$from_day&till=$to_day" "$customer_cookie"
measure "Sök: Fritext" "/sok-arende?q=$fritext" "/sok?$cust&q=$fritext" "$customer_cookie"
measure "Sök: page 21" "/sok-arende?efter=$deep" "/sok?$cust&efter=$deep" "$customer_cookie"
measure "Case page" "/arenden/$CASE_ID" "/arende?$cust&id=$CASE_ID" "$customer_cookie"
measure "Machine page" "/objekt/$ASSET_ID" "/objekt?$cust&id=$ASSET_ID" "$customer_cookie"
measure "Dashboard" "/dashboard" "/dashboard?$cust&dim=m&from=$year-01&to=$year-12~" "$customer_cookie"
measure "Dashboard: Ort" "/dashboard?grupp=plats" "/dashboard?$cust&dim=city_y&period=$year" "$customer_cookie"
measure "Dashboard: a month" "/dashboard?period=$month" "/dashboard?$cust&dim=d&from=$month-01&to=$month-31~" "$customer_cookie"
spec_raw="/faktura?$cust&from=$month-01&to=$(date -d "$month-01 +1 month" +%Y-%m-%d)"
# A month of the big customer is shown by Fakturamärkning, from the
# Dashboard's rollup; one Fakturamärkning's first page reads its first
# 50 cases' lines.
measure "Fakturaspecifikation" "/fakturaspecifikation?period=$month" "/dashboard?$cust&dim=ref_m&period=$month" "$customer_cookie"
measure "Fakturaspecifikation: one Fakturamärkning" "/fakturaspecifikation?period=$month&fakturamarkning=$REF" "$spec_raw&ref=$REF" "$customer_cookie"
measure "Staff: Sök ärenden" "/order/arenden" "/sok" "$staff_cookie"
measure "Staff: intake" "/order" "/order" "$staff_cookie"
measure "Staff: case page" "/order/arenden/$CASE_ID" "/arende?id=$CASE_ID" "$staff_cookie"
read_peak=$(rss_peak_since "$mark")

# The export: one request of the newest ~10 000 cases, timed, with the
# server's peak RSS meanwhile; the raw limit reads and writes the same
# rows as text.
echo
if selected Export; then
	export_q="fran=$EXPORT_FROM"
	mark=$(rss_mark)
	read -r code export_time export_size < <(curl -s -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' \
		-b "$customer_cookie" "$site/sok-arende/export.csv?$export_q")
	sleep 0.5
	export_peak=$(rss_peak_since "$mark")
	read -r raw_export_time raw_export_size < <(curl -s -o /dev/null -w '%{time_total} %{size_download}\n' \
		"$raw/sok?$cust&$export_q&limit=10000")
	rows=$(curl -s -b "$customer_cookie" "$site/sok-arende/export.csv?$export_q" | wc -l)
	printf 'Export CSV from %s: HTTP %s, %d lines, %d KB in %.2f s (raw limit: same rows %.2f s, %.2f×); server peak RSS %s MB\n' \
		"$EXPORT_FROM" "$code" "$rows" "$((export_size / 1024))" "$export_time" "$raw_export_time" \
		"$(calc "$raw_export_time / $export_time")" "$export_peak" | tee "$out/export.txt"
fi

# Saving a case: 32 writers posting the Nytt ärende form, each post with
# a fresh one-time id. A save answers 303.
if selected Saves; then
	code=$(curl -s -o /dev/null -w '%{http_code}' -b "$customer_cookie" -H "Origin: $site" -H 'Sec-Fetch-Site: same-origin' \
		--data-urlencode "title=Lidköping" --data-urlencode "description=Provsparning före lasttestet." \
		--data-urlencode "street=Storgatan 12" --data-urlencode "reporter_name=Last Testsson" \
		--data-urlencode "reporter_phone=070-123 45 67" --data-urlencode "postal_code=531 30" \
		--data-urlencode "city=Lidköping" --data-urlencode "action=spara" "$site/nytt-arende")
	if [ "$code" != 303 ]; then
		echo "load.sh: a test save answered $code, want 303" >&2
		exit 1
fi
mark=$(rss_mark)
read -r -a p < <(run_wrk 32 "$site/nytt-arende" "$customer_cookie" newcase)
save_peak=$(rss_peak_since "$mark")
printf 'Saves, 32 writers: %.0f saves/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, %d saved, %d refused or failed; server peak RSS %s MB\n' \
	"${p[0]}" "${p[1]}" "${p[2]}" "${p[3]}" "$((p[4] - p[5]))" "${p[5]}" "$save_peak" | tee "$out/saves.txt"
fi

printf 'Server RSS: peak %s MB during the reads; VmHWM at the end %s\n' "$read_peak" \
	"$(awk '/^VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$server_pid/status")" | tee "$out/rss-summary.txt"
printf 'Startup %.1f s. Results in %s\n' "$startup" "$out"
