# bench/import --xlsx (sourced by bench/import after bench_setup): XLSX against CSV, same rows, same server.
XROWS="${XLSX_ROWS:-1048575}"
SMALL_ROWS=10000
TO_XLSX="$ROOT/bench/import.d/csv_to_xlsx.py"
BASE="$WORK/products-$XROWS.csv"; gen "$XROWS" "$BASE"
XCSV="$WORK/products-$XROWS-unique.csv"; XLSX="$WORK/products-$XROWS-unique.xlsx"
[ -s "$XLSX" ] || { log "Converting to XLSX (unique names) → $XLSX"; python3 "$TO_XLSX" "$BASE" "$XLSX" --unique-names "$XCSV"; }
SBASE="$WORK/products-$SMALL_ROWS.csv"; gen "$SMALL_ROWS" "$SBASE" --seed 5
SXLSX="$WORK/products-$SMALL_ROWS-unique.xlsx"
[ -s "$SXLSX" ] || python3 "$TO_XLSX" "$SBASE" "$SXLSX" --unique-names "$WORK/products-$SMALL_ROWS-unique.csv"

delete_all() { curl -sf -X DELETE "localhost:$PORT_BENCH/api/products" -H "Authorization: Bearer $TOKEN" >/dev/null; }

start_server
sample_rss
read -r TS CS US NS RS <<<"$(run_import "$SXLSX" bench/small.xlsx)"
PEAK_SMALL=$(cat "$PEAK_FILE")
delete_all
read -r TX CX UX NX RX <<<"$(run_import "$XLSX" bench/big.xlsx)"
PEAK_BIG=$(cat "$PEAK_FILE")
delete_all
read -r TC CC UC NC RC <<<"$(run_import "$XCSV" bench/big.csv)"
PEAK_ALL=$(cat "$PEAK_FILE")

log "Exporting the catalog as XLSX and importing it back"
EXPORT="$WORK/export-$XROWS.xlsx"
curl -sf "localhost:$PORT_BENCH/api/products/export?format=xlsx" -H "Authorization: Bearer $TOKEN" -o "$EXPORT"
read -r TE CE UE NE RE <<<"$(run_import "$EXPORT" bench/export.xlsx)"

cat <<OUT

XLSX import benchmark: $XROWS rows, $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
  JVM: ${BENCH_JAVA_OPTS:-${JAVA_OPTS:-default}}
  XLSX $SMALL_ROWS rows ($(python3 -c "print(round($(stat -c %s "$SXLSX")/1e6,1))") MB)         ${TS} s   created=$CS   peak RSS $((PEAK_SMALL / 1024)) MB
  XLSX $XROWS rows ($(python3 -c "print(round($(stat -c %s "$XLSX")/1e6,1))") MB)      ${TX} s   created=$CX rejected=$RX   peak RSS $((PEAK_BIG / 1024)) MB (ratio to the 10k sheet $(ratio "$PEAK_BIG" "$PEAK_SMALL"))
  CSV  $XROWS rows ($(python3 -c "print(round($(stat -c %s "$XCSV")/1e6,1))") MB)      ${TC} s   created=$CC rejected=$RC   XLSX/CSV time $(ratio "$TX" "$TC")×
  peak RSS over all three         $((PEAK_ALL / 1024)) MB
  export as XLSX ($(python3 -c "print(round($(stat -c %s "$EXPORT")/1e6,1))") MB) re-imported  ${TE} s   unchanged=$NE created=$CE updated=$UE rejected=$RE
OUT
kill $SAMPLER 2>/dev/null || true
