# bench/import --history (sourced by bench/import after bench_setup): what recording history costs an
# import, and what an undo costs, measured in one invocation against psql \copy of the same file.
#   1. the fresh import with history off (APP_HISTORY_ENABLED=false), then on, each into an empty catalog;
#   2. the same file again (nothing changes, nothing is recorded);
#   3. the undo of the fresh import (1M products deleted, each kept whole in its history), and the undo of
#      that undo (the redo: 1M products back with their ids);
#   4. an import that changes every price (1M updates, price only), and its undo.
# Targets (#20): fresh with history ≤ 1.15× without; the re-import's cost unchanged; undo of the fresh
# import ≤ 1.5× its time; undo of the price import ≤ its time; peak RSS flat.
PRICES="$WORK/products-$ROWS-prices.csv"
[ -s "$PRICES" ] || python3 - "$FILE" "$PRICES" <<'PY'
import csv, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, newline='', encoding='utf-8') as f, open(dst, 'w', newline='', encoding='utf-8') as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator='\n')
    head = next(r); sku, price = head.index('sku'), head.index('price')
    w.writerow(['sku', 'price'])
    for row in r:
        try: p = f"{float(row[price]) + 1:.2f}"
        except ValueError: p = '1.00'   # the generator's invalid prices: a valid one now
        w.writerow([row[sku], p])
PY

stop_server() { kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; kill ${SAMPLER:-} 2>/dev/null || true; }
empty_catalog() { psql_bench -c "truncate products, product_history" >/dev/null; }
run_undo() { # job → prints "seconds deleted restored conflicts undo-id"
  local t0 id job; t0=$(now)
  id=$(curl -sf -X POST "localhost:$PORT_BENCH/api/imports/$1/undo" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{}' | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  job=$(await_job "$id")
  local t1; t1=$(now)
  local n; n() { echo "$job" | sed -E "s/.*\"$1\":([0-9]+).*/\\1/"; }
  echo "$(secs "$t0" "$t1") $(n deleted) $(n restored) $(n conflicts) $id"
}
last_import() { curl -sf "localhost:$PORT_BENCH/api/imports?kind=import&size=1" -H "Authorization: Bearer $TOKEN" \
  | sed -E 's/.*"items":\[\{"id":"([^"]+)".*/\1/'; }

export APP_HISTORY_ENABLED=false
start_server
REF=$(ref_time)
read -r TOFF COFF _ <<<"$(run_import "$FILE" bench/fresh-off.csv)"
read -r TAGAINOFF _ _ NAGAINOFF _ <<<"$(run_import "$FILE" bench/again-off.csv)"
stop_server

empty_catalog
export APP_HISTORY_ENABLED=true
start_server
sample_rss
read -r TON CON _ <<<"$(run_import "$FILE" bench/fresh-on.csv)"
FRESH=$(last_import)
PEAK_FRESH=$(cat "$PEAK_FILE")
read -r TAGAIN _ _ NAGAIN _ <<<"$(run_import "$FILE" bench/again.csv)"
read -r TUNDO DUNDO RUNDO XUNDO UNDO <<<"$(run_undo "$FRESH")"
read -r TREDO DREDO RREDO XREDO _ <<<"$(run_undo "$UNDO")"
read -r TPRICE _ UPRICE _ _ <<<"$(run_import "$PRICES" bench/prices.csv)"
PRICE=$(last_import)
read -r TUP DUP RUP XUP _ <<<"$(run_undo "$PRICE")"
PEAK=$(cat "$PEAK_FILE")
HIST_MB=$(psql_bench -c "select pg_total_relation_size('product_history') / 1048576")

cat <<OUT

History and undo benchmark: $ROWS rows, $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
  JVM: ${BENCH_JAVA_OPTS:-${JAVA_OPTS:-default}}
  psql \\copy (reference)                 ${REF} s
  fresh import, history off             ${TOFF} s   $(ratio "$TOFF" "$REF")× copy   created=$COFF
  fresh import, history on              ${TON} s   $(ratio "$TON" "$REF")× copy   created=$CON   on/off $(ratio "$TON" "$TOFF")× (target ≤ 1.15)
  same file again, history off          ${TAGAINOFF} s   $(ratio "$TAGAINOFF" "$REF")× copy   unchanged=$NAGAINOFF
  same file again, history on           ${TAGAIN} s   $(ratio "$TAGAIN" "$REF")× copy   unchanged=$NAGAIN   on/off $(ratio "$TAGAIN" "$TAGAINOFF")×
  undo of the fresh import              ${TUNDO} s   $(ratio "$TUNDO" "$TON")× the import (target ≤ 1.5)   deleted=$DUNDO restored=$RUNDO conflicts=$XUNDO
  undo of that undo (the redo)          ${TREDO} s   $(ratio "$TREDO" "$TON")× the import   restored=$RREDO conflicts=$XREDO
  import changing every price           ${TPRICE} s   $(ratio "$TPRICE" "$REF")× copy   updated=$UPRICE
  undo of the price import              ${TUP} s   $(ratio "$TUP" "$TPRICE")× the import (target ≤ 1.0)   restored=$RUP conflicts=$XUP
  peak server RSS                       $((PEAK_FRESH / 1024)) MB during the fresh import, $((PEAK / 1024)) MB over all
  product_history                       $HIST_MB MB for $((CON + DUNDO + RREDO + UPRICE + RUP)) recorded changes
OUT
stop_server
