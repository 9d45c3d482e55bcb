# Shared by the benchmarks: a bench database, bucket and server, login, RSS sampling, imports.
# Source after scripts/lib/common.sh; set WORK, PORT_BENCH (and optionally BENCH_JAVA_OPTS) first.

BENCH_DB="${BENCH_DB:-sluice_bench}"     # another name lets two benchmarks run side by side
bench_setup() { # services, keys, a fresh $BENCH_DB database and bucket, a built jar
  ensure_services
  ensure_jwt_keys
  command -v python3 >/dev/null || apt_install python3
  export DB_NAME="$BENCH_DB" S3_BUCKET="${BENCH_DB//_/-}"
  pg_admin -c "drop database if exists $BENCH_DB with (force)" >/dev/null
  pg_admin -c "create database $BENCH_DB owner \"$DB_USER\"" >/dev/null
  ensure_bucket "$S3_BUCKET"
  jar="$ROOT/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -type f -print -quit)" ]; then
    log "Building"; mvnw package -DskipTests -q >&2
  fi
}

aot_jar_build() { # the aot-jar packaging in target/aot (AOT_JAR): all classes on the JDK's own class path, which the
                  # JDK's AOT cache can hold (Quarkus's fast-jar class loader is one it can't); also runs without a cache
  AOT_JAR="$ROOT/target/aot/quarkus-run.jar"
  if [ ! -f "$AOT_JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$AOT_JAR" -type f -print -quit)" ]; then
    log "Building the aot-jar packaging"
    mvnw package -DskipTests -q -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot >&2
  fi
}

gen() { # rows file [extra args]
  local rows="$1" file="$2"; shift 2
  [ -s "$file" ] || { log "Generating $rows rows → $file"; python3 "$GEN" --rows "$rows" "$@" > "$file"; }
}

s3_put() { # file key
  curl -sf --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$1" "$S3_ENDPOINT/$S3_BUCKET/$2" -o /dev/null
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

start_server() { # starts Sluice on $PORT_BENCH (SERVER=pid), waits until ready, logs in (TOKEN)
  LOGF="$WORK/server.log"
  # A private copy of the app: a rebuild of target/ while this server runs must not change its jars
  # under it (a Quarkus JVM whose jars change wedges an event loop in the class loader).
  local app="$WORK/app-$PORT_BENCH"
  rm -rf "$app"; cp -r "$(dirname "$jar")" "$app"
  log "Starting Sluice on :$PORT_BENCH (log: $LOGF)"
  PORT=$PORT_BENCH S3_CREATE_BUCKET=true APP_ADMIN_EMAIL=bench@sluice.local APP_ADMIN_PASSWORD=bench-password \
    REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/${BENCH_REDIS_DB:-14}" "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-${JAVA_OPTS:-}} -jar "$app/quarkus-run.jar" > "$LOGF" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT_BENCH/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "localhost:$PORT_BENCH/q/health/ready" >/dev/null || die "server did not start; see $LOGF"
  # Ready, but is it ours? Another instance left on the port would answer too.
  kill -0 $SERVER 2>/dev/null || die "the server exited (port $PORT_BENCH taken?); see $LOGF"
  TOKEN=$(curl -sf -X POST "localhost:$PORT_BENCH/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@sluice.local","password":"bench-password"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
}

PEAK_FILE="${WORK:-/tmp}/peak-rss"
sample_rss() { # samples the server's RSS (kB) every 100 ms into $PEAK_FILE while it runs
  echo 0 > "$PEAK_FILE"
  ( peak=0; while kill -0 $SERVER 2>/dev/null; do
      r=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status 2>/dev/null || echo 0)
      [ "${r:-0}" -gt "$peak" ] && { peak=$r; echo $peak > "$PEAK_FILE"; }
      sleep 0.1; done ) &
  SAMPLER=$!
}
rss_now() { awk '/VmRSS/ {print $2}' /proc/$SERVER/status; }

await_job() { # id → prints the job's JSON once it has completed; dies if it failed or was cancelled
  local job status
  while :; do
    job=$(curl -sf "localhost:$PORT_BENCH/api/imports/$1" -H "Authorization: Bearer $TOKEN")
    status=$(echo "$job" | sed -E 's/.*"status":"([a-z]+)".*/\1/')
    case "$status" in completed|failed|cancelled) break;; esac
    sleep 0.05
  done
  [ "$status" = completed ] || die "job $1 $status: $job"
  echo "$job"
}

run_import() { # file key → prints "seconds created updated unchanged rejected"
  local file="$1" key="$2"
  s3_put "$file" "$key"
  local t0 id job; t0=$(now)
  id=$(curl -sf -X POST "localhost:$PORT_BENCH/api/imports" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"objectKey\":\"$key\"}" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  job=$(await_job "$id")
  local t1; t1=$(now)
  local n; n() { echo "$job" | sed -E "s/.*\"$1\":([0-9]+).*/\\1/"; }
  echo "$(secs "$t0" "$t1") $(n created) $(n updated) $(n unchanged) $(n rejected)"
}

psql_bench() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -v ON_ERROR_STOP=1 -qAt "$@"; }

