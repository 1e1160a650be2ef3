#!/usr/bin/env bash
# Load test of the web workspace: wrk against the map page and the map API for a
# 10-stage map, on this machine. Installs wrk (Debian) when missing, builds cjm in
# release mode, serves a fresh workspace on 127.0.0.1:7879, prints requests/s and p99.
# Targets (issue 5): at least 2,000 requests/s and p99 under 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
[ -n "${CJM_BIN:-}" ] || cargo build --release -q -p cjm
target="${CARGO_TARGET_DIR:-target}"
cjm="${CJM_BIN:-$target/release/cjm}"

work="$(mktemp -d)"
addr="127.0.0.1:${CJM_BENCH_PORT:-7879}"
base="http://$addr"
duration="${CJM_BENCH_SECONDS:-10}"
connections="${CJM_BENCH_CONNECTIONS:-32}"

# A map with 10 stages of 2 steps and four lanes of filled cells.
map="$work/bench.yaml"
{
  echo "cjm: 1"; echo "id: bench-10"; echo "title: Ten-stage load-test map"
  echo "stages:"
  for s in $(seq 1 10); do
    echo "  - id: s$s"; echo "    name: Stage $s"; echo "    steps:"
    for p in 1 2; do echo "      - id: s$s-p$p"; echo "        name: Step $s.$p"; done
  done
  echo "lanes:"
  for kind in actions thoughts touchpoints emotions; do
    echo "  - id: $kind"; echo "    kind: $kind"; echo "    cells:"
    for s in $(seq 1 10); do for p in 1 2; do
      echo "      - id: $kind-$s-$p"; echo "        step: s$s-p$p"
      echo "        text: The customer does something at step $s.$p and thinks about it"
      case $kind in
        touchpoints) echo "        channel: web" ;;
        emotions) echo "        score: $(( (s + p) % 5 - 2 ))" ;;
      esac
      echo "        evidence: {kind: assumed}"
    done; done
  done
} > "$map"

CJM_OWNER_PASSWORD="load-test-password" "$cjm" serve --workspace "$work/ws" --addr "$addr" \
  --no-auto-login --owner bench@example.org > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "$base/login" >/dev/null 2>&1 && break; sleep 0.1; done

login=$(curl -fs -c "$work/cookies" -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"load-test-password"}' "$base/api/login")
csrf=$(printf '%s' "$login" | sed -E 's/.*"csrf":"([^"]+)".*/\1/')
curl -fs -b "$work/cookies" -H "x-csrf-token: $csrf" --data-binary "@$map" \
  "$base/api/maps/import?name=bench.yaml" >/dev/null
token=$(curl -fs -b "$work/cookies" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"load test"}' "$base/api/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')

run() {
  local label="$1" path="$2" out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$base$path")
  local rps p99
  rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
  if printf '%s\n' "$out" | grep -q "Non-2xx"; then
    echo "$label: errors in the answers:"; printf '%s\n' "$out"; exit 1
  fi
  printf '%-34s %10s req/s   p99 %s\n' "$label ($path)" "$rps" "$p99"
}

echo "wrk: 2 threads, $connections connections, ${duration}s each; $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
run "map API (10 stages)" /api/maps/bench-10
run "map page (10 stages)" /maps/bench-10
