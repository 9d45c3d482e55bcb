# Shared by scripts/run, scripts/test and bench/: finds a JDK and makes sure PostgreSQL, Redis and an
# S3-compatible store (and, for scripts/run, an SMTP sink) are reachable on loopback, reusing running
# ones and installing the rest.
# Every step is idempotent. Source it; don't run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SLUICE_HOME="${SLUICE_HOME:-$HOME/.local/share/sluice}"
mkdir -p "$SLUICE_HOME"/{logs,keys}

export DB_HOST="${DB_HOST:-127.0.0.1}" DB_PORT="${DB_PORT:-5432}" DB_NAME="${DB_NAME:-sluice}"
export DB_TEST_NAME="${DB_TEST_NAME:-sluice_test}" DB_USER="${DB_USER:-sluice}" DB_PASSWORD="${DB_PASSWORD:-sluice}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}" REDIS_PORT="${REDIS_PORT:-6379}"
export S3_ENDPOINT="${S3_ENDPOINT:-http://127.0.0.1:9000}" S3_REGION="${S3_REGION:-us-east-1}"
export S3_ACCESS_KEY="${S3_ACCESS_KEY:-sluice}" S3_SECRET_KEY="${S3_SECRET_KEY:-sluice-secret}"
export S3_BUCKET="${S3_BUCKET:-sluice}" S3_TEST_BUCKET="${S3_TEST_BUCKET:-sluice-test}"
# The server's JVM flags the README recommends (scripts/run's default JAVA_OPTS, bench/startup's):
# imports are bounded by batch size, so a small fixed heap is enough, and the serial collector
# leaves the cores to PostgreSQL. The heap starts small and grows to its cap only under work, so an
# idle replica holds ~100 MB less than with a pre-touched fixed heap. The native-heap trim hands the
# malloc memory the start freed (class parsing, the JIT's arenas) back to the OS once a second: idle
# RSS 219 -> 193 MB. docs/benchmarks.md has the measurements behind them. JDK 21 has the trim as an
# experimental option only; ensure_java unlocks it there.
RECOMMENDED_JAVA_OPTS="-Xms16m -Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000"

log() { printf '\033[1;34m[sluice]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[sluice] %s\033[0m\n' "$*" >&2; exit 1; }

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "Need $* but apt-get is not available; install it yourself and retry."
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ -z "$APT_UPDATED" ]; then $sudo apt-get update -qq >&2 || true; APT_UPDATED=1; fi
  log "Installing $* (Debian packages)"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed"
}