seed_products() { # n: LOAD-0000001… rows straight into the bench database (for read load), then ids.txt
  log "Seeding $1 products"
  psql_bench <<SQL
insert into products (id, sku, name, description, price, quantity, active, created_at, updated_at)
select gen_random_uuid(), 'LOAD-' || lpad(g::text, 7, '0'),
       (array['Steel','Oak','Linen','Copper','Glass','Wool','Cotton','Maple'])[1 + g % 8] || ' ' ||
       (array['Kettle','Lamp','Chair','Desk','Mug','Shelf','Towel','Vase','Rug','Clock'])[1 + (g / 8) % 10] || ' ' || g,
       'Load test product ' || g, (g % 10000) / 100.0, g % 500, g % 5 <> 0,
       now() - make_interval(secs => g), now() - make_interval(secs => g)
from generate_series(1, $1) g;
vacuum analyze products;
SQL
  psql_bench -c "select id from products where sku like 'LOAD-%' order by random() limit 20000" > "$WORK/ids.txt"
}

reads() { # connections seconds [pause-ms]: wrk GET /api/products/{id} → its RESULT line
  IDS_FILE="$WORK/ids.txt" RATE_DELAY_MS="${3:-0}" TOKEN="$TOKEN" wrk -t2 -c"$1" -d"$2s" \
    -s "$ROOT/bench/load.d/get-by-id.lua" "http://127.0.0.1:$PORT_BENCH" | grep RESULT
}

# CPU by process, to see where a run's cores went on a machine that client, server and database share.
cpu_snapshot() { # file: user+system clock ticks per process group (sluice, s3proxy, postgres, wrk, pgbench, other)
  python3 - "$1" <<'PY'
import json, os, sys
out = {}
for p in filter(str.isdigit, os.listdir('/proc')):
    try:
        comm = open(f'/proc/{p}/comm').read().strip()
        if comm == 'java':
            cmd = open(f'/proc/{p}/cmdline').read()
            comm = 's3proxy' if 's3proxy' in cmd else 'sluice' if 'quarkus-run' in cmd else 'java'
        f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    out[comm] = out.get(comm, 0) + int(f[11]) + int(f[12])
json.dump(out, open(sys.argv[1], 'w'))
PY
}
cpu_report() { # before after seconds [requests]: "sluice 1.02 cores (57 µs/request), postgres …"
  python3 - "$@" <<'PY'
import json, os, sys
a, b, secs = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), float(sys.argv[3])
reqs = float(sys.argv[4]) if len(sys.argv) > 4 else 0
hz = os.sysconf('SC_CLK_TCK')
rows = sorted(((b[k] - a.get(k, 0)) / hz / secs, k) for k in b if k in ('sluice', 's3proxy', 'postgres', 'wrk', 'pgbench'))
parts = [f"{k} {c:.2f} cores" + (f" ({c * 1e6 / (reqs / secs):.0f} µs/request)" if reqs else "") for c, k in reversed(rows) if c >= 0.01]
print(", ".join(parts))
PY
}
measured() { # seconds command…: runs the command, then prints "CPU: …" for all but its last second (wrk and
             # pgbench exit at the end, taking their counters with them). Requests/s come from the command's rps= or tps = .
  local secs="$1"; shift
  local a="$WORK/cpu-a.json" b="$WORK/cpu-b.json" out rate
  cpu_snapshot "$a"
  ( sleep $((secs - 1)); cpu_snapshot "$b" ) &
  local snap=$!
  out=$("$@")
  wait $snap
  echo "$out"
  rate=$(sed -nE 's/.*rps=([0-9.]+).*/\1/p; s/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -1)
  echo "CPU: $(cpu_report "$a" "$b" $((secs - 1)) "$(python3 -c "print(${rate:-0} * $((secs - 1)))")")"
}

# Optional CPU profiles of the server (PROFILE=1 in the benchmarks that support it): async-profiler's agent,
# from Maven Central (tools.profiler:async-profiler), attached to the running JVM and detached with a flame graph.
ASYNC_PROFILER_VERSION="${ASYNC_PROFILER_VERSION:-4.1}"
profiler_lib() {
  local so="$SLUICE_HOME/async-profiler-$ASYNC_PROFILER_VERSION/libasyncProfiler.so"
  if [ ! -f "$so" ]; then
    mvnw -q dependency:get -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" -Dtransitive=false >&2
    local jar="$HOME/.m2/repository/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION.jar"
    mkdir -p "$(dirname "$so")"
    python3 - "$jar" "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/libasyncProfiler.so" "$so" <<'PY'
import sys, zipfile
open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))
PY
  fi
  echo "$so"
}
profile_start() { "$JAVA_HOME/bin/jcmd" "$SERVER" JVMTI.agent_load "$(profiler_lib)" '"start,event=cpu,interval=1ms"' >/dev/null; }
profile_stop() { # file (.html: a flame graph; .collapsed: one stack a line)
  "$JAVA_HOME/bin/jcmd" "$SERVER" JVMTI.agent_load "$(profiler_lib)" "\"stop,file=$1\"" >/dev/null
  log "CPU profile: $1"
}
