#!/usr/bin/env bash
# Peak resident memory per event and the time on one and on all cores of each cjm query
# on a store. Not a timed test: it prints figures for the README.
#
#   bench/memory.sh STORE [CJM_BINARY]
#
# Each query runs 3 times per thread count; the best wall time is kept, and the peak
# resident set (GNU time's %M, which counts the mapped store pages the query touched).
set -euo pipefail
store=${1:?usage: bench/memory.sh STORE [CJM_BINARY]}
cjm=${2:-target/release/cjm}
gnu_time=/usr/bin/time
[ -x "$gnu_time" ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

events=$("$cjm" stats --store "$store" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
steps=landing,product_view,add_to_cart,checkout,purchase
declare -A queries=(
  [funnel]="funnel --store $store --steps $steps --window 604800s --format json"
  [dfg]="dfg --store $store --format json"
  [variants]="variants --store $store --top 20 --format json"
)

# best_of THREADS ARGS...: prints "seconds kilobytes" of the fastest of 3 runs.
best_of() {
  local threads=$1; shift
  for _ in 1 2 3; do
    CJM_THREADS=$threads "$gnu_time" -f "%e %M" "$cjm" "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | head -1
}

echo "store: $store ($events events), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-9s %10s %12s %10s %10s %8s\n' query "peak MB" "bytes/event" "1 core s" "all s" speedup
for q in funnel dfg variants; do
  read -r -a args <<<"${queries[$q]}"
  read -r one _ < <(best_of 1 "${args[@]}")
  read -r all kb < <(best_of "$(nproc)" "${args[@]}")
  python3 - "$q" "$kb" "$events" "$one" "$all" <<'EOF'
import sys
q, kb, events, one, all_ = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"{q:<9} {kb / 1024:10.0f} {kb * 1024 / events:12.2f} {one:10.2f} {all_:10.2f} {one / all_:7.2f}x")
EOF
done