# A JDK >= 21: JAVA_HOME, then the java on PATH, then /usr/lib/jvm/*, newest first.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
use_java() { # home major
  export JAVA_HOME="$1" PATH="$1/bin:$PATH"
  # Before JDK 22 the trim is experimental (21.0.1 on) or absent (21.0.0): unlocked where the JVM has it, else left out.
  if [ "$2" -lt 22 ] && [[ "$RECOMMENDED_JAVA_OPTS" != *UnlockExperimentalVMOptions* ]]; then
    if "$1/bin/java" -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000 -version >/dev/null 2>&1; then
      RECOMMENDED_JAVA_OPTS="${RECOMMENDED_JAVA_OPTS/-XX:TrimNativeHeapInterval/-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval}"
    else
      RECOMMENDED_JAVA_OPTS="${RECOMMENDED_JAVA_OPTS/ -XX:TrimNativeHeapInterval=1000/}"
    fi
  fi
}
ensure_java() {
  local cand candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v java >/dev/null && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for cand in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${cand%/}"); done
  for cand in "${candidates[@]}"; do
    [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    local m; m="$(java_major "$cand")"
    if [ -n "$m" ] && [ "$m" -ge 21 ] 2>/dev/null; then use_java "$cand" "$m"; return 0; fi
  done
  apt_install openjdk-21-jdk-headless 2>/dev/null || true
  for cand in /usr/lib/jvm/*21*; do [ -x "$cand/bin/javac" ] && { use_java "$cand" 21; return 0; }; done
  die "No JDK >= 21 found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one and set JAVA_HOME."
}

mvnw() { (cd "$ROOT" && ./mvnw -B -ntp "$@"); }

# ---------------------------------------------------------------- PostgreSQL
pg_ready() { pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null; }
# A superuser psql: trust over TCP as postgres, else the postgres OS user over the socket.
pg_admin() {
  if psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -qAtc 'select 1' >/dev/null 2>&1 </dev/null; then
    psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  elif [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -p "$DB_PORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  else
    sudo -u postgres psql -p "$DB_PORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
  fi
}
ensure_postgres() {
  if ! pg_ready; then
    if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql postgresql-contrib; fi
    command -v pg_isready >/dev/null || apt_install postgresql-client
    local v; v="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
    [ -n "$v" ] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
    log "Starting PostgreSQL $v"
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 2>/dev/null || pg_ctlcluster "$v" main start >&2 || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
    pg_ready || die "PostgreSQL did not come up on $DB_HOST:$DB_PORT"
  fi
  if pg_admin -c 'select 1' >/dev/null 2>&1; then
    pg_admin -c "do \$\$ begin
        if not exists (select from pg_roles where rolname = '$DB_USER') then
          create role \"$DB_USER\" login password '$DB_PASSWORD';
        end if; end \$\$;" >/dev/null
    if [ -z "$(pg_admin -c "select 1 from pg_database where datname = '$DB_NAME'")" ]; then
      pg_admin -c "create database \"$DB_NAME\" owner \"$DB_USER\"" >/dev/null
    fi
  else
    log "No superuser access to PostgreSQL; assuming database $DB_NAME and role $DB_USER exist"
  fi
  log "PostgreSQL ready on $DB_HOST:$DB_PORT (database $DB_NAME)"
}
recreate_test_database() {
  pg_admin -c "drop database if exists \"$DB_TEST_NAME\" with (force)" >/dev/null
  pg_admin -c "create database \"$DB_TEST_NAME\" owner \"$DB_USER\"" >/dev/null
  log "Recreated test database $DB_TEST_NAME"
}

# ---------------------------------------------------------------- Redis
redis_ready() { [ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }
ensure_redis() {
  command -v redis-cli >/dev/null || apt_install redis-tools
  if ! redis_ready; then
    command -v redis-server >/dev/null || apt_install redis-server
    log "Starting Redis on $REDIS_HOST:$REDIS_PORT"
    redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no \
      --dir "$SLUICE_HOME" --logfile "$SLUICE_HOME/logs/redis.log" >&2
    for _ in $(seq 1 20); do redis_ready && break; sleep 0.5; done
    redis_ready || die "Redis did not come up on $REDIS_HOST:$REDIS_PORT"
  fi
  log "Redis ready on $REDIS_HOST:$REDIS_PORT"
}

# ---------------------------------------------------------------- S3 (s3proxy from Maven Central)
s3_ready() { curl -s -o /dev/null --max-time 2 "$S3_ENDPOINT/" 2>/dev/null; }
s3_local() { [[ "$S3_ENDPOINT" =~ ^http://(127\.0\.0\.1|localhost):([0-9]+)/?$ ]]; }
ensure_s3() {
  command -v curl >/dev/null || apt_install curl
  if ! s3_ready; then
    s3_local || die "S3 endpoint $S3_ENDPOINT is not reachable"
    local port="${BASH_REMATCH[2]}" cp="$SLUICE_HOME/s3proxy.classpath"
    if [ ! -s "$cp" ] || ! head -c 4096 "$cp" | tr ':' '\n' | head -1 | xargs test -f; then
      log "Resolving s3proxy from Maven Central"
      mvnw -q -f scripts/s3proxy/pom.xml dependency:build-classpath -Dmdep.outputFile="$cp" >&2 || die "could not resolve s3proxy"
    fi
    mkdir -p "$SLUICE_HOME/s3data"
    cat > "$SLUICE_HOME/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
s3proxy.cors-allow-all=true
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$SLUICE_HOME/s3data
CONF
    log "Starting s3proxy on 127.0.0.1:$port (data in $SLUICE_HOME/s3data)"
    # Detached (own session, no inherited stdio) so it outlives this script and holds no pipe open.
    cat > "$SLUICE_HOME/s3proxy-logback.xml" <<'XML'
<configuration><appender name="F" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender><root level="WARN"><appender-ref ref="F"/></root></configuration>
XML
    (cd "$SLUICE_HOME"
     for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
     setsid "$JAVA_HOME/bin/java" -Xmx256m -Dlogback.configurationFile="$SLUICE_HOME/s3proxy-logback.xml" \
        -cp "$(cat "$cp")" org.gaul.s3proxy.Main --properties "$SLUICE_HOME/s3proxy.conf" \
        < /dev/null > "$SLUICE_HOME/logs/s3proxy.log" 2>&1 & echo $! > "$SLUICE_HOME/s3proxy.pid")
    for _ in $(seq 1 40); do s3_ready && break; sleep 0.5; done
    s3_ready || die "s3proxy did not start; see $SLUICE_HOME/logs/s3proxy.log"
  fi
  log "S3 ready at $S3_ENDPOINT"
}
s3_request() { # METHOD PATH: a SigV4-signed request to the store
  curl -s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -X "$1" "$S3_ENDPOINT/$2"
}
ensure_bucket() {
  local code; code="$(s3_request PUT "$1")"
  case "$code" in 200|409) log "Bucket $1 ready";; *) die "Could not create bucket $1 (HTTP $code)";; esac
}
recreate_test_bucket() {
  # Our own s3proxy keeps a bucket as a folder: emptying it is a folder removal.
  if [ -d "$SLUICE_HOME/s3data/$S3_TEST_BUCKET" ] && s3_local; then rm -rf "${SLUICE_HOME:?}/s3data/$S3_TEST_BUCKET"; fi
  ensure_bucket "$S3_TEST_BUCKET"
}

# ---------------------------------------------------------------- SMTP sink (GreenMail standalone from Maven Central)
# For local runs only (tests start their own GreenMail): sign-in codes are sent to it, and can be read
# in its log (it prints every message) or through its REST API.
export SMTP_SINK_PORT="${SMTP_SINK_PORT:-3025}" SMTP_SINK_API_PORT="${SMTP_SINK_API_PORT:-8025}"
GREENMAIL_VERSION=2.1.3
smtp_ready() { (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_SINK_PORT") 2>/dev/null; }
ensure_smtp() {
  if [ -n "${MAIL_HOST:-}" ]; then log "Mail goes to $MAIL_HOST:${MAIL_PORT:-25} (MAIL_HOST)"; return 0; fi
  if ! smtp_ready; then
    local jar="$SLUICE_HOME/greenmail-standalone-$GREENMAIL_VERSION.jar"
    if [ ! -s "$jar" ]; then
      log "Resolving GreenMail (SMTP sink) from Maven Central"
      mvnw -q dependency:copy -Dartifact="com.icegreen:greenmail-standalone:$GREENMAIL_VERSION" \
        -DoutputDirectory="$SLUICE_HOME" >&2 || die "could not resolve greenmail-standalone"
    fi
    log "Starting GreenMail on 127.0.0.1:$SMTP_SINK_PORT (SMTP) and :$SMTP_SINK_API_PORT (web API)"
    (cd "$SLUICE_HOME"
     for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
     # -Dgreenmail.verbose prints each SMTP session, message included, to the log.
     setsid "$JAVA_HOME/bin/java" -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 -Dgreenmail.smtp.port="$SMTP_SINK_PORT" \
        -Dgreenmail.auth.disabled -Dgreenmail.verbose \
        -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$SMTP_SINK_API_PORT" -jar "$jar" \
        < /dev/null > "$SLUICE_HOME/logs/greenmail.log" 2>&1 & echo $! > "$SLUICE_HOME/greenmail.pid")
    for _ in $(seq 1 40); do smtp_ready && break; sleep 0.5; done
    smtp_ready || die "GreenMail did not start; see $SLUICE_HOME/logs/greenmail.log"
  fi
  export MAIL_HOST=127.0.0.1 MAIL_PORT="$SMTP_SINK_PORT"
  log "SMTP sink ready on 127.0.0.1:$SMTP_SINK_PORT; read mail at http://127.0.0.1:$SMTP_SINK_API_PORT/api/user/<email>/messages/INBOX/ or in $SLUICE_HOME/logs/greenmail.log"
}

# ---------------------------------------------------------------- JWT keys for local runs
ensure_jwt_keys() {
  if [ -z "${JWT_PUBLIC_KEY_LOCATION:-}" ] && [ -z "${MP_JWT_VERIFY_PUBLICKEY:-}" ]; then
    if [ ! -s "$SLUICE_HOME/keys/privateKey.pem" ]; then
      command -v openssl >/dev/null || apt_install openssl
      log "Generating a JWT signing key pair in $SLUICE_HOME/keys"
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SLUICE_HOME/keys/privateKey.pem" 2>/dev/null
      openssl rsa -in "$SLUICE_HOME/keys/privateKey.pem" -pubout -out "$SLUICE_HOME/keys/publicKey.pem" 2>/dev/null
      chmod 600 "$SLUICE_HOME/keys/privateKey.pem"
    fi
    export JWT_PUBLIC_KEY_LOCATION="$SLUICE_HOME/keys/publicKey.pem" JWT_PRIVATE_KEY_LOCATION="$SLUICE_HOME/keys/privateKey.pem"
  fi
  ensure_secrets_key
}

# The key that seals webhook secrets in the database (prod requires one): generated once per machine.
ensure_secrets_key() {
  if [ -z "${APP_SECRETS_KEY:-}" ]; then
    if [ ! -s "$SLUICE_HOME/keys/secrets.key" ]; then
      command -v openssl >/dev/null || apt_install openssl
      log "Generating a key for secrets at rest in $SLUICE_HOME/keys/secrets.key"
      (umask 077; echo "local-$(date +%Y%m%d):$(openssl rand -base64 32)" > "$SLUICE_HOME/keys/secrets.key")
    fi
    APP_SECRETS_KEY="$(cat "$SLUICE_HOME/keys/secrets.key")"
    export APP_SECRETS_KEY
  fi
}

ensure_tools() {
  command -v psql >/dev/null || apt_install postgresql-client
  command -v curl >/dev/null || apt_install curl
}

# npm ci in a folder with a committed package-lock.json, unless its node_modules already matches it.
npm_ci_in() { # DIR WHAT
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  local dir="$ROOT/$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "Installing the npm packages of $2 ($1)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci in $1 failed"
  fi
}

# The browser tests: Debian's Chromium (Playwright can't download its own here) and playwright-core.
ensure_browser_tools() {
  [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
  npm_ci_in src/test/ui "the browser tests"
}

# The API contract tests (OpenApiContractTests): Redocly's linter, openapi-typescript, openapi-fetch,
# eventsource, standardwebhooks and TypeScript, pinned in clients/ts/package-lock.json.
ensure_client_tools() {
  npm_ci_in clients/ts "the TypeScript client"
}

ensure_services() {
  ensure_java
  ensure_tools
  ensure_postgres
  ensure_redis
  ensure_s3
}
