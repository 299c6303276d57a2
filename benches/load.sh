#!/usr/bin/env bash
# Load test of the citizen side (issue 3): release build, SQLite, wrk on loopback at 32
# connections. Measures the bare actix-web "hello" ceiling in the same run, then the form GET,
# the rating POST (at one desk, and spread over every desk) and the report POST. Rate limits are raised in this run's configuration; form
# tokens are fetched before the run. Usage: benches/load.sh [SECONDS] [CONNECTIONS]
# CASES="a b" runs only the named cases (hello form-get rating-post rating-many report-post).
# PG_URL=postgres://USER@HOST:PORT/DB runs it on PostgreSQL instead: a fresh database is created
# on that server for the run and dropped afterwards (needs psql).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNS=${2:-32}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

# BIN=path/to/other/hailong measures another build (a baseline) with this same script.
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=target/release/hailong
fi
cargo build --release --quiet --bench hello 2>/dev/null || true
HELLO=$(ls -t target/release/deps/hello-* 2>/dev/null | grep -v '\.d$' | head -1)

WORK=$(mktemp -d)
DB_URL=""
if [ -n "${PG_URL:-}" ]; then
    command -v psql >/dev/null || { echo "psql is not installed"; exit 1; }
    LOAD_DB="hailong_load_$$"
    psql -q "$PG_URL" -c "CREATE DATABASE $LOAD_DB" >/dev/null
    DB_URL="${PG_URL%/*}/$LOAD_DB"
fi
cleanup() {
    kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"
    if [ -n "$DB_URL" ]; then psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $LOAD_DB" >/dev/null; fi
}
trap cleanup EXIT
# One number from the run's database.
count() {
    if [ -n "$DB_URL" ]; then psql -tA "$DB_URL" -c "$1"; else sqlite3 "$WORK/data/hailong.db" "$1" 2>/dev/null || echo "?"; fi
}
cat > "$WORK/hailong.toml" <<TOML
data_dir = "$WORK/data"
listen = "127.0.0.1:18088"
workers = $WORKERS
log = "warn"
[database]
url = "${DB_URL}"
# SYNCHRONOUS=full measures commits that wait for the disk (see hailong.example.toml).
sqlite_synchronous = "${SYNCHRONOUS:-normal}"
[jobs]
# The outbox is filled as part of each report (that is measured); sending it is measured on its
# own by benches/scheduler.rs. Set BACKGROUND=true to run the worker during the load as well.
background = ${BACKGROUND:-false}
[citizen]
ip_per_minute = 100000000
desk_per_minute = 100000000
track_per_minute = 100000000
TOML
export HAILONG_CONFIG="$WORK/hailong.toml"
$BIN org import examples/tuyphuoc.toml >/dev/null
$BIN serve >"$WORK/serve.log" 2>&1 &
HELLO_LISTEN=127.0.0.1:18099 HELLO_WORKERS=$WORKERS "$HELLO" >/dev/null 2>&1 &
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:18088/readyz >/dev/null && curl -fs http://127.0.0.1:18099/ >/dev/null && break; sleep 0.2; done

TOKEN=$(count "SELECT token FROM desks WHERE code = 'MC-PHUOCHUNG'" || true)
if [ -z "$TOKEN" ] || [ "$TOKEN" = "?" ]; then TOKEN=$($BIN qr MC-PHUOCHUNG -o "$WORK/q.png" | sed -n 's#.*/q/\([A-Z0-9]*\)).*#\1#p'); fi
FORM_TOKEN=$(curl -fs "http://127.0.0.1:18088/q/$TOKEN" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')

# Every desk's token and form token, for the rating POST spread over many desks.
DESKS=$(count "SELECT token FROM desks WHERE active" | tr '\n' ' ')
PAIRS=""
for t in $DESKS; do
    f=$(curl -fs "http://127.0.0.1:18088/q/$t" | sed -n 's/.*name="form_token" value="\([^"]*\)".*/\1/p')
    [ -n "$f" ] && PAIRS="$PAIRS{\"/q/$t\",\"$f\"},"
done
cat > "$WORK/rating_many.lua" <<LUA
local desks = { $PAIRS }
request = function()
    local d = desks[math.random(#desks)]
    local body = "form_token=" .. d[2] .. "&lang=vi&overall=3&q_on_time=on_time&q_returns=0&q_other_offices=none&q_behaviour=greet&q_behaviour=smile"
    return wrk.format("POST", d[1], { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
LUA
cat > "$WORK/rating.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "form_token=$FORM_TOKEN&lang=vi&overall=3&q_on_time=on_time&q_returns=0&q_other_offices=none&q_behaviour=greet&q_behaviour=smile"
LUA
cat > "$WORK/report.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "form_token=$FORM_TOKEN&lang=vi&overall=1&report_category=harassment&report_description=C%C3%A1n+b%E1%BB%99+qu%C3%A1t+th%C3%A1o%2C+h%E1%BA%B9n+l%E1%BA%A1i+nhi%E1%BB%81u+l%E1%BA%A7n.&report_date=&report_time="
LUA

run() { # name url [script]
    local name=$1 url=$2 script=${3:-}
    local out
    # CASES="rating-post rating-many" runs only those cases.
    if [ -n "${CASES:-}" ] && [[ " $CASES " != *" $name "* ]]; then return; fi
    if [ -n "$script" ]; then
        out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$script" "$url")
    else
        out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$url")
    fi
    local rps p50 p99 non2xx
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx/ {print $5}')
    printf '%-14s %12s req/s   p50 %8s   p99 %8s   non-2xx/3xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "hailong load test: ${DURATION}s per case, $CONNS connections, $THREADS wrk threads, $WORKERS server workers, $(nproc) cores, background jobs ${BACKGROUND:-false}, database ${DB_URL:-SQLite (sqlite_synchronous ${SYNCHRONOUS:-normal})}"
run hello "http://127.0.0.1:18099/"
run form-get "http://127.0.0.1:18088/q/$TOKEN"
before=$(count "SELECT COUNT(*) FROM ratings")
run rating-post "http://127.0.0.1:18088/q/$TOKEN" "$WORK/rating.lua"
run rating-many "http://127.0.0.1:18088/" "$WORK/rating_many.lua"
run report-post "http://127.0.0.1:18088/q/$TOKEN" "$WORK/report.lua"
echo "stored: $(count "SELECT COUNT(*) FROM ratings") ratings (from $before), $(count "SELECT COUNT(*) FROM cases") cases, $(count "SELECT COUNT(*) FROM outbox") emails queued"
