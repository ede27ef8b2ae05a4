# Shared by the benchmark scripts: the benchmark capture, hyperfine runs and median tables.
# Numbers are medians of repeated runs with a warm page cache; the machine is shared, so
# compare ratios measured in the same run rather than absolute times across runs.

bench_dir=${BOTD_BENCH_DIR:-$PWD/build/bench}
mkdir -p "$bench_dir"

# bench_capture [HOURS]: path of the >= 400 MB benchmark capture, built once.
bench_capture() {
  local hours=${1:-1}
  local copies=$((20 * hours))
  local capture="$bench_dir/bench-${hours}h.pcap"
  [[ -s $capture ]] || scripts/make-bench-capture "$capture" "$copies" "$hours"
  echo "$capture"
}

# run_hyperfine NAME RUNS JSON [hyperfine arguments...]
run_hyperfine() {
  local runs=$1 json=$2
  shift 2
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$json" "$@" >&2
}

# median_table JSON [BASE_NAME]: markdown rows "| command | median s | ratio to BASE |".
median_table() {
  /usr/bin/python3 - "$1" "${2:-}" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: statistics.median(r["times"]) for r in results}
base = sys.argv[2] or results[0]["command"]
for command, median in medians.items():
    print(f"| {command} | {median:.3f} | {median / medians[base]:.2f}x |")
PY
}

# peak_rss_mib COMMAND...: runs once, prints the peak resident set size in MiB.
peak_rss_mib() {
  local report
  report=$(mktemp)
  /usr/bin/time -f '%M' -o "$report" "$@" >/dev/null 2>&1
  echo $(($(tail -1 "$report") / 1024))
  rm -f "$report"
}
