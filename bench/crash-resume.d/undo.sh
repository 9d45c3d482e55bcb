# UNDO=1 bench/crash-resume (sourced after the server helpers): crash trials of an undo.
BASE="$WORK/crash-$ROWS-first-half.csv"; CHANGED="$WORK/crash-$ROWS-changed10.csv"
[ -s "$BASE" ] || head -n $(( ROWS / 2 + 1 )) "$WORK/crash-$ROWS.csv" > "$BASE"
[ -s "$CHANGED" ] || python3 - "$WORK/crash-$ROWS.csv" "$CHANGED" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', newline='', encoding='utf-8') as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator='\n')
    w.writerow(next(r))
    for i, row in enumerate(r):
        if i % 10 == 0 and len(row) > 1: row[1] = row[1] + ' v2'
        w.writerow(row)
PY
put() { curl -sf --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$1" "$S3_ENDPOINT/$S3_BUCKET/$2" -o /dev/null; }
put "$BASE" base.csv; put "$CHANGED" changed.csv
import_key() {
  curl -sf -X POST "localhost:$PORT_CRASH/api/imports" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"objectKey\":\"$1\"}" | sed -E 's/^\{"id":"([^"]+)".*/\1/'
}
start_undo() {
  curl -sf -X POST "localhost:$PORT_CRASH/api/imports/$1/undo" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{}' | sed -E 's/^\{"id":"([^"]+)".*/\1/'
}
undo_counts() {
  python3 -c "import json,sys; j=json.load(sys.stdin); print({k: j[k] for k in ('processedRows','totalRows','deleted','restored','conflicts')})"
}
# The base import, then the changed file: creates the second half, updates a tenth of the first.
prepare() { # database → C: the changed import's id (not in a subshell: start_server sets SERVER)
  fresh_db "$1"; start_server "$1"
  local b
  b=$(import_key base.csv); [ "$(await "$b")" = completed ] || die "base import did not complete"
  C=$(import_key changed.csv); [ "$(await "$C")" = completed ] || die "changed import did not complete"
}

log "Clean undo ($ROWS rows: half imported first, then all with a tenth renamed)"
prepare ${CRASH_DB}_clean; c=$C
BEFORE=$(job "$c" | python3 -c "import json,sys; j=json.load(sys.stdin); print(j['created'], 'created,', j['updated'], 'updated')")
u=$(start_undo "$c"); [ "$(await "$u")" = completed ] || die "clean undo did not complete"
CLEAN=$(checksum ${CRASH_DB}_clean); CLEAN_COUNTS=$(job "$u" | undo_counts); kill $SERVER; wait $SERVER 2>/dev/null || true
log "clean undo of an import that $BEFORE: $CLEAN $CLEAN_COUNTS"

pass=0
for t in $(seq 1 "$TRIALS"); do
  prepare $CRASH_DB
  u=$(start_undo "$C")
  target=$(python3 -c "import random; print(random.randint(20, 80))")
  while :; do
    now=$(job "$u")
    done_rows=$(echo "$now" | field processedRows); total=$(echo "$now" | field totalRows)
    [ "$(echo "$now" | field status)" = completed ] && break
    [ "${total:-0}" -gt 0 ] && [ "$((done_rows * 100 / total))" -ge "$target" ] && break
    sleep 0.02
  done
  early=$(echo "$now" | field status)
  kill -9 $SERVER; wait $SERVER 2>/dev/null || true
  log "trial $t: killed with SIGKILL at ~$target % of the undo ($done_rows of $total changes committed); restarting"
  start_server $CRASH_DB
  status=$(await "$u")
  GOT=$(checksum $CRASH_DB)
  counts=$(job "$u" | undo_counts)
  kill $SERVER; wait $SERVER 2>/dev/null || true
  if [ "$early" = completed ]; then verdict="NOT A TRIAL (the undo ended before the kill)"
  elif [ "$status" = completed ] && [ "$GOT" = "$CLEAN" ] && [ "$counts" = "$CLEAN_COUNTS" ]; then
    pass=$((pass + 1)); verdict=same
  else verdict=DIFFERENT; fi
  echo "trial $t: killed at ~$target % ($done_rows of $total), undo $status, table and counts $verdict ($GOT) $counts"
done
echo "clean undo counts: $CLEAN_COUNTS"
echo "crash-resume (undo): $pass passed, $((TRIALS - pass)) failed"
[ "$pass" -eq "$TRIALS" ]
